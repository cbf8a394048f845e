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

use super::path::PathState;
use super::plan::Plan;
use crate::model::ForceLaw;
use crate::sample::noise::BLOCK;

impl PathState {
    pub(super) fn step_force(&mut self, plan: &Plan) {
        let model = plan.model;
        let law = model.force_law.expect("force stepping needs a force law");
        let s = model.sides.len();
        for i in 0..s {
            self.forces[i] = self.draws[i].force;
        }
        let start: Vec<f64> = self.draws.iter().map(|d| d.force).collect();
        let ratio = |now: f64, at0: f64| if at0 > 0.0 { now / at0 } else { 0.0 };
        let mut day = 0u32;
        let mut seg = 0usize;
        while day < model.horizon_days && !self.done(plan, day) {
            seg = self.next_day(plan, day, seg);
            let o = day as usize % BLOCK;
            for i in 0..s {
                // The loader allows force models with exactly two sides.
                let j = 1 - i;
                let pressure = match law {
                    ForceLaw::Square => ratio(self.forces[j], start[j]),
                    ForceLaw::Linear => {
                        ratio(self.forces[i], start[i]) * ratio(self.forces[j], start[j])
                    }
                };
                let loss = self.seg_rates[seg * s + i] * pressure * self.noise_block[i][o];
                self.added[i] = loss.min(self.forces[i]);
            }
            for t in 0..model.thresholds.len() {
                if self.crossing[t].is_none()
                    && self.total_after(plan, t) >= model.thresholds[t].level
                {
                    self.crossing[t] = Some(day + 1);
                }
            }
            for i in 0..s {
                let d = &self.draws[i];
                self.cum[i] += self.added[i];
                self.killed[i] += d.killed_share * self.added[i];
                self.forces[i] += d.recruits_per_day - (1.0 - d.return_share) * self.added[i];
            }
            day += 1;
            self.record_if_report(plan, day);
        }
    }
}
