//! Test helpers shared by the samplers' goodness-of-fit tests.

/// The one-sample Kolmogorov-Smirnov statistic of `v` against `cdf`.
pub fn ks_statistic(mut v: Vec<f64>, cdf: impl Fn(f64) -> f64) -> f64 {
    v.sort_by(f64::total_cmp);
    crate::stats::ks_sorted(&v, cdf)
}
