//! The model's drawn inputs, one table: every uncertain input with its key, its random
//! stream, where its distribution lives, what it is, and the sample columns it fills.
//! The loader resolves correlations against it (by index), the engine's plan takes its
//! streams from it, and the sample files take their columns from it.
//!
//! The order is fixed: each side's inputs (casualties, rate, killed, killed share, force,
//! recruits, return to duty), each phase's multipliers, each event's inputs (probability,
//! happens, start, end, multipliers), the regime chain and the regimes' multipliers, and
//! the trend, and the sources' biases. The multipliers come in the order of `Plan::factors`, and the sides' and
//! phases' inputs (the only ones a correlation may name) come first, so a table built
//! from the sides and phases alone gives them the same indices.

use super::{Event, EventEnd, EventStart, Phase, PhaseEffect, Rate, Regimes, Side, SideId};
use super::{Model, Source, Trend, TrendDist};
use crate::sample::stream::stream_id;
use crate::sample::Dist;

/// What a sample column holds, for writers that type their columns (Parquet).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    /// The path index.
    Path,
    /// A number every path has (a draw, a flag, a count of days).
    Number,
    /// A whole day after the reference date that a path may not have (NaN in the row):
    /// an event's first and last day when it did not happen, a crossing day when the
    /// threshold was not crossed. Written as a null, never as a number.
    OptionalDay,
}

/// The mechanism a rate multiplier belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mechanism {
    Phase,
    Event,
    Regime,
}

/// What an input is, and where in the model its distribution lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    /// A side's casualties on day 0.
    Casualties(SideId),
    /// A side's rate per day: drawn (directly, or as a total over days), or implied by
    /// the baseline (then not drawn: the casualties divided by the days).
    Rate(SideId),
    Killed(SideId),
    KilledShare(SideId),
    Force(SideId),
    Recruits(SideId),
    ReturnShare(SideId),
    /// A multiplier of phase, event or regime `index`: one for all its sides (`side`
    /// None) or one of a side.
    Factor {
        of: Mechanism,
        index: usize,
        side: Option<SideId>,
    },
    EventProbability(usize),
    /// The uniform that decides whether the event happens.
    EventHappens(usize),
    /// The uniform of its first day (over its window, or by its hazard).
    EventStart(usize),
    /// Its duration (or the uniform of its ending hazard).
    EventEnd(usize),
    /// The regimes' Markov chain (its steps; the first state draws from
    /// `regimes.initial`).
    RegimeChain,
    Trend,
    /// The bias of source `index` (`Model::sources`): reported = true x bias.
    SourceBias(usize),
}

/// The distribution of an input.
#[derive(Clone, Copy, Debug)]
pub enum Law<'m> {
    Dist(&'m Dist),
    /// A rate implied by the baseline: casualties / days, nothing drawn of its own.
    Implied {
        days: u32,
    },
    Trend(&'m TrendDist),
    /// Bernoulli of the event's drawn probability.
    Happens,
    Start(&'m EventStart),
    End(&'m EventEnd),
    Chain(&'m Regimes),
}

/// One uncertain input.
#[derive(Clone, Debug, PartialEq)]
pub struct Input {
    /// Its key path, as correlations and sample columns name it
    /// (`sides.russia.rate_per_day`, `phases.winter.multiplier`).
    pub key: String,
    /// Its random stream, `stream_id` of the key (of `rate_per_day.total` for a rate
    /// given as a total or implied by the baseline).
    pub stream: u64,
    pub what: What,
    /// Whether a correlation may name it: `None` if not, else whether its distribution
    /// can be drawn by inversion (pert cannot).
    pub correlatable: Option<bool>,
}

/// The drawn inputs of a model, in the order above (`Model::inputs`).
#[derive(Clone, Debug, PartialEq)]
pub struct Inputs(Vec<Input>);

impl std::ops::Deref for Inputs {
    type Target = [Input];
    fn deref(&self) -> &[Input] {
        &self.0
    }
}

impl Inputs {
    /// The table of these parts of a model.
    pub fn new(
        sides: &[Side],
        phases: &[Phase],
        events: &[Event],
        regimes: Option<&Regimes>,
        trend: Option<&Trend>,
        sources: &[Source],
    ) -> Inputs {
        let mut t = InputList(Vec::new());
        for (i, s) in sides.iter().enumerate() {
            let base = format!("sides.{}", s.name);
            let inv = |d: &Dist| Some(d.is_invertible());
            t.add(
                format!("{base}.casualties"),
                What::Casualties(i),
                inv(&s.casualties),
            );
            let key = format!("{base}.rate_per_day");
            let correlatable = match &s.rate {
                Rate::PerDay(d) | Rate::ImpliedByTotal { total: d, .. } => inv(d),
                Rate::ImpliedByBaseline { .. } => None,
            };
            // The `.total` rule: a rate given as a total (or implied by the baseline)
            // draws from the total's stream.
            let stream = match s.rate {
                Rate::PerDay(_) => stream_id(&key),
                _ => stream_id(&format!("{key}.total")),
            };
            t.0.push(Input {
                key,
                stream,
                what: What::Rate(i),
                correlatable,
            });
            if let Some(k) = &s.killed {
                t.add(format!("{base}.killed"), What::Killed(i), inv(&k.baseline));
                t.add(
                    format!("{base}.killed_share"),
                    What::KilledShare(i),
                    inv(&k.share),
                );
            }
            if let Some(f) = &s.force {
                t.add(format!("{base}.force"), What::Force(i), inv(&f.size));
                t.add(format!("{base}.recruits_per_day"), What::Recruits(i), None);
                t.add(format!("{base}.return_to_duty"), What::ReturnShare(i), None);
            }
        }
        for (k, p) in phases.iter().enumerate() {
            let base = format!("phases.{}", p.name);
            t.factors(&base, Mechanism::Phase, k, &p.effect, sides, true);
        }
        for (k, e) in events.iter().enumerate() {
            let base = format!("events.{}", e.name);
            t.add(
                format!("{base}.probability"),
                What::EventProbability(k),
                None,
            );
            t.add(format!("{base}.happens"), What::EventHappens(k), None);
            t.add(format!("{base}.start"), What::EventStart(k), None);
            t.add(format!("{base}.end"), What::EventEnd(k), None);
            t.factors(&base, Mechanism::Event, k, &e.effect, sides, false);
        }
        if let Some(r) = regimes {
            t.add("regimes.chain".into(), What::RegimeChain, None);
            for (k, (n, e)) in r.names.iter().zip(&r.effects).enumerate() {
                t.factors(
                    &format!("regimes.{n}"),
                    Mechanism::Regime,
                    k,
                    e,
                    sides,
                    false,
                );
            }
        }
        if trend.is_some() {
            t.add("trend.percent_per_month".into(), What::Trend, None);
        }
        for (k, s) in sources.iter().enumerate() {
            if s.bias.is_some() {
                t.add(
                    format!("sources.{}.bias", s.name),
                    What::SourceBias(k),
                    None,
                );
            }
        }
        Inputs(t.0)
    }

    /// The index of the input with this key.
    pub fn find(&self, key: &str) -> Option<usize> {
        self.0.iter().position(|i| i.key == key)
    }
}

/// The table while it is built.
struct InputList(Vec<Input>);

impl InputList {
    fn add(&mut self, key: String, what: What, correlatable: Option<bool>) {
        self.0.push(Input {
            stream: stream_id(&key),
            key,
            what,
            correlatable,
        });
    }

    /// The multipliers of one effect, keyed under `base`; phases' may be correlated.
    fn factors(
        &mut self,
        base: &str,
        of: Mechanism,
        index: usize,
        effect: &PhaseEffect,
        sides: &[Side],
        correlatable: bool,
    ) {
        let may = |d: &Dist| correlatable.then(|| d.is_invertible());
        match effect {
            PhaseEffect::Shared { factor, .. } => {
                let what = What::Factor {
                    of,
                    index,
                    side: None,
                };
                self.add(format!("{base}.multiplier"), what, may(factor));
            }
            PhaseEffect::PerSide(v) => {
                for (side, d) in v {
                    let what = What::Factor {
                        of,
                        index,
                        side: Some(*side),
                    };
                    let key = format!("{base}.multipliers.{}", sides[*side].name);
                    self.add(key, what, may(d));
                }
            }
        }
    }
}

impl Input {
    /// Its distribution in `model` (the model the table was built from).
    pub fn law<'m>(&self, model: &'m Model) -> Law<'m> {
        let side = |s: SideId| &model.sides[s];
        let missing = "the table lists only inputs the model has";
        match self.what {
            What::Casualties(s) => Law::Dist(&side(s).casualties),
            What::Rate(s) => match &side(s).rate {
                Rate::PerDay(d) => Law::Dist(d),
                Rate::ImpliedByTotal { total, .. } => Law::Dist(total),
                Rate::ImpliedByBaseline { days } => Law::Implied { days: *days },
            },
            What::Killed(s) => Law::Dist(&side(s).killed.as_ref().expect(missing).baseline),
            What::KilledShare(s) => Law::Dist(&side(s).killed.as_ref().expect(missing).share),
            What::Force(s) => Law::Dist(&side(s).force.as_ref().expect(missing).size),
            What::Recruits(s) => {
                Law::Dist(&side(s).force.as_ref().expect(missing).recruits_per_day)
            }
            What::ReturnShare(s) => Law::Dist(&side(s).force.as_ref().expect(missing).return_share),
            What::Factor { of, index, side } => {
                let regimes = || model.regimes.as_ref().expect(missing);
                let effect = match of {
                    Mechanism::Phase => &model.phases[index].effect,
                    Mechanism::Event => &model.events[index].effect,
                    Mechanism::Regime => &regimes().effects[index],
                };
                match (effect, side) {
                    (PhaseEffect::Shared { factor, .. }, None) => Law::Dist(factor),
                    (PhaseEffect::PerSide(v), Some(s)) => {
                        Law::Dist(&v.iter().find(|(k, _)| *k == s).expect(missing).1)
                    }
                    _ => panic!("{missing}"),
                }
            }
            What::EventProbability(e) => Law::Dist(&model.events[e].probability),
            What::EventHappens(_) => Law::Happens,
            What::EventStart(e) => Law::Start(&model.events[e].start),
            What::EventEnd(e) => Law::End(&model.events[e].end),
            What::RegimeChain => Law::Chain(model.regimes.as_ref().expect(missing)),
            What::Trend => Law::Trend(&model.trend.as_ref().expect(missing).percent_per_month),
            What::SourceBias(k) => Law::Dist(model.sources[k].bias.as_ref().expect(missing)),
        }
    }

    /// Whether the path draws this input by inversion of one uniform of its own stream (a
    /// scrambled Sobol coordinate in a run with randomized quasi-Monte Carlo inputs):
    /// sides' inputs, multipliers, sources' biases and the trend, unless fixed or PERT
    /// (drawn by a Beta sampler). Events (their probability, occurrence and dates) and
    /// the regime chain keep their streams.
    pub fn is_inverted(&self, model: &Model) -> bool {
        match self.what {
            What::EventProbability(_)
            | What::EventHappens(_)
            | What::EventStart(_)
            | What::EventEnd(_)
            | What::RegimeChain => false,
            What::Trend => matches!(
                self.law(model),
                Law::Trend(TrendDist::Normal { .. } | TrendDist::Uniform { .. })
            ),
            _ => self
                .dist(model)
                .is_some_and(|d| d.is_invertible() && !matches!(d, Dist::Fixed(_))),
        }
    }

    /// Whether a run with randomized quasi-Monte Carlo inputs gives this input a Sobol
    /// dimension: every input drawn by inversion (`is_inverted`), and each event's
    /// uniforms (its probability, whether it happens, its start and its end), which
    /// stratifies the events' occurrence and timing. The regime chain and the day-to-day
    /// noise, many numbers a path, keep their streams.
    pub fn takes_sobol(&self, model: &Model) -> bool {
        match self.law(model) {
            Law::Happens | Law::Start(_) => true,
            Law::End(end) => !matches!(end, EventEnd::Never),
            Law::Dist(d) if matches!(self.what, What::EventProbability(_)) => {
                d.is_invertible() && !matches!(d, Dist::Fixed(_))
            }
            _ => self.is_inverted(model),
        }
    }

    /// The distribution, when it is a `Dist`.
    pub fn dist<'m>(&self, model: &'m Model) -> Option<&'m Dist> {
        match self.law(model) {
            Law::Dist(d) => Some(d),
            _ => None,
        }
    }

    /// The sample columns this input fills, in row order: its name (the key, or what the
    /// path made of the draw) and what it holds. Event and regime multipliers fill none.
    pub fn columns(&self, model: &Model) -> Vec<(String, ColumnKind)> {
        use ColumnKind::{Number, OptionalDay};
        let base = || self.key.rsplit_once('.').map_or("", |(b, _)| b);
        match self.what {
            What::Factor {
                of: Mechanism::Event | Mechanism::Regime,
                ..
            } => Vec::new(),
            What::EventHappens(_) => vec![(format!("{}.happened", base()), Number)],
            What::EventStart(_) => vec![(format!("{}.first_day", base()), OptionalDay)],
            What::EventEnd(_) => vec![(format!("{}.last_day", base()), OptionalDay)],
            What::RegimeChain => model
                .regimes
                .iter()
                .flat_map(|r| &r.names)
                .map(|n| (format!("regimes.{n}.days"), Number))
                .collect(),
            _ => vec![(self.key.clone(), Number)],
        }
    }
}

impl Model {
    /// The drawn inputs of this model (see `Inputs`); `correlations` index them.
    pub fn inputs(&self) -> Inputs {
        Inputs::new(
            &self.sides,
            &self.phases,
            &self.events,
            self.regimes.as_ref(),
            self.trend.as_ref(),
            &self.sources,
        )
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Every kind of input: a rate given as a total, killed, forces, shared and per-side
    /// multipliers of phases, events and regimes, and a trend.
    pub(in crate::model) const RICH: &str = include_str!("inputs_rich.toml");

    /// The scenario of `inputs_rich.toml` (also `held.rs`'s tests').
    pub(in crate::model) fn rich() -> Model {
        crate::scenario::load_str("rich.toml", RICH).expect("the test scenario is valid")
    }

    #[test]
    fn the_table_lists_every_drawn_input_in_order_with_its_stream() {
        let m = rich();
        let t = m.inputs();
        let keys: Vec<&str> = t.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "sides.a.casualties",
                "sides.a.rate_per_day",
                "sides.a.killed",
                "sides.a.killed_share",
                "sides.a.force",
                "sides.a.recruits_per_day",
                "sides.a.return_to_duty",
                "sides.b.casualties",
                "sides.b.rate_per_day",
                "sides.b.force",
                "sides.b.recruits_per_day",
                "sides.b.return_to_duty",
                "phases.p.multipliers.a",
                "phases.p.multipliers.b",
                "phases.q.multiplier",
                "events.e.probability",
                "events.e.happens",
                "events.e.start",
                "events.e.end",
                "events.e.multipliers.b",
                "regimes.chain",
                "regimes.grind.multiplier",
                "regimes.hot.multipliers.a",
                "regimes.hot.multipliers.b",
                "trend.percent_per_month",
            ]
        );
        for i in t.iter() {
            // The `.total` rule: a rate given as a total draws from the total's stream.
            let stream_key = match i.key.as_str() {
                "sides.a.rate_per_day" => "sides.a.rate_per_day.total",
                k => k,
            };
            assert_eq!(i.stream, stream_id(stream_key), "{}", i.key);
        }
        // Only the sides' and phases' inputs may be correlated (pert cannot).
        let named: Vec<(&str, bool)> = t
            .iter()
            .filter_map(|i| Some((i.key.as_str(), i.correlatable?)))
            .collect();
        assert_eq!(named.len(), 11);
        assert!(named.contains(&("sides.b.casualties", false)));
        assert!(named.contains(&("sides.a.rate_per_day", true)));
        // The loader's table of sides and phases alone is the start of the model's.
        let known = Inputs::new(&m.sides, &m.phases, &[], None, None, &[]);
        assert_eq!(known[..], t[..known.len()]);
    }

    #[test]
    fn correlations_name_inputs_by_index() {
        let m = rich();
        let t = m.inputs();
        let keys: Vec<Vec<&str>> = m
            .correlations
            .iter()
            .map(|c| c.inputs.iter().map(|&k| t[k].key.as_str()).collect())
            .collect();
        assert_eq!(
            keys,
            [
                vec!["sides.a.rate_per_day", "phases.p.multipliers.b"],
                vec!["sides.a.force", "phases.q.multiplier"],
            ]
        );
    }

    #[test]
    fn every_input_finds_its_distribution() {
        let m = rich();
        for i in m.inputs().iter() {
            let law = i.law(&m);
            let drawn = matches!(law, Law::Dist(_));
            assert_eq!(drawn, i.dist(&m).is_some());
            assert_eq!(
                m.inputs().find(&i.key).map(|k| m.inputs()[k].what),
                Some(i.what)
            );
        }
        assert!(matches!(
            m.inputs()
                .iter()
                .find(|i| i.what == What::Trend)
                .unwrap()
                .law(&m),
            Law::Trend(TrendDist::Normal { .. })
        ));
    }
}
