//! SVG figures, drawn by hand (no plotting library): fan charts of cumulative stocks,
//! the distribution of crossing dates, and overlays of several scenarios. Pure functions
//! from projections to SVG text; the command line decides where the files go.
//!
//! `page` lays a figure out (every text placed with `text::text_box`, the estimate the
//! layout test checks), `ticks` picks calendar and value ticks, `fan` and `crossing` draw
//! the charts.

mod crossing;
mod fan;
mod page;
mod sensitivity;
mod sweep;
pub mod text;
mod ticks;

pub use crossing::{crossing_chart, overlay_crossing};
pub use fan::fan_chart;
pub use sensitivity::{indices_chart, sensitivity_figures, tornado_chart};
pub use sweep::sweep_chart;

use super::table::thousands;
use crate::model::Metric;
use crate::projection::Projection;

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
        // One overlay per threshold name in any scenario, in order of first appearance
        // (a threshold only later scenarios have gets its overlay too).
        let mut names: Vec<&str> = Vec::new();
        for t in projections.iter().flat_map(|p| &p.thresholds) {
            if !names.contains(&t.name.as_str()) {
                names.push(&t.name);
            }
        }
        for (i, name) in names.iter().enumerate() {
            let file = format!("overlay-crossing-{}-{}.svg", i + 1, slug(name));
            out.push((file, overlay_crossing(projections, name)));
        }
    }
    out
}

/// Every figure of a sweep: for each threshold, the median crossing date against each
/// swept key.
pub fn sweep_figures(s: &crate::sweep::Sweep) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (t, name) in s.thresholds.iter().enumerate() {
        for (k, p) in s.parameters.iter().enumerate() {
            out.push((
                format!("sweep-{}-{}-by-{}.svg", t + 1, slug(name), slug(&p.key)),
                sweep_chart(s, t, k),
            ));
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

/// Colours that stay apart on white and for most colour-blind readers (Tableau 10,
/// darkened where too light to read as a thin line).
const PALETTE: [&str; 10] = [
    "#1f5fa8", "#e8731a", "#2e8b57", "#c2452d", "#8a5cb8", "#8c564b", "#d6609f", "#555555",
    "#9a8a00", "#1a9bb0",
];

/// `n` distinct colours: the palette, then hues a golden angle apart at alternating
/// lightness, skipping any that repeat an earlier colour.
pub fn palette(n: usize) -> Vec<String> {
    let mut out: Vec<String> = PALETTE.iter().take(n).map(|s| s.to_string()).collect();
    let mut k = 0u32;
    while out.len() < n {
        let hue = (k as f64 * 137.507_764) % 360.0;
        let light = [0.38, 0.52, 0.30][k as usize % 3];
        let c = hsl(hue, 0.65, light);
        if !out.contains(&c) {
            out.push(c);
        }
        k += 1;
    }
    out
}

/// `#rrggbb` for a hue in degrees, saturation and lightness in 0..1.
fn hsl(h: f64, s: f64, l: f64) -> String {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let hp = h / 60.0;
    let x = c * (1.0 - (hp % 2.0 - 1.0).abs());
    let (r, g, b) = match hp as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    let byte = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    format!("#{:02x}{:02x}{:02x}", byte(r), byte(g), byte(b))
}

/// The note every single-scenario figure ends with.
fn run_note(p: &Projection) -> String {
    format!(
        "{}: {} paths, seed {}, reference {}, horizon {} | scenario projections from contested estimates, not predictions",
        p.scenario.name,
        thousands(p.run.paths as f64),
        p.run.seed,
        p.scenario.reference_date,
        p.scenario.horizon_date
    )
}

/// A value tick: `2.5M`, `800k`, `0.4`.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palette_colours_are_distinct() {
        for n in [1, 8, 10, 11, 40] {
            let p = palette(n);
            assert_eq!(p.len(), n);
            for (i, a) in p.iter().enumerate() {
                assert!(!p[..i].contains(a), "{n}: {a} repeats");
            }
        }
        assert_eq!(hsl(0.0, 1.0, 0.5), "#ff0000");
        assert_eq!(hsl(240.0, 1.0, 0.5), "#0000ff");
    }

    #[test]
    fn slugs_are_plain() {
        assert_eq!(slug("2M combined casualties"), "2m-combined-casualties");
        assert_eq!(slug("x\u{1b}[2J"), "x-2j");
    }
}
