//! Backtest scores per method and horizon, and their table, JSON and CSV renderings.

use super::backtest::{Backtest, Method};
use super::stats::mean;
use crate::Date;
use std::fmt::Write;

/// What was backtested, recorded in every output.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Inputs {
    pub scenario: String,
    pub series: String,
    pub column: String,
    pub corrections: Option<String>,
    pub side: String,
    pub origins: String,
    pub every: String,
    pub horizons: Vec<u32>,
    pub window_days: u32,
    pub threshold_step: f64,
    pub paths: u64,
    pub seed: u64,
    pub replicates: u32,
}

/// Scores of one method at one horizon over the origins.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Summary {
    pub method: Method,
    pub horizon_days: u32,
    pub origins: usize,
    /// Share of outcomes inside the central 50% and 90% intervals.
    pub coverage_50: f64,
    pub coverage_90: f64,
    /// Binomial standard errors at the nominal rates: a rough guide that understates,
    /// since overlapping horizons make neighbouring outcomes dependent.
    pub binomial_se_50: f64,
    pub binomial_se_90: f64,
    pub mean_crps: f64,
    pub mean_observed: f64,
    /// Median of |median - observed|, and the mean of (median - observed): bias.
    pub median_abs_error: f64,
    pub mean_signed_error: f64,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CrossingSummary {
    pub method: Method,
    pub origins: usize,
    /// Origins whose median crossing lay beyond the longest horizon (scored as the day
    /// after it, so their error is a lower bound).
    pub beyond_horizon: usize,
    pub mean_abs_error_days: f64,
    pub mean_signed_error_days: f64,
    pub coverage_90: f64,
}

pub fn summarise(bt: &Backtest, horizons: &[u32]) -> (Vec<Summary>, Vec<CrossingSummary>) {
    let mut rows = Vec::new();
    for method in Method::ALL {
        for &h in horizons {
            let s: Vec<_> = bt
                .scored
                .iter()
                .filter(|s| s.method == method && s.horizon_days == h)
                .collect();
            if s.is_empty() {
                continue;
            }
            let n = s.len() as f64;
            let cover = |a: usize, b: usize| {
                s.iter()
                    .filter(|x| x.q[a] <= x.observed && x.observed <= x.q[b])
                    .count() as f64
                    / n
            };
            let mut abs: Vec<f64> = s.iter().map(|x| (x.q[2] - x.observed).abs()).collect();
            abs.sort_by(f64::total_cmp);
            rows.push(Summary {
                method,
                horizon_days: h,
                origins: s.len(),
                coverage_50: cover(1, 3),
                coverage_90: cover(0, 4),
                binomial_se_50: (0.25f64 / n).sqrt(),
                binomial_se_90: (0.09f64 / n).sqrt(),
                mean_crps: mean(&s.iter().map(|x| x.crps).collect::<Vec<_>>()),
                mean_observed: mean(&s.iter().map(|x| x.observed).collect::<Vec<_>>()),
                median_abs_error: super::stats::quantile_sorted(&abs, 0.5),
                mean_signed_error: mean(&s.iter().map(|x| x.q[2] - x.observed).collect::<Vec<_>>()),
            });
        }
    }
    let last = horizons.last().copied().unwrap_or(0);
    let mut cross = Vec::new();
    for method in Method::ALL {
        let c: Vec<_> = bt.crossings.iter().filter(|c| c.method == method).collect();
        if c.is_empty() {
            continue;
        }
        let err: Vec<f64> = c
            .iter()
            .map(|c| c.median.unwrap_or(last + 1) as f64 - c.observed_day as f64)
            .collect();
        let covered = c.iter().filter(|c| c.covered_90()).count();
        cross.push(CrossingSummary {
            method,
            origins: c.len(),
            beyond_horizon: c.iter().filter(|c| c.median.is_none()).count(),
            mean_abs_error_days: mean(&err.iter().map(|e| e.abs()).collect::<Vec<_>>()),
            mean_signed_error_days: mean(&err),
            coverage_90: covered as f64 / c.len() as f64,
        });
    }
    (rows, cross)
}

pub fn table(bt: &Backtest, inputs: &Inputs) -> String {
    let (rows, cross) = summarise(bt, &inputs.horizons);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Backtest: side {} of {} on {} (`{}`{}), origins {} every {}, fit window {} days, {} paths, seed {}",
        inputs.side,
        inputs.scenario,
        inputs.series,
        inputs.column,
        inputs
            .corrections
            .as_ref()
            .map(|c| format!(", corrections {c} removed"))
            .unwrap_or_default(),
        inputs.origins,
        inputs.every,
        inputs.window_days,
        inputs.paths,
        inputs.seed
    );
    let _ = writeln!(s, "{} origins scored.", bt.origins_used.len());
    if !bt.skipped.is_empty() {
        let _ = write!(s, "Skipped:\n{}", skipped_by_reason(&bt.skipped));
    }
    let _ = writeln!(
        s,
        "Scores of the increase from each origin to origin + horizon (people):\n"
    );
    let _ = writeln!(
        s,
        "{:<12} {:>7} {:>4} {:>13} {:>13} {:>10} {:>10} {:>12} {:>12}",
        "method",
        "horizon",
        "n",
        "cover50 (se)",
        "cover90 (se)",
        "mean CRPS",
        "mean obs",
        "|med err|",
        "bias"
    );
    for r in &rows {
        let _ = writeln!(
            s,
            "{:<12} {:>6}d {:>4} {:>6.2} ({:.2}) {:>6.2} ({:.2}) {:>10.0} {:>10.0} {:>12.0} {:>+12.0}",
            r.method.as_str(),
            r.horizon_days,
            r.origins,
            r.coverage_50,
            r.binomial_se_50,
            r.coverage_90,
            r.binomial_se_90,
            r.mean_crps,
            r.mean_observed,
            r.median_abs_error,
            r.mean_signed_error
        );
    }
    let _ = writeln!(
        s,
        "\nCrossing of the next multiple of {} above each origin's level (days after the origin):\n",
        inputs.threshold_step
    );
    let _ = writeln!(
        s,
        "{:<12} {:>4} {:>8} {:>14} {:>12} {:>8}",
        "method", "n", "beyond", "mean |err| d", "bias d", "cover90"
    );
    for c in &cross {
        let _ = writeln!(
            s,
            "{:<12} {:>4} {:>8} {:>14.1} {:>+12.1} {:>8.2}",
            c.method.as_str(),
            c.origins,
            c.beyond_horizon,
            c.mean_abs_error_days,
            c.mean_signed_error_days,
            c.coverage_90
        );
    }
    let _ = writeln!(
        s,
        "\nse: binomial standard error at the nominal rate; it understates, since outcomes of\n\
neighbouring origins overlap. bias: mean of (projected median - observed)."
    );
    s
}

pub fn json(bt: &Backtest, inputs: &Inputs) -> Vec<u8> {
    let (rows, cross) = summarise(bt, &inputs.horizons);
    crate::report::envelope(
        "attrition.backtest",
        1,
        serde_json::json!({
            "inputs": inputs,
            "summary": rows,
            "crossing_summary": cross,
            "origins": bt.origins_used,
            "skipped": bt.skipped.iter().map(|(d, why)| serde_json::json!({"origin": d, "reason": why})).collect::<Vec<_>>(),
            "forecasts": bt.scored,
            "crossings": bt.crossings,
            "fits": bt.fits,
        }),
    )
}

/// Tidy long CSV: one row per (section, method, horizon, statistic).
pub fn csv(bt: &Backtest, inputs: &Inputs) -> String {
    let (rows, cross) = summarise(bt, &inputs.horizons);
    let mut s = String::from("section,method,horizon_days,statistic,value\n");
    for r in &rows {
        let m = r.method.as_str();
        for (k, v) in [
            ("origins", r.origins as f64),
            ("coverage_50", r.coverage_50),
            ("coverage_90", r.coverage_90),
            ("binomial_se_50", r.binomial_se_50),
            ("binomial_se_90", r.binomial_se_90),
            ("mean_crps", r.mean_crps),
            ("mean_observed", r.mean_observed),
            ("median_abs_error", r.median_abs_error),
            ("mean_signed_error", r.mean_signed_error),
        ] {
            let _ = writeln!(s, "increase,{m},{},{k},{v}", r.horizon_days);
        }
    }
    for c in &cross {
        let m = c.method.as_str();
        for (k, v) in [
            ("origins", c.origins as f64),
            ("beyond_horizon", c.beyond_horizon as f64),
            ("mean_abs_error_days", c.mean_abs_error_days),
            ("mean_signed_error_days", c.mean_signed_error_days),
            ("coverage_90", c.coverage_90),
        ] {
            let _ = writeln!(s, "crossing,{m},,{k},{v}");
        }
    }
    s
}

/// The skipped origins (or methods at an origin) counted by reason, one line each, with
/// the dates they span: `  6 origins (2026-02-01 to 2026-07-01): its 180-day horizon runs
/// past ...`. A reason that names its own origin's date counts with the same reason at
/// other origins. Reasons keep the order in which they first occur.
pub fn skipped_by_reason(skipped: &[(Date, String)]) -> String {
    let mut reasons: Vec<(String, Vec<Date>)> = Vec::new();
    for (date, why) in skipped {
        let why = why.replace(&date.to_string(), "the origin");
        match reasons.iter_mut().find(|(r, _)| *r == why) {
            Some((_, dates)) => dates.push(*date),
            None => reasons.push((why, vec![*date])),
        }
    }
    let mut out = String::new();
    for (why, dates) in reasons {
        let (first, last) = (dates[0], dates[dates.len() - 1]);
        let span = match dates.len() {
            1 => format!("1 origin ({first})"),
            n => format!("{n} origins ({first} to {last})"),
        };
        let _ = writeln!(out, "  {span}: {why}");
    }
    out
}
