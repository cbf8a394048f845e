//! `--error-format json`: every message on standard error is one JSON document a line,
//! with the problem's file, line, column, key path and argument as fields, and says
//! exactly what the text form says (docs/output.md, "Messages").

mod common;
use common::{attrition, scratch, signal_after_half_a_second, stderr};
use serde_json::Value;
use std::fs;
use std::process::{Command, Stdio};

/// Every line of standard error, each of which must be an `attrition.message`.
fn messages(o: &std::process::Output) -> Vec<Value> {
    let err = stderr(o);
    err.lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line:?}\nin:\n{err}"));
            assert_eq!(v["schema"], "attrition.message", "{line}");
            assert_eq!(v["schema_version"], 1, "{line}");
            for field in ["file", "line", "column", "key", "argument"] {
                assert!(v.get(field).is_some(), "{field} missing: {line}");
            }
            v
        })
        .collect()
}

/// The text form's line for a JSON message: `error: FILE:LINE:COLUMN: ARGUMENT: KEY:
/// MESSAGE`, each part only when present.
fn as_text(m: &Value) -> String {
    let mut s = format!("{}: ", m["level"].as_str().unwrap());
    if let Some(f) = m["file"].as_str() {
        s.push_str(f);
        if let (Some(l), Some(c)) = (m["line"].as_u64(), m["column"].as_u64()) {
            s.push_str(&format!(":{l}:{c}"));
        } else if let Some(l) = m["line"].as_u64() {
            s.push_str(&format!(":{l}"));
        }
        s.push_str(": ");
    }
    if let (Some(a), true) = (m["argument"].as_str(), m["file"].is_string()) {
        s.push_str(&format!("{a}: "));
    }
    if let Some(k) = m["key"].as_str() {
        s.push_str(&format!("{k}: "));
    }
    s + m["message"].as_str().unwrap()
}

fn json(args: &[&str]) -> std::process::Output {
    let mut all = vec!["--error-format", "json"];
    all.extend_from_slice(args);
    attrition(&all)
}

#[test]
fn every_broken_file_gives_the_same_problems_as_json_fields_as_in_text() {
    let mut files: Vec<_> = fs::read_dir("tests/broken")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() > 100, "the broken corpus is missing");
    for f in &files {
        let f = f.to_str().unwrap();
        let text = attrition(&["validate", f]);
        let j = json(&["validate", f]);
        assert_eq!(text.status.code(), Some(2), "{f}");
        assert_eq!(j.status.code(), Some(2), "{f}");
        assert!(j.stdout.is_empty() && text.stdout.is_empty(), "{f}");
        let ms = messages(&j);
        let lines: Vec<String> = ms.iter().map(as_text).collect();
        let text = stderr(&text);
        let expected: Vec<&str> = text.lines().collect();
        assert_eq!(lines, expected, "{f}");
        for m in &ms {
            assert_eq!(m["level"], "error");
            assert_eq!(m["file"], f);
            assert!(m["argument"].is_null());
            // A place is a line and a column together, or neither.
            assert_eq!(m["line"].is_null(), m["column"].is_null(), "{m}");
        }
    }
}

#[test]
fn a_scenario_problem_carries_its_line_column_and_key() {
    let d = scratch("keys");
    let f = d.join("typo.toml");
    let text = fs::read_to_string("scenarios/status-quo.toml")
        .unwrap()
        .replace("rate_per_day = { total", "rate_per_dya = { total");
    fs::write(&f, &text).unwrap();
    let f = f.to_str().unwrap();
    let o = json(&["run", f]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let ms = messages(&o);
    let unknown = ms
        .iter()
        .find(|m| m["key"] == "sides.russia.rate_per_dya")
        .expect("the unknown key is reported");
    let line = text
        .lines()
        .position(|l| l.starts_with("rate_per_dya"))
        .unwrap()
        + 1;
    assert_eq!(unknown["line"].as_u64(), Some(line as u64));
    assert_eq!(unknown["column"].as_u64(), Some(1));
    assert_eq!(unknown["file"], f);
    assert!(unknown["message"]
        .as_str()
        .unwrap()
        .contains("did you mean 'rate_per_day'"));
    assert!(ms.iter().any(|m| m["key"] == "sides.russia.rate_per_day"));
}

#[test]
fn a_set_problem_names_its_argument_and_key() {
    let o = json(&[
        "run",
        "scenarios/bench/w1.toml",
        "-n",
        "1000",
        "--set",
        "noise.sigma=-1",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let ms = messages(&o);
    assert_eq!(ms.len(), 1, "{ms:?}");
    let m = &ms[0];
    assert_eq!(m["file"], "scenarios/bench/w1.toml");
    assert_eq!(m["argument"], "--set noise.sigma=-1");
    assert_eq!(m["key"], "noise.sigma");
    assert!(
        m["line"].is_null(),
        "lines of the rewritten text would mislead"
    );
    // The same words as the text form.
    let text = attrition(&[
        "run",
        "scenarios/bench/w1.toml",
        "-n",
        "1000",
        "--set",
        "noise.sigma=-1",
    ]);
    assert_eq!(format!("{}\n", as_text(m)), stderr(&text));

    // A --set that is not KEY=VALUE is refused by the argument parser: the argument only.
    let o = json(&["run", "scenarios/bench/w1.toml", "--set", "noise.sigma"]);
    assert_eq!(o.status.code(), Some(2));
    let ms = messages(&o);
    assert_eq!(ms[0]["argument"], "--set");
    assert!(ms[0]["message"].as_str().unwrap().contains("KEY=VALUE"));
}

#[test]
fn an_observations_row_problem_names_the_file_and_line() {
    let d = scratch("observe");
    let csv = d.join("obs.csv");
    fs::write(
        &csv,
        "name,date,lo,hi\nok,2026-04-30,1200000,1400000\nbad,2026-13-30,1,2\n",
    )
    .unwrap();
    let csv = csv.to_str().unwrap();
    let o = json(&[
        "run",
        "scenarios/status-quo.toml",
        "-n",
        "1000",
        "--observe",
        csv,
    ]);
    assert_eq!(o.status.code(), Some(2));
    let ms = messages(&o);
    assert_eq!(ms.len(), 1, "{ms:?}");
    assert_eq!(ms[0]["file"], csv);
    assert_eq!(ms[0]["line"], 3);
    assert_eq!(ms[0]["argument"], "--observe");
    assert!(ms[0]["message"].as_str().unwrap().starts_with("date: "));

    let missing = d.join("missing.csv");
    let o = json(&[
        "run",
        "scenarios/status-quo.toml",
        "--observe",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let ms = messages(&o);
    assert_eq!(ms[0]["file"], missing.to_str().unwrap());
    assert!(ms[0]["line"].is_null());
}

#[test]
fn a_series_row_problem_names_the_file_and_line() {
    let d = scratch("series");
    let csv = d.join("s.csv");
    fs::write(
        &csv,
        "date,x_cumulative\n2025-01-01,10\n2025-01-02,oops\n2025-01-03,30\n",
    )
    .unwrap();
    let csv = csv.to_str().unwrap();
    let o = json(&["fit", csv, "--last", "2"]);
    assert_eq!(o.status.code(), Some(2));
    let ms = messages(&o);
    assert_eq!(ms.len(), 1, "{ms:?}");
    assert_eq!(
        (ms[0]["file"].as_str(), ms[0]["line"].as_u64()),
        (Some(csv), Some(3))
    );
    assert!(ms[0]["argument"].is_null());
}

#[test]
fn bad_arguments_name_the_argument_wherever_the_flag_is_given() {
    for args in [
        &["--error-format", "json", "run", "x.toml", "--paths", "0"][..],
        &["run", "x.toml", "--paths", "0", "--error-format", "json"],
        &["run", "--error-format=json", "x.toml", "--paths", "0"],
    ] {
        let o = attrition(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let ms = messages(&o);
        assert_eq!(ms.len(), 1, "{args:?}: {ms:?}");
        assert_eq!(ms[0]["argument"], "--paths", "{args:?}");
        assert!(ms[0]["message"]
            .as_str()
            .unwrap()
            .contains("0 is not in 1..="));
    }
    let o = json(&["run", "x.toml", "--pahts", "10"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(messages(&o)[0]["argument"], "--pahts");
    let o = json(&["run"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(messages(&o)[0]["argument"], "<FILES>...");
    let o = json(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(messages(&o)[0]["argument"], "frobnicate");
    // Checked after parsing, still named.
    let o = json(&[
        "run",
        "scenarios/bench/w1.toml",
        "--by",
        "1999-01-01",
        "-n",
        "1000",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(messages(&o)[0]["argument"], "--by");
    // An unknown error format is itself a usage error, in text.
    let o = attrition(&["--error-format", "yaml", "validate", "x.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("error: invalid value 'yaml'"));
    // Help is output, not a message.
    let o = json(&["run", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stderr.is_empty());
}

#[test]
fn a_run_writes_the_same_output_and_only_json_lines_on_stderr() {
    let args = [
        "run",
        "scenarios/status-quo.toml",
        "-n",
        "3000",
        "-f",
        "json",
    ];
    let text = attrition(&args);
    let j = json(&args);
    assert_eq!(j.status.code(), Some(0), "{}", stderr(&j));
    assert_eq!(j.stdout, text.stdout);
    let ms = messages(&j);
    assert_eq!(ms.len(), 1);
    assert_eq!(ms[0]["level"], "info");
    assert!(ms[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("status-quo: 3000 paths in "));
    // --quiet leaves standard error empty in either form.
    let q = json(&["run", "scenarios/status-quo.toml", "-n", "3000", "-q"]);
    assert!(q.stderr.is_empty());
}

#[test]
fn an_interrupted_run_says_so_as_json() {
    let child = Command::new(env!("CARGO_BIN_EXE_attrition"))
        .args([
            "--error-format",
            "json",
            "run",
            "scenarios/bench/w1.toml",
            "-n",
            "200000000",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (o, _) = signal_after_half_a_second(child, "-INT");
    assert_eq!(o.status.code(), Some(130));
    let ms = messages(&o);
    assert_eq!(ms.len(), 1, "{ms:?}");
    assert_eq!(ms[0]["level"], "error");
    assert_eq!(ms[0]["message"], "interrupted; no output was written");
    assert!(o.stdout.is_empty());
}

#[test]
fn every_message_of_the_commands_goes_through_the_messages_module() {
    // A command printing to standard error by itself would put text among the JSON lines
    // (`--error-format json`): only src/cli/messages.rs prints messages, and the
    // progress line (drawn on terminals only, never in JSON mode) clears itself.
    // Every file under src/cli, folders (a command of several files) included.
    let mut files = Vec::new();
    let mut folders = vec![std::path::PathBuf::from("src/cli")];
    while let Some(dir) = folders.pop() {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(path);
            }
        }
    }
    assert!(files.iter().any(|p| p.ends_with("merge/kinds.rs")));
    for path in files {
        if path.file_name().is_some_and(|n| n == "messages.rs") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            let prints = line.contains("eprintln!") || line.contains("eprint!(");
            let clears_progress = line.contains(r#"eprint!("\r\x1b[2K")"#);
            assert!(
                !prints || clears_progress,
                "{}:{}: print messages through messages.rs (error, error_in, error_arg, warning_in, note, info): {line}",
                path.display(),
                i + 1
            );
        }
    }
}
