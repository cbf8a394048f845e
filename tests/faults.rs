//! Faults: interrupted runs, unwritable and full destinations. Nothing partial is ever
//! left behind and what the user had is never lost.

mod common;
use common::{scratch, signal_after_half_a_second};
use std::fs;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Two hundred million W1 paths: minutes of work.
const LONG_RUN: [&str; 6] = [
    "run",
    "scenarios/bench/w1.toml",
    "-n",
    "200000000",
    "-f",
    "json",
];

/// A backtest of daily origins over three years: many minutes of work.
const LONG_BACKTEST: [&str; 8] = [
    "backtest",
    "scenarios/status-quo-recent.toml",
    "data/ua_gs_russian_personnel.csv",
    "--origins",
    "2023-01-01..2026-01-01",
    "--every",
    "1d",
    "-fjson",
];

/// Starts `args` writing to `-o out`, sends `signal` after half a second, and checks that
/// it stops promptly with exit 130, leaving the old output and no temporary file.
fn interrupted_by(signal: &str, args: &[&str]) {
    // A folder per command line: tests run at once in one process.
    let id = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        args.hash(&mut h);
        h.finish()
    };
    let dir = scratch(&format!("{}{signal}-{id:x}", args[0]));
    let out = dir.join("out.json");
    fs::write(&out, "precious").unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_attrition"))
        .args(args)
        .arg("-o")
        .arg(&out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (o, took) = signal_after_half_a_second(child, signal);
    assert!(took < Duration::from_secs(5), "took {took:?} to stop");
    assert_eq!(o.status.code(), Some(130), "{signal}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("interrupted; no output was written"), "{err}");
    assert_eq!(fs::read_to_string(&out).unwrap(), "precious");
    assert_eq!(
        fs::read_dir(&dir).unwrap().count(),
        1,
        "temporary files left behind"
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn sigterm_stops_promptly_and_writes_nothing() {
    interrupted_by("-TERM", &LONG_RUN);
}

#[test]
fn sigint_stops_promptly_and_writes_nothing() {
    interrupted_by("-INT", &LONG_RUN);
}

/// A sweep of many points of W1: minutes of work.
const LONG_SWEEP: [&str; 8] = [
    "sweep",
    "scenarios/bench/w1.toml",
    "--grid",
    "thresholds[0].level=1e6,2e6,3e6,4e6,5e6",
    "-n",
    "50000000",
    "-f",
    "json",
];

#[test]
fn a_sweep_or_a_shard_stops_on_either_signal_like_run() {
    interrupted_by("-INT", &LONG_SWEEP);
    interrupted_by("-TERM", &LONG_SWEEP);
    // A shard's part is its output: not written when interrupted.
    let shard = [&LONG_RUN[..4], &["--shard", "1/2"]].concat();
    interrupted_by("-INT", &shard);
}

#[test]
fn a_backtest_stops_on_either_signal_like_run() {
    interrupted_by("-INT", &LONG_BACKTEST);
    interrupted_by("-TERM", &LONG_BACKTEST);
}

#[test]
fn a_pipe_or_device_is_never_replaced() {
    let dir = scratch("fifo");
    let fifo = dir.join("pipe");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let o = Command::new(env!("CARGO_BIN_EXE_attrition"))
        .args(["run", "scenarios/bench/w0.toml", "-n", "100", "-o"])
        .arg(&fifo)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is not a regular file"));
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo_like());
    fs::remove_dir_all(&dir).unwrap();
}

trait FifoLike {
    fn is_fifo_like(&self) -> bool;
}

impl FifoLike for fs::FileType {
    fn is_fifo_like(&self) -> bool {
        use std::os::unix::fs::FileTypeExt;
        self.is_fifo()
    }
}

/// A scratch folder with a tmpfs of `size` mounted on it, standing in for a full disk;
/// mounting needs root (as in CI and on the development machines). Where it is not
/// allowed, says so and gives `None`: the check is not run.
fn tmpfs(name: &str, size: &str) -> Option<std::path::PathBuf> {
    let dir = scratch(name);
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(&dir)
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !mounted {
        eprintln!("note: could not mount a tmpfs (not root?): full-disk check not run");
    }
    mounted.then_some(dir)
}

#[test]
fn a_full_disk_fails_cleanly_and_keeps_the_old_file() {
    // An 8 KiB tmpfs: the CSV does not fit.
    let Some(dir) = tmpfs("full", "8k") else {
        return;
    };
    let out = dir.join("results.csv");
    fs::write(&out, "precious").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_attrition"))
        .args([
            "run",
            "scenarios/status-quo.toml",
            "-n",
            "500",
            "-f",
            "csv",
            "-q",
            "-o",
        ])
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    let left: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let kept = fs::read_to_string(&out).unwrap();
    let _ = Command::new("umount").arg(&dir).status();
    let _ = fs::remove_dir_all(&dir);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("No space left on device") && err.contains("nothing was written"),
        "{err}"
    );
    assert_eq!(kept, "precious");
    assert_eq!(left.len(), 1, "temporary files left behind: {left:?}");
}

#[test]
fn a_full_disk_during_plot_writes_no_figure() {
    // A 64 KiB tmpfs: the figures and their saved data do not fit.
    let Some(dir) = tmpfs("fullplot", "64k") else {
        return;
    };
    let figs = dir.join("figs");
    let o = Command::new(env!("CARGO_BIN_EXE_attrition"))
        .args([
            "run",
            "scenarios/status-quo.toml",
            "-n",
            "500",
            "-q",
            "--plot",
        ])
        .arg(&figs)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    let left: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let _ = Command::new("umount").arg(&dir).status();
    let _ = fs::remove_dir_all(&dir);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("no figure was written"), "{err}");
    assert!(left.is_empty(), "left behind: {left:?}");
}
