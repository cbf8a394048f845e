//! A sweep's figure: the median crossing date of one threshold, with its 90% interval,
//! against one swept key. With other keys swept too, each combination of their values
//! is a series of its own (a line, and the intervals dodged apart); past `BANDED` series
//! the intervals are left out and the lines go unlabelled, and a note says so.

use super::page::{Frame, Key, Page, Style, LEFT, RIGHT};
use super::text::{ellipsize, text_width, wrap, Anchor};
use super::ticks::{value_ticks, vertical_date_ticks, TICK_SIZE};
use super::{palette, short, trim};
use crate::date::Date;
use crate::report::escape::xml;
use crate::report::table::thousands;
use crate::sweep::{Sweep, Value};
use std::fmt::Write;

/// The most series drawn with intervals and a legend.
pub const BANDED: usize = 8;

/// The longest a value's label under the axis may be, turned up the page.
const MAX_LABEL: f64 = 200.0;
/// The most lines a value's label under the axis takes side by side with the others,
/// and their spacing.
const LABEL_LINES: usize = 3;
const LINE: f64 = TICK_SIZE * 1.25;

/// One series: the points (by index into `Sweep::points`) along the swept key, in the
/// key's order, and what the other keys are set to.
struct Series {
    label: String,
    points: Vec<usize>,
}

/// The series of the figure of key `k`: one per combination of the other keys' values.
fn series(s: &Sweep, k: usize) -> Vec<Series> {
    let n = s.parameters[k].values.len();
    // Points vary fastest in the last key: the stride of key k in point numbers.
    let stride: usize = s.parameters[k + 1..]
        .iter()
        .map(|p| p.values.len())
        .product();
    let mut out = Vec::new();
    for first in 0..s.points.len() {
        // The first point of a series has key k at its first value.
        if !(first / stride).is_multiple_of(n) {
            continue;
        }
        let points: Vec<usize> = (0..n).map(|v| first + v * stride).collect();
        let label = s
            .parameters
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != k)
            .map(|(j, p)| format!("{}={}", p.key, s.points[first].values[j]))
            .collect::<Vec<_>>()
            .join(", ");
        out.push(Series { label, points });
    }
    out
}

/// The figure for threshold `t` (index into `Sweep::thresholds`) against key `k`.
pub fn sweep_chart(s: &Sweep, t: usize, k: usize) -> String {
    let param = &s.parameters[k];
    let name = &s.thresholds[t];
    let all = series(s, k);
    let banded = all.len() <= BANDED;
    // Dates on one calendar: days after the earliest reference date.
    let origin = s
        .points
        .iter()
        .map(|p| p.reference_date)
        .min()
        .unwrap_or(Date::from_ymd(2000, 1, 1).expect("a real date"));
    let day = |d: Date| d.days_since(origin) as f64;
    let horizon = s
        .points
        .iter()
        .map(|p| day(p.horizon_date))
        .fold(0.0, f64::max);
    let bands: Vec<[Option<f64>; 3]> = s
        .points
        .iter()
        .map(|p| {
            let b = &p.thresholds[t].band;
            [0, 1, 2].map(|i| b.get(i).and_then(|q| q.date).map(day))
        })
        .collect();
    // The dates drawn: medians always, interval ends when drawn.
    let shown: Vec<f64> = bands
        .iter()
        .flat_map(|b| if banded { b.to_vec() } else { vec![b[1]] })
        .flatten()
        .collect();
    let uncrossed = bands
        .iter()
        .any(|b| b[1].is_none() || (banded && b[2].is_none()));
    let (mut y0, mut y1) = shown
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &d| {
            (a.min(d), b.max(d))
        });
    if uncrossed {
        y1 = horizon;
        y0 = y0.min(horizon);
    }
    if !y0.is_finite() {
        (y0, y1) = (0.0, horizon.max(1.0));
    }
    let pad = ((y1 - y0) * 0.06).max(7.0);
    let (y0, y1) = ((y0 - pad).max(0.0), y1 + pad);

    let mut page = Page::new();
    page.title(&format!("When is {name} crossed, by {}?", param.key));
    let what = if banded {
        "median crossing date (dots) and its 90% interval (bars: 5% to 95% of paths)"
    } else {
        "median crossing date"
    };
    let lines = if all.len() > 1 {
        "; a line for each setting of the other swept keys".to_string()
    } else {
        String::new()
    };
    page.subtitle(&format!(
        "{what} at each value of {}{lines}; every point runs on the same paths (common random numbers)",
        param.key
    ));
    if uncrossed {
        page.info(
            "not-crossed",
            &format!(
                "Open circles on the dashed line: not crossed by the horizon ({}) on half the paths or more; bars reaching it: on more than 5%",
                origin.add_days(horizon as i64)
            ),
        );
    }
    let colours = palette(all.len());
    if banded && all.len() > 1 {
        let keys: Vec<Key> = all
            .iter()
            .zip(&colours)
            .map(|(ser, c)| Key {
                label: ser.label.clone(),
                swatch: format!(r#"fill="{c}""#),
            })
            .collect();
        page.legend(&keys);
    }
    // The key's values along x: numbers on a number line, others in their order.
    let numbers: Option<Vec<f64>> = param
        .values
        .iter()
        .map(|v| match v {
            Value::Number(x) => Some(*x),
            Value::Text(_) => None,
        })
        .collect();
    let n = param.values.len();
    let (xs, x0, x1) = match &numbers {
        Some(v) => {
            let (lo, hi) = v
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                    (a.min(x), b.max(x))
                });
            let span = if hi > lo { hi - lo } else { lo.abs().max(1.0) };
            (v.clone(), lo - span * 0.08, hi + span * 0.08)
        }
        None => ((0..n).map(|i| i as f64).collect(), -0.5, n as f64 - 0.5),
    };
    let f = page.plot((x0, x1), (y0, y1));
    axes(
        &mut page,
        &f,
        origin,
        &param.key,
        &numbers,
        &param.values,
        &xs,
    );
    // Series, dodged apart so that their bars do not cover each other.
    // The room each value has along x: the least gap between neighbouring values.
    let mut at: Vec<f64> = xs.iter().map(|&x| f.x(x)).collect();
    at.sort_by(f64::total_cmp);
    let slot = at
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(RIGHT - LEFT, f64::min);
    let dodge = if banded && all.len() > 1 {
        (slot * 0.6 / all.len() as f64).min(8.0)
    } else {
        0.0
    };
    let _ = writeln!(page.body, r#"<g clip-path="url(#plot-area)">"#);
    let top = f.y(horizon);
    if uncrossed {
        let _ = writeln!(
            page.body,
            r##"<line class="horizon" x1="{LEFT}" y1="{top:.1}" x2="{RIGHT}" y2="{top:.1}" stroke="#888" stroke-dasharray="5 4"/>"##
        );
    }
    for (i, (ser, colour)) in all.iter().zip(&colours).enumerate() {
        let shift = dodge * (i as f64 - (all.len() - 1) as f64 / 2.0);
        let at = |v: usize| f.x(xs[v]) + shift;
        let mut d = String::new();
        let mut pen_up = true;
        for (v, &p) in ser.points.iter().enumerate() {
            match bands[p][1] {
                Some(m) => {
                    let _ = write!(
                        d,
                        "{}{:.1},{:.1} ",
                        if pen_up { "M" } else { "L" },
                        at(v),
                        f.y(m)
                    );
                    pen_up = false;
                }
                None => pen_up = true,
            }
        }
        let width = if banded { 1.8 } else { 1.2 };
        let _ = writeln!(
            page.body,
            r##"<path class="median" data-series="{}" d="{}" fill="none" stroke="{colour}" stroke-width="{width}"/>"##,
            xml(&ser.label),
            d.trim_end()
        );
        for (v, &p) in ser.points.iter().enumerate() {
            let x = at(v);
            let [lo, mid, hi] = bands[p];
            if banded {
                if let Some(lo) = lo {
                    let (a, b) = (f.y(lo), hi.map_or(top, |h| f.y(h)));
                    let _ = writeln!(
                        page.body,
                        r##"<g class="band" stroke="{colour}" stroke-width="1.4"><line x1="{x:.1}" y1="{a:.1}" x2="{x:.1}" y2="{b:.1}"/><line x1="{:.1}" y1="{a:.1}" x2="{:.1}" y2="{a:.1}"/><line x1="{:.1}" y1="{b:.1}" x2="{:.1}" y2="{b:.1}"/></g>"##,
                        x - 3.0,
                        x + 3.0,
                        x - 3.0,
                        x + 3.0
                    );
                }
            }
            match mid {
                Some(m) => {
                    let _ = writeln!(
                        page.body,
                        r##"<circle class="point" cx="{x:.1}" cy="{:.1}" r="{}" fill="{colour}"/>"##,
                        f.y(m),
                        if banded { 3.5 } else { 2.2 }
                    );
                }
                None => {
                    let _ = writeln!(
                        page.body,
                        r##"<circle class="point not-crossed" cx="{x:.1}" cy="{top:.1}" r="3.5" fill="white" stroke="{colour}" stroke-width="1.4"/>"##
                    );
                }
            }
        }
    }
    page.body.push_str("</g>\n");
    if !banded {
        page.note(&format!(
            "{} settings of the other swept keys, a line each (colours not labelled, and no intervals, past {BANDED}); the CSV, JSON or Parquet output has every point's figures.",
            all.len()
        ));
    }
    let set = if s.scenario.set.is_empty() {
        String::new()
    } else {
        format!(", with --set {}", s.scenario.set.join(" --set "))
    };
    page.note(&format!(
        "{}{set}: {} points, {} paths each, seed {} | scenario projections from contested estimates, not predictions",
        s.scenario.name,
        s.run.points,
        thousands(s.run.paths as f64),
        s.run.seed
    ));
    page.finish()
}

/// The axes: dates up the left, the key's values along the bottom (numbers on round
/// ticks; other values each under its place, turned up the page when they do not fit
/// side by side), and the key's name below them.
fn axes(
    page: &mut Page,
    f: &Frame,
    origin: Date,
    key: &str,
    numbers: &Option<Vec<f64>>,
    values: &[Value],
    xs: &[f64],
) {
    let (l, r, t, b) = (LEFT, RIGHT, f.top, f.bottom);
    let _ = writeln!(
        page.body,
        r##"<g class="axes" stroke="#333" fill="none"><line x1="{l}" y1="{b:.1}" x2="{r}" y2="{b:.1}"/><line x1="{l}" y1="{t:.1}" x2="{l}" y2="{b:.1}"/></g>"##
    );
    let date = Style::plain("tick", TICK_SIZE, "#333").anchored(Anchor::End);
    for tick in vertical_date_ticks(origin, f.y0, f.y1, b - t) {
        let y = f.y(tick.date.days_since(origin) as f64);
        let _ = writeln!(
            page.body,
            r##"<line class="grid" x1="{l}" y1="{y:.1}" x2="{r}" y2="{y:.1}" stroke="#e4e4e4"/>"##
        );
        page.text(l - 6.0, y + 4.0, date, &tick.label);
    }
    let tick = Style::plain("tick", TICK_SIZE, "#333").anchored(Anchor::Middle);
    let mut below = b + 19.0;
    match numbers {
        Some(_) => {
            for v in value_ticks(f.x0, f.x1) {
                let x = f.x(v);
                let _ = writeln!(
                    page.body,
                    r##"<line class="tick" x1="{x:.1}" y1="{b:.1}" x2="{x:.1}" y2="{:.1}" stroke="#333"/>"##,
                    b + 5.0
                );
                page.text(x, b + 19.0, tick, &short_number(v));
            }
        }
        None => {
            let slot = (r - l) / values.len() as f64;
            let labels: Vec<String> = values.iter().map(Value::to_string).collect();
            // Side by side, on up to three lines each, if every label fits its slot so.
            let lines: Vec<Vec<String>> = labels
                .iter()
                .map(|s| wrap(s, TICK_SIZE, false, slot - 6.0, LABEL_LINES))
                .collect();
            let fits = lines.iter().flatten().all(|l| !l.ends_with('…'));
            let longest = labels
                .iter()
                .map(|s| text_width(s, TICK_SIZE, false))
                .fold(0.0, f64::max)
                .min(MAX_LABEL);
            for (k, (s, &v)) in labels.iter().zip(xs).enumerate() {
                let x = f.x(v);
                let _ = writeln!(
                    page.body,
                    r##"<line class="tick" x1="{x:.1}" y1="{b:.1}" x2="{x:.1}" y2="{:.1}" stroke="#333"/>"##,
                    b + 5.0
                );
                if fits {
                    for (i, line) in lines[k].iter().enumerate() {
                        page.text(x, b + 19.0 + i as f64 * LINE, tick, line);
                    }
                } else {
                    // Turned a quarter up the page about its end, which sits under the
                    // tick: the text runs down from the axis.
                    // Coordinates to a tenth, written the same way in the attributes
                    // and the turn.
                    let tenth = |v: f64| (v * 10.0).round() / 10.0;
                    let (tx, ty) = (tenth(x + TICK_SIZE * 0.35), tenth(b + 8.0));
                    let label = ellipsize(s, TICK_SIZE, false, MAX_LABEL, false);
                    let _ = writeln!(
                        page.body,
                        r##"<text class="tick" x="{tx}" y="{ty}" transform="rotate(-90 {tx} {ty})" font-size="{TICK_SIZE}" text-anchor="end" fill="#333">{}</text>"##,
                        xml(&label)
                    );
                }
            }
            if fits {
                let most = lines.iter().map(Vec::len).max().unwrap_or(1);
                below = b + 19.0 + (most - 1) as f64 * LINE;
            } else {
                below = b + 8.0 + longest + TICK_SIZE;
            }
        }
    }
    let xlabel = Style::plain("xlabel", 12.0, "#333").anchored(Anchor::Middle);
    page.text((l + r) / 2.0, below + 19.0, xlabel, key);
    page.y = below + 25.0;
}

/// A number tick: `short`'s `2.5M` and `800k` for large values, else trimmed decimals.
fn short_number(v: f64) -> String {
    if v.abs() >= 1e4 {
        short(v)
    } else {
        trim(v)
    }
}
