//! One Monte Carlo path: draw its inputs, step it through the horizon, note crossings
//! and stocks.
//!
//! Stepping goes in chunks of days with constant rates (cut at segment edges, report
//! dates and noise blocks). Gamma noise can instead jump over whole chunks exactly
//! (`jump.rs`).

use super::dynamics::EventDraw;
use super::plan::Plan;
use super::Stepping;
use crate::model::{Metric, Noise, Rate};
use crate::sample::lanes::Lanes;
use crate::sample::noise::{NoiseSampler, BLOCK};

/// Draws of one side on one path.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SideDraw {
    pub casualties: f64,
    pub rate_per_day: f64,
    pub killed: f64,
    pub killed_share: f64,
    /// Force-dependent attrition only (NaN otherwise).
    pub force: f64,
    pub recruits_per_day: f64,
    pub return_share: f64,
}

/// Reusable buffers for one worker, and what the last path produced.
pub struct PathState {
    pub draws: Vec<SideDraw>,
    pub factors: Vec<f64>,
    /// First day of each piece of constant rates, sorted; the first is day 1.
    pub(super) starts: Vec<u32>,
    /// Rate per side in each piece: `seg_rates[piece * sides + side]`.
    pub(super) seg_rates: Vec<f64>,
    pub events: Vec<EventDraw>,
    /// Regime switches: (first day, regime), the first on day 1.
    pub regime_path: Vec<(u32, usize)>,
    /// Days spent in each regime over `1..=horizon`.
    pub regime_days: Vec<u32>,
    /// The drawn trend, percent per month.
    pub trend: f64,
    pub(super) copula_units: Vec<(u64, f64)>,
    /// Normal scores of one correlation group (reused across paths).
    pub(super) copula_z: Vec<f64>,
    /// The shared shock's stream and block (shock correlation only).
    pub(super) common: Lanes,
    pub(super) common_block: [f64; BLOCK],
    /// Forces in the line now (force-dependent attrition).
    pub(super) forces: Vec<f64>,
    pub(super) cum: Vec<f64>,
    pub(super) killed: Vec<f64>,
    pub(super) lanes: Vec<Lanes>,
    pub(super) noise_block: Vec<[f64; BLOCK]>,
    /// Each side's casualties over the current chunk.
    pub(super) added: Vec<f64>,
    /// Weight of each side in each threshold's total on this path:
    /// `weights[threshold * sides + side]` (1, the killed share, or 0).
    pub(super) weights: Vec<f64>,
    sampler: NoiseSampler,
    jumps: bool,
    pub(super) scratch: Vec<f64>,
    /// Per-side buffers for the jumps: rates, then the left point's noise sums.
    pub(super) side_buf: Vec<f64>,
    /// Crossing day per threshold (None: not within the horizon).
    pub crossing: Vec<Option<u32>>,
    /// Stocks at report dates, indexed like `Plan::stock_index`; killed slots of sides
    /// without killed hold NaN and are never read.
    pub stocks: Vec<f64>,
    /// Report days up to the current day: the index of the next report. Paths only move
    /// forward and never step over a report, so a cursor replaces a search per chunk
    /// (which counts with a weekly grid of a fan chart, hundreds of report days).
    next_report: usize,
}

/// Sum of a chunk's multipliers in a fixed order: pairwise for a whole block of 32
/// (eight independent partial sums, so the additions overlap), in sequence otherwise.
#[inline]
fn sum(m: &[f64]) -> f64 {
    if m.len() == BLOCK {
        let mut acc = [0.0; 8];
        for c in m.chunks_exact(8) {
            for (a, x) in acc.iter_mut().zip(c) {
                *a += x;
            }
        }
        ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))
    } else {
        m.iter().sum()
    }
}

impl PathState {
    pub(crate) fn new(plan: &Plan, stepping: Stepping) -> Self {
        let s = plan.model.sides.len();
        let t = plan.model.thresholds.len();
        PathState {
            draws: vec![SideDraw::default(); s],
            factors: vec![0.0; plan.factors.len()],
            starts: Vec::new(),
            seg_rates: Vec::new(),
            events: vec![EventDraw::default(); plan.events.len()],
            regime_path: Vec::new(),
            regime_days: vec![0; plan.regime_factors.len()],
            trend: 0.0,
            copula_units: Vec::new(),
            copula_z: Vec::new(),
            common: Lanes::default(),
            common_block: [0.0; BLOCK],
            forces: vec![0.0; s],
            cum: vec![0.0; s],
            killed: vec![0.0; s],
            lanes: vec![Lanes::default(); s],
            noise_block: vec![[0.0; BLOCK]; s],
            added: vec![0.0; s],
            weights: vec![0.0; t * s],
            sampler: NoiseSampler::new(plan.model.noise),
            // Jumps need independent sides and rates that do not depend on the stocks.
            jumps: stepping == Stepping::Auto
                && matches!(plan.model.noise, Noise::Gamma { .. })
                && plan.model.shock_correlation == 0.0
                && plan.model.force_law.is_none(),
            scratch: Vec::new(),
            side_buf: vec![0.0; 2 * s],
            crossing: vec![None; t],
            stocks: vec![f64::NAN; plan.stock_slots()],
            next_report: 0,
        }
    }

    /// Simulates path `path` of a run with seed `seed`.
    pub(crate) fn simulate(&mut self, plan: &Plan, seed: u64, path: u64) {
        self.draw_inputs(plan, seed, path);
        self.start(plan);
        if plan.model.force_law.is_some() {
            self.step_force(plan);
        } else if self.jumps {
            self.step_jumps(plan);
        } else {
            self.step_daily(plan);
        }
    }

    fn draw_inputs(&mut self, plan: &Plan, seed: u64, path: u64) {
        let model = plan.model;
        if !plan.copulas.is_empty() {
            self.draw_copulas(plan, seed, path);
        }
        for (i, (side, ids)) in model.sides.iter().zip(&plan.streams).enumerate() {
            let casualties = self.input(&side.casualties, seed, path, ids.casualties);
            let rate_per_day = match &side.rate {
                Rate::PerDay(d) => self.input(d, seed, path, ids.rate),
                Rate::ImpliedByTotal { total, days } => {
                    self.input(total, seed, path, ids.rate) / *days as f64
                }
                Rate::ImpliedByBaseline { days } => casualties / *days as f64,
            };
            let (killed, killed_share) = match &side.killed {
                // Killed are part of casualties: a tail draw above them is cut back.
                Some(k) => (
                    self.input(&k.baseline, seed, path, ids.killed)
                        .min(casualties),
                    self.input(&k.share, seed, path, ids.killed_share)
                        .clamp(0.0, 1.0),
                ),
                None => (f64::NAN, 0.0),
            };
            let (force, recruits_per_day, return_share) = match &side.force {
                Some(f) => (
                    self.input(&f.size, seed, path, ids.force),
                    self.input(&f.recruits_per_day, seed, path, ids.recruits),
                    self.input(&f.return_share, seed, path, ids.return_share)
                        .clamp(0.0, 1.0),
                ),
                None => (f64::NAN, f64::NAN, f64::NAN),
            };
            self.draws[i] = SideDraw {
                casualties,
                rate_per_day,
                killed,
                killed_share,
                force,
                recruits_per_day,
                return_share,
            };
            if self.jumps {
                self.lanes[i].reseed_lane(0, seed, path, ids.noise);
            } else {
                self.lanes[i] = Lanes::new(seed, path, ids.noise);
            }
        }
        if model.shock_correlation > 0.0 {
            self.common = Lanes::new(seed, path, plan.common_noise);
        }
        for k in 0..plan.factors.len() {
            let f = &plan.factors[k];
            self.factors[k] = self.input(&f.dist, seed, path, f.stream);
        }
        self.draw_schedule(plan, seed, path);
        let s = model.sides.len();
        for (t, th) in model.thresholds.iter().enumerate() {
            let w = &mut self.weights[t * s..(t + 1) * s];
            w.fill(0.0);
            for &i in &th.sides {
                w[i] = match th.metric {
                    Metric::Casualties => 1.0,
                    Metric::Killed => self.draws[i].killed_share,
                };
            }
        }
    }

    /// Whether every stock of the last path is a finite number (false after an overflow).
    pub(crate) fn is_finite(&self, plan: &Plan) -> bool {
        self.cum.iter().all(|x| x.is_finite())
            && self
                .killed
                .iter()
                .zip(&plan.has_killed)
                .all(|(k, &has)| !has || k.is_finite())
    }

    /// Day 0: stocks at the baseline, thresholds already crossed.
    fn start(&mut self, plan: &Plan) {
        for (i, d) in self.draws.iter().enumerate() {
            self.cum[i] = d.casualties;
            self.killed[i] = d.killed;
        }
        self.crossing.iter_mut().for_each(|c| *c = None);
        self.next_report = plan.model.report_days.partition_point(|&r| r == 0);
        for t in 0..plan.model.thresholds.len() {
            if self.total(plan, t) >= plan.model.thresholds[t].level {
                self.crossing[t] = Some(0);
            }
        }
    }

    /// Threshold `t`'s summed metric at the current day.
    #[inline]
    pub(super) fn total(&self, plan: &Plan, t: usize) -> f64 {
        let th = &plan.model.thresholds[t];
        let stock = match th.metric {
            Metric::Casualties => &self.cum,
            Metric::Killed => &self.killed,
        };
        th.sides.iter().map(|&i| stock[i]).sum()
    }

    /// Threshold `t`'s summed metric once the current chunk's `added` amounts are in: the
    /// same sums, in the same order, as `total` after the stocks are updated.
    #[inline]
    pub(super) fn total_after(&self, plan: &Plan, t: usize) -> f64 {
        let th = &plan.model.thresholds[t];
        match th.metric {
            Metric::Casualties => th.sides.iter().map(|&i| self.cum[i] + self.added[i]).sum(),
            Metric::Killed => th
                .sides
                .iter()
                .map(|&i| self.killed[i] + self.draws[i].killed_share * self.added[i])
                .sum(),
        }
    }

    /// Whether the path can stop after `day`: every threshold crossed, no report left.
    #[inline]
    pub(super) fn done(&self, plan: &Plan, day: u32) -> bool {
        self.crossing.iter().all(Option::is_some)
            && plan.model.report_days.last().is_none_or(|&r| r <= day)
    }

    /// The last day of the chunk starting after `day`: constant rates, at most `limit`.
    #[inline]
    pub(super) fn chunk_end(&self, plan: &Plan, day: u32, seg: usize, limit: u32) -> u32 {
        let mut end = limit.min(plan.model.horizon_days);
        if let Some(next) = self.starts.get(seg + 1) {
            end = end.min(next - 1);
        }
        if let Some(&r) = plan.model.report_days.get(self.next_report) {
            debug_assert!(r > day, "the report cursor is behind day {day}");
            end = end.min(r);
        }
        end
    }

    fn step_daily(&mut self, plan: &Plan) {
        let model = plan.model;
        let s = model.sides.len();
        let mut day = 0u32;
        let mut seg = 0usize;
        while day < model.horizon_days && !self.done(plan, day) {
            seg = self.next_day(plan, day, seg);
            let block_end = day - day % BLOCK as u32 + BLOCK as u32;
            let end = self.chunk_end(plan, day, seg, block_end);
            let (o, n) = ((day % BLOCK as u32) as usize, (end - day) as usize);
            // Each side's amount over the chunk; the stocks still hold the values before
            // it, which the day-by-day walk of a crossing chunk starts from.
            for i in 0..s {
                self.added[i] = self.seg_rates[seg * s + i] * sum(&self.noise_block[i][o..o + n]);
            }
            for t in 0..model.thresholds.len() {
                if self.crossing[t].is_none()
                    && self.total_after(plan, t) >= model.thresholds[t].level
                {
                    self.crossing[t] = Some(self.crossing_day(plan, t, seg, day, end));
                }
            }
            for i in 0..s {
                self.cum[i] += self.added[i];
                self.killed[i] += self.draws[i].killed_share * self.added[i];
            }
            day = end;
            self.record_if_report(plan, day);
        }
    }

    /// Before stepping from `day`: draws the next noise block when `day` starts one, and
    /// returns the piece of constant rates that day `day + 1` falls in (from `seg` on).
    #[inline]
    pub(super) fn next_day(&mut self, plan: &Plan, day: u32, mut seg: usize) -> usize {
        if (day as usize).is_multiple_of(BLOCK) {
            self.fill_noise(plan);
        }
        while seg + 1 < self.starts.len() && self.starts[seg + 1] <= day + 1 {
            seg += 1;
        }
        seg
    }

    /// The next `BLOCK` days of every side's noise multipliers.
    pub(super) fn fill_noise(&mut self, plan: &Plan) {
        let rho = plan.model.shock_correlation;
        if rho > 0.0 {
            self.sampler
                .fill_common(&mut self.common, rho, &mut self.common_block);
            for (lanes, block) in self.lanes.iter_mut().zip(self.noise_block.iter_mut()) {
                self.sampler
                    .fill_shared(lanes, rho, &self.common_block, block);
            }
        } else {
            for (lanes, block) in self.lanes.iter_mut().zip(self.noise_block.iter_mut()) {
                self.sampler.fill(lanes, block);
            }
        }
    }

    /// The first day in `day + 1 ..= end` at whose end threshold `t` is reached, given that
    /// it is reached by `end`: a day-by-day walk from the stocks before the chunk (rounding
    /// can leave the walk just short, in which case the answer is `end`).
    fn crossing_day(&self, plan: &Plan, t: usize, seg: usize, day: u32, end: u32) -> u32 {
        let s = plan.model.sides.len();
        let th = &plan.model.thresholds[t];
        let w = &self.weights[t * s..(t + 1) * s];
        let mut running = self.total(plan, t);
        let o = (day % BLOCK as u32) as usize;
        for j in 0..(end - day) as usize {
            for &i in &th.sides {
                running += w[i] * self.seg_rates[seg * s + i] * self.noise_block[i][o + j];
            }
            if running >= th.level {
                return day + 1 + j as u32;
            }
        }
        end
    }

    pub(super) fn record_if_report(&mut self, plan: &Plan, day: u32) {
        let report = self.next_report;
        if plan.model.report_days.get(report) != Some(&day) {
            return;
        }
        self.next_report += 1;
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
