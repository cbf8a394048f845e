//! The Monte Carlo engine: paths in fixed batches on rayon, statistics merged exactly.
//!
//! Path `i` draws only from streams keyed by (seed, i, input), and every statistic is an
//! integer count, so the result is the same bytes whatever the thread count or schedule.
//! The engine never prints; callers watch it through `Progress`.

pub mod compare;
pub mod conditional;
mod dynamics;
mod fan;
mod force;
mod jump;
mod layout;
mod noise;
mod path;
mod pilot;
mod plan;
pub mod proposal;
pub mod samples;
mod schedule;
pub mod sensitivity;
mod stocks;
mod tally;
pub mod weights;

pub use dynamics::{Draws, EventDraw, SideDraw};
pub use fan::run_casualty_stocks;
pub use layout::Layout;
pub use path::{PathState, Stepping};
use plan::Plan;
pub use tally::{EventTally, Tally, REPLICATE_BUCKETS};
pub use weights::{ObservationTally, WeightTally};

use crate::model::{Metric, Model, MAX_PATHS};
pub use crate::sample::stream::Keys;
use std::sync::atomic::{AtomicU64, Ordering};

/// Paths per batch: the unit of parallel work and of progress reports.
pub const BATCH_PATHS: u64 = 1024;

/// How to run a model; `threads: None` uses every core.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunConfig {
    pub paths: u64,
    pub seed: u64,
    pub threads: Option<usize>,
    pub stepping: Stepping,
    pub method: Method,
}

/// How a run spends its paths on precision.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Every input from its own keyed stream: plain Monte Carlo, each figure's error from
    /// the paths' own spread.
    #[default]
    Plain,
    /// The inputs drawn by inversion from scrambled Sobol points in
    /// `sobol::REPLICATES` independent scramblings (randomized quasi-Monte Carlo), each
    /// figure's error from the spread of the scramblings' estimates; events, regimes and
    /// the noise keep their streams (`Tally::replicates`).
    Reduced,
}

impl RunConfig {
    /// The model's own path count and seed, on every core.
    pub fn from_model(model: &Model) -> Self {
        RunConfig {
            paths: model.default_paths,
            seed: model.default_seed,
            threads: None,
            stepping: Stepping::Auto,
            method: Method::Reduced,
        }
    }
}

/// Watches a run from any thread. Both methods default to doing nothing.
pub trait Progress: Sync {
    /// `paths` more paths are done.
    fn advance(&self, _paths: u64) {}
    /// Asked between batches; `true` stops the run with `EngineError::Cancelled`.
    fn cancelled(&self) -> bool {
        false
    }
}

/// A `Progress` that watches nothing.
pub struct Silent;
impl Progress for Silent {}

#[derive(Debug, Clone, PartialEq)]
pub enum EngineError {
    /// The path count is zero or above `MAX_PATHS`.
    Paths(u64),
    /// The thread pool could not be built.
    Threads(String),
    /// `Progress::cancelled` said stop.
    Cancelled,
    /// A path's stocks overflowed the floating-point range.
    NonFinite { path: u64 },
    /// The receiver of per-path samples failed (for example a full disk).
    Sink(String),
    /// A path's weight passed the proposal's anchor (`proposal::Proposal::log_anchor`).
    AboveAnchor { path: u64, by: f64 },
    /// A sensitivity analysis of a run with observations, whose paths are weighted.
    Weighted,
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EngineError::Paths(n) => write!(f, "{n} paths: give between 1 and {MAX_PATHS}"),
            EngineError::Threads(e) => write!(f, "cannot start the worker threads: {e}"),
            EngineError::Cancelled => write!(f, "the run was cancelled"),
            EngineError::Sink(e) => write!(f, "cannot write the samples: {e}"),
            EngineError::Weighted => write!(
                f,
                "the scenario has observations, so its paths are weighted (and drawn from a proposal fitted to the observations); Sobol indices by pick-freeze assume paths drawn from the inputs' own distributions, each counting once, and this tool does not estimate weighted ones. Analyse the scenario without its [[observations]] (the sensitivity before the reports)"
            ),
            EngineError::AboveAnchor { path, by } => write!(
                f,
                "path {path}'s weight is e^{by:.1} times the most the proposal fitted to the observations allowed for; its weight cannot be counted exactly, so the run stops. Run with --proposal off, or another seed"
            ),
            EngineError::NonFinite { path } => write!(
                f,
                "path {path} produced stocks too large for floating point (overflow): the scenario's rates, multipliers or horizon multiply to more than 1e308"
            ),
        }
    }
}

impl std::error::Error for EngineError {}

/// One path at a time with the engine's own stepping, without batches or tallies: for
/// benchmarks of the hot loop and for drawing synthetic series. The plan stays inside.
pub struct Simulator<'m> {
    plan: Plan<'m>,
    state: PathState,
}

impl<'m> Simulator<'m> {
    pub fn new(model: &'m Model, stepping: Stepping) -> Self {
        let plan = Plan::new(model);
        let state = PathState::new(&plan, stepping);
        Simulator { plan, state }
    }

    /// Simulates path `path` of a run with seed `seed`; what it drew and produced.
    pub fn simulate(&mut self, seed: u64, path: u64) -> &PathState {
        self.state.simulate(&self.plan, seed, path);
        &self.state
    }

    /// Simulates path `path` with the streams `keys` gives (some re-keyed: `Keys`).
    pub fn simulate_keyed(&mut self, keys: &Keys, path: u64) -> &PathState {
        self.state.simulate_keyed(&self.plan, keys, path);
        &self.state
    }

    /// A stock of the last path: (report date index, series, metric).
    pub fn stock(&self, report: usize, series: usize, metric: Metric) -> f64 {
        self.state.reported()[self.plan.layout.slot(report, series, metric)]
    }
}

/// Runs `model` as `config.paths` paths.
pub fn run(
    model: &Model,
    config: &RunConfig,
    progress: &dyn Progress,
) -> Result<Tally, EngineError> {
    if config.paths == 0 || config.paths > MAX_PATHS {
        return Err(EngineError::Paths(config.paths));
    }
    in_pool(config, || {
        let plan = prepared(model, config, progress)?;
        run_batches(&plan, config, progress)
    })
}

/// The plan of a run of `model` with `config`: with the proposal its observations call
/// for (`pilot`), fitted in the current pool.
pub(super) fn prepared<'m>(
    model: &'m Model,
    config: &RunConfig,
    progress: &dyn Progress,
) -> Result<Plan<'m>, EngineError> {
    let mut plan = Plan::new(model);
    if config.method == Method::Reduced {
        plan.conditionings = conditional::conditionings(&plan);
    }
    if model.proposal == crate::model::ProposalMode::Auto {
        plan.proposal = pilot::fit(&plan, config.seed, config.stepping, progress)?;
    }
    Ok(plan)
}

/// Runs like `run`, and hands every path's sample row to `rows` in path order (blocks of
/// rows with `samples::columns(model).len()` values each). Memory stays flat.
pub fn run_with_samples(
    model: &Model,
    config: &RunConfig,
    progress: &dyn Progress,
    rows: &mut (dyn FnMut(&[f64]) -> Result<(), String> + Send),
) -> Result<Tally, EngineError> {
    if config.paths == 0 || config.paths > MAX_PATHS {
        return Err(EngineError::Paths(config.paths));
    }
    in_pool(config, || {
        let plan = prepared(model, config, progress)?;
        samples::run_windows(&plan, config, progress, rows)
    })
}

pub(super) fn in_pool<T: Send>(
    config: &RunConfig,
    f: impl FnOnce() -> Result<T, EngineError> + Send,
) -> Result<T, EngineError> {
    match config.threads {
        None => f(),
        // Never more workers than batches, nor than cores: a thread with no batch, or
        // no core, to run would only cost its start-up and a tally of its own (memory
        // is one tally per worker; `--threads 1000` on one batch took 13 s). Results do
        // not depend on the count, so this changes only time and memory.
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(workers(n, config.paths))
            .build()
            .map_err(|e| EngineError::Threads(e.to_string()))?
            .install(f),
    }
}

/// The workers a pool of `requested` threads gets for `paths` paths: at least one, at
/// most one per batch and one per core.
fn workers(requested: usize, paths: u64) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    requested
        .min(paths.div_ceil(BATCH_PATHS) as usize)
        .min(cores)
        .max(1)
}

/// Runs batches `first..end` on every thread of the current pool: each worker takes the
/// next batch from a shared counter and keeps one tally (one per scrambling with
/// randomized quasi-Monte Carlo inputs); the tallies are merged at the end. Counts merge
/// exactly, so which worker ran which batch does not matter, and memory is one tally per
/// thread. `each` sees every path just simulated.
pub(super) fn work(
    plan: &Plan,
    config: &RunConfig,
    progress: &dyn Progress,
    batches: std::ops::Range<u64>,
    each: &(dyn Fn(u64, &PathState) + Sync),
) -> Result<Tally, EngineError> {
    let paths = batches.start * BATCH_PATHS..(batches.end * BATCH_PATHS).min(config.paths);
    tally_paths(plan, config, progress, paths, each)
}

/// The tally of paths `paths` of a run (`work`, and a run continued by `run_more`). A
/// reduced run (randomized quasi-Monte Carlo inputs) also counts each path in its
/// scrambling's tally (`Tally::replicates`, small histograms: `REPLICATE_BUCKETS`).
fn tally_paths(
    plan: &Plan,
    config: &RunConfig,
    progress: &dyn Progress,
    paths: std::ops::Range<u64>,
    each: &(dyn Fn(u64, &PathState) + Sync),
) -> Result<Tally, EngineError> {
    let keys = plan.keys(config.seed, config.method);
    let parts = if keys.design().is_some() {
        crate::sample::sobol::REPLICATES as usize
    } else {
        0
    };
    let fresh = || -> (Tally, Vec<Tally>) {
        let replicates = (0..parts)
            .map(|_| Tally::with_buckets(plan, REPLICATE_BUCKETS))
            .collect();
        (Tally::new(plan), replicates)
    };
    let workers = for_each_path_in(
        progress,
        paths,
        || (fresh(), PathState::new(plan, config.stepping)),
        |((pooled, replicates), state), path| {
            state.simulate_keyed(plan, &keys, path);
            checked(state, plan, path)?;
            let count = |t: &mut Tally| {
                t.add(state);
                if !t.conditional.is_empty() {
                    conditional::add(
                        plan,
                        &plan.conditionings,
                        state,
                        config.seed,
                        path,
                        &mut t.conditional,
                    );
                }
            };
            count(pooled);
            if parts > 0 {
                count(&mut replicates[crate::sample::sobol::replicate_of(path)]);
            }
            each(path, state);
            Ok(())
        },
    )?;
    let (mut pooled, mut replicates) = fresh();
    for ((p, r), _) in workers {
        pooled = pooled.merge(p);
        replicates = replicates
            .into_iter()
            .zip(r)
            .map(|(a, b)| a.merge(b))
            .collect();
    }
    pooled.replicates = replicates;
    Ok(pooled)
}

/// Whether path `path`, just simulated in `state`, can be counted: finite stocks, and a
/// weight within the proposal's anchor.
pub(super) fn checked(state: &PathState, plan: &Plan, path: u64) -> Result<(), EngineError> {
    if !state.is_finite(plan) {
        return Err(EngineError::NonFinite { path });
    }
    let by = state.log_weight() - state.log_anchor();
    if by > 0.0 {
        return Err(EngineError::AboveAnchor { path, by });
    }
    Ok(())
}

/// The batch loop of `work` with any accumulator: each worker makes one with `new` and
/// hands it every path it simulates; the accumulators come back in worker order (or the
/// first worker's error), for the caller to merge.
pub(super) fn work_with<A: Send>(
    plan: &Plan,
    config: &RunConfig,
    progress: &dyn Progress,
    batches: std::ops::Range<u64>,
    new: impl Fn() -> A + Sync,
    add: impl Fn(&mut A, u64, &PathState) + Sync,
) -> Result<Vec<A>, EngineError> {
    let keys = plan.keys(config.seed, config.method);
    let parts = for_each_path(
        config,
        progress,
        batches,
        || (new(), PathState::new(plan, config.stepping)),
        |(acc, state), path| {
            state.simulate_keyed(plan, &keys, path);
            checked(state, plan, path)?;
            add(acc, path, state);
            Ok(())
        },
    )?;
    Ok(parts.into_iter().map(|(acc, _)| acc).collect())
}

/// The one batch loop of every run: on every thread of the current pool, a worker makes
/// its state with `new`, then takes the next batch from a shared counter and hands each
/// of its paths to `path`, asking `progress` between batches whether to stop. Batches are
/// fixed ranges of path indices, so which worker ran which batch changes nothing that
/// merges exactly. The workers' states come back in worker order (or the first error).
pub(super) fn for_each_path<W: Send>(
    config: &RunConfig,
    progress: &dyn Progress,
    batches: std::ops::Range<u64>,
    new: impl Fn() -> W + Sync,
    path: impl Fn(&mut W, u64) -> Result<(), EngineError> + Sync,
) -> Result<Vec<W>, EngineError> {
    let paths = batches.start * BATCH_PATHS..(batches.end * BATCH_PATHS).min(config.paths);
    for_each_path_in(progress, paths, new, path)
}

/// `for_each_path` over the paths `paths`: batch `b` covers the paths of
/// `b * BATCH_PATHS .. (b + 1) * BATCH_PATHS` inside the range, so a run continued from
/// path `k` (`run_more`) takes the same paths in the same batches as one run would.
pub(super) fn for_each_path_in<W: Send>(
    progress: &dyn Progress,
    paths: std::ops::Range<u64>,
    new: impl Fn() -> W + Sync,
    path: impl Fn(&mut W, u64) -> Result<(), EngineError> + Sync,
) -> Result<Vec<W>, EngineError> {
    let batches = paths.start / BATCH_PATHS..paths.end.div_ceil(BATCH_PATHS);
    let next = AtomicU64::new(batches.start);
    let results = rayon::broadcast(|_| -> Result<Option<W>, EngineError> {
        // Made on the first batch taken: a worker that finds none left costs nothing.
        let mut mine: Option<W> = None;
        loop {
            let b = next.fetch_add(1, Ordering::Relaxed);
            if b >= batches.end {
                return Ok(mine);
            }
            let worker = mine.get_or_insert_with(&new);
            if progress.cancelled() {
                return Err(EngineError::Cancelled);
            }
            let first = (b * BATCH_PATHS).max(paths.start);
            let last = ((b + 1) * BATCH_PATHS).min(paths.end);
            for p in first..last {
                path(worker, p)?;
            }
            progress.advance(last - first);
        }
    });
    results.into_iter().filter_map(Result::transpose).collect()
}

/// Continues a run: `tally` holds paths `0..done` of a run with `config`'s seed, and
/// this adds paths `done..config.paths`. The result is the tally of one run of
/// `config.paths` paths, to the byte.
pub fn run_more(
    model: &Model,
    config: &RunConfig,
    progress: &dyn Progress,
    tally: Tally,
    done: u64,
) -> Result<Tally, EngineError> {
    if config.paths > MAX_PATHS || done > config.paths || tally.paths != done {
        return Err(EngineError::Paths(config.paths));
    }
    if done == config.paths {
        return Ok(tally);
    }
    let more = run_range(model, config, done..config.paths, progress)?;
    Ok(tally.merge(more))
}

/// The paths `paths` of a run of `model` with `config` (its seed, stepping and path
/// count, which fixes nothing but the bounds: a path is a function of the seed and its
/// index), counted alone: a shard of the run. The tallies of ranges that cover
/// `0..config.paths`, merged in any order, are `run`'s tally to the byte. With
/// observations every range fits the same proposal first (`pilot`: a function of the
/// scenario and the seed only).
pub fn run_range(
    model: &Model,
    config: &RunConfig,
    paths: std::ops::Range<u64>,
    progress: &dyn Progress,
) -> Result<Tally, EngineError> {
    if config.paths == 0
        || config.paths > MAX_PATHS
        || paths.start >= paths.end
        || paths.end > config.paths
    {
        return Err(EngineError::Paths(config.paths));
    }
    let parts = in_pool(config, || {
        let plan = prepared(model, config, progress)?;
        tally_paths(&plan, config, progress, paths, &|_, _| {})
    })?;
    Ok(parts)
}

fn run_batches(
    plan: &Plan,
    config: &RunConfig,
    progress: &dyn Progress,
) -> Result<Tally, EngineError> {
    work(
        plan,
        config,
        progress,
        0..config.paths.div_ceil(BATCH_PATHS),
        &|_, _| {},
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pool_never_has_more_workers_than_batches() {
        // --threads 1000 on one batch built 1000 threads and tallies (13 s, not 0.1 s).
        let config = |paths, threads| RunConfig {
            paths,
            seed: 1,
            threads: Some(threads),
            stepping: Stepping::Auto,
            method: Method::Plain,
        };
        let n = |c: &RunConfig| in_pool(c, || Ok(rayon::current_num_threads())).unwrap();
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!(n(&config(10, 1000)), 1);
        assert_eq!(n(&config(3 * BATCH_PATHS + 1, 1000)), 4.min(cores));
        assert_eq!(n(&config(100 * BATCH_PATHS, 1000)), cores.min(100));
        assert_eq!(n(&config(100 * BATCH_PATHS, 1)), 1);
    }

    #[test]
    fn extra_threads_change_nothing_and_cost_little() {
        let model = crate::scenario::load_str(
            "t.toml",
            "[scenario]\nname = \"t\"\nreference_date = 2025-12-31\nhorizon_days = 400\n\n[noise]\nmodel = \"gamma\"\ncv = 0.3\n\n[sides.a]\ncasualties = 1\nrate_per_day = [1, 2]\n\n[[thresholds]]\nname = \"t\"\nlevel = 300\n",
        )
        .unwrap();
        let run_on = |threads| {
            let config = RunConfig {
                paths: 3000,
                seed: 1,
                threads: Some(threads),
                stepping: Stepping::Auto,
                method: Method::Plain,
            };
            run(&model, &config, &Silent).unwrap()
        };
        let t = std::time::Instant::now();
        let many = run_on(1024);
        assert!(t.elapsed().as_secs_f64() < 5.0, "{:?}", t.elapsed());
        assert_eq!(many, run_on(1));
    }
}
