//! End to end: `attrition fit` and `attrition backtest` on the shipped data and on broken
//! series.

mod common;
use common::{attrition, scratch, stderr, stdout};
use std::fs;

/// The cumulative level on `date` in the shipped series, read from the file by hand.
fn level(date: &str) -> f64 {
    fs::read_to_string(SERIES)
        .unwrap()
        .lines()
        .find(|l| l.starts_with(date))
        .unwrap()
        .split(',')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap()
}

const SERIES: &str = "data/ua_gs_russian_personnel.csv";
const CORRECTIONS: &str = "data/ua_gs_russian_losses_corrections.csv";

#[test]
fn fit_prints_a_fragment_that_validates_in_a_scenario() {
    let o = attrition(&[
        "fit",
        SERIES,
        "--corrections",
        CORRECTIONS,
        "--window",
        "2025-07-01..2025-12-31",
        "--drift-horizon",
        "180",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let fragment = stdout(&o);
    assert!(fragment.contains("# Fitted by: attrition fit data/ua_gs_russian_personnel.csv"));
    assert!(fragment.contains("Window: 2025-07-01..2025-12-31 (184 days)"));
    assert!(fragment.contains("corrections removed: 1810 in total"));
    // The fragment's own sections, pasted under a scenario header with the other side.
    let scenario = format!(
        "[scenario]\nname = \"pasted\"\nreference_date = 2025-12-31\nhorizon = 2027-12-31\n\n\
{fragment}casualties = 1_200_000\n\n[[thresholds]]\nname = \"x\"\nlevel = 2_000_000\n"
    );
    // `casualties` must land in [sides.russia]: move it there.
    let scenario = scenario.replace(
        "[sides.russia]\n",
        "[sides.russia]\ncasualties = 1_200_000\n",
    );
    let scenario = scenario.replace(
        "casualties = 1_200_000\n\n[[thresholds]]",
        "\n[[thresholds]]",
    );
    let dir = scratch("fit");
    let file = dir.join("pasted.toml");
    fs::write(&file, &scenario).unwrap();
    let v = attrition(&["validate", file.to_str().unwrap()]);
    assert!(v.status.success(), "{}\n{scenario}", stderr(&v));
    // The mean over the window is what the cleaned series says: recomputed here from the
    // file by hand (corrections: none fall in this window).
    let mean = (level("2025-12-31") - level("2025-06-30")) / 184.0;
    assert!(
        fragment.contains(&format!("Mean {}/day", mean.round())),
        "mean {mean}: {fragment}"
    );
    // JSON for notebooks carries the same numbers.
    let o = attrition(&["fit", SERIES, "--last", "90", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema"], "attrition.fit");
    assert_eq!(v["fit"]["days"], 90);
    assert!(v["fit"]["mean_lo"].as_f64().unwrap() < v["fit"]["mean"].as_f64().unwrap());
}

#[test]
fn fit_is_reproducible_and_writes_out_atomically() {
    let args = ["fit", SERIES, "--last", "120", "--seed", "5"];
    let a = attrition(&args);
    let b = attrition(&args);
    assert_eq!(a.stdout, b.stdout);
    let dir = scratch("out");
    let out = dir.join("f.toml");
    let o = attrition(&[&args[..], &["--out", out.to_str().unwrap()]].concat());
    assert!(o.status.success());
    // The same fragment but for the quoted command line (which now names --out).
    let written = fs::read_to_string(&out).unwrap();
    let body = |t: &str| t.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&written), body(&stdout(&a)));
    assert!(written.lines().next().unwrap().ends_with("f.toml"));
}

#[test]
fn quoted_crlf_and_bom_series_fit_as_the_plain_ones() {
    // The shipped files rewritten as a spreadsheet might save them: a UTF-8 byte-order
    // mark, every cell quoted (the header too), CRLF line ends.
    let quote = |path: &str| {
        let lines: Vec<String> = fs::read_to_string(path)
            .unwrap()
            .lines()
            .map(|l| {
                let cells: Vec<String> = l.split(',').map(|c| format!("\"{c}\"")).collect();
                cells.join(",")
            })
            .collect();
        format!("\u{feff}{}\r\n", lines.join("\r\n"))
    };
    let dir = scratch("quoted");
    let series = dir.join("series.csv");
    let corrections = dir.join("corrections.csv");
    fs::write(&series, quote(SERIES)).unwrap();
    fs::write(&corrections, quote(CORRECTIONS)).unwrap();
    let fit = |s: &str, c: &str| {
        let o = attrition(&["fit", s, "--corrections", c, "--last", "90", "-f", "json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o).replace(s, "SERIES").replace(c, "CORRECTIONS")
    };
    assert_eq!(
        fit(series.to_str().unwrap(), corrections.to_str().unwrap()),
        fit(SERIES, CORRECTIONS)
    );
}

#[test]
fn bad_series_exit_2_naming_the_row() {
    let dir = scratch("bad");
    let cases = [
        ("empty.csv", "", "empty.csv: the file is empty"),
        (
            "unsorted.csv",
            "date,x_cumulative\n2024-01-02,1\n2024-01-01,2\n",
            "unsorted.csv:3: date 2024-01-01 comes after",
        ),
        (
            "repeat.csv",
            "date,x_cumulative\n2024-01-01,1\n2024-01-01,2\n",
            "repeat.csv:3: date 2024-01-01 is repeated",
        ),
        (
            "down.csv",
            "date,x_cumulative\n2024-01-01,5\n2024-01-02,4\n",
            "down.csv:3: `x_cumulative` falls from 5 to 4",
        ),
        (
            "gap.csv",
            "date,x_cumulative\n2024-01-01,1\n2024-01-03,2\n",
            "gap.csv:3: date 2024-01-03 follows 2024-01-01: 1 days are missing",
        ),
        (
            "nan.csv",
            "date,x_cumulative\n2024-01-01,1\n2024-01-02,n/a\n",
            "nan.csv:3: `x_cumulative` is 'n/a', not a number",
        ),
        (
            "huge.csv",
            "date,x_daily\n2024-01-01,1\n2024-01-02,1e307\n",
            "huge.csv:3: `x_daily` is 1e307, above 1e15",
        ),
    ];
    for (name, text, want) in cases {
        let f = dir.join(name);
        fs::write(&f, text).unwrap();
        let o = attrition(&["fit", f.to_str().unwrap(), "--last", "30"]);
        assert_eq!(o.status.code(), Some(2), "{name}");
        assert!(o.stdout.is_empty());
        let e = stderr(&o);
        assert!(e.contains(want), "{name}: {e}");
        assert!(!e.contains("panicked"), "{e}");
    }
    // A window outside the data, and a missing file, are bad input too.
    let o = attrition(&["fit", SERIES, "--window", "2021-01-01..2021-03-01"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is not inside the series"),
        "{}",
        stderr(&o)
    );
    // Options at their limits are refused, not wrapped (a review found these panics and
    // an endless loop).
    let o = attrition(&["fit", SERIES, "--last", "4294967295"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not in 1..=36525"), "{}", stderr(&o));
    let o = attrition(&[
        "fit",
        SERIES,
        "--window",
        "2025-10-03..2025-12-31",
        "--drift-horizon",
        "340",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot widen for a 340-day drift"),
        "{}",
        stderr(&o)
    );
    let o = attrition(&["fit", "no/such.csv", "--last", "30"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no/such.csv: cannot read"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn backtest_scores_every_method_in_every_format() {
    let base = [
        "backtest",
        "scenarios/status-quo-recent.toml",
        SERIES,
        "--corrections",
        CORRECTIONS,
        "--origins",
        "2025-01-01..2025-06-01",
        "--every",
        "2m",
        "--horizons",
        "30,90",
        "--paths",
        "500",
        "--replicates",
        "200",
    ];
    let t = attrition(&[&base[..], &["--format", "table"]].concat());
    assert!(t.status.success(), "{}", stderr(&t));
    let table = stdout(&t);
    for m in ["fit ", "fit-drift", "last-30", "war-average"] {
        assert!(table.contains(m), "{table}");
    }
    assert!(table.contains("3 origins scored"), "{table}");
    let j = attrition(&[&base[..], &["--format", "json", "--threads", "1"]].concat());
    assert!(j.status.success(), "{}", stderr(&j));
    let v: serde_json::Value = serde_json::from_slice(&j.stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["inputs"]["side"], "russia");
    // 4 methods x 2 horizons; 3 origins each.
    assert_eq!(v["summary"].as_array().unwrap().len(), 8);
    assert_eq!(v["summary"][0]["origins"], 3);
    assert_eq!(v["forecasts"].as_array().unwrap().len(), 3 * 2 * 4);
    // The observed increase is the series' own: 2025-01-01 + 30 days.
    let f0 = &v["forecasts"][0];
    assert_eq!(f0["origin"], "2025-01-01");
    assert_eq!(f0["horizon_days"], 30);
    assert_eq!(
        f0["observed"].as_f64().unwrap(),
        level("2025-01-31") - level("2025-01-01")
    );
    // Same bytes on another thread count.
    let j2 = attrition(&[&base[..], &["--format", "json", "--threads", "2"]].concat());
    assert_eq!(j.stdout, j2.stdout);
    let c = attrition(&[&base[..], &["--format", "csv"]].concat());
    assert!(c.status.success());
    let csv = stdout(&c);
    assert!(csv.starts_with("section,method,horizon_days,statistic,value\n"));
    assert!(csv.contains("increase,fit,30,coverage_90,"));
    assert!(csv.lines().skip(1).all(|l| l.split(',').count() == 5));
}

#[test]
fn backtest_refuses_bad_input_with_exit_2() {
    let common = ["--origins", "2025-01-01..2025-02-01", "--paths", "200"];
    let o = attrition(
        &[
            &[
                "backtest",
                "scenarios/status-quo-recent.toml",
                SERIES,
                "--side",
                "mars",
            ][..],
            &common,
        ]
        .concat(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no side 'mars'"), "{}", stderr(&o));
    // Origins whose horizon runs past the data's end cannot be scored.
    let o = attrition(&[
        "backtest",
        "scenarios/status-quo-recent.toml",
        SERIES,
        "--origins",
        "2026-07-01..2026-08-01",
        "--paths",
        "200",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(
            "2 origins (2026-07-01 to 2026-08-01): its 180-day horizon runs past the series' end"
        ),
        "every skipped origin is counted by reason: {}",
        stderr(&o)
    );
    // Scored and skipped together: the table counts each reason with the dates it spans.
    let o = attrition(&[
        "backtest",
        "scenarios/status-quo-recent.toml",
        SERIES,
        "--origins",
        "2022-03-01..2022-07-01",
        "--horizons",
        "30",
        "--paths",
        "200",
        "--replicates",
        "100",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let table = stdout(&o);
    assert!(
        table.contains("2 origins scored.\nSkipped:\n  3 origins (2022-03-01 to 2022-05-01): the 90-day fit window before it is not all in the series\n  2 origins (2022-06-01 to 2022-07-01): fit-drift at 30 days: cannot widen for a 30-day drift: the 365 days of history up to the origin hold"),
        "{table}"
    );
    let o = attrition(
        &[
            &[
                "backtest",
                "scenarios/status-quo-recent.toml",
                SERIES,
                "--every",
                "fortnight",
            ][..],
            &common,
        ]
        .concat(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
}

#[test]
fn backtest_steps_at_their_limits_are_refused_or_end() {
    for every in ["3\u{e9}", "4294967295d", "120000m"] {
        let o = attrition(&[
            "backtest",
            "scenarios/status-quo-recent.toml",
            SERIES,
            "--origins",
            "2024-01-01..2024-02-01",
            "--every",
            every,
        ]);
        assert_eq!(o.status.code(), Some(2), "{every}");
        assert!(
            stderr(&o).contains("is not a step"),
            "{every}: {}",
            stderr(&o)
        );
    }
    // The calendar ends at 9999-12-31: monthly origins there stop instead of looping.
    let o = attrition(&[
        "backtest",
        "scenarios/status-quo-recent.toml",
        SERIES,
        "--origins",
        "9999-12-01..9999-12-31",
        "--every",
        "month",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no origin"), "{}", stderr(&o));
}

/// Issue 12, item 6: series the reader used to accept, or refused without a place.
#[test]
fn broken_series_found_by_the_corpus_are_refused_with_their_place() {
    let dir = scratch("broken");
    let run = |f: &std::path::Path, extra: &[&str]| {
        let o = attrition(&[&["fit", f.to_str().unwrap(), "--last", "30"][..], extra].concat());
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(o.stdout.is_empty());
        let e = stderr(&o);
        assert!(!e.contains("panicked"), "{e}");
        e
    };
    // A header naming a column twice fitted the second one.
    let f = dir.join("dup.csv");
    fs::write(&f, "date,date\n2024-01-01,2024-01-01\n").unwrap();
    let e = run(&f, &[]);
    assert!(
        e.contains("dup.csv:1: column `date` appears twice in the header"),
        "{e}"
    );
    // Latin-1 bytes: the row and the byte offset, not only "not UTF-8".
    let f = dir.join("latin1.csv");
    fs::write(&f, b"date,x_daily\n2024-01-01,1\n2024-01-02,\xe9\n").unwrap();
    let e = run(&f, &[]);
    assert!(
        e.contains("latin1.csv:3: not UTF-8 text at byte offset 37"),
        "{e}"
    );
    // Corrections that cannot be right: taking back more than the series had counted
    // before the day, or dated where the series has no daily count.
    for (name, text, want) in [
        (
            "minus.csv",
            "date,personnel\n2025-03-01,-1e6\n",
            "minus.csv:2: the correction of -1000000 on 2025-03-01 takes back more than",
        ),
        (
            "late.csv",
            "date,day,personnel\n2025-02-28,1,1650\n2026-09-01,2,100\n",
            "late.csv:3: the correction of 100 on 2026-09-01 is outside the series' daily counts, 2022-02-26..2026-08-08",
        ),
        (
            "early.csv",
            "date,personnel\n2022-02-25,100\n",
            "early.csv:2: the correction of 100 on 2022-02-25 is outside",
        ),
    ] {
        let c = dir.join(name);
        fs::write(&c, text).unwrap();
        let o = attrition(&[
            "fit",
            SERIES,
            "--last",
            "30",
            "--corrections",
            c.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        assert!(o.stdout.is_empty());
        assert!(stderr(&o).contains(want), "{name}: {}", stderr(&o));
    }
    // A negative correction that fits (the source took back an over-count) is removed:
    // the day's count grows by it.
    let c = dir.join("back.csv");
    fs::write(&c, "date,personnel\n2026-08-08,-10\n").unwrap();
    let o = attrition(&[
        "fit",
        SERIES,
        "--last",
        "30",
        "--corrections",
        c.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["series"]["corrections_removed"], -10.0);
    let mean = (level("2026-08-08") + 10.0 - level("2026-07-09")) / 30.0;
    assert!((v["fit"]["mean"].as_f64().unwrap() - mean).abs() < 1e-9);
}

/// Issue 12, item 6: a side name is a TOML key in the fragment; it must be one a
/// scenario accepts, and nothing the user typed may break out of a comment.
#[test]
fn fit_side_names_and_comments_cannot_inject_toml() {
    let o = attrition(&["fit", SERIES, "--last", "30", "--side", "x\"]\n[evil"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(o.stdout.is_empty());
    assert!(
        stderr(&o).contains("--side 'x\"]\n[evil' is not a usable side name"),
        "{}",
        stderr(&o)
    );
    // Nothing is written for a refused side.
    let dir = scratch("inject");
    let out = dir.join("f.toml");
    let o = attrition(&[
        "fit",
        SERIES,
        "--last",
        "30",
        "--side",
        "a.b",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!out.exists());
    for bad in ["combined", "1st", "a.b", ""] {
        let o = attrition(&["fit", SERIES, "--last", "30", "--side", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(stderr(&o).contains("not a usable side name"), "{bad}");
    }
    // A file name with a newline lands in the comments: it must stay a comment.
    let f = dir.join("a\n[evil]\nb.csv");
    fs::copy(SERIES, &f).unwrap();
    let o = attrition(&[
        "fit",
        f.to_str().unwrap(),
        "--last",
        "60",
        "--side",
        "the-side_2",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let doc: toml::Table = toml::from_str(&text).expect("the fragment is TOML");
    assert_eq!(doc.keys().collect::<Vec<_>>(), ["sides", "noise"], "{text}");
    assert!(doc["sides"].as_table().unwrap().contains_key("the-side_2"));
    assert!(text.contains("a\\n[evil]\\nb.csv"), "{text}");
}

/// Issue 12, item 8: the error for a missing window names both ways to give one.
#[test]
fn fit_without_a_window_names_both_options() {
    let o = attrition(&["fit", SERIES]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("--window") && e.contains("--last"), "{e}");
}

/// Issue 12, item 6: backtest arguments beyond the engine's limits, and a side the
/// series does not measure.
#[test]
fn backtest_refuses_steps_beyond_the_limits_and_the_wrong_side() {
    let base = [
        "backtest",
        "scenarios/status-quo-recent.toml",
        SERIES,
        "--origins",
        "2025-01-01..2025-02-01",
        "--paths",
        "200",
        "--replicates",
        "100",
        "--horizons",
        "30",
    ];
    for (step, shown) in [
        ("1e308", "1e308"),
        ("1e16", "1e16"),
        ("0.5", "0.5"),
        ("nan", "NaN"),
    ] {
        let o = attrition(&[&base[..], &["--threshold-step", step]].concat());
        assert_eq!(o.status.code(), Some(2), "{step}");
        assert!(o.stdout.is_empty());
        let e = stderr(&o);
        assert!(
            e.contains(&format!(
                "--threshold-step {shown} must be between 1 and 1e15"
            )),
            "{step}: {e}"
        );
    }
    // The file name says which side the series measures (`russian`): scoring it as
    // Ukraine's is refused, naming the word that says so.
    let dir = scratch("side");
    let out = dir.join("bt.json");
    let o = attrition(
        &[
            &base[..],
            &["--side", "ukraine", "--out", out.to_str().unwrap()],
        ]
        .concat(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    assert!(!out.exists());
    let e = stderr(&o);
    assert!(
        e.contains("--side ukraine") && e.contains("'russian'") && e.contains("side russia"),
        "{e}"
    );
    // A series whose names say nothing is taken at its word, with a note.
    let f = dir.join("series.csv");
    fs::copy(SERIES, &f).unwrap();
    let mut args = base.to_vec();
    args[2] = f.to_str().unwrap();
    let o = attrition(&[&args[..], &["--side", "ukraine"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("names no side of the scenario"),
        "{}",
        stderr(&o)
    );
}
