//! `fit` and `backtest` on series the engine drew with known rates and noise.
//!
//! Tolerances are three binomial (or Monte Carlo) standard errors: with fixed seeds the
//! tests are deterministic, and a correct method passes them with room to spare while a
//! miscalibrated one (for example a bootstrap without blocks on autocorrelated data, or
//! intervals of the noise alone) fails them.

use super::backtest::{backtest, BacktestOptions, Method};
use super::fit::{fit, FitOptions, Window};
use super::stats::{mean, sd};
use super::synthetic::{gamma_series, scenario};
use crate::engine::{RunConfig, Stepping};
use crate::Date;

fn day0() -> Date {
    Date::parse_iso("2024-01-01").unwrap()
}

#[test]
fn fit_recovers_a_known_rate_within_its_interval_and_the_noise_cv() {
    const SERIES: u64 = 200;
    const RATE: f64 = 1000.0;
    const CV: f64 = 0.3;
    let all = gamma_series(day0(), 120, RATE, CV, 11, SERIES);
    let opts = FitOptions {
        replicates: 500,
        ..FitOptions::default()
    };
    let mut covered = 0;
    let mut cvs = Vec::new();
    let mut means = Vec::new();
    for s in &all {
        let f = fit(s, Window::Last(120), &opts).unwrap();
        assert_eq!(f.days, 120);
        if f.mean_lo <= RATE && RATE <= f.mean_hi {
            covered += 1;
        }
        cvs.push(f.cv);
        means.push(f.mean);
    }
    let n = SERIES as f64;
    let coverage = covered as f64 / n;
    let se = (0.9f64 * 0.1 / n).sqrt();
    assert!(
        (coverage - 0.9).abs() < 3.0 * se,
        "90% intervals covered the true rate {coverage} of the time (se {se:.3})"
    );
    // The window's mean is unbiased: exact sd of a 120-day mean is RATE * CV / sqrt(120).
    let exact_sd = RATE * CV / 120f64.sqrt();
    assert!((sd(&means) / exact_sd - 1.0).abs() < 3.0 / (2.0 * (n - 1.0)).sqrt());
    assert!((mean(&means) - RATE).abs() < 3.0 * exact_sd / n.sqrt());
    // cv: its mean over the series within three standard errors of the true value, and
    // each one within 25% (120 days give a cv to about 7%).
    let m = mean(&cvs);
    assert!(
        (m - CV).abs() < 3.0 * sd(&cvs) / n.sqrt(),
        "mean fitted cv {m} vs {CV} (sd {})",
        sd(&cvs)
    );
    assert!(cvs.iter().all(|c| (c / CV - 1.0).abs() < 0.25), "{cvs:?}");
}

#[test]
fn fit_finds_no_trend_in_a_flat_series_and_a_trend_in_a_rising_one() {
    let s = &gamma_series(day0(), 180, 800.0, 0.2, 5, 1)[0];
    let f = fit(s, Window::Last(180), &FitOptions::default()).unwrap();
    assert!(!f.trend.supported, "{:?}", f.trend);
    // The same noise on a rate rising 10% a month: levels rebuilt from scaled counts.
    let from = s.start.add_days(1);
    let counts = s.counts(from, s.end()).unwrap();
    let mut levels = vec![0.0];
    for (i, c) in counts.iter().enumerate() {
        let g = (1.1f64.ln() * i as f64 / 30.0).exp();
        levels.push(levels[i] + c * g);
    }
    let r = super::Series::from_levels("rising", s.start, levels);
    let f = fit(&r, Window::Last(180), &FitOptions::default()).unwrap();
    assert!(f.trend.supported, "{:?}", f.trend);
    assert!(
        (f.trend.per_month - 0.1).abs() < 3.0 * f.trend.se,
        "{:?}",
        f.trend
    );
}

#[test]
fn fit_reads_only_data_up_to_the_window_end() {
    let s = &gamma_series(day0(), 400, 500.0, 0.3, 3, 1)[0];
    let to = day0().add_days(250);
    let w = Window::Range(day0().add_days(161), to);
    let mut cut = s.clone();
    cut.levels.truncate(s.index(to).unwrap() + 1);
    let opts = FitOptions {
        drift_horizon: Some(30),
        ..FitOptions::default()
    };
    assert_eq!(fit(s, w, &opts).unwrap(), fit(&cut, w, &opts).unwrap());
}

#[test]
fn backtest_of_a_stationary_series_covers_at_the_nominal_rate() {
    // 24 series, 3 origins each 180 days apart: the 180-day outcomes do not overlap.
    const SERIES: u64 = 24;
    let days = 90 + 3 * 180;
    let all = gamma_series(day0(), days, 1000.0, 0.3, 21, SERIES);
    let template = scenario(day0(), 1000.0, 0.3);
    let opts = BacktestOptions {
        side: "x".into(),
        origins: (0..3).map(|k| day0().add_days(90 + 180 * k)).collect(),
        horizons: vec![30, 90, 180],
        window: 90,
        threshold_step: 50_000.0,
        fit: FitOptions {
            replicates: 300,
            ..FitOptions::default()
        },
        config: RunConfig {
            paths: 2000,
            seed: 9,
            threads: None,
            stepping: Stepping::Auto,
            method: crate::engine::Method::Plain,
        },
        with_drift: false,
    };
    let mut scored = Vec::new();
    let mut crossings = Vec::new();
    for s in &all {
        let bt = backtest(&template, s, &opts, &crate::engine::Silent).unwrap();
        assert_eq!(bt.origins_used.len(), 3, "{:?}", bt.skipped);
        scored.extend(bt.scored);
        crossings.extend(bt.crossings);
    }
    for h in [30, 90, 180] {
        let fits: Vec<_> = scored
            .iter()
            .filter(|s| s.method == Method::Fit && s.horizon_days == h)
            .collect();
        let n = fits.len() as f64;
        assert_eq!(n, 72.0);
        let inside = |a: usize, b: usize| {
            fits.iter()
                .filter(|s| s.q[a] <= s.observed && s.observed <= s.q[b])
                .count() as f64
                / n
        };
        let (c50, c90) = (inside(1, 3), inside(0, 4));
        assert!(
            (c90 - 0.9).abs() < 3.0 * (0.09 / n).sqrt(),
            "h {h}: 90% covered {c90}"
        );
        assert!(
            (c50 - 0.5).abs() < 3.0 * (0.25 / n).sqrt(),
            "h {h}: 50% covered {c50}"
        );
        // The engine's median and the war average agree here: the rate never moved, so
        // the war-long mean is the better estimate and must score no worse on average.
        let crps = |m: Method| {
            mean(
                &scored
                    .iter()
                    .filter(|s| s.method == m && s.horizon_days == h)
                    .map(|s| s.crps)
                    .collect::<Vec<_>>(),
            )
        };
        assert!(crps(Method::WarAverage) < crps(Method::Fit) * 1.05, "h {h}");
    }
    // Crossing dates: the 90% interval of the fitted projection covers the observed day.
    let c: Vec<_> = crossings
        .iter()
        .filter(|c| c.method == Method::Fit)
        .collect();
    let covered = c.iter().filter(|c| c.covered_90()).count() as f64 / c.len() as f64;
    assert!(
        (covered - 0.9).abs() < 3.0 * (0.09 / c.len() as f64).sqrt(),
        "crossing covered {covered}"
    );
}
