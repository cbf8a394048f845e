//! Inputs that vary, and an input held still: which drawn inputs of a model differ from
//! path to path at all (those a sensitivity analysis measures), and the model with one of
//! them held at a percentile of its own distribution (a tornado's run), together with the
//! `--set KEY=VALUE` that holds it the same way from the command line.
//!
//! Holding an input replaces its distribution by the fixed value and changes nothing
//! else, exactly what `--set` does to the file: every other input keeps its stream, so
//! on each path it draws what it draws in the unheld run (common random numbers).

use super::{EventEnd, EventStart, Input, Law, Mechanism, Model, PhaseEffect, Rate, TrendDist};
use super::{SideId, What};
use crate::sample::Dist;

/// Where an input is held.
#[derive(Clone, Debug, PartialEq)]
pub enum HeldValue {
    /// A drawn quantity at its percentile.
    Number(f64),
    /// An event's first day (after the reference date) at its percentile.
    Day(u32),
    /// An event that always happens (`true`) or never does.
    Happens(bool),
}

/// A model with one input held.
#[derive(Clone, Debug)]
pub struct Held {
    pub value: HeldValue,
    /// The `--set KEY=VALUE` that makes the same model from the file, where the file
    /// format can say it (a hazard's day or duration it cannot).
    pub set: Option<String>,
    pub model: Model,
}

impl Input {
    /// Whether this input differs from path to path: a distribution that is not a fixed
    /// value, an event that may or may not happen, a window of days, a regime chain of
    /// more than one regime. A rate implied by the baseline draws nothing of its own,
    /// and a source's bias enters only the weights of observations, never a path.
    pub fn varies(&self, model: &Model) -> bool {
        match self.law(model) {
            _ if matches!(self.what, What::SourceBias(_)) => false,
            Law::Dist(d) => d.varies(),
            Law::Implied { .. } => false,
            Law::Trend(t) => match *t {
                TrendDist::Fixed(_) => false,
                TrendDist::Normal { sd, .. } => sd > 0.0,
                TrendDist::Uniform { lo, hi } => hi > lo,
            },
            Law::Happens => {
                let What::EventHappens(e) = self.what else {
                    unreachable!("only an event's `happens` has this law")
                };
                match model.events[e].probability {
                    Dist::Fixed(p) => p > 0.0 && p < 1.0,
                    _ => true,
                }
            }
            Law::Start(EventStart::Window { first, last }) => last > first,
            Law::Start(EventStart::Hazard { .. }) => true,
            Law::End(EventEnd::Never) => false,
            Law::End(EventEnd::Duration(d)) => d.varies(),
            Law::End(EventEnd::Hazard { .. }) => true,
            Law::Chain(r) => r.names.len() > 1,
        }
    }

    /// `model` with this input held at probability `p` of its own distribution (see
    /// `HeldValue`); `None` for an input without percentiles (a regime chain) or one
    /// that does not vary. An event's `happens` has two values: it is held at "never"
    /// for `p` below one half and at "always" above.
    pub fn hold(&self, model: &Model, p: f64) -> Option<Held> {
        if !self.varies(model) {
            return None;
        }
        let mut held = model.clone();
        let number = |v: f64| Some(format!("{v:?}"));
        let (value, text) = match (self.law(model), self.what) {
            (Law::Dist(d), what) => {
                let v = d.percentile(p);
                *dist_mut(&mut held, what).expect("a Dist law has a Dist") = Dist::Fixed(v);
                (HeldValue::Number(v), number(v))
            }
            (Law::Trend(t), _) => {
                let v = match *t {
                    TrendDist::Normal { mean, sd } => (mean
                        + sd * crate::sample::normal::inverse_cdf(p))
                    .clamp(super::MIN_TREND, super::MAX_TREND),
                    TrendDist::Uniform { lo, hi } => lo + p * (hi - lo),
                    TrendDist::Fixed(v) => v,
                };
                held.trend.as_mut().expect("a trend law").percent_per_month = TrendDist::Fixed(v);
                (HeldValue::Number(v), number(v))
            }
            (Law::Happens, What::EventHappens(e)) => {
                let always = p >= 0.5;
                held.events[e].probability = Dist::Fixed(if always { 1.0 } else { 0.0 });
                (
                    HeldValue::Happens(always),
                    Some(u8::from(always).to_string()),
                )
            }
            (Law::Start(start), What::EventStart(e)) => {
                let day = match *start {
                    EventStart::Window { first, last } => {
                        let n = last - first + 1;
                        first + ((p * n as f64) as u32).min(n - 1)
                    }
                    EventStart::Hazard { from, daily } => {
                        let g = geometric_percentile(p, daily);
                        u32::try_from(u64::from(from).saturating_add(g)).unwrap_or(u32::MAX)
                    }
                };
                held.events[e].start = EventStart::Window {
                    first: day,
                    last: day,
                };
                // The file's dates stop at the horizon; a later start means the event
                // does not happen, which the file says with the probability instead.
                let text = (day <= model.horizon_days).then(|| model.date_of(day).to_string());
                (HeldValue::Day(day), text)
            }
            (Law::End(end), What::EventEnd(e)) => {
                let (v, text) = match end {
                    EventEnd::Duration(d) => (d.percentile(p), number(d.percentile(p))),
                    // The file cannot trade its hazard for a duration with one key.
                    EventEnd::Hazard { daily } => (
                        geometric_percentile(p, *daily).saturating_add(1) as f64,
                        None,
                    ),
                    EventEnd::Never => unreachable!("a lasting event does not vary"),
                };
                held.events[e].end = EventEnd::Duration(Dist::Fixed(v));
                (HeldValue::Number(v), text)
            }
            _ => return None,
        };
        let set = match (file_key(self, model), text) {
            (Some(key), Some(text)) => Some(format!("{key}={text}")),
            _ => None,
        };
        Some(Held {
            value,
            set,
            model: held,
        })
    }
}

/// The `p`-quantile of the number of failures before the first success of daily trials
/// of probability `q`: the least `g` with `1 - (1 - q)^(g + 1) >= p`.
fn geometric_percentile(p: f64, q: f64) -> u64 {
    if q >= 1.0 {
        return 0;
    }
    let g = ((1.0 - p).ln() / (-q).ln_1p() - 1.0).ceil().max(0.0);
    if g >= u64::MAX as f64 {
        u64::MAX
    } else {
        g as u64
    }
}

/// The key of the file (as `--set` names it) that states this input, when there is one:
/// `sides.russia.casualties`, `sides.russia.rate_per_day.total`, `phases[0].multiplier`,
/// `events[1].probability`, `regimes.states.grind.multiplier`, `trend.percent_per_month`.
pub fn file_key(input: &Input, model: &Model) -> Option<String> {
    let side = |s: SideId| &model.sides[s].name;
    let effect_key = |base: String, side_of: Option<SideId>| match side_of {
        None => format!("{base}.multiplier"),
        Some(s) => format!("{base}.multipliers.{}", side(s)),
    };
    Some(match input.what {
        What::Rate(s) => match model.sides[s].rate {
            Rate::PerDay(_) => input.key.clone(),
            Rate::ImpliedByTotal { .. } => format!("{}.total", input.key),
            Rate::ImpliedByBaseline { .. } => return None,
        },
        What::Casualties(_)
        | What::Killed(_)
        | What::KilledShare(_)
        | What::Force(_)
        | What::Recruits(_)
        | What::ReturnShare(_) => input.key.clone(),
        What::Factor { of, index, side } => {
            let base = match of {
                Mechanism::Phase => format!("phases[{index}]"),
                Mechanism::Event => format!("events[{index}]"),
                Mechanism::Regime => {
                    format!("regimes.states.{}", model.regimes.as_ref()?.names[index])
                }
            };
            effect_key(base, side)
        }
        What::EventProbability(e) | What::EventHappens(e) => format!("events[{e}].probability"),
        What::EventStart(e) => format!("events[{e}].start"),
        What::EventEnd(e) => format!("events[{e}].duration_days"),
        What::Trend => "trend.percent_per_month".to_string(),
        What::RegimeChain | What::SourceBias(_) => return None,
    })
}

/// The factor of `side` (or the shared one) in an effect, to change.
fn effect(e: &mut PhaseEffect, side: Option<SideId>) -> Option<&mut Dist> {
    match (e, side) {
        (PhaseEffect::Shared { factor, .. }, None) => Some(factor),
        (PhaseEffect::PerSide(v), Some(s)) => v.iter_mut().find(|(k, _)| *k == s).map(|(_, d)| d),
        _ => None,
    }
}

/// The distribution of a `Dist` input, to change.
fn dist_mut(model: &mut Model, what: What) -> Option<&mut Dist> {
    match what {
        What::Casualties(s) => Some(&mut model.sides[s].casualties),
        What::Rate(s) => match &mut model.sides[s].rate {
            Rate::PerDay(d) | Rate::ImpliedByTotal { total: d, .. } => Some(d),
            Rate::ImpliedByBaseline { .. } => None,
        },
        What::Killed(s) => Some(&mut model.sides[s].killed.as_mut()?.baseline),
        What::KilledShare(s) => Some(&mut model.sides[s].killed.as_mut()?.share),
        What::Force(s) => Some(&mut model.sides[s].force.as_mut()?.size),
        What::Recruits(s) => Some(&mut model.sides[s].force.as_mut()?.recruits_per_day),
        What::ReturnShare(s) => Some(&mut model.sides[s].force.as_mut()?.return_share),
        What::Factor { of, index, side } => match of {
            Mechanism::Phase => effect(&mut model.phases[index].effect, side),
            Mechanism::Event => effect(&mut model.events[index].effect, side),
            Mechanism::Regime => effect(&mut model.regimes.as_mut()?.effects[index], side),
        },
        What::EventProbability(e) => Some(&mut model.events[e].probability),
        What::SourceBias(k) => model.sources[k].bias.as_mut(),
        What::EventHappens(_)
        | What::EventStart(_)
        | What::EventEnd(_)
        | What::RegimeChain
        | What::Trend => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::inputs::tests::{rich, RICH};

    #[test]
    fn every_varying_input_but_the_chain_can_be_held_and_the_file_can_say_it() {
        let m = rich();
        for input in m.inputs().iter() {
            if !input.varies(&m) {
                assert!(input.hold(&m, 0.05).is_none(), "{}", input.key);
                continue;
            }
            let held = input.hold(&m, 0.05);
            if input.what == What::RegimeChain {
                assert!(held.is_none());
                continue;
            }
            let held = held.unwrap_or_else(|| panic!("{} cannot be held", input.key));
            assert!(!input.varies(&held.model) || matches!(input.what, What::EventHappens(_)));
            // The `--set` argument (every input here has one) loads into the same model.
            let set = held
                .set
                .as_ref()
                .expect("a --set for every input of this file");
            {
                let o = crate::scenario::overrides::Override::parse(set).unwrap();
                let from_file = crate::scenario::overrides::load_with("rich.toml", RICH, &[o])
                    .unwrap_or_else(|e| panic!("{set}: {e}"));
                assert_eq!(
                    format!(
                        "{:?}",
                        from_file
                            .inputs()
                            .iter()
                            .map(|i| i.law(&from_file))
                            .collect::<Vec<_>>()
                    ),
                    format!(
                        "{:?}",
                        held.model
                            .inputs()
                            .iter()
                            .map(|i| i.law(&held.model))
                            .collect::<Vec<_>>()
                    ),
                    "{set}"
                );
            }
        }
    }

    #[test]
    fn percentiles_are_the_distributions_own() {
        let m = rich();
        let inputs = m.inputs();
        let find = |k: &str| &inputs[inputs.find(k).unwrap()];
        let c = find("sides.a.casualties");
        let d = c.dist(&m).unwrap().clone();
        let low = c.hold(&m, 0.05).unwrap();
        assert_eq!(low.value, HeldValue::Number(d.percentile(0.05)));
        assert_eq!(
            low.set.as_deref(),
            Some(format!("sides.a.casualties={:?}", d.percentile(0.05)).as_str())
        );
        assert!(matches!(low.model.sides[0].casualties, Dist::Fixed(_)));
        // The rate given as a total is held through its total.
        let r = find("sides.a.rate_per_day").hold(&m, 0.95).unwrap();
        assert!(r.set.unwrap().starts_with("sides.a.rate_per_day.total="));
    }

    #[test]
    fn a_geometric_percentile_is_the_least_count_that_reaches_it() {
        for q in [0.01, 0.2, 0.7] {
            for p in [0.05, 0.5, 0.95] {
                let g = geometric_percentile(p, q);
                let cdf = |g: u64| 1.0 - (1.0 - q).powi(g as i32 + 1);
                assert!(cdf(g) >= p - 1e-12, "q {q} p {p} g {g}");
                assert!(g == 0 || cdf(g - 1) < p, "q {q} p {p} g {g}");
            }
        }
        assert_eq!(geometric_percentile(0.5, 1.0), 0);
    }
}
