//! Estimating a side's daily rate and day-to-day noise from a window of daily counts.
//!
//! Two uncertainties are kept apart. The *parameter* uncertainty of the window's mean
//! rate comes from a moving-block bootstrap of the window. The *drift* of the rate after
//! the window (the rate moves with the fighting) is not in the window at all; it is
//! estimated from the series' own history as the spread of log(next-h-days mean / trailing
//! mean) and added only when asked. docs/calibration.md states the method and its limits.

use super::series::Series;
use super::stats::{acf, mean, newey_west_slope, quantile_sorted, sd};
use crate::date::Date;
use crate::model::Noise;
use crate::sample::normal::Z95;
use crate::sample::stream::{stream_id, stream_rng};
use crate::stats::ks_sorted;
use rand::RngExt;
use statrs::distribution::{ContinuousCDF, Gamma, LogNormal};

/// Fewest days a window may have: a few blocks of a week each.
pub const MIN_WINDOW_DAYS: usize = 28;

/// Half-width of the centred moving average that the noise is measured against.
pub const SMOOTH_HALF: usize = 7;

/// Default days of history for the drift: one year. On the GS series, two years (which
/// reach back into 2022-23's growth) gave 90% intervals that covered every 2024-25
/// outcome and 50% intervals that covered 60-80%; one year came closer to nominal
/// (docs/calibration.md).
pub const DEFAULT_DRIFT_HISTORY: u32 = 365;

/// How many past origins the drift needs before it is reported.
pub const MIN_DRIFT_ORIGINS: usize = 30;

/// The days to fit: an explicit date range, or the last `n` days of the series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    Range(Date, Date),
    Last(u32),
}

impl Window {
    /// Parses `FROM..TO` (inclusive ISO dates).
    pub fn parse_range(s: &str) -> Result<Window, String> {
        let (a, b) = s
            .split_once("..")
            .ok_or_else(|| format!("'{s}' is not a date range FROM..TO"))?;
        let from = Date::parse_iso(a.trim())?;
        let to = Date::parse_iso(b.trim())?;
        if to < from {
            return Err(format!("'{s}': {to} is before {from}"));
        }
        Ok(Window::Range(from, to))
    }

    /// The first and last date of the window on `series`.
    pub fn resolve(self, series: &Series) -> Result<(Date, Date), String> {
        let (from, to) = match self {
            Window::Range(a, b) => (a, b),
            Window::Last(n) => (series.end().add_days(1 - n as i64), series.end()),
        };
        let first_count = series.start.add_days(1);
        if first_count > series.end() {
            return Err(format!(
                "the series has one row ({}): there is no daily count to fit",
                series.start
            ));
        }
        if from < first_count || to > series.end() {
            return Err(format!(
                "window {from}..{to} is not inside the series' daily counts, {first_count}..{}",
                series.end()
            ));
        }
        let days = to.days_since(from) + 1;
        if days < MIN_WINDOW_DAYS as i64 {
            return Err(format!(
                "window {from}..{to} has {days} days; give at least {MIN_WINDOW_DAYS}"
            ));
        }
        Ok((from, to))
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FitOptions {
    /// Bootstrap replicates.
    pub replicates: u32,
    pub seed: u64,
    /// Widen the rate range by the rate's historical drift over this many days.
    pub drift_horizon: Option<u32>,
    /// Days of history (ending on the window's last day) the drift is measured over:
    /// recent enough to be the same kind of war, long enough for many origins.
    pub drift_history: u32,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            replicates: 2000,
            seed: 1,
            drift_horizon: None,
            drift_history: DEFAULT_DRIFT_HISTORY,
        }
    }
}

/// Log-linear trend of the daily counts in the window.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct FittedTrend {
    /// Relative change of the rate per 30 days (0.05 = +5% a month).
    pub per_month: f64,
    /// Standard error of `per_month` (Newey-West, Bartlett lag = block length).
    pub se: f64,
    /// Whether |slope| is at least two standard errors.
    pub supported: bool,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Diagnostics {
    pub zero_days: usize,
    /// Days more than 5 robust sds (1.4826 MAD) from the window's median count.
    pub outliers: Vec<Date>,
    /// Lag-1 autocorrelation of the counts, and of their ratios to the moving average.
    pub lag1_counts: f64,
    pub lag1_noise: f64,
    /// Variance over mean of the counts (1 for Poisson counts).
    pub dispersion_index: f64,
    /// Share of counts that are multiples of 10 (the source rounds).
    pub multiples_of_10: f64,
    /// Kolmogorov-Smirnov distance of the ratios to the fitted gamma and lognormal.
    pub ks_gamma: f64,
    pub ks_lognormal: f64,
}

/// Historical drift of the rate: how far the next `horizon_days`' mean rate fell from a
/// trailing mean of the window's length, over past origins in the series.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Drift {
    pub horizon_days: u32,
    pub history_days: u32,
    pub origins: usize,
    /// Root mean square of log(future mean / trailing mean) over the origins.
    pub rms_log_ratio: f64,
    /// Mean of that log ratio (its systematic part).
    pub mean_log_ratio: f64,
    /// The part not explained by parameter uncertainty and day-to-day noise.
    pub sigma: f64,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Fit {
    pub from: Date,
    pub to: Date,
    pub days: usize,
    /// Mean daily count in the window.
    pub mean: f64,
    /// 90% interval of the mean rate: centred moving-block bootstrap.
    pub mean_lo: f64,
    pub mean_hi: f64,
    /// Bootstrap standard error of the mean.
    pub mean_se: f64,
    pub block_days: usize,
    pub replicates: u32,
    pub seed: u64,
    /// Coefficient of variation of a day's count around the moving average.
    pub cv: f64,
    /// The gamma shape and the lognormal sigma of that cv (`Noise::shape_of_cv`,
    /// `Noise::sigma_of_cv`: the loader's conversions).
    pub gamma_shape: f64,
    pub lognormal_sigma: f64,
    pub trend: FittedTrend,
    pub diagnostics: Diagnostics,
    pub drift: Option<Drift>,
    /// The range for `rate_per_day` (lognormal, 90%): the bootstrap interval, widened
    /// by the drift when asked and estimable.
    pub rate_lo: f64,
    pub rate_hi: f64,
}

/// The block length: at least a week (the counts have weekly rhythms), at least n^(1/3)
/// (the usual rate for the mean), and at least the lag where the counts' autocorrelation
/// first falls below 2/sqrt(n); at most a third of the window.
pub fn block_length(x: &[f64]) -> usize {
    let n = x.len();
    let bound = 2.0 / (n as f64).sqrt();
    let max_lag = n / 3;
    let first_small = (1..=max_lag)
        .find(|&k| acf(x, k).abs() < bound)
        .unwrap_or(max_lag);
    let cube = (n as f64).cbrt().ceil() as usize;
    7.max(cube).max(first_small).min(max_lag.max(1))
}

/// Means of `replicates` moving-block bootstrap resamples; replicate `b` draws from
/// its own stream (seed, b), so the result does not depend on threads or order.
pub fn block_bootstrap_means(x: &[f64], block: usize, replicates: u32, seed: u64) -> Vec<f64> {
    let n = x.len();
    let starts = n - block + 1;
    let blocks = n.div_ceil(block);
    let stream = stream_id("calibrate.fit.bootstrap");
    (0..replicates as u64)
        .map(|b| {
            let mut rng = stream_rng(seed, b, stream);
            let mut sum = 0.0;
            let mut taken = 0;
            for _ in 0..blocks {
                let s = rng.random_range(0..starts);
                let take = block.min(n - taken);
                sum += x[s..s + take].iter().sum::<f64>();
                taken += take;
            }
            sum / n as f64
        })
        .collect()
}

/// Ratios of each count to its centred moving average (2 * SMOOTH_HALF + 1 days, cut at
/// the window's edges), with the number of days each average used.
fn ratios(x: &[f64]) -> Vec<(f64, usize)> {
    let n = x.len();
    (0..n)
        .filter_map(|t| {
            let a = t.saturating_sub(SMOOTH_HALF);
            let b = (t + SMOOTH_HALF + 1).min(n);
            let m = mean(&x[a..b]);
            (m > 0.0).then(|| (x[t] / m, b - a))
        })
        .collect()
}

/// Coefficient of variation of the daily multiplier, by the method of moments on the
/// ratios to the centred moving average. A ratio's spread is the multiplier's shrunk by
/// the average's own share of that day, `1 - 1/w` in variance, which is undone here.
pub fn noise_cv(x: &[f64]) -> f64 {
    let r = ratios(x);
    let v: f64 = r
        .iter()
        .map(|&(q, w)| (q - 1.0).powi(2) / (1.0 - 1.0 / w as f64))
        .sum::<f64>()
        / r.len().max(1) as f64;
    v.sqrt()
}

fn diagnostics(x: &[f64], dates: Date, cv: f64) -> Diagnostics {
    let mut sorted = x.to_vec();
    sorted.sort_by(f64::total_cmp);
    let median = quantile_sorted(&sorted, 0.5);
    let mut dev: Vec<f64> = x.iter().map(|v| (v - median).abs()).collect();
    dev.sort_by(f64::total_cmp);
    let robust_sd = 1.4826 * quantile_sorted(&dev, 0.5);
    let outliers = (0..x.len())
        .filter(|&i| robust_sd > 0.0 && (x[i] - median).abs() > 5.0 * robust_sd)
        .map(|i| dates.add_days(i as i64))
        .collect();
    let r: Vec<f64> = ratios(x).iter().map(|p| p.0).collect();
    let mut rs = r.clone();
    rs.sort_by(f64::total_cmp);
    let k = Noise::shape_of_cv(cv);
    let s = Noise::sigma_of_cv(cv);
    let (ks_gamma, ks_lognormal) = match (Gamma::new(k, k), LogNormal::new(-s * s / 2.0, s)) {
        (Ok(g), Ok(l)) if cv > 0.0 => (ks_sorted(&rs, |v| g.cdf(v)), ks_sorted(&rs, |v| l.cdf(v))),
        _ => (f64::NAN, f64::NAN),
    };
    let m = mean(x);
    Diagnostics {
        zero_days: x.iter().filter(|&&v| v == 0.0).count(),
        outliers,
        lag1_counts: acf(x, 1),
        lag1_noise: acf(&r, 1),
        dispersion_index: if m > 0.0 { sd(x).powi(2) / m } else { f64::NAN },
        multiples_of_10: x.iter().filter(|&&v| v % 10.0 == 0.0).count() as f64 / x.len() as f64,
        ks_gamma,
        ks_lognormal,
    }
}

fn trend(x: &[f64], lag: usize) -> FittedTrend {
    let pts: Vec<(f64, f64)> = x
        .iter()
        .enumerate()
        .filter(|(_, &v)| v > 0.0)
        .map(|(i, &v)| (i as f64, v.ln()))
        .collect();
    let (b, se) = newey_west_slope(&pts, lag);
    const MONTH: f64 = 30.0;
    FittedTrend {
        per_month: (b * MONTH).exp_m1(),
        se: se * MONTH * (b * MONTH).exp(),
        supported: b.abs() >= 2.0 * se,
    }
}

/// The rate's drift over `h` days, from every past origin of `counts` (all the series'
/// daily counts up to the window's end) with a full trailing window of `n` days and `h`
/// days after it, all inside the last `history` days. `sigma_param` and `cv` are the parts already in the projection
/// (parameter uncertainty, day-to-day noise), taken out in variance.
pub fn drift(
    counts: &[f64],
    n: usize,
    h: u32,
    history: u32,
    sigma_param: f64,
    cv: f64,
) -> Option<Drift> {
    let h = h as usize;
    let mut prefix = vec![0.0; counts.len() + 1];
    for (i, c) in counts.iter().enumerate() {
        prefix[i + 1] = prefix[i] + c;
    }
    let mut logs = Vec::new();
    let first = n.max(counts.len().saturating_sub(history as usize));
    for t in first..=counts.len().saturating_sub(h) {
        let past = (prefix[t] - prefix[t - n]) / n as f64;
        let next = (prefix[t + h] - prefix[t]) / h as f64;
        if past > 0.0 && next > 0.0 {
            logs.push((next / past).ln());
        }
    }
    if logs.len() < MIN_DRIFT_ORIGINS {
        return None;
    }
    let ms = logs.iter().map(|l| l * l).sum::<f64>() / logs.len() as f64;
    let explained = sigma_param.powi(2) + Noise::log_variance_of_cv(cv) / h as f64;
    Some(Drift {
        horizon_days: h as u32,
        history_days: history,
        origins: logs.len(),
        rms_log_ratio: ms.sqrt(),
        mean_log_ratio: mean(&logs),
        sigma: (ms - explained).max(0.0).sqrt(),
    })
}

/// Fits the window `from..=to` of `series`.
pub fn fit(series: &Series, window: Window, opts: &FitOptions) -> Result<Fit, String> {
    let (from, to) = window.resolve(series)?;
    let x = series
        .counts(from, to)
        .ok_or_else(|| format!("the window {from}..{to} is not inside the series"))?;
    let n = x.len();
    let m = mean(&x);
    if m <= 0.0 {
        return Err(format!(
            "every daily count in {from}..{to} is zero: there is no rate to fit"
        ));
    }
    let block = block_length(&x);
    let mut boots = block_bootstrap_means(&x, block, opts.replicates.max(100), opts.seed);
    // Centre the bootstrap: block resampling under-weights the window's ends, so the
    // replicates' mean can sit off the sample mean; the interval keeps the spread only.
    let shift = m - mean(&boots);
    for b in &mut boots {
        *b += shift;
    }
    boots.sort_by(f64::total_cmp);
    let mean_lo = quantile_sorted(&boots, 0.05).max(f64::MIN_POSITIVE);
    let mean_hi = quantile_sorted(&boots, 0.95);
    let cv = noise_cv(&x);
    // The 90% interval is the mean's log +/- Z95 sd: its width in log is 2 Z95 sd.
    let sigma_param = (mean_hi / mean_lo).ln() / (2.0 * Z95);
    let all = series
        .counts(series.start.add_days(1), to)
        .ok_or_else(|| format!("the window {from}..{to} is not inside the series"))?;
    let drift = match opts.drift_horizon {
        None => None,
        Some(h) => Some(
            drift(&all, n, h, opts.drift_history, sigma_param, cv).ok_or_else(|| {
                format!(
                    "cannot widen for a {h}-day drift: the {} days of history up to {to} hold fewer than {MIN_DRIFT_ORIGINS} past {n}-day windows followed by {h} days; raise --drift-history or lower --drift-horizon",
                    opts.drift_history
                )
            })?,
        ),
    };
    let (rate_lo, rate_hi) = match &drift {
        Some(d) => {
            let s = (sigma_param.powi(2) + d.sigma.powi(2)).sqrt();
            (m * (-Z95 * s).exp(), m * (Z95 * s).exp())
        }
        None => (mean_lo, mean_hi),
    };
    if ![m, mean_lo, mean_hi, rate_lo, rate_hi]
        .iter()
        .all(|v| v.is_finite() && *v > 0.0)
        || !cv.is_finite()
    {
        return Err(format!(
            "the counts in {from}..{to} are too large or too uneven to fit (mean {m:e}, range {mean_lo:e}..{mean_hi:e}, cv {cv})"
        ));
    }
    Ok(Fit {
        from,
        to,
        days: n,
        mean: m,
        mean_lo,
        mean_hi,
        mean_se: sd(&boots),
        block_days: block,
        replicates: opts.replicates.max(100),
        seed: opts.seed,
        cv,
        // Infinite for a constant series (cv 0), as 1 / 0 is.
        gamma_shape: Noise::shape_of_cv(cv),
        lognormal_sigma: Noise::sigma_of_cv(cv),
        trend: trend(&x, block),
        diagnostics: diagnostics(&x, from, cv),
        drift,
        rate_lo,
        rate_hi,
    })
}
