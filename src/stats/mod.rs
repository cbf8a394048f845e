//! Mergeable streaming statistics. Everything here is integer counts, so merging batch
//! results in any order gives identical bytes: results cannot depend on the thread count.
//! (And the Kolmogorov-Smirnov statistic that `fit` and the samplers' tests share.)

pub mod days;
pub mod loghist;
pub mod sobol;

pub use days::DayCounts;
pub use loghist::LogHistogram;

/// Monte Carlo standard error of a share `p` of `n` paths, `sqrt(p (1 - p) / n)` (the
/// binomial's): every probability a result reports carries it (docs/output.md).
pub fn binomial_se(p: f64, n: f64) -> f64 {
    (p * (1.0 - p) / n).sqrt()
}

/// The one-sample Kolmogorov-Smirnov statistic of `sorted` (ascending) against `cdf`.
pub fn ks_sorted(sorted: &[f64], cdf: impl Fn(f64) -> f64) -> f64 {
    let n = sorted.len() as f64;
    sorted
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = cdf(x);
            (f - i as f64 / n).abs().max(((i + 1) as f64 / n - f).abs())
        })
        .fold(0.0, f64::max)
}
