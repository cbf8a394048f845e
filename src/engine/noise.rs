//! A path's day-to-day noise: each side's eight-lane stream and its current block of
//! `BLOCK` daily multipliers, and the shared shock's stream and block when sides are
//! correlated. Day `d`'s multiplier is fixed by (seed, path, side, d): blocks start on
//! multiples of `BLOCK`, whatever the chunking of the steppers.

use super::plan::Plan;
use crate::sample::lanes::Lanes;
use crate::sample::noise::{NoiseSampler, BLOCK};
use crate::sample::stream::Keys;

/// Noise streams and blocks of one path (reused across paths).
pub(super) struct DayNoise {
    sampler: NoiseSampler,
    /// Per side.
    lanes: Vec<Lanes>,
    blocks: Vec<[f64; BLOCK]>,
    /// The shared shock's stream and block (shock correlation only).
    common: Lanes,
    common_block: [f64; BLOCK],
}

impl DayNoise {
    pub(super) fn new(plan: &Plan) -> Self {
        let s = plan.model.sides.len();
        DayNoise {
            sampler: NoiseSampler::new(plan.model.noise),
            lanes: vec![Lanes::default(); s],
            blocks: vec![[0.0; BLOCK]; s],
            common: Lanes::default(),
            common_block: [0.0; BLOCK],
        }
    }

    /// Seeds the streams of path `path` from `keys`. With `lane_zero_only`
    /// only each side's lane 0 is seeded: the gamma jumps draw from it alone, and seeding
    /// one lane is an eighth of the work.
    pub(super) fn seed(&mut self, plan: &Plan, keys: &Keys, path: u64, lane_zero_only: bool) {
        for (lanes, ids) in self.lanes.iter_mut().zip(&plan.streams) {
            if lane_zero_only {
                lanes.reseed_lane(0, keys.seed_of(ids.noise), path, ids.noise);
            } else {
                *lanes = Lanes::new(keys.seed_of(ids.noise), path, ids.noise);
            }
        }
        if plan.model.shock_correlation > 0.0 {
            self.common = Lanes::new(keys.seed_of(plan.common_noise), path, plan.common_noise);
        }
    }

    /// Before stepping from `day`: the next `BLOCK` days of every side's multipliers when
    /// `day` starts a block.
    #[inline]
    pub(super) fn advance(&mut self, plan: &Plan, day: u32) {
        if (day as usize).is_multiple_of(BLOCK) {
            self.fill(plan);
        }
    }

    fn fill(&mut self, plan: &Plan) {
        let rho = plan.model.shock_correlation;
        if rho > 0.0 {
            self.sampler
                .fill_common(&mut self.common, rho, &mut self.common_block);
            for (lanes, block) in self.lanes.iter_mut().zip(self.blocks.iter_mut()) {
                self.sampler
                    .fill_shared(lanes, rho, &self.common_block, block);
            }
        } else {
            for (lanes, block) in self.lanes.iter_mut().zip(self.blocks.iter_mut()) {
                self.sampler.fill(lanes, block);
            }
        }
    }

    /// Side `side`'s multipliers of the current block.
    #[inline]
    pub(super) fn block(&self, side: usize) -> &[f64; BLOCK] {
        &self.blocks[side]
    }

    /// Side `side`'s multipliers summed over days `o..o + n` of the current block.
    #[inline]
    pub(super) fn sum(&self, side: usize, o: usize, n: usize) -> f64 {
        sum(&self.blocks[side][o..o + n])
    }

    /// The next raw draw of lane 0 of side `side` (the jumps' gamma and Beta draws).
    #[inline]
    pub(super) fn next_raw(&mut self, side: usize) -> u64 {
        self.lanes[side].next_lane(0)
    }
}

/// Sum of a chunk's multipliers in a fixed order: pairwise for a whole block of 32
/// (eight independent partial sums, so the additions overlap), in sequence otherwise.
#[inline]
fn sum(m: &[f64]) -> f64 {
    if m.len() == BLOCK {
        let mut acc = [0.0; 8];
        for c in m.chunks_exact(8) {
            for (a, x) in acc.iter_mut().zip(c) {
                *a += x;
            }
        }
        ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))
    } else {
        m.iter().sum()
    }
}
