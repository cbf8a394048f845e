//! Comparing scenarios on common random numbers (CRN).

use attrition::comparison::Comparison;
use attrition::engine::compare::compare;
use attrition::engine::{Method, RunConfig, Silent, Stepping};
use attrition::scenario::load_file;

fn config(paths: u64) -> RunConfig {
    RunConfig {
        paths,
        seed: 11,
        threads: Some(2),
        stepping: Stepping::Auto,
        method: Method::Plain,
    }
}

fn reduced(paths: u64, seed: u64) -> RunConfig {
    RunConfig {
        seed,
        method: Method::Reduced,
        ..config(paths)
    }
}

#[test]
fn a_scenario_compared_with_itself_differs_by_nothing() {
    let m = load_file("scenarios/status-quo.toml".as_ref()).unwrap();
    let t = compare(&[&m, &m], &[0, 0], &config(4000), false, &Silent).unwrap();
    let c = Comparison::new(
        &[&m, &m],
        "2M combined casualties",
        &config(4000),
        false,
        &t,
    );
    let r = &c.against[0];
    assert_eq!(r.p_same_day, 1.0);
    for q in &r.quantiles {
        assert_eq!(q.diff_days, Some(0));
        assert_eq!((q.ci_low, q.ci_high), (Some(0.0), Some(0.0)));
    }
}

#[test]
fn common_random_numbers_narrow_the_difference_compared_with_independent_runs() {
    // Escalation differs from the recent-pace status quo only by a phase from April 2026,
    // so on common random numbers their crossing days move together. Measured by the
    // spread over the 32 batch-means groups of the p25, p50 and p75 differences: with
    // independent runs the variance of a difference is the sum of the two variances.
    let a = load_file("scenarios/status-quo-recent.toml".as_ref()).unwrap();
    let b = load_file("scenarios/escalation-2026.toml".as_ref()).unwrap();
    let width = |independent: bool| -> f64 {
        let cfg = config(32_000);
        let t = compare(&[&a, &b], &[0, 0], &cfg, independent, &Silent).unwrap();
        let c = Comparison::new(&[&a, &b], "2M combined casualties", &cfg, independent, &t);
        c.against[0].quantiles[1..4]
            .iter()
            // The groups' spread, without the day either side for whole-day steps.
            .map(|q| q.ci_high.unwrap() - q.ci_low.unwrap() - 2.0)
            .sum()
    };
    let (crn, indep) = (width(false), width(true));
    assert!(
        crn < 0.75 * indep,
        "CRN {crn:.2} vs independent {indep:.2} days of interval width"
    );
    // And on CRN the ordering is nearly certain: escalation never crosses later.
    let cfg = config(8_000);
    let t = compare(&[&a, &b], &[0, 0], &cfg, false, &Silent).unwrap();
    assert_eq!(
        t[0].a_first, 0,
        "the baseline never crosses first on the same draws"
    );
    assert!(t[0].b_first > 7_000);
}

#[test]
fn the_cli_compares_and_refuses_mismatched_scenarios() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_attrition"))
        .args([
            "compare",
            "scenarios/status-quo-recent.toml",
            "scenarios/ceasefire-2026.toml",
            "-n",
            "3000",
            "-q",
            "-f",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["comparison"]["common_random_numbers"], true);
    assert_eq!(v["comparison"]["against"][0]["scenario"], "ceasefire-2026");
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_attrition"))
        .args([
            "compare",
            "scenarios/status-quo.toml",
            "scenarios/bench/w1.toml",
            "-n",
            "100",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("has no threshold named"));
}

#[test]
fn with_quasi_monte_carlo_inputs_the_baseline_is_its_run_and_the_pairs_hold() {
    // Ceasefire-2026 has inputs status-quo-recent lacks (the ceasefire's date and
    // probability): the design puts them after the baseline's, so the baseline's paths
    // are those of its own run, and the shared inputs stay paired.
    let a = load_file("scenarios/status-quo-recent.toml".as_ref()).unwrap();
    let b = load_file("scenarios/ceasefire-2026.toml".as_ref()).unwrap();
    let e = load_file("scenarios/escalation-2026.toml".as_ref()).unwrap();
    let cfg = reduced(6_000, 5);
    let t = compare(&[&a, &b], &[0, 0], &cfg, false, &Silent).unwrap();
    let run = attrition::engine::run(&a, &cfg, &Silent).unwrap();
    assert_eq!(t[0].a, run.crossings[0]);
    // Compared with itself: nothing differs; escalation never crosses later.
    let same = compare(&[&a, &a], &[0, 0], &cfg, false, &Silent).unwrap();
    let c = Comparison::new(&[&a, &a], "2M combined casualties", &cfg, false, &same);
    assert_eq!(c.against[0].p_same_day, 1.0);
    assert_eq!(c.against[0].se_scenario_first, 0.0);
    for q in &c.against[0].quantiles {
        assert_eq!((q.ci_low, q.ci_high), (Some(0.0), Some(0.0)));
    }
    let t = compare(&[&a, &e], &[0, 0], &cfg, false, &Silent).unwrap();
    assert_eq!(t[0].a_first, 0);
    assert_eq!(c.method.replicates, Some(16));
}

#[test]
fn errors_from_the_scramblings_match_the_spread_over_seeds() {
    // P(status-quo-recent crosses first) over 60 seeds: its spread against the mean reported
    // standard error, for both methods. With 60 seeds the ratio of a standard deviation
    // to its expectation is within 0.8 to 1.25 with probability about 0.99 (its own
    // relative error is 1/sqrt(2 x 59) = 0.092; the band is 2.5 of those), and the
    // reduced error is far below the plain one.
    let a = load_file("scenarios/status-quo-recent.toml".as_ref()).unwrap();
    let b = load_file("scenarios/ceasefire-2026.toml".as_ref()).unwrap();
    let spread = |method: Method| -> (f64, f64) {
        let (mut ps, mut ses) = (Vec::new(), Vec::new());
        for seed in 0..60 {
            let cfg = RunConfig {
                method,
                ..reduced(2_048, 1_000 + seed)
            };
            let t = compare(&[&a, &b], &[0, 0], &cfg, false, &Silent).unwrap();
            let c = Comparison::new(&[&a, &b], "2M combined casualties", &cfg, false, &t);
            ps.push(c.against[0].p_baseline_first);
            ses.push(c.against[0].se_baseline_first);
        }
        let n = ps.len() as f64;
        let mean = ps.iter().sum::<f64>() / n;
        let sd = (ps.iter().map(|p| (p - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        (sd, ses.iter().sum::<f64>() / n)
    };
    let (sd_r, se_r) = spread(Method::Reduced);
    let (sd_p, se_p) = spread(Method::Plain);
    for (name, sd, se) in [("reduced", sd_r, se_r), ("plain", sd_p, se_p)] {
        assert!(
            (0.8..1.25).contains(&(sd / se)),
            "{name}: spread {sd:.5} against reported {se:.5}"
        );
    }
    assert!(sd_r < 0.6 * sd_p, "reduced {sd_r:.5} vs plain {sd_p:.5}");
}

#[test]
fn quantile_difference_intervals_cover_over_seeds() {
    // Status quo against peace talks at 10,000 paths, 50 seeds: each nominal 95%
    // interval of the p5..p95 differences holds the median estimate over the seeds (a
    // stand-in for the truth, far steadier than one seed's) in at least 45 of 50 seeds,
    // for both methods. Intervals from the groups' spread alone held it in as few as
    // half of them: the estimate moves in whole days (README, "Comparing scenarios").
    let a = load_file("scenarios/status-quo.toml".as_ref()).unwrap();
    let b = load_file("scenarios/peace-talks.toml".as_ref()).unwrap();
    for method in [Method::Reduced, Method::Plain] {
        let runs: Vec<Vec<(f64, f64, f64)>> = (0..50)
            .map(|seed| {
                let cfg = RunConfig {
                    method,
                    ..reduced(10_000, 1_000 + seed)
                };
                let t = compare(&[&a, &b], &[0, 0], &cfg, false, &Silent).unwrap();
                let c = Comparison::new(&[&a, &b], "2M combined casualties", &cfg, false, &t);
                c.against[0]
                    .quantiles
                    .iter()
                    .map(|q| {
                        (
                            q.diff_days.unwrap() as f64,
                            q.ci_low.unwrap(),
                            q.ci_high.unwrap(),
                        )
                    })
                    .collect()
            })
            .collect();
        for k in 0..runs[0].len() {
            let mut d: Vec<f64> = runs.iter().map(|r| r[k].0).collect();
            d.sort_by(f64::total_cmp);
            let median = d[d.len() / 2];
            let held = runs
                .iter()
                .filter(|r| r[k].1 <= median && median <= r[k].2)
                .count();
            assert!(
                held >= 45,
                "{method:?} quantile {k}: {held} of 50 hold {median}"
            );
        }
    }
}

#[test]
fn observations_no_path_explains_are_refused_and_few_effective_paths_warned() {
    let bin = env!("CARGO_BIN_EXE_attrition");
    let dir = std::env::temp_dir().join(format!("attrition-compare-obs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let absurd = dir.join("absurd.csv");
    std::fs::write(
        &absurd,
        "name,date,sides,metric,lo,hi\nabsurd,2026-06-30,russia,casualties,9000000,9100000\n",
    )
    .unwrap();
    let out = std::process::Command::new(bin)
        .args([
            "compare",
            "scenarios/status-quo.toml",
            "scenarios/peace-talks.toml",
        ])
        .args(["-n", "2000", "-q", "--observe"])
        .arg(&absurd)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("scenarios/status-quo.toml") && err.contains("no path explains"));
    assert!(out.stdout.is_empty());
    // The updated scenario's ten reports, without run's proposal: few effective paths.
    let out = std::process::Command::new(bin)
        .args(["compare", "scenarios/status-quo-updated.toml"])
        .args(["scenarios/status-quo-updated.toml", "-n", "2000"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("effective sample size"), "{err}");
    // A shard's part cannot go to standard output.
    let out = std::process::Command::new(bin)
        .args([
            "compare",
            "scenarios/status-quo.toml",
            "scenarios/peace-talks.toml",
        ])
        .args(["-n", "100", "--shard", "0/2", "--out", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--out FILE"));
    std::fs::remove_dir_all(&dir).unwrap();
}
