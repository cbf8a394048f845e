//! A path's drawn inputs: each side's inputs, the phase, event and regime factors, the
//! events, the regime chain and the trend, drawn once per path (`schedule.rs` turns them
//! into pieces of constant rates). Every draw comes from a stream keyed by the input's
//! name, so two scenarios that share an input share its draws.

use super::plan::Plan;
use super::proposal::Proposed;
use crate::model::{EventEnd, EventStart, Rate, RegimeStep, What};
use crate::sample::dist::open_unit;
use crate::sample::normal::{cdf as normal_cdf, inverse_cdf};
use crate::sample::stream::Keys;
use crate::sample::Dist;

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

/// What an event did on one path.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct EventDraw {
    /// The drawn probability that it happens at all.
    pub probability: f64,
    /// Whether it started within the horizon.
    pub happened: bool,
    /// First and last day of its effect (inclusive), when it happened.
    pub first: u32,
    pub last: u32,
}

/// Number of failures before the first success of a trial with probability `q`, from a
/// uniform in (0, 1) (inversion of the geometric distribution); saturates.
fn geometric(u: f64, q: f64) -> u64 {
    if q >= 1.0 {
        return 0;
    }
    if q <= 0.0 {
        return u64::MAX;
    }
    let g = (u.ln() / (-q).ln_1p()).floor();
    if g >= u64::MAX as f64 {
        u64::MAX
    } else {
        g as u64
    }
}

fn day_after(day: u32, n: u64) -> u64 {
    (day as u64).saturating_add(n)
}

/// Streams of one side's drawn inputs, from the plan's table (`Model::inputs`); 0 for an
/// input the side does not have.
#[derive(Clone, Copy, Debug, Default)]
struct SideStreams {
    casualties: u64,
    rate: u64,
    killed: u64,
    killed_share: u64,
    force: u64,
    recruits: u64,
    return_share: u64,
}

fn side_streams(plan: &Plan) -> Vec<SideStreams> {
    let mut out = vec![SideStreams::default(); plan.model.sides.len()];
    for input in plan.inputs.iter() {
        let id = input.stream;
        match input.what {
            What::Casualties(s) => out[s].casualties = id,
            What::Rate(s) => out[s].rate = id,
            What::Killed(s) => out[s].killed = id,
            What::KilledShare(s) => out[s].killed_share = id,
            What::Force(s) => out[s].force = id,
            What::Recruits(s) => out[s].recruits = id,
            What::ReturnShare(s) => out[s].return_share = id,
            // The plan keeps the streams of the multipliers, events, chain and trend.
            _ => {}
        }
    }
    out
}

/// What one path drew: its inputs, in the order of the plan (reused across paths).
#[derive(Clone, Debug)]
pub struct Draws {
    /// Per side.
    pub sides: Vec<SideDraw>,
    /// Per `Plan::factors`: the phases' multipliers first, then the events', the regimes'.
    pub factors: Vec<f64>,
    pub events: Vec<EventDraw>,
    /// Regime switches: (first day, regime), the first on day 1.
    pub regime_path: Vec<(u32, usize)>,
    /// Days spent in each regime over `1..=horizon`.
    pub regime_days: Vec<u32>,
    /// The drawn trend, percent per month.
    pub trend: f64,
    /// Per source (`Model::sources`): its drawn bias, 1 for a source without one.
    pub biases: Vec<f64>,
    /// Streams of each side's inputs.
    streams: Vec<SideStreams>,
    /// Uniforms of the inputs in correlation groups: (stream, uniform).
    copula_units: Vec<(u64, f64)>,
    /// Normal scores of one correlation group (scratch, reused across paths).
    copula_z: Vec<f64>,
    /// The inputs drawn through the run's proposal (none without one), and the path's
    /// prior weight.
    proposed: Proposed,
}

impl Draws {
    pub(super) fn new(plan: &Plan) -> Self {
        Draws {
            sides: vec![SideDraw::default(); plan.model.sides.len()],
            factors: vec![0.0; plan.factors.len()],
            events: vec![EventDraw::default(); plan.events.len()],
            regime_path: Vec::new(),
            regime_days: vec![0; plan.regime_factors.len()],
            trend: 0.0,
            biases: vec![1.0; plan.model.sources.len()],
            streams: side_streams(plan),
            copula_units: Vec::new(),
            copula_z: Vec::new(),
            proposed: Proposed::default(),
        }
    }

    /// Draws every input of path `path` from the streams `keys` gives.
    pub(super) fn draw(&mut self, plan: &Plan, keys: &Keys, path: u64) {
        if !plan.copulas.is_empty() {
            self.draw_copulas(plan, keys, path);
        }
        if let Some(q) = &plan.proposal {
            q.draw(keys, path, &mut self.proposed);
        }
        for (i, side) in plan.model.sides.iter().enumerate() {
            let ids = self.streams[i];
            let casualties = self.input(&side.casualties, keys, path, ids.casualties);
            let rate_per_day = match &side.rate {
                Rate::PerDay(d) => self.input(d, keys, path, ids.rate),
                Rate::ImpliedByTotal { total, days } => {
                    self.input(total, keys, path, ids.rate) / *days as f64
                }
                Rate::ImpliedByBaseline { days } => casualties / *days as f64,
            };
            let (killed, killed_share) = match &side.killed {
                // Killed are part of casualties: a tail draw above them is cut back.
                Some(k) => (
                    self.input(&k.baseline, keys, path, ids.killed)
                        .min(casualties),
                    self.input(&k.share, keys, path, ids.killed_share)
                        .clamp(0.0, 1.0),
                ),
                None => (f64::NAN, 0.0),
            };
            let (force, recruits_per_day, return_share) = match &side.force {
                Some(f) => (
                    self.input(&f.size, keys, path, ids.force),
                    self.input(&f.recruits_per_day, keys, path, ids.recruits),
                    self.input(&f.return_share, keys, path, ids.return_share)
                        .clamp(0.0, 1.0),
                ),
                None => (f64::NAN, f64::NAN, f64::NAN),
            };
            self.sides[i] = SideDraw {
                casualties,
                rate_per_day,
                killed,
                killed_share,
                force,
                recruits_per_day,
                return_share,
            };
        }
        for (k, f) in plan.factors.iter().enumerate() {
            self.factors[k] = self.input(&f.dist, keys, path, f.stream);
        }
        self.draw_events(plan, keys, path);
        self.draw_regimes(plan, keys, path);
        self.draw_trend(plan, keys, path);
        for &(k, stream) in &plan.biases {
            let bias = plan.model.sources[k].bias.as_ref();
            self.biases[k] =
                self.input(bias.expect("a bias stream has a bias"), keys, path, stream);
        }
    }

    /// What the path made of input `what` (`Model::inputs`), as its sample column shows
    /// it (an event's outcome for its `happens`, `start` and `end`; NaN for a day it does
    /// not have); `factor` is the input's index in `Plan::factors` when it is a multiplier.
    /// The regime chain's columns are `regime_days`.
    pub fn value(&self, what: What, factor: usize) -> f64 {
        let day = |happened: bool, d: u32| if happened { f64::from(d) } else { f64::NAN };
        match what {
            What::Casualties(s) => self.sides[s].casualties,
            What::Rate(s) => self.sides[s].rate_per_day,
            What::Killed(s) => self.sides[s].killed,
            What::KilledShare(s) => self.sides[s].killed_share,
            What::Force(s) => self.sides[s].force,
            What::Recruits(s) => self.sides[s].recruits_per_day,
            What::ReturnShare(s) => self.sides[s].return_share,
            What::Factor { .. } => self.factors[factor],
            What::EventProbability(e) => self.events[e].probability,
            What::EventHappens(e) => f64::from(u8::from(self.events[e].happened)),
            What::EventStart(e) => day(self.events[e].happened, self.events[e].first),
            What::EventEnd(e) => day(self.events[e].happened, self.events[e].last),
            What::RegimeChain => f64::NAN,
            What::Trend => self.trend,
            What::SourceBias(k) => self.biases[k],
        }
    }

    /// Uniforms of the inputs in correlation groups, for `input` to look up.
    fn draw_copulas(&mut self, plan: &Plan, keys: &Keys, path: u64) {
        self.copula_units.clear();
        for g in &plan.copulas {
            let k = g.streams.len();
            let u0 = keys.unit(path, g.streams[0]);
            let z = &mut self.copula_z;
            z.clear();
            z.push(inverse_cdf(u0));
            z.extend(
                g.streams[1..]
                    .iter()
                    .map(|&s| inverse_cdf(keys.unit(path, s))),
            );
            // The first input keeps its own uniform, bit for bit (its row of the Cholesky
            // factor is [1, 0, ...]): its draws equal a run without the correlation.
            self.copula_units.push((g.streams[0], u0));
            for i in 1..k {
                let x: f64 = (0..=i).map(|j| g.chol[i * k + j] * self.copula_z[j]).sum();
                let u = normal_cdf(x).clamp(f64::MIN_POSITIVE, 1.0 - f64::EPSILON / 2.0);
                self.copula_units.push((g.streams[i], u));
            }
        }
    }

    /// The draw of an input: through its copula if it is in one, through the proposal
    /// if the run proposes it (never both: `pilot` proposes no correlated input).
    #[inline]
    fn input(&self, dist: &Dist, keys: &Keys, path: u64, stream: u64) -> f64 {
        let tied = |units: &[(u64, f64)]| units.iter().find(|(s, _)| *s == stream).map(|p| p.1);
        match tied(&self.copula_units).or_else(|| tied(&self.proposed.units)) {
            Some(u) => dist.quantile(u),
            None => dist.draw(keys, path, stream),
        }
    }

    /// `ln(alpha p / q)` of the path's inputs under the run's proposal (`proposal`); 0
    /// without one.
    pub fn log_prior_weight(&self) -> f64 {
        self.proposed.log_prior_weight
    }

    /// The normal scores the proposal drew, in `Proposal::shifts` order.
    pub(super) fn proposal_scores(&self) -> &[f64] {
        &self.proposed.scores
    }

    /// Whether each event happens on this path, and when.
    fn draw_events(&mut self, plan: &Plan, keys: &Keys, path: u64) {
        let model = plan.model;
        let horizon = model.horizon_days;
        for (i, (e, ep)) in model.events.iter().zip(&plan.events).enumerate() {
            let p = e
                .probability
                .draw(keys, path, ep.probability)
                .clamp(0.0, 1.0);
            let mut d = EventDraw {
                probability: p,
                ..EventDraw::default()
            };
            if keys.unit(path, ep.happens) < p {
                let u = keys.unit(path, ep.start);
                let first = match e.start {
                    EventStart::Window { first, last } => {
                        first as u64
                            + ((u * (last - first + 1) as f64) as u64).min((last - first) as u64)
                    }
                    EventStart::Hazard { from, daily } => day_after(from, geometric(u, daily)),
                };
                if first <= horizon as u64 {
                    let first = first as u32;
                    let u = keys.unit(path, ep.end);
                    let days = match &e.end {
                        EventEnd::Never => u64::MAX,
                        EventEnd::Duration(dist) => {
                            let v = dist.draw(keys, path, ep.end).round();
                            if v >= u64::MAX as f64 {
                                u64::MAX
                            } else {
                                (v as u64).max(1)
                            }
                        }
                        EventEnd::Hazard { daily } => geometric(u, *daily).saturating_add(1),
                    };
                    let last = (first as u64).saturating_add(days - 1).min(horizon as u64) as u32;
                    d = EventDraw {
                        probability: p,
                        happened: true,
                        first,
                        last,
                    };
                }
            }
            self.events[i] = d;
        }
    }

    /// The regime chain over the horizon, and the days spent in each regime.
    fn draw_regimes(&mut self, plan: &Plan, keys: &Keys, path: u64) {
        let model = plan.model;
        let horizon = model.horizon_days;
        self.regime_path.clear();
        if let Some(r) = &model.regimes {
            let u = keys.unit(path, plan.regime_initial);
            let mut state = pick(&r.initial, u);
            let mut rng = keys.rng(path, plan.regime_chain);
            self.regime_path.push((1, state));
            match r.step {
                RegimeStep::Month => {
                    // The initial draw is the regime of the first (partial) month.
                    for &m in plan.month_starts.iter().filter(|&&m| m > 1) {
                        let next = pick(&r.transition[state], open_unit(&mut rng));
                        if next != state {
                            state = next;
                            self.regime_path.push((m, state));
                        }
                    }
                }
                RegimeStep::Day => {
                    // Holding times are geometric: the chain stays with probability
                    // P[i][i] each day, then moves to j != i in proportion to P[i][j].
                    let mut day = 1u64;
                    loop {
                        let stay = r.transition[state][state];
                        let hold = geometric(open_unit(&mut rng), 1.0 - stay);
                        day = day.saturating_add(hold).saturating_add(1);
                        if day > horizon as u64 {
                            break;
                        }
                        let row = &r.transition[state];
                        let u = open_unit(&mut rng) * (1.0 - stay);
                        let mut acc = 0.0;
                        let mut next = state;
                        for (j, &p) in row.iter().enumerate() {
                            if j == state || p == 0.0 {
                                continue;
                            }
                            next = j;
                            acc += p;
                            if u < acc {
                                break;
                            }
                        }
                        state = next;
                        self.regime_path.push((day as u32, state));
                    }
                }
            }
            self.regime_days.iter_mut().for_each(|d| *d = 0);
            for (k, &(first, st)) in self.regime_path.iter().enumerate() {
                let end = self.regime_path.get(k + 1).map_or(horizon + 1, |n| n.0);
                self.regime_days[st] += end - first;
            }
        }
    }

    fn draw_trend(&mut self, plan: &Plan, keys: &Keys, path: u64) {
        if let Some(t) = &plan.model.trend {
            use crate::model::{TrendDist, MAX_TREND, MIN_TREND};
            let u = keys.unit(path, plan.trend);
            self.trend = match t.percent_per_month {
                TrendDist::Fixed(v) => v,
                TrendDist::Normal { mean, sd } => {
                    (mean + sd * inverse_cdf(u)).clamp(MIN_TREND, MAX_TREND)
                }
                TrendDist::Uniform { lo, hi } => lo + u * (hi - lo),
            };
        }
    }
}

/// The index whose cumulative probability first exceeds `u`.
fn pick(probs: &[f64], u: f64) -> usize {
    let mut acc = 0.0;
    let mut last = 0;
    for (i, &p) in probs.iter().enumerate() {
        if p == 0.0 {
            continue;
        }
        last = i;
        acc += p;
        if u < acc {
            return i;
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometric_inversion_has_the_stated_mean() {
        // E[failures] = (1 - q) / q; midpoint-rule uniforms make the average exact to
        // well under 1%.
        let q = 0.05;
        let n = 100_000;
        let mean: f64 = (0..n)
            .map(|i| geometric((i as f64 + 0.5) / n as f64, q) as f64)
            .sum::<f64>()
            / n as f64;
        assert!((mean - 19.0).abs() < 0.1, "{mean}");
        assert_eq!(geometric(0.3, 1.0), 0);
        assert_eq!(geometric(0.3, 0.0), u64::MAX);
    }

    #[test]
    fn pick_follows_the_cumulative_probabilities() {
        let p = [0.2, 0.0, 0.5, 0.3];
        assert_eq!(pick(&p, 0.1), 0);
        assert_eq!(pick(&p, 0.2), 2);
        assert_eq!(pick(&p, 0.69), 2);
        assert_eq!(pick(&p, 0.71), 3);
        assert_eq!(pick(&p, 0.999_999_999), 3);
    }
}
