//! `fit` output: a scenario fragment (TOML) whose comments carry the diagnostics, and
//! the same numbers as JSON for notebooks.

use super::envelope::{Body, Envelope};
use crate::calibrate::fit::{Fit, SMOOTH_HALF};
use crate::calibrate::series::{Series, SeriesKind};
use crate::sample::normal::Z95;
use crate::Date;
use serde::Serialize;
use std::fmt::Write;

/// A rate for a scenario file: whole numbers above 100, three significant digits below.
pub fn round_rate(x: f64) -> String {
    if x >= 100.0 {
        format!("{}", x.round() as i64)
    } else if x <= 0.0 || !x.is_finite() {
        format!("{x}")
    } else {
        let digits = (2 - x.abs().log10().floor() as i32).max(0) as usize;
        format!("{x:.digits$}")
    }
}

/// Checks a side name for the fragment: the fragment is pasted into a scenario, so the
/// name must be one the scenario loader accepts (its rule, not a second one).
pub fn check_side(name: &str) -> Result<(), String> {
    if crate::scenario::sections::sides::valid_side_name(name) {
        Ok(())
    } else {
        Err(format!(
            "'{name}' is not a usable side name: as in scenario files, use letters, digits, '_' or '-', starting with a letter, and not 'combined'"
        ))
    }
}

/// `name` as a TOML key: bare when TOML allows it, else a basic string with escapes.
/// Side names are checked before they get here (`check_side`), so this is the second
/// line of defence: no name can end the table header and start another table.
pub fn toml_key(name: &str) -> String {
    let bare = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    if !name.is_empty() && name.chars().all(bare) {
        return name.to_string();
    }
    let mut s = String::from("\"");
    for c in name.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(s, "\\u{:04X}", c as u32);
            }
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// Text for a comment line: TOML comments end at a newline and may not hold other
/// control characters, so a file name or argument holding them (`a\n[evil]`) is written
/// with them escaped, and cannot add lines to the fragment.
pub fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The pasteable fragment. `command` is how the fit was asked for, quoted in a comment.
pub fn toml(series: &Series, side: &str, fit: &Fit, command: &str) -> String {
    let mut s = String::new();
    let d = &fit.diagnostics;
    let command = comment_text(command);
    let _ = writeln!(s, "# Fitted by: {command}");
    let _ = writeln!(
        s,
        "# Series: {}, column `{}` ({}), {}..{}; corrections removed: {}.",
        comment_text(&series.file),
        comment_text(&series.column),
        match series.kind {
            SeriesKind::Cumulative => "cumulative, differenced to daily counts",
            SeriesKind::Daily => "daily counts",
        },
        series.start,
        series.end(),
        if series.corrections_removed != 0.0 {
            format!("{} in total", series.corrections_removed)
        } else {
            "none".to_string()
        }
    );
    let _ = writeln!(
        s,
        "# Window: {}..{} ({} days). Mean {}/day; 90% range of the mean {}..{} (se {}),",
        fit.from,
        fit.to,
        fit.days,
        round_rate(fit.mean),
        round_rate(fit.mean_lo),
        round_rate(fit.mean_hi),
        round_rate(fit.mean_se)
    );
    let _ = writeln!(
        s,
        "#   centred moving-block bootstrap: {} replicates, {}-day blocks, seed {}.",
        fit.replicates, fit.block_days, fit.seed
    );
    match &fit.drift {
        Some(dr) => {
            let _ = writeln!(
                s,
                "# Widened for drift: over the {} days up to the window's end, {}-day-ahead means differed from trailing\n\
#   {}-day means by {:.3} rms in log ({:+.3} on average, {} origins); less the mean's uncertainty and\n\
#   daily noise, drift sigma {:.3}, added in log variance to the mean's.",
                dr.history_days, dr.horizon_days, fit.days, dr.rms_log_ratio, dr.mean_log_ratio, dr.origins, dr.sigma
            );
        }
        None => {
            let _ = writeln!(
                s,
                "# NOT widened for drift: the range is the uncertainty of the window's mean only; the rate's"
            );
            let _ = writeln!(
                s,
                "#   future drift is not in it (see docs/calibration.md and `--drift-horizon`)."
            );
        }
    }
    let _ = writeln!(
        s,
        "# Noise: cv {:.3} of a day's count around its {}-day centred moving average (method of moments,",
        fit.cv,
        2 * SMOOTH_HALF + 1
    );
    let _ = writeln!(
        s,
        "#   corrected for the average's own share); gamma shape {:.1}, lognormal sigma {:.3}.",
        fit.gamma_shape, fit.lognormal_sigma
    );
    let _ = writeln!(
        s,
        "# Trend: {:+.1}% a month (se {:.1}%): {}.",
        100.0 * fit.trend.per_month,
        100.0 * fit.trend.se,
        if fit.trend.supported {
            "supported by the data (|slope| >= 2 se); a constant rate ignores it"
        } else {
            "not supported by the data (|slope| < 2 se)"
        }
    );
    let _ = writeln!(
        s,
        "# Diagnostics: {} zero days; {} outliers{}; lag-1 autocorrelation {:.2} (counts), {:.2} (noise);",
        d.zero_days,
        d.outliers.len(),
        if d.outliers.is_empty() {
            String::new()
        } else {
            format!(
                " ({})",
                d.outliers
                    .iter()
                    .take(5)
                    .map(|x| x.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
        d.lag1_counts,
        d.lag1_noise
    );
    let _ = writeln!(
        s,
        "#   dispersion index {:.1} (Poisson 1); {:.0}% of counts are multiples of 10; KS distance of the noise",
        d.dispersion_index,
        100.0 * d.multiples_of_10
    );
    let _ = writeln!(
        s,
        "#   to the fitted gamma {:.3}, lognormal {:.3} (5% critical value about {:.3} for independent days).",
        d.ks_gamma,
        d.ks_lognormal,
        1.36 / (fit.days as f64).sqrt()
    );
    let _ = writeln!(
        s,
        "# The data cannot tell: the source's bias (this is one belligerent's claim), the rate's future"
    );
    let _ = writeln!(
        s,
        "#   drift beyond what the series did before, or day-to-day dependence the engine's independent"
    );
    let _ = writeln!(
        s,
        "#   daily noise leaves out (lag-1 noise autocorrelation above)."
    );
    let _ = writeln!(s, "[sides.{}]", toml_key(side));
    // A lognormal's 90% interval is its median's log +/- Z95 sd.
    let sigma = (fit.rate_hi / fit.rate_lo).ln() / (2.0 * Z95);
    let _ = writeln!(
        s,
        "rate_per_day = {{ lo = {}, hi = {} }}  # 90%, lognormal (log sd {:.3}); fitted as above",
        round_rate(fit.rate_lo),
        round_rate(fit.rate_hi),
        sigma
    );
    let _ = writeln!(s, "[noise]");
    let _ = writeln!(s, "model = \"gamma\"");
    // A scenario's cv must be positive: a fitted 0 (a constant series) is written as
    // the smallest that rounds to the shown precision, and said so.
    let note = if fit.cv < 0.001 {
        " (fitted below 0.001; raised to it)"
    } else {
        ""
    };
    let _ = writeln!(
        s,
        "cv = {:.3}  # day-to-day noise fitted as above{note}",
        fit.cv.max(0.001)
    );
    s
}

/// The body of the JSON document.
#[derive(Serialize)]
pub struct FitBody<'a> {
    /// How the fit was asked for.
    pub command: &'a str,
    pub series: SeriesInfo<'a>,
    pub side: &'a str,
    pub fit: &'a Fit,
}

/// The series fitted, as read.
#[derive(Serialize)]
pub struct SeriesInfo<'a> {
    pub file: &'a str,
    pub column: &'a str,
    pub kind: SeriesKind,
    pub first_date: Date,
    pub last_date: Date,
    pub corrections_removed: f64,
}

impl Body for FitBody<'_> {
    const SCHEMA: &'static str = "attrition.fit";
    const SCHEMA_VERSION: u32 = 1;
}

/// The fit as JSON: schema, tool version, inputs and every number.
pub fn json(series: &Series, side: &str, fit: &Fit, command: &str) -> Vec<u8> {
    Envelope::new(FitBody {
        command,
        series: SeriesInfo {
            file: &series.file,
            column: &series.column,
            kind: series.kind,
            first_date: series.start,
            last_date: series.end(),
            corrections_removed: series.corrections_removed,
        },
        side,
        fit,
    })
    .to_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_round_to_what_a_scenario_needs() {
        assert_eq!(round_rate(1021.4), "1021");
        assert_eq!(round_rate(12.345), "12.3");
        assert_eq!(round_rate(0.01234), "0.0123");
    }

    #[test]
    fn keys_are_quoted_so_they_read_back_as_themselves() {
        assert_eq!(toml_key("russia"), "russia");
        assert_eq!(toml_key("a-b_9"), "a-b_9");
        for name in [
            "x\"]\n[evil",
            "a.b",
            "",
            "back\\slash",
            "tab\there",
            "\u{1}\u{7f}",
            "é",
        ] {
            let key = toml_key(name);
            let doc: toml::Table = toml::from_str(&format!("[sides.{key}]\nx = 1\n"))
                .unwrap_or_else(|e| panic!("{name:?} as {key}: {e}"));
            let sides = doc["sides"].as_table().unwrap();
            assert_eq!(sides.keys().collect::<Vec<_>>(), [name], "{key}");
            assert_eq!(doc.len(), 1);
        }
    }

    #[test]
    fn side_names_follow_the_scenario_rule() {
        for ok in ["russia", "ukraine", "side_2", "a-b"] {
            assert!(check_side(ok).is_ok(), "{ok}");
        }
        for bad in ["combined", "", "1st", "a.b", "x\"]\n[evil", "é"] {
            assert!(check_side(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn comments_cannot_gain_lines() {
        assert_eq!(
            comment_text("a\n[evil]\r\u{0}b\tc"),
            "a\\n[evil]\\r\\u{0}b\tc"
        );
    }
}
