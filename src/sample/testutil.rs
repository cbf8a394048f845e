//! Test helpers shared by the samplers' goodness-of-fit tests.

/// The one-sample Kolmogorov-Smirnov statistic of `v` against `cdf`.
pub fn ks_statistic(mut v: Vec<f64>, cdf: impl Fn(f64) -> f64) -> f64 {
    let n = v.len() as f64;
    v.sort_by(f64::total_cmp);
    v.iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = cdf(x);
            (f - i as f64 / n).abs().max(((i + 1) as f64 / n - f).abs())
        })
        .fold(0.0, f64::max)
}
