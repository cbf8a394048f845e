//! Precision per second, checked: the reduced method (randomized quasi-Monte Carlo inputs
//! and conditional P(crossed by)) against exact answers, the errors both methods report
//! against the spread of their estimates over many seeds, and the coverage of the
//! quantiles' intervals. Fixed seeds; every tolerance is a multiple of a reported or
//! binomial standard error, stated where it is used.

use attrition::engine::{self, Method, RunConfig, Silent};
use attrition::scenario::{load_file, load_str};
use attrition::{Model, Projection};
use statrs::distribution::{Continuous, ContinuousCDF, Gamma, LogNormal};

fn run(m: &Model, paths: u64, seed: u64, method: Method) -> Projection {
    let config = RunConfig {
        paths,
        seed,
        threads: Some(2),
        stepping: Default::default(),
        method,
    };
    let tally = engine::run(m, &config, &Silent).unwrap();
    Projection::from_tally(m, &config, &tally, None)
}

/// `got` within `k` of its own reported standard errors of `exact` (and never closer
/// than the rounding of the conditional units, 1e-9).
fn within(got: f64, se: f64, exact: f64, k: f64, what: &str) {
    let tol = k * se.max(1e-9);
    assert!(
        (got - exact).abs() <= tol,
        "{what}: {got} vs exact {exact}: {:.1} se (se {se})",
        (got - exact).abs() / se
    );
}

#[test]
fn reduced_runs_agree_with_the_exact_w0_answers() {
    // W0's crossing day is ceil((2M - B_ru - B_ua) / (r_ru + r_ua)) of four lognormal
    // inputs: P(by day 90) = 0.0228455 and P(by day 181) = 0.3460168 by three-dimensional
    // quadrature (docs/bench/W1.md), and the quantiles p5..p95 are 111, 166, 204, 241 and
    // 295 (exact P(day <= 203) is 0.4997, so the median is 204 with room to spare at
    // these errors). Five seeds, 16,384 paths each; 4 reported standard errors.
    let m = load_file("scenarios/bench/w0.toml".as_ref()).unwrap();
    for seed in 1..=5 {
        let p = run(&m, 16_384, seed, Method::Reduced);
        let t = &p.thresholds[0];
        for (prob, exact) in t.p_crossed_by.iter().zip([0.022_845_5, 0.346_016_8]) {
            assert_eq!(
                prob.conditioned_on.as_deref(),
                Some("sides.russia.casualties")
            );
            // The quadrature's own value is given to 7 places.
            within(
                prob.p,
                prob.se.max(5e-8),
                exact,
                4.0,
                &format!("seed {seed}"),
            );
        }
        // The quantiles are read off the paths' counts (randomized quasi-Monte Carlo,
        // not conditional): each exact day within its reported 95% interval, which is a
        // day or two wide at these path counts (exact P(day <= 110) is 0.0492, close
        // enough to 0.05 that a run may say 110).
        for (q, exact) in t.crossing.iter().zip([111, 166, 204, 241, 295]) {
            let (lo, hi) = (q.ci_low_day.unwrap(), q.ci_high_day.unwrap());
            assert!(lo <= exact && exact <= hi, "seed {seed}: {q:?}");
            assert!(hi - lo <= 2, "seed {seed}: {q:?}");
        }
    }
}

/// The exact P(crossing day <= d) of W1g with fixed inputs: `B + r1 X1 + r2 X2 >= L` with
/// `X_i ~ Gamma(d k, rate k)`, the sums of d daily Gamma(k, 1/k) multipliers: one
/// integral over X2 of X1's survival function (Simpson's rule, 8,000 intervals over
/// +/- 12 standard deviations; the density through its logarithm, as `x^(dk - 1)`
/// overflows).
fn w1g_fixed_exact(d: f64, k: f64, b: f64, r1: f64, r2: f64, level: f64) -> f64 {
    let g1 = Gamma::new(d * k, k).unwrap();
    let g2 = Gamma::new(d * k, k).unwrap();
    let sd = (d / k).sqrt();
    let (lo, hi) = ((d - 12.0 * sd).max(0.0), d + 12.0 * sd);
    let n = 8000;
    let h = (hi - lo) / n as f64;
    let f = |x: f64| {
        let need = (level - b - r2 * x) / r1;
        let sf = if need <= 0.0 { 1.0 } else { g1.sf(need) };
        g2.ln_pdf(x).exp() * sf
    };
    let mut s = f(lo) + f(hi);
    for i in 1..n {
        let w = if i % 2 == 1 { 4.0 } else { 2.0 };
        s += w * f(lo + i as f64 * h);
    }
    s * h / 3.0
}

/// W1g with its inputs fixed at their medians, reported around its crossing (days 195 to
/// 214): only the day-to-day noise is random.
const W1G_FIXED: &str = r#"[scenario]
name = "w1g-fixed"
reference_date = 2025-12-31
horizon_days = 400
report_dates = [2026-07-14, 2026-07-19, 2026-07-23, 2026-07-27, 2026-08-02]

[noise]
model = "gamma"
sigma = 0.3

[sides.russia]
casualties = 1_195_826
rate_per_day = 866

[sides.ukraine]
casualties = 547_723
rate_per_day = 388

[[thresholds]]
name = "2M"
level = 2_000_000
"#;

#[test]
fn w1g_with_fixed_inputs_matches_the_gamma_integral() {
    let m = load_str("w1g-fixed.toml", W1G_FIXED).unwrap();
    let k = 1.0 / (0.09f64.exp() - 1.0);
    let days = [195.0, 200.0, 204.0, 208.0, 214.0];
    let exact: Vec<f64> = days
        .iter()
        .map(|&d| w1g_fixed_exact(d, k, 1_743_549.0, 866.0, 388.0, 2_000_000.0))
        .collect();
    // The exact values span the crossing: from nearly 0 to nearly 1.
    assert!(exact[0] < 0.02 && exact[4] > 0.98, "{exact:?}");
    for method in [Method::Plain, Method::Reduced] {
        let p = run(&m, 40_000, 3, method);
        for (prob, &e) in p.thresholds[0].p_crossed_by.iter().zip(&exact) {
            within(
                prob.p,
                prob.se,
                e,
                4.0,
                &format!("{method:?} {}", prob.date),
            );
        }
    }
}

#[test]
fn a_single_lognormal_input_gives_exact_figures_and_intervals() {
    // One side, baseline lognormal (5th/95th 1.1M, 1.3M), 1,000 a day, no noise: the
    // stock on day d is B + 1,000 d and P(crossed 1.5M by d) = P(B >= 1.5M - 1,000 d).
    let m = load_str(
        "one.toml",
        "[scenario]\nname = \"one\"\nreference_date = 2025-12-31\nhorizon_days = 600\nreport_dates = [2026-09-27, 2026-11-11]\n\n[noise]\nmodel = \"none\"\n\n[sides.a]\ncasualties = { lo = 1_100_000, hi = 1_300_000 }\nrate_per_day = 1000\n\n[[thresholds]]\nname = \"1.5M\"\nlevel = 1_500_000\n",
    )
    .unwrap();
    let z = 1.644_853_626_951_472_2;
    let (mu, sigma) = (
        (1.1e6f64.ln() + 1.3e6f64.ln()) / 2.0,
        (1.3e6f64.ln() - 1.1e6f64.ln()) / (2.0 * z),
    );
    let b = LogNormal::new(mu, sigma).unwrap();
    for method in [Method::Plain, Method::Reduced] {
        let p = run(&m, 8192, 5, method);
        for prob in &p.thresholds[0].p_crossed_by {
            let exact = b.sf(1.5e6 - 1000.0 * f64::from(prob.day));
            within(prob.p, prob.se, exact, 4.0, &format!("{method:?}"));
        }
        // The median stock on the first report date (day 270) is median(B) + 270,000;
        // its interval, within the histogram's 0.01%, holds it.
        let point = &p.stocks[0].points[0];
        let median = point.quantiles.iter().find(|q| q.p == 0.5).unwrap();
        let exact = mu.exp() + 270_000.0;
        let slack = 2e-4 * exact;
        assert!(
            median.ci_low.unwrap() - slack <= exact && exact <= median.ci_high.unwrap() + slack,
            "{method:?}: {median:?} vs {exact}"
        );
    }
}

#[test]
fn a_rate_implied_by_the_baseline_scales_the_integrated_baseline() {
    // rate = B / 1,000 days (from 2023-04-06 to 2025-12-31), no noise: the stock on day d
    // is B (1 + d / 1,000), so P(crossed 1.5M by d) = P(B >= 1.5M / (1 + d / 1,000)).
    let m = load_str(
        "implied.toml",
        "[scenario]\nname = \"implied\"\nreference_date = 2025-12-31\nhorizon_days = 600\nreport_dates = [2026-07-19, 2026-09-07, 2026-10-27]\n\n[noise]\nmodel = \"none\"\n\n[sides.a]\ncasualties = { lo = 1_100_000, hi = 1_300_000 }\nrate_per_day = { total = \"casualties\", from = 2023-04-06, to = 2025-12-31 }\n\n[[thresholds]]\nname = \"1.5M\"\nlevel = 1_500_000\n",
    )
    .unwrap();
    let z = 1.644_853_626_951_472_2;
    let b = LogNormal::new(
        (1.1e6f64.ln() + 1.3e6f64.ln()) / 2.0,
        (1.3e6f64.ln() - 1.1e6f64.ln()) / (2.0 * z),
    )
    .unwrap();
    for method in [Method::Plain, Method::Reduced] {
        let p = run(&m, 8192, 2, method);
        for prob in &p.thresholds[0].p_crossed_by {
            let exact = b.sf(1.5e6 / (1.0 + f64::from(prob.day) / 1000.0));
            assert!(exact > 0.05 && exact < 0.95, "{exact}");
            within(
                prob.p,
                prob.se,
                exact,
                4.0,
                &format!("{method:?} day {}", prob.day),
            );
        }
    }
}

#[test]
fn a_killed_threshold_integrates_out_the_killed_baseline_under_its_cap() {
    // Killed on day 0 are drawn, then held at the casualties (both lognormal here, so
    // the cap binds on a good share of paths), and grow by 0.25 of 1,000 casualties a
    // day. Without noise, P(killed >= 150,000 by d) = P(min(K, C) >= x) with x =
    // 150,000 - 250 d, which is P(K >= x) P(C >= x) for independent K and C.
    let m = load_str(
        "cap.toml",
        "[scenario]\nname = \"cap\"\nreference_date = 2025-12-31\nhorizon_days = 400\nreport_dates = [2026-04-10, 2026-05-30, 2026-07-19]\n\n[noise]\nmodel = \"none\"\n\n[sides.a]\ncasualties = { lo = 100_000, hi = 200_000 }\nrate_per_day = 1000\nkilled = { lo = 80_000, hi = 150_000 }\nkilled_share = 0.25\n\n[[thresholds]]\nname = \"k\"\nmetric = \"killed\"\nlevel = 150_000\n",
    )
    .unwrap();
    let z = 1.644_853_626_951_472_2;
    let ln90 = |lo: f64, hi: f64| {
        LogNormal::new((lo.ln() + hi.ln()) / 2.0, (hi.ln() - lo.ln()) / (2.0 * z)).unwrap()
    };
    let (k, c) = (ln90(80_000.0, 150_000.0), ln90(100_000.0, 200_000.0));
    for method in [Method::Plain, Method::Reduced] {
        let p = run(&m, 8192, 9, method);
        for prob in &p.thresholds[0].p_crossed_by {
            let x = 150_000.0 - 250.0 * f64::from(prob.day);
            let exact = k.sf(x) * c.sf(x);
            assert!(exact > 0.05 && exact < 0.95, "{exact}");
            within(
                prob.p,
                prob.se,
                exact,
                4.0,
                &format!("{method:?} day {}", prob.day),
            );
            if method == Method::Reduced {
                assert_eq!(prob.conditioned_on.as_deref(), Some("sides.a.killed"));
            }
        }
    }
}

/// The spread of each estimate over `seeds` seeds divided by the mean of its reported
/// standard errors, for the probabilities `pick` chooses.
fn error_ratios(
    m: &Model,
    paths: u64,
    seeds: u64,
    method: Method,
    pick: &[usize],
) -> Vec<(f64, f64)> {
    let runs: Vec<Projection> = (1..=seeds)
        .map(|s| run(m, paths, 1000 + s, method))
        .collect();
    pick.iter()
        .map(|&k| {
            let est: Vec<f64> = runs
                .iter()
                .map(|p| p.thresholds[0].p_crossed_by[k].p)
                .collect();
            let se: f64 = runs
                .iter()
                .map(|p| p.thresholds[0].p_crossed_by[k].se)
                .sum::<f64>()
                / seeds as f64;
            let mean = est.iter().sum::<f64>() / seeds as f64;
            let sd =
                (est.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (seeds as f64 - 1.0)).sqrt();
            (sd / se, mean)
        })
        .collect()
}

#[test]
fn reported_errors_match_the_spread_over_many_seeds() {
    // Over 100 seeds the sample standard deviation of an estimate is itself known to
    // about 7% (1 / sqrt(2 * 99)): a ratio of spread to reported error in 0.8..1.25 is
    // the issue's band, about 3 of those standard deviations either side of 1.
    let w1 = load_file("scenarios/bench/w1.toml".as_ref()).unwrap();
    let w1g = load_file("scenarios/bench/w1g.toml".as_ref()).unwrap();
    let recent = load_file("scenarios/status-quo-recent.toml".as_ref()).unwrap();
    let cases: [(&str, &Model, u64, &[usize]); 3] = [
        ("w1", &w1, 4096, &[0, 1]),
        ("w1g", &w1g, 4096, &[0, 1]),
        // Its report dates 2026-03-31 and 2026-06-30 (later ones are nearly certain).
        ("status-quo-recent", &recent, 2048, &[0, 1]),
    ];
    for (name, m, paths, pick) in cases {
        for method in [Method::Plain, Method::Reduced] {
            for (k, (ratio, mean)) in error_ratios(m, paths, 100, method, pick)
                .into_iter()
                .enumerate()
            {
                eprintln!("{name} {method:?} report {k}: p {mean:.6}, spread / se {ratio:.3}");
                assert!(
                    (0.8..=1.25).contains(&ratio),
                    "{name} {method:?} P(crossed by report {k}) = {mean}: spread / reported se = {ratio:.3}"
                );
            }
        }
    }
}

#[test]
fn quantile_intervals_cover_at_their_nominal_rate() {
    // One side, a lognormal baseline, gamma noise with cv 1 (so that the crossing day
    // spreads over weeks and whole days matter little), fixed rate: the crossing day's
    // quantiles are computable (one integral), and over 200 seeds the 95% intervals of
    // p25, p50 and p75 (600 in all, per method and figure) must hold them at a rate
    // within 3 binomial standard errors (0.027) of 0.95, or above it (whole days and the
    // histogram's 0.01% make intervals slightly conservative).
    let text = "[scenario]\nname = \"cov\"\nreference_date = 2025-12-31\nhorizon_days = 900\nreport_dates = [2026-06-29]\n\n[noise]\nmodel = \"gamma\"\ncv = 1.0\n\n[sides.a]\ncasualties = { lo = 900_000, hi = 1_100_000 }\nrate_per_day = 500\n\n[[thresholds]]\nname = \"1.2M\"\nlevel = 1_200_000\n";
    let m = load_str("cov.toml", text).unwrap();
    let z = 1.644_853_626_951_472_2;
    let (mu, sigma) = (
        (9e5f64.ln() + 1.1e6f64.ln()) / 2.0,
        (1.1e6f64.ln() - 9e5f64.ln()) / (2.0 * z),
    );
    let b = LogNormal::new(mu, sigma).unwrap();
    // P(day <= d) = P(B + 500 G_d >= 1.2M), G_d ~ Gamma(d, 1) (cv 1: shape 1 a day):
    // one integral over G_d.
    let cdf = |d: f64| -> f64 {
        let g = Gamma::new(d, 1.0).unwrap();
        let sd = d.sqrt();
        let (lo, hi) = ((d - 12.0 * sd).max(0.0), d + 12.0 * sd);
        let n = 4000;
        let h = (hi - lo) / n as f64;
        let f = |x: f64| g.ln_pdf(x).exp() * b.sf(1.2e6 - 500.0 * x);
        let mut s = f(lo) + f(hi);
        for i in 1..n {
            s += if i % 2 == 1 { 4.0 } else { 2.0 } * f(lo + i as f64 * h);
        }
        s * h / 3.0
    };
    let levels = [0.25, 0.5, 0.75];
    let exact_days: Vec<u32> = levels
        .iter()
        .map(|&q| (1..900).find(|&d| cdf(f64::from(d)) >= q).unwrap())
        .collect();
    for method in [Method::Plain, Method::Reduced] {
        let mut covered = 0;
        let mut trials = 0;
        for seed in 1..=200 {
            let p = run(&m, 2048, seed, method);
            for q in &p.thresholds[0].crossing {
                let Some(i) = levels.iter().position(|&l| l == q.p) else {
                    continue;
                };
                trials += 1;
                let (lo, hi) = (q.ci_low_day.unwrap(), q.ci_high_day.unwrap());
                if lo <= exact_days[i] && exact_days[i] <= hi {
                    covered += 1;
                }
            }
        }
        let rate = f64::from(covered) / f64::from(trials);
        eprintln!("{method:?}: {covered} of {trials} intervals hold the exact day");
        assert!(
            rate >= 0.95 - 0.027,
            "{method:?}: coverage {rate} of {trials}"
        );
        // Not vacuous: an interval of every day would cover always.
        assert!(rate < 1.0, "{method:?}: coverage {rate}");
    }
}

#[test]
fn weighted_errors_match_the_spread_over_many_seeds() {
    // With observations the scramblings carry unequal weight, and a share's error is the
    // ratio estimator's over them. Status-quo-recent weighted by one report (CSIS's June
    // Russian casualties as a 90% interval), drawn from the prior (no proposal, so the
    // weights are uneven), 100 seeds: spread / reported error in the issue's band.
    let text = std::fs::read_to_string("scenarios/status-quo-recent.toml").unwrap();
    let text = format!(
        "{text}\n[[observations]]\nname = \"June\"\ndate = 2026-06-30\nsides = [\"russia\"]\nmetric = \"casualties\"\nvalue = {{ lo = 1_400_000, hi = 1_580_000 }}\n"
    );
    let mut m = load_str("weighted.toml", &text).unwrap();
    m.proposal = attrition::model::ProposalMode::Off;
    for method in [Method::Plain, Method::Reduced] {
        for (k, (ratio, mean)) in error_ratios(&m, 2048, 100, method, &[0, 1])
            .into_iter()
            .enumerate()
        {
            eprintln!("weighted {method:?} report {k}: p {mean:.6}, spread / se {ratio:.3}");
            assert!(
                (0.8..=1.25).contains(&ratio),
                "weighted {method:?} P(crossed by report {k}) = {mean}: spread / reported se = {ratio:.3}"
            );
        }
    }
}
