//! Comparing scenarios: differences of crossing-date quantiles with confidence intervals,
//! and how often one scenario crosses first, from paired runs (`engine::compare`).
//!
//! Confidence intervals come from batch means: the paths are split into groups by index,
//! the quantile difference is computed in each group, and the half-width is
//! `t(0.975, g - 1) * sd / sqrt(g)` over the g groups where both quantiles exist, around
//! the difference over all paths. With common random numbers the groups agree far more
//! closely than with independent runs, which is the point of running them paired. Plain
//! runs use 32 groups of independent paths; runs with randomized quasi-Monte Carlo
//! inputs (`Method::Reduced`) use the 16 scramblings, the only groups that are
//! independent of each other, and take the standard errors of the shares crossing first
//! from their spread too.
//!
//! With observations, each scenario's quantiles count its own paths' weights (its own
//! posterior), and the shares of paths on which one crosses first count the baseline's:
//! over the baseline's posterior of the shared inputs, how often the other scenario, on
//! the same inputs, crosses first.

use crate::date::Date;
use crate::engine::compare::PairTally;
use crate::engine::{Method, RunConfig};
use crate::model::Model;
use crate::projection::{MethodInfo, CROSSING_LEVELS};
use crate::sample::sobol::REPLICATES;
use crate::stats::binomial_se;
use crate::stats::DayCounts;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    pub baseline: String,
    pub threshold: String,
    pub reference_date: Date,
    pub paths: u64,
    pub seed: u64,
    /// Whether every scenario ran on the same random numbers (false with --independent).
    pub common_random_numbers: bool,
    /// How the paths' inputs were drawn, and so where the intervals come from: plain
    /// Monte Carlo (32 batch-means groups) or randomized quasi-Monte Carlo (the 16
    /// scramblings).
    pub method: MethodInfo,
    /// The `--set KEY=VALUE` what-ifs every scenario was run with, as typed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub set: Vec<String>,
    pub against: Vec<PairResult>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PairResult {
    pub scenario: String,
    pub quantiles: Vec<QuantileDiff>,
    /// P(the baseline crosses strictly before this scenario); not crossing counts as never.
    pub p_baseline_first: f64,
    /// P(this scenario crosses strictly before the baseline).
    pub p_scenario_first: f64,
    pub p_same_day: f64,
    pub se_baseline_first: f64,
    pub se_scenario_first: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuantileDiff {
    pub p: f64,
    pub baseline_day: Option<u32>,
    pub scenario_day: Option<u32>,
    /// Scenario minus baseline, in days (null if either does not cross).
    pub diff_days: Option<i64>,
    /// 95% confidence interval of the difference (batch means over 32 groups, or over
    /// the 16 scramblings).
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

impl Comparison {
    pub fn new(
        models: &[&Model],
        threshold: &str,
        config: &RunConfig,
        independent: bool,
        tallies: &[PairTally],
    ) -> Comparison {
        Comparison::at_levels(
            models,
            threshold,
            config,
            independent,
            tallies,
            &CROSSING_LEVELS,
        )
    }

    /// As `new`, comparing the crossing-date quantiles `levels`.
    pub fn at_levels(
        models: &[&Model],
        threshold: &str,
        config: &RunConfig,
        independent: bool,
        tallies: &[PairTally],
        levels: &[f64],
    ) -> Comparison {
        let n = config.paths as f64;
        let reduced = config.method == Method::Reduced;
        let against = models[1..]
            .iter()
            .zip(tallies)
            .map(|(m, t)| {
                let identical = t.a_first == 0 && t.b_first == 0;
                let (groups_a, groups_b) = if reduced {
                    (scramblings(&t.groups_a), scramblings(&t.groups_b))
                } else {
                    (t.groups_a.clone(), t.groups_b.clone())
                };
                let quantiles = levels
                    .iter()
                    .map(|&p| {
                        let (qa, qb) = (t.a.quantile(p), t.b.quantile(p));
                        let diff = qa.zip(qb).map(|(a, b)| b as i64 - a as i64);
                        let groups: Vec<f64> = groups_a
                            .iter()
                            .zip(&groups_b)
                            .filter_map(|(ga, gb)| {
                                Some(gb.quantile(p)? as f64 - ga.quantile(p)? as f64)
                            })
                            .collect();
                        // The quantiles are whole days, so the estimate moves in steps
                        // of a day and the groups' spread alone misses how far it may
                        // sit from the truth: one day more either side (coverage over
                        // 100 seeds, docs/output.md). None when every path crossed on
                        // the same day in both: then the difference is exactly zero.
                        let step = if identical { 0.0 } else { 1.0 };
                        let (ci_low, ci_high) = match (diff, half_width(&groups)) {
                            (Some(d), Some(h)) => {
                                (Some(d as f64 - h - step), Some(d as f64 + h + step))
                            }
                            _ => (None, None),
                        };
                        QuantileDiff {
                            p,
                            baseline_day: qa,
                            scenario_day: qb,
                            diff_days: diff,
                            ci_low,
                            ci_high,
                        }
                    })
                    .collect();
                let weighted = !models[0].observations.is_empty();
                let (pa, pb, sa, sb) = if reduced {
                    // Each share is a ratio (paths, or the baseline's weight, crossing
                    // first over all of them): its error is the ratio estimator's over
                    // the scramblings, each weighed by its mass.
                    let u = t.mass as f64;
                    let (pa, pb) = (t.a_first as f64 / u, t.b_first as f64 / u);
                    let r_count = REPLICATES as usize;
                    let mut r = vec![[0u64; 3]; r_count];
                    for (g, c) in t.groups_first.iter().enumerate() {
                        for (x, y) in r[g % r_count].iter_mut().zip(c) {
                            *x += y;
                        }
                    }
                    let held = r.iter().filter(|c| c[2] > 0).count();
                    let se = |k: usize, p: f64| {
                        // Fewer than two scramblings hold paths only with fewer than two
                        // paths: then the binomial error, as a plain run's.
                        if held < 2 {
                            return binomial_se(p, n);
                        }
                        let parts = r.iter().map(|c| (c[k] as f64 / c[2] as f64, c[2] as f64));
                        crate::precision::ratio_standard_error(parts, r_count)
                    };
                    (pa, pb, se(0, pa), se(1, pb))
                } else if weighted {
                    // Shares of the baseline's weight, with the weighted standard error
                    // (as `Projection`'s).
                    let (u, u2) = (t.mass as f64, t.mass_sq as f64);
                    let se = |k: u64, k2: u128| {
                        let p = k as f64 / u;
                        (p, crate::projection::share_se(p, u, k2 as f64, u2))
                    };
                    let (pa, sa) = se(t.a_first, t.a_first_sq);
                    let (pb, sb) = se(t.b_first, t.b_first_sq);
                    (pa, pb, sa, sb)
                } else {
                    let (pa, pb) = (t.a_first as f64 / n, t.b_first as f64 / n);
                    (pa, pb, binomial_se(pa, n), binomial_se(pb, n))
                };
                PairResult {
                    scenario: m.name.clone(),
                    quantiles,
                    p_baseline_first: pa,
                    p_scenario_first: pb,
                    // Clamped: 1 - pa - pb may round below zero.
                    p_same_day: (1.0 - pa - pb).max(0.0),
                    se_baseline_first: sa,
                    se_scenario_first: sb,
                }
            })
            .collect();
        Comparison {
            baseline: models[0].name.clone(),
            threshold: threshold.to_string(),
            reference_date: models[0].reference_date,
            paths: config.paths,
            seed: config.seed,
            common_random_numbers: !independent,
            method: MethodInfo {
                name: config.method,
                replicates: reduced.then_some(REPLICATES),
                ..MethodInfo::default()
            },
            set: Vec::new(),
            against,
        }
    }
}

/// The 16 scramblings' counts from the 32 batch-means groups: group `g` holds paths of
/// scrambling `g % 16`.
fn scramblings(groups: &[DayCounts]) -> Vec<DayCounts> {
    let r = REPLICATES as usize;
    let mut out: Vec<DayCounts> = groups[..r].to_vec();
    for (g, c) in groups[r..].iter().enumerate() {
        out[g % r].merge(c);
    }
    out
}

/// `t(0.975, g - 1) * sd / sqrt(g)` of the group values, if there are at least two.
fn half_width(values: &[f64]) -> Option<f64> {
    let g = values.len();
    if g < 2 {
        return None;
    }
    let t = StudentsT::new(0.0, 1.0, (g - 1) as f64)
        .ok()?
        .inverse_cdf(0.975);
    Some(t * crate::precision::standard_error(values.iter().copied()))
}
