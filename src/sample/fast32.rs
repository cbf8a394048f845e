//! Single-precision pieces of the lognormal noise: a 32-bit ziggurat normal and an
//! IEEE-only `exp` in `f32`, so that one AVX-512 vector holds sixteen draws and one
//! 64-bit random word feeds two of them.
//!
//! Error bound (what "f32 where its error is provably negligible" means here):
//! - The normal: layer `i` (low 8 bits) and `u` in [-1, 1) on a grid of 2^-22 (top 23
//!   bits); the tables are the f64 tables rounded to f32 (relative 6e-8), and the rare
//!   draws outside the rectangles finish on the exact f64 wedge and tail tests. So a draw
//!   is standard normal up to a CDF error of order 1e-7 (the grid and the table rounding),
//!   and tails are exact.
//! - `exp32` is within 3e-7 relative of `exp` on [-87, 88] (tested).
//! - A daily multiplier therefore has the lognormal law up to about 1e-6 in CDF (the
//!   Kolmogorov distance), four orders of magnitude below the Monte Carlo error of a
//!   million paths, and the stocks are summed in f64.
//! - With a shared shock the log multiplier is `sigma (sqrt(rho) Zc + sqrt(1 - rho) Z)`
//!   (`noise.rs`), both normals from here: the Kolmogorov distance of a sum of independent
//!   draws is at most the sum of theirs, so its normal part is within about 2e-7 and the
//!   multiplier within the same 1e-6 (the weights rounded to f32 move the variance by
//!   1e-7 relative).

use super::lanes::{Lanes, LANES};
use super::ziggurat::{in_wedge, tables, tail, Tables};
use std::sync::OnceLock;

/// The ziggurat layer edges rounded to f32.
pub struct Tables32 {
    pub x: [f32; 257],
}

pub fn tables32(t: &Tables) -> &'static Tables32 {
    static T: OnceLock<Tables32> = OnceLock::new();
    T.get_or_init(|| Tables32 {
        x: t.x.map(|v| v as f32),
    })
}

/// `u` in [-1, 1) from the top 23 bits of a 32-bit word, by building a float in [2, 4).
#[inline(always)]
pub fn signed_unit32(bits: u32) -> f32 {
    f32::from_bits((bits >> 9) | 0x4000_0000) - 3.0
}

/// The fast path for one 32-bit word: the candidate and whether it is accepted.
#[inline(always)]
pub fn fast32(t: &Tables32, bits: u32) -> (f32, bool) {
    let i = (bits & 0xff) as usize;
    let x = signed_unit32(bits) * t.x[i];
    (x, x.abs() < t.x[i + 1])
}

/// Finishes a draw whose fast path was rejected, exactly as the f64 ziggurat does
/// (wedge and tail tests in f64), taking fresh 64-bit words from `next` (their low 32
/// bits when a new candidate is needed).
pub fn slow32(t: &Tables, t32: &Tables32, mut bits: u32, mut next: impl FnMut() -> u64) -> f32 {
    loop {
        let i = (bits & 0xff) as usize;
        let u = signed_unit32(bits);
        let x = u * t32.x[i];
        if x.abs() < t32.x[i + 1] {
            return x;
        }
        if i == 0 {
            let z = tail(&mut next) as f32;
            return if u < 0.0 { -z } else { z };
        }
        if in_wedge(t, i, x as f64, &mut next) {
            return x;
        }
        bits = next() as u32;
    }
}

/// Standard normals from `N <= 32` words of random bits: the branch-free fast path over
/// all of them (it vectorises), then the exact slow path for the few rejected, word `k`
/// drawing its fresh words from lane `k % LANES`.
#[inline(always)]
pub fn normals32<const N: usize>(bits: &[u32; N], lanes: &mut Lanes) -> [f32; N] {
    const { assert!(N <= 32, "the rejection mask holds 32 words") };
    let t = tables();
    let t32 = tables32(t);
    let mut z = [0.0f32; N];
    let mut rejected = 0u32;
    for k in 0..N {
        let (x, ok) = fast32(t32, bits[k]);
        z[k] = x;
        rejected |= u32::from(!ok) << k;
    }
    while rejected != 0 {
        let k = rejected.trailing_zeros() as usize;
        rejected &= rejected - 1;
        z[k] = slow32(t, t32, bits[k], || lanes.next_lane(k % LANES));
    }
    z
}

const LOG2E: f32 = std::f32::consts::LOG2_E;
/// ln 2 split so that `k * LN2_HI` is exact for |k| < 2^9 (Cephes' values).
const LN2_HI: f32 = 0.693_145_75;
const LN2_LO: f32 = 1.428_606_8e-6;
/// 1.5 * 2^23: adding it rounds to an integer left in the low mantissa bits.
const SHIFTER: f32 = 12_582_912.0;

/// `exp(x)` in f32 for `x` in [-87, 88] (clamped there): `2^k exp(r)`, `|r| <= ln 2 / 2`,
/// Taylor polynomial of degree 7 (truncation below 5e-9) by Estrin's scheme, with fused
/// multiply-adds only (correctly rounded, so the same bits on every CPU).
#[inline(always)]
pub fn exp32(x: f32) -> f32 {
    let x = x.clamp(-87.0, 88.0);
    let t = x.mul_add(LOG2E, SHIFTER);
    let k = t - SHIFTER;
    let r = (-k).mul_add(LN2_LO, (-k).mul_add(LN2_HI, x));
    let r2 = r * r;
    let r4 = r2 * r2;
    let q0 = r.mul_add(1.0, 1.0);
    let q1 = r.mul_add(1.0 / 6.0, 1.0 / 2.0);
    let q2 = r.mul_add(1.0 / 120.0, 1.0 / 24.0);
    let q3 = r.mul_add(1.0 / 5_040.0, 1.0 / 720.0);
    let s0 = r2.mul_add(q1, q0);
    let s1 = r2.mul_add(q3, q2);
    let p = r4.mul_add(s1, s0);
    let ki = t.to_bits().wrapping_sub(SHIFTER.to_bits());
    let scale = f32::from_bits(ki.wrapping_add(127) << 23);
    p * scale
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::stream::stream_rng;
    use crate::sample::testutil::ks_statistic;
    use crate::sample::ziggurat::{tables, R};
    use rand::Rng;
    use statrs::distribution::{ContinuousCDF, Normal};

    #[test]
    fn exp32_is_within_3e7_of_exp() {
        let mut worst: f64 = 0.0;
        let mut x = -87.0f32;
        while x < 88.0 {
            let want = (x as f64).exp();
            worst = worst.max(((exp32(x) as f64 - want) / want).abs());
            x += 0.000_37;
        }
        assert!(worst < 3e-7, "worst relative error {worst:e}");
        assert_eq!(exp32(0.0), 1.0);
    }

    /// KS against the exact normal: n = 1,000,000, critical value 0.00195 at alpha =
    /// 0.001 (power: a 0.5% scale error moves the CDF by 0.0024 near |z| = 1); the tail
    /// beyond R holds its share 2.58e-4 (about 258 draws).
    #[test]
    fn the_32_bit_ziggurat_draws_standard_normals() {
        let (t, n) = (tables(), 1_000_000);
        let t32 = tables32(t);
        let mut rng = stream_rng(5, 2, 7);
        let v: Vec<f64> = (0..n)
            .map(|_| {
                let bits = rng.next_u64() as u32;
                match fast32(t32, bits) {
                    (x, true) => x as f64,
                    _ => slow32(t, t32, bits, || rng.next_u64()) as f64,
                }
            })
            .collect();
        let exact = Normal::standard();
        assert!(ks_statistic(v.clone(), |x| exact.cdf(x)) < 0.00195);
        let tail = v.iter().filter(|x| x.abs() > R).count();
        assert!((180..340).contains(&tail), "{tail} tail draws");
    }
}
