//! `--target-se`, `--target-days` and `--plain` at the command line: runs stop at the
//! first round that meets the target (and not before), say so, give the same bytes on
//! any thread count, and refuse what is not a target.

mod common;
use common::{attrition, stderr, stdout};

fn json(args: &[&str]) -> serde_json::Value {
    let o = attrition(&[&["run"], args, &["-f", "json", "-q"]].concat());
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

/// The largest standard error of a projection's P(crossed by) and P(not crossed).
fn largest_se(v: &serde_json::Value) -> f64 {
    let mut m: f64 = 0.0;
    for t in v["projections"][0]["thresholds"].as_array().unwrap() {
        for c in t["p_crossed_by"].as_array().unwrap() {
            m = m.max(c["se"].as_f64().unwrap());
        }
        m = m.max(t["p_not_crossed_se"].as_f64().unwrap());
    }
    m
}

#[test]
fn target_se_stops_at_the_first_round_that_meets_it() {
    for method in [&["--plain"][..], &[][..]] {
        let target = if method.is_empty() { 2e-5 } else { 4e-3 };
        let t = target.to_string();
        let args = [
            &[
                "scenarios/bench/w1.toml",
                "--target-se",
                &t,
                "--round-paths",
                "2048",
            ][..],
            method,
        ]
        .concat();
        let v = json(&args);
        let run = &v["projections"][0]["run"];
        let paths = run["paths"].as_u64().unwrap();
        let precision = &run["precision"];
        assert_eq!(precision["met"], true, "{precision}");
        assert_eq!(precision["target_se"].as_f64(), Some(target));
        let rounds = precision["rounds"].as_u64().unwrap();
        assert_eq!(paths, 2048 * rounds);
        assert!(largest_se(&v) <= target, "{precision}");
        assert_eq!(precision["largest_se"].as_f64(), Some(largest_se(&v)));
        // Not one round too many: the run of one round fewer misses the target...
        assert!(
            rounds >= 2,
            "{method:?}: the first round met it: pick a smaller target"
        );
        let fewer = (paths - 2048).to_string();
        let before = json(&[&["scenarios/bench/w1.toml", "-n", &fewer][..], method].concat());
        assert!(largest_se(&before) > target, "{method:?}");
        // ...and the rounds are one run of the paths used, to the byte.
        let whole = json(
            &[
                &["scenarios/bench/w1.toml", "-n", &paths.to_string()][..],
                method,
            ]
            .concat(),
        );
        assert_eq!(
            whole["projections"][0]["thresholds"],
            v["projections"][0]["thresholds"]
        );
    }
}

#[test]
fn target_days_bounds_every_quantile_interval() {
    let v = json(&[
        "scenarios/status-quo.toml",
        "--plain",
        "--target-days",
        "2",
        "--round-paths",
        "1024",
    ]);
    let precision = &v["projections"][0]["run"]["precision"];
    assert_eq!(precision["met"], true, "{precision}");
    assert!(precision["rounds"].as_u64().unwrap() >= 2, "{precision}");
    for t in v["projections"][0]["thresholds"].as_array().unwrap() {
        for q in t["crossing"].as_array().unwrap() {
            let (d, lo, hi) = (
                q["day"].as_u64().unwrap(),
                q["ci_low_day"].as_u64().unwrap(),
                q["ci_high_day"].as_u64().unwrap(),
            );
            assert!(d - lo <= 2 && hi - d <= 2, "{q}");
        }
    }
}

#[test]
fn a_target_out_of_reach_stops_at_max_paths_and_says_so() {
    let o = attrition(&[
        "run",
        "scenarios/bench/w1.toml",
        "--plain",
        "--target-se",
        "1e-6",
        "--round-paths",
        "1024",
        "--max-paths",
        "3000",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("was not reached in 3000 paths"),
        "{}",
        stderr(&o)
    );
    assert!(
        stdout(&o).contains("NOT met: stopped at 3,000 paths"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn targets_give_the_same_bytes_on_any_thread_count() {
    let run = |threads: &str| {
        let o = attrition(&[
            "run",
            "scenarios/peace-talks.toml",
            "--target-se",
            "3e-4",
            "--round-paths",
            "4096",
            "-j",
            threads,
            "-f",
            "json",
            "-q",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        o.stdout
    };
    assert_eq!(run("1"), run("2"));
}

#[test]
fn nonsense_targets_are_refused_naming_the_argument() {
    let cases: [(&[&str], &str); 8] = [
        (&["--target-se", "0"], "--target-se"),
        (&["--target-se=-0.1"], "--target-se"),
        (&["--target-days", "abc"], "--target-days"),
        (&["--target-days", "inf"], "--target-days"),
        (&["--target-se", "1e-3", "--paths", "5000"], "--paths"),
        (&["--target-se", "1e-3", "--samples", "x.csv"], "--samples"),
        (&["--max-paths", "5000"], "--max-paths"),
        (&["--round-paths", "5000"], "--round-paths"),
    ];
    for (args, named) in cases {
        let o = attrition(&[&["run", "scenarios/bench/w1.toml"], args].concat());
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(named), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).is_empty());
    }
}

#[test]
fn the_output_states_the_method_of_every_figure() {
    let reduced = json(&["scenarios/peace-talks.toml", "-n", "4096"]);
    let run = &reduced["projections"][0]["run"];
    assert_eq!(run["method"]["name"], "reduced");
    assert_eq!(run["method"]["replicates"], 16);
    assert!(run["method"]["qmc_inputs"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("events.ceasefire.happens")));
    let c = &reduced["projections"][0]["thresholds"][0]["p_crossed_by"][0];
    assert_eq!(c["method"], "conditional");
    assert_eq!(c["conditioned_on"], "sides.russia.casualties");
    let plain = json(&["scenarios/peace-talks.toml", "-n", "4096", "--plain"]);
    assert_eq!(plain["projections"][0]["run"]["method"]["name"], "plain");
    let c = &plain["projections"][0]["thresholds"][0]["p_crossed_by"][0];
    assert_eq!(c["method"], "plain");
    assert!(c.get("conditioned_on").is_none());
    let table = attrition(&["run", "scenarios/peace-talks.toml", "-n", "4096", "-q"]);
    let text = stdout(&table);
    assert!(
        text.contains("method: randomized quasi-Monte Carlo"),
        "{text}"
    );
    assert!(text.contains("; conditional)"), "{text}");
    assert!(text.contains("95% interval"), "{text}");
    let csv = stdout(&attrition(&[
        "run",
        "scenarios/peace-talks.toml",
        "-n",
        "4096",
        "-q",
        "-f",
        "csv",
    ]));
    assert!(
        csv.contains(",cdf_method,2026-03-31,2026-03-31,90,conditional\n"),
        "{csv}"
    );
    assert!(csv.contains(",quantile_ci_low,0.5,"), "{csv}");
    assert!(
        csv.contains(",run,method,,replicates,reduced,,,16\n"),
        "{csv}"
    );
}
