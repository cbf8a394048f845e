//! A path's own schedule of rates: the uncertain events, the regime chain, seasonality and
//! trend are drawn once per path and turned into pieces of constant rates, which the
//! steppers walk like fixed phases. Every draw comes from a stream keyed by the input's
//! name, so two scenarios that share an event share its draws.

use super::path::PathState;
use super::plan::Plan;
use crate::model::{EventEnd, EventStart, RegimeStep};
use crate::sample::dist::open_unit;
use crate::sample::normal::{cdf as normal_cdf, inverse_cdf};
use crate::sample::stream::{keyed_unit, stream_id, stream_rng};

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

impl PathState {
    /// Uniforms of the inputs in correlation groups, for `draw_inputs` to look up.
    pub(super) fn draw_copulas(&mut self, plan: &Plan, seed: u64, path: u64) {
        self.copula_units.clear();
        for g in &plan.copulas {
            let k = g.streams.len();
            let u0 = keyed_unit(seed, path, g.streams[0]);
            let z = &mut self.copula_z;
            z.clear();
            z.push(inverse_cdf(u0));
            z.extend(
                g.streams[1..]
                    .iter()
                    .map(|&s| inverse_cdf(keyed_unit(seed, path, s))),
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

    /// The draw of an input: through its copula if it is in one.
    #[inline]
    pub(super) fn input(
        &self,
        dist: &crate::sample::Dist,
        seed: u64,
        path: u64,
        stream: u64,
    ) -> f64 {
        match self.copula_units.iter().find(|(s, _)| *s == stream) {
            Some(&(_, u)) => dist.quantile(u),
            None => dist.draw(seed, path, stream),
        }
    }

    /// Draws events, the regime chain and the trend, and fills the pieces of constant
    /// rates (`starts`, `seg_rates`) from the base rates in `draws`.
    pub(super) fn draw_schedule(&mut self, plan: &Plan, seed: u64, path: u64) {
        let model = plan.model;
        let horizon = model.horizon_days;
        self.starts.clear();
        self.starts.extend_from_slice(&plan.cuts);
        for (i, (e, ep)) in model.events.iter().zip(&plan.events).enumerate() {
            let p = e
                .probability
                .draw(seed, path, ep.probability)
                .clamp(0.0, 1.0);
            let mut d = EventDraw {
                probability: p,
                ..EventDraw::default()
            };
            if keyed_unit(seed, path, ep.happens) < p {
                let u = keyed_unit(seed, path, ep.start);
                let first = match e.start {
                    EventStart::Window { first, last } => {
                        first as u64
                            + ((u * (last - first + 1) as f64) as u64).min((last - first) as u64)
                    }
                    EventStart::Hazard { from, daily } => day_after(from, geometric(u, daily)),
                };
                if first <= horizon as u64 {
                    let first = first as u32;
                    let u = keyed_unit(seed, path, ep.end);
                    let days = match &e.end {
                        EventEnd::Never => u64::MAX,
                        EventEnd::Duration(dist) => {
                            let v = dist.draw(seed, path, ep.end).round();
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
                    self.starts.push(first);
                    if last < horizon {
                        self.starts.push(last + 1);
                    }
                }
            }
            self.events[i] = d;
        }
        self.regime_path.clear();
        if let Some(r) = &model.regimes {
            let u = keyed_unit(seed, path, stream_id("regimes.initial"));
            let mut state = pick(&r.initial, u);
            let mut rng = stream_rng(seed, path, stream_id("regimes.chain"));
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
                if first > 1 {
                    self.starts.push(first);
                }
            }
        }
        if let Some(t) = &model.trend {
            use crate::model::{TrendDist, MAX_TREND, MIN_TREND};
            let u = keyed_unit(seed, path, stream_id("trend.percent_per_month"));
            self.trend = match t.percent_per_month {
                TrendDist::Fixed(v) => v,
                TrendDist::Normal { mean, sd } => {
                    (mean + sd * inverse_cdf(u)).clamp(MIN_TREND, MAX_TREND)
                }
                TrendDist::Uniform { lo, hi } => lo + u * (hi - lo),
            };
        }
        if plan.per_path_cuts {
            self.starts.sort_unstable();
            self.starts.dedup();
        }
        self.fill_rates(plan);
    }

    /// The rate of every side in every piece.
    fn fill_rates(&mut self, plan: &Plan) {
        let model = plan.model;
        let s = model.sides.len();
        self.seg_rates.clear();
        let mut regime = 0usize;
        for &day in &self.starts {
            let at = self.seg_rates.len();
            self.seg_rates
                .extend(self.draws.iter().map(|d| d.rate_per_day));
            let rates = &mut self.seg_rates[at..at + s];
            for w in &plan.windows {
                if w.first_day <= day && day <= w.last_day {
                    apply(rates, plan, &self.factors, &w.factors);
                }
            }
            for (e, ep) in self.events.iter().zip(&plan.events) {
                if e.happened && e.first <= day && day <= e.last {
                    apply(rates, plan, &self.factors, &ep.factors);
                }
            }
            if !self.regime_path.is_empty() {
                while regime + 1 < self.regime_path.len() && self.regime_path[regime + 1].0 <= day {
                    regime += 1;
                }
                let st = self.regime_path[regime].1;
                apply(rates, plan, &self.factors, &plan.regime_factors[st]);
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
                    let f = (1.0 + self.trend / 100.0).powi(months as i32);
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
