//! A tornado: for each input that varies, the crossing-date quantiles and P(crossed by)
//! each report date with that input held at its own 5th percentile, and at its 95th,
//! every other input drawn as in the unheld run (the same seed, so the same draws: only
//! the held input differs). Each end is the run `--set KEY=VALUE` gives (`Input::hold`);
//! the bars are sorted by their swing in the crossing day.

use crate::date::Date;
use crate::engine::{self, EngineError, Progress, RunConfig};
use crate::model::{HeldValue, Model};
use crate::projection::{CrossingQuantile, Probability, Projection};
use serde::Serialize;

/// The percentiles an input is held at.
pub const LOW: f64 = 0.05;
pub const HIGH: f64 = 0.95;

/// One threshold's tornado.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tornado {
    pub threshold: String,
    /// The crossing-date quantiles reported at each end.
    pub levels: Vec<f64>,
    /// The level whose crossing day the bars are sorted by (the median, or the level
    /// nearest it).
    pub sorted_by: f64,
    /// Nothing held: the unheld run (the scenario as written).
    pub baseline: End,
    /// Widest swing first.
    pub bars: Vec<Bar>,
    /// Uncertain parts without percentiles to hold (a regime chain, the noise).
    pub not_held: Vec<String>,
}

/// What a run says of the threshold.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct End {
    pub crossing: Vec<CrossingQuantile>,
    pub p_crossed_by: Vec<Probability>,
    pub p_not_crossed: f64,
}

/// One input held low and high.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bar {
    pub input: String,
    pub low: HeldEnd,
    pub high: HeldEnd,
    /// |high - low| of the `sorted_by` crossing day, a path that does not cross
    /// counting as the day after the horizon.
    pub swing_days: u32,
}

/// A run with one input held.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HeldEnd {
    /// The percentile it is held at.
    pub p: f64,
    /// What `value` is.
    pub kind: HeldKind,
    /// The held value: a number, an event's first day (days after the reference date),
    /// or 1 and 0 for an event that always or never happens.
    pub value: f64,
    /// The date of a held first day, when it is within the horizon.
    pub date: Option<Date>,
    /// The `--set` argument that gives this run from the file (null where the file
    /// cannot say it).
    pub set: Option<String>,
    #[serde(flatten)]
    pub result: End,
}

/// What a held value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HeldKind {
    Number,
    FirstDay,
    Happens,
}

/// The runs of a tornado: the scenario as written, and each input it can hold at its low
/// and its high percentile, as models (`models` lists them in run order); and what it
/// cannot hold.
pub struct Plan {
    baseline: Model,
    /// Per held input: its key, and (its low end, its model), (its high end, its model).
    held: Vec<(String, [(HeldEnd, Model); 2])>,
    not_held: Vec<String>,
}

impl Plan {
    /// The tornado's runs of `model` (none without thresholds to ask about).
    pub fn new(model: &Model) -> Plan {
        let mut plan = Plan {
            baseline: model.clone(),
            held: Vec::new(),
            not_held: Vec::new(),
        };
        if model.thresholds.is_empty() {
            return plan;
        }
        for input in model.inputs().iter().filter(|i| i.varies(model)) {
            match (input.hold(model, LOW), input.hold(model, HIGH)) {
                (Some(lo), Some(hi)) => {
                    let ends = [(LOW, lo), (HIGH, hi)].map(|(p, h)| {
                        let end = HeldEnd {
                            p,
                            kind: HeldKind::Number,
                            value: 0.0,
                            date: None,
                            set: h.set,
                            result: End::default(),
                        };
                        (described(model, &h.value, end), h.model)
                    });
                    plan.held.push((input.key.clone(), ends));
                }
                _ => plan.not_held.push(input.key.clone()),
            }
        }
        if model.noise != crate::model::Noise::None {
            plan.not_held.push("noise".to_string());
        }
        plan
    }

    /// The models to run, in order: the unheld one, then each held input low and high
    /// (empty when the scenario has no thresholds).
    pub fn models(&self) -> Vec<&Model> {
        if self.baseline.thresholds.is_empty() {
            return Vec::new();
        }
        let mut out = vec![&self.baseline];
        for (_, ends) in &self.held {
            out.extend(ends.iter().map(|(_, m)| m));
        }
        out
    }

    /// The tornado of each threshold of `thresholds` (indices), reporting the
    /// crossing-date quantiles `levels` (ascending, in (0, 1)), from the projections of
    /// `models()`, in their order.
    pub fn assemble(
        &self,
        thresholds: &[usize],
        levels: &[f64],
        runs: &[Projection],
    ) -> Vec<Tornado> {
        let model = &self.baseline;
        if thresholds.is_empty() || runs.is_empty() {
            return Vec::new();
        }
        let sorted_by = levels
            .iter()
            .copied()
            .min_by(|a, b| (a - 0.5).abs().total_cmp(&(b - 0.5).abs()))
            .unwrap_or(0.5);
        let level_index = levels.iter().position(|&l| l == sorted_by);
        let after = model.horizon_days + 1;
        thresholds
            .iter()
            .map(|&t| {
                let end = |p: &Projection| {
                    let r = &p.thresholds[t];
                    End {
                        crossing: r.crossing.clone(),
                        p_crossed_by: r.p_crossed_by.clone(),
                        p_not_crossed: r.p_not_crossed,
                    }
                };
                let day = |e: &End| level_index.and_then(|i| e.crossing[i].day).unwrap_or(after);
                let mut bars: Vec<Bar> = self
                    .held
                    .iter()
                    .enumerate()
                    .map(|(i, (input, ends))| {
                        let [low, high] = [0, 1].map(|k| HeldEnd {
                            result: end(&runs[1 + 2 * i + k]),
                            ..ends[k].0.clone()
                        });
                        Bar {
                            input: input.clone(),
                            swing_days: day(&low.result).abs_diff(day(&high.result)),
                            low,
                            high,
                        }
                    })
                    .collect();
                // Stable: equal swings keep the order of the inputs.
                bars.sort_by_key(|b| std::cmp::Reverse(b.swing_days));
                Tornado {
                    threshold: model.thresholds[t].name.clone(),
                    levels: levels.to_vec(),
                    sorted_by,
                    baseline: end(&runs[0]),
                    bars,
                    not_held: self.not_held.clone(),
                }
            })
            .collect()
    }
}

/// The projection a tornado reads of one of its runs (`Plan::models`): the crossing-date
/// quantiles `levels`, from `tally`.
pub fn project(
    model: &Model,
    config: &RunConfig,
    tally: &engine::Tally,
    levels: &[f64],
) -> Projection {
    Projection::at_levels(model, config, tally, None, levels, &[0.5])
}

/// The runs a tornado of `model` takes: its unheld run and two per input it can hold
/// (none without thresholds to ask about).
pub fn runs(model: &Model) -> u64 {
    Plan::new(model).models().len() as u64
}

/// The tornado of each threshold of `thresholds` (indices), reporting the crossing-date
/// quantiles `levels` (ascending, in (0, 1)): `runs(model)` runs of `config`.
pub fn tornado(
    model: &Model,
    config: &RunConfig,
    thresholds: &[usize],
    levels: &[f64],
    progress: &dyn Progress,
) -> Result<Vec<Tornado>, EngineError> {
    if thresholds.is_empty() {
        return Ok(Vec::new());
    }
    let plan = Plan::new(model);
    let mut runs = Vec::new();
    for m in plan.models() {
        let tally = engine::run(m, config, progress)?;
        runs.push(project(m, config, &tally, levels));
    }
    Ok(plan.assemble(thresholds, levels, &runs))
}

/// `end` with the held value `v`.
fn described(model: &Model, v: &HeldValue, end: HeldEnd) -> HeldEnd {
    match *v {
        HeldValue::Number(value) => HeldEnd { value, ..end },
        HeldValue::Day(d) => HeldEnd {
            kind: HeldKind::FirstDay,
            value: f64::from(d),
            date: (d <= model.horizon_days).then(|| model.date_of(d)),
            ..end
        },
        HeldValue::Happens(h) => HeldEnd {
            kind: HeldKind::Happens,
            value: f64::from(u8::from(h)),
            ..end
        },
    }
}
