//! End to end: the `attrition` binary on shipped scenarios and on broken input.

mod common;
use common::{attrition, scratch, stderr, stdout};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn shipped() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = ["scenarios", "scenarios/bench"]
        .iter()
        .flat_map(|d| fs::read_dir(d).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_shipped_scenario_validates_and_runs_in_every_format() {
    let files = shipped();
    assert!(files.len() >= 7, "{files:?}");
    let names: Vec<&str> = files.iter().map(|p| p.to_str().unwrap()).collect();
    let o = attrition(&[&["validate"], names.as_slice()].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).matches(": ok (").count(), files.len());
    for f in &names {
        for format in ["table", "json", "csv"] {
            let o = attrition(&["run", f, "--paths", "2000", "--format", format, "--quiet"]);
            assert!(o.status.success(), "{f} {format}: {}", stderr(&o));
            assert!(stderr(&o).is_empty(), "--quiet printed: {}", stderr(&o));
            let out = stdout(&o);
            match format {
                "json" => {
                    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
                    assert_eq!(v["schema_version"], 3);
                    assert!(v["projections"][0]["run"]["noise"]["cv"].is_number());
                    assert_eq!(v["projections"][0]["run"]["paths"], 2000);
                }
                "csv" => assert!(out.starts_with("scenario,target_type,target,metric,output_type,output_type_id,date,day,value\n")),
                _ => assert!(out.contains("crossing date")),
            }
        }
    }
}

#[test]
fn the_same_seed_gives_identical_bytes_on_any_thread_count() {
    let run = |threads: &str| {
        let o = attrition(&[
            "run",
            "scenarios/ceasefire-2026.toml",
            "-n",
            "3000",
            "-s",
            "4",
            "-j",
            threads,
            "-f",
            "json",
            "-q",
        ]);
        assert!(o.status.success());
        o.stdout
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    assert_eq!(one, run("4"));
}

#[test]
fn csv_is_tidy_long_form() {
    let o = attrition(&[
        "run",
        "scenarios/status-quo.toml",
        "-n",
        "2000",
        "-f",
        "csv",
        "-q",
    ]);
    let text = stdout(&o);
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert!(rows.iter().all(|r| r.len() == header.len()));
    let median = rows
        .iter()
        .find(|r| r[2] == "2M combined casualties" && r[4] == "quantile" && r[5] == "0.5")
        .unwrap();
    assert_eq!(
        median[7], median[8],
        "the day and the value of a crossing quantile agree"
    );
    assert!(rows
        .iter()
        .any(|r| r[1] == "stock" && r[2] == "combined" && r[3] == "killed"));
    assert!(rows.iter().any(|r| r[4] == "cdf" && r[5] == "2026-03-31"));
}

#[test]
fn out_writes_the_file_and_overrides_apply() {
    let dir = scratch("out");
    let out = dir.join("r.json");
    let o = attrition(&[
        "run",
        "scenarios/bench/w1.toml",
        "-n",
        "1500",
        "-s",
        "77",
        "-f",
        "json",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).is_empty(), "data went to stdout with --out");
    assert!(
        stderr(&o).contains("1500 paths"),
        "diagnostics go to stderr"
    );
    let v: serde_json::Value = serde_json::from_slice(&fs::read(&out).unwrap()).unwrap();
    assert_eq!(v["projections"][0]["run"]["seed"], 77);
    assert_eq!(v["generator"]["tool"], "attrition");
    assert!(v["projections"][0]["run"]["prng"]
        .as_str()
        .unwrap()
        .contains("xoshiro256++"));
    let leftovers: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "temporary files left: {leftovers:?}");
}

#[test]
fn a_broken_file_exits_2_names_file_line_and_key_and_keeps_old_output() {
    let dir = scratch("broken");
    let bad = dir.join("bad.toml");
    let text = fs::read_to_string("scenarios/status-quo.toml")
        .unwrap()
        .replace("rate_per_day = { total", "rate_per_dya = { total");
    fs::write(&bad, &text).unwrap();
    let out = dir.join("result.csv");
    fs::write(&out, "precious").unwrap();
    let o = attrition(&["run", bad.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    let line = text
        .lines()
        .position(|l| l.starts_with("rate_per_dya"))
        .unwrap()
        + 1;
    assert!(err.contains(&format!("bad.toml:{line}:1: sides.russia.rate_per_dya: unknown key 'rate_per_dya'; did you mean 'rate_per_day'?")), "{err}");
    assert!(err.contains("sides.russia.rate_per_day: missing"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(fs::read_to_string(&out).unwrap(), "precious");
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 2);
}

#[test]
fn bad_usage_and_missing_things_exit_2_without_running() {
    let o = attrition(&["run", "no/such/file.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no/such/file.toml: cannot read the file: no such file"));
    let o = attrition(&[
        "run",
        "scenarios/status-quo.toml",
        "-o",
        "no/such/dir/out.json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("does not exist"), "{}", stderr(&o));
    for args in [
        vec!["run", "scenarios/status-quo.toml", "--paths", "0"],
        vec!["run", "scenarios/status-quo.toml", "--format", "xml"],
        vec!["run", "scenarios/status-quo.toml", "--threads", "0"],
        vec!["run"],
        vec!["frobnicate"],
    ] {
        let o = attrition(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stdout(&o).is_empty());
    }
    assert_eq!(attrition(&["--version"]).status.code(), Some(0));
    assert!(stdout(&attrition(&["run", "--help"])).contains("Examples:"));
}

#[test]
fn path_counts_accept_digits_grouped_by_underscores() {
    // One parser for every path-count option: `run` and `compare` `--paths/-n` and
    // `backtest --paths`. Digits may be grouped in threes, as in scenario files.
    let o = attrition(&["run", "scenarios/bench/w0.toml", "-n", "1_500", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("| 1,500 paths |"), "{}", stdout(&o));
    let o = attrition(&[
        "compare",
        "scenarios/status-quo-recent.toml",
        "scenarios/escalation-2026.toml",
        "--paths",
        "2_000",
        "-q",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains(": 2000 paths,"), "{}", stdout(&o));
    let o = attrition(&[
        "backtest",
        "scenarios/status-quo-calibrated.toml",
        "data/ua_gs_russian_personnel.csv",
        "--origins",
        "2025-06-01..2025-06-01",
        "--replicates",
        "100",
        "--paths",
        "1_000",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains(", 1000 paths, "), "{}", stdout(&o));
    // Misplaced underscores are refused like any other bad number, and the range checks
    // and their errors are as before, naming the value as typed.
    for (value, why) in [
        ("_1", "invalid digit found in string"),
        ("1_", "invalid digit found in string"),
        ("1__0", "invalid digit found in string"),
        ("10_00", "invalid digit found in string"),
        ("1_0000", "invalid digit found in string"),
        ("1,000", "invalid digit found in string"),
        ("0", "0 is not in 1..=1000000000"),
        ("0_000", "0 is not in 1..=1000000000"),
        ("1_000_000_001", "1000000001 is not in 1..=1000000000"),
    ] {
        for command in ["run", "compare"] {
            let files = [
                "scenarios/status-quo.toml",
                "scenarios/status-quo-recent.toml",
            ];
            let o = attrition(&[&[command], &files[..], &["-n", value]].concat());
            assert_eq!(o.status.code(), Some(2), "{command} -n {value}");
            let want = format!("error: invalid value '{value}' for '--paths <PATHS>': {why}");
            assert!(
                stderr(&o).contains(&want),
                "{command} -n {value}: {}",
                stderr(&o)
            );
            assert!(stdout(&o).is_empty());
        }
    }
    for (value, why) in [
        ("99", "99 is not in 100..=10000000"),
        ("10_000_001", "10000001 is not in 100..=10000000"),
        ("1__000", "invalid digit found in string"),
    ] {
        let o = attrition(&[
            "backtest",
            "scenarios/status-quo-calibrated.toml",
            "data/ua_gs_russian_personnel.csv",
            "--origins",
            "2025-06-01..2025-06-01",
            "--paths",
            value,
        ]);
        assert_eq!(o.status.code(), Some(2), "backtest --paths {value}");
        let want = format!("error: invalid value '{value}' for '--paths <PATHS>': {why}");
        assert!(stderr(&o).contains(&want), "{}", stderr(&o));
    }
}

#[test]
fn validate_reports_problems_in_every_file() {
    let dir = scratch("validate");
    let a = dir.join("a.toml");
    let b = dir.join("b.toml");
    fs::write(&a, "[scenario]\nname = 1\n").unwrap();
    fs::write(&b, [0xFFu8, 0xFE, 0x41, 0x00]).unwrap();
    let o = attrition(&[
        "validate",
        a.to_str().unwrap(),
        "scenarios/w1.toml",
        b.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("a.toml:2:8: scenario.name: expected a string, found an integer"),
        "{err}"
    );
    assert!(
        err.contains("a.toml") && err.contains("noise: missing"),
        "{err}"
    );
    assert!(
        err.contains("scenarios/w1.toml: cannot read the file"),
        "{err}"
    );
    assert!(err.contains("b.toml: the file is UTF-16 text"), "{err}");
}

#[test]
fn a_scenario_can_come_from_standard_input() {
    let text = fs::read(Path::new("scenarios/bench/w0.toml")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_attrition"))
        .args(["run", "-", "-n", "1000", "-f", "json", "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &text).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["projections"][0]["scenario"]["name"], "w0");
    assert_eq!(v["projections"][0]["scenario"]["file"], "-");
}

#[test]
fn samples_stream_one_row_per_path_matching_the_summary() {
    let dir = scratch("samples");
    let samples = dir.join("paths.csv");
    let summary = dir.join("summary.json");
    let run = |threads: &str, file: &Path| {
        let o = attrition(&[
            "run",
            "scenarios/status-quo.toml",
            "-n",
            "4000",
            "-j",
            threads,
            "-q",
            "-f",
            "json",
            "-o",
            summary.to_str().unwrap(),
            "--samples",
            file.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    };
    run("2", &samples);
    let text = fs::read_to_string(&samples).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header[0], "path");
    assert!(header.contains(&"sides.russia.rate_per_day"));
    assert!(header.contains(&"crossing_day.2M combined casualties"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 4000);
    assert!(rows
        .iter()
        .enumerate()
        .all(|(i, r)| r[0] == i.to_string() && r.len() == header.len()));
    // The median crossing day from the rows equals the summary's.
    let col = header
        .iter()
        .position(|h| *h == "crossing_day.2M combined casualties")
        .unwrap();
    let mut days: Vec<u32> = rows.iter().map(|r| r[col].parse().unwrap()).collect();
    days.sort_unstable();
    let v: serde_json::Value = serde_json::from_slice(&fs::read(&summary).unwrap()).unwrap();
    let median = v["projections"][0]["thresholds"][0]["crossing"][2]["day"]
        .as_u64()
        .unwrap();
    assert_eq!(
        days[(4000 / 2) - 1] as u64,
        median,
        "inverted-CDF median of 4000 days"
    );
    // Byte-identical on one thread.
    let again = dir.join("again.csv");
    run("1", &again);
    assert_eq!(fs::read(&samples).unwrap(), fs::read(&again).unwrap());
    // One scenario only, and CSV only.
    let o = attrition(&[
        "run",
        "scenarios/status-quo.toml",
        "scenarios/bench/w0.toml",
        "--samples",
        "x.csv",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = attrition(&["run", "scenarios/status-quo.toml", "--samples", "x.xlsx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(".csv or .parquet"));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn progress_shows_on_a_terminal_only() {
    // `script` gives the run a terminal; without one (as here) nothing but the timing line.
    let dir = scratch("progress");
    let out = dir.join("r.json");
    let plain = attrition(&[
        "run",
        "scenarios/bench/w1.toml",
        "-n",
        "50000",
        "-f",
        "json",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(!stderr(&plain).contains("paths/s"), "{}", stderr(&plain));
    // `script` (util-linux, in Debian's essential bsdutils) runs a command on a terminal.
    let on_terminal = |command: String| {
        let o = Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .output()
            .expect("`script` (util-linux) runs: it gives the command a terminal");
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        )
    };
    let bin = env!("CARGO_BIN_EXE_attrition");
    let (code, screen) = on_terminal(format!(
        "{bin} run scenarios/bench/w1.toml -n 700000 -f json -o {}",
        out.display()
    ));
    assert_eq!(code, Some(0));
    assert!(
        screen.contains("paths/s") && screen.contains("left"),
        "{screen}"
    );
    // A backtest counts its origins. Daily origins over three years take far longer than
    // the second after which the line is drawn; `timeout` interrupts it after three.
    let (code, screen) = on_terminal(format!(
        "timeout -s INT 3 {bin} backtest scenarios/status-quo-recent.toml \
         data/ua_gs_russian_personnel.csv --origins 2023-01-01..2025-12-31 --every 1d -f json -o {}",
        out.display()
    ));
    // timeout's own status for a command it stopped; the backtest's message says it
    // stopped as an interrupted run does.
    assert_eq!(code, Some(124), "{screen}");
    assert!(
        screen.contains("/1096 origins")
            && screen.contains("left")
            && screen.contains("interrupted; no output was written"),
        "{screen}"
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn shell_completions_are_printed() {
    for shell in ["bash", "zsh", "fish"] {
        let o = attrition(&["completions", shell]);
        assert!(o.status.success(), "{shell}");
        let text = stdout(&o);
        assert!(
            text.contains("attrition") && text.contains("validate") && text.contains("samples"),
            "{shell}"
        );
    }
    assert_eq!(attrition(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn outputs_never_overwrite_inputs_or_each_other() {
    let dir = scratch("clobber");
    let scenario = dir.join("s.toml");
    fs::copy("scenarios/bench/w0.toml", &scenario).unwrap();
    let s = scenario.to_str().unwrap();
    let o = attrition(&["run", s, "-n", "100", "--out", s]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is the scenario file"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        fs::read(&scenario).unwrap(),
        fs::read("scenarios/bench/w0.toml").unwrap()
    );
    let both = dir.join("x.csv");
    let b = both.to_str().unwrap();
    let o = attrition(&["run", s, "-n", "100", "--out", b, "--samples", b]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("the same file"), "{}", stderr(&o));
    fs::remove_dir_all(&dir).unwrap();
}

/// `run FILE -n 3000 -q -f csv EXTRA...`, with the file's name replaced by `FILE`, so
/// that two files' outputs compare.
fn csv_of(file: &std::path::Path, extra: &[&str]) -> String {
    let mut args = vec![
        "run",
        file.to_str().unwrap(),
        "-n",
        "3000",
        "-q",
        "-f",
        "csv",
    ];
    args.extend_from_slice(extra);
    let o = attrition(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o).replace(file.to_str().unwrap(), "FILE")
}

#[test]
fn by_adds_report_dates_as_the_file_would() {
    let dir = scratch("by");
    let text = fs::read_to_string("scenarios/status-quo.toml").unwrap();
    let listed = text.replace(
        "report_dates = [2026-03-31, 2026-06-30, 2026-12-31, 2027-12-31]",
        "report_dates = [2026-03-31, 2026-06-30, 2026-09-30, 2026-12-31, 2027-12-31]",
    );
    assert_ne!(listed, text);
    let (a, b) = (dir.join("a.toml"), dir.join("b.toml"));
    fs::write(&a, &text).unwrap();
    fs::write(&b, &listed).unwrap();
    let run = csv_of;
    // Given twice and out of order, as a date the file already lists: the same as listing it.
    let by = run(
        &a,
        &[
            "--by",
            "2026-09-30",
            "--by",
            "2026-06-30",
            "--by",
            "2026-09-30",
        ],
    );
    assert!(by.contains("2026-09-30"));
    assert_eq!(by, run(&b, &[]));
    for bad in ["2025-12-31", "2029-01-01", "2026-02-30"] {
        let o = attrition(&["run", a.to_str().unwrap(), "-n", "100", "--by", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(stderr(&o).contains("--by"), "{bad}: {}", stderr(&o));
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn validate_summarises_what_each_scenario_holds() {
    let o = attrition(&[
        "validate",
        "scenarios/status-quo.toml",
        "scenarios/peace-talks.toml",
        "scenarios/grind-and-offensives.toml",
        "scenarios/force-dependent.toml",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for line in [
        "scenarios/status-quo.toml: ok (status-quo: 2 sides, 2 thresholds, horizon 2028-12-31)",
        "(peace-talks: 2 sides, 1 threshold, 1 event, horizon",
        "(grind-and-offensives: 2 sides, 1 threshold, 2 regimes, 1 correlation, horizon",
        "(force-dependent: 2 sides, 1 threshold, force-dependent losses, horizon",
    ] {
        assert!(out.contains(line), "{line}\n{out}");
    }
}

#[test]
fn set_changes_a_key_as_editing_the_file_would() {
    let dir = scratch("set");
    let text = fs::read_to_string("scenarios/status-quo.toml").unwrap();
    let run = csv_of;
    let original = dir.join("a.toml");
    fs::write(&original, &text).unwrap();
    let cases = [
        ("noise.sigma=0.2", "sigma = 0.3", "sigma = 0.2"),
        (
            "sides.russia.rate_per_day={lo=900,hi=1200}",
            r#"rate_per_day = { total = "casualties", from = 2022-02-24, to = 2025-12-31 }
"#,
            "rate_per_day = { lo = 900, hi = 1200 }\n",
        ),
        (
            "thresholds[0].level=2_500_000",
            "level = 2_000_000",
            "level = 2_500_000",
        ),
    ];
    for (set, from, to) in cases {
        assert!(text.contains(from), "{from}");
        let edited = dir.join("b.toml");
        fs::write(&edited, text.replacen(from, to, 1)).unwrap();
        assert_eq!(run(&original, &["--set", set]), run(&edited, &[]), "{set}");
    }
    // Recorded in the output.
    let o = attrition(&[
        "run",
        original.to_str().unwrap(),
        "-n",
        "100",
        "-q",
        "-f",
        "json",
        "--set",
        "noise.sigma=0.2",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["projections"][0]["scenario"]["set"][0], "noise.sigma=0.2");
    // Bad keys and values: exit 2, naming the --set argument, nothing run.
    for (set, says) in [
        ("noise.sigmaa=0.2", "did you mean 'sigma'"),
        ("noise.sigma=5", "must be from"),
        ("noise.sigma=abc", "not a TOML value"),
        ("noise.sigma", "give KEY=VALUE"),
        ("thresholds[9].level=1", "is not one of them"),
        ("noise..sigma=1", "not a key path"),
    ] {
        let o = attrition(&["run", original.to_str().unwrap(), "-n", "100", "--set", set]);
        assert_eq!(o.status.code(), Some(2), "{set}");
        let err = stderr(&o);
        assert!(err.contains("--set") && err.contains(says), "{set}: {err}");
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn quantiles_choose_the_reported_levels() {
    let json = |extra: &[&str]| {
        let mut args = vec![
            "run",
            "scenarios/status-quo.toml",
            "-n",
            "3000",
            "-q",
            "-f",
            "json",
        ];
        args.extend_from_slice(extra);
        let o = attrition(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
    };
    let default = json(&[]);
    // Out of order and repeated: reported ascending, once.
    let chosen = json(&["--quantiles", "0.9,0.5,0.1,0.5"]);
    let levels = |v: &serde_json::Value, at: &str| -> Vec<f64> {
        v.pointer(at)
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["p"].as_f64().unwrap())
            .collect()
    };
    let crossing = "/projections/0/thresholds/0/crossing";
    let stock = "/projections/0/stocks/0/points/0/quantiles";
    assert_eq!(levels(&chosen, crossing), vec![0.1, 0.5, 0.9]);
    assert_eq!(levels(&chosen, stock), vec![0.1, 0.5, 0.9]);
    assert_eq!(
        levels(&default, crossing),
        vec![0.05, 0.25, 0.5, 0.75, 0.95]
    );
    // The same median either way: the same paths, only other levels read off them.
    let median = |v: &serde_json::Value, at: &str, i: usize| v.pointer(at).unwrap()[i].clone();
    assert_eq!(median(&chosen, crossing, 1), median(&default, crossing, 2));
    assert_eq!(median(&chosen, stock, 1), median(&default, stock, 2));
    let table = attrition(&[
        "run",
        "scenarios/status-quo.toml",
        "-n",
        "500",
        "-q",
        "--quantiles",
        "0.025,0.5",
    ]);
    assert!(stdout(&table).contains("p2.5"), "{}", stdout(&table));
    for bad in ["0", "1", "0.5,x", "1e9", ""] {
        let o = attrition(&[
            "run",
            "scenarios/status-quo.toml",
            "-n",
            "10",
            "--quantiles",
            bad,
        ]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(stderr(&o).contains("--quantiles"), "{bad}: {}", stderr(&o));
    }
}

#[test]
fn out_dash_is_standard_output() {
    // As `-` reads a scenario from standard input, `--out -` writes to standard output,
    // and no file named `-` appears.
    let dir = std::env::temp_dir().join(format!("attrition-out-dash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scenario = std::fs::canonicalize("scenarios/status-quo.toml").unwrap();
    let run = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_attrition"))
            .current_dir(&dir)
            .arg("run")
            .arg(&scenario)
            .args(["-n", "200", "-q", "-f", "csv"])
            .args(extra)
            .output()
            .unwrap()
    };
    let (dash, plain) = (run(&["--out", "-"]), run(&[]));
    assert!(dash.status.success());
    assert!(!dash.stdout.is_empty());
    assert_eq!(dash.stdout, plain.stdout);
    assert!(!dir.join("-").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
