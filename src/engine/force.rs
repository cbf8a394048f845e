//! Force-dependent (Lanchester) attrition, stepped day by day.
//!
//! Each of the two sides has a force in the line `F`. On day `t + 1` side `i` loses
//!
//! ```text
//! L_i = r_i(t) * P_i(t) * m_i(t+1),   capped at F_i(t)
//! P_i = F_j(t) / F_j(0)                       (square law: aimed fire)
//! P_i = F_i(t) F_j(t) / (F_i(0) F_j(0))       (linear law: area fire)
//! F_i(t + 1) = F_i(t) - (1 - s_i) L_i + R_i
//! ```
//!
//! where `r_i(t)` is the side's drawn rate with every phase, event, regime, season and
//! trend multiplier, `m` the day-to-day noise, `s_i` the return-to-duty share and `R_i`
//! the recruits per day. Writing the effectiveness of side `j`'s fire as
//! `a_j = r_i / F_j(0)` (square) gives the textbook `dF_i/dt = -a_j F_j`; dividing by the
//! starting forces calibrates it so that day 1 loses exactly the reported rate.

use super::dynamics::SideDraw;
use super::noise::DayNoise;
use super::plan::Plan;
use super::schedule::Schedule;
use super::stocks::Stocks;
use crate::model::ForceLaw;
use crate::sample::noise::BLOCK;

/// The forces in the line (reused across paths): only the force law reads them.
pub(super) struct Forces {
    law: ForceLaw,
    /// Each side's force now, and at the start of the path.
    now: Vec<f64>,
    start: Vec<f64>,
}

impl Forces {
    /// The forces for `plan`, when it has a force law.
    pub(super) fn new(plan: &Plan) -> Option<Self> {
        let s = plan.model.sides.len();
        plan.model.force_law.map(|law| Forces {
            law,
            now: vec![0.0; s],
            start: vec![0.0; s],
        })
    }

    /// Steps a started path with draws `draws` through the horizon, a day at a time.
    pub(super) fn step(
        &mut self,
        plan: &Plan,
        draws: &[SideDraw],
        schedule: &Schedule,
        noise: &mut DayNoise,
        stocks: &mut Stocks,
    ) {
        let model = plan.model;
        let s = model.sides.len();
        for (i, d) in draws.iter().enumerate() {
            self.now[i] = d.force;
            self.start[i] = d.force;
        }
        let (now, start) = (&mut self.now, &self.start);
        let ratio = |now: f64, at0: f64| if at0 > 0.0 { now / at0 } else { 0.0 };
        let mut day = 0u32;
        let mut seg = 0usize;
        while day < model.horizon_days && !stocks.done(plan, day) {
            noise.advance(plan, day);
            seg = schedule.piece_of(day + 1, seg);
            let rates = schedule.rates(seg);
            let o = day as usize % BLOCK;
            let added = stocks.added_mut();
            for i in 0..s {
                // The loader allows force models with exactly two sides.
                let j = 1 - i;
                let pressure = match self.law {
                    ForceLaw::Square => ratio(now[j], start[j]),
                    ForceLaw::Linear => ratio(now[i], start[i]) * ratio(now[j], start[j]),
                };
                let loss = rates[i] * pressure * noise.block(i)[o];
                added[i] = loss.min(now[i]);
            }
            stocks.cross(plan, |_, _| day + 1);
            stocks.commit();
            for (i, d) in draws.iter().enumerate() {
                now[i] += d.recruits_per_day - (1.0 - d.return_share) * stocks.added()[i];
            }
            day += 1;
            stocks.record_if_report(plan, day);
        }
    }
}
