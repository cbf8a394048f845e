//! Figures a reader can trust at a glance, checked on the SVG that `run --plot` writes:
//! every text inside the canvas and clear of every other text (boxes estimated by the
//! same `text_box` the renderer places them with), every data series in its own colour,
//! and overlay titles that count the scenarios drawn. Over every shipped scenario with
//! the 10-scenario overlays, a 100-year horizon, and titles and names too long to fit.

mod common;
use attrition::report::svg::text::{text_box, Anchor, Rect};
use common::{attrition, scratch};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// An attribute of `n` or of its nearest ancestor that has it (SVG inherits these).
fn inherited<'a>(n: roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
    n.ancestors().find_map(|a| a.attribute(name))
}

/// The box of one `<text>`, or why it cannot be measured.
fn text_rect(n: roxmltree::Node) -> Result<(Rect, String), String> {
    if n.children().any(|c| c.is_element()) {
        return Err("has child elements (tspan)".into());
    }
    let text = n.text().unwrap_or("").to_string();
    let num = |name: &str| -> Result<f64, String> {
        inherited(n, name)
            .ok_or(format!("{text:?}: no {name}"))?
            .trim_end_matches("px")
            .parse::<f64>()
            .map_err(|e| format!("{text:?}: {name}: {e}"))
    };
    let (x, y, size) = (num("x")?, num("y")?, num("font-size")?);
    let anchor = Anchor::parse(inherited(n, "text-anchor").unwrap_or("start"))
        .ok_or(format!("{text:?}: unknown text-anchor"))?;
    let bold = inherited(n, "font-weight") == Some("bold");
    let b = text_box(x, y, size, bold, anchor, &text);
    match n.attribute("transform") {
        None => Ok((b, text)),
        // The only turn the figures use: about the text's own anchor point.
        Some(t) if t == format!("rotate(-90 {x} {y})") => Ok((b.rotated_left(x, y), text)),
        Some(t) => Err(format!("{text:?}: transform {t:?} not understood")),
    }
}

/// Every problem with one figure, as sentences.
fn problems(name: &str, svg: &str) -> Vec<String> {
    let doc = match roxmltree::Document::parse(svg) {
        Ok(d) => d,
        Err(e) => return vec![format!("{name}: not XML: {e}")],
    };
    let root = doc.root_element();
    let dim = |a: &str| root.attribute(a).and_then(|v| v.parse::<f64>().ok());
    let (Some(w), Some(h)) = (dim("width"), dim("height")) else {
        return vec![format!("{name}: no numeric width and height")];
    };
    let canvas = Rect {
        x0: 0.0,
        y0: 0.0,
        x1: w,
        y1: h,
    };
    let mut out = Vec::new();
    let mut boxes: Vec<(Rect, String)> = Vec::new();
    for n in doc.descendants().filter(|n| n.has_tag_name("text")) {
        match text_rect(n) {
            Ok((b, t)) => {
                if !b.inside(&canvas) {
                    out.push(format!("{name}: {t:?} leaves the {w}x{h} canvas: {b:?}"));
                }
                boxes.push((b, t));
            }
            Err(e) => out.push(format!("{name}: {e}")),
        }
    }
    for (i, (a, ta)) in boxes.iter().enumerate() {
        for (b, tb) in &boxes[i + 1..] {
            if a.overlaps(b) {
                out.push(format!("{name}: {ta:?} overlaps {tb:?}"));
            }
        }
    }
    // Series: each named one drawn in its own colour (with its opacity).
    let mut colour: BTreeMap<String, String> = BTreeMap::new();
    for n in doc.descendants().filter(|n| n.is_element()) {
        let Some(series) = n.attribute("data-series").or(n.attribute("data-scenario")) else {
            continue;
        };
        let paint = n
            .attribute("stroke")
            .filter(|s| *s != "none")
            .or(n.attribute("fill"))
            .unwrap_or("?");
        let opacity = n
            .attribute("fill-opacity")
            .or(n.attribute("stroke-opacity"))
            .unwrap_or("1");
        colour.insert(series.to_string(), format!("{paint}@{opacity}"));
    }
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (series, c) in &colour {
        if let Some(other) = seen.insert(c, series) {
            out.push(format!(
                "{name}: {series:?} and {other:?} share the colour {c}"
            ));
        }
    }
    if name.starts_with("overlay") {
        let legend = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("legend"))
            .count();
        if legend != colour.len() {
            out.push(format!(
                "{name}: {} series, {legend} legend entries",
                colour.len()
            ));
        }
        // The title counts what is drawn: "... crossed? 5 of 8 scenarios ...".
        let title = doc
            .descendants()
            .find(|n| n.attribute("class") == Some("title"))
            .and_then(|n| n.text())
            .unwrap_or("");
        let drawn = title
            .rsplit("crossed? ")
            .next()
            .and_then(|s| s.split(' ').next())
            .and_then(|s| s.parse::<usize>().ok());
        if drawn != Some(colour.len()) {
            out.push(format!(
                "{name}: title {title:?} but {} series drawn",
                colour.len()
            ));
        }
    }
    out
}

/// Problems of every figure in `dir`.
fn check_dir(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".svg"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no figures in {}", dir.display());
    names
        .iter()
        .flat_map(|n| problems(n, &fs::read_to_string(dir.join(n)).unwrap()))
        .collect()
}

fn plot(files: &[&str], dir: &Path) {
    let mut args = vec!["run"];
    args.extend_from_slice(files);
    args.extend_from_slice(&["-n", "3000", "-q", "--plot", dir.to_str().unwrap()]);
    let o = attrition(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// A copy of a shipped scenario with some lines replaced.
fn variant(dir: &Path, from: &str, to: &str, edits: &[(&str, &str)]) -> String {
    let mut text = fs::read_to_string(format!("scenarios/{from}")).unwrap();
    for (a, b) in edits {
        assert!(text.contains(a), "{from}: no {a:?}");
        text = text.replacen(a, b, 1);
    }
    let path = dir.join(to);
    fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn every_shipped_scenario_and_their_overlays_lay_out_cleanly() {
    let dir = scratch("shipped");
    let mut files: Vec<String> = fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| p.to_str().unwrap().to_string())
        .collect();
    files.sort();
    assert_eq!(files.len(), 10, "{files:?}");
    let figs = dir.join("figs");
    plot(&files.iter().map(String::as_str).collect::<Vec<_>>(), &figs);
    let found = check_dir(&figs);
    assert!(
        found.is_empty(),
        "{} problems:\n{}",
        found.len(),
        found.join("\n")
    );
    // The 500k killed threshold is in 5 of the 10 scenarios (the two 2026 scenarios ask
    // about 600k instead), and the overlay says so.
    let killed =
        fs::read_to_string(figs.join("overlay-crossing-2-500k-combined-killed.svg")).unwrap();
    assert!(killed.contains("5 of 10 scenarios (5 lack this threshold)"));
    let killed =
        fs::read_to_string(figs.join("overlay-crossing-5-600k-combined-killed.svg")).unwrap();
    assert!(killed.contains("2 of 10 scenarios (8 lack this threshold)"));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_century_long_horizon_and_overlong_names_lay_out_cleanly() {
    let dir = scratch("century");
    let century = [("horizon = 2028-12-31", "horizon_days = 36525")];
    let quo = variant(&dir, "status-quo.toml", "quo.toml", &century);
    let cease = variant(&dir, "ceasefire-2026.toml", "cease.toml", &century);
    let long_title = format!(
        "title = \"{}\"",
        // The longest the loader allows (200 characters).
        &"A very long title about attrition ".repeat(6)[..200]
    );
    // The longest name the loader allows, one word: no place to wrap.
    let long_word = format!("name = \"{}\"", "x".repeat(100));
    let long = variant(
        &dir,
        "peace-talks.toml",
        "long.toml",
        &[
            (
                "title = \"Peace talks: an uncertain ceasefire that may collapse\"",
                &long_title,
            ),
            ("name = \"peace-talks\"", &long_word),
        ],
    );
    let figs = dir.join("figs");
    plot(&[&quo, &cease, &long], &figs);
    let found = check_dir(&figs);
    assert!(
        found.is_empty(),
        "{} problems:\n{}",
        found.len(),
        found.join("\n")
    );
    // The crossings are in the first years: the axis ends there and says so, with
    // ticks on years rather than squashed months.
    let c =
        fs::read_to_string(figs.join("status-quo-crossing-1-2m-combined-casualties.svg")).unwrap();
    assert!(c.contains("the run goes on to 2126-01-01"), "{c}");
    assert!(!c.contains(">2100<"), "the axis reaches 2100");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn sensitivity_figures_lay_out_cleanly() {
    // The tornado and the indices of scenarios with events, regimes and correlations,
    // forces and phases, and one with the longest title and name the loader allows.
    let dir = scratch("sensitivity");
    let long = variant(
        &dir,
        "peace-talks.toml",
        "long.toml",
        &[
            (
                "title = \"Peace talks: an uncertain ceasefire that may collapse\"",
                &format!(
                    "title = \"{}\"",
                    &"A very long title about attrition ".repeat(6)[..200]
                ),
            ),
            (
                "name = \"peace-talks\"",
                &format!("name = \"{}\"", "x".repeat(100)),
            ),
        ],
    );
    let figs = dir.join("figs");
    let files = [
        "scenarios/status-quo.toml",
        "scenarios/grind-and-offensives.toml",
        "scenarios/force-dependent.toml",
        "scenarios/escalation-2026.toml",
        long.as_str(),
    ];
    for f in files {
        let args = [
            "sensitivity",
            f,
            "-n",
            "300",
            "-q",
            "--plot",
            figs.to_str().unwrap(),
        ];
        let o = attrition(&args);
        assert!(
            o.status.success(),
            "{f}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let names: Vec<String> = fs::read_dir(&figs)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(names
        .iter()
        .any(|n| n == "status-quo-tornado-2-500k-combined-killed.svg"));
    assert!(names
        .iter()
        .any(|n| n == "grind-and-offensives-indices-1-2m-combined-casualties.svg"));
    let found = check_dir(&figs);
    assert!(
        found.is_empty(),
        "{} problems:\n{}",
        found.len(),
        found.join("\n")
    );
    fs::remove_dir_all(&dir).unwrap();
}

fn sweep_plot(file: &str, grid: &[&str], dir: &Path) {
    let mut args = vec![
        "sweep",
        file,
        "-n",
        "1200",
        "-q",
        "--plot",
        dir.to_str().unwrap(),
    ];
    for g in grid {
        args.extend(["--grid", g]);
    }
    let o = attrition(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn sweep_figures_lay_out_cleanly() {
    let dir = scratch("sweep");
    // One key of numbers; dates and ranges (labels turned up the page) with several
    // series; more series than get intervals and a legend (9 > 8); medians not crossed.
    sweep_plot(
        "scenarios/status-quo.toml",
        &["noise.sigma=0.05,0.1,0.2,0.4"],
        &dir.join("one"),
    );
    sweep_plot(
        "scenarios/ceasefire-2026.toml",
        &[
            "phases[0].start=2026-03-01,2026-05-01,2026-07-01,2026-09-01,2026-11-01",
            "sides.russia.rate_per_day=[900, 1100],{ lo = 1000, hi = 1300, shape = \"uniform\" },{ lo = 1100, hi = 1500, shape = \"uniform\" }",
        ],
        &dir.join("two"),
    );
    sweep_plot(
        "scenarios/status-quo-recent.toml",
        &[
            "noise.sigma=0.05,0.3",
            "thresholds[0].level=1.9e6,2e6,2.1e6",
            "sides.ukraine.rate_per_day=[350, 450],[400, 500],[450, 600]",
        ],
        &dir.join("many"),
    );
    let mut found = Vec::new();
    for sub in ["one", "two", "many"] {
        found.extend(check_dir(&dir.join(sub)));
    }
    assert!(
        found.is_empty(),
        "{} problems:\n{}",
        found.len(),
        found.join("\n")
    );
    let many =
        fs::read_to_string(dir.join("many/sweep-1-2m-combined-casualties-by-noise-sigma.svg"))
            .unwrap();
    assert!(
        many.contains("9 settings of the other swept keys"),
        "{many}"
    );
    assert!(
        !many.contains("class=\"band\""),
        "no intervals past 8 series"
    );
    let two =
        fs::read_to_string(dir.join("two/sweep-1-2m-combined-casualties-by-phases-0-start.svg"))
            .unwrap();
    assert_eq!(
        two.matches("class=\"legend\"").count(),
        3,
        "a legend entry per series"
    );
    assert!(
        two.contains("not-crossed"),
        "a median not crossed by the horizon"
    );
    fs::remove_dir_all(&dir).unwrap();
}
