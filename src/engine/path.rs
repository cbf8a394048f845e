//! One Monte Carlo path: draw its inputs, step it day by day, note crossings and stocks.

use super::plan::Plan;
use crate::model::{Metric, Rate};
use crate::sample::noise::NoiseSampler;
use crate::sample::stream::{stream_rng, PathRng};

/// Draws of one side on one path.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SideDraw {
    pub casualties: f64,
    pub rate_per_day: f64,
    pub killed: f64,
    pub killed_share: f64,
}

/// Reusable buffers for one worker, and what the last path produced.
pub struct PathState {
    pub draws: Vec<SideDraw>,
    pub factors: Vec<f64>,
    /// Rate per side in each segment: `seg_rates[segment * sides + side]`.
    seg_rates: Vec<f64>,
    cum: Vec<f64>,
    killed: Vec<f64>,
    noise: Vec<PathRng>,
    sampler: NoiseSampler,
    /// Crossing day per threshold (None: not within the horizon).
    pub crossing: Vec<Option<u32>>,
    /// Stocks at report dates, indexed like `Plan::stock_index`; killed slots of sides
    /// without killed hold NaN and are never read.
    pub stocks: Vec<f64>,
}

impl PathState {
    pub fn new(plan: &Plan) -> Self {
        let s = plan.model.sides.len();
        PathState {
            draws: vec![SideDraw::default(); s],
            factors: vec![0.0; plan.factors.len()],
            seg_rates: vec![0.0; plan.segments.len() * s],
            cum: vec![0.0; s],
            killed: vec![0.0; s],
            noise: (0..s).map(|_| stream_rng(0, 0, 0)).collect(),
            sampler: NoiseSampler::new(plan.model.noise),
            crossing: vec![None; plan.model.thresholds.len()],
            stocks: vec![f64::NAN; plan.stock_slots()],
        }
    }

    /// Simulates path `path` of a run with seed `seed`.
    pub fn simulate(&mut self, plan: &Plan, seed: u64, path: u64) {
        self.draw_inputs(plan, seed, path);
        self.step(plan);
    }

    fn draw_inputs(&mut self, plan: &Plan, seed: u64, path: u64) {
        let model = plan.model;
        for (i, (side, ids)) in model.sides.iter().zip(&plan.streams).enumerate() {
            let draw = |stream: u64, d: &crate::sample::Dist| {
                d.sample(&mut stream_rng(seed, path, stream))
            };
            let casualties = draw(ids.casualties, &side.casualties);
            let rate_per_day = match &side.rate {
                Rate::PerDay(d) => draw(ids.rate, d),
                Rate::ImpliedByTotal { total, days } => draw(ids.rate, total) / *days as f64,
                Rate::ImpliedByBaseline { days } => casualties / *days as f64,
            };
            let (killed, killed_share) = match &side.killed {
                // Killed are part of casualties: a tail draw above them is cut back.
                Some(k) => (
                    draw(ids.killed, &k.baseline).min(casualties),
                    draw(ids.killed_share, &k.share).clamp(0.0, 1.0),
                ),
                None => (f64::NAN, f64::NAN),
            };
            self.draws[i] = SideDraw {
                casualties,
                rate_per_day,
                killed,
                killed_share,
            };
            self.noise[i] = stream_rng(seed, path, ids.noise);
        }
        for (f, out) in plan.factors.iter().zip(self.factors.iter_mut()) {
            *out = f.dist.sample(&mut stream_rng(seed, path, f.stream));
        }
        let s = model.sides.len();
        for (k, seg) in plan.segments.iter().enumerate() {
            let rates = &mut self.seg_rates[k * s..(k + 1) * s];
            for (r, d) in rates.iter_mut().zip(&self.draws) {
                *r = d.rate_per_day;
            }
            for &f in &seg.factors {
                for &side in &plan.factors[f].sides {
                    rates[side] *= self.factors[f];
                }
            }
        }
    }

    fn step(&mut self, plan: &Plan) {
        let model = plan.model;
        let s = model.sides.len();
        for i in 0..s {
            self.cum[i] = self.draws[i].casualties;
            self.killed[i] = self.draws[i].killed;
        }
        self.crossing.iter_mut().for_each(|c| *c = None);
        let mut open = model.thresholds.len();
        open -= self.check_thresholds(plan, 0);
        let reports = &model.report_days;
        let mut next_report = 0;
        let mut seg = 0;
        for day in 1..=model.horizon_days {
            if open == 0 && next_report == reports.len() {
                break;
            }
            while seg + 1 < plan.segments.len() && plan.segments[seg + 1].first_day <= day {
                seg += 1;
            }
            let rates = &self.seg_rates[seg * s..(seg + 1) * s];
            #[allow(clippy::needless_range_loop)] // four parallel arrays, one index
            for i in 0..s {
                let m = self.sampler.draw(&mut self.noise[i]);
                let x = rates[i] * m;
                self.cum[i] += x;
                self.killed[i] += self.draws[i].killed_share * x;
            }
            if open > 0 {
                open -= self.check_thresholds(plan, day);
            }
            if next_report < reports.len() && reports[next_report] == day {
                self.record_stocks(plan, next_report);
                next_report += 1;
            }
        }
    }

    /// Marks thresholds first reached at the end of `day`; returns how many.
    fn check_thresholds(&mut self, plan: &Plan, day: u32) -> usize {
        let mut newly = 0;
        for (t, c) in plan.model.thresholds.iter().zip(self.crossing.iter_mut()) {
            if c.is_some() {
                continue;
            }
            let stock = match t.metric {
                Metric::Casualties => &self.cum,
                Metric::Killed => &self.killed,
            };
            let total: f64 = t.sides.iter().map(|&i| stock[i]).sum();
            if total >= t.level {
                *c = Some(day);
                newly += 1;
            }
        }
        newly
    }

    fn record_stocks(&mut self, plan: &Plan, report: usize) {
        let s = plan.model.sides.len();
        let (mut cas, mut kil) = (0.0, 0.0);
        for i in 0..s {
            self.stocks[plan.stock_index(report, i, Metric::Casualties)] = self.cum[i];
            cas += self.cum[i];
            if plan.has_killed[i] {
                self.stocks[plan.stock_index(report, i, Metric::Killed)] = self.killed[i];
                kil += self.killed[i];
            }
        }
        self.stocks[plan.stock_index(report, s, Metric::Casualties)] = cas;
        if plan.combined_killed {
            self.stocks[plan.stock_index(report, s, Metric::Killed)] = kil;
        }
    }
}
