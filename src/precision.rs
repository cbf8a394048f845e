//! The error of every figure of a run: 95% confidence intervals for the crossing-date and
//! stock quantiles, and, for a run with randomized quasi-Monte Carlo inputs
//! (`engine::Method::Reduced`), every standard error from the spread of its scramblings.
//!
//! A reduced run is `R = sobol::REPLICATES` independent scramblings of one point set, and
//! each scrambling's paths give an unbiased estimate of every figure; their mean (the
//! figure over all paths) has the standard error `s / sqrt(R)`, with `s` the scramblings'
//! sample standard deviation, and intervals use Student's t with `R - 1` degrees of
//! freedom. A plain run's errors are the paths' own (binomial, or the weighted
//! delta-method's), and its intervals use the normal quantile.
//!
//! A quantile's interval is Woodruff's (1952): with `F` the estimated distribution
//! function and `se` the standard error of `F` at the quantile `x_p`, the interval is
//! `[F^-1(p - t se), F^-1(p + t se)]`, read off the same counts. It needs only the
//! error of a probability, which both methods have, and it is in the figure's own units
//! (days, people).

use crate::engine::{RunConfig, Tally};
use crate::model::Model;
use crate::projection::{CrossingQuantile, Estimator, Projection, StockQuantile};
use crate::sample::normal::inverse_cdf;
use crate::sample::sobol::{DIMENSIONS, REPLICATES};
use crate::stats::DayCounts;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Adds to `p` (the figures of `tally`: `Projection::estimates`) each quantile's interval
/// and, in a reduced run, the scramblings' standard errors.
pub(crate) fn attach(
    p: &mut Projection,
    model: &Model,
    config: &RunConfig,
    tally: &Tally,
    crossing: &[f64],
    stock: &[f64],
) {
    let reps: Vec<Projection> = tally
        .replicates
        .iter()
        .map(|t| Projection::estimates(model, config, t, None, crossing, stock))
        .collect();
    // With observations each scrambling carries its own total weight, and a share's
    // error is the ratio estimator's over them (`ratio_standard_error`).
    let masses: Option<Vec<f64>> = tally.weights.as_ref().map(|_| {
        tally
            .replicates
            .iter()
            .map(|r| r.weights.as_ref().map_or(0.0, |w| w.units as f64))
            .collect()
    });
    if !reps.is_empty() {
        replicate_errors(p, &reps, model, masses.as_deref());
    }
    let spread = Spread::of(tally);
    for (i, t) in p.thresholds.iter_mut().enumerate() {
        let counts = &tally.crossings[i];
        let parts: Vec<&DayCounts> = tally.replicates.iter().map(|r| &r.crossings[i]).collect();
        for q in &mut t.crossing {
            day_interval(model, q, counts, &parts, &spread, masses.is_some());
        }
    }
    for series in &mut p.stocks {
        let s = model
            .sides
            .iter()
            .position(|side| side.name == series.series)
            .unwrap_or(model.sides.len());
        for (r, point) in series.points.iter_mut().enumerate() {
            let Some(pooled) = tally.stock(r, s, series.metric) else {
                continue;
            };
            let parts: Vec<_> = tally
                .replicates
                .iter()
                .filter_map(|t| t.stock(r, s, series.metric))
                .collect();
            for q in &mut point.quantiles {
                stock_interval(q, pooled, &parts, &spread);
            }
        }
    }
}

/// How a run's errors are had: from `R` scramblings (`t` their Student quantile), or
/// from the paths (`n` of them, or Kish's effective number with weights).
enum Spread {
    Replicates { t: f64 },
    Paths { n: f64, z: f64 },
}

impl Spread {
    fn of(tally: &Tally) -> Spread {
        if tally.replicates.len() > 1 {
            let dof = (tally.replicates.len() - 1) as f64;
            let t = StudentsT::new(0.0, 1.0, dof)
                .expect("a positive number of degrees of freedom")
                .inverse_cdf(0.975);
            Spread::Replicates { t }
        } else {
            let n = match &tally.weights {
                Some(w) => w.effective_paths(),
                None => tally.paths as f64,
            };
            Spread::Paths {
                n,
                z: inverse_cdf(0.975),
            }
        }
    }

    /// The half-width, in probability, of the interval of a CDF estimated at `p` (over
    /// the scramblings: its values `parts` there).
    fn half_width(&self, p: f64, parts: impl Iterator<Item = f64>) -> f64 {
        match *self {
            Spread::Replicates { t } => t * standard_error(parts),
            Spread::Paths { n, z } => z * (p * (1.0 - p) / n).sqrt(),
        }
    }
}

/// The standard error of the mean of equally sized estimates: their sample standard
/// deviation over the square root of their count (NaN with fewer than two).
pub fn standard_error(values: impl Iterator<Item = f64>) -> f64 {
    let v: Vec<f64> = values.collect();
    let n = v.len() as f64;
    if v.len() < 2 {
        return f64::NAN;
    }
    let mean = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (var / n).sqrt()
}

/// The standard error of a pooled share `sum_r a_r / sum_r m_r` from each of `count`
/// scramblings' share `p_r = a_r / m_r` and mass `m_r` (`parts`; a scrambling of no mass
/// adds nothing): the ratio estimator's, `sqrt(sum_r m_r^2 (p_r - p)^2 / (R (R - 1))) /
/// mean_r m_r`. With equal masses it is `standard_error`; with observations the masses
/// (weights) can differ by orders of magnitude, and a scrambling with none has no share.
/// NaN with no mass at all or fewer than two scramblings.
pub fn ratio_standard_error(parts: impl Iterator<Item = (f64, f64)>, count: usize) -> f64 {
    let parts: Vec<(f64, f64)> = parts.filter(|&(_, m)| m > 0.0).collect();
    let total: f64 = parts.iter().map(|&(_, m)| m).sum();
    if count < 2 || total <= 0.0 {
        return f64::NAN;
    }
    let p = parts.iter().map(|&(v, m)| v * m).sum::<f64>() / total;
    let r = count as f64;
    let ss: f64 = parts.iter().map(|&(v, m)| (m * (v - p)).powi(2)).sum();
    (ss / (r * (r - 1.0))).sqrt() / (total / r)
}

/// Woodruff's interval of one crossing-day quantile.
fn day_interval(
    model: &Model,
    q: &mut CrossingQuantile,
    counts: &DayCounts,
    parts: &[&DayCounts],
    spread: &Spread,
    weighted: bool,
) {
    if counts.total() == 0 {
        return;
    }
    // The CDF is read where the quantile is: at its day, or at the horizon when it lies
    // beyond.
    let at = q.day.unwrap_or(counts.horizon());
    let cdf = |c: &DayCounts| c.crossed_by(at) as f64 / c.total() as f64;
    let h = match (spread, weighted) {
        // Each scrambling's CDF weighed by its mass (its weight units).
        (Spread::Replicates { t }, true) => {
            t * ratio_standard_error(
                parts.iter().map(|c| (cdf(c), c.total() as f64)),
                parts.len(),
            )
        }
        _ => spread.half_width(q.p, parts.iter().filter(|c| c.total() > 0).map(|c| cdf(c))),
    };
    if !h.is_finite() {
        return;
    }
    let lo = counts.quantile((q.p - h).max(f64::MIN_POSITIVE));
    let hi = if q.p + h >= 1.0 {
        counts.quantile(1.0)
    } else {
        counts.quantile(q.p + h)
    };
    q.ci_low_day = lo;
    q.ci_low_date = lo.map(|d| model.date_of(d));
    q.ci_high_day = hi;
    q.ci_high_date = hi.map(|d| model.date_of(d));
}

/// Woodruff's interval of one stock quantile.
fn stock_interval(
    q: &mut StockQuantile,
    pooled: &crate::stats::LogHistogram,
    parts: &[&crate::stats::LogHistogram],
    spread: &Spread,
) {
    if !q.value.is_finite() {
        return;
    }
    let Some(x) = pooled.quantile(q.p) else {
        return;
    };
    let h = spread.half_width(q.p, parts.iter().filter_map(|h| h.cdf(x)));
    if !h.is_finite() {
        return;
    }
    let lo = pooled.quantile((q.p - h).max(f64::MIN_POSITIVE));
    let hi = pooled.quantile((q.p + h).min(1.0));
    q.ci_low = lo.map(f64::round);
    q.ci_high = hi.map(f64::round);
}

/// Replaces every standard error of `p` by the spread of the scramblings' estimates
/// (`reps`, each from one scrambling's paths), and states the method.
fn replicate_errors(
    p: &mut Projection,
    reps: &[Projection],
    model: &Model,
    masses: Option<&[f64]>,
) {
    // A share of the paths (or, with observations, of the weight): the spread of the
    // scramblings' shares, weighed by their masses when they carry weights.
    let share_se = |values: Vec<f64>| match masses {
        None => standard_error(values.into_iter()),
        Some(m) => ratio_standard_error(values.into_iter().zip(m.iter().copied()), m.len()),
    };
    p.run.method.replicates = Some(REPLICATES);
    p.run.method.qmc_inputs = model
        .inputs()
        .iter()
        .filter(|i| i.takes_sobol(model))
        .take(DIMENSIONS)
        .map(|i| i.key.clone())
        .collect();
    let conditioned = crate::engine::conditional::conditioned_inputs(model);
    for (i, t) in p.thresholds.iter_mut().enumerate() {
        for (k, prob) in t.p_crossed_by.iter_mut().enumerate() {
            prob.se = share_se(
                reps.iter()
                    .map(|r| r.thresholds[i].p_crossed_by[k].p)
                    .collect(),
            );
            if prob.method == Estimator::Conditional {
                prob.conditioned_on = conditioned.get(i).cloned().flatten();
            }
        }
        t.p_not_crossed_se = share_se(reps.iter().map(|r| r.thresholds[i].p_not_crossed).collect());
    }
    for (e, event) in p.events.iter_mut().enumerate() {
        event.p_happened_se = share_se(reps.iter().map(|r| r.events[e].p_happened).collect());
        for (i, c) in event.thresholds.iter_mut().enumerate() {
            let of = |with: bool| {
                standard_error(reps.iter().filter_map(|r| {
                    let c = &r.events[e].thresholds[i];
                    if with {
                        c.with_event.p_not_crossed
                    } else {
                        c.without_event.p_not_crossed
                    }
                }))
            };
            if c.with_event.p_not_crossed.is_some() {
                c.with_event.p_not_crossed_se = Some(of(true));
            }
            if c.without_event.p_not_crossed.is_some() {
                c.without_event.p_not_crossed_se = Some(of(false));
            }
        }
    }
    for (g, regime) in p.regimes.iter_mut().enumerate() {
        regime.se = share_se(reps.iter().map(|r| r.regimes[g].share_of_days).collect());
    }
    for (o, obs) in p.observations.iter_mut().enumerate() {
        obs.prior_percentile_se =
            standard_error(reps.iter().map(|r| r.observations[o].prior_percentile));
    }
}

/// What a run with `--target-se` or `--target-days` asked for and reached.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Precision {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_se: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_days: Option<f64>,
    /// Whether every target was met (else the paths reached `--max-paths`).
    pub met: bool,
    /// Rounds of paths run.
    pub rounds: u64,
    /// The largest standard error of a reported probability (`Reached::se`).
    pub largest_se: f64,
    /// The widest reach of a crossing-date quantile's interval from its day, in days
    /// (`Reached::days`; infinite when an end lies beyond the horizon).
    pub widest_days: f64,
}

/// The precision of a projection's figures.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reached {
    /// The largest standard error of a reported probability: each threshold's P(crossed
    /// by) every report date and P(not crossed), each event's P(happened).
    pub se: f64,
    /// The farthest, in days, that an end of a crossing-date quantile's 95% interval lies
    /// from the quantile's day, over every threshold's quantiles that fall within the
    /// horizon; infinite when such an end lies beyond the horizon or is missing.
    pub days: f64,
}

/// How precise `p`'s figures are (`Reached`). A NaN error (too few scramblings had the
/// figure) counts as infinite: never precise enough.
pub fn reached(p: &Projection) -> Reached {
    let finite = |x: f64| if x.is_nan() { f64::INFINITY } else { x };
    let mut se: f64 = 0.0;
    for t in &p.thresholds {
        for c in &t.p_crossed_by {
            se = se.max(finite(c.se));
        }
        se = se.max(finite(t.p_not_crossed_se));
    }
    for e in &p.events {
        se = se.max(finite(e.p_happened_se));
    }
    let mut days: f64 = 0.0;
    for t in &p.thresholds {
        for q in &t.crossing {
            let Some(d) = q.day else { continue };
            let reach = match (q.ci_low_day, q.ci_high_day) {
                (Some(lo), Some(hi)) => f64::from((d - lo).max(hi - d)),
                _ => f64::INFINITY,
            };
            days = days.max(reach);
        }
    }
    Reached { se, days }
}
