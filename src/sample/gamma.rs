//! Gamma and Beta draws (Marsaglia and Tsang 2000), on top of the ziggurat normal.
//!
//! Used for gamma day-to-day noise: daily draws, and the exact block jumps in which the
//! sum of `n` days of Gamma(k, 1/k) noise is one Gamma(nk, 1/k) draw and a block is split
//! by a Beta draw (the gamma bridge).

use super::ziggurat::{normal, open_unit_52};

/// A Gamma(shape, scale 1) draw; `shape` must be positive and finite. For very small
/// shapes the draw can underflow to 0, which is then its honest value in f64.
#[inline]
pub fn gamma(shape: f64, mut next: impl FnMut() -> u64) -> f64 {
    if shape < 1.0 {
        ln_gamma_draw(shape, next).exp()
    } else {
        gamma_at_least_one(shape, &mut next)
    }
}

/// The logarithm of a Gamma(shape, 1) draw, exact where the draw itself would underflow:
/// `ln Gamma(a) = ln Gamma(a + 1) + ln(U) / a` (Marsaglia and Tsang, section 6).
#[inline]
pub fn ln_gamma_draw(shape: f64, mut next: impl FnMut() -> u64) -> f64 {
    if shape < 1.0 {
        let g = gamma_at_least_one(shape + 1.0, &mut next);
        return g.ln() + open_unit_52(next()).ln() / shape;
    }
    gamma_at_least_one(shape, &mut next).ln()
}

fn gamma_at_least_one(shape: f64, next: &mut impl FnMut() -> u64) -> f64 {
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let z = normal(&mut *next);
        let v = 1.0 + c * z;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u = open_unit_52(next());
        let z2 = z * z;
        // The squeeze accepts about 98% without a logarithm.
        if u < 1.0 - 0.0331 * z2 * z2 || u.ln() < 0.5 * z2 + d * (1.0 - v + v.ln()) {
            return d * v;
        }
    }
}

/// A Beta(a, b) draw as `Ga / (Ga + Gb)`, computed from the logarithms so that tiny
/// shapes (whose gamma draws underflow) still give a number in [0, 1], never 0/0.
pub fn beta(a: f64, b: f64, mut next: impl FnMut() -> u64) -> f64 {
    if a >= 1.0 && b >= 1.0 {
        // Both draws are positive and far from underflow.
        let x = gamma_at_least_one(a, &mut next);
        let y = gamma_at_least_one(b, &mut next);
        return x / (x + y);
    }
    let lx = ln_gamma_draw(a, &mut next);
    let ly = ln_gamma_draw(b, &mut next);
    1.0 / (1.0 + (ly - lx).exp())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::stream::stream_rng;
    use crate::sample::testutil::ks_statistic as ks;
    use rand::Rng;
    use statrs::distribution::{Beta, ContinuousCDF, Gamma};

    // n = 200,000: KS critical value at alpha = 0.001 is 1.9495 / sqrt(n) = 0.00436.
    const N: usize = 200_000;
    const CRIT: f64 = 0.004_36;

    #[test]
    fn gamma_matches_its_cdf_for_small_and_large_shapes() {
        for (i, shape) in [0.3, 1.0, 10.62, 2_000.0].into_iter().enumerate() {
            let mut rng = stream_rng(9, i as u64, 0);
            let v: Vec<f64> = (0..N).map(|_| gamma(shape, || rng.next_u64())).collect();
            let exact = Gamma::new(shape, 1.0).unwrap();
            let d = ks(v, |x| exact.cdf(x));
            assert!(d < CRIT, "shape {shape}: KS {d}");
        }
    }

    #[test]
    fn tiny_shapes_never_give_nan() {
        let mut rng = stream_rng(11, 0, 0);
        for _ in 0..100_000 {
            let b = beta(1e-4, 2e-4, || rng.next_u64());
            assert!((0.0..=1.0).contains(&b), "{b}");
            let g = gamma(1e-4, || rng.next_u64());
            assert!(g.is_finite() && g >= 0.0);
        }
        // As a, b -> 0, Beta(a, b) puts mass b / (a + b) at 0 and a / (a + b) at 1.
        let n = 200_000;
        let above = (0..n)
            .filter(|_| beta(1e-4, 2e-4, || rng.next_u64()) > 0.5)
            .count();
        let p = above as f64 / n as f64;
        assert!(
            (p - 1.0 / 3.0).abs() < 5.0 * (2.0f64 / 9.0 / n as f64).sqrt(),
            "{p}"
        );
    }

    #[test]
    fn beta_matches_its_cdf() {
        for (i, (a, b)) in [(10.62, 21.24), (10.62, 1_000.0), (300.0, 300.0)]
            .into_iter()
            .enumerate()
        {
            let mut rng = stream_rng(10, i as u64, 0);
            let v: Vec<f64> = (0..N).map(|_| beta(a, b, || rng.next_u64())).collect();
            let exact = Beta::new(a, b).unwrap();
            let d = ks(v, |x| exact.cdf(x));
            assert!(d < CRIT, "Beta({a}, {b}): KS {d}");
        }
    }
}
