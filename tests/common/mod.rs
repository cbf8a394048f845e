//! Helpers shared by the end-to-end tests: run the binary, read its output, and a fresh
//! scratch folder per test. Each test crate uses some of them.
#![allow(dead_code)]

use std::fs;
use std::path::PathBuf;
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

/// Runs the `attrition` binary with `args` and waits for it.
pub fn attrition(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_attrition"))
        .args(args)
        .output()
        .expect("the binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh folder for one test, named after the test crate, the test and the process.
pub fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "attrition-{}-{name}-{}",
        env!("CARGO_CRATE_NAME"),
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

/// Sends `signal` (`-INT`, `-TERM`) to `child` half a second after it started, and waits
/// for it: its output, and how long it took to stop after the signal.
pub fn signal_after_half_a_second(child: Child, signal: &str) -> (Output, Duration) {
    std::thread::sleep(Duration::from_millis(500));
    let sent = Instant::now();
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let o = child.wait_with_output().unwrap();
    (o, sent.elapsed())
}
