//! Exact block jumps for gamma day-to-day noise.
//!
//! With daily multipliers Gamma(k, 1/k), a side's noise summed over `n` days is exactly
//! Gamma(nk, 1/k), so a chunk of constant rates is one draw per side. When a threshold is
//! reached inside a chunk, the crossing day is found by splitting the chunk: given the
//! sum `P` over `n` days, the sum over its first `h` days is `P * Beta(hk, (n - h)k)` (the
//! gamma bridge), and the two parts are independent of what lies outside. Splits go where
//! a straight line through the known points reaches the level, with a bisection every
//! fourth split, until the crossing is pinned to one day. The result is equal in
//! distribution to stepping every day (tested in tests/statistics.rs).

use super::path::PathState;
use super::plan::Plan;
use crate::model::Noise;
use crate::sample::gamma::{beta, gamma};

impl PathState {
    pub(super) fn step_jumps(&mut self, plan: &Plan) {
        let model = plan.model;
        let Noise::Gamma { shape: k } = model.noise else {
            unreachable!("jumps are only taken with gamma noise")
        };
        let s = model.sides.len();
        let mut day = 0u32;
        let mut seg = 0usize;
        while day < model.horizon_days && !self.done(plan, day) {
            while seg + 1 < self.starts.len() && self.starts[seg + 1] <= day + 1 {
                seg += 1;
            }
            let end = self.chunk_end(plan, day, seg, u32::MAX);
            let n = (end - day) as f64;
            // The stack of known points: (day, noise sum of each side since `day`).
            self.scratch.clear();
            self.scratch.push(end as f64);
            for i in 0..s {
                let g = gamma(n * k, || self.lanes[i].next_lane(0)) / k;
                self.scratch.push(g);
            }
            self.resolve_chunk(plan, day, seg, k);
            day = end;
            self.record_if_report(plan, day);
        }
    }

    /// Pins down the crossing days inside the chunk after `start`, whose noise sums are on
    /// the scratch stack, and applies the chunk to the stocks.
    fn resolve_chunk(&mut self, plan: &Plan, start: u32, seg: usize, k: f64) {
        let s = plan.model.sides.len();
        let stride = s + 1;
        let mut buf = std::mem::take(&mut self.side_buf);
        let (rates, left) = buf.split_at_mut(s);
        rates.copy_from_slice(&self.seg_rates[seg * s..(seg + 1) * s]);
        // The nearest known point on the left: `start`, with zero sums.
        let mut left_day = start;
        left.fill(0.0);
        let mut splits = 0u32;
        while self.scratch.len() >= stride {
            let top = self.scratch.len() - stride;
            let right_day = self.scratch[top] as u32;
            // Earliest open threshold reached by the right point, as a fraction of the way.
            let mut frac = f64::INFINITY;
            for t in 0..plan.model.thresholds.len() {
                if self.crossing[t].is_some() {
                    continue;
                }
                let base = self.total(plan, t);
                let w = &self.weights[t * s..(t + 1) * s];
                let at = |p: &[f64]| base + (0..s).map(|i| w[i] * rates[i] * p[i]).sum::<f64>();
                let (lo, hi) = (at(left), at(&self.scratch[top + 1..top + stride]));
                let level = plan.model.thresholds[t].level;
                if hi >= level {
                    if right_day - left_day == 1 {
                        self.crossing[t] = Some(right_day);
                    } else {
                        frac = frac.min(((level - lo) / (hi - lo)).clamp(0.0, 1.0));
                    }
                }
            }
            if frac.is_infinite() {
                // Nothing (more) to find before the right point: move there.
                left_day = right_day;
                left.copy_from_slice(&self.scratch[top + 1..top + stride]);
                self.scratch.truncate(top);
                continue;
            }
            let n = right_day - left_day;
            splits += 1;
            let h = if splits.is_multiple_of(4) {
                n / 2
            } else {
                // frac * n >= 0, so truncation is floor.
                ((frac * n as f64) as u32).clamp(1, n - 1)
            };
            self.scratch.push((left_day + h) as f64);
            for (i, &l) in left.iter().enumerate() {
                let total = self.scratch[top + 1 + i] - l;
                let b = beta(h as f64 * k, (n - h) as f64 * k, || {
                    self.lanes[i].next_lane(0)
                });
                self.scratch.push(l + total * b);
            }
        }
        for (i, (r, l)) in rates.iter().zip(left.iter()).enumerate() {
            let added = r * l;
            self.cum[i] += added;
            self.killed[i] += self.draws[i].killed_share * added;
        }
        self.side_buf = buf;
    }
}
