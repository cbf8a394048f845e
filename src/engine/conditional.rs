//! Conditional Monte Carlo for P(crossed by a report date): one side's baseline is
//! integrated out exactly, path by path.
//!
//! A threshold is crossed by day `d` exactly when its stock that day reaches the level,
//! `S(d) = B + R(d) >= L`, where `B` is one of its sides' casualties on the reference date
//! and `R(d)` everything else (the other sides' baselines and every side's casualties
//! since). When `B` is drawn from its own stream and nothing else on the path depends on
//! it (no correlation ties it, no force law, no observation weighs it), `B` is
//! independent of `R(d)` and
//!
//! ```text
//! P(crossed by d | R(d)) = P(B >= L - R(d)) = sf_B(L - R(d)),
//! ```
//!
//! its survival function at the shortfall. (A side whose rate is implied by its baseline,
//! `rate = B / days`, has the stock `B (1 + A(d) / days)` with `A(d)` free of `B`: the
//! shortfall is then divided by that factor instead. A killed threshold integrates out a
//! side's killed on day 0, `K`, which the path holds at its casualties `C`: the side's
//! killed are `min(K, C)` plus its share of the casualties since, and P(min(K, C) >= x)
//! is `[C >= x] sf_K(x)`.) Averaging that over paths estimates
//! P(crossed by d) without bias, and with far less spread than the 0/1 of each path: the
//! largest source of the spread, the baseline's, is gone, and what is left varies
//! smoothly with the other inputs, which the scrambled Sobol points then integrate well.
//! The side integrated out is the threshold's side whose baseline is widest (its 5th to
//! 95th percentile). Each path adds its probability in fixed-point units, `2^32` for
//! certainty, rounded up or down at random with the chance that keeps the sum unbiased
//! (a keyed uniform of the path), so that sums stay integers and merge exactly.

use super::plan::Plan;
use super::PathState;
use crate::model::{Metric, Rate, SideId, What};
use crate::sample::stream::{keyed_unit, stream_id};
use crate::sample::Dist;

/// Units of probability 1.
pub const UNIT: f64 = 4_294_967_296.0;

/// How one threshold's P(crossed by) is estimated conditionally.
#[derive(Clone, Debug)]
pub struct Conditioning {
    /// The side whose baseline is integrated out, and the baseline's law.
    pub side: SideId,
    pub baseline: Dist,
    /// Whether the side's rate is implied by its baseline (`Rate::ImpliedByBaseline`):
    /// its stock is then the baseline times a factor of its own, not plus an amount.
    implied: bool,
    metric: Metric,
    /// The input's key (`sides.NAME.casualties`), for the output.
    pub key: String,
    sides: Vec<SideId>,
    level: f64,
}

/// Per threshold of `plan.model`, its conditioning, when one is exact: a run without
/// observations or force law, and a side of the threshold whose baseline of the
/// threshold's metric (casualties, or killed) is drawn by inversion from its own stream
/// (`Input::is_inverted`), with a closed-form survival function, tied by no correlation.
pub fn conditionings(plan: &Plan) -> Vec<Option<Conditioning>> {
    let model = plan.model;
    let tied = |stream: u64| plan.copulas.iter().any(|g| g.streams.contains(&stream));
    let eligible = |s: SideId, metric: Metric| -> Option<(Dist, String)> {
        let what = match metric {
            Metric::Casualties => What::Casualties(s),
            Metric::Killed => What::Killed(s),
        };
        let input = plan.inputs.iter().find(|i| i.what == what)?;
        let dist = input.dist(model)?;
        let ok = input.is_inverted(model) && !tied(input.stream) && dist.sf(0.0).is_some();
        ok.then(|| (dist.clone(), input.key.clone()))
    };
    model
        .thresholds
        .iter()
        .map(|t| {
            if !model.observations.is_empty() || model.force_law.is_some() {
                return None;
            }
            let spread = |d: &Dist| d.quantile(0.95) - d.quantile(0.05);
            let (side, (baseline, key)) = t
                .sides
                .iter()
                .filter_map(|&s| eligible(s, t.metric).map(|e| (s, e)))
                .max_by(|a, b| spread(&a.1 .0).total_cmp(&spread(&b.1 .0)))?;
            Some(Conditioning {
                implied: t.metric == Metric::Casualties
                    && matches!(model.sides[side].rate, Rate::ImpliedByBaseline { .. }),
                metric: t.metric,
                side,
                baseline,
                key,
                sides: t.sides.clone(),
                level: t.level,
            })
        })
        .collect()
}

/// Per threshold of `model`, the key of the input a reduced run integrates out for its
/// P(crossed by) (`conditionings`), if any.
pub fn conditioned_inputs(model: &crate::model::Model) -> Vec<Option<String>> {
    conditionings(&Plan::new(model))
        .into_iter()
        .map(|c| c.map(|c| c.key))
        .collect()
}

impl Conditioning {
    /// P(crossed by report date `report` | everything but the baseline) on the path just
    /// simulated in `state`.
    pub fn probability(&self, plan: &Plan, state: &PathState, report: usize) -> f64 {
        let reported = state.reported();
        let stock = |s: SideId| reported[plan.layout.slot(report, s, self.metric)];
        let others: f64 = self
            .sides
            .iter()
            .filter(|&&s| s != self.side)
            .map(|&s| stock(s))
            .sum();
        let draw = &state.draws().sides[self.side];
        if self.metric == Metric::Killed {
            // The side's killed are `min(K, C) + b`: its drawn killed on day 0, held at
            // its casualties `C` (`Draws`), plus the share of its casualties since. With
            // K integrated out and `x` the shortfall, P(min(K, C) >= x) = [C >= x] sf_K(x).
            let x = self.level - others - (stock(self.side) - draw.killed);
            let sf = self
                .baseline
                .sf(x)
                .expect("a conditioning baseline has a survival function");
            return if draw.casualties >= x { sf } else { 0.0 };
        }
        let (own, baseline) = (stock(self.side), draw.casualties);
        // The side's stock is `B a + b` with `a`, `b` free of `B`: `a = 1` and `b` its
        // casualties since day 0, or (a rate implied by the baseline) `b = 0` and `a` the
        // stock's growth factor. Crossed when `B >= (L - others - b) / a`.
        let shortfall = if !self.implied {
            self.level - others - (own - baseline)
        } else if baseline > 0.0 {
            (self.level - others) / (own / baseline)
        } else {
            // Never drawn (the baseline's law is above 0 almost surely): the path's own
            // outcome, as a plain run counts it.
            return f64::from(u8::from(own + others >= self.level));
        };
        self.baseline
            .sf(shortfall)
            .expect("a conditioning baseline has a survival function")
    }
}

/// Adds the path just simulated in `state` (path `path` of a run with seed `seed`) to
/// `units`: per threshold with a conditioning, per report date, its conditional
/// probability in units (unbiased random rounding).
pub fn add(
    plan: &Plan,
    conditionings: &[Option<Conditioning>],
    state: &PathState,
    seed: u64,
    path: u64,
    units: &mut [Vec<u64>],
) {
    let u = keyed_unit(seed, path, stream_id("conditional.rounding"));
    for (c, out) in conditionings.iter().zip(units) {
        let Some(c) = c else { continue };
        for (report, total) in out.iter_mut().enumerate() {
            let p = c.probability(plan, state, report);
            // floor(p K + u) has mean p K exactly for u uniform on (0, 1).
            *total += (p * UNIT + u).floor() as u64;
        }
    }
}
