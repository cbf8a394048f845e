//! Day-to-day noise: the mean-one multiplier on a side's rate, drawn a block of days at a
//! time from a side's eight-lane stream (`lanes.rs`), so the common case vectorises.
//! Lognormal noise, shared shocks too, is drawn in single precision (`fast32.rs`, with its
//! error bound).

use super::fast32::{exp32, normals32};
use super::gamma::gamma;
use super::lanes::{Lanes, LANES};
use crate::model::Noise;

/// Days drawn per fill: four per lane. Day `d` (1-based) is entry `(d - 1) % BLOCK` of the
/// `(d - 1) / BLOCK`-th fill, whatever the rest of the path does; entry `k` of a fill is
/// drawn by lane `k % LANES` (lognormal: from the low, then the high 32 bits of a word).
pub const BLOCK: usize = 32;

/// A ready-to-draw form of a `Noise` model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NoiseSampler {
    None,
    /// `exp(sigma Z + shift)` with `shift = -sigma^2 / 2`, so that the mean is one.
    LogNormal {
        sigma: f64,
        shift: f64,
    },
    /// `Gamma(shape, 1) / shape`: mean one, coefficient of variation `1 / sqrt(shape)`.
    Gamma {
        shape: f64,
    },
}

impl NoiseSampler {
    pub fn new(noise: Noise) -> Self {
        match noise {
            Noise::None => NoiseSampler::None,
            Noise::LogNormal { sigma } => NoiseSampler::LogNormal {
                sigma,
                shift: -0.5 * sigma * sigma,
            },
            Noise::Gamma { shape } => NoiseSampler::Gamma { shape },
        }
    }

    /// The multipliers of the next `BLOCK` days.
    #[inline]
    pub fn fill(&self, lanes: &mut Lanes, out: &mut [f64; BLOCK]) {
        match *self {
            NoiseSampler::None => *out = [1.0; BLOCK],
            NoiseSampler::LogNormal { sigma, shift } => {
                fill_lognormal(lanes, Kernel::own(sigma, shift), out)
            }
            NoiseSampler::Gamma { shape } => {
                for (k, m) in out.iter_mut().enumerate() {
                    *m = gamma(shape, || lanes.next_lane(k % LANES)) / shape;
                }
            }
        }
    }
}

impl NoiseSampler {
    /// The shared shock's block for a shock correlation `rho` in (0, 1): standard normals
    /// (lognormal noise: the single-precision ziggurat's, held exactly in f64),
    /// Gamma(rho k, 1) draws (gamma noise).
    pub fn fill_common(&self, lanes: &mut Lanes, rho: f64, out: &mut [f64; BLOCK]) {
        match *self {
            NoiseSampler::None => *out = [0.0; BLOCK],
            NoiseSampler::LogNormal { .. } => fill_lognormal(lanes, Kernel::Normals, out),
            NoiseSampler::Gamma { shape } => {
                for (k, g) in out.iter_mut().enumerate() {
                    *g = gamma(rho * shape, || lanes.next_lane(k % LANES));
                }
            }
        }
    }

    /// One side's multipliers sharing the `common` block: still mean one with the same
    /// law as `fill`, and correlation `rho` between sides (of the log multipliers for
    /// lognormal noise, `sqrt(rho) Zc + sqrt(1 - rho) Z`; of the multipliers for gamma
    /// noise, `(Gc + G) / k` with `Gc ~ Gamma(rho k)`, `G ~ Gamma((1 - rho) k)`).
    ///
    /// A lognormal side's own normals `Z` are the ones `fill` draws from the same lanes
    /// (the same words, in the same order), so a run with shared shocks keeps each side's
    /// own day-to-day draws of the run without them.
    pub fn fill_shared(
        &self,
        lanes: &mut Lanes,
        rho: f64,
        common: &[f64; BLOCK],
        out: &mut [f64; BLOCK],
    ) {
        match *self {
            NoiseSampler::None => *out = [1.0; BLOCK],
            NoiseSampler::LogNormal { sigma, shift } => {
                fill_lognormal(lanes, Kernel::shared(sigma, shift, rho, common), out)
            }
            NoiseSampler::Gamma { shape } => {
                for (k, m) in out.iter_mut().enumerate() {
                    let g = gamma((1.0 - rho) * shape, || lanes.next_lane(k % LANES));
                    *m = (common[k] + g) / shape;
                }
            }
        }
    }
}

/// What a lognormal block makes of its standard normals `z` (single precision; the error
/// bound is in `fast32.rs`).
#[derive(Clone, Copy, Debug)]
enum Kernel<'a> {
    /// `exp(sigma z + shift)`: a side's own multipliers.
    Own { sigma: f32, shift: f32 },
    /// `exp(sc zc + s z + shift)` with `sc = sigma sqrt(rho)`, `s = sigma sqrt(1 - rho)`
    /// and `zc` the shared block's normals: a side's multipliers with a shared shock.
    Shared {
        sc: f32,
        s: f32,
        shift: f32,
        common: &'a [f64; BLOCK],
    },
    /// `z` itself: the shared shock's normals.
    Normals,
}

impl<'a> Kernel<'a> {
    fn own(sigma: f64, shift: f64) -> Self {
        Kernel::Own {
            sigma: sigma as f32,
            shift: shift as f32,
        }
    }

    fn shared(sigma: f64, shift: f64, rho: f64, common: &'a [f64; BLOCK]) -> Self {
        Kernel::Shared {
            sc: (sigma * rho.sqrt()) as f32,
            s: (sigma * (1.0 - rho).sqrt()) as f32,
            shift: shift as f32,
            common,
        }
    }
}

#[inline]
fn fill_lognormal(lanes: &mut Lanes, kernel: Kernel, out: &mut [f64; BLOCK]) {
    #[cfg(target_arch = "x86_64")]
    {
        let fma = std::arch::is_x86_feature_detected!("fma");
        if fma && std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU supports AVX-512F and FMA, checked just above.
            return unsafe { fill_lognormal_avx512(lanes, kernel, out) };
        }
        if fma && std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2 and FMA, checked just above.
            return unsafe { fill_lognormal_avx2(lanes, kernel, out) };
        }
    }
    fill_lognormal_portable(lanes, kernel, out)
}

/// The same code compiled for AVX2 with FMA (and below, AVX-512). It uses only correctly
/// rounded operations (`mul_add` is one rounding everywhere), so the results are
/// bit-identical to the portable build, where `mul_add` calls the libm `fma`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn fill_lognormal_avx2(lanes: &mut Lanes, kernel: Kernel, out: &mut [f64; BLOCK]) {
    fill_lognormal_portable(lanes, kernel, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,fma")]
unsafe fn fill_lognormal_avx512(lanes: &mut Lanes, kernel: Kernel, out: &mut [f64; BLOCK]) {
    fill_lognormal_portable(lanes, kernel, out)
}

/// The 32-bit words of one block: two steps of the eight lanes, each step's low halves
/// (days `16 j .. 16 j + 8`) then its high halves.
#[inline(always)]
pub fn block_bits(lanes: &mut Lanes) -> [u32; BLOCK] {
    let mut bits = [0u32; BLOCK];
    for j in 0..BLOCK / (2 * LANES) {
        let b = lanes.step_all();
        for l in 0..LANES {
            bits[j * 2 * LANES + l] = b[l] as u32;
            bits[j * 2 * LANES + LANES + l] = (b[l] >> 32) as u32;
        }
    }
    bits
}

#[inline(always)]
fn fill_lognormal_portable(lanes: &mut Lanes, kernel: Kernel, out: &mut [f64; BLOCK]) {
    // Single precision (error bound in fast32.rs): each 64-bit word gives two draws, and
    // a vector holds twice as many.
    let bits = block_bits(lanes);
    let z = normals32(&bits, lanes);
    match kernel {
        Kernel::Own { sigma, shift } => {
            for k in 0..BLOCK {
                out[k] = f64::from(exp32(sigma.mul_add(z[k], shift)));
            }
        }
        Kernel::Shared {
            sc,
            s,
            shift,
            common,
        } => {
            // `common` holds f32 normals, so the conversion back is exact.
            for k in 0..BLOCK {
                let x = sc.mul_add(common[k] as f32, s.mul_add(z[k], shift));
                out[k] = f64::from(exp32(x));
            }
        }
        Kernel::Normals => {
            for k in 0..BLOCK {
                out[k] = f64::from(z[k]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::testutil::ks_statistic;
    use statrs::distribution::{ContinuousCDF, Gamma as GammaDist, LogNormal};

    /// Kolmogorov-Smirnov statistic of `n` daily multipliers against `cdf`.
    fn ks(sampler: NoiseSampler, n: usize, cdf: impl Fn(f64) -> f64) -> f64 {
        let mut lanes = Lanes::new(42, 0, 1);
        let mut v = Vec::with_capacity(n);
        let mut block = [0.0; BLOCK];
        while v.len() < n {
            sampler.fill(&mut lanes, &mut block);
            v.extend_from_slice(&block);
        }
        ks_statistic(v, cdf)
    }

    // n = 1,000,000 draws (a multiple of BLOCK); the KS critical value at alpha = 0.001
    // is 1.9495 / sqrt(n) = 0.00195. Power: a mean off by 0.5% (sigma 0.3) shifts the CDF
    // by about 0.0066 near the median, over three times the critical value.
    const N: usize = 1_000_000;
    const CRIT: f64 = 0.001_95;

    #[test]
    fn lognormal_noise_is_the_stated_mean_one_lognormal() {
        for sigma in [0.05, 0.3, 1.5] {
            let s = NoiseSampler::new(Noise::LogNormal { sigma });
            let exact = LogNormal::new(-0.5 * sigma * sigma, sigma).unwrap();
            let d = ks(s, N, |x| exact.cdf(x));
            assert!(d < CRIT, "sigma {sigma}: KS {d}");
        }
    }

    #[test]
    fn gamma_noise_is_the_stated_mean_one_gamma() {
        let k = 1.0 / (0.09f64).exp_m1();
        let s = NoiseSampler::new(Noise::Gamma { shape: k });
        let exact = GammaDist::new(k, k).unwrap(); // statrs: shape, rate
        assert!(ks(s, N / 4, |x| exact.cdf(x)) < 1.9495 / ((N / 4) as f64).sqrt());
    }

    #[test]
    fn every_build_gives_the_same_bits() {
        let mut a = Lanes::new(5, 6, 7);
        let mut b = a.clone();
        let mut c = a.clone();
        let (mut x, mut y, mut z) = ([0.0; BLOCK], [0.0; BLOCK], [0.0; BLOCK]);
        let common: [f64; BLOCK] = std::array::from_fn(|k| k as f64 / 8.0 - 2.0);
        let kernels = [
            Kernel::own(0.3, -0.045),
            Kernel::shared(0.3, -0.045, 0.6, &common),
            Kernel::Normals,
        ];
        for i in 0..10_000 {
            let kernel = kernels[i % kernels.len()];
            fill_lognormal(&mut a, kernel, &mut x);
            fill_lognormal_portable(&mut b, kernel, &mut y);
            assert_eq!(x.map(f64::to_bits), y.map(f64::to_bits));
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("fma")
            {
                // SAFETY: checked just above.
                unsafe { fill_lognormal_avx2(&mut c, kernel, &mut z) };
                assert_eq!(z.map(f64::to_bits), y.map(f64::to_bits));
            }
        }
    }

    #[test]
    fn shared_lognormal_shocks_keep_each_sides_own_draws() {
        // With a shared shock a side's own normals are those of the run without one: the
        // same words of its lanes, in the same order, and no word more.
        let (sigma, rho) = (0.3, 0.6);
        let shift = -0.5 * sigma * sigma;
        let s = NoiseSampler::new(Noise::LogNormal { sigma });
        let mut common = Lanes::new(9, 0, 100);
        let (mut own, mut shared) = (Lanes::new(9, 0, 1), Lanes::new(9, 0, 1));
        let (mut c, mut x, mut y) = ([0.0; BLOCK], [0.0; BLOCK], [0.0; BLOCK]);
        for _ in 0..2_000 {
            s.fill_common(&mut common, rho, &mut c);
            s.fill(&mut own, &mut x);
            s.fill_shared(&mut shared, rho, &c, &mut y);
            for k in 0..BLOCK {
                let z = (x[k].ln() - shift) / sigma;
                let want = sigma * (rho.sqrt() * c[k] + (1.0 - rho).sqrt() * z) + shift;
                // exp32 is within 3e-7 relative: a few 1e-7 in the logarithms.
                assert!((y[k].ln() - want).abs() < 2e-6, "{} vs {want}", y[k].ln());
            }
        }
        assert_eq!(own.step_all(), shared.step_all());
    }

    /// Two sides' multipliers drawn with a shared shock of correlation `rho`.
    fn shared_pairs(sampler: NoiseSampler, rho: f64, blocks: usize) -> (Vec<f64>, Vec<f64>) {
        let mut common = Lanes::new(9, 0, 100);
        let (mut a, mut b) = (Lanes::new(9, 0, 1), Lanes::new(9, 0, 2));
        let (mut c, mut x, mut y) = ([0.0; BLOCK], [0.0; BLOCK], [0.0; BLOCK]);
        let (mut va, mut vb) = (Vec::new(), Vec::new());
        for _ in 0..blocks {
            sampler.fill_common(&mut common, rho, &mut c);
            sampler.fill_shared(&mut a, rho, &c, &mut x);
            sampler.fill_shared(&mut b, rho, &c, &mut y);
            va.extend_from_slice(&x);
            vb.extend_from_slice(&y);
        }
        (va, vb)
    }

    fn pearson(x: &[f64], y: &[f64]) -> f64 {
        let n = x.len() as f64;
        let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
        let cov: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
        let vx: f64 = x.iter().map(|a| (a - mx) * (a - mx)).sum();
        let vy: f64 = y.iter().map(|b| (b - my) * (b - my)).sum();
        cov / (vx * vy).sqrt()
    }

    #[test]
    fn shared_shocks_keep_the_marginal_law_and_give_the_stated_correlation() {
        // 250,016 days: each side's multipliers still pass KS against the stated law
        // (critical value 1.9495 / sqrt(n) = 0.0039), and the correlation (of the logs for
        // lognormal noise, of the multipliers for gamma) is rho within 5 SE, the SE of a
        // correlation being about (1 - rho^2) / sqrt(n) = 0.0015.
        let blocks = 7813;
        let n = (blocks * BLOCK) as f64;
        let crit = 1.9495 / n.sqrt();
        let sigma = 0.3;
        let rho = 0.6;
        let s = NoiseSampler::new(Noise::LogNormal { sigma });
        let (x, y) = shared_pairs(s, rho, blocks);
        let exact = LogNormal::new(-0.5 * sigma * sigma, sigma).unwrap();
        assert!(ks_statistic(x.clone(), |v| exact.cdf(v)) < crit);
        assert!(ks_statistic(y.clone(), |v| exact.cdf(v)) < crit);
        let lx: Vec<f64> = x.iter().map(|v| v.ln()).collect();
        let ly: Vec<f64> = y.iter().map(|v| v.ln()).collect();
        let r = pearson(&lx, &ly);
        assert!(
            (r - rho).abs() < 5.0 * (1.0 - rho * rho) / n.sqrt(),
            "lognormal: {r}"
        );

        let k = 4.0;
        let s = NoiseSampler::new(Noise::Gamma { shape: k });
        let (x, y) = shared_pairs(s, rho, blocks);
        let exact = GammaDist::new(k, k).unwrap();
        assert!(ks_statistic(x.clone(), |v| exact.cdf(v)) < crit);
        assert!(ks_statistic(y.clone(), |v| exact.cdf(v)) < crit);
        let r = pearson(&x, &y);
        assert!(
            (r - rho).abs() < 5.0 * (1.0 - rho * rho) / n.sqrt(),
            "gamma: {r}"
        );
    }
}
