//! Paths weighted by observations: each path counts its weight in fixed-point units, so
//! that every weighted statistic is still an integer count and merges exactly.
//!
//! A path's weight is `w = exp(log_weight)`, at most 1 (each likelihood is scaled to peak
//! at 1, `model::Likelihood::log_at`). It counts `round(w K)` units in every count of the
//! tally, and `round(w^2 K)` in the sums of squares that the standard errors and the
//! effective sample size need, with `K = 2^32`: a count of at most `MAX_PATHS < 2^30`
//! paths stays below `2^62`. A weight below `1 / (2 K)`, about 1.2e-10 of the largest a
//! path can have, rounds to no units: such a path counts as explaining the observations
//! not at all, and `zero` says how many did.

use super::plan::Plan;
use super::PathState;
use crate::stats::{DayCounts, LogHistogram};

/// Units of weight 1.
pub const UNIT: u64 = 1 << 32;

/// The units of a path of log weight `log_weight`, and of its square.
pub fn units(log_weight: f64) -> (u64, u64) {
    if log_weight.is_nan() || log_weight == f64::NEG_INFINITY {
        return (0, 0);
    }
    let w = log_weight.min(0.0).exp();
    let k = UNIT as f64;
    ((w * k).round() as u64, (w * w * k).round() as u64)
}

/// What a weighted run counts besides the weighted counts themselves.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WeightTally {
    /// Units over all paths: the sum of the weights, times `UNIT`.
    pub units: u64,
    /// The sum of the squared weights, times `UNIT`.
    pub units_sq: u64,
    /// Paths whose weight rounds to no units.
    pub zero: u64,
    /// The largest log weight of any path (`None` when every path's is minus infinity).
    pub best_log_weight: Option<f64>,
    /// Per threshold: squared-weight units by crossing day.
    pub crossings_sq: Vec<DayCounts>,
    /// Per event: squared-weight units of the paths where it happened.
    pub happened_sq: Vec<u64>,
    /// Per event, per threshold: squared-weight units of the paths that did not cross,
    /// with the event and without it.
    pub not_crossed_sq: Vec<Vec<[u64; 2]>>,
    /// Per regime: the sums of `u2 d` and `u2 d^2` over paths (d: days in the regime).
    pub regime_sq: Vec<[u128; 2]>,
    pub observations: Vec<ObservationTally>,
}

/// What a run says about one observation's stock.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ObservationTally {
    /// The reported figure (the centre of its interval).
    pub value: f64,
    /// Paths (unweighted) whose stock lies below the figure, and at it.
    pub below: u64,
    pub equal: u64,
    /// The stock over paths before weighting (the prior predictive), and weighted.
    pub prior: LogHistogram,
    pub posterior: LogHistogram,
}

impl WeightTally {
    pub(super) fn new(plan: &Plan) -> Option<Self> {
        let model = plan.model;
        if model.observations.is_empty() {
            return None;
        }
        let h = model.horizon_days;
        let t = model.thresholds.len();
        Some(WeightTally {
            units: 0,
            units_sq: 0,
            zero: 0,
            best_log_weight: None,
            crossings_sq: vec![DayCounts::new(h); t],
            happened_sq: vec![0; plan.events.len()],
            not_crossed_sq: vec![vec![[0; 2]; t]; plan.events.len()],
            regime_sq: vec![[0; 2]; plan.regime_factors.len()],
            observations: model
                .observations
                .iter()
                .map(|o| ObservationTally {
                    value: o.value.centre(),
                    below: 0,
                    equal: 0,
                    prior: LogHistogram::new(plan.histogram_buckets()),
                    posterior: LogHistogram::new(plan.histogram_buckets()),
                })
                .collect(),
        })
    }

    /// Adds the path in `state`, which counts `u` units (`u2` squared).
    pub(super) fn add(&mut self, state: &PathState, (u, u2): (u64, u64)) {
        let lw = state.log_weight();
        if lw > f64::NEG_INFINITY {
            self.best_log_weight = Some(self.best_log_weight.map_or(lw, |b| b.max(lw)));
        }
        for (o, &x) in self.observations.iter_mut().zip(state.observed()) {
            o.below += u64::from(x < o.value);
            o.equal += u64::from(x == o.value);
            o.prior.add(x);
            if u > 0 {
                o.posterior.add_units(x, u);
            }
        }
        if u == 0 {
            self.zero += 1;
            return;
        }
        self.units += u;
        self.units_sq += u2;
        let crossing = state.crossing();
        for (c, &day) in self.crossings_sq.iter_mut().zip(crossing) {
            c.add_units(day, u2);
        }
        let draws = state.draws();
        for (e, d) in draws.events.iter().enumerate() {
            if d.happened {
                self.happened_sq[e] += u2;
            }
            for (t, day) in crossing.iter().enumerate() {
                if day.is_none() {
                    self.not_crossed_sq[e][t][usize::from(!d.happened)] += u2;
                }
            }
        }
        for (r, &d) in draws.regime_days.iter().enumerate() {
            let d = d as u128;
            self.regime_sq[r][0] += u2 as u128 * d;
            self.regime_sq[r][1] += u2 as u128 * d * d;
        }
    }

    pub(super) fn merge(&mut self, other: &WeightTally) {
        self.units += other.units;
        self.units_sq += other.units_sq;
        self.zero += other.zero;
        self.best_log_weight = match (self.best_log_weight, other.best_log_weight) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        for (a, b) in self.crossings_sq.iter_mut().zip(&other.crossings_sq) {
            a.merge(b);
        }
        for (a, b) in self.happened_sq.iter_mut().zip(&other.happened_sq) {
            *a += b;
        }
        for (a, b) in self.not_crossed_sq.iter_mut().zip(&other.not_crossed_sq) {
            for (x, y) in a.iter_mut().zip(b) {
                x[0] += y[0];
                x[1] += y[1];
            }
        }
        for (a, b) in self.regime_sq.iter_mut().zip(&other.regime_sq) {
            a[0] += b[0];
            a[1] += b[1];
        }
        for (a, b) in self.observations.iter_mut().zip(&other.observations) {
            a.below += b.below;
            a.equal += b.equal;
            a.prior.merge(&b.prior);
            a.posterior.merge(&b.posterior);
        }
    }

    /// Kish's effective sample size, `(sum w)^2 / sum w^2`.
    pub fn effective_paths(&self) -> f64 {
        if self.units_sq == 0 {
            return 0.0;
        }
        let (u, u2) = (self.units as f64, self.units_sq as f64);
        u * u / (u2 * UNIT as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_the_weight_in_fixed_point() {
        assert_eq!(units(0.0), (UNIT, UNIT));
        assert_eq!(units(f64::NEG_INFINITY), (0, 0));
        assert_eq!(units(f64::NAN), (0, 0));
        let (u, u2) = units((0.25f64).ln());
        assert_eq!((u, u2), (UNIT / 4, UNIT / 16));
        // Below half a unit: nothing.
        assert_eq!(units(-(2.0 * UNIT as f64).ln() - 0.01), (0, 0));
        // The most paths a run takes cannot overflow the sums.
        assert!((crate::model::MAX_PATHS as u128) * (UNIT as u128) < u64::MAX as u128);
    }
}
