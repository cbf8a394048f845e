//! Paired runs for comparing scenarios on common random numbers: path `i` of every
//! scenario is simulated with the same seed and path index, so inputs the scenarios
//! share (same key path, same range) draw the same values, and only what differs moves.

use super::path::PathState;
use super::plan::Plan;
use super::{EngineError, Progress, RunConfig, BATCH_PATHS};
use crate::model::Model;
use crate::stats::DayCounts;
use std::sync::atomic::{AtomicU64, Ordering};

/// Batch-means groups for confidence intervals: path `i` belongs to group `i % GROUPS`.
pub const GROUPS: usize = 32;

/// What a paired run counted for the baseline (A) and one other scenario (B).
#[derive(Clone, Debug, PartialEq)]
pub struct PairTally {
    pub a: DayCounts,
    pub b: DayCounts,
    pub groups_a: Vec<DayCounts>,
    pub groups_b: Vec<DayCounts>,
    /// Paths on which A crosses strictly earlier than B (not crossing counts as never).
    pub a_first: u64,
    pub b_first: u64,
}

impl PairTally {
    fn new(ha: u32, hb: u32) -> Self {
        PairTally {
            a: DayCounts::new(ha),
            b: DayCounts::new(hb),
            groups_a: vec![DayCounts::new(ha); GROUPS],
            groups_b: vec![DayCounts::new(hb); GROUPS],
            a_first: 0,
            b_first: 0,
        }
    }

    fn merge(&mut self, o: &PairTally) {
        self.a.merge(&o.a);
        self.b.merge(&o.b);
        for (x, y) in self.groups_a.iter_mut().zip(&o.groups_a) {
            x.merge(y);
        }
        for (x, y) in self.groups_b.iter_mut().zip(&o.groups_b) {
            x.merge(y);
        }
        self.a_first += o.a_first;
        self.b_first += o.b_first;
    }
}

/// Runs `models[0]` (the baseline) and each other model on the same paths, pairing the
/// crossing days of threshold `thresholds[m]` of model `m`. With `independent`, model
/// `m` uses seed `seed + m` instead: no common random numbers (for comparison).
pub fn compare(
    models: &[&Model],
    thresholds: &[usize],
    config: &RunConfig,
    independent: bool,
    progress: &dyn Progress,
) -> Result<Vec<PairTally>, EngineError> {
    let plans: Vec<Plan> = models.iter().map(|m| Plan::new(m)).collect();
    let batches = config.paths.div_ceil(BATCH_PATHS);
    let next = AtomicU64::new(0);
    let run = || {
        rayon::broadcast(|_| -> Result<Vec<PairTally>, EngineError> {
            let mut states: Vec<PathState> = plans
                .iter()
                .map(|p| PathState::new(p, config.stepping))
                .collect();
            let horizon = |m: usize| models[m].horizon_days;
            let mut tallies: Vec<PairTally> = (1..models.len())
                .map(|m| PairTally::new(horizon(0), horizon(m)))
                .collect();
            let mut days = vec![None; models.len()];
            loop {
                let b = next.fetch_add(1, Ordering::Relaxed);
                if b >= batches {
                    return Ok(tallies);
                }
                if progress.cancelled() {
                    return Err(EngineError::Cancelled);
                }
                let first = b * BATCH_PATHS;
                let last = (first + BATCH_PATHS).min(config.paths);
                for path in first..last {
                    for (m, (state, plan)) in states.iter_mut().zip(&plans).enumerate() {
                        let seed = if independent {
                            config.seed.wrapping_add(m as u64)
                        } else {
                            config.seed
                        };
                        state.simulate(plan, seed, path);
                        if !state.is_finite(plan) {
                            return Err(EngineError::NonFinite { path });
                        }
                        days[m] = state.crossing()[thresholds[m]];
                    }
                    let g = (path % GROUPS as u64) as usize;
                    for (j, t) in tallies.iter_mut().enumerate() {
                        let (da, db) = (days[0], days[j + 1]);
                        t.a.add(da);
                        t.b.add(db);
                        t.groups_a[g].add(da);
                        t.groups_b[g].add(db);
                        let key = |d: Option<u32>| d.map_or(u64::MAX, u64::from);
                        match key(da).cmp(&key(db)) {
                            std::cmp::Ordering::Less => t.a_first += 1,
                            std::cmp::Ordering::Greater => t.b_first += 1,
                            std::cmp::Ordering::Equal => {}
                        }
                    }
                }
                progress.advance(last - first);
            }
        })
    };
    let results = super::in_pool(config, || Ok(run()))?;
    let mut total: Vec<PairTally> = (1..models.len())
        .map(|m| PairTally::new(models[0].horizon_days, models[m].horizon_days))
        .collect();
    for r in results {
        for (t, part) in total.iter_mut().zip(r?) {
            t.merge(&part);
        }
    }
    Ok(total)
}
