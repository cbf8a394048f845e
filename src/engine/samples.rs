//! Per-path records ("samples"): each path's drawn inputs and crossing days, delivered in
//! path order in blocks, so a caller can stream them to a file with flat memory.

use super::path::PathState;
use super::plan::Plan;
use super::{work, EngineError, Progress, RunConfig, Tally, BATCH_PATHS};
use crate::model::{Model, What};
use std::sync::Mutex;

/// Batches simulated in parallel before their rows are handed over, in order.
const WINDOW_BATCHES: u64 = 64;

pub use crate::model::ColumnKind;

/// Where a column's value comes from: the path, a drawn input (`Model::inputs`), or what
/// the path made of them.
#[derive(Clone, Copy, Debug)]
enum Cell {
    Path,
    /// A drawn input; `factor` is its index in `Plan::factors` when it is a multiplier.
    Input {
        what: What,
        factor: usize,
    },
    RegimeDays(usize),
    Crossing(usize),
    /// An observation's stock on its date.
    Observed(usize),
    LogWeight,
}

/// The columns of a sample row in row order: `path`, the columns of each drawn input (in
/// the order of `Model::inputs`), each threshold's crossing day, and with observations
/// each observation's stock and the path's log weight.
fn layout(model: &Model) -> Vec<(String, ColumnKind, Cell)> {
    let mut c = vec![("path".to_string(), ColumnKind::Path, Cell::Path)];
    let mut factor = 0;
    for input in model.inputs().iter() {
        let what = input.what;
        for (k, (name, kind)) in input.columns(model).into_iter().enumerate() {
            let cell = match what {
                What::RegimeChain => Cell::RegimeDays(k),
                _ => Cell::Input { what, factor },
            };
            c.push((name, kind, cell));
        }
        if matches!(what, What::Factor { .. }) {
            factor += 1;
        }
    }
    for (k, t) in model.thresholds.iter().enumerate() {
        c.push((
            format!("crossing_day.{}", t.name),
            ColumnKind::OptionalDay,
            Cell::Crossing(k),
        ));
    }
    if !model.observations.is_empty() {
        for (k, o) in model.observations.iter().enumerate() {
            c.push((
                format!("observed.{}", o.name),
                ColumnKind::Number,
                Cell::Observed(k),
            ));
        }
        c.push((
            "log_weight".to_string(),
            ColumnKind::Number,
            Cell::LogWeight,
        ));
    }
    c
}

/// Column names of a sample row (`column_kinds`).
pub fn columns(model: &Model) -> Vec<String> {
    column_kinds(model)
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

/// The columns of a sample row with what each holds, in row order.
pub fn column_kinds(model: &Model) -> Vec<(String, ColumnKind)> {
    layout(model)
        .into_iter()
        .map(|(name, kind, _)| (name, kind))
        .collect()
}

/// The row of the path just simulated; an `OptionalDay` the path does not have is NaN.
fn push_row(out: &mut Vec<f64>, cells: &[Cell], state: &PathState, path: u64) {
    let draws = state.draws();
    out.extend(cells.iter().map(|cell| match *cell {
        Cell::Path => path as f64,
        Cell::Input { what, factor } => draws.value(what, factor),
        Cell::RegimeDays(r) => f64::from(draws.regime_days[r]),
        Cell::Crossing(t) => state.crossing()[t].map_or(f64::NAN, f64::from),
        Cell::Observed(k) => state.observed()[k],
        Cell::LogWeight => state.log_weight(),
    }));
}

/// Runs like `engine::run`, handing every path's row to `rows`, in path order, a block
/// of rows (`columns(model).len()` values each) at a time.
pub(super) fn run_windows(
    plan: &Plan,
    config: &RunConfig,
    progress: &dyn Progress,
    rows: &mut dyn FnMut(&[f64]) -> Result<(), String>,
) -> Result<Tally, EngineError> {
    let batches = config.paths.div_ceil(BATCH_PATHS);
    let mut tally = Tally::new(plan);
    let cells: Vec<Cell> = layout(plan.model).into_iter().map(|c| c.2).collect();
    let mut start = 0;
    while start < batches {
        let end = (start + WINDOW_BATCHES).min(batches);
        // One slot of rows per batch of the window, filled by whichever worker runs it.
        let slots: Vec<Mutex<Vec<f64>>> = (start..end).map(|_| Mutex::new(Vec::new())).collect();
        let window = work(plan, config, progress, start..end, &|path, state| {
            let slot = (path / BATCH_PATHS - start) as usize;
            let mut out = slots[slot].lock().expect("a worker panicked");
            push_row(&mut out, &cells, state, path);
        })?;
        tally = tally.merge(window);
        for slot in slots {
            rows(&slot.into_inner().expect("a worker panicked")).map_err(EngineError::Sink)?;
        }
        start = end;
    }
    Ok(tally)
}
