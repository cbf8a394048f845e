//! A path's own schedule of rates: its drawn events, regime chain, seasonality and trend
//! turned into pieces of constant rates, which the steppers walk like fixed phases. It is
//! a function of the plan and the draws alone, so changing a draw and rebuilding the
//! schedule gives the rates that draw would have made.

use super::dynamics::Draws;
use super::plan::Plan;

/// A path's pieces of constant rates: where each starts and every side's rate in it.
/// Built from the draws, reused across paths.
#[derive(Clone, Debug, Default)]
pub(super) struct Schedule {
    /// First day of each piece, sorted; the first is day 1.
    starts: Vec<u32>,
    /// Rate per side in each piece: `rates[piece * sides + side]`.
    rates: Vec<f64>,
    sides: usize,
}

impl Schedule {
    /// Fills the pieces from `draws`: the plan's cuts, every edge of an event that
    /// happened and every regime switch; in each piece the base rates times every phase,
    /// event, regime, season and trend multiplier that applies.
    pub(super) fn build(&mut self, plan: &Plan, draws: &Draws) {
        let horizon = plan.model.horizon_days;
        self.sides = plan.model.sides.len();
        self.starts.clear();
        self.starts.extend_from_slice(&plan.cuts);
        for e in draws.events.iter().filter(|e| e.happened) {
            self.starts.push(e.first);
            if e.last < horizon {
                self.starts.push(e.last + 1);
            }
        }
        self.starts.extend(
            draws
                .regime_path
                .iter()
                .map(|&(first, _)| first)
                .filter(|&first| first > 1),
        );
        if plan.per_path_cuts {
            self.starts.sort_unstable();
            self.starts.dedup();
        }
        self.fill_rates(plan, draws);
    }

    /// The piece that day `day` falls in, searching forward from piece `from` (paths
    /// only move forward, so a step replaces a search).
    #[inline]
    pub(super) fn piece_of(&self, day: u32, mut from: usize) -> usize {
        while from + 1 < self.starts.len() && self.starts[from + 1] <= day {
            from += 1;
        }
        from
    }

    /// The first day of the piece after `piece`, if there is one.
    #[inline]
    pub(super) fn next_start(&self, piece: usize) -> Option<u32> {
        self.starts.get(piece + 1).copied()
    }

    /// Every side's rate in `piece`.
    #[inline]
    pub(super) fn rates(&self, piece: usize) -> &[f64] {
        &self.rates[piece * self.sides..(piece + 1) * self.sides]
    }

    /// The rate of every side in every piece.
    fn fill_rates(&mut self, plan: &Plan, draws: &Draws) {
        let model = plan.model;
        let s = model.sides.len();
        self.rates.clear();
        let mut regime = 0usize;
        for &day in &self.starts {
            let at = self.rates.len();
            self.rates
                .extend(draws.sides.iter().map(|d| d.rate_per_day));
            let rates = &mut self.rates[at..at + s];
            for w in &plan.windows {
                if w.first_day <= day && day <= w.last_day {
                    apply(rates, plan, &draws.factors, &w.factors);
                }
            }
            for (e, ep) in draws.events.iter().zip(&plan.events) {
                if e.happened && e.first <= day && day <= e.last {
                    apply(rates, plan, &draws.factors, &ep.factors);
                }
            }
            if !draws.regime_path.is_empty() {
                while regime + 1 < draws.regime_path.len() && draws.regime_path[regime + 1].0 <= day
                {
                    regime += 1;
                }
                let st = draws.regime_path[regime].1;
                apply(rates, plan, &draws.factors, &plan.regime_factors[st]);
            }
            if model.seasonality.is_some() || model.trend.is_some() {
                let months = plan.month_starts.partition_point(|&m| m <= day) as u32;
                if let Some(season) = &model.seasonality {
                    let calendar = (plan.reference_month + months) % 12;
                    for &i in &season.sides {
                        rates[i] *= season.months[calendar as usize];
                    }
                }
                if let Some(t) = &model.trend {
                    let f = (1.0 + draws.trend / 100.0).powi(months as i32);
                    for &i in &t.sides {
                        rates[i] *= f;
                    }
                }
            }
        }
    }
}

fn apply(rates: &mut [f64], plan: &Plan, values: &[f64], ids: &[usize]) {
    for &f in ids {
        for &side in &plan.factors[f].sides {
            rates[side] *= values[f];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_follows_the_draws_alone() {
        // One side at 10 a day; an event on days 10..=19 halves it.
        let model = crate::scenario::load_str(
            "t.toml",
            "[scenario]\nname = \"t\"\nreference_date = 2025-12-31\nhorizon_days = 100\n\n[noise]\nmodel = \"none\"\n\n[sides.a]\ncasualties = 1\nrate_per_day = 10\n\n[[events]]\nname = \"e\"\nprobability = 1\nstart = 2026-01-10\nduration_days = 10\nmultiplier = 0.5\n\n[[thresholds]]\nname = \"t\"\nlevel = 300\n",
        )
        .unwrap();
        let plan = Plan::new(&model);
        let mut draws = Draws::new(&plan);
        draws.draw(&plan, &crate::sample::stream::Keys::new(1), 0);
        let mut schedule = Schedule::default();
        schedule.build(&plan, &draws);
        assert_eq!(schedule.starts, [1, 10, 20]);
        assert_eq!(schedule.rates, [10.0, 5.0, 10.0]);
        assert_eq!(schedule.piece_of(15, 0), 1);
        assert_eq!(schedule.next_start(1), Some(20));
        // A draw changed by hand (as a sensitivity run would) and the schedule rebuilt:
        // the event's pieces are gone, with nothing left over from the last build.
        draws.events[0].happened = false;
        schedule.build(&plan, &draws);
        assert_eq!(schedule.starts, [1]);
        assert_eq!(schedule.rates(0), [10.0]);
        assert_eq!(schedule.next_start(0), None);
    }
}
