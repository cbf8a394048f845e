//! Paths weighted by observations: each path counts its weight in fixed-point units, so
//! that every weighted statistic is still an integer count and merges exactly.
//!
//! A path's weight is `w = exp(log_weight)`, at most 1 (each likelihood is scaled to peak
//! at 1, `model::Likelihood::log_at`, and a proposal's density ratio is scaled by its
//! bound, `proposal`). It counts `u = round(w K)` units in every count of the tally, with
//! `K = 2^32`: a count of at most `MAX_PATHS < 2^30` paths stays below `2^62`. The sums
//! of squares that the standard errors and the effective sample size need hold `u^2`
//! exactly, in `u128` (below `2^94`): squares of the rounded units, not rounded squares,
//! so that a run whose best path is far below weight 1 still has its spread. A weight
//! below `1 / (2 K)`, about 1.2e-10 of the largest a path can have, rounds to no units:
//! such a path counts as explaining the observations not at all, and `zero` says how
//! many did.

use super::plan::Plan;
use super::proposal::Proposal;
use super::PathState;
use crate::stats::LogHistogram;

/// Units of weight 1.
pub const UNIT: u64 = 1 << 32;

/// The units of a path of log weight `log_weight`.
pub fn units(log_weight: f64) -> u64 {
    if log_weight.is_nan() || log_weight == f64::NEG_INFINITY {
        return 0;
    }
    (log_weight.min(0.0).exp() * UNIT as f64).round() as u64
}

/// The square of `u` units, exactly.
pub fn square(u: u64) -> u128 {
    u as u128 * u as u128
}

/// Squared units by crossing day: `DayCounts`' layout (days `0..=horizon`, then "not
/// crossed") in `u128`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SquareCounts(Vec<u128>);

impl SquareCounts {
    fn new(horizon: u32) -> Self {
        SquareCounts(vec![0; horizon as usize + 2])
    }

    fn add(&mut self, day: Option<u32>, u2: u128) {
        let i = day.map_or(self.0.len() - 1, |d| d as usize);
        self.0[i] += u2;
    }

    fn merge(&mut self, other: &SquareCounts) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a += b;
        }
    }

    pub fn not_crossed(&self) -> u128 {
        *self.0.last().expect("at least day 0 and not crossed")
    }

    /// Over the paths that crossed on or before `day`.
    pub fn crossed_by(&self, day: u32) -> u128 {
        let end = (day as usize + 1).min(self.0.len() - 1);
        self.0[..end].iter().sum()
    }
}

/// What a weighted run counts besides the weighted counts themselves.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WeightTally {
    /// Units over all paths: the sum of the weights, times `UNIT`.
    pub units: u64,
    /// The sum of the squared units.
    pub units_sq: u128,
    /// Paths whose weight rounds to no units.
    pub zero: u64,
    /// The largest log weight of any path (`None` when every path's is minus infinity).
    pub best_log_weight: Option<f64>,
    /// Per threshold: squared units by crossing day.
    pub crossings_sq: Vec<SquareCounts>,
    /// Per event: squared units of the paths where it happened.
    pub happened_sq: Vec<u128>,
    /// Per event, per threshold: squared units of the paths that did not cross, with the
    /// event and without it.
    pub not_crossed_sq: Vec<Vec<[u128; 2]>>,
    /// Per regime: the sums of `u^2 d` and `u^2 d^2` over paths (d: days in the regime).
    pub regime_sq: Vec<[u128; 2]>,
    pub observations: Vec<ObservationTally>,
    /// The proposal the inputs were drawn from, if any (`proposal`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposal: Option<Proposal>,
}

/// What a run says about one observation's stock.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ObservationTally {
    /// The reported figure (the centre of its interval).
    pub value: f64,
    /// Prior units (`WeightTally::add`) of the paths whose stock lies below the figure, at
    /// it, and in all.
    pub below: u64,
    pub equal: u64,
    pub prior_units: u64,
    /// The squares of the prior units, over the paths below the figure and in all.
    pub below_sq: u128,
    pub prior_units_sq: u128,
    /// The stock over paths before weighting by the observations (the prior predictive,
    /// in prior units), and weighted.
    pub prior: LogHistogram,
    pub posterior: LogHistogram,
}

impl WeightTally {
    /// The weight tally of a run of `plan` (none without observations), its histograms of
    /// at most `buckets` buckets.
    pub(super) fn new(plan: &Plan, buckets: usize) -> Option<Self> {
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
            crossings_sq: vec![SquareCounts::new(h); t],
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
                    prior_units: 0,
                    below_sq: 0,
                    prior_units_sq: 0,
                    prior: LogHistogram::new(buckets),
                    posterior: LogHistogram::new(buckets),
                })
                .collect(),
            proposal: plan.proposal.clone(),
        })
    }

    /// Adds the path in `state`, which counts `u` units. Its prior units weigh it for
    /// the prior predictive: `UNIT` each when the inputs are drawn from the scenario's
    /// own distributions, the density ratio's units under a proposal.
    pub(super) fn add(&mut self, state: &PathState, u: u64) {
        let lw = state.log_weight();
        if lw > f64::NEG_INFINITY {
            self.best_log_weight = Some(self.best_log_weight.map_or(lw, |b| b.max(lw)));
        }
        let up = units(state.log_prior_weight());
        for (o, &x) in self.observations.iter_mut().zip(state.observed()) {
            if up > 0 {
                o.below += u64::from(x < o.value) * up;
                o.equal += u64::from(x == o.value) * up;
                o.prior_units += up;
                o.prior_units_sq += square(up);
                if x < o.value {
                    o.below_sq += square(up);
                }
                o.prior.add_units(x, up);
            }
            if u > 0 {
                o.posterior.add_units(x, u);
            }
        }
        if u == 0 {
            self.zero += 1;
            return;
        }
        let u2 = square(u);
        self.units += u;
        self.units_sq += u2;
        let crossing = state.crossing();
        for (c, &day) in self.crossings_sq.iter_mut().zip(crossing) {
            c.add(day, u2);
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
            self.regime_sq[r][0] += u2 * d;
            self.regime_sq[r][1] += u2 * d * d;
        }
    }

    pub(super) fn merge(&mut self, other: &WeightTally) {
        assert_eq!(
            self.proposal, other.proposal,
            "merging tallies drawn from different proposals"
        );
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
            a.prior_units += b.prior_units;
            a.below_sq += b.below_sq;
            a.prior_units_sq += b.prior_units_sq;
            a.prior.merge(&b.prior);
            a.posterior.merge(&b.posterior);
        }
    }

    /// Whether this part of a tally read back from a file has the shape of `want`, the
    /// empty one of the scenario (`Tally::check`), and counts that add up.
    pub(super) fn check(&self, want: &WeightTally) -> Result<(), String> {
        let shape = self.crossings_sq.len() == want.crossings_sq.len()
            && self
                .crossings_sq
                .iter()
                .zip(&want.crossings_sq)
                .all(|(a, b)| a.0.len() == b.0.len())
            && self.happened_sq.len() == want.happened_sq.len()
            && self.not_crossed_sq.len() == want.not_crossed_sq.len()
            && self
                .not_crossed_sq
                .iter()
                .zip(&want.not_crossed_sq)
                .all(|(a, b)| a.len() == b.len())
            && self.regime_sq.len() == want.regime_sq.len()
            && self.observations.len() == want.observations.len()
            && self
                .observations
                .iter()
                .zip(&want.observations)
                .all(|(a, b)| {
                    a.value.to_bits() == b.value.to_bits()
                        && a.prior.max_buckets() == b.prior.max_buckets()
                        && a.posterior.max_buckets() == b.posterior.max_buckets()
                });
        if !shape {
            return Err("its weights are not of the scenario's observations".into());
        }
        for c in &self.crossings_sq {
            if c.0.iter().fold(0u128, |a, &b| a.wrapping_add(b)) != self.units_sq {
                return Err("its squared weights do not add up".into());
            }
        }
        for o in &self.observations {
            if o.posterior.count() != self.units || o.prior.count() != o.prior_units {
                return Err("its observations' counts do not add up".into());
            }
        }
        Ok(())
    }

    /// Kish's effective sample size, `(sum w)^2 / sum w^2`.
    pub fn effective_paths(&self) -> f64 {
        if self.units_sq == 0 {
            return 0.0;
        }
        let (u, u2) = (self.units as f64, self.units_sq as f64);
        u * u / u2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_the_weight_in_fixed_point() {
        assert_eq!(units(0.0), UNIT);
        assert_eq!(units(f64::NEG_INFINITY), 0);
        assert_eq!(units(f64::NAN), 0);
        assert_eq!(units((0.25f64).ln()), UNIT / 4);
        assert_eq!(square(UNIT / 4), (UNIT as u128 * UNIT as u128) / 16);
        // Below half a unit: nothing.
        assert_eq!(units(-(2.0 * UNIT as f64).ln() - 0.01), 0);
        // The most paths a run takes cannot overflow the sums, nor the squares' sums
        // times a regime's days squared.
        let n = crate::model::MAX_PATHS as u128;
        assert!(n * (UNIT as u128) < u64::MAX as u128);
        assert!(n
            .checked_mul(square(UNIT))
            .and_then(|x| x.checked_mul(u128::from(crate::model::MAX_HORIZON_DAYS).pow(2)))
            .is_some());
    }

    #[test]
    fn far_below_one_the_weights_keep_their_spread() {
        // A run whose best path has log weight -16 (about 1e-7): the squares of its
        // units still say how unequal the weights are (the rounded square of the weight
        // would be zero).
        let us: Vec<u64> = [-16.0, -16.5, -17.0].iter().map(|&l| units(l)).collect();
        assert!(us.iter().all(|&u| u > 100));
        let sum: f64 = us.iter().map(|&u| u as f64).sum();
        let sq: f64 = us.iter().map(|&u| square(u) as f64).sum();
        let ess = sum * sum / sq;
        let w: Vec<f64> = [-16.0f64, -16.5, -17.0].iter().map(|l| l.exp()).collect();
        let exact = w.iter().sum::<f64>().powi(2) / w.iter().map(|x| x * x).sum::<f64>();
        assert!((ess - exact).abs() < 1e-3 * exact, "{ess} against {exact}");
    }
}
