//! The run behind a fan chart: casualty stocks on a fine grid of report days (a weekly
//! one, hundreds of days), in histograms of their own.
//!
//! A result's run adds each path's few stocks to their histograms as it goes. Here a path
//! has hundreds, and adding them one path at a time touches a different histogram for
//! each (a cache miss apiece, most of the time of the run). So each worker first copies
//! the stocks of `BLOCK_PATHS` paths into a small buffer, one column per histogram, and
//! then adds a column at a time. Histograms count exactly and their final state does not
//! depend on the order of the values (`LogHistogram`), so the blocking and the split
//! over workers change nothing in the counts.

use super::path::PathState;
use super::plan::Plan;
use super::{in_pool, work_with, EngineError, Progress, RunConfig, Tally, BATCH_PATHS};
use crate::model::{Model, MAX_PATHS};
use crate::stats::LogHistogram;

/// Paths buffered before their stocks go into the histograms: a buffer of a few hundred
/// KiB for a weekly grid, which stays in cache.
const BLOCK_PATHS: usize = 64;

/// Runs `model` like `engine::run` for a figure: only the casualty stocks at its report
/// days are gathered, each in a histogram of at most `buckets` buckets (see
/// `Plan::casualties_only`). The tally holds the path count and those histograms only:
/// no crossings (a fan model has no thresholds), events or regimes. Paths, seeds, batches
/// and cancellation are those of `run`.
pub fn run_casualty_stocks(
    model: &Model,
    config: &RunConfig,
    buckets: usize,
    progress: &dyn Progress,
) -> Result<Tally, EngineError> {
    if config.paths == 0 || config.paths > MAX_PATHS {
        return Err(EngineError::Paths(config.paths));
    }
    in_pool(config, || {
        let plan = super::prepared(model, config, progress)?.casualties_only(buckets);
        let parts = work_with(
            &plan,
            config,
            progress,
            0..config.paths.div_ceil(BATCH_PATHS),
            || Stocks::new(&plan),
            |acc, _, state| acc.add(state),
        )?;
        let mut tally = Tally::new(&plan);
        for mut part in parts {
            part.flush();
            tally.paths += part.paths;
            for (&slot, h) in plan.layout.present().iter().zip(&part.histograms) {
                tally.stock_slot_mut(slot).merge(h);
            }
        }
        Ok(tally)
    })
}

/// One worker's histograms (one per slot of `Layout::present`) and its buffer.
struct Stocks<'p> {
    slots: &'p [usize],
    histograms: Vec<LogHistogram>,
    /// `BLOCK_PATHS` values per slot, slot after slot.
    block: Vec<f64>,
    /// The weight units of each buffered path (1 each without observations).
    units: Vec<u64>,
    weighted: bool,
    filled: usize,
    paths: u64,
}

impl<'p> Stocks<'p> {
    fn new(plan: &'p Plan) -> Self {
        let slots = plan.layout.present();
        Stocks {
            slots,
            histograms: vec![LogHistogram::new(plan.histogram_buckets()); slots.len()],
            block: vec![0.0; slots.len() * BLOCK_PATHS],
            units: vec![1; BLOCK_PATHS],
            weighted: !plan.model.observations.is_empty(),
            filled: 0,
            paths: 0,
        }
    }

    fn add(&mut self, state: &PathState) {
        let reported = state.reported();
        for (k, &slot) in self.slots.iter().enumerate() {
            self.block[k * BLOCK_PATHS + self.filled] = reported[slot];
        }
        if self.weighted {
            // A fan of a run with observations is drawn from the weighted paths.
            self.units[self.filled] = state.units();
        }
        self.filled += 1;
        self.paths += 1;
        if self.filled == BLOCK_PATHS {
            self.flush();
        }
    }

    /// Adds the buffered paths to the histograms, a histogram at a time.
    fn flush(&mut self) {
        for (k, h) in self.histograms.iter_mut().enumerate() {
            let start = k * BLOCK_PATHS;
            let values = &self.block[start..start + self.filled];
            for (&x, &u) in values.iter().zip(&self.units) {
                if u > 0 {
                    h.add_units(x, u);
                }
            }
        }
        self.filled = 0;
    }
}
