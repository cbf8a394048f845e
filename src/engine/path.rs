//! One Monte Carlo path: draw its inputs, build its schedule, step it through the
//! horizon, note crossings and stocks.
//!
//! A path is made of parts, each owned by one file: its `Draws` and `Schedule`
//! (`dynamics.rs`), its day-to-day noise (`noise.rs`), its progress (`stocks.rs`), and the
//! state of the stepper that moves it: day by day (here), exact jumps over chunks for
//! gamma noise (`jump.rs`), or day by day with forces in the line (`force.rs`). Stepping
//! day by day goes in chunks of days with constant rates (cut at piece edges, report
//! dates and noise blocks).

use super::dynamics::Draws;
use super::force::Forces;
use super::jump::Jumps;
use super::noise::DayNoise;
use super::plan::Plan;
use super::schedule::Schedule;
use super::stocks::Stocks;
use crate::sample::noise::BLOCK;
use crate::sample::stream::Keys;

/// How paths move through time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Stepping {
    /// Day by day, except gamma noise, which jumps exactly over chunks of constant rates.
    #[default]
    Auto,
    /// Day by day always: the reference the jumps are tested against.
    Daily,
}

/// How a model's paths move, chosen once per worker.
enum Stepper {
    Daily,
    Jumps(Jumps),
    Force(Forces),
}

/// Reusable buffers for one worker, and what the last path drew and produced.
pub struct PathState {
    draws: Draws,
    schedule: Schedule,
    noise: DayNoise,
    stocks: Stocks,
    stepper: Stepper,
    /// The last path's log weight (0 without observations).
    log_weight: f64,
    /// The log weight its units count from (`Proposal::log_anchor`; 0 without one).
    log_anchor: f64,
}

impl PathState {
    pub(crate) fn new(plan: &Plan, stepping: Stepping) -> Self {
        let stepper = match (Forces::new(plan), Jumps::new(plan)) {
            (Some(forces), _) => Stepper::Force(forces),
            (None, Some(jumps)) if stepping == Stepping::Auto => Stepper::Jumps(jumps),
            _ => Stepper::Daily,
        };
        PathState {
            draws: Draws::new(plan),
            schedule: Schedule::default(),
            noise: DayNoise::new(plan),
            stocks: Stocks::new(plan),
            stepper,
            log_weight: 0.0,
            log_anchor: 0.0,
        }
    }

    /// Simulates path `path` of a run with seed `seed`.
    pub(crate) fn simulate(&mut self, plan: &Plan, seed: u64, path: u64) {
        self.simulate_keyed(plan, &Keys::new(seed), path);
    }

    /// Simulates path `path` with the streams `keys` gives (`Keys`: some re-keyed).
    pub(crate) fn simulate_keyed(&mut self, plan: &Plan, keys: &Keys, path: u64) {
        let PathState {
            draws,
            schedule,
            noise,
            stocks,
            stepper,
            log_weight,
            log_anchor,
        } = self;
        *log_anchor = plan.proposal.as_ref().map_or(0.0, |q| q.log_anchor);
        draws.draw(plan, keys, path);
        noise.seed(plan, keys, path, matches!(stepper, Stepper::Jumps(_)));
        schedule.build(plan, draws);
        stocks.start(plan, &draws.sides);
        match stepper {
            Stepper::Daily => step_daily(plan, schedule, noise, stocks),
            Stepper::Jumps(jumps) => jumps.step(plan, schedule, noise, stocks),
            Stepper::Force(forces) => forces.step(plan, &draws.sides, schedule, noise, stocks),
        }
        *log_weight = draws.log_prior_weight()
            + plan
                .model
                .observations
                .iter()
                .zip(stocks.observed())
                .map(|(o, &stock)| {
                    let bias = o.source.map_or(1.0, |s| draws.biases[s]);
                    o.value.log_at(stock * bias)
                })
                .sum::<f64>();
    }

    /// The last path's log weight: the sum over observations of the log likelihood of
    /// the reported figure given the path's stock on its day (times the source's bias),
    /// plus its prior weight's log under a proposal; 0 without observations.
    pub fn log_weight(&self) -> f64 {
        self.log_weight
    }

    /// The log weight the last path's units count from (`Proposal::log_anchor`).
    pub fn log_anchor(&self) -> f64 {
        self.log_anchor
    }

    /// The last path's weight in fixed-point units (`weights::units`), from the anchor.
    pub fn units(&self) -> u64 {
        super::weights::units(self.log_weight - self.log_anchor)
    }

    /// The last path's log prior weight: `ln(alpha p / q)` of its inputs under the run's
    /// proposal (`proposal`), 0 without one.
    pub fn log_prior_weight(&self) -> f64 {
        self.draws.log_prior_weight()
    }

    /// Each observation's stock on its day, for the last path.
    pub fn observed(&self) -> &[f64] {
        self.stocks.observed()
    }

    /// What the last path drew.
    pub fn draws(&self) -> &Draws {
        &self.draws
    }

    /// Crossing day per threshold of the last path (None: not within the horizon).
    pub fn crossing(&self) -> &[Option<u32>] {
        self.stocks.crossing()
    }

    /// Stocks of the last path at report dates, indexed like `Layout::slot`; killed slots
    /// of sides without killed hold NaN and are never read.
    pub(crate) fn reported(&self) -> &[f64] {
        self.stocks.reported()
    }

    /// Whether every stock of the last path is a finite number (false after an overflow).
    pub(crate) fn is_finite(&self, plan: &Plan) -> bool {
        self.stocks.is_finite(plan)
    }
}

/// Steps a started path day by day, a chunk of constant rates within a noise block at a
/// time.
fn step_daily(plan: &Plan, schedule: &Schedule, noise: &mut DayNoise, stocks: &mut Stocks) {
    let model = plan.model;
    let mut day = 0u32;
    let mut seg = 0usize;
    while day < model.horizon_days && !stocks.done(plan, day) {
        noise.advance(plan, day);
        seg = schedule.piece_of(day + 1, seg);
        let block_end = day - day % BLOCK as u32 + BLOCK as u32;
        let end = stocks.chunk_end(plan, day, schedule.next_start(seg), block_end);
        let (o, n) = ((day % BLOCK as u32) as usize, (end - day) as usize);
        let rates = schedule.rates(seg);
        // Each side's amount over the chunk; the stocks still hold the values before
        // it, which the day-by-day walk of a crossing chunk starts from.
        for (i, (a, r)) in stocks.added_mut().iter_mut().zip(rates).enumerate() {
            *a = r * noise.sum(i, o, n);
        }
        stocks.cross(plan, |stocks, t| {
            crossing_day(plan, stocks, t, rates, noise, day, end)
        });
        stocks.commit();
        day = end;
        stocks.record_if_report(plan, day);
    }
}

/// The first day in `day + 1 ..= end` at whose end threshold `t` is reached, given that
/// it is reached by `end`: a day-by-day walk from the stocks before the chunk (rounding
/// can leave the walk just short, in which case the answer is `end`).
fn crossing_day(
    plan: &Plan,
    stocks: &Stocks,
    t: usize,
    rates: &[f64],
    noise: &DayNoise,
    day: u32,
    end: u32,
) -> u32 {
    let th = &plan.model.thresholds[t];
    let w = stocks.weights(plan, t);
    let mut running = stocks.total(plan, t);
    let o = (day % BLOCK as u32) as usize;
    for j in 0..(end - day) as usize {
        for &i in &th.sides {
            running += w[i] * rates[i] * noise.block(i)[o + j];
        }
        if running >= th.level {
            return day + 1 + j as u32;
        }
    }
    end
}
