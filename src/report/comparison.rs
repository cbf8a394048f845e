//! `attrition compare`'s outputs: the readable table and the versioned JSON document.
//! Names from scenario files go through `terminal` in the table.

use super::envelope::{Body, Envelope};
use super::escape::terminal;
use crate::comparison::Comparison;
use serde::Serialize;
use std::fmt::Write;

/// The body of the JSON document.
#[derive(Serialize)]
pub struct ComparisonBody<'a> {
    pub comparison: &'a Comparison,
}

impl Body for ComparisonBody<'_> {
    const SCHEMA: &'static str = "attrition.comparison";
    /// 2: `method`, and intervals from the scramblings by default.
    const SCHEMA_VERSION: u32 = 2;
}

/// The JSON document: the envelope, then `comparison`.
pub fn json(c: &Comparison) -> Vec<u8> {
    Envelope::new(ComparisonBody { comparison: c }).to_bytes()
}

/// The table: per scenario against the baseline, the quantile differences with their
/// intervals, then who crosses first.
pub fn table(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} compared with {}: {} paths, seed {}, {}",
        terminal(&c.threshold),
        terminal(&c.baseline),
        c.paths,
        c.seed,
        if c.common_random_numbers {
            "common random numbers"
        } else {
            "independent runs"
        }
    );
    let _ = writeln!(
        out,
        "method: {}",
        match c.method.replicates {
            Some(r) => format!(
                "randomized quasi-Monte Carlo inputs; intervals and errors from {r} scramblings"
            ),
            None => "plain Monte Carlo; intervals from 32 batch-means groups".to_string(),
        }
    );
    if !c.set.is_empty() {
        let set: Vec<String> = c
            .set
            .iter()
            .map(|a| format!("--set {}", terminal(a)))
            .collect();
        let _ = writeln!(out, "what-if: {}", set.join(" "));
    }
    for r in &c.against {
        let _ = writeln!(
            out,
            "\n{} minus {} (days; 95% confidence interval)",
            terminal(&r.scenario),
            terminal(&c.baseline)
        );
        for q in &r.quantiles {
            let day = |d: Option<u32>| {
                d.map_or("not crossed".to_string(), |d| {
                    c.reference_date.add_days(d as i64).to_string()
                })
            };
            let diff = match (q.diff_days, q.ci_low, q.ci_high) {
                (Some(d), Some(lo), Some(hi)) => format!("{d:+} ({lo:+.1} to {hi:+.1})"),
                (Some(d), _, _) => format!("{d:+}"),
                _ => "-".to_string(),
            };
            let _ = writeln!(
                out,
                "  {:<4} {:<12} -> {:<12} {}",
                super::table::percent_label(q.p),
                day(q.baseline_day),
                day(q.scenario_day),
                diff
            );
        }
        let _ = writeln!(
            out,
            "  P({} crosses first) = {:.4} (se {:.4}); P({} first) = {:.4} (se {:.4}); same day {:.4}",
            r.scenario, r.p_scenario_first, r.se_scenario_first, c.baseline, r.p_baseline_first, r.se_baseline_first, r.p_same_day
        );
    }
    out
}
