//! `attrition validate`: load every file, report every problem, run nothing.

use super::*;

pub(super) fn validate(files: &[PathBuf]) -> i32 {
    let Some(models) = load_all(files) else {
        return EXIT_BAD_INPUT;
    };
    let mut text = String::new();
    for (file, m) in models {
        text.push_str(&format!("{file}: ok ({})\n", summary(&m)));
    }
    print_stdout(text.as_bytes())
}

/// What a valid scenario holds, in words: `status-quo: 2 sides, 1 threshold, horizon
/// 2028-12-31`, with the dynamics it uses.
fn summary(m: &Model) -> String {
    let count = |n: usize, one: &str| match n {
        1 => format!("1 {one}"),
        n => format!("{n} {one}s"),
    };
    let mut parts = vec![
        count(m.sides.len(), "side"),
        count(m.thresholds.len(), "threshold"),
    ];
    let optional = [
        (m.phases.len(), "phase"),
        (m.events.len(), "event"),
        (m.regimes.as_ref().map_or(0, |r| r.names.len()), "regime"),
        (m.correlations.len(), "correlation"),
    ];
    parts.extend(
        optional
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|&(n, one)| count(n, one)),
    );
    if m.seasonality.is_some() {
        parts.push("seasonality".into());
    }
    if m.trend.is_some() {
        parts.push("a trend".into());
    }
    if m.force_law.is_some() {
        parts.push("force-dependent losses".into());
    }
    format!(
        "{}: {}, horizon {}",
        terminal(&m.name),
        parts.join(", "),
        m.horizon_date()
    )
}
