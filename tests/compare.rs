//! Comparing scenarios on common random numbers (CRN).

use attrition::comparison::Comparison;
use attrition::engine::compare::compare;
use attrition::engine::{RunConfig, Silent, Stepping};
use attrition::scenario::load_file;

fn config(paths: u64) -> RunConfig {
    RunConfig {
        paths,
        seed: 11,
        threads: Some(2),
        stepping: Stepping::Auto,
        method: attrition::engine::Method::Plain,
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
            .map(|q| q.ci_high.unwrap() - q.ci_low.unwrap())
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
