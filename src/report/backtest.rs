//! `attrition backtest`'s outputs: the readable table, the versioned JSON document and
//! a tidy long CSV, of the scores `calibrate::summary` computed.

use super::envelope::{Body, Envelope};
use super::escape::terminal;
use crate::calibrate::backtest::{Backtest, Crossing, OriginFit, Scored};
use crate::calibrate::summary::{CrossingScores, Summaries, Summary};
use crate::Date;
use serde::Serialize;
use std::fmt::Write;

/// What was backtested, recorded in every output.
#[derive(Clone, Debug, PartialEq, Serialize)]
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

/// The table: what was run, the skipped origins by reason, then the scores of the
/// increases and of the crossings.
pub fn table(bt: &Backtest, scores: &Summaries, inputs: &Inputs) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Backtest: side {} of {} on {} (`{}`{}), origins {} every {}, fit window {} days, {} paths, seed {}",
        terminal(&inputs.side),
        terminal(&inputs.scenario),
        terminal(&inputs.series),
        terminal(&inputs.column),
        inputs
            .corrections
            .as_ref()
            .map(|c| format!(", corrections {} removed", terminal(c)))
            .unwrap_or_default(),
        terminal(&inputs.origins),
        terminal(&inputs.every),
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
    for r in &scores.increase {
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
    for c in &scores.crossing {
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

/// The body of the JSON document.
#[derive(Serialize)]
pub struct BacktestBody<'a> {
    pub inputs: &'a Inputs,
    pub summary: &'a [Summary],
    pub crossing_summary: &'a [CrossingScores],
    pub origins: &'a [Date],
    pub skipped: Vec<Skipped<'a>>,
    pub forecasts: &'a [Scored],
    pub crossings: &'a [Crossing],
    pub fits: &'a [OriginFit],
}

/// An origin (or a method at it) left out, with why.
#[derive(Serialize)]
pub struct Skipped<'a> {
    pub origin: Date,
    pub reason: &'a str,
}

impl Body for BacktestBody<'_> {
    const SCHEMA: &'static str = "attrition.backtest";
    const SCHEMA_VERSION: u32 = 1;
}

/// The JSON document: inputs, scores, and every forecast, crossing and fit.
pub fn json(bt: &Backtest, scores: &Summaries, inputs: &Inputs) -> Vec<u8> {
    Envelope::new(BacktestBody {
        inputs,
        summary: &scores.increase,
        crossing_summary: &scores.crossing,
        origins: &bt.origins_used,
        skipped: bt
            .skipped
            .iter()
            .map(|(origin, reason)| Skipped {
                origin: *origin,
                reason,
            })
            .collect(),
        forecasts: &bt.scored,
        crossings: &bt.crossings,
        fits: &bt.fits,
    })
    .to_bytes()
}

/// Tidy long CSV: one row per (section, method, horizon, statistic).
pub fn csv(scores: &Summaries) -> String {
    let mut s = String::from("section,method,horizon_days,statistic,value\n");
    for r in &scores.increase {
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
    for c in &scores.crossing {
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
