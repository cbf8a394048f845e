//! SVG figures, drawn by hand (no plotting library): fan charts of cumulative stocks,
//! the distribution of crossing dates, and overlays of several scenarios. Pure functions
//! from projections to SVG text; the command line decides where the files go.

use super::table::thousands;
use crate::date::Date;
use crate::model::Metric;
use crate::projection::{Projection, StockSeries, ThresholdResult};
use std::fmt::Write;

const W: f64 = 880.0;
const H: f64 = 520.0;
const LEFT: f64 = 96.0;
const RIGHT: f64 = 40.0;
const TOP: f64 = 64.0;
const BOTTOM: f64 = 92.0;
const COLORS: [&str; 6] = [
    "#1f5fa8", "#c2452d", "#2e8b57", "#8a5cb8", "#b8860b", "#555555",
];

/// Every figure for `projections`: (file name, SVG text).
pub fn figures(projections: &[Projection]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in projections {
        let stocks = if p.fan.is_empty() { &p.stocks } else { &p.fan };
        for s in stocks.iter().filter(|s| s.metric == Metric::Casualties) {
            out.push((
                format!("{}-fan-{}.svg", slug(&p.scenario.name), slug(&s.series)),
                fan_chart(p, s),
            ));
        }
        for (i, t) in p.thresholds.iter().enumerate() {
            let name = format!(
                "{}-crossing-{}-{}.svg",
                slug(&p.scenario.name),
                i + 1,
                slug(&t.name)
            );
            out.push((name, crossing_chart(p, t)));
        }
    }
    if projections.len() > 1 {
        let first = &projections[0];
        for (i, t) in first.thresholds.iter().enumerate() {
            let name = format!("overlay-crossing-{}-{}.svg", i + 1, slug(&t.name));
            out.push((name, overlay_crossing(projections, &t.name)));
        }
    }
    out
}

fn slug(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while out.contains("--") {
        out = out.replace("--", "-");
    }
    out.trim_matches('-').to_string()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A plotting frame: data ranges mapped to the page.
struct Frame {
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
}

impl Frame {
    fn x(&self, v: f64) -> f64 {
        LEFT + (v - self.x0) / (self.x1 - self.x0).max(1e-9) * (W - LEFT - RIGHT)
    }
    fn y(&self, v: f64) -> f64 {
        H - BOTTOM - (v - self.y0) / (self.y1 - self.y0).max(1e-9) * (H - TOP - BOTTOM)
    }
}

fn header(svg: &mut String, title: &str, subtitle: &str) {
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="Helvetica, Arial, sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text class="title" x="{LEFT}" y="26" font-size="17" font-weight="bold">{}</text>
<text class="subtitle" x="{LEFT}" y="46" fill="#444">{}</text>
"##,
        esc(title),
        esc(subtitle)
    );
}

fn note(svg: &mut String, p: &Projection) {
    let _ = writeln!(
        svg,
        r##"<text class="note" x="{LEFT}" y="{}" fill="#666" font-size="11">{}: {} paths, seed {}, reference {} | scenario projections from contested estimates, not predictions</text>"##,
        H - 12.0,
        esc(&p.scenario.name),
        thousands(p.run.paths as f64),
        p.run.seed,
        p.scenario.reference_date
    );
}

/// Axes with date ticks (x in days after `reference`) and value ticks.
fn axes(
    svg: &mut String,
    f: &Frame,
    reference: Date,
    y_label: &str,
    y_fmt: &dyn Fn(f64) -> String,
) {
    let (l, r, t, b) = (LEFT, W - RIGHT, TOP, H - BOTTOM);
    let _ = writeln!(
        svg,
        r##"<g class="axes" stroke="#333" fill="none"><line x1="{l}" y1="{b}" x2="{r}" y2="{b}"/><line x1="{l}" y1="{t}" x2="{l}" y2="{b}"/></g>"##
    );
    // Value ticks: about six round steps.
    let step = nice_step((f.y1 - f.y0) / 6.0);
    let mut v = (f.y0 / step).ceil() * step;
    while v <= f.y1 + step * 1e-9 {
        let y = f.y(v);
        let _ = writeln!(
            svg,
            r##"<line x1="{l}" y1="{y:.1}" x2="{r}" y2="{y:.1}" stroke="#e4e4e4"/><text x="{}" y="{:.1}" text-anchor="end" fill="#333">{}</text>"##,
            l - 6.0,
            y + 4.0,
            y_fmt(v)
        );
        v += step;
    }
    // Date ticks: first days of months, thinned to at most ten.
    let first = reference.add_days(f.x0.floor() as i64);
    let last = reference.add_days(f.x1.ceil() as i64);
    let mut months = Vec::new();
    let (mut yy, mut mm, _) = first.ymd();
    loop {
        mm += 1;
        if mm > 12 {
            mm = 1;
            yy += 1;
        }
        let d = Date::from_ymd(yy, mm, 1).expect("a real date");
        if d > last {
            break;
        }
        months.push(d);
    }
    let every = months.len().div_ceil(10).max(1);
    for d in months.iter().step_by(every) {
        let x = f.x(d.days_since(reference) as f64);
        let (yy, mm, _) = d.ymd();
        let _ = writeln!(
            svg,
            r##"<line x1="{x:.1}" y1="{b}" x2="{x:.1}" y2="{}" stroke="#333"/><text x="{x:.1}" y="{}" text-anchor="middle" fill="#333">{yy}-{mm:02}</text>"##,
            b + 5.0,
            b + 19.0
        );
    }
    let _ = writeln!(
        svg,
        r##"<text class="xlabel" x="{}" y="{}" text-anchor="middle" fill="#333">date</text>"##,
        (l + r) / 2.0,
        b + 40.0
    );
    let _ = reference;
    let _ = writeln!(
        svg,
        r##"<text class="ylabel" transform="translate(18,{}) rotate(-90)" text-anchor="middle" fill="#333">{}</text>"##,
        (t + b) / 2.0,
        esc(y_label)
    );
}

fn nice_step(raw: f64) -> f64 {
    let p = 10f64.powf(raw.max(1e-12).log10().floor());
    let m = raw / p;
    p * if m <= 1.0 {
        1.0
    } else if m <= 2.0 {
        2.0
    } else if m <= 5.0 {
        5.0
    } else {
        10.0
    }
}

fn short(v: f64) -> String {
    if v.abs() >= 1e6 {
        format!("{}M", trim(v / 1e6))
    } else if v.abs() >= 1e3 {
        format!("{}k", trim(v / 1e3))
    } else {
        trim(v)
    }
}

fn trim(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A legend at the top left of the plot, or at the top right when `right`.
fn legend(svg: &mut String, items: &[(&str, String)], right: bool) {
    let mut y = TOP + if right { 26.0 } else { 8.0 };
    for (label, style) in items {
        let x = if right {
            W - RIGHT - 250.0
        } else {
            LEFT + 14.0
        };
        let _ = writeln!(
            svg,
            r##"<g class="legend"><rect x="{x}" y="{y}" width="22" height="10" {style}/><text x="{}" y="{}">{}</text></g>"##,
            x + 28.0,
            y + 9.5,
            esc(label)
        );
        y += 17.0;
    }
}

/// Which paths a fan chart's bands are drawn from, in words.
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

/// Fan chart of one cumulative stock: 90% and 50% bands, the median, thresholds on the
/// same sides, and the report dates.
pub fn fan_chart(p: &Projection, s: &StockSeries) -> String {
    let mut svg = String::new();
    let pts = &s.points;
    let q = |k: usize| -> Vec<(f64, f64)> {
        pts.iter()
            .map(|pt| (pt.day as f64, pt.quantiles[k].value))
            .collect()
    };
    let (lo5, lo25, mid, hi75, hi95) = (q(0), q(1), q(2), q(3), q(4));
    let sides: Vec<String> = if s.series == crate::projection::COMBINED {
        p.scenario.sides.clone()
    } else {
        vec![s.series.clone()]
    };
    let levels: Vec<&ThresholdResult> = p
        .thresholds
        .iter()
        .filter(|t| t.metric == s.metric && t.sides == sides)
        .collect();
    let mut y1 = hi95.iter().map(|v| v.1).fold(0.0, f64::max);
    y1 = levels.iter().map(|t| t.level).fold(y1, f64::max) * 1.04;
    let y0 = lo5.iter().map(|v| v.1).fold(f64::INFINITY, f64::min) * 0.96;
    let f = Frame {
        x0: 0.0,
        x1: p.scenario.horizon_days as f64,
        y0: y0.min(y1 * 0.5).max(0.0),
        y1,
    };
    header(
        &mut svg,
        &format!(
            "Cumulative {} of {}: {}",
            s.metric.as_str(),
            s.series,
            p.scenario.title
        ),
        &format!(
            "median, 50% and 90% bands over {}; dashed: report dates",
            fan_paths(p)
        ),
    );
    axes(
        &mut svg,
        &f,
        p.scenario.reference_date,
        &format!("cumulative {} (people)", s.metric.as_str()),
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
    let _ = writeln!(
        svg,
        r##"<path class="band-90" d="{}" fill="#1f5fa8" fill-opacity="0.18"/>"##,
        band(&lo5, &hi95)
    );
    let _ = writeln!(
        svg,
        r##"<path class="band-50" d="{}" fill="#1f5fa8" fill-opacity="0.35"/>"##,
        band(&lo25, &hi75)
    );
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
        svg,
        r##"<path class="median" d="{}" fill="none" stroke="#1f5fa8" stroke-width="2.2"/>"##,
        line.trim_end()
    );
    for d in &p.scenario.report_dates {
        let x = f.x(d.days_since(p.scenario.reference_date) as f64);
        let _ = writeln!(
            svg,
            r##"<line class="report-date" x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{}" stroke="#777" stroke-dasharray="4 4"/>"##,
            H - BOTTOM
        );
    }
    for t in &levels {
        let y = f.y(t.level);
        let _ = writeln!(
            svg,
            r##"<line class="threshold" x1="{LEFT}" y1="{y:.1}" x2="{}" y2="{y:.1}" stroke="#c2452d" stroke-width="1.6"/><text x="{}" y="{:.1}" text-anchor="end" fill="#c2452d">{}: {}</text>"##,
            W - RIGHT,
            W - RIGHT - 4.0,
            y - 5.0,
            esc(&t.name),
            thousands(t.level)
        );
    }
    let mut items = vec![
        ("median", r##"fill="#1f5fa8""##.to_string()),
        (
            "50% band (p25 to p75)",
            r##"fill="#1f5fa8" fill-opacity="0.35""##.to_string(),
        ),
        (
            "90% band (p5 to p95)",
            r##"fill="#1f5fa8" fill-opacity="0.18""##.to_string(),
        ),
    ];
    if !levels.is_empty() {
        items.push(("threshold", r##"fill="#c2452d""##.to_string()));
    }
    legend(&mut svg, &items, false);
    note(&mut svg, p);
    svg.push_str("</svg>\n");
    svg
}

/// Weekly histogram of crossing days (bars) and P(crossed by date) (line), with the
/// quantiles marked.
pub fn crossing_chart(p: &Projection, t: &ThresholdResult) -> String {
    let mut svg = String::new();
    let n: u64 = t.day_counts.iter().sum();
    let h = p.scenario.horizon_days as usize;
    let mut weeks: Vec<u64> = vec![0; h / 7 + 1];
    for (d, &c) in t.day_counts.iter().take(h + 1).enumerate() {
        weeks[d / 7] += c;
    }
    let peak = weeks.iter().copied().max().unwrap_or(0).max(1) as f64 / n.max(1) as f64;
    let f = Frame {
        x0: 0.0,
        x1: h as f64,
        y0: 0.0,
        y1: 1.0,
    };
    let subtitle = format!("{} of {} reach {}; bars: share of paths crossing each week (scaled), line: P(crossed by date)", t.metric.as_str(), t.sides.join(" + "), thousands(t.level));
    header(
        &mut svg,
        &format!("When is {} crossed? {}", t.name, p.scenario.title),
        &subtitle,
    );
    axes(
        &mut svg,
        &f,
        p.scenario.reference_date,
        "P(crossed by date)",
        &|v| trim(v),
    );
    for (w, &c) in weeks.iter().enumerate() {
        if c == 0 {
            continue;
        }
        let share = c as f64 / n as f64 / peak * 0.6;
        let (x0, x1) = (f.x((w * 7) as f64), f.x(((w + 1) * 7).min(h + 1) as f64));
        let _ = writeln!(
            svg,
            r##"<rect class="histogram" x="{x0:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#9db8d9"/>"##,
            f.y(share),
            (x1 - x0 - 0.5).max(0.5),
            f.y(0.0) - f.y(share)
        );
    }
    let _ = writeln!(
        svg,
        r##"<path class="cdf" d="{}" fill="none" stroke="#1f5fa8" stroke-width="2.2"/>"##,
        cdf_path(&f, &t.day_counts, h)
    );
    for q in &t.crossing {
        if let (Some(day), Some(date)) = (q.day, q.date) {
            let x = f.x(day as f64);
            let _ = writeln!(
                svg,
                r##"<g class="quantile"><line x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{}" stroke="#c2452d" stroke-dasharray="3 3"/><text x="{:.1}" y="{:.1}" fill="#c2452d" font-size="11">p{} {date}</text></g>"##,
                H - BOTTOM,
                x + 3.0,
                f.y(q.p) - 4.0,
                (q.p * 100.0).round()
            );
        }
    }
    if t.p_not_crossed > 0.0 {
        let _ = writeln!(
            svg,
            r##"<text class="not-crossed" x="{}" y="{}" text-anchor="end" fill="#333">not crossed by {}: {:.1}%</text>"##,
            W - RIGHT,
            TOP + 12.0,
            p.scenario.horizon_date,
            t.p_not_crossed * 100.0
        );
    }
    legend(
        &mut svg,
        &[
            ("P(crossed by date)", r##"fill="#1f5fa8""##.to_string()),
            (
                "paths crossing per week (scaled)",
                r##"fill="#9db8d9""##.to_string(),
            ),
            ("quantiles p5 .. p95", r##"fill="#c2452d""##.to_string()),
        ],
        true,
    );
    note(&mut svg, p);
    svg.push_str("</svg>\n");
    svg
}

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

/// P(crossed by date) of one threshold (by name) in several scenarios.
pub fn overlay_crossing(projections: &[Projection], name: &str) -> String {
    let mut svg = String::new();
    let first = &projections[0];
    let h = projections
        .iter()
        .map(|p| p.scenario.horizon_days)
        .max()
        .unwrap_or(1) as usize;
    let f = Frame {
        x0: 0.0,
        x1: h as f64,
        y0: 0.0,
        y1: 1.0,
    };
    header(&mut svg, &format!("When is {name} crossed? {} scenarios", projections.len()), "P(crossed by date) in each scenario (same reference date; common random numbers for shared inputs)");
    axes(
        &mut svg,
        &f,
        first.scenario.reference_date,
        "P(crossed by date)",
        &|v| trim(v),
    );
    let mut items = Vec::new();
    for (i, p) in projections.iter().enumerate() {
        let Some(t) = p.thresholds.iter().find(|t| t.name == name) else {
            continue;
        };
        let color = COLORS[i % COLORS.len()];
        let offset = p
            .scenario
            .reference_date
            .days_since(first.scenario.reference_date) as f64;
        let g = Frame {
            x0: f.x0 - offset,
            x1: f.x1 - offset,
            ..f
        };
        let _ = writeln!(
            svg,
            r##"<path class="cdf scenario" data-scenario="{}" d="{}" fill="none" stroke="{color}" stroke-width="2.2"/>"##,
            esc(&p.scenario.name),
            cdf_path(&g, &t.day_counts, p.scenario.horizon_days as usize)
        );
        items.push((p.scenario.name.as_str(), format!(r##"fill="{color}""##)));
    }
    legend(&mut svg, &items, false);
    let _ = writeln!(
        svg,
        r##"<text class="note" x="{LEFT}" y="{}" fill="#666" font-size="11">{} scenarios, {} paths each | scenario projections from contested estimates, not predictions</text>"##,
        H - 12.0,
        projections.len(),
        thousands(first.run.paths as f64)
    );
    svg.push_str("</svg>\n");
    svg
}
