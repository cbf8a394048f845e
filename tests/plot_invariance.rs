//! Figures never change the numbers: `run --plot DIR` writes the same JSON, CSV and
//! samples, byte for byte, as the same run without it, for every shipped scenario.
//!
//! The paths span several engine batches (`BATCH_PATHS` is 1024, the last batch partial),
//! so batching, jump points and histogram memory of the main run are all exercised, and
//! they are more than the fan chart's own run takes (its first 2,048).

mod common;
use common::{attrition, scratch, signal_after_half_a_second, stderr};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const PATHS: &str = "6000";

fn shipped_scenarios() -> Vec<String> {
    let mut files: Vec<String> = fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.to_str().unwrap().to_string())
        .collect();
    files.sort();
    assert!(files.len() >= 8, "the shipped scenarios: {files:?}");
    files
}

/// Runs every scenario in one invocation, writing `format` to a file, with `extra` args.
fn run(files: &[String], format: &str, out: &Path, extra: &[&str]) {
    let mut args: Vec<&str> = vec!["run", "-q", "-n", PATHS, "-f", format];
    args.extend(files.iter().map(String::as_str));
    args.extend(["-o", out.to_str().unwrap()]);
    args.extend(extra);
    let o = attrition(&args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
}

fn differing_line(a: &str, b: &str) -> String {
    match a
        .lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
    {
        Some((i, (x, y))) => format!("line {}: {x:?} vs {y:?}", i + 1),
        None => format!("lengths {} vs {}", a.len(), b.len()),
    }
}

#[test]
fn json_and_csv_are_byte_identical_with_and_without_plot() {
    let dir = scratch("bytes");
    let files = shipped_scenarios();
    // CSV first: it has no fan fields, so a difference there is a changed number.
    for format in ["csv", "json"] {
        let plain = dir.join(format!("plain.{format}"));
        let plotted = dir.join(format!("plotted.{format}"));
        let figs = dir.join(format!("figs-{format}"));
        run(&files, format, &plain, &[]);
        run(
            &files,
            format,
            &plotted,
            &["--plot", figs.to_str().unwrap()],
        );
        let (a, b) = (
            fs::read_to_string(&plain).unwrap(),
            fs::read_to_string(&plotted).unwrap(),
        );
        assert!(
            a == b,
            "{format} differs with --plot: {}",
            differing_line(&a, &b)
        );
        assert!(
            fs::read_dir(&figs).unwrap().count() > files.len(),
            "the figures were drawn"
        );
    }
    // The fan charts say what they were drawn from.
    let fan = fs::read_to_string(dir.join("figs-json/status-quo-fan-combined.svg")).unwrap();
    assert!(
        fan.contains("bands over the first 2,048 of 6,000 paths"),
        "{fan}"
    );
    // Each scenario alone too: a one-file run is what most users do.
    for file in &files {
        let plain = dir.join("one-plain.json");
        let plotted = dir.join("one-plotted.json");
        let figs = dir.join("one-figs");
        let one = std::slice::from_ref(file);
        run(one, "json", &plain, &[]);
        run(one, "json", &plotted, &["--plot", figs.to_str().unwrap()]);
        let (a, b) = (
            fs::read_to_string(&plain).unwrap(),
            fs::read_to_string(&plotted).unwrap(),
        );
        assert!(
            a == b,
            "{file}: json differs with --plot: {}",
            differing_line(&a, &b)
        );
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn samples_are_byte_identical_with_and_without_plot() {
    let dir = scratch("samples");
    // Gamma noise (jumps) with two thresholds: the case where the old fan grid moved the
    // crossing days of most paths.
    let file = "scenarios/status-quo-calibrated.toml".to_string();
    let read = |p: &PathBuf| fs::read(p).unwrap();
    let plain = dir.join("plain.csv");
    let plotted = dir.join("plotted.csv");
    let json = dir.join("r.json");
    let figs = dir.join("figs");
    run(
        std::slice::from_ref(&file),
        "json",
        &json,
        &["--samples", plain.to_str().unwrap()],
    );
    run(
        std::slice::from_ref(&file),
        "json",
        &json,
        &[
            "--samples",
            plotted.to_str().unwrap(),
            "--plot",
            figs.to_str().unwrap(),
        ],
    );
    assert!(read(&plain) == read(&plotted), "samples differ with --plot");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn fan_charts_do_not_depend_on_the_thread_count() {
    let dir = scratch("threads");
    let file = vec!["scenarios/status-quo-calibrated.toml".to_string()];
    let json = dir.join("r.json");
    let (one, three) = (dir.join("j1"), dir.join("j3"));
    run(
        &file,
        "json",
        &json,
        &["-j", "1", "--plot", one.to_str().unwrap()],
    );
    run(
        &file,
        "json",
        &json,
        &["-j", "3", "--plot", three.to_str().unwrap()],
    );
    let mut names: Vec<_> = fs::read_dir(&one)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for name in names {
        assert!(
            fs::read(one.join(&name)).unwrap() == fs::read(three.join(&name)).unwrap(),
            "{name:?} differs between 1 and 3 threads"
        );
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_data_output_cannot_be_the_figures_data() {
    let dir = scratch("clobber");
    let figs = dir.join("figs");
    let saved = figs.join("figures.json");
    fs::create_dir_all(&figs).unwrap();
    let o = attrition(&[
        "run",
        "scenarios/status-quo.toml",
        "-q",
        "-f",
        "json",
        "-o",
        saved.to_str().unwrap(),
        "--plot",
        figs.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("figures.json is the same file as --out"),
        "{}",
        stderr(&o)
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_interrupt_stops_the_fan_run_and_writes_nothing() {
    let dir = scratch("interrupt");
    // W1 over 100 years with two more sides: the fan chart's run (first; 2,048 paths to
    // the horizon, two batches, run one after the other on one thread) takes seconds, and
    // the engine looks for an interrupt before each batch. The result's run (its paths
    // stop at day 181) takes almost nothing.
    let w1 = fs::read_to_string("scenarios/bench/w1.toml").unwrap();
    let mut long = w1.replace("horizon_days = 1096", "horizon_days = 36_500");
    assert_ne!(long, w1);
    for k in 0..2 {
        long += &format!("\n[sides.extra{k}]\ncasualties = 1000\nrate_per_day = 10\n");
    }
    let scenario = dir.join("long.toml");
    fs::write(&scenario, long).unwrap();
    let (out, samples, figs) = (dir.join("out.json"), dir.join("s.csv"), dir.join("figs"));
    let child = Command::new(env!("CARGO_BIN_EXE_attrition"))
        .arg("run")
        .arg(&scenario)
        .args(["-n", "10000", "-j", "1", "-f", "json", "-o"])
        .arg(&out)
        .arg("--samples")
        .arg(&samples)
        .arg("--plot")
        .arg(&figs)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (o, took) = signal_after_half_a_second(child, "-INT");
    assert!(took < Duration::from_secs(20), "took {took:?} to stop");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted; no output was written"), "{err}");
    assert!(
        !err.contains("fan chart from"),
        "the fan's run finished: {err}"
    );
    assert!(!out.exists() && !samples.exists(), "output written");
    assert!(
        !figs.exists(),
        "the figure folder is made only when figures are written"
    );
    fs::remove_dir_all(&dir).unwrap();
}
