//! Per-path records ("samples"): each path's drawn inputs and crossing days, delivered in
//! path order in blocks, so a caller can stream them to a file with flat memory.

use super::path::PathState;
use super::plan::Plan;
use super::{work, EngineError, Progress, RunConfig, Tally, BATCH_PATHS};
use crate::model::{Model, PhaseEffect};
use std::sync::Mutex;

/// Batches simulated in parallel before their rows are handed over, in order.
const WINDOW_BATCHES: u64 = 64;

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

/// Column names of a sample row: `path`, each side's draws (named by their input key),
/// each phase factor, and each threshold's crossing day.
pub fn columns(model: &Model) -> Vec<String> {
    column_kinds(model)
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

/// The columns of a sample row with what each holds, in row order.
pub fn column_kinds(model: &Model) -> Vec<(String, ColumnKind)> {
    use ColumnKind::{Number, OptionalDay};
    let mut c = vec![("path".to_string(), ColumnKind::Path)];
    let num = |c: &mut Vec<(String, ColumnKind)>, name: String| c.push((name, Number));
    for s in &model.sides {
        let n = &s.name;
        num(&mut c, format!("sides.{n}.casualties"));
        num(&mut c, format!("sides.{n}.rate_per_day"));
        if s.killed.is_some() {
            num(&mut c, format!("sides.{n}.killed"));
            num(&mut c, format!("sides.{n}.killed_share"));
        }
        if s.force.is_some() {
            num(&mut c, format!("sides.{n}.force"));
            num(&mut c, format!("sides.{n}.recruits_per_day"));
            num(&mut c, format!("sides.{n}.return_to_duty"));
        }
    }
    for p in &model.phases {
        match &p.effect {
            PhaseEffect::Shared { .. } => num(&mut c, format!("phases.{}.multiplier", p.name)),
            PhaseEffect::PerSide(v) => {
                for (side, _) in v {
                    num(
                        &mut c,
                        format!("phases.{}.multipliers.{}", p.name, model.sides[*side].name),
                    );
                }
            }
        }
    }
    for e in &model.events {
        let n = &e.name;
        num(&mut c, format!("events.{n}.probability"));
        num(&mut c, format!("events.{n}.happened"));
        c.push((format!("events.{n}.first_day"), OptionalDay));
        c.push((format!("events.{n}.last_day"), OptionalDay));
    }
    if let Some(r) = &model.regimes {
        for n in &r.names {
            num(&mut c, format!("regimes.{n}.days"));
        }
    }
    if model.trend.is_some() {
        num(&mut c, "trend.percent_per_month".to_string());
    }
    for t in &model.thresholds {
        c.push((format!("crossing_day.{}", t.name), OptionalDay));
    }
    c
}

/// The row of the path just simulated; an `OptionalDay` the path does not have is NaN.
fn push_row(out: &mut Vec<f64>, plan: &Plan, state: &PathState, path: u64) {
    let draws = state.draws();
    out.push(path as f64);
    for (side, d) in plan.model.sides.iter().zip(&draws.sides) {
        out.push(d.casualties);
        out.push(d.rate_per_day);
        if side.killed.is_some() {
            out.push(d.killed);
            out.push(d.killed_share);
        }
        if side.force.is_some() {
            out.extend([d.force, d.recruits_per_day, d.return_share]);
        }
    }
    out.extend_from_slice(&draws.factors[..plan.phase_factors]);
    for e in &draws.events {
        let (first, last) = if e.happened {
            (f64::from(e.first), f64::from(e.last))
        } else {
            (f64::NAN, f64::NAN)
        };
        out.extend([e.probability, f64::from(u8::from(e.happened)), first, last]);
    }
    out.extend(draws.regime_days.iter().map(|&d| f64::from(d)));
    if plan.model.trend.is_some() {
        out.push(draws.trend);
    }
    out.extend(
        state
            .crossing()
            .iter()
            .map(|c| c.map_or(f64::NAN, f64::from)),
    );
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
    let mut start = 0;
    while start < batches {
        let end = (start + WINDOW_BATCHES).min(batches);
        // One slot of rows per batch of the window, filled by whichever worker runs it.
        let slots: Vec<Mutex<Vec<f64>>> = (start..end).map(|_| Mutex::new(Vec::new())).collect();
        let window = work(plan, config, progress, start..end, &|path, state| {
            let slot = (path / BATCH_PATHS - start) as usize;
            let mut out = slots[slot].lock().expect("a worker panicked");
            push_row(&mut out, plan, state, path);
        })?;
        tally = tally.merge(window);
        for slot in slots {
            rows(&slot.into_inner().expect("a worker panicked")).map_err(EngineError::Sink)?;
        }
        start = end;
    }
    Ok(tally)
}
