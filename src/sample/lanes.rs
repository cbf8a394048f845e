//! Eight interleaved xoshiro256++ streams, laid out so that one step of all eight compiles
//! to a handful of vector instructions.
//!
//! A side's day-to-day noise on a path uses eight lanes; `noise.rs` says which lane
//! draws which day. Each lane is an ordinary xoshiro256++
//! stream (Blackman and Vigna 2018) whose state comes from SplitMix64 keyed by (seed,
//! path, stream, lane), so the numbers are a function of those alone.

use super::stream::{key_word, stream_key};

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
        let key = stream_key(seed, path, stream);
        let mut l = Lanes::default();
        for i in 0..LANES {
            l.seed_lane(i, key);
        }
        l
    }

    /// Seeds lane `i` alone, exactly as `new` seeds it, leaving the others as they are:
    /// for users of fewer streams (the gamma jumps draw from lane 0 only; the lockstep
    /// layout in benches/alternatives.rs gives each path one lane).
    pub fn reseed_lane(&mut self, i: usize, seed: u64, path: u64, stream: u64) {
        self.seed_lane(i, stream_key(seed, path, stream));
    }

    /// Lane `i`'s state: SplitMix64 words `4i + 1 ..= 4i + 4` of the stream's key.
    #[inline]
    fn seed_lane(&mut self, i: usize, key: u64) {
        let j = 4 * i as u64;
        (self.s0[i], self.s1[i], self.s2[i], self.s3[i]) = (
            key_word(key, j + 1),
            key_word(key, j + 2),
            key_word(key, j + 3),
            key_word(key, j + 4),
        );
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

    #[test]
    fn a_lane_reseeded_alone_is_that_lane_of_new() {
        let whole = Lanes::new(4, 5, 6);
        for i in 0..LANES {
            let mut one = Lanes::default();
            one.reseed_lane(i, 4, 5, 6);
            let (mut a, mut b) = (whole.clone(), one);
            for _ in 0..10 {
                assert_eq!(a.next_lane(i), b.next_lane(i));
            }
        }
    }
}
