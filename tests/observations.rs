//! Paths weighted by observations, against exact answers: a closed-form lognormal
//! posterior, conditioning by rejection, Kish's effective sample size from the weights
//! themselves, and the bytes of a run whatever its threads or rounds. Fixed seeds;
//! tolerances from the Monte Carlo standard errors the engine reports.

use attrition::engine::{self, RunConfig, Silent, Simulator, Stepping, Tally};
use attrition::scenario::load_str;
use attrition::{Model, Projection};
use statrs::distribution::{ContinuousCDF, Normal};

const Z95: f64 = 1.644_853_626_951_472_2;

fn model(text: &str) -> Model {
    load_str("test.toml", text).unwrap_or_else(|e| panic!("{e}"))
}

fn config(paths: u64, seed: u64, threads: usize) -> RunConfig {
    RunConfig {
        paths,
        seed,
        threads: Some(threads),
        stepping: Stepping::Auto,
        method: attrition::engine::Method::Plain,
    }
}

fn run(m: &Model, c: &RunConfig) -> (Tally, Projection) {
    let tally = engine::run(m, c, &Silent).unwrap();
    let p = Projection::from_tally(m, c, &tally, None);
    (tally, p)
}

/// A lognormal's (mu, sigma) from its 90% interval.
fn ln90(lo: f64, hi: f64) -> (f64, f64) {
    ((lo.ln() + hi.ln()) / 2.0, (hi.ln() - lo.ln()) / (2.0 * Z95))
}

/// The figure of `closed_form`'s observation: inside the prior, and one sharper than the
/// prior far in its upper tail, which the scenario's own draws reach with few paths (the
/// run then draws from a proposal).
const INSIDE: (f64, f64) = (1_000_000.0, 1_150_000.0);
const TAIL: (f64, f64) = (1_120_000.0, 1_160_000.0);

/// One side, no noise, a fixed rate of 1,000 a day and a lognormal baseline, observed on
/// the reference date as `figure` (with a lognormal source bias or without).
fn closed_form(bias: Option<(f64, f64)>, figure: (f64, f64)) -> String {
    let (source, sources) = match bias {
        Some((lo, hi)) => (
            "source = \"s\"\n".to_string(),
            format!("\n[sources.s]\nbias = {{ lo = {lo}, hi = {hi} }}\n"),
        ),
        None => (String::new(), String::new()),
    };
    format!(
        r#"[scenario]
name = "closed"
reference_date = 2025-12-31
horizon_days = 400
report_dates = [2026-04-10, 2026-05-30, 2026-06-19, 2026-07-19, 2026-09-07]

[noise]
model = "none"

[sides.a]
casualties = {{ lo = 900_000, hi = 1_100_000 }}
rate_per_day = 1000

[[thresholds]]
name = "1.2M"
level = 1_200_000

[[observations]]
name = "baseline"
date = 2025-12-31
value = {{ lo = {}, hi = {} }}
{source}{sources}"#,
        figure.0, figure.1
    )
}

#[test]
fn a_lognormal_baseline_observed_has_the_closed_form_posterior() {
    use attrition::model::ProposalMode;
    let cases = [
        (None, INSIDE, ProposalMode::Off),
        (Some((0.95, 1.1)), INSIDE, ProposalMode::Off),
        (None, TAIL, ProposalMode::Auto),
        (Some((0.95, 1.1)), TAIL, ProposalMode::Auto),
        (None, TAIL, ProposalMode::Off),
    ];
    let mut tail_effective = Vec::new();
    for (bias, figure, mode) in cases {
        let mut m = model(&closed_form(bias, figure));
        m.proposal = mode;
        let (mu0, s0) = ln90(900_000.0, 1_100_000.0);
        let (lm, sigma) = ln90(figure.0, figure.1);
        // ln m = ln B + ln b + e: the bias adds its mean and variance to the error's.
        let (mb, sb) = bias.map_or((0.0, 0.0), |(lo, hi)| ln90(lo, hi));
        let v = sigma * sigma + sb * sb;
        let prec = 1.0 / (s0 * s0) + 1.0 / v;
        let mu = (mu0 / (s0 * s0) + (lm - mb) / v) / prec;
        let post = Normal::new(mu, prec.sqrt().recip()).unwrap();
        let (_, p) = run(&m, &config(200_000, 7, 2));
        let w = p.run.weights.as_ref().unwrap();
        // The tail figure under `auto` is drawn from a proposal, which buys paths.
        assert_eq!(
            w.proposal.is_some(),
            mode == ProposalMode::Auto,
            "{bias:?} {figure:?} {mode:?}: effective {}",
            w.effective_paths
        );
        if bias.is_none() && figure == TAIL {
            tail_effective.push(w.effective_paths);
        }
        let bias = (bias, figure, mode);
        let t = &p.thresholds[0];
        for c in &t.p_crossed_by {
            // Crossed by day d exactly when B + 1000 d >= 1.2M.
            let exact = 1.0 - post.cdf((1_200_000.0 - 1000.0 * c.day as f64).ln());
            assert!(
                (c.p - exact).abs() <= 4.0 * c.se.max(1e-4),
                "bias {bias:?}, day {}: {} vs exact {exact} (se {})",
                c.day,
                c.p,
                c.se
            );
        }
        // Each crossing quantile is the first day whose exact CDF reaches its level,
        // within the error of the CDF there.
        let cdf = |d: f64| 1.0 - post.cdf((1_200_000.0 - 1000.0 * d).ln());
        for q in &t.crossing {
            let d = q.day.unwrap() as f64;
            let se = (q.p * (1.0 - q.p) / p.run.weights.as_ref().unwrap().effective_paths).sqrt();
            assert!(
                cdf(d) >= q.p - 4.0 * se && cdf(d - 1.0) <= q.p + 4.0 * se,
                "bias {bias:?}: the {} quantile day {d} has exact CDF {} .. {}",
                q.p,
                cdf(d - 1.0),
                cdf(d)
            );
        }
        // The prior percentile of the figure: P(B < m) under the prior, exactly.
        let o = &p.observations[0];
        let exact = Normal::new(mu0, s0).unwrap().cdf(lm);
        assert!(
            (o.prior_percentile - exact).abs() <= 4.0 * o.prior_percentile_se,
            "{} vs {exact}",
            o.prior_percentile
        );
        // The posterior median of the stock is exp(mu), to the histogram's accuracy.
        let median = o.posterior[2].value;
        assert!(
            (median / mu.exp() - 1.0).abs() < 0.01,
            "{median} vs {}",
            mu.exp()
        );
    }
    // The proposal's effective sample size against the scenario's own draws'.
    let [auto, off] = tail_effective[..] else {
        panic!("two tail runs")
    };
    assert!(
        auto > 5.0 * off,
        "proposal {auto} against prior draws {off}"
    );
}

/// Events, regimes, noise, killed and a uniform and a lognormal observation.
const RICH: &str = r#"[scenario]
name = "rich"
reference_date = 2025-12-31
horizon_days = 365
report_dates = [2026-06-30, 2026-09-30, 2026-12-31]

[noise]
model = "lognormal"
sigma = 0.3

[sides.a]
casualties = [900_000, 1_100_000]
rate_per_day = [800, 1_200]
killed = [200_000, 260_000]
killed_share = [0.2, 0.3]

[sides.b]
casualties = [400_000, 600_000]
rate_per_day = [300, 500]

[[events]]
name = "ceasefire"
probability = 0.4
start = { from = 2026-02-01, to = 2026-08-01 }
multiplier = 0.2
duration_days = [30, 120]

[regimes]
step = "month"
initial = "grind"
[regimes.states.grind]
multiplier = 1
next = { grind = 0.8, hot = 0.2 }
[regimes.states.hot]
multiplier = 1.5
next = { grind = 0.5, hot = 0.5 }

[[thresholds]]
name = "2M"
level = 2_000_000

[[observations]]
name = "a in June"
date = 2026-06-30
sides = ["a"]
value = { lo = 1_150_000, hi = 1_300_000 }

[[observations]]
name = "a killed in April"
date = 2026-04-30
sides = ["a"]
metric = "killed"
value = { lo = 240_000, hi = 300_000, shape = "uniform" }
"#;

/// A uniform in [0, 1) from a path index (SplitMix64), independent of the engine's streams.
fn unit(i: u64) -> f64 {
    let mut z = i
        .wrapping_add(0x9E37_79B9_7F4A_7C15)
        .wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[test]
fn weighted_figures_agree_with_rejection_sampling_on_other_paths() {
    let m = model(RICH);
    let (_, p) = run(&m, &config(100_000, 11, 2));
    // Rejection: paths of another seed, each kept with probability its weight.
    let mut sim = Simulator::new(&m, Stepping::Auto);
    let (mut kept, mut crossed, mut happened, mut hot_days) = (0u64, [0u64; 3], 0u64, 0u64);
    for i in 0..300_000 {
        let s = sim.simulate(12, i);
        if unit(i) >= s.log_weight().exp() {
            continue;
        }
        kept += 1;
        for (k, &d) in m.report_days.iter().enumerate() {
            crossed[k] += u64::from(s.crossing()[0].is_some_and(|c| c <= d));
        }
        happened += u64::from(s.draws().events[0].happened);
        hot_days += u64::from(s.draws().regime_days[1]);
    }
    assert!(kept > 5_000, "only {kept} paths kept");
    let n = kept as f64;
    let close = |what: &str, weighted: f64, se: f64, rejected: f64, rse: f64| {
        let tol = 4.0 * (se * se + rse * rse).sqrt();
        assert!(
            (weighted - rejected).abs() <= tol.max(1e-4),
            "{what}: weighted {weighted} (se {se}) vs rejection {rejected} (se {rse})"
        );
    };
    for (k, c) in p.thresholds[0].p_crossed_by.iter().enumerate() {
        let r = crossed[k] as f64 / n;
        close(
            &format!("P(by {})", c.date),
            c.p,
            c.se,
            r,
            (r * (1.0 - r) / n).sqrt(),
        );
    }
    let e = &p.events[0];
    let r = happened as f64 / n;
    close(
        "P(ceasefire)",
        e.p_happened,
        e.p_happened_se,
        r,
        (r * (1.0 - r) / n).sqrt(),
    );
    let hot = &p.regimes[1];
    let r = hot_days as f64 / n / 365.0;
    // The share's sd over paths is at most 0.5: a bound for its error.
    close("hot share", hot.share_of_days, hot.se, r, 0.5 / n.sqrt());
}

#[test]
fn a_uniform_observation_is_exactly_conditioning() {
    // Weights 0 or 1: the weighted figures are the shares among the paths that satisfy
    // the figure, to the last bit.
    let text = RICH.replace(
        "value = { lo = 1_150_000, hi = 1_300_000 }",
        "value = { lo = 1_150_000, hi = 1_300_000, shape = \"uniform\" }",
    );
    let mut m = model(&text);
    // The paths the simulator draws: the scenario's own.
    m.proposal = attrition::model::ProposalMode::Off;
    let paths = 20_000;
    let (tally, p) = run(&m, &config(paths, 3, 2));
    let mut sim = Simulator::new(&m, Stepping::Auto);
    let (mut kept, mut crossed) = (0u64, vec![0u64; m.report_days.len()]);
    for i in 0..paths {
        let s = sim.simulate(3, i);
        let inside = s.log_weight() == 0.0;
        assert!(inside || s.log_weight() == f64::NEG_INFINITY);
        if inside {
            kept += 1;
            for (k, &d) in m.report_days.iter().enumerate() {
                crossed[k] += u64::from(s.crossing()[0].is_some_and(|c| c <= d));
            }
        }
    }
    let w = tally.weights.as_ref().unwrap();
    assert_eq!(w.zero, paths - kept);
    assert!((w.effective_paths() - kept as f64).abs() < 1e-6);
    for (k, c) in p.thresholds[0].p_crossed_by.iter().enumerate() {
        assert_eq!(c.p, crossed[k] as f64 / kept as f64);
        let q = c.p;
        assert!((c.se - (q * (1.0 - q) / kept as f64).sqrt()).abs() < 1e-12);
    }
}

#[test]
fn the_effective_sample_size_is_kish_of_the_paths_weights() {
    let mut m = model(RICH);
    m.proposal = attrition::model::ProposalMode::Off;
    let paths = 30_000;
    let (tally, p) = run(&m, &config(paths, 5, 2));
    let mut sim = Simulator::new(&m, Stepping::Auto);
    let (mut s1, mut s2) = (0.0f64, 0.0f64);
    for i in 0..paths {
        let w = sim.simulate(5, i).log_weight().exp();
        s1 += w;
        s2 += w * w;
    }
    let kish = s1 * s1 / s2;
    let got = tally.weights.as_ref().unwrap().effective_paths();
    assert!((got / kish - 1.0).abs() < 1e-6, "{got} vs {kish}");
    assert_eq!(p.run.weights.as_ref().unwrap().effective_paths, got);
}

#[test]
fn weighted_runs_are_the_same_bytes_on_any_threads_and_in_rounds() {
    let m = model(RICH);
    let one = engine::run(&m, &config(5_000, 9, 1), &Silent).unwrap();
    let two = engine::run(&m, &config(5_000, 9, 2), &Silent).unwrap();
    assert_eq!(one, two);
    // 1,500 paths, then 3,500 more, from inside a batch: the tally of one run.
    let first = engine::run(&m, &config(1_500, 9, 2), &Silent).unwrap();
    let more = engine::run_more(&m, &config(5_000, 9, 2), &Silent, first, 1_500).unwrap();
    assert_eq!(more, one);
    let json = |t: &Tally| {
        let c = config(5_000, 9, 1);
        serde_json::to_string(&Projection::from_tally(&m, &c, t, None)).unwrap()
    };
    assert_eq!(json(&more), json(&two));
    // So with a proposal, which each run fits by itself.
    let m = model(&closed_form(Some((0.95, 1.1)), TAIL));
    let one = engine::run(&m, &config(3_000, 9, 1), &Silent).unwrap();
    assert!(one.weights.as_ref().unwrap().proposal.is_some());
    let two = engine::run(&m, &config(3_000, 9, 2), &Silent).unwrap();
    assert_eq!(one, two);
    let first = engine::run(&m, &config(1_000, 9, 2), &Silent).unwrap();
    let more = engine::run_more(&m, &config(3_000, 9, 2), &Silent, first, 1_000).unwrap();
    assert_eq!(more, one);
}

#[test]
fn compare_pairs_weighted_scenarios_on_common_random_numbers() {
    use attrition::comparison::Comparison;
    use attrition::engine::compare::compare;
    let base = model(RICH);
    // The same scenario with a late offensive, after every observation: its weights are
    // the baseline's path by path, so the pairs differ only after it starts.
    let later = model(&RICH.replace(
        "[[thresholds]]",
        "[[phases]]\nname = \"offensive\"\nstart = 2026-08-01\nmultiplier = 1.5\n\n[[thresholds]]",
    ));
    let c = config(20_000, 4, 2);
    let pairs = compare(&[&base, &later], &[0, 0], &c, false, &Silent).unwrap();
    let cmp = Comparison::new(&[&base, &later], "2M", &c, false, &pairs);
    // The baseline's marginal is the weighted run's, to the day.
    let (tally, p) = run(&base, &c);
    assert_eq!(pairs[0].a, tally.crossings[0]);
    for (q, r) in cmp.against[0]
        .quantiles
        .iter()
        .zip(&p.thresholds[0].crossing)
    {
        assert_eq!(q.baseline_day, r.day);
    }
    // The offensive only speeds crossings up: never the baseline first.
    assert_eq!(pairs[0].a_first, 0);
    assert!(cmp.against[0].p_scenario_first > 0.3);
    // Paired, the intervals are far narrower than on independent paths.
    let ind = compare(&[&base, &later], &[0, 0], &c, true, &Silent).unwrap();
    let ind = Comparison::new(&[&base, &later], "2M", &c, true, &ind);
    // The groups' spread: each interval also adds a day either side for the whole-day
    // steps of the quantiles, which pairing cannot narrow.
    let width = |r: &attrition::comparison::PairResult| {
        let q = &r.quantiles[2];
        q.ci_high.unwrap() - q.ci_low.unwrap() - 2.0
    };
    assert!(
        2.0 * width(&cmp.against[0]) < width(&ind.against[0]),
        "paired {} vs independent {}",
        width(&cmp.against[0]),
        width(&ind.against[0])
    );
}
