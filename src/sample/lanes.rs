//! Eight interleaved xoshiro256++ streams, laid out so that one step of all eight compiles
//! to a handful of vector instructions.
//!
//! A side's day-to-day noise on a path uses eight lanes; `noise.rs` says which lane
//! draws which day. Each lane is an ordinary xoshiro256++
//! stream (Blackman and Vigna 2018) whose state comes from SplitMix64 keyed by (seed,
//! path, stream, lane), so the numbers are a function of those alone.

use super::stream::mix64;

pub const LANES: usize = 8;

#[derive(Clone, Debug, Default)]
pub struct Lanes {
    s0: [u64; LANES],
    s1: [u64; LANES],
    s2: [u64; LANES],
    s3: [u64; LANES],
}

impl Lanes {
    pub fn new(seed: u64, path: u64, stream: u64) -> Self {
        const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;
        let key = mix64(seed ^ mix64(path.wrapping_add(mix64(stream ^ GOLDEN))));
        let mut sm = key;
        let mut next = || {
            sm = sm.wrapping_add(GOLDEN);
            mix64(sm)
        };
        let mut l = Lanes::default();
        for i in 0..LANES {
            l.s0[i] = next();
            l.s1[i] = next();
            l.s2[i] = next();
            l.s3[i] = next();
        }
        l
    }

    /// Only lane 0 seeded (the same lane 0 as `new`), for users of a single stream.
    pub fn single(seed: u64, path: u64, stream: u64) -> Self {
        let mut l = Lanes::default();
        l.reseed_single(seed, path, stream);
        l
    }

    /// `*self = Lanes::single(..)` without building and moving a whole new value.
    pub fn reseed_single(&mut self, seed: u64, path: u64, stream: u64) {
        const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;
        let key = mix64(seed ^ mix64(path.wrapping_add(mix64(stream ^ GOLDEN))));
        let w = |i: u64| mix64(key.wrapping_add(GOLDEN.wrapping_mul(i)));
        (self.s0[0], self.s1[0], self.s2[0], self.s3[0]) = (w(1), w(2), w(3), w(4));
    }

    /// One output from every lane. The same step as `next_lane`, written over whole
    /// arrays so that it compiles to vector instructions (through `next_lane` it does not:
    /// measured 1.0 s against 1.6 s for W1).
    #[inline(always)]
    #[allow(clippy::needless_range_loop)] // four parallel state arrays, one index
    pub fn step_all(&mut self) -> [u64; LANES] {
        let mut out = [0u64; LANES];
        for i in 0..LANES {
            out[i] = self.s0[i]
                .wrapping_add(self.s3[i])
                .rotate_left(23)
                .wrapping_add(self.s0[i]);
            let t = self.s1[i] << 17;
            self.s2[i] ^= self.s0[i];
            self.s3[i] ^= self.s1[i];
            self.s1[i] ^= self.s2[i];
            self.s0[i] ^= self.s3[i];
            self.s2[i] ^= t;
            self.s3[i] = self.s3[i].rotate_left(45);
        }
        out
    }

    /// Sets lane `i`'s state (for layouts other than the engine's, as in
    /// benches/alternatives.rs); the four words must not all be zero.
    pub fn set_lane(&mut self, i: usize, state: [u64; 4]) {
        debug_assert!(
            state != [0; 4],
            "an all-zero xoshiro state never leaves zero"
        );
        [self.s0[i], self.s1[i], self.s2[i], self.s3[i]] = state;
    }

    /// One output from lane `i` alone (the slow paths draw from their own lane).
    #[inline(always)]
    pub fn next_lane(&mut self, i: usize) -> u64 {
        let out = self.s0[i]
            .wrapping_add(self.s3[i])
            .rotate_left(23)
            .wrapping_add(self.s0[i]);
        let t = self.s1[i] << 17;
        self.s2[i] ^= self.s0[i];
        self.s3[i] ^= self.s1[i];
        self.s1[i] ^= self.s2[i];
        self.s0[i] ^= self.s3[i];
        self.s2[i] ^= t;
        self.s3[i] = self.s3[i].rotate_left(45);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;
    use rand_xoshiro::rand_core::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    #[test]
    fn each_lane_is_a_reference_xoshiro256plusplus_stream() {
        let mut lanes = Lanes::new(1, 2, 3);
        let mut reference: Vec<Xoshiro256PlusPlus> = (0..LANES)
            .map(|i| {
                let mut seed = [0u8; 32];
                for (w, v) in [lanes.s0[i], lanes.s1[i], lanes.s2[i], lanes.s3[i]]
                    .iter()
                    .enumerate()
                {
                    seed[w * 8..w * 8 + 8].copy_from_slice(&v.to_le_bytes());
                }
                Xoshiro256PlusPlus::from_seed(seed)
            })
            .collect();
        for _ in 0..100 {
            let got = lanes.step_all();
            for i in 0..LANES {
                assert_eq!(got[i], reference[i].next_u64());
            }
        }
        assert_eq!(lanes.next_lane(2), reference[2].next_u64());
    }
}
