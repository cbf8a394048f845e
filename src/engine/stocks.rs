//! Where a path has got to: each side's casualty and killed stocks, the amounts of the
//! chunk being stepped, the thresholds crossed so far and the stocks at report days.
//!
//! The steppers (`path.rs` day by day, `jump.rs`, `force.rs`) all move a path the same
//! way: put each side's casualties over a chunk in `added_mut`, let `cross` note the
//! thresholds the chunk reaches, `commit` the chunk, then `record_if_report`. Keeping
//! the sums here keeps them in one order, so every stepper's totals are the same bits.

use super::dynamics::SideDraw;
use super::plan::Plan;
use crate::model::Metric;

/// The progress of one path (reused across paths).
pub(super) struct Stocks {
    cum: Vec<f64>,
    killed: Vec<f64>,
    /// Each side's casualties over the current chunk.
    added: Vec<f64>,
    /// Each side's share of its casualties that are killed (0 without killed).
    killed_share: Vec<f64>,
    /// Weight of each side in each threshold's total on this path:
    /// `weights[threshold * sides + side]` (1, the killed share, or 0).
    weights: Vec<f64>,
    /// Crossing day per threshold (None: not within the horizon).
    crossing: Vec<Option<u32>>,
    /// Stocks at report dates, indexed like `Plan::stock_index`; killed slots of sides
    /// without killed hold NaN and are never read.
    reported: Vec<f64>,
    /// Report days up to the current day: the index of the next report. Paths only move
    /// forward and never step over a report, so a cursor replaces a search per chunk
    /// (which counts with a weekly grid of a fan chart, hundreds of report days).
    next_report: usize,
    /// Each observation's stock (its metric summed over its sides) on its day, once the
    /// path has reached it (`Model::observations`).
    observed: Vec<f64>,
    /// Like `next_report`, for `Plan::observation_days`.
    next_observation: usize,
}

impl Stocks {
    pub(super) fn new(plan: &Plan) -> Self {
        let s = plan.model.sides.len();
        let t = plan.model.thresholds.len();
        Stocks {
            cum: vec![0.0; s],
            killed: vec![0.0; s],
            added: vec![0.0; s],
            killed_share: vec![0.0; s],
            weights: vec![0.0; t * s],
            crossing: vec![None; t],
            reported: vec![f64::NAN; plan.stock_slots()],
            next_report: 0,
            observed: vec![f64::NAN; plan.model.observations.len()],
            next_observation: 0,
        }
    }

    /// Day 0 of a path with draws `draws`: stocks at the baseline, thresholds already
    /// crossed.
    pub(super) fn start(&mut self, plan: &Plan, draws: &[SideDraw]) {
        let model = plan.model;
        let s = model.sides.len();
        for (i, d) in draws.iter().enumerate() {
            self.cum[i] = d.casualties;
            self.killed[i] = d.killed;
            self.killed_share[i] = d.killed_share;
        }
        for (t, th) in model.thresholds.iter().enumerate() {
            let w = &mut self.weights[t * s..(t + 1) * s];
            w.fill(0.0);
            for &i in &th.sides {
                w[i] = match th.metric {
                    Metric::Casualties => 1.0,
                    Metric::Killed => draws[i].killed_share,
                };
            }
        }
        self.crossing.iter_mut().for_each(|c| *c = None);
        self.next_report = model.report_days.partition_point(|&r| r == 0);
        self.next_observation = 0;
        self.observe_if_due(plan, 0);
        for t in 0..model.thresholds.len() {
            if self.total(plan, t) >= model.thresholds[t].level {
                self.crossing[t] = Some(0);
            }
        }
    }

    /// Crossing day per threshold of the last path.
    pub(super) fn crossing(&self) -> &[Option<u32>] {
        &self.crossing
    }

    /// Stocks of the last path at report dates, indexed like `Plan::stock_index`.
    pub(super) fn reported(&self) -> &[f64] {
        &self.reported
    }

    /// Whether every stock is a finite number (false after an overflow).
    pub(super) fn is_finite(&self, plan: &Plan) -> bool {
        self.cum.iter().all(|x| x.is_finite())
            && self
                .killed
                .iter()
                .zip(&plan.has_killed)
                .all(|(k, &has)| !has || k.is_finite())
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
    /// same sums, in the same order, as `total` after `commit`.
    #[inline]
    fn total_after(&self, plan: &Plan, t: usize) -> f64 {
        let th = &plan.model.thresholds[t];
        match th.metric {
            Metric::Casualties => th.sides.iter().map(|&i| self.cum[i] + self.added[i]).sum(),
            Metric::Killed => th
                .sides
                .iter()
                .map(|&i| self.killed[i] + self.killed_share[i] * self.added[i])
                .sum(),
        }
    }

    /// Each side's weight in threshold `t`'s total.
    #[inline]
    pub(super) fn weights(&self, plan: &Plan, t: usize) -> &[f64] {
        let s = plan.model.sides.len();
        &self.weights[t * s..(t + 1) * s]
    }

    /// Whether threshold `t` is still to be crossed.
    #[inline]
    pub(super) fn is_open(&self, t: usize) -> bool {
        self.crossing[t].is_none()
    }

    /// Notes that threshold `t` is crossed on `day`.
    #[inline]
    pub(super) fn set_crossing(&mut self, t: usize, day: u32) {
        self.crossing[t] = Some(day);
    }

    /// Each observation's stock on its day, for the last path.
    pub(super) fn observed(&self) -> &[f64] {
        &self.observed
    }

    /// Whether the path can stop after `day`: every threshold crossed, no report or
    /// observation left.
    #[inline]
    pub(super) fn done(&self, plan: &Plan, day: u32) -> bool {
        self.crossing.iter().all(Option::is_some)
            && plan.model.report_days.last().is_none_or(|&r| r <= day)
            && plan.observation_days.last().is_none_or(|&r| r <= day)
    }

    /// The last day of the chunk starting after `day`: at most `limit`, the horizon, the
    /// day before `next_piece` and the next report day.
    #[inline]
    pub(super) fn chunk_end(
        &self,
        plan: &Plan,
        day: u32,
        next_piece: Option<u32>,
        limit: u32,
    ) -> u32 {
        let mut end = limit.min(plan.model.horizon_days);
        if let Some(next) = next_piece {
            end = end.min(next - 1);
        }
        if let Some(&r) = plan.model.report_days.get(self.next_report) {
            debug_assert!(r > day, "the report cursor is behind day {day}");
            end = end.min(r);
        }
        if let Some(&r) = plan.observation_days.get(self.next_observation) {
            end = end.min(r);
        }
        end
    }

    /// Each side's casualties over the current chunk, for the stepper to fill.
    #[inline]
    pub(super) fn added_mut(&mut self) -> &mut [f64] {
        &mut self.added
    }

    #[inline]
    pub(super) fn added(&self) -> &[f64] {
        &self.added
    }

    /// Notes every open threshold that the current chunk reaches, on the day `day_of`
    /// gives for it (it sees the stocks before the chunk).
    #[inline]
    pub(super) fn cross(&mut self, plan: &Plan, day_of: impl Fn(&Self, usize) -> u32) {
        for t in 0..plan.model.thresholds.len() {
            if self.crossing[t].is_none()
                && self.total_after(plan, t) >= plan.model.thresholds[t].level
            {
                self.crossing[t] = Some(day_of(self, t));
            }
        }
    }

    /// Adds the current chunk to the stocks.
    #[inline]
    pub(super) fn commit(&mut self) {
        for i in 0..self.cum.len() {
            self.cum[i] += self.added[i];
            self.killed[i] += self.killed_share[i] * self.added[i];
        }
    }

    /// Notes the stocks when `day` is the next report day, and the observed stocks when
    /// it is the next observation day.
    pub(super) fn record_if_report(&mut self, plan: &Plan, day: u32) {
        self.observe_if_due(plan, day);
        let report = self.next_report;
        if plan.model.report_days.get(report) != Some(&day) {
            return;
        }
        self.next_report += 1;
        let s = plan.model.sides.len();
        let (mut cas, mut kil) = (0.0, 0.0);
        for i in 0..s {
            self.reported[plan.stock_index(report, i, Metric::Casualties)] = self.cum[i];
            cas += self.cum[i];
            if plan.has_killed[i] {
                self.reported[plan.stock_index(report, i, Metric::Killed)] = self.killed[i];
                kil += self.killed[i];
            }
        }
        self.reported[plan.stock_index(report, s, Metric::Casualties)] = cas;
        if plan.combined_killed {
            self.reported[plan.stock_index(report, s, Metric::Killed)] = kil;
        }
    }

    /// Notes each observation's stock when `day` is the next observation day.
    fn observe_if_due(&mut self, plan: &Plan, day: u32) {
        if plan.observation_days.get(self.next_observation) != Some(&day) {
            return;
        }
        self.next_observation += 1;
        for (k, o) in plan.model.observations.iter().enumerate() {
            if o.day == day {
                let stock = match o.metric {
                    Metric::Casualties => &self.cum,
                    Metric::Killed => &self.killed,
                };
                self.observed[k] = o.sides.iter().map(|&i| stock[i]).sum();
            }
        }
    }
}
