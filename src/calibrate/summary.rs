//! Backtest scores per method and horizon, over the origins (rendered by
//! `report::backtest`).

use super::backtest::{Backtest, Method};
use super::stats::mean;

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
pub struct CrossingScores {
    pub method: Method,
    pub origins: usize,
    /// Origins whose median crossing lay beyond the longest horizon (scored as the day
    /// after it, so their error is a lower bound).
    pub beyond_horizon: usize,
    pub mean_abs_error_days: f64,
    pub mean_signed_error_days: f64,
    pub coverage_90: f64,
}

/// The scores of a backtest: per method and horizon, and of the crossings per method.
#[derive(Clone, Debug, PartialEq)]
pub struct Summaries {
    pub increase: Vec<Summary>,
    pub crossing: Vec<CrossingScores>,
}

/// Scores every method at each of `horizons` (ascending; the last bounds the crossings).
pub fn summarise(bt: &Backtest, horizons: &[u32]) -> Summaries {
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
        cross.push(CrossingScores {
            method,
            origins: c.len(),
            beyond_horizon: c.iter().filter(|c| c.median.is_none()).count(),
            mean_abs_error_days: mean(&err.iter().map(|e| e.abs()).collect::<Vec<_>>()),
            mean_signed_error_days: mean(&err),
            coverage_90: covered as f64 / c.len() as f64,
        });
    }
    Summaries {
        increase: rows,
        crossing: cross,
    }
}
