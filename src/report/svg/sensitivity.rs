//! The figures of `attrition sensitivity`: for each threshold, a tornado of its
//! crossing date (each input held at its 5th and 95th percentile) and the total Sobol
//! indices of its crossing day with their intervals (first-order as dots). Horizontal
//! bars, one row per input or group, named in a column on the left.

use super::page::{Key, Page, Style, MARGIN, RIGHT, W};
use super::text::{ellipsize, Anchor};
use super::ticks::{date_ticks, value_ticks, TICK_SIZE};
use super::{slug, trim};
use crate::report::table::{percent_label, thousands};
use crate::sensitivity::{OutputIndices, OutputKind, Sensitivity, Tornado};
use std::fmt::Write;

const LOW: &str = "#1f5fa8";
const HIGH: &str = "#e8731a";
const TOTAL: &str = "#9db8d9";
const FIRST: &str = "#c2452d";
const INTERVAL: &str = "#333333";
/// Where the bars start: the names take the column to the left.
const BARS_LEFT: f64 = 330.0;
/// Height of one bar's row.
const ROW: f64 = 24.0;
/// Most bars drawn; the rest are named in a note (the table has them all).
const MAX_BARS: usize = 40;
const NAME: Style = Style::plain("bar-label", 12.0, "#222");

/// Every figure of `s`: (file name, SVG text).
pub fn sensitivity_figures(s: &Sensitivity) -> Vec<(String, String)> {
    let scenario = slug(&s.scenario.name);
    let mut out = Vec::new();
    for (k, t) in s.tornado.iter().enumerate() {
        let name = format!("{scenario}-tornado-{}-{}.svg", k + 1, slug(&t.threshold));
        out.push((name, tornado_chart(s, t)));
    }
    let days = s
        .outputs
        .iter()
        .filter(|o| o.kind == OutputKind::CrossingDay && !o.indices.is_empty());
    for (k, o) in days.enumerate() {
        let threshold = o.threshold.as_deref().unwrap_or("");
        let name = format!("{scenario}-indices-{}-{}.svg", k + 1, slug(threshold));
        out.push((name, indices_chart(s, o)));
    }
    out
}

/// The plot's box for `rows` rows below what the page holds: (top, bottom).
fn rows_box(page: &mut Page, rows: usize) -> (f64, f64) {
    let top = page.y + 10.0;
    let bottom = top + rows as f64 * ROW;
    page.y = bottom;
    (top, bottom)
}

/// A row's name, right-aligned against the bars, cut to the column.
fn row_name(page: &mut Page, top: f64, i: usize, name: &str) {
    let width = BARS_LEFT - 10.0 - MARGIN;
    let shown = ellipsize(name, NAME.size, false, width, false);
    let y = top + i as f64 * ROW + ROW / 2.0 + 4.0;
    page.text(BARS_LEFT - 10.0, y, NAME.anchored(Anchor::End), &shown);
}

/// The x axis under the bars: a line, ticks at `ticks` (position, label), and `label`.
fn x_axis(page: &mut Page, top: f64, bottom: f64, ticks: &[(f64, String)], label: &str) {
    let _ = writeln!(
        page.body,
        r##"<g class="axes" stroke="#333" fill="none"><line x1="{BARS_LEFT}" y1="{bottom:.1}" x2="{RIGHT}" y2="{bottom:.1}"/><line x1="{BARS_LEFT}" y1="{top:.1}" x2="{BARS_LEFT}" y2="{bottom:.1}"/></g>"##
    );
    let tick = Style::plain("tick", TICK_SIZE, "#333").anchored(Anchor::Middle);
    for (x, text) in ticks {
        let _ = writeln!(
            page.body,
            r##"<line class="grid" x1="{x:.1}" y1="{top:.1}" x2="{x:.1}" y2="{:.1}" stroke="#e4e4e4"/>"##,
            bottom + 5.0
        );
        page.text(*x, bottom + 19.0, tick, text);
    }
    let xlabel = Style::plain("xlabel", 12.0, "#333").anchored(Anchor::Middle);
    page.text((BARS_LEFT + RIGHT) / 2.0, bottom + 38.0, xlabel, label);
    page.y = bottom + 44.0;
}

/// Maps `[x0, x1]` to the bars' span.
fn scale(x0: f64, x1: f64) -> impl Fn(f64) -> f64 {
    move |v| BARS_LEFT + (v - x0) / (x1 - x0).max(1e-9) * (RIGHT - BARS_LEFT)
}

fn run_note(s: &Sensitivity, paths: &str) -> String {
    format!(
        "{}: {paths}, seed {}, reference {}, horizon {} | scenario projections from contested estimates, not predictions",
        s.scenario.name, s.run.seed, s.scenario.reference_date, s.scenario.horizon_date
    )
}

/// The tornado of one threshold: bars from the unheld run's crossing date to the date
/// with the input held low (blue) and high (orange).
pub fn tornado_chart(s: &Sensitivity, t: &Tornado) -> String {
    let reference = s.scenario.reference_date;
    let after = s.scenario.horizon_days + 1;
    let level = t.levels.iter().position(|&l| l == t.sorted_by).unwrap_or(0);
    let day = |e: &crate::sensitivity::tornado::End| {
        e.crossing.get(level).and_then(|q| q.day).unwrap_or(after) as f64
    };
    let base = day(&t.baseline);
    let bars = &t.bars[..t.bars.len().min(MAX_BARS)];
    let ends: Vec<(f64, f64)> = bars
        .iter()
        .map(|b| (day(&b.low.result), day(&b.high.result)))
        .collect();
    let lo = ends.iter().map(|e| e.0.min(e.1)).fold(base, f64::min);
    let hi = ends.iter().map(|e| e.0.max(e.1)).fold(base, f64::max);
    // Room on both sides for the held values' labels (about 70 of the 514 units).
    let pad = ((hi - lo) * 0.18).max(7.0);
    let (x0, x1) = ((lo - pad).max(0.0), hi + pad);
    let x = scale(x0, x1);
    let q = percent_label(t.sorted_by);

    let mut page = Page::new();
    page.title(&format!(
        "What moves the crossing of {}? {}",
        t.threshold, s.scenario.title
    ));
    page.subtitle(&format!(
        "The {q} crossing date with each input held at its 5th or its 95th percentile, every other input drawn as in the unheld run (the same paths); bars run from the unheld run's date, widest swing first"
    ));
    page.legend(&[
        Key {
            label: "input held at its 5th percentile".into(),
            swatch: format!(r#"fill="{LOW}""#),
        },
        Key {
            label: "held at its 95th percentile".into(),
            swatch: format!(r#"fill="{HIGH}""#),
        },
    ]);
    // The unheld run's date, above the plot, clear of the edges.
    let strip = page.reserve(18.0) + 14.0;
    let base_label = match t.baseline.crossing.get(level).and_then(|c| c.date) {
        Some(d) => format!("unheld run: {q} {d}"),
        None => format!("unheld run: {q} not crossed"),
    };
    let w = super::text::text_width(&base_label, 11.0, false);
    let anchor = if x(base) + w / 2.0 > W - MARGIN {
        Anchor::End
    } else if x(base) - w / 2.0 < MARGIN {
        Anchor::Start
    } else {
        Anchor::Middle
    };
    page.text(
        x(base),
        strip,
        Style::plain("baseline-label", 11.0, "#333").anchored(anchor),
        &base_label,
    );
    let (top, bottom) = rows_box(&mut page, bars.len().max(1));
    for (i, (b, &(low, high))) in bars.iter().zip(&ends).enumerate() {
        row_name(
            &mut page,
            top,
            i,
            &format!("{} ({} d)", b.input, b.swing_days),
        );
        let y = top + i as f64 * ROW + 5.0;
        for (end, colour, series) in [(low, LOW, "held at p5"), (high, HIGH, "held at p95")] {
            let (a, z) = (x(base.min(end)), x(base.max(end)));
            let _ = writeln!(
                page.body,
                r#"<rect class="bar" data-series="{series}" x="{a:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="{colour}" fill-opacity="0.85"/>"#,
                (z - a).max(1.0),
                ROW - 10.0
            );
        }
        end_labels(&mut page, &x, base, (low, high), b, y + ROW / 2.0);
    }
    let _ = writeln!(
        page.body,
        r##"<line class="baseline" x1="{0:.1}" y1="{1:.1}" x2="{0:.1}" y2="{bottom:.1}" stroke="#333" stroke-dasharray="4 3"/>"##,
        x(base),
        strip + 4.0
    );
    let ticks: Vec<(f64, String)> = date_ticks(reference, x0, x1, RIGHT - BARS_LEFT)
        .into_iter()
        .map(|tick| (x(tick.date.days_since(reference) as f64), tick.label))
        .collect();
    x_axis(
        &mut page,
        top,
        bottom,
        &ticks,
        &format!("{q} crossing date"),
    );
    let mut notes = Vec::new();
    if ends
        .iter()
        .any(|e| e.0 >= after as f64 || e.1 >= after as f64)
        || base >= after as f64
    {
        notes.push(format!(
            "A bar that reaches the right edge ends in 'not crossed by {}' (the horizon).",
            s.scenario.horizon_date
        ));
    }
    if t.bars.len() > MAX_BARS {
        notes.push(format!(
            "{} more inputs with smaller swings are in the table.",
            t.bars.len() - MAX_BARS
        ));
    }
    if !t.not_held.is_empty() {
        notes.push(format!(
            "Not held (no percentiles): {}.",
            t.not_held.join(", ")
        ));
    }
    notes.push(
        "Held values and P(crossed by) each report date: the table, JSON or CSV output.".into(),
    );
    page.note(&notes.join(" "));
    let paths = format!("{} paths a run", thousands(s.run.base_paths as f64));
    page.note(&run_note(s, &paths));
    page.finish()
}

/// The held values at the bars' outer ends: each end's value beyond its bar, or both
/// beyond the farther end when the two lie on the same side of the unheld run.
fn end_labels(
    page: &mut Page,
    x: &dyn Fn(f64) -> f64,
    base: f64,
    (low, high): (f64, f64),
    b: &crate::sensitivity::tornado::Bar,
    y: f64,
) {
    if low == base && high == base {
        return;
    }
    let st = Style::plain("held-value", 10.0, "#444").with_halo();
    let (vl, vh) = (held_short(&b.low), held_short(&b.high));
    let mut place = |end: f64, text: &str| {
        let (tx, anchor) = if end >= base {
            (x(end) + 4.0, Anchor::Start)
        } else {
            (x(end) - 4.0, Anchor::End)
        };
        page.text(tx, y, st.anchored(anchor), text);
    };
    if (low - base) * (high - base) > 0.0 {
        let far = if (low - base).abs() >= (high - base).abs() {
            low
        } else {
            high
        };
        place(far, &format!("{vl} / {vh}"));
    } else {
        if low != base {
            place(low, &vl);
        }
        if high != base {
            place(high, &vh);
        }
    }
}

/// A held value, short: `1.1M`, `750`, `0.23`, a date, `always`.
fn held_short(e: &crate::sensitivity::tornado::HeldEnd) -> String {
    use crate::sensitivity::tornado::HeldKind;
    match e.kind {
        HeldKind::Number => super::short(e.value),
        _ => crate::report::sensitivity::held_value(e),
    }
}

/// The total indices of one crossing day, widest first, with their intervals, and the
/// first-order indices as dots.
pub fn indices_chart(s: &Sensitivity, o: &OutputIndices) -> String {
    let mut rows: Vec<&crate::sensitivity::Index> = o.indices.iter().collect();
    rows.sort_by(|a, b| b.total.total_cmp(&a.total));
    let rows = &rows[..rows.len().min(MAX_BARS)];
    let lo = rows
        .iter()
        .flat_map(|r| {
            [
                r.first,
                r.first_lo.unwrap_or(r.first),
                r.total_lo.unwrap_or(r.total),
            ]
        })
        .fold(0.0, f64::min);
    let hi = rows
        .iter()
        .flat_map(|r| [r.total_hi.unwrap_or(r.total), r.first_hi.unwrap_or(r.first)])
        .fold(1.0, f64::max);
    // Estimates of an index near 0 can fall a little below it: the axis starts at 0
    // unless one falls clearly below, and a dot below the axis sits on its edge.
    let x0 = if lo < -0.02 {
        (lo * 10.0).floor() / 10.0
    } else {
        0.0
    };
    let x1 = (hi * 10.0).ceil() / 10.0;
    let scaled = scale(x0, x1);
    let x = |v: f64| scaled(v.max(x0));
    let threshold = o.threshold.as_deref().unwrap_or("");

    let mut page = Page::new();
    page.title(&format!(
        "Which inputs drive the crossing day of {threshold}? {}",
        s.scenario.title
    ));
    page.subtitle(&format!(
        "Total Sobol index of each group: the share of the crossing day's variance it takes part in, interactions included (bars, with {}% bootstrap intervals); first-order index: its share alone (dots). Groups by {}; a path that does not cross counts as day {}",
        s.run.bootstrap.level * 100.0,
        s.run.grouping.name(),
        s.run.not_crossed_day
    ));
    page.legend(&[
        Key {
            label: "total index".into(),
            swatch: format!(r#"fill="{TOTAL}""#),
        },
        Key {
            label: "first-order index".into(),
            swatch: format!(r#"fill="{FIRST}""#),
        },
        Key {
            label: format!("{}% interval", s.run.bootstrap.level * 100.0),
            swatch: format!(r#"fill="{INTERVAL}""#),
        },
    ]);
    let (top, bottom) = rows_box(&mut page, rows.len().max(1));
    for (i, r) in rows.iter().enumerate() {
        row_name(&mut page, top, i, &r.group);
        let (y, mid) = (top + i as f64 * ROW + 5.0, top + (i as f64 + 0.5) * ROW);
        let (a, z) = (x(0.0_f64.min(r.total)), x(0.0_f64.max(r.total)));
        let _ = writeln!(
            page.body,
            r#"<rect class="bar" data-series="total index" x="{a:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="{TOTAL}"/>"#,
            (z - a).max(1.0),
            ROW - 10.0
        );
        if let (Some(l), Some(h)) = (r.total_lo, r.total_hi) {
            let (l, h) = (x(l), x(h));
            let _ = writeln!(
                page.body,
                r#"<path class="interval" data-series="interval" d="M{l:.1},{mid:.1} L{h:.1},{mid:.1} M{l:.1},{:.1} L{l:.1},{:.1} M{h:.1},{:.1} L{h:.1},{:.1}" stroke="{INTERVAL}" stroke-width="1.4" fill="none"/>"#,
                mid - 5.0,
                mid + 5.0,
                mid - 5.0,
                mid + 5.0
            );
        }
        let _ = writeln!(
            page.body,
            r#"<circle class="first" data-series="first-order index" cx="{:.1}" cy="{mid:.1}" r="4" fill="{FIRST}"/>"#,
            x(r.first)
        );
        // The total index in figures, right of everything drawn on the row, or inside
        // the bar near the right edge.
        let text = format!("{:.2}", r.total);
        let right = [r.total, r.first, r.total_hi.unwrap_or(r.total)]
            .into_iter()
            .fold(f64::MIN, f64::max);
        let st = Style::plain("index-value", 10.0, "#222").with_halo();
        if x(right) + 8.0 + super::text::text_width(&text, 10.0, false) <= W - MARGIN {
            page.text(x(right) + 8.0, mid + 3.5, st, &text);
        } else {
            let left = [r.total, r.first, r.total_lo.unwrap_or(r.total)]
                .into_iter()
                .fold(f64::MAX, f64::min);
            page.text(x(left) - 8.0, mid + 3.5, st.anchored(Anchor::End), &text);
        }
    }
    let ticks: Vec<(f64, String)> = value_ticks(x0, x1)
        .into_iter()
        .map(|v| (x(v), trim(if v.abs() < 1e-9 { 0.0 } else { v })))
        .collect();
    x_axis(
        &mut page,
        top,
        bottom,
        &ticks,
        "Sobol index (share of the variance)",
    );
    let mut notes = Vec::new();
    if let (Some(m), Some(sd), Some(sum)) = (o.mean, o.sd, o.sum_first) {
        notes.push(format!(
            "Crossing day: mean {m:.1}, sd {sd:.1} days; the first-order indices sum to {sum:.2} (1 when the groups act additively)."
        ));
    }
    if o.indices.len() > MAX_BARS {
        notes.push(format!(
            "{} more groups are in the table.",
            o.indices.len() - MAX_BARS
        ));
    }
    if !notes.is_empty() {
        page.note(&notes.join(" "));
    }
    let paths = format!(
        "{} base paths ({} paths)",
        thousands(s.run.base_paths as f64),
        thousands(s.run.paths_simulated as f64)
    );
    page.note(&run_note(s, &paths));
    page.finish()
}
