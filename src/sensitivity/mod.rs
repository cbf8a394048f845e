//! Which input moves the result: the first-order and total Sobol indices of every output
//! (crossing days, P(crossed by) each report date, each side's casualties on each report
//! date) for every group of inputs, with bootstrap intervals, and a tornado
//! (`tornado.rs`): the typed result `attrition sensitivity` renders.
//!
//! `Design::new` checks what can be analysed, `indices` runs the pick-freeze design
//! (`engine::sensitivity`), `tornado::tornado` the held runs, and `Sensitivity::new`
//! turns their counts into the result. Renderers format it; they never compute.

pub mod tornado;

pub use tornado::{tornado, Tornado};

use crate::date::Date;
use crate::engine::sensitivity::{self as pick, Group, GroupError, Grouping, Output, SobolTally};
use crate::engine::{EngineError, Progress, RunConfig};
use crate::model::Model;
use crate::projection::{NoiseInfo, ScenarioInfo};
use crate::sample::stream::PRNG_NAME;
use serde::Serialize;

/// The level of the bootstrap intervals.
pub const LEVEL: f64 = 0.95;

/// What an analysis measures: the groups, the thresholds and the outputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Design {
    pub grouping: Grouping,
    pub groups: Vec<Group>,
    /// Indices into `Model::thresholds`.
    pub thresholds: Vec<usize>,
    pub outputs: Vec<Output>,
}

/// Why a model cannot be analysed as asked.
#[derive(Clone, Debug, PartialEq)]
pub enum DesignError {
    Groups(GroupError),
    /// The model has observations (`EngineError::Weighted` says why that is refused).
    Weighted,
    /// The outputs times the groups need more sums than a worker keeps.
    TooLarge {
        outputs: usize,
        groups: usize,
    },
}

impl Design {
    /// The design of `model` with `grouping`, over one threshold (`Some`, an index) or
    /// all of them.
    pub fn new(
        model: &Model,
        grouping: Grouping,
        threshold: Option<usize>,
    ) -> Result<Design, DesignError> {
        if !model.observations.is_empty() {
            return Err(DesignError::Weighted);
        }
        let groups = pick::groups(model, grouping).map_err(DesignError::Groups)?;
        let thresholds: Vec<usize> = match threshold {
            Some(t) => vec![t],
            None => (0..model.thresholds.len()).collect(),
        };
        let outputs = pick::outputs(model, &thresholds);
        if pick::sums_needed(outputs.len(), groups.len()) > pick::MAX_SUMS {
            return Err(DesignError::TooLarge {
                outputs: outputs.len(),
                groups: groups.len(),
            });
        }
        Ok(Design {
            grouping,
            groups,
            thresholds,
            outputs,
        })
    }

    /// Paths the pick-freeze design simulates per base path: A, B and one per group.
    pub fn paths_per_base_path(&self) -> u64 {
        self.groups.len() as u64 + 2
    }
}

/// Runs the pick-freeze design on `config.paths` base paths.
pub fn indices(
    model: &Model,
    design: &Design,
    config: &RunConfig,
    progress: &dyn Progress,
) -> Result<SobolTally, EngineError> {
    pick::run(model, config, &design.groups, &design.outputs, progress)
}

/// The result of `attrition sensitivity`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sensitivity {
    pub scenario: ScenarioInfo,
    pub run: RunInfo,
    pub groups: Vec<GroupInfo>,
    pub outputs: Vec<OutputIndices>,
    pub tornado: Vec<Tornado>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunInfo {
    /// N: the base paths of the pick-freeze design.
    pub base_paths: u64,
    /// N (k + 2): the paths the design simulated for its k groups.
    pub paths_simulated: u64,
    /// The seed of design A (the unheld run's) and of design B (`seed_b` of it).
    pub seed: u64,
    pub seed_b: u64,
    pub prng: String,
    pub grouping: Grouping,
    pub estimators: String,
    pub bootstrap: BootstrapInfo,
    /// The day a path that does not cross counts as in the crossing-day outputs.
    pub not_crossed_day: u32,
    pub noise: NoiseInfo,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BootstrapInfo {
    pub replicates: usize,
    pub block_paths: u64,
    pub seed: u64,
    pub level: f64,
    pub method: String,
}

/// A group of inputs, as the result lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupInfo {
    pub name: String,
    pub inputs: Vec<String>,
    /// Why these inputs are one group, when the grouping did not make it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutputKind {
    CrossingDay,
    CrossedBy,
    Stock,
}

/// The indices of one output.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OutputIndices {
    /// In words: `crossing day: NAME`, `P(crossed by DATE): NAME`, `casualties on
    /// DATE: SIDE`.
    pub output: String,
    pub kind: OutputKind,
    pub threshold: Option<String>,
    pub side: Option<String>,
    pub date: Option<Date>,
    /// Mean and standard deviation over the paths of A and B.
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    /// The sum of the first-order indices: 1 when the output is a sum of one function
    /// of each group, less by the share of interactions.
    pub sum_first: Option<f64>,
    /// Why there are no indices, when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Per group, in the order of `groups`; empty when there are none.
    pub indices: Vec<Index>,
}

/// One group's indices for one output, with their bootstrap intervals (null when the
/// replicates could not give them).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Index {
    pub group: String,
    pub first: f64,
    pub first_lo: Option<f64>,
    pub first_hi: Option<f64>,
    pub total: f64,
    pub total_lo: Option<f64>,
    pub total_hi: Option<f64>,
}

/// Why the inputs of a correlation are one group.
pub const TIED_NOTE: &str = "tied by a correlation (Gaussian copula): Sobol indices share out the variance among independent inputs, so inputs drawn together are measured together";

impl Sensitivity {
    /// The result of a pick-freeze run `tally` and tornado runs `tornado` of `model`
    /// under `design` and `config` (the base paths), read from `file`.
    pub fn new(
        model: &Model,
        config: &RunConfig,
        design: &Design,
        tally: &SobolTally,
        tornado: Vec<Tornado>,
        file: Option<&str>,
    ) -> Sensitivity {
        let groups = design
            .groups
            .iter()
            .map(|g| GroupInfo {
                name: g.name.clone(),
                inputs: g.inputs.clone(),
                note: if g.tied {
                    Some(TIED_NOTE.to_string())
                } else if g.name == pick::NOISE {
                    Some("the day-to-day noise of every side, one group".to_string())
                } else {
                    None
                },
            })
            .collect();
        let outputs = design
            .outputs
            .iter()
            .enumerate()
            .map(|(o, &output)| output_indices(model, design, tally, o, output))
            .collect();
        Sensitivity {
            scenario: ScenarioInfo::of(model, file),
            run: RunInfo {
                base_paths: tally.paths(),
                paths_simulated: tally.paths() * design.paths_per_base_path(),
                seed: config.seed,
                seed_b: pick::seed_b(config.seed),
                prng: PRNG_NAME.to_string(),
                grouping: design.grouping,
                estimators: "pick-freeze: first order Saltelli et al. (2010), total Jansen (1999), over the variance of designs A and B together".to_string(),
                bootstrap: BootstrapInfo {
                    replicates: tally.bootstrap.replicates.len(),
                    block_paths: pick::BLOCK_PATHS,
                    seed: tally.bootstrap.seed,
                    level: LEVEL,
                    method: "Poisson(1) weight per block of base paths, percentile intervals".to_string(),
                },
                not_crossed_day: model.horizon_days + 1,
                noise: NoiseInfo::new(model.noise, model.shock_correlation),
            },
            groups,
            outputs,
            tornado,
        }
    }
}

fn output_indices(
    model: &Model,
    design: &Design,
    tally: &SobolTally,
    o: usize,
    output: Output,
) -> OutputIndices {
    let date = |r: usize| model.date_of(model.report_days[r]);
    let threshold = |t: usize| model.thresholds[t].name.clone();
    let (label, kind, threshold, side, date) = match output {
        Output::CrossingDay { threshold: t } => (
            format!("crossing day: {}", threshold(t)),
            OutputKind::CrossingDay,
            Some(threshold(t)),
            None,
            None,
        ),
        Output::CrossedBy {
            threshold: t,
            report,
        } => (
            format!("P(crossed by {}): {}", date(report), threshold(t)),
            OutputKind::CrossedBy,
            Some(threshold(t)),
            None,
            Some(date(report)),
        ),
        Output::Stock { side, report } => (
            format!("casualties on {}: {}", date(report), model.sides[side].name),
            OutputKind::Stock,
            None,
            Some(model.sides[side].name.clone()),
            Some(date(report)),
        ),
    };
    let mut out = OutputIndices {
        output: label,
        kind,
        threshold,
        side,
        date,
        mean: None,
        sd: None,
        sum_first: None,
        note: None,
        indices: Vec::new(),
    };
    if tally.out_of_range[o] {
        out.note = Some("a stock passed 2^40 people (or overflowed) on some path: not counted exactly, no indices".to_string());
        return out;
    }
    let Some(e) = tally.sums.estimate(o) else {
        out.note = Some("the same on every path: no variance to share out".to_string());
        return out;
    };
    let ci = tally.bootstrap.intervals(o, LEVEL);
    out.mean = Some(e.mean);
    out.sd = Some(e.variance.sqrt());
    out.sum_first = Some(e.first.iter().sum());
    out.indices = design
        .groups
        .iter()
        .enumerate()
        .map(|(g, group)| {
            let first = ci.as_ref().map(|c| c.first[g]);
            let total = ci.as_ref().map(|c| c.total[g]);
            Index {
                group: group.name.clone(),
                first: e.first[g],
                first_lo: first.map(|c| c.0),
                first_hi: first.map(|c| c.1),
                total: e.total[g],
                total_lo: total.map(|c| c.0),
                total_hi: total.map(|c| c.1),
            }
        })
        .collect();
    out
}
