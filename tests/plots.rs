//! SVG figures: `run --plot` writes them, each parses as XML and holds the expected
//! series, and `plot` redraws the same bytes from the result saved beside them.

mod common;
use common::{attrition, scratch};
use std::fs;
use std::path::Path;

fn count(doc: &roxmltree::Document, tag: &str, class: &str) -> usize {
    doc.descendants()
        .filter(|n| {
            n.has_tag_name(tag)
                && n.attribute("class")
                    .is_some_and(|c| c.split(' ').any(|x| x == class))
        })
        .count()
}

fn read(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn figures_parse_and_hold_their_series_and_plot_redraws_them() {
    let dir = scratch("run");
    let figs = dir.join("figs");
    let json = dir.join("r.json");
    let o = attrition(&[
        "run",
        "scenarios/status-quo.toml",
        "scenarios/ceasefire-2026.toml",
        "-n",
        "3000",
        "-q",
        "--plot",
        figs.to_str().unwrap(),
        "-f",
        "json",
        "-o",
        json.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut names: Vec<String> = fs::read_dir(&figs)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "figures.json")
        .collect();
    names.sort();
    assert!(
        figs.join("figures.json").is_file(),
        "the figures' data is saved beside them"
    );
    // Per scenario: 3 fan charts (russia, ukraine, combined) and 2 crossing charts; 2 overlays.
    assert_eq!(names.len(), 2 * 5 + 2, "{names:?}");
    for name in &names {
        let text = read(&figs, name);
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(count(&doc, "text", "title"), 1, "{name}");
        assert!(
            count(&doc, "text", "ylabel") == 1 && count(&doc, "text", "xlabel") == 1,
            "{name}"
        );
        assert!(count(&doc, "g", "legend") >= 2, "{name}");
        assert!(count(&doc, "text", "note") >= 1, "{name}");
        if name.contains("-fan-") {
            assert_eq!(count(&doc, "path", "median"), 1, "{name}");
            assert_eq!(count(&doc, "path", "band-50"), 1, "{name}");
            assert_eq!(count(&doc, "path", "band-90"), 1, "{name}");
            assert_eq!(
                count(&doc, "line", "report-date"),
                4,
                "{name}: four report dates"
            );
            // The weekly grid: one point per week over three years, and then some.
            let d = doc
                .descendants()
                .find(|n| n.attribute("class") == Some("median"))
                .unwrap()
                .attribute("d")
                .unwrap();
            assert!(
                d.matches('L').count() >= 150,
                "{name}: {} points",
                d.matches('L').count()
            );
        }
        if name.contains("-fan-combined") {
            assert_eq!(
                count(&doc, "line", "threshold"),
                1,
                "{name}: the 2M line on the combined fan"
            );
        }
        if name.contains("-crossing-") && !name.starts_with("overlay") {
            assert!(count(&doc, "rect", "histogram") > 10, "{name}");
            assert_eq!(count(&doc, "path", "cdf"), 1, "{name}");
            assert!(count(&doc, "g", "quantile") >= 1, "{name}");
        }
        if name.starts_with("overlay") {
            assert_eq!(count(&doc, "path", "scenario"), 2, "{name}");
        }
    }
    // The ceasefire's crossing chart says how often 2M is never reached.
    let cease = read(
        &figs,
        "ceasefire-2026-crossing-1-2m-combined-casualties.svg",
    );
    assert!(cease.contains("not crossed by 2028-12-31"));
    // `plot` redraws the same bytes from the result saved beside the figures.
    let again = dir.join("again");
    let saved = figs.join("figures.json");
    let o = attrition(&[
        "plot",
        saved.to_str().unwrap(),
        "--out",
        again.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for name in &names {
        assert_eq!(
            read(&figs, name),
            read(&again, name),
            "{name} differs when redrawn"
        );
    }
    // From the data output (which holds no fan), the same crossing charts and overlays;
    // its fan charts have the report dates only.
    let plain = dir.join("plain");
    let o = attrition(&[
        "plot",
        json.to_str().unwrap(),
        "--out",
        plain.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for name in &names {
        if name.contains("-fan-") {
            assert!(read(&plain, name).contains("class=\"median\""), "{name}");
        } else {
            assert_eq!(read(&figs, name), read(&plain, name), "{name}");
        }
    }
    // A file that is not a result is refused clearly.
    let o = attrition(&[
        "plot",
        "scenarios/status-quo.toml",
        "--out",
        again.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a JSON result"));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn plot_redraws_a_version_1_result_as_it_draws_the_current_one() {
    // Version 1 held run.noise as its sentence only; a result saved then still plots.
    let dir = scratch("v1");
    let json = dir.join("r.json");
    let o = attrition(&[
        "run",
        "scenarios/status-quo.toml",
        "scenarios/status-quo-calibrated.toml",
        "-n",
        "2000",
        "-q",
        "-f",
        "json",
        "-o",
        json.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut doc: serde_json::Value = serde_json::from_slice(&fs::read(&json).unwrap()).unwrap();
    assert_eq!(doc["schema_version"], 3);
    doc["schema_version"] = 1.into();
    for p in doc["projections"].as_array_mut().unwrap() {
        let sentence = p["run"]["noise"]["description"].clone();
        assert!(sentence.is_string());
        p["run"]["noise"] = sentence;
        // Nor had it version 3's method and intervals.
        p["run"].as_object_mut().unwrap().remove("method");
        for t in p["thresholds"].as_array_mut().unwrap() {
            for q in t["crossing"].as_array_mut().unwrap() {
                for k in ["ci_low_day", "ci_low_date", "ci_high_day", "ci_high_date"] {
                    q.as_object_mut().unwrap().remove(k);
                }
            }
            for c in t["p_crossed_by"].as_array_mut().unwrap() {
                c.as_object_mut().unwrap().remove("method");
                c.as_object_mut().unwrap().remove("conditioned_on");
            }
        }
    }
    let v1 = dir.join("v1.json");
    fs::write(&v1, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    let (now, then) = (dir.join("now"), dir.join("then"));
    for (result, out) in [(&json, &now), (&v1, &then)] {
        let o = attrition(&[
            "plot",
            result.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let mut names: Vec<String> = fs::read_dir(&now)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert!(names.len() >= 10, "{names:?}");
    for name in &names {
        assert_eq!(read(&now, name), read(&then, name), "{name}");
    }
    // A version this build does not know is refused, naming the versions it reads.
    doc["schema_version"] = 99.into();
    fs::write(&v1, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    let o = attrition(&[
        "plot",
        v1.to_str().unwrap(),
        "--out",
        then.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("version 1 to 3"));
    fs::remove_dir_all(&dir).unwrap();
}
