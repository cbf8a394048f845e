//! Fan charts of one cumulative stock: 90% and 50% bands, the median, the thresholds on
//! the same sides and metric, and the report dates.

use super::page::{Key, Page, Style, LEFT, RIGHT};
use super::text::{text_width, Anchor};
use super::ticks::round_up;
use super::{run_note, short};
use crate::projection::{Projection, StockSeries, ThresholdResult, COMBINED};
use crate::report::table::thousands;
use std::fmt::Write;

const BLUE: &str = "#1f5fa8";
const RED: &str = "#c2452d";
const GREEN: &str = "#2a7d3f";

/// The last day the fan shows. The whole horizon, unless the report dates and the
/// thresholds' p95 crossings all lie early in it (a century-long run reported over its
/// first years): then a little past the latest of them, so that they are not squashed
/// against the axis. Returns the day and whether it stops short of the horizon.
fn view_end(p: &Projection, levels: &[&ThresholdResult]) -> (f64, bool) {
    let h = p.scenario.horizon_days as f64;
    let reference = p.scenario.reference_date;
    let last_report = p
        .scenario
        .report_dates
        .iter()
        .map(|d| d.days_since(reference) as f64)
        .fold(0.0, f64::max);
    let p95 = levels
        .iter()
        .filter_map(|t| t.crossing.last().and_then(|q| q.day))
        .map(f64::from)
        .fold(0.0, f64::max);
    let interest = last_report.max(p95);
    if interest <= 0.0 || interest * 1.3 >= 0.6 * h {
        return (h, false);
    }
    let end = round_up(reference, interest * 1.15 + 7.0, interest, h);
    (end, end < h)
}

pub fn fan_chart(p: &Projection, s: &StockSeries) -> String {
    let sides: Vec<String> = if s.series == COMBINED {
        p.scenario.sides.clone()
    } else {
        vec![s.series.clone()]
    };
    let levels: Vec<&ThresholdResult> = p
        .thresholds
        .iter()
        .filter(|t| t.metric == s.metric && t.sides == sides)
        .collect();
    let (x1, focused) = view_end(p, &levels);
    // The points in view and the first one past it (the plot clips the rest).
    let shown: Vec<_> = {
        let past = s.points.iter().position(|pt| pt.day as f64 > x1);
        let n = past.map_or(s.points.len(), |i| i + 1);
        s.points[..n].iter().collect()
    };
    let q = |k: usize| -> Vec<(f64, f64)> {
        shown
            .iter()
            .map(|pt| {
                (
                    pt.day as f64,
                    pt.quantiles.get(k).map_or(f64::NAN, |q| q.value),
                )
            })
            .collect()
    };
    let (lo5, lo25, mid, hi75, hi95) = (q(0), q(1), q(2), q(3), q(4));
    // The observations of this stock: its sides and metric, in view.
    let observed: Vec<_> = p
        .observations
        .iter()
        .filter(|o| o.metric == s.metric && o.sides == sides && f64::from(o.day) <= x1)
        .collect();
    let top = hi95.iter().map(|v| v.1).fold(0.0, f64::max);
    let top = observed.iter().map(|o| o.value_p95).fold(top, f64::max);
    let y1 = levels.iter().map(|t| t.level).fold(top, f64::max) * 1.06;
    let low = lo5.iter().map(|v| v.1).fold(f64::INFINITY, f64::min) * 0.96;
    let low = observed
        .iter()
        .map(|o| o.value_p5 * 0.96)
        .fold(low, f64::min);
    let y0 = low.min(y1 * 0.5).max(0.0);

    let metric = s.metric.as_str();
    let what = if s.series == COMBINED {
        format!("Combined ({}) cumulative {metric}", sides.join(" + "))
    } else {
        format!("Cumulative {metric} of {}", s.series)
    };
    let mut page = Page::new();
    page.title(&format!("{what}: {}", p.scenario.title));
    let weighted = if p.run.weights.is_some() {
        ", weighted by the observations"
    } else {
        ""
    };
    page.subtitle(&format!(
        "median, 50% and 90% bands over {}{weighted}; dashed lines: report dates",
        fan_paths(p)
    ));
    let mut keys = vec![
        Key {
            label: "median".into(),
            swatch: format!(r#"fill="{BLUE}""#),
        },
        Key {
            label: "50% band (p25 to p75)".into(),
            swatch: format!(r#"fill="{BLUE}" fill-opacity="0.35""#),
        },
        Key {
            label: "90% band (p5 to p95)".into(),
            swatch: format!(r#"fill="{BLUE}" fill-opacity="0.18""#),
        },
    ];
    if !levels.is_empty() {
        keys.push(Key {
            label: "threshold".into(),
            swatch: format!(r#"fill="{RED}""#),
        });
    }
    if !observed.is_empty() {
        keys.push(Key {
            label: "reported (90% interval)".into(),
            swatch: format!(r#"fill="{GREEN}""#),
        });
    }
    page.legend(&keys);
    let f = page.plot((0.0, x1), (y0, y1));
    page.axes(
        &f,
        p.scenario.reference_date,
        &format!("cumulative {metric} (people)"),
        &short,
    );
    let band = |a: &[(f64, f64)], b: &[(f64, f64)]| -> String {
        let mut d = String::new();
        for (i, (x, y)) in a.iter().enumerate() {
            let _ = write!(
                d,
                "{}{:.1},{:.1} ",
                if i == 0 { "M" } else { "L" },
                f.x(*x),
                f.y(*y)
            );
        }
        for (x, y) in b.iter().rev() {
            let _ = write!(d, "L{:.1},{:.1} ", f.x(*x), f.y(*y));
        }
        d.push('Z');
        d
    };
    let line: String = mid
        .iter()
        .enumerate()
        .map(|(i, (x, y))| {
            format!(
                "{}{:.1},{:.1} ",
                if i == 0 { "M" } else { "L" },
                f.x(*x),
                f.y(*y)
            )
        })
        .collect();
    let _ = writeln!(
        page.body,
        r##"<g clip-path="url(#plot-area)">
<path class="band-90" data-series="90% band" d="{}" fill="{BLUE}" fill-opacity="0.18"/>
<path class="band-50" data-series="50% band" d="{}" fill="{BLUE}" fill-opacity="0.35"/>
<path class="median" data-series="median" d="{}" fill="none" stroke="{BLUE}" stroke-width="2.2"/>
</g>"##,
        band(&lo5, &hi95),
        band(&lo25, &hi75),
        line.trim_end()
    );
    let reference = p.scenario.reference_date;
    for d in &p.scenario.report_dates {
        let day = d.days_since(reference) as f64;
        if day > x1 {
            continue;
        }
        let x = f.x(day);
        let _ = writeln!(
            page.body,
            r##"<line class="report-date" x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="#777" stroke-dasharray="4 4"/>"##,
            f.top, f.bottom
        );
    }
    // Each observation: its stated 90% interval of the truth at its date, the figure as a
    // dot (the bands are the weighted paths, which the figures pulled).
    for o in &observed {
        let x = f.x(f64::from(o.day));
        let (ya, yb, yc) = (f.y(o.value_p5), f.y(o.value_p95), f.y(o.value));
        let _ = writeln!(
            page.body,
            r##"<g class="observation" data-series="observation"><title>{}: {} ({} to {})</title><line x1="{x:.1}" y1="{ya:.1}" x2="{x:.1}" y2="{yb:.1}" stroke="{GREEN}" stroke-width="2.4"/><line x1="{:.1}" y1="{ya:.1}" x2="{:.1}" y2="{ya:.1}" stroke="{GREEN}" stroke-width="2"/><line x1="{:.1}" y1="{yb:.1}" x2="{:.1}" y2="{yb:.1}" stroke="{GREEN}" stroke-width="2"/><circle cx="{x:.1}" cy="{yc:.1}" r="3.5" fill="{GREEN}"/></g>"##,
            super::super::escape::xml(&o.name),
            thousands(o.value),
            thousands(o.value_p5),
            thousands(o.value_p95),
            x - 5.0,
            x + 5.0,
            x - 5.0,
            x + 5.0
        );
    }
    // Each threshold's label goes at an end of its line, on the side the bands leave
    // free there (stocks grow, so usually below the line at the right end); on a band
    // when neither end is free, over a white outline.
    let label = Style::plain("threshold-label", 12.0, RED).with_halo();
    for t in &levels {
        let y = f.y(t.level);
        let _ = writeln!(
            page.body,
            r##"<line class="threshold" data-series="threshold" x1="{LEFT}" y1="{y:.1}" x2="{RIGHT}" y2="{y:.1}" stroke="{RED}" stroke-width="1.6"/>"##
        );
        let text = format!("{}: {}", t.name, thousands(t.level));
        let w = text_width(&text, label.size, false) + 12.0;
        // The band's pixel extent over the label's span at each end.
        let extent = |from: f64, to: f64| -> (f64, f64) {
            let within = |pts: &[(f64, f64)]| {
                pts.iter()
                    .filter(|(d, _)| {
                        let x = f.x(*d);
                        x >= from - 8.0 && x <= to + 8.0
                    })
                    .map(|(_, v)| f.y(*v))
                    .collect::<Vec<f64>>()
            };
            let top = within(&hi95).into_iter().fold(f64::INFINITY, f64::min);
            let bottom = within(&lo5).into_iter().fold(f64::NEG_INFINITY, f64::max);
            (top, bottom)
        };
        let (r_top, r_bottom) = extent(RIGHT - w, RIGHT);
        let (l_top, l_bottom) = extent(LEFT, LEFT + w);
        let (x, below, anchor) = if r_bottom < y - 2.0 {
            (RIGHT - 6.0, true, Anchor::End)
        } else if r_top > y + 18.0 {
            (RIGHT - 6.0, false, Anchor::End)
        } else if l_top > y + 18.0 {
            (LEFT + 6.0, false, Anchor::Start)
        } else if l_bottom < y - 2.0 {
            (LEFT + 6.0, true, Anchor::Start)
        } else {
            (RIGHT - 6.0, false, Anchor::End)
        };
        let ty = if below { y + 16.0 } else { y - 5.0 };
        page.text(x, ty, label.anchored(anchor), &text);
    }
    if focused {
        page.note(&format!(
            "Shown to {}, past the last report date and the thresholds' p95 crossing dates; the run goes on to {}.",
            reference.add_days(x1 as i64),
            p.scenario.horizon_date
        ));
    }
    page.note(&run_note(p));
    page.finish()
}

/// Which paths a fan chart's bands are drawn from, in words: a fan has a run of its own
/// over the first paths of the result's (see `run --plot`).
fn fan_paths(p: &Projection) -> String {
    match p.fan_paths {
        Some(n) if !p.fan.is_empty() && n < p.run.paths => format!(
            "the first {} of {} paths",
            thousands(n as f64),
            thousands(p.run.paths as f64)
        ),
        _ => "all paths".to_string(),
    }
}
