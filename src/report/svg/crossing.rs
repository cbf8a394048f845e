//! When is a threshold crossed: the weekly (or coarser) histogram of crossing days with
//! P(crossed by date) for one scenario, and P(crossed by date) of several scenarios.

use super::page::{Frame, Key, Page, Style, MARGIN, W};
use super::text::{text_box, Anchor, Rect};
use super::ticks::round_up;
use super::{palette, run_note, trim};
use crate::date::Date;
use crate::projection::{Projection, ThresholdResult};
use crate::report::table::thousands;
use std::fmt::Write;

const BLUE: &str = "#1f5fa8";
const LIGHT: &str = "#9db8d9";
const RED: &str = "#c2452d";
/// Share of the crossing paths whose crossing days the axis shows in full.
const SHOWN: f64 = 0.99;

/// The day by which a share `q` of the paths that cross within `h` days have crossed.
fn crossers_quantile(counts: &[u64], h: usize, q: f64) -> Option<usize> {
    let within = &counts[..counts.len().min(h + 1)];
    let crossed: u64 = within.iter().sum();
    if crossed == 0 {
        return None;
    }
    let need = (q * crossed as f64).ceil() as u64;
    let mut cum = 0;
    within.iter().position(|&c| {
        cum += c;
        cum >= need.max(1)
    })
}

/// The last day an axis shows for one distribution of crossing days: a little past the
/// day by which 99% of the crossing paths have crossed, on a round date; the horizon
/// when that is most of the way there anyway, or when no path crosses. Returns the day
/// and whether it stops short of the horizon.
fn view_end(reference: Date, counts: &[u64], h: usize) -> (f64, bool) {
    let hf = h as f64;
    let Some(day) = crossers_quantile(counts, h, SHOWN) else {
        return (hf, false);
    };
    let padded = day as f64 * 1.1 + 7.0;
    if padded >= 0.6 * hf {
        return (hf, false);
    }
    let end = round_up(reference, padded, padded, hf);
    (end, end < hf)
}

/// The bar width of the histogram: the shortest of these (in days) that gives at most
/// 120 bars over `span` days, with its name.
fn bin(span: f64) -> (usize, &'static str) {
    const BINS: [(usize, &str); 7] = [
        (1, "day"),
        (7, "week"),
        (14, "two weeks"),
        (28, "four weeks"),
        (91, "13 weeks"),
        (182, "26 weeks"),
        (364, "52 weeks"),
    ];
    BINS.into_iter()
        .find(|(d, _)| span / *d as f64 <= 120.0)
        .unwrap_or(BINS[6])
}

/// The step line of P(crossed by date) from day counts.
fn cdf_path(f: &Frame, counts: &[u64], h: usize) -> String {
    let n: u64 = counts.iter().sum();
    let mut d = String::new();
    let mut cum = 0u64;
    for (day, &c) in counts.iter().take(h + 1).enumerate() {
        let before = cum as f64 / n.max(1) as f64;
        cum += c;
        let after = cum as f64 / n.max(1) as f64;
        let x = f.x(day as f64);
        if day == 0 {
            let _ = write!(d, "M{x:.1},{:.1} ", f.y(after));
        } else if c > 0 {
            let _ = write!(d, "L{x:.1},{:.1} L{x:.1},{:.1} ", f.y(before), f.y(after));
        }
    }
    let _ = write!(
        d,
        "L{:.1},{:.1}",
        f.x(h as f64),
        f.y(cum as f64 / n.max(1) as f64)
    );
    d
}

/// Labels of the crossing quantiles above the plot, in as few rows as keep them apart.
/// Each label starts just right of its dashed line (or ends just left of it near the
/// right edge). Labels are placed from the right, each in the lowest row where it fits,
/// so that a line, which runs from the plot up to its own label, passes left of the
/// labels below it. Returns, per label, its row (0 nearest the plot) and anchor, and
/// the number of rows.
fn quantile_rows(xs: &[(f64, String)]) -> (Vec<(usize, Anchor)>, usize) {
    const SIZE: f64 = 11.0;
    let pad = |r: &Rect| Rect {
        x0: r.x0 - 3.0,
        x1: r.x1 + 3.0,
        ..*r
    };
    let crosses = |b: &Rect, x: f64| pad(b).x0 <= x && x <= pad(b).x1;
    let mut placed: Vec<(usize, Rect, f64)> = Vec::new();
    let mut out = vec![(0, Anchor::Start); xs.len()];
    for (i, (x, label)) in xs.iter().enumerate().rev() {
        let mut anchor = Anchor::Start;
        let mut b = text_box(x + 3.0, 0.0, SIZE, false, anchor, label);
        if b.x1 > W - MARGIN {
            anchor = Anchor::End;
            b = text_box(x - 3.0, 0.0, SIZE, false, anchor, label);
        }
        let apart = |row: usize| {
            placed
                .iter()
                .all(|(r, other, _)| *r != row || !pad(other).overlaps(&b))
        };
        let clear = |row: usize| {
            placed.iter().all(|(r, other, ox)| {
                (*r >= row || !crosses(other, *x)) && (*r <= row || !crosses(&b, *ox))
            })
        };
        // With n labels some row up to n is free of the others; a line crossing a
        // label (close labels at the right edge) is the lesser harm.
        let row = (0..=xs.len())
            .find(|&r| apart(r) && clear(r))
            .or_else(|| (0..=xs.len()).find(|&r| apart(r)))
            .unwrap_or(xs.len());
        placed.push((row, b, *x));
        out[i] = (row, anchor);
    }
    let rows = out.iter().map(|(r, _)| r + 1).max().unwrap_or(0);
    (out, rows)
}

const QUANTILE_ROW: f64 = 14.0;

pub fn crossing_chart(p: &Projection, t: &ThresholdResult) -> String {
    let reference = p.scenario.reference_date;
    let n: u64 = t.day_counts.iter().sum();
    let h = p.scenario.horizon_days as usize;
    let (x1, focused) = view_end(reference, &t.day_counts, h);
    let (bin_days, bin_name) = bin(x1);
    let bins = (x1 as usize).min(h) / bin_days + 1;
    let mut counts: Vec<u64> = vec![0; bins];
    for (d, &c) in t.day_counts.iter().take(h + 1).enumerate() {
        if let Some(b) = counts.get_mut(d / bin_days) {
            *b += c;
        }
    }
    let peak = counts.iter().copied().max().unwrap_or(0).max(1) as f64 / n.max(1) as f64;

    let mut page = Page::new();
    page.title(&format!("When is {} crossed? {}", t.name, p.scenario.title));
    page.subtitle(&format!(
        "{} of {} reach {}; bars: share of paths crossing each {bin_name}, scaled to the tallest; line: P(crossed by date)",
        t.metric.as_str(),
        t.sides.join(" + "),
        thousands(t.level)
    ));
    if t.p_not_crossed > 0.0 {
        let beyond: Vec<String> = t
            .crossing
            .iter()
            .filter(|q| q.day.is_none())
            .map(|q| crate::report::table::percent_label(q.p))
            .collect();
        let mut s = format!(
            "P(not crossed by {}, the horizon) = {:.1}%: the line levels off below 1",
            p.scenario.horizon_date,
            t.p_not_crossed * 100.0
        );
        if !beyond.is_empty() {
            let _ = write!(s, "; {} not crossed", beyond.join(", "));
        }
        page.info("not-crossed", &s);
    }
    page.legend(&[
        Key {
            label: "P(crossed by date)".into(),
            swatch: format!(r#"fill="{BLUE}""#),
        },
        Key {
            label: format!("paths crossing per {bin_name} (scaled)"),
            swatch: format!(r#"fill="{LIGHT}""#),
        },
        Key {
            label: "crossing quantiles".into(),
            swatch: format!(r#"fill="{RED}""#),
        },
    ]);
    // Quantile labels go in rows above the plot, off the curve and the bars.
    let probe = Frame {
        x0: 0.0,
        x1,
        y0: 0.0,
        y1: 1.0,
        top: 0.0,
        bottom: 1.0,
    };
    let marks: Vec<(f64, String)> = t
        .crossing
        .iter()
        .filter_map(|q| {
            let (day, date) = (q.day?, q.date?);
            (f64::from(day) <= x1).then(|| {
                (
                    probe.x(day as f64),
                    format!("{} {date}", crate::report::table::percent_label(q.p)),
                )
            })
        })
        .collect();
    let (rows, nrows) = quantile_rows(&marks);
    let strip = page.reserve(nrows as f64 * QUANTILE_ROW + 4.0);
    let f = page.plot((0.0, x1), (0.0, 1.0));
    page.axes(&f, reference, "P(crossed by date)", &|v| trim(v));
    let _ = writeln!(page.body, r#"<g clip-path="url(#plot-area)">"#);
    for (b, &c) in counts.iter().enumerate() {
        if c == 0 {
            continue;
        }
        let share = c as f64 / n as f64 / peak * 0.6;
        let (a, z) = (
            f.x((b * bin_days) as f64),
            f.x(((b + 1) * bin_days).min(h + 1) as f64),
        );
        let _ = writeln!(
            page.body,
            r##"<rect class="histogram" data-series="histogram" x="{a:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{LIGHT}"/>"##,
            f.y(share),
            (z - a - 0.5).max(0.5),
            f.y(0.0) - f.y(share)
        );
    }
    let _ = writeln!(
        page.body,
        r##"<path class="cdf" data-series="P(crossed by date)" d="{}" fill="none" stroke="{BLUE}" stroke-width="2.2"/>
</g>"##,
        cdf_path(&f, &t.day_counts, h)
    );
    let label = Style::plain("quantile-label", 11.0, RED);
    for ((x, text), (row, anchor)) in marks.iter().zip(&rows) {
        let baseline = strip + (nrows - row) as f64 * QUANTILE_ROW;
        let _ = write!(
            page.body,
            r##"<g class="quantile"><line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="{RED}" stroke-dasharray="3 3"/>"##,
            baseline - 9.0,
            f.bottom
        );
        let tx = if *anchor == Anchor::Start {
            x + 3.0
        } else {
            x - 3.0
        };
        page.text(tx, baseline, label.anchored(*anchor), text);
        page.body.push_str("</g>\n");
    }
    if focused {
        let last = crossers_quantile(&t.day_counts, h, SHOWN).unwrap_or(0);
        page.note(&format!(
            "Shown to {}: 99% of the paths that cross have crossed by {}; the run goes on to {}.",
            reference.add_days(x1 as i64),
            reference.add_days(last as i64),
            p.scenario.horizon_date
        ));
    }
    page.note(&run_note(p));
    page.finish()
}

/// P(crossed by date) of one threshold (by name) in several scenarios: those that have
/// it, each in its own colour; the title and notes say which lack it.
pub fn overlay_crossing(projections: &[Projection], name: &str) -> String {
    let Some(first) = projections.first() else {
        return Page::new().finish();
    };
    let origin = first.scenario.reference_date;
    let drawn: Vec<(&Projection, &ThresholdResult)> = projections
        .iter()
        .filter_map(|p| Some((p, p.thresholds.iter().find(|t| t.name == name)?)))
        .collect();
    let missing: Vec<&str> = projections
        .iter()
        .filter(|p| !p.thresholds.iter().any(|t| t.name == name))
        .map(|p| p.scenario.name.as_str())
        .collect();
    let offset = |p: &Projection| p.scenario.reference_date.days_since(origin) as f64;
    // The axis runs to the latest scenario's view end, from the first reference date.
    let (mut x1, mut focused, mut horizon) = (1.0f64, true, 1.0f64);
    for (p, t) in &drawn {
        let h = p.scenario.horizon_days as usize;
        let (end, short) = view_end(p.scenario.reference_date, &t.day_counts, h);
        x1 = x1.max(end + offset(p));
        focused &= short;
        horizon = horizon.max(h as f64 + offset(p));
    }
    // No scenario drawn (a name none has): nothing to focus on.
    if !focused || drawn.is_empty() {
        x1 = horizon;
        focused = false;
    }
    let colors = palette(drawn.len());

    let mut page = Page::new();
    let count = if missing.is_empty() {
        format!("{} scenarios", drawn.len())
    } else {
        format!(
            "{} of {} scenarios ({} lack this threshold)",
            drawn.len(),
            projections.len(),
            missing.len()
        )
    };
    page.title(&format!("When is {name} crossed? {count}"));
    page.subtitle(
        "P(crossed by date) in each scenario, dates on one calendar (common random numbers for shared inputs)",
    );
    let keys: Vec<Key> = drawn
        .iter()
        .zip(&colors)
        .map(|((p, _), c)| Key {
            label: p.scenario.name.clone(),
            swatch: format!(r#"fill="{c}""#),
        })
        .collect();
    page.legend(&keys);
    let f = page.plot((0.0, x1), (0.0, 1.0));
    page.axes(&f, origin, "P(crossed by date)", &|v| trim(v));
    let _ = writeln!(page.body, r#"<g clip-path="url(#plot-area)">"#);
    for ((p, t), color) in drawn.iter().zip(&colors) {
        let g = f.shifted(offset(p));
        let _ = writeln!(
            page.body,
            r##"<path class="cdf scenario" data-scenario="{}" data-series="{}" d="{}" fill="none" stroke="{color}" stroke-width="2.2"/>"##,
            crate::report::escape::xml(&p.scenario.name),
            crate::report::escape::xml(&p.scenario.name),
            cdf_path(&g, &t.day_counts, p.scenario.horizon_days as usize)
        );
    }
    page.body.push_str("</g>\n");
    let differ: Vec<String> = drawn
        .iter()
        .filter(|(_, t)| {
            let t0 = drawn[0].1;
            t.level != t0.level || t.metric != t0.metric || t.sides != t0.sides
        })
        .map(|(p, t)| {
            format!(
                "{}: {} of {} reach {}",
                p.scenario.name,
                t.metric.as_str(),
                t.sides.join(" + "),
                thousands(t.level)
            )
        })
        .collect();
    if let Some((p0, t0)) = drawn.first() {
        let head = format!(
            "{} of {} reach {}",
            t0.metric.as_str(),
            t0.sides.join(" + "),
            thousands(t0.level)
        );
        if differ.is_empty() {
            page.note(&format!("In every scenario drawn, {head}."));
        } else {
            page.note(&format!(
                "The threshold differs: in {}, {head}; {}.",
                p0.scenario.name,
                differ.join("; ")
            ));
        }
    }
    let never: Vec<String> = drawn
        .iter()
        .filter(|(_, t)| t.p_not_crossed > 0.0)
        .map(|(p, t)| format!("{} {:.1}%", p.scenario.name, t.p_not_crossed * 100.0))
        .collect();
    if !never.is_empty() {
        page.note(&format!(
            "Not crossed by the horizon (lines level off below 1): {}.",
            never.join(", ")
        ));
    }
    if !missing.is_empty() {
        page.note(&format!(
            "Not drawn, no threshold named \"{name}\": {}.",
            missing.join(", ")
        ));
    }
    if focused {
        page.note(&format!(
            "Shown to {}: 99% of each scenario's crossing paths have crossed by then; the runs go on to {}.",
            origin.add_days(x1 as i64),
            origin.add_days(horizon as i64)
        ));
    }
    let paths: Vec<u64> = drawn.iter().map(|(p, _)| p.run.paths).collect();
    let (lo, hi) = (
        paths.iter().copied().min().unwrap_or(0),
        paths.iter().copied().max().unwrap_or(0),
    );
    let each = if lo == hi {
        format!("{} paths each", thousands(lo as f64))
    } else {
        format!("{} to {} paths", thousands(lo as f64), thousands(hi as f64))
    };
    page.note(&format!(
        "{count}, {each}, reference {origin} | scenario projections from contested estimates, not predictions"
    ));
    page.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_ends_past_the_crossings() {
        let r = Date::from_ymd(2025, 12, 31).unwrap();
        // All 100 paths cross on days 100 to 199 of a 1096-day run.
        let mut counts = vec![0u64; 1098];
        for c in &mut counts[100..200] {
            *c = 1;
        }
        assert_eq!(crossers_quantile(&counts, 1096, 0.99), Some(198));
        let (end, focused) = view_end(r, &counts, 1096);
        assert!(focused && end > 198.0 && end < 300.0, "{end}");
        // Late crossings: the whole horizon.
        counts[1000] = 5;
        assert_eq!(view_end(r, &counts, 1096), (1096.0, false));
        // None crosses: the whole horizon.
        let none = vec![0, 0, 0, 7];
        assert_eq!(view_end(r, &none, 2), (2.0, false));
        assert_eq!(bin(200.0), (7, "week"));
        assert_eq!(bin(36_525.0), (364, "52 weeks"));
    }

    #[test]
    fn quantile_labels_stay_apart() {
        let label = |x: f64| (x, "p50 2026-07-25".to_string());
        let (rows, n) = quantile_rows(&[label(100.0), label(110.0), label(400.0), label(850.0)]);
        assert_eq!(rows[1], (0, Anchor::Start));
        assert_eq!(rows[0].0, 1, "too close: the row above");
        assert_eq!(rows[2].0, 0, "far enough: the first row");
        assert_eq!(
            rows[3].1,
            Anchor::End,
            "near the right edge: ends at its line"
        );
        assert_eq!(n, 2);
        // Five labels on one spot: five rows, and it ends.
        let same = vec![label(300.0); 5];
        assert_eq!(quantile_rows(&same).1, 5);
    }
}
