//! `attrition sensitivity` through the binary: the tornado's ends are the runs `--set`
//! gives, bad arguments are refused before anything is written, the bytes do not depend
//! on the thread count, and every format says the same.

mod common;
use common::{attrition, scratch, stderr, stdout};
use serde_json::Value;
use std::fs;

fn json(args: &[&str]) -> Value {
    let o = attrition(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The threshold `name` of a `run --format json` result.
fn threshold<'a>(run: &'a Value, name: &str) -> &'a Value {
    run["projections"][0]["thresholds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap()
}

/// Checks every bar of every tornado of `file` against `run --set` with the same
/// paths, seed, `--by` and quantiles (`extra`, given to both; `own` to `sensitivity`
/// alone).
fn tornado_ends_are_the_set_runs(
    file: &str,
    paths: &str,
    extra: &[&str],
    own: &[&str],
    want_bars: usize,
) {
    let mut args = vec!["sensitivity", file, "-n", paths, "-f", "json", "-q"];
    args.extend_from_slice(extra);
    args.extend_from_slice(own);
    let s = json(&args);
    let mut checked = 0;
    for t in s["tornado"].as_array().unwrap() {
        let name = t["threshold"].as_str().unwrap();
        let mut run_args = vec!["run", file, "-n", paths, "-f", "json", "-q"];
        run_args.extend_from_slice(extra);
        let plain = json(&run_args);
        let base = threshold(&plain, name);
        assert_eq!(t["baseline"]["crossing"], base["crossing"], "{file} {name}");
        assert_eq!(t["baseline"]["p_crossed_by"], base["p_crossed_by"]);
        for bar in t["bars"].as_array().unwrap() {
            for end in [&bar["low"], &bar["high"]] {
                let Some(set) = end["set"].as_str() else {
                    continue;
                };
                let mut a = run_args.clone();
                a.extend_from_slice(&["--set", set]);
                let held = json(&a);
                let r = threshold(&held, name);
                assert_eq!(end["crossing"], r["crossing"], "{file} {name} --set {set}");
                assert_eq!(end["p_crossed_by"], r["p_crossed_by"], "--set {set}");
                assert_eq!(end["p_not_crossed"], r["p_not_crossed"], "--set {set}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, want_bars * 2, "{file}");
}

#[test]
fn the_tornado_ends_are_the_runs_that_set_the_input() {
    // Ranges of the sides (status-quo, with a --by date and two quantiles), and an
    // event's probability, whether it happens, its first day and a multiplier
    // (peace-talks: the duration comes from a hazard, which --set cannot say).
    let q = ["--by", "2026-09-30", "--quantiles", "0.25,0.5"];
    tornado_ends_are_the_set_runs("scenarios/status-quo.toml", "1200", &q, &[], 2 * 6);
    let one = ["--threshold", "2M combined casualties"];
    let median = ["--quantiles", "0.5"];
    tornado_ends_are_the_set_runs("scenarios/peace-talks.toml", "600", &median, &one, 8 + 4);
}

/// Runs `sensitivity` with `args` and `--out` and `--plot` targets in a scratch folder;
/// checks exit 2, that stderr names `named`, and that nothing was written.
fn refused(tag: &str, args: &[&str], named: &str) {
    let dir = scratch(tag);
    let out = dir.join("out.json");
    let figs = dir.join("figs");
    let mut a = vec!["sensitivity"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["-n", "100", "-o", out.to_str().unwrap()]);
    a.extend_from_slice(&["--plot", figs.to_str().unwrap()]);
    let o = attrition(&a);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    assert!(stderr(&o).contains(named), "{args:?}: {}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    assert!(!out.exists() && !figs.exists(), "{args:?} wrote something");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_arguments_are_refused_naming_them_and_nothing_is_written() {
    let sq = "scenarios/status-quo.toml";
    refused(
        "key",
        &[sq, "--set", "sides.nosuch.casualties=5"],
        "--set sides.nosuch.casualties=5",
    );
    refused("value", &[sq, "--set", "noise.sigma=[1,"], "--set");
    refused(
        "range",
        &[sq, "--set", "noise.sigma=-1"],
        "--set noise.sigma=-1",
    );
    refused("threshold", &[sq, "--threshold", "3M"], "--threshold '3M'");
    refused("group", &[sq, "--group", "sideways"], "--group");
    refused(
        "weighted",
        &["scenarios/status-quo-updated.toml"],
        "observations",
    );
    refused(
        "observe",
        &[sq, "--observe", "data/reports_2026.csv"],
        "--observe",
    );
    // One side: no side groups to compare; one mechanism: none either.
    let dir = scratch("one-side");
    let one = dir.join("one.toml");
    fs::write(
        &one,
        "[scenario]\nname = \"one\"\nreference_date = 2025-12-31\nhorizon_days = 400\n\n[noise]\nmodel = \"none\"\n\n[sides.a]\ncasualties = [900, 1100]\nrate_per_day = 10\n\n[[thresholds]]\nname = \"t\"\nlevel = 3000\n",
    )
    .unwrap();
    let one = one.to_str().unwrap();
    refused("side", &[one, "--group", "side"], "--group side");
    refused(
        "mechanism",
        &[one, "--group", "mechanism"],
        "--group mechanism",
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_same_bytes_on_one_thread_and_two_in_every_format() {
    let base = [
        "sensitivity",
        "scenarios/grind-and-offensives.toml",
        "-n",
        "2100",
        "-q",
    ];
    for format in ["json", "csv", "table"] {
        let run = |threads: &str| {
            let mut a = base.to_vec();
            a.extend_from_slice(&["-f", format, "-j", threads]);
            let o = attrition(&a);
            assert!(o.status.success(), "{}", stderr(&o));
            o.stdout
        };
        assert_eq!(run("1"), run("2"), "{format}");
    }
}

#[test]
fn the_formats_agree_and_name_what_they_hold() {
    let args = [
        "sensitivity",
        "scenarios/status-quo.toml",
        "-n",
        "800",
        "-q",
        "--group",
        "side",
    ];
    let j = json(&[&args[..], &["-f", "json"]].concat());
    assert_eq!(j["schema"], "attrition.sensitivity");
    assert_eq!(j["run"]["base_paths"], 800);
    assert_eq!(j["run"]["paths_simulated"], 800 * 5);
    let groups: Vec<&str> = j["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["side russia", "side ukraine", "noise"]);
    let first = &j["outputs"][0]["indices"][0];
    let csv = stdout(&attrition(&[&args[..], &["-f", "csv"]].concat()));
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("section,output,kind,threshold,side,date,group,statistic,value,lo,hi,set")
    );
    let row = format!(
        "sobol,crossing day: 2M combined casualties,crossing_day,2M combined casualties,,,side russia,first,{},{},{},",
        first["first"], first["first_lo"], first["first_hi"]
    );
    assert!(csv.lines().any(|l| l == row), "{row}\n{csv}");
    assert!(csv.lines().any(|l| l.starts_with(
        "tornado,value,held,2M combined casualties,,,sides.russia.casualties,held at p5,"
    )));
    let table = stdout(&attrition(&[&args[..], &["-f", "table"]].concat()));
    assert!(
        table.contains("crossing day: 2M combined casualties (mean"),
        "{table}"
    );
    assert!(table.contains("tornado: 2M combined casualties"), "{table}");
    assert!(table.contains("side russia"), "{table}");
}
