//! `attrition sweep`: each point is exactly the scenario with its values set (the bytes of
//! `run --set` on the same paths), points share their random numbers, the grid comes
//! from `--grid` or the file's `[sweep]` table, and a bad grid is refused naming the
//! argument (or the file's line), with nothing run.

mod common;
use common::{attrition, scratch, stderr, stdout};
use serde_json::Value;
use std::fs;

fn json(args: &[&str]) -> Value {
    let o = attrition(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// A point's figures for threshold `t` are `run --set`'s for the same values, exactly:
/// quantile days, P(crossed by) and P(not crossed) with their standard errors.
#[test]
fn each_point_is_the_run_with_its_values_set() {
    let base = "scenarios/status-quo-recent.toml";
    let grid = [
        "--grid",
        "noise.sigma=0.05,0.25",
        "--grid",
        "sides.russia.rate_per_day=[900,1100],{ lo = 1000, hi = 1300 }",
    ];
    let mut args = vec!["sweep", base, "-n", "3000", "-f", "json", "-q"];
    args.extend(grid);
    let sweep = json(&args);
    assert_eq!(sweep["schema"], "attrition.sweep");
    let points = sweep["points"].as_array().unwrap();
    assert_eq!(points.len(), 4);
    // The last key varies fastest.
    assert_eq!(points[1]["values"][0], 0.05);
    assert_eq!(points[1]["values"][1], "{ lo = 1000, hi = 1300 }");
    assert_eq!(sweep["parameters"][0]["numeric"], true);
    assert_eq!(sweep["parameters"][1]["numeric"], false);
    for (p, sets) in [
        (
            0,
            ["noise.sigma=0.05", "sides.russia.rate_per_day=[900,1100]"],
        ),
        (
            3,
            [
                "noise.sigma=0.25",
                "sides.russia.rate_per_day={ lo = 1000, hi = 1300 }",
            ],
        ),
    ] {
        let run = json(&[
            "run", base, "-n", "3000", "-f", "json", "-q", "--set", sets[0], "--set", sets[1],
        ]);
        let thresholds = run["projections"][0]["thresholds"].as_array().unwrap();
        let row = &points[p]["thresholds"];
        assert_eq!(row.as_array().unwrap().len(), thresholds.len());
        for (t, want) in thresholds.iter().enumerate() {
            let got = &row[t];
            assert_eq!(got["name"], want["name"]);
            assert_eq!(got["crossing"], want["crossing"], "point {p}");
            assert_eq!(got["p_crossed_by"], want["p_crossed_by"], "point {p}");
            assert_eq!(got["p_not_crossed"], want["p_not_crossed"]);
            assert_eq!(got["p_not_crossed_se"], want["p_not_crossed_se"]);
            // The band the figures draw: the 5%, 50% and 95% quantiles.
            assert_eq!(got["band"][1], want["crossing"][2]);
        }
    }
}

/// Common random numbers: a key that moves only the killed threshold leaves every
/// point's casualty threshold the same to the byte (with independent draws it would
/// wobble by the Monte Carlo error).
#[test]
fn points_share_their_random_numbers() {
    let sweep = json(&[
        "sweep",
        "scenarios/status-quo.toml",
        "--grid",
        "thresholds[1].level=450_000,500_000,550_000",
        "-n",
        "2000",
        "-f",
        "json",
        "-q",
    ]);
    let points = sweep["points"].as_array().unwrap();
    let casualties: Vec<&Value> = points.iter().map(|p| &p["thresholds"][0]).collect();
    assert!(casualties.iter().all(|t| *t == casualties[0]));
    let killed: Vec<&Value> = points
        .iter()
        .map(|p| &p["thresholds"][1]["band"][1]["day"])
        .collect();
    assert!(
        killed[0].as_u64() < killed[1].as_u64() && killed[1].as_u64() < killed[2].as_u64(),
        "{killed:?}"
    );
}

#[test]
fn the_grid_can_come_from_the_file_and_other_commands_ignore_it() {
    let dir = scratch("table");
    let text = fs::read_to_string("scenarios/status-quo-recent.toml").unwrap()
        + "\n[sweep]\n\"noise.sigma\" = [0.05, 0.25]\n\"sides.russia.rate_per_day\" = [\n  [900, 1100],\n  { lo = 1000, hi = 1300 },\n]\n";
    let file = dir.join("swept.toml");
    fs::write(&file, text).unwrap();
    let f = file.to_str().unwrap();
    let from_file = json(&["sweep", f, "-n", "2000", "-f", "json", "-q"]);
    let given = json(&[
        "sweep",
        f,
        "-n",
        "2000",
        "-f",
        "json",
        "-q",
        "--grid",
        "noise.sigma=0.05,0.25",
        "--grid",
        "sides.russia.rate_per_day=[900, 1100],{ lo = 1000, hi = 1300 }",
    ]);
    assert_eq!(from_file["points"], given["points"]);
    // --grid replaces the table.
    let other = json(&[
        "sweep",
        f,
        "-n",
        "2000",
        "-f",
        "json",
        "-q",
        "--grid",
        "noise.sigma=0.1",
    ]);
    assert_eq!(other["points"].as_array().unwrap().len(), 1);
    // run and validate accept the file; run ignores the table.
    let o = attrition(&["validate", f]);
    assert!(o.status.success(), "{}", stderr(&o));
    let with = attrition(&["run", f, "-n", "2000", "-q"]);
    let without = attrition(&[
        "run",
        "scenarios/status-quo-recent.toml",
        "-n",
        "2000",
        "-q",
    ]);
    assert_eq!(
        stdout(&with),
        stdout(&without).replace("scenarios/status-quo-recent.toml", f)
    );
    fs::remove_dir_all(&dir).unwrap();
}

/// Runs `args`; checks exit 2, nothing on standard output, and every `says` in the error.
fn refused(args: &[&str], says: &[&str]) {
    let o = attrition(args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert!(o.stdout.is_empty(), "{args:?} printed a result");
    for s in says {
        assert!(err.contains(s), "{args:?}: want {s:?} in: {err}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn bad_grids_are_refused_naming_the_argument() {
    let f = "scenarios/status-quo-recent.toml";
    let sweep = |grid: &'static str| vec!["sweep", f, "-n", "100", "--grid", grid];
    refused(
        &sweep("nois.sigma=0.1,0.2"),
        &["--grid nois.sigma=0.1,0.2", "unknown key 'nois'"],
    );
    refused(
        &sweep("noise.sigma=0.1,-1"),
        &["--grid noise.sigma=0.1,-1: noise.sigma: value -1: sigma (-1) must be"],
    );
    // As JSON: the argument and the key as fields.
    let o = attrition(&[
        "sweep",
        f,
        "-n",
        "100",
        "--grid",
        "noise.sigma=0.1,-1",
        "--error-format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let m: Value = serde_json::from_str(stderr(&o).lines().next().unwrap()).unwrap();
    assert_eq!(m["argument"], "--grid noise.sigma=0.1,-1");
    assert_eq!(m["key"], "noise.sigma");
    assert_eq!(m["file"], f);
    refused(
        &sweep("noise.sigma=0.1,,0.2"),
        &["--grid noise.sigma=0.1,,0.2", "value 2 is empty"],
    );
    refused(
        &sweep("sides.russia.rate_per_day=[900,1200"),
        &["--grid sides.russia.rate_per_day=[900,1200", "not closed"],
    );
    refused(
        &sweep("noise.sigma=0.1,nope"),
        &["--grid noise.sigma=0.1,nope", "not a TOML value"],
    );
    refused(
        &sweep("scenario.seed=1,2"),
        &["--grid scenario.seed=1,2", "cannot be swept"],
    );
    refused(&sweep("noise.sigma"), &["--grid noise.sigma", "KEY=V1"]);
    refused(
        &sweep("scenario.report_dates=[2026-03-31],[2026-06-30]"),
        &["point 1", "reports on other dates"],
    );
    let mut both = sweep("noise.sigma=0.1,0.2");
    both.extend(["--set", "noise.sigma=0.3"]);
    refused(&both, &["noise.sigma is swept and also given by --set"]);
    refused(&["sweep", f, "-n", "100"], &["no [sweep] table", "--grid"]);
    refused(
        &[
            "sweep",
            f,
            "-n",
            "100",
            "--grid",
            "noise.sigma=0.1",
            "-f",
            "parquet",
        ],
        &["--out"],
    );
}

#[test]
fn a_bad_sweep_table_is_refused_at_its_line() {
    let dir = scratch("bad-table");
    let base = fs::read_to_string("scenarios/status-quo-recent.toml").unwrap();
    let lines = base.lines().count();
    for (table, line, says) in [
        (
            "[sweep]\n\"noise.sigma\" = [0.1, -1]\n",
            lines + 3,
            "noise.sigma: as the [sweep] value -1",
        ),
        (
            "[sweep]\n\"noise.sigma\" = 0.1\n",
            lines + 3,
            "sweep.\"noise.sigma\": expected an array",
        ),
        ("[sweep]\n\"noise.sigma\" = []\n", lines + 3, "no values"),
        (
            "[sweep]\n\"scenario.paths\" = [1, 2]\n",
            lines + 3,
            "cannot be swept",
        ),
        (
            "[sweep]\n\"noise..sigma\" = [1, 2]\n",
            lines + 3,
            "not a key path",
        ),
    ] {
        let file = dir.join("bad.toml");
        fs::write(&file, format!("{base}\n{table}")).unwrap();
        let f = file.to_str().unwrap();
        refused(&["sweep", f, "-n", "100"], &[&format!("{f}:{line}:"), says]);
        if !says.starts_with("noise.sigma: as") {
            // The table's own shape is checked by every command.
            let o = attrition(&["validate", f]);
            assert_eq!(o.status.code(), Some(2), "{table}");
            assert!(stderr(&o).contains(says), "{}", stderr(&o));
        }
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn every_format_has_a_row_per_point_and_threshold() {
    let args = [
        "sweep",
        "scenarios/ceasefire-2026.toml",
        "--grid",
        "phases[0].start=2026-05-01,2026-09-01",
        "--by",
        "2026-08-31",
        "--quantiles",
        "0.1,0.5",
        "-n",
        "1500",
        "-q",
    ];
    let mut csv_args = args.to_vec();
    csv_args.extend(["-f", "csv"]);
    let o = attrition(&csv_args);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "point,phases[0].start,threshold,p10_ci_low,p10,p10_ci_high,p50_ci_low,p50,p50_ci_high,p_crossed_by_2026-03-31,p_crossed_by_2026-03-31_se,p_crossed_by_2026-06-30,p_crossed_by_2026-06-30_se,p_crossed_by_2026-08-31,p_crossed_by_2026-08-31_se,p_crossed_by_2026-12-31,p_crossed_by_2026-12-31_se,p_crossed_by_2027-12-31,p_crossed_by_2027-12-31_se,p_not_crossed,p_not_crossed_se"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 4, "{text}");
    assert!(rows[0].starts_with("0,2026-05-01,2M combined casualties,"));
    assert!(rows[3].starts_with("1,2026-09-01,500k combined killed,"));
    // A ceasefire from May: the median is not crossed (an empty cell).
    assert!(rows[0].split(',').nth(7) == Some(""), "{}", rows[0]);
    let o = attrition(&args);
    let table = stdout(&o);
    assert!(
        table.contains("swept: phases[0].start (2 values)"),
        "{table}"
    );
    assert!(
        table.contains("by 2026-08-31") && table.contains("not crossed"),
        "{table}"
    );
}
