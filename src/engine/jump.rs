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

use super::noise::DayNoise;
use super::plan::Plan;
use super::schedule::Schedule;
use super::stocks::Stocks;
use crate::model::Noise;
use crate::sample::gamma::{beta, gamma};

/// The jumps' shape and scratch buffers (reused across paths).
pub(super) struct Jumps {
    /// Gamma shape `k` of the daily multipliers.
    shape: f64,
    /// The stack of known points of a chunk: (day, noise sum of each side since its
    /// start), point after point.
    points: Vec<f64>,
    /// Per-side buffers: rates, then the left point's noise sums.
    side_buf: Vec<f64>,
}

impl Jumps {
    /// The jumps for `plan`, when it allows them: they need gamma noise, independent
    /// sides and rates that do not depend on the stocks.
    pub(super) fn new(plan: &Plan) -> Option<Self> {
        let model = plan.model;
        match model.noise {
            Noise::Gamma { shape }
                if model.shock_correlation == 0.0 && model.force_law.is_none() =>
            {
                Some(Jumps {
                    shape,
                    points: Vec::new(),
                    side_buf: vec![0.0; 2 * model.sides.len()],
                })
            }
            _ => None,
        }
    }

    /// Steps a started path through the horizon, a chunk of constant rates at a time.
    pub(super) fn step(
        &mut self,
        plan: &Plan,
        schedule: &Schedule,
        noise: &mut DayNoise,
        stocks: &mut Stocks,
    ) {
        let model = plan.model;
        let k = self.shape;
        let s = model.sides.len();
        let mut day = 0u32;
        let mut seg = 0usize;
        while day < model.horizon_days && !stocks.done(plan, day) {
            seg = schedule.piece_of(day + 1, seg);
            let end = stocks.chunk_end(plan, day, schedule.next_start(seg), u32::MAX);
            let n = (end - day) as f64;
            self.points.clear();
            self.points.push(end as f64);
            for i in 0..s {
                let g = gamma(n * k, || noise.next_raw(i)) / k;
                self.points.push(g);
            }
            self.resolve_chunk(plan, day, schedule.rates(seg), noise, stocks);
            day = end;
            stocks.record_if_report(plan, day);
        }
    }

    /// Pins down the crossing days inside the chunk after `start`, whose noise sums are on
    /// the stack of points, and applies the chunk to the stocks.
    fn resolve_chunk(
        &mut self,
        plan: &Plan,
        start: u32,
        seg_rates: &[f64],
        noise: &mut DayNoise,
        stocks: &mut Stocks,
    ) {
        let k = self.shape;
        let s = plan.model.sides.len();
        let stride = s + 1;
        let (rates, left) = self.side_buf.split_at_mut(s);
        rates.copy_from_slice(seg_rates);
        // The nearest known point on the left: `start`, with zero sums.
        let mut left_day = start;
        left.fill(0.0);
        let mut splits = 0u32;
        while self.points.len() >= stride {
            let top = self.points.len() - stride;
            let right_day = self.points[top] as u32;
            // Earliest open threshold reached by the right point, as a fraction of the way.
            let mut frac = f64::INFINITY;
            for t in 0..plan.model.thresholds.len() {
                if !stocks.is_open(t) {
                    continue;
                }
                let base = stocks.total(plan, t);
                let w = stocks.weights(plan, t);
                let at = |p: &[f64]| base + (0..s).map(|i| w[i] * rates[i] * p[i]).sum::<f64>();
                let (lo, hi) = (at(left), at(&self.points[top + 1..top + stride]));
                let level = plan.model.thresholds[t].level;
                if hi >= level {
                    if right_day - left_day == 1 {
                        stocks.set_crossing(t, right_day);
                    } else {
                        frac = frac.min(((level - lo) / (hi - lo)).clamp(0.0, 1.0));
                    }
                }
            }
            if frac.is_infinite() {
                // Nothing (more) to find before the right point: move there.
                left_day = right_day;
                left.copy_from_slice(&self.points[top + 1..top + stride]);
                self.points.truncate(top);
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
            self.points.push((left_day + h) as f64);
            for (i, &l) in left.iter().enumerate() {
                let total = self.points[top + 1 + i] - l;
                let b = beta(h as f64 * k, (n - h) as f64 * k, || noise.next_raw(i));
                self.points.push(l + total * b);
            }
        }
        for (a, (r, l)) in stocks
            .added_mut()
            .iter_mut()
            .zip(rates.iter().zip(left.iter()))
        {
            *a = r * l;
        }
        stocks.commit();
    }
}
