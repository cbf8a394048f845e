//! Paired runs for comparing scenarios on common random numbers: path `i` of every
//! scenario is simulated with the same seed and path index, so inputs the scenarios
//! share (same key path, same range) draw the same values, and only what differs moves.
//!
//! With `Method::Reduced` the inputs come from one randomized quasi-Monte Carlo design
//! over the streams of every scenario (the baseline's first, in its own order, so that
//! its paths are `run`'s): a shared input takes the same scrambled Sobol coordinate in
//! every scenario, and the pairing holds. Path `i` is in scrambling `i % 16`, so the
//! batch-means groups (`i % 32`) pair up into the 16 independent scramblings.

use super::path::PathState;
use super::plan::Plan;
use super::{EngineError, Progress, RunConfig};
use crate::model::Model;
use crate::sample::sobol::REPLICATES;
use crate::sample::stream::Keys;
use crate::stats::DayCounts;

/// Batch-means groups for confidence intervals: path `i` belongs to group `i % GROUPS`;
/// a multiple of `REPLICATES`, so that each group lies in one scrambling.
pub const GROUPS: usize = 32;
const _: () = assert!(GROUPS.is_multiple_of(REPLICATES as usize));

/// What a paired run counted for the baseline (A) and one other scenario (B). Integer
/// counts all, so it merges exactly and serialises exactly (a shard of a comparison).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PairTally {
    pub a: DayCounts,
    pub b: DayCounts,
    pub groups_a: Vec<DayCounts>,
    pub groups_b: Vec<DayCounts>,
    /// Per group: `a_first`, `b_first` and `mass` of its paths (the errors of the shares
    /// with randomized quasi-Monte Carlo inputs, from the spread of the scramblings).
    pub groups_first: Vec<[u64; 3]>,
    /// Paths on which A crosses strictly earlier than B (not crossing counts as never).
    /// With observations, these and `mass` count the baseline's weight units.
    pub a_first: u64,
    pub b_first: u64,
    /// The units `a_first` and `b_first` are shares of: paths, or the baseline's weight
    /// units; and the squared units of the three (zero without observations).
    pub mass: u64,
    pub mass_sq: u128,
    pub a_first_sq: u128,
    pub b_first_sq: u128,
}

impl PairTally {
    fn new(ha: u32, hb: u32) -> Self {
        PairTally {
            a: DayCounts::new(ha),
            b: DayCounts::new(hb),
            groups_a: vec![DayCounts::new(ha); GROUPS],
            groups_b: vec![DayCounts::new(hb); GROUPS],
            groups_first: vec![[0; 3]; GROUPS],
            a_first: 0,
            b_first: 0,
            mass: 0,
            mass_sq: 0,
            a_first_sq: 0,
            b_first_sq: 0,
        }
    }

    /// Adds one path's crossing days of A and B, each counting its scenario's weight
    /// units (`ua`, `ub`; the baseline's squared: `ua2`); `group` is its batch-means group.
    fn add(&mut self, group: usize, (da, ua, ua2): Day, (db, ub): (Option<u32>, u64)) {
        self.a.add_units(da, ua);
        self.b.add_units(db, ub);
        self.groups_a[group].add_units(da, ua);
        self.groups_b[group].add_units(db, ub);
        self.mass += ua;
        self.mass_sq += ua2;
        let first = &mut self.groups_first[group];
        first[2] += ua;
        // Not crossing counts as never.
        let key = |d: Option<u32>| d.map_or(u64::MAX, u64::from);
        match key(da).cmp(&key(db)) {
            std::cmp::Ordering::Less => {
                self.a_first += ua;
                self.a_first_sq += ua2;
                first[0] += ua;
            }
            std::cmp::Ordering::Greater => {
                self.b_first += ua;
                self.b_first_sq += ua2;
                first[1] += ua;
            }
            std::cmp::Ordering::Equal => {}
        }
    }

    /// Whether this tally, read back from a file, is one a comparison with horizons
    /// `ha` (the baseline's) and `hb` could have made: counts of those horizons, in
    /// `GROUPS` groups that add up to the whole. Says what is wrong if not.
    pub fn check(&self, ha: u32, hb: u32) -> Result<(), String> {
        let horizon = |c: &DayCounts, h: u32| c.horizon() == h;
        if !horizon(&self.a, ha)
            || !horizon(&self.b, hb)
            || self.groups_a.len() != GROUPS
            || self.groups_b.len() != GROUPS
            || self.groups_first.len() != GROUPS
            || !self.groups_a.iter().all(|c| horizon(c, ha))
            || !self.groups_b.iter().all(|c| horizon(c, hb))
        {
            return Err("its counts are not of the scenarios' horizons".into());
        }
        let sum = |groups: &[DayCounts]| {
            let mut total = groups[0].clone();
            for g in &groups[1..] {
                total.merge(g);
            }
            total
        };
        let first = self.groups_first.iter().try_fold([0u64; 3], |acc, g| {
            Some([
                acc[0].checked_add(g[0])?,
                acc[1].checked_add(g[1])?,
                acc[2].checked_add(g[2])?,
            ])
        });
        if sum(&self.groups_a) != self.a
            || sum(&self.groups_b) != self.b
            || first != Some([self.a_first, self.b_first, self.mass])
        {
            return Err("its batch-means groups do not add up to its counts".into());
        }
        if self
            .a_first
            .checked_add(self.b_first)
            .is_none_or(|s| s > self.mass)
        {
            return Err("it counts more paths crossing first than it holds".into());
        }
        Ok(())
    }

    /// Adds another tally of other paths of the same comparison.
    pub fn merge(&mut self, o: &PairTally) {
        self.a.merge(&o.a);
        self.b.merge(&o.b);
        for (x, y) in self.groups_a.iter_mut().zip(&o.groups_a) {
            x.merge(y);
        }
        for (x, y) in self.groups_b.iter_mut().zip(&o.groups_b) {
            x.merge(y);
        }
        for (x, y) in self.groups_first.iter_mut().zip(&o.groups_first) {
            for (a, b) in x.iter_mut().zip(y) {
                *a += b;
            }
        }
        self.a_first += o.a_first;
        self.b_first += o.b_first;
        self.mass += o.mass;
        self.mass_sq += o.mass_sq;
        self.a_first_sq += o.a_first_sq;
        self.b_first_sq += o.b_first_sq;
    }
}

/// A path's crossing day in one scenario, with its weight units and their square.
type Day = (Option<u32>, u64, u128);

/// Runs `models[0]` (the baseline) and each other model on the same paths, pairing the
/// crossing days of threshold `thresholds[m]` of model `m`. With `independent`, model
/// `m` uses seed `seed + m` instead: no common random numbers (for comparison), each
/// with its own design under `Method::Reduced`.
pub fn compare(
    models: &[&Model],
    thresholds: &[usize],
    config: &RunConfig,
    independent: bool,
    progress: &dyn Progress,
) -> Result<Vec<PairTally>, EngineError> {
    compare_range(
        models,
        thresholds,
        config,
        independent,
        0..config.paths,
        progress,
    )
}

/// `compare` over the paths `paths` only: a shard of the comparison. The tallies of
/// ranges that cover `0..config.paths`, merged in any order, are `compare`'s to the byte.
pub fn compare_range(
    models: &[&Model],
    thresholds: &[usize],
    config: &RunConfig,
    independent: bool,
    paths: std::ops::Range<u64>,
    progress: &dyn Progress,
) -> Result<Vec<PairTally>, EngineError> {
    if config.paths == 0
        || config.paths > crate::model::MAX_PATHS
        || paths.start >= paths.end
        || paths.end > config.paths
    {
        return Err(EngineError::Paths(config.paths));
    }
    let plans: Vec<Plan> = models.iter().map(|m| Plan::new(m)).collect();
    let keys = keys(&plans, config, independent);
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
        days: Vec<Day>,
    }
    let parts = super::in_pool(config, || {
        super::for_each_path_in(
            progress,
            paths,
            || Worker {
                states: plans
                    .iter()
                    .map(|p| PathState::new(p, config.stepping))
                    .collect(),
                tallies: pairs(),
                days: vec![(None, 1, 1); models.len()],
            },
            |w, path| {
                for (m, (state, plan)) in w.states.iter_mut().zip(&plans).enumerate() {
                    state.simulate_keyed(plan, &keys[m], path);
                    super::checked(state, plan, path)?;
                    // A scenario with observations counts its own weight.
                    let u = if plan.model.observations.is_empty() {
                        1
                    } else {
                        state.units()
                    };
                    let u2 = super::weights::square(u);
                    w.days[m] = (state.crossing()[thresholds[m]], u, u2);
                }
                let g = (path % GROUPS as u64) as usize;
                for (j, t) in w.tallies.iter_mut().enumerate() {
                    let (db, ub, _) = w.days[j + 1];
                    t.add(g, w.days[0], (db, ub));
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

/// Each model's streams. On common random numbers, one set of keys for all: with
/// `Method::Reduced`, a design over the Sobol streams of every plan, the baseline's first
/// in its own order (its dimensions, and so its paths, are those of its own run), then
/// each other plan's new ones. Independent runs key each model from `seed + m`, with its
/// own design.
fn keys(plans: &[Plan], config: &RunConfig, independent: bool) -> Vec<Keys> {
    if independent {
        return plans
            .iter()
            .enumerate()
            .map(|(m, p)| p.keys(config.seed.wrapping_add(m as u64), config.method))
            .collect();
    }
    let mut streams: Vec<u64> = Vec::new();
    for s in plans.iter().flat_map(|p| &p.sobol) {
        if !streams.contains(s) {
            streams.push(*s);
        }
    }
    vec![super::plan::keys_over(config.seed, config.method, &streams); plans.len()]
}
