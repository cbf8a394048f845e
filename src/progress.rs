//! A progress line on stderr for long runs: paths per second and time left. Drawn only
//! when stderr is a terminal, from one second into a run, at most ten times a second.

use attrition::engine::Progress;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Bar<'a> {
    label: String,
    /// What is counted: `paths`, or `origins` for a backtest.
    unit: &'static str,
    total: u64,
    done: AtomicU64,
    start: Instant,
    last_draw: Mutex<Instant>,
    drawn: AtomicBool,
    interrupted: &'a AtomicBool,
}

impl<'a> Bar<'a> {
    pub fn new(label: &str, total: u64, interrupted: &'a AtomicBool) -> Self {
        Bar::counting(label, total, "paths", interrupted)
    }

    /// A bar that counts `unit`s of work instead of paths.
    pub fn counting(
        label: &str,
        total: u64,
        unit: &'static str,
        interrupted: &'a AtomicBool,
    ) -> Self {
        let now = Instant::now();
        Bar {
            label: label.to_string(),
            unit,
            total,
            done: AtomicU64::new(0),
            start: now,
            last_draw: Mutex::new(now),
            drawn: AtomicBool::new(false),
            interrupted,
        }
    }
}

impl Progress for Bar<'_> {
    fn advance(&self, paths: u64) {
        let done = self.done.fetch_add(paths, Ordering::Relaxed) + paths;
        let elapsed = self.start.elapsed();
        if elapsed < Duration::from_secs(1) {
            return;
        }
        let Ok(mut last) = self.last_draw.try_lock() else {
            return;
        };
        if last.elapsed() < Duration::from_millis(100) && self.drawn.load(Ordering::Relaxed) {
            return;
        }
        *last = Instant::now();
        self.drawn.store(true, Ordering::Relaxed);
        eprint!(
            "\r\x1b[2K{}",
            line(&self.label, done, self.total, self.unit, elapsed)
        );
        let _ = std::io::stderr().flush();
    }

    fn cancelled(&self) -> bool {
        self.interrupted.load(Ordering::Relaxed)
    }
}

/// `w1  [#########...........]  45%  1.21 M paths/s  3 s left`; for other units, the
/// count done: `backtest  [###.....]  12%  110/900 origins  95 s left`.
pub fn line(label: &str, done: u64, total: u64, unit: &str, elapsed: Duration) -> String {
    let frac = if total == 0 {
        1.0
    } else {
        done as f64 / total as f64
    };
    let width = 24;
    let filled = ((frac * width as f64) as usize).min(width);
    let rate = done as f64 / elapsed.as_secs_f64().max(1e-9);
    let left = if rate > 0.0 {
        (total - done.min(total)) as f64 / rate
    } else {
        f64::INFINITY
    };
    let pace = match unit {
        "paths" if rate >= 1e6 => format!("{:.2} M paths/s", rate / 1e6),
        "paths" => format!("{:.0} k paths/s", rate / 1e3),
        _ => format!("{done}/{total} {unit}"),
    };
    format!(
        "{label}  [{}{}]  {:>3.0}%  {pace}  {} left",
        "#".repeat(filled),
        ".".repeat(width - filled),
        frac * 100.0,
        if left.is_finite() {
            format!("{left:.0} s")
        } else {
            "?".to_string()
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_shows_share_rate_and_time_left() {
        let l = line(
            "w1",
            450_000,
            1_000_000,
            "paths",
            Duration::from_millis(370),
        );
        assert_eq!(
            l,
            "w1  [##########..............]   45%  1.22 M paths/s  0 s left"
        );
        let l = line("big", 50_000, 10_000_000, "paths", Duration::from_secs(1));
        assert!(l.ends_with("50 k paths/s  199 s left"), "{l}");
        let l = line("backtest", 3, 12, "origins", Duration::from_secs(6));
        assert!(l.ends_with("25%  3/12 origins  18 s left"), "{l}");
    }
}
