//! Day-to-day noise: the mean-one multiplier on a side's rate for one day.

use crate::model::Noise;
use rand::Rng;
use rand_distr::{Distribution, Gamma, StandardNormal};

/// A ready-to-draw form of a `Noise` model.
#[derive(Clone, Debug)]
pub enum NoiseSampler {
    None,
    /// `exp(sigma Z + shift)` with `shift = -sigma^2 / 2`, so that the mean is one.
    LogNormal {
        sigma: f64,
        shift: f64,
    },
    Gamma(Gamma<f64>),
}

impl NoiseSampler {
    pub fn new(noise: Noise) -> Self {
        match noise {
            Noise::None => NoiseSampler::None,
            Noise::LogNormal { sigma } => NoiseSampler::LogNormal {
                sigma,
                shift: -0.5 * sigma * sigma,
            },
            Noise::Gamma { shape } => NoiseSampler::Gamma(
                Gamma::new(shape, 1.0 / shape).expect("the loader checked the shape"),
            ),
        }
    }

    /// One day's multiplier.
    #[inline]
    pub fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            NoiseSampler::None => 1.0,
            NoiseSampler::LogNormal { sigma, shift } => {
                let z: f64 = StandardNormal.sample(rng);
                (sigma * z + shift).exp()
            }
            NoiseSampler::Gamma(g) => g.sample(rng),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::stream::stream_rng;
    use statrs::distribution::{ContinuousCDF, Gamma as GammaDist, LogNormal};

    /// Kolmogorov-Smirnov statistic of `n` draws against `cdf`.
    fn ks(sampler: &NoiseSampler, n: usize, cdf: impl Fn(f64) -> f64) -> f64 {
        let mut rng = stream_rng(42, 0, 1);
        let mut v: Vec<f64> = (0..n).map(|_| sampler.draw(&mut rng)).collect();
        v.sort_by(f64::total_cmp);
        v.iter()
            .enumerate()
            .map(|(i, &x)| {
                let f = cdf(x);
                (f - i as f64 / n as f64)
                    .abs()
                    .max(((i + 1) as f64 / n as f64 - f).abs())
            })
            .fold(0.0, f64::max)
    }

    // n = 200,000 draws; the KS critical value at alpha = 0.001 is 1.9495 / sqrt(n) = 0.00436.
    // Power: a mean off by 1% (sigma 0.3) shifts the CDF by about 0.013 near the median,
    // three times the critical value, so such a bias is detected with near certainty.
    const N: usize = 200_000;
    const CRIT: f64 = 0.004_36;

    #[test]
    fn lognormal_noise_is_the_stated_mean_one_lognormal() {
        let s = NoiseSampler::new(Noise::LogNormal { sigma: 0.3 });
        let exact = LogNormal::new(-0.045, 0.3).unwrap();
        assert!(ks(&s, N, |x| exact.cdf(x)) < CRIT);
    }

    #[test]
    fn gamma_noise_is_the_stated_mean_one_gamma() {
        let k = 1.0 / (0.09f64).exp_m1();
        let s = NoiseSampler::new(Noise::Gamma { shape: k });
        let exact = GammaDist::new(k, k).unwrap(); // statrs: shape, rate
        assert!(ks(&s, N, |x| exact.cdf(x)) < CRIT);
    }
}
