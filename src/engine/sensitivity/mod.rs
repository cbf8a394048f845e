//! The pick-freeze run of a sensitivity analysis: each base path simulated with every
//! stream from design A, with every stream from design B, and once per group with A's
//! streams but the group's from B (`Keys::rekey`), `N (k + 2)` paths for `k` groups.
//! Each path's outputs (`Output`) are whole numbers, and their sums (`stats::sobol`)
//! are exact integers, so the result is the same bytes on any number of threads.
//!
//! Design A keys its streams from the run's seed, so on each base path A draws what
//! `run --plain` draws. Design B keys every stream from `seed_b(seed)`. The
//! bootstrap counts blocks of `BLOCK_PATHS` consecutive base paths, which lie inside one
//! engine batch and so are run by one worker in path order.

mod groups;

pub use groups::{groups, Group, GroupError, Grouping, NOISE, SHARED};

use super::path::PathState;
use super::plan::Plan;
use super::{checked, for_each_path_in, in_pool, EngineError, Progress, RunConfig};
use crate::model::{Metric, Model, MAX_PATHS};
use crate::sample::stream::{mix64, stream_id, Keys};
use crate::stats::sobol::{Bootstrap, Sums};
use serde::{Deserialize, Serialize};

/// What is measured on each path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Output {
    /// The crossing day of threshold `threshold` (index in `Model::thresholds`); a path
    /// that does not cross counts as the day after the horizon.
    CrossingDay { threshold: usize },
    /// 1 if the threshold is crossed by report day `report` (index), else 0.
    CrossedBy { threshold: usize, report: usize },
    /// A side's casualties on report day `report`, in whole people.
    Stock { side: usize, report: usize },
}

/// The outputs of `model`: for each threshold of `thresholds`, its crossing day and
/// whether it is crossed by each report date; then each side's casualties on each
/// report date.
pub fn outputs(model: &Model, thresholds: &[usize]) -> Vec<Output> {
    let reports = model.report_days.len();
    let mut out = Vec::new();
    for &threshold in thresholds {
        out.push(Output::CrossingDay { threshold });
        out.extend((0..reports).map(|report| Output::CrossedBy { threshold, report }));
    }
    for side in 0..model.sides.len() {
        out.extend((0..reports).map(|report| Output::Stock { side, report }));
    }
    out
}

/// Base paths per bootstrap block: 32 divides a batch (`BATCH_PATHS`), and leaves 60
/// blocks for 2,000 base paths, enough for the percentile intervals to mean something.
pub const BLOCK_PATHS: u64 = 32;
/// Bootstrap replicates: SALib draws 100 by default; 200 put the 2.5% and 97.5%
/// percentiles between the 5th and 6th order statistics of each tail, and keep the
/// bootstrap under a tenth of the design's cost (docs/performance.md).
pub const REPLICATES: usize = 200;
/// The most integer sums per replicate (outputs times `4 + 3 k`): the replicates take
/// 16 bytes times this times `REPLICATES` per worker (at most 32 MB).
pub const MAX_SUMS: usize = 10_000;
/// The largest stock counted exactly: 2^40 people (a trillion). A stock past it makes
/// its output unavailable rather than risk the sums.
const MAX_STOCK: f64 = (1u64 << 40) as f64;

/// The seed design B is keyed from.
pub fn seed_b(seed: u64) -> u64 {
    mix64(seed ^ stream_id("sensitivity.b"))
}

/// The seed of the bootstrap's weights.
pub fn bootstrap_seed(seed: u64) -> u64 {
    mix64(seed ^ stream_id("sensitivity.bootstrap"))
}

/// The integer sums one replicate keeps for these outputs and groups.
pub fn sums_needed(outputs: usize, groups: usize) -> usize {
    outputs * (4 + 3 * groups)
}

/// Everything a pick-freeze run counted. Integer sums all: a part run elsewhere (other
/// batches) merges exactly, in any order (`merge`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SobolTally {
    pub seed: u64,
    pub outputs: Vec<Output>,
    pub groups: Vec<Group>,
    pub sums: Sums,
    pub bootstrap: Bootstrap,
    /// Per output: whether a path's value was past what is counted exactly (a stock
    /// above 2^40 people, or not a number); its indices are then not reported.
    pub out_of_range: Vec<bool>,
}

impl SobolTally {
    fn new(seed: u64, outputs: &[Output], groups: &[Group]) -> SobolTally {
        let (o, g) = (outputs.len(), groups.len());
        SobolTally {
            seed,
            outputs: outputs.to_vec(),
            groups: groups.to_vec(),
            sums: Sums::new(o, g),
            bootstrap: Bootstrap::new(bootstrap_seed(seed), REPLICATES, o, g),
            out_of_range: vec![false; o],
        }
    }

    /// Both parts' paths (of the same design, other base paths).
    pub fn merge(mut self, other: &SobolTally) -> SobolTally {
        assert!(
            self.seed == other.seed && self.outputs == other.outputs && self.groups == other.groups,
            "merging sensitivity tallies of different designs"
        );
        self.sums.merge(&other.sums);
        self.bootstrap.merge(&other.bootstrap);
        for (a, b) in self.out_of_range.iter_mut().zip(&other.out_of_range) {
            *a |= b;
        }
        self
    }

    /// Base paths counted.
    pub fn paths(&self) -> u64 {
        self.sums.paths
    }
}

/// One worker: its path state, the outputs of the current base path under every
/// design, the sums of the current block, and its tally.
struct Worker {
    state: PathState,
    values: Vec<i64>,
    block: Sums,
    tally: SobolTally,
}

/// Runs the pick-freeze design of `groups` and `outputs` on `config.paths` base paths.
/// Runs with observations are refused (`EngineError::Weighted`): the estimators assume
/// paths drawn from the inputs' own distributions, each counting once.
pub fn run(
    model: &Model,
    config: &RunConfig,
    groups: &[Group],
    outputs: &[Output],
    progress: &dyn Progress,
) -> Result<SobolTally, EngineError> {
    run_range(model, config, groups, outputs, 0..config.paths, progress)
}

/// Runs the base paths `paths` of a pick-freeze design of `config.paths` base paths (a
/// shard of it): merged with the tallies of the other ranges, the tally of `run`, to the
/// byte. A bootstrap block split between ranges adds each range's share at the block's
/// own weight (the weights multiply sums, so the shares add up to the whole block's).
pub fn run_range(
    model: &Model,
    config: &RunConfig,
    groups: &[Group],
    outputs: &[Output],
    paths: std::ops::Range<u64>,
    progress: &dyn Progress,
) -> Result<SobolTally, EngineError> {
    if config.paths == 0 || config.paths > MAX_PATHS || paths.end > config.paths {
        return Err(EngineError::Paths(config.paths));
    }
    if !model.observations.is_empty() {
        return Err(EngineError::Weighted);
    }
    let b = seed_b(config.seed);
    let mut keys = vec![Keys::new(config.seed), Keys::new(b)];
    keys.extend(
        groups
            .iter()
            .map(|g| Keys::new(config.seed).rekey(g.streams.iter().copied(), b)),
    );
    let n = outputs.len();
    let parts = in_pool(config, || {
        let plan = Plan::new(model);
        let plan = &plan;
        let end = paths.end;
        for_each_path_in(
            progress,
            paths,
            || Worker {
                state: PathState::new(plan, config.stepping),
                values: vec![0; n * keys.len()],
                block: Sums::new(n, groups.len()),
                tally: SobolTally::new(config.seed, outputs, groups),
            },
            |w, path| {
                for (j, k) in keys.iter().enumerate() {
                    w.state.simulate_keyed(plan, k, path);
                    checked(&w.state, plan, path)?;
                    let values = &mut w.values[j * n..(j + 1) * n];
                    measure(plan, &w.state, outputs, values, &mut w.tally.out_of_range);
                }
                let (a, rest) = w.values.split_at(n);
                let (b, ab) = rest.split_at(n);
                w.block.add_path(a, b, ab);
                if (path + 1) % BLOCK_PATHS == 0 || path + 1 == end {
                    w.tally.sums.merge(&w.block);
                    w.tally.bootstrap.add_block(path / BLOCK_PATHS, &w.block);
                    w.block.clear();
                }
                Ok(())
            },
        )
    })?;
    let mut parts = parts.into_iter().map(|w| w.tally);
    let first = parts
        .next()
        .unwrap_or_else(|| SobolTally::new(config.seed, outputs, groups));
    Ok(parts.fold(first, |a, b| a.merge(&b)))
}

/// The outputs of the path just simulated, into `values`.
fn measure(
    plan: &Plan,
    state: &PathState,
    outputs: &[Output],
    values: &mut [i64],
    out_of_range: &mut [bool],
) {
    let model = plan.model;
    let crossing = state.crossing();
    let reported = state.reported();
    for (k, o) in outputs.iter().enumerate() {
        values[k] = match *o {
            Output::CrossingDay { threshold } => {
                crossing[threshold].map_or(i64::from(model.horizon_days) + 1, i64::from)
            }
            Output::CrossedBy { threshold, report } => {
                let by = model.report_days[report];
                i64::from(crossing[threshold].is_some_and(|d| d <= by))
            }
            Output::Stock { side, report } => {
                let v = reported[plan.layout.slot(report, side, Metric::Casualties)];
                if v.abs() < MAX_STOCK {
                    v.round() as i64
                } else {
                    out_of_range[k] = true;
                    0
                }
            }
        };
    }
}
