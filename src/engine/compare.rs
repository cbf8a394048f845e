//! Paired runs for comparing scenarios on common random numbers: path `i` of every
//! scenario is simulated with the same seed and path index, so inputs the scenarios
//! share (same key path, same range) draw the same values, and only what differs moves.

use super::path::PathState;
use super::plan::Plan;
use super::{EngineError, Progress, RunConfig, BATCH_PATHS};
use crate::model::Model;
use crate::stats::DayCounts;

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

    /// Adds one path's crossing days of A and B; `group` is its batch-means group.
    fn add(&mut self, group: usize, da: Option<u32>, db: Option<u32>) {
        self.a.add(da);
        self.b.add(db);
        self.groups_a[group].add(da);
        self.groups_b[group].add(db);
        // Not crossing counts as never.
        let key = |d: Option<u32>| d.map_or(u64::MAX, u64::from);
        match key(da).cmp(&key(db)) {
            std::cmp::Ordering::Less => self.a_first += 1,
            std::cmp::Ordering::Greater => self.b_first += 1,
            std::cmp::Ordering::Equal => {}
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
    let pairs = || -> Vec<PairTally> {
        (1..models.len())
            .map(|m| PairTally::new(models[0].horizon_days, models[m].horizon_days))
            .collect()
    };
    // One worker: a path state per scenario, the pair tallies, and the crossing days of
    // the path at hand.
    struct Worker {
        states: Vec<PathState>,
        tallies: Vec<PairTally>,
        days: Vec<Option<u32>>,
    }
    let parts = super::in_pool(config, || {
        super::for_each_path(
            config,
            progress,
            0..config.paths.div_ceil(BATCH_PATHS),
            || Worker {
                states: plans
                    .iter()
                    .map(|p| PathState::new(p, config.stepping))
                    .collect(),
                tallies: pairs(),
                days: vec![None; models.len()],
            },
            |w, path| {
                for (m, (state, plan)) in w.states.iter_mut().zip(&plans).enumerate() {
                    let seed = if independent {
                        config.seed.wrapping_add(m as u64)
                    } else {
                        config.seed
                    };
                    state.simulate(plan, seed, path);
                    if !state.is_finite(plan) {
                        return Err(EngineError::NonFinite { path });
                    }
                    w.days[m] = state.crossing()[thresholds[m]];
                }
                let g = (path % GROUPS as u64) as usize;
                for (j, t) in w.tallies.iter_mut().enumerate() {
                    t.add(g, w.days[0], w.days[j + 1]);
                }
                Ok(())
            },
        )
    })?;
    let mut total = pairs();
    for part in parts {
        for (t, p) in total.iter_mut().zip(&part.tallies) {
            t.merge(p);
        }
    }
    Ok(total)
}
