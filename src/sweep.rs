//! A sweep's result as plain data: one row per point of the grid, with its parameters and
//! the headline figures of every threshold (crossing-date quantiles, P(crossed by) each
//! report date, P(not crossed)). Built from each point's tally through `Projection`, the
//! one place counts become quantiles and probabilities; `report::sweep` renders it.

use crate::date::Date;
use crate::engine::{RunConfig, Tally};
use crate::model::Model;
use crate::projection::{CrossingQuantile, Probability, Projection};
use crate::sample::stream::PRNG_NAME;
use crate::scenario::grid::Grid;
use serde::Serialize;

/// The levels of the band the figures draw: the median and the 90% interval.
pub const BAND_LEVELS: [f64; 3] = [0.05, 0.5, 0.95];

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sweep {
    pub scenario: SweepScenario,
    pub run: SweepRun,
    /// The swept keys, in grid order (the last varies fastest from point to point).
    pub parameters: Vec<Parameter>,
    /// The thresholds every point reports, by name, in the file's order.
    pub thresholds: Vec<String>,
    /// The crossing-date quantile levels of `crossing`.
    pub levels: Vec<f64>,
    /// The dates of `p_crossed_by`, the same for every point.
    pub report_dates: Vec<Date>,
    pub points: Vec<Point>,
}

/// The file swept, as the base of every point.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SweepScenario {
    pub name: String,
    pub title: String,
    pub file: Option<String>,
    /// The `--set KEY=VALUE` what-ifs every point has, as typed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub set: Vec<String>,
}

/// How every point ran: the same paths and seed (common random numbers).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SweepRun {
    pub points: usize,
    pub paths: u64,
    pub seed: u64,
    pub prng: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Parameter {
    /// The key path, as `--set` takes it.
    pub key: String,
    /// Whether every value is a number: then `values` and each point's are numbers.
    pub numeric: bool,
    pub values: Vec<Value>,
}

/// A parameter's value: a number, or the TOML value as written.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Number(f64),
    Text(String),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Number(x) => write!(f, "{x}"),
            Value::Text(s) => f.write_str(s),
        }
    }
}

/// One point: its parameters and what it found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Point {
    /// From 0, in grid order.
    pub point: usize,
    /// One per parameter.
    pub values: Vec<Value>,
    pub reference_date: Date,
    pub horizon_date: Date,
    /// Points with observations only: Kish's effective sample size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_paths: Option<f64>,
    /// One per threshold, in `Sweep::thresholds` order.
    pub thresholds: Vec<PointThreshold>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PointThreshold {
    pub name: String,
    /// At `Sweep::levels`, with 95% intervals; `day` and `date` (or an interval's end)
    /// null where not crossed by the horizon.
    pub crossing: Vec<CrossingQuantile>,
    /// At `BAND_LEVELS`, whatever `levels` are: what the figures draw.
    pub band: Vec<CrossingQuantile>,
    /// At `Sweep::report_dates`.
    pub p_crossed_by: Vec<Probability>,
    pub p_not_crossed: f64,
    pub p_not_crossed_se: f64,
}

impl Parameter {
    /// The parameters of `grid`.
    pub fn of(grid: &Grid) -> Vec<Parameter> {
        grid.axes
            .iter()
            .map(|a| {
                let values = match a.numbers() {
                    Some(xs) => xs.into_iter().map(Value::Number).collect(),
                    None => a.values.iter().cloned().map(Value::Text).collect(),
                };
                Parameter {
                    key: a.key.clone(),
                    numeric: a.numeric(),
                    values,
                }
            })
            .collect()
    }
}

/// Whether the points of a sweep can share one table: the same thresholds (by name, in
/// order) and report dates. Says which point differs, and how, if not.
pub fn check_points(grid: &Grid, models: &[Model]) -> Result<(), String> {
    let Some(first) = models.first() else {
        return Ok(());
    };
    let names = |m: &Model| {
        m.thresholds
            .iter()
            .map(|t| t.name.clone())
            .collect::<Vec<_>>()
    };
    let dates = |m: &Model| {
        m.report_days
            .iter()
            .map(|&d| m.date_of(d))
            .collect::<Vec<_>>()
    };
    for (p, m) in models.iter().enumerate().skip(1) {
        if names(m) != names(first) {
            return Err(format!(
                "point {p} ({}) has other thresholds than point 0 ({}); a sweep's table has a row per point and threshold, so every point must have the same thresholds (by name)",
                grid.describe(p),
                grid.describe(0)
            ));
        }
        if dates(m) != dates(first) {
            return Err(format!(
                "point {p} ({}) reports on other dates than point 0 ({}); a sweep's table has a column per report date, so every point must report on the same dates",
                grid.describe(p),
                grid.describe(0)
            ));
        }
    }
    Ok(())
}

impl Point {
    /// Point `p` of `grid` (whose `parameters` are `Parameter::of(grid)`), run as
    /// `model` with `config` into `tally`, its crossing quantiles at `levels`.
    pub fn new(
        p: usize,
        grid: &Grid,
        parameters: &[Parameter],
        model: &Model,
        config: &RunConfig,
        tally: &Tally,
        levels: &[f64],
    ) -> Point {
        let projection = Projection::at_levels(model, config, tally, None, levels, &[]);
        // The figures' band, with its intervals as a projection gives them.
        let band = Projection::at_levels(model, config, tally, None, &BAND_LEVELS, &[]);
        let values = grid
            .at(p)
            .iter()
            .zip(parameters)
            .map(|(&v, param)| param.values[v].clone())
            .collect();
        let thresholds = projection
            .thresholds
            .into_iter()
            .zip(band.thresholds)
            .map(|(t, b)| PointThreshold {
                band: b.crossing,
                name: t.name,
                crossing: t.crossing,
                p_crossed_by: t.p_crossed_by,
                p_not_crossed: t.p_not_crossed,
                p_not_crossed_se: t.p_not_crossed_se,
            })
            .collect();
        Point {
            point: p,
            values,
            reference_date: model.reference_date,
            horizon_date: model.horizon_date(),
            effective_paths: projection.run.weights.map(|w| w.effective_paths),
            thresholds,
        }
    }
}

impl Sweep {
    /// The sweep of `grid` over the file `file` (its `base` model, with the `--set`
    /// what-ifs `set`; `model` is point 0's, whose thresholds and report dates every
    /// point has: `check_points`), every point with `config`'s paths and seed, from
    /// `points` in order.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        base: &Model,
        model: &Model,
        file: Option<&str>,
        set: Vec<String>,
        grid: &Grid,
        config: &RunConfig,
        levels: &[f64],
        points: Vec<Point>,
    ) -> Sweep {
        Sweep {
            scenario: SweepScenario {
                name: base.name.clone(),
                title: base.title.clone(),
                file: file.map(str::to_string),
                set,
            },
            run: SweepRun {
                points: points.len(),
                paths: config.paths,
                seed: config.seed,
                prng: PRNG_NAME.to_string(),
            },
            parameters: Parameter::of(grid),
            thresholds: model.thresholds.iter().map(|t| t.name.clone()).collect(),
            levels: levels.to_vec(),
            report_dates: model
                .report_days
                .iter()
                .map(|&d| model.date_of(d))
                .collect(),
            points,
        }
    }
}
