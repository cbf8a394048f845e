//! Random streams as pure functions of (seed, path index, stream id).
//!
//! Every path owns its streams, so a path's numbers do not depend on which thread ran it,
//! how paths were batched, or how many paths ran before it. Stream ids are hashes of an
//! input's name (`sides.russia.rate_per_day`), so two scenarios that share an input draw
//! the same value for it on the same path: common random numbers come for free.

use rand_xoshiro::rand_core::SeedableRng;
pub use rand_xoshiro::Xoshiro256PlusPlus as PathRng;

/// Name of the generator, recorded in every output.
pub const PRNG_NAME: &str =
    "xoshiro256++ (rand_xoshiro 0.8), one stream per (seed, path, input) keyed through SplitMix64";

/// SplitMix64's output function (Steele, Lea and Flood 2014): a bijective 64-bit mixer.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// SplitMix64's increment (the golden ratio in 64 bits).
const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;

/// The key of stream `stream` on path `path` of a run with seed `seed`: every stream's
/// numbers are expanded from it.
#[inline]
pub fn stream_key(seed: u64, path: u64, stream: u64) -> u64 {
    mix64(seed ^ mix64(path.wrapping_add(mix64(stream ^ GOLDEN))))
}

/// Word `j` (from 1) of SplitMix64 started at `key`: a counter-based expansion, so any
/// word can be had without the ones before it.
#[inline]
pub fn key_word(key: u64, j: u64) -> u64 {
    mix64(key.wrapping_add(GOLDEN.wrapping_mul(j)))
}

/// The stream for one input (or one noise source) on one path.
#[inline]
pub fn stream_rng(seed: u64, path: u64, stream: u64) -> PathRng {
    let key = stream_key(seed, path, stream);
    // Expand the key with SplitMix64 into the 256-bit state, as xoshiro's authors advise.
    let mut state = [0u8; 32];
    for (j, chunk) in (1..).zip(state.chunks_exact_mut(8)) {
        chunk.copy_from_slice(&key_word(key, j).to_le_bytes());
    }
    PathRng::from_seed(state)
}

/// One uniform in (0, 1) as a pure function of (seed, path, stream): a counter-based
/// draw for inputs that need a single number (drawn by inversion).
#[inline]
pub fn keyed_unit(seed: u64, path: u64, stream: u64) -> f64 {
    let bits = key_word(stream_key(seed, path, stream), 1);
    ((bits >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

/// A stable 64-bit id for a named stream (FNV-1a), independent of platform and release.
pub const fn stream_id(name: &str) -> u64 {
    let bytes = name.as_bytes();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn streams_are_pinned() {
        // Value stability: changing the derivation changes every published result, so it
        // must show up here as a reviewed diff. The values were printed by this code;
        // two are checked against their published definitions.
        // SplitMix64 seeded with 0 first returns 0xe220a8397b1dcdaf (Vigna's reference
        // splitmix64.c); FNV-1a of "a" is 0xaf63dc4c8601ec8c (the FNV test vectors).
        assert_eq!(key_word(0, 1), 0xe220_a839_7b1d_cdaf);
        assert_eq!(stream_id("a"), 0xaf63_dc4c_8601_ec8c);
        let id = stream_id("noise.russia");
        assert_eq!(id, PINNED_ID);
        assert_eq!(stream_key(1, 0, id), PINNED_KEY);
        let mut r = stream_rng(1, 0, id);
        let words: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
        assert_eq!(words, PINNED_WORDS);
        assert_eq!(keyed_unit(20260127, 7, id).to_bits(), PINNED_UNIT);
    }

    const PINNED_ID: u64 = 0x8c25_28e8_e60b_45c4;
    const PINNED_KEY: u64 = 0x056a_555f_55bb_a2d6;
    const PINNED_WORDS: [u64; 3] = [
        0x61f5_0ade_65b9_3eea,
        0x0f29_84c2_dff1_fc1c,
        0x90d7_b081_c409_fb87,
    ];
    const PINNED_UNIT: u64 = 0x3fe1_b002_1656_f562;

    #[test]
    fn neighbouring_keys_give_unrelated_streams() {
        let a = stream_rng(1, 0, 0).next_u64();
        let b = stream_rng(1, 1, 0).next_u64();
        let c = stream_rng(2, 0, 0).next_u64();
        let d = stream_rng(1, 0, 1).next_u64();
        let all = [a, b, c, d];
        for i in 0..4 {
            for j in (i + 1)..4 {
                assert_ne!(all[i], all[j]);
                // Unrelated 64-bit words differ in about 32 bits.
                assert!((all[i] ^ all[j]).count_ones() > 12);
            }
        }
    }
}
