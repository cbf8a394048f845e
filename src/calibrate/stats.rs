//! Small sample statistics and forecast scores used by `fit` and `backtest`.

use crate::sample::normal;
use statrs::distribution::{Continuous, Normal};

pub fn mean(x: &[f64]) -> f64 {
    if x.is_empty() {
        return f64::NAN;
    }
    x.iter().sum::<f64>() / x.len() as f64
}

/// Sample standard deviation (n - 1 in the denominator).
pub fn sd(x: &[f64]) -> f64 {
    if x.len() < 2 {
        return f64::NAN;
    }
    let m = mean(x);
    (x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() - 1) as f64).sqrt()
}

/// Autocorrelation at lag `k` (the usual biased estimator, denominator n).
pub fn acf(x: &[f64], k: usize) -> f64 {
    let n = x.len();
    if k >= n {
        return f64::NAN;
    }
    let m = mean(x);
    let v: f64 = x.iter().map(|a| (a - m).powi(2)).sum();
    if v == 0.0 {
        return 0.0;
    }
    (0..n - k).map(|i| (x[i] - m) * (x[i + k] - m)).sum::<f64>() / v
}

/// Quantile of sorted data, linear interpolation between order statistics.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let i = pos.floor() as usize;
    let j = (i + 1).min(sorted.len() - 1);
    sorted[i] + (sorted[j] - sorted[i]) * (pos - i as f64)
}

/// Least-squares slope of y on x and its Newey-West standard error (Bartlett weights up
/// to `lag`), which allows for autocorrelated residuals.
pub fn newey_west_slope(pts: &[(f64, f64)], lag: usize) -> (f64, f64) {
    let n = pts.len();
    if n < 3 {
        return (f64::NAN, f64::NAN);
    }
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / n as f64;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / n as f64;
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let b = sxy / sxx;
    let a = my - b * mx;
    // Scores u_i = (x_i - mx) e_i; the slope's variance is S / sxx^2.
    let u: Vec<f64> = pts
        .iter()
        .map(|p| (p.0 - mx) * (p.1 - a - b * p.0))
        .collect();
    let mut s: f64 = u.iter().map(|v| v * v).sum();
    for l in 1..=lag.min(n - 1) {
        let w = 1.0 - l as f64 / (lag + 1) as f64;
        s += 2.0 * w * (l..n).map(|i| u[i] * u[i - l]).sum::<f64>();
    }
    (b, s.max(0.0).sqrt() / sxx)
}

/// Probability levels for scoring from quantiles: the midpoints of `k` equal slices.
pub fn score_levels(k: usize) -> Vec<f64> {
    (0..k).map(|i| (i as f64 + 0.5) / k as f64).collect()
}

/// CRPS from quantiles at `score_levels(k)`: CRPS = 2 * integral over q of the pinball
/// loss, by the midpoint rule (Gneiting and Raftery 2007, eq. 21).
pub fn crps_from_quantiles(quantiles: &[f64], y: f64) -> f64 {
    let k = quantiles.len();
    let levels = score_levels(k);
    2.0 * quantiles
        .iter()
        .zip(&levels)
        .map(|(&x, &q)| {
            let ind = if y < x { 1.0 } else { 0.0 };
            (ind - q) * (x - y)
        })
        .sum::<f64>()
        / k as f64
}

/// Exact CRPS of a normal forecast N(mu, sigma^2) for outcome y.
pub fn crps_normal(mu: f64, sigma: f64, y: f64) -> f64 {
    if sigma <= 0.0 {
        return (y - mu).abs();
    }
    let z = (y - mu) / sigma;
    let pdf = Normal::standard().pdf(z);
    sigma * (z * (2.0 * normal::cdf(z) - 1.0) + 2.0 * pdf - 1.0 / std::f64::consts::PI.sqrt())
}

/// Quantile of N(mu, sigma^2).
pub fn normal_quantile(mu: f64, sigma: f64, q: f64) -> f64 {
    mu + sigma * crate::sample::normal::inverse_cdf(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crps_from_quantiles_matches_the_normal_closed_form() {
        // The midpoint rule over 200 levels against the exact formula, for outcomes in
        // the bulk and in the tails.
        let levels = score_levels(200);
        for y in [-3.0, -0.5, 0.0, 1.2, 4.0] {
            let q: Vec<f64> = levels
                .iter()
                .map(|&p| normal_quantile(0.0, 1.0, p))
                .collect();
            let a = crps_from_quantiles(&q, y);
            let b = crps_normal(0.0, 1.0, y);
            assert!((a - b).abs() < 0.01 * b.max(0.2), "y {y}: {a} vs {b}");
        }
        // CRPS of N(0,1) at 0 is 2 phi(0) - 1/sqrt(pi) = 0.2336949...
        assert!((crps_normal(0.0, 1.0, 0.0) - 0.233_694_9).abs() < 1e-6);
    }

    #[test]
    fn slope_and_its_error_on_a_known_line() {
        let pts: Vec<(f64, f64)> = (0..50).map(|i| (i as f64, 2.0 + 0.5 * i as f64)).collect();
        let (b, se) = newey_west_slope(&pts, 3);
        assert!((b - 0.5).abs() < 1e-12 && se < 1e-9);
        assert_eq!(quantile_sorted(&[1.0, 2.0, 3.0, 4.0], 0.5), 2.5);
        assert!((acf(&[1.0, -1.0, 1.0, -1.0, 1.0, -1.0], 1) + 5.0 / 6.0).abs() < 1e-12);
    }
}
