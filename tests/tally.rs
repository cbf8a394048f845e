//! A tally serialises exactly: read back, it is the same tally, and a tally merged from
//! parts in any order saves the same bytes as the one run (the basis of shards).

use attrition::engine::{self, RunConfig, Silent, Tally};
use attrition::stats::LogHistogram;

fn run(file: &str, paths: u64, threads: usize) -> Tally {
    let model = attrition::scenario::load_file(file.as_ref()).unwrap();
    let config = RunConfig {
        paths,
        seed: 5,
        threads: Some(threads),
        stepping: Default::default(),
        method: attrition::engine::Method::Plain,
    };
    engine::run(&model, &config, &Silent).unwrap()
}

#[test]
fn a_tally_reads_back_as_itself_and_saves_the_same_bytes_whatever_the_merge_order() {
    // Events, regimes and both metrics: every part of a tally.
    for file in [
        "scenarios/peace-talks.toml",
        "scenarios/grind-and-offensives.toml",
    ] {
        let one = run(file, 3 * 1024 + 5, 1);
        let text = serde_json::to_string(&one).unwrap();
        let back: Tally = serde_json::from_str(&text).unwrap();
        // (Not assert_eq!: a tally's debug print runs to megabytes.)
        assert!(back == one, "{file}: read back differs");
        // Two workers merge their parts in whatever order they finish: same bytes.
        let two = run(file, 3 * 1024 + 5, 2);
        assert!(
            serde_json::to_string(&two).unwrap() == text,
            "{file}: bytes differ"
        );
    }
}

#[test]
fn a_histogram_that_no_run_could_make_is_refused() {
    let mut h = LogHistogram::new(8);
    for x in [0.0, 2.0, 3.0] {
        h.add(x);
    }
    let good = serde_json::to_value(&h).unwrap();
    assert_eq!(
        serde_json::from_value::<LogHistogram>(good.clone()).unwrap(),
        h
    );
    let broken = |field: &str, value: serde_json::Value| {
        let mut v = good.clone();
        v[field] = value;
        serde_json::from_value::<LogHistogram>(v).is_err()
    };
    assert!(
        broken("counts", serde_json::json!([0, 1])),
        "an empty end bucket"
    );
    assert!(
        broken("counts", serde_json::json!(vec![1; 9])),
        "more buckets than it keeps"
    );
    assert!(
        broken("min", serde_json::Value::Null),
        "values without a minimum"
    );
    assert!(
        broken("max", serde_json::json!(-1.0)),
        "extremes out of order"
    );
    assert!(
        broken("shift", serde_json::json!(63)),
        "a resolution past 2^62"
    );
    assert!(
        broken("lo", serde_json::json!(i32::MAX)),
        "indices past i32"
    );
    assert!(serde_json::from_str::<attrition::stats::DayCounts>("[3]").is_err());
}

#[test]
fn a_tally_read_back_is_checked_against_the_model_it_claims() {
    let load = |f: &str| attrition::scenario::load_file(f.as_ref()).unwrap();
    let (peace, quo) = (
        load("scenarios/peace-talks.toml"),
        load("scenarios/status-quo.toml"),
    );
    let tally = run("scenarios/peace-talks.toml", 2 * 1024 + 7, 2);
    assert_eq!(tally.check(&peace), Ok(()));
    // Another scenario's layout.
    assert!(tally.check(&quo).unwrap_err().contains("layout"));
    // Counts that no longer add up: one path more on one crossing day.
    let mut v = serde_json::to_value(&tally).unwrap();
    let day = v["crossings"][0]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c.as_u64() != Some(0))
        .unwrap();
    v["crossings"][0][day] = (v["crossings"][0][day].as_u64().unwrap() + 1).into();
    let changed: Tally = serde_json::from_value(v.clone()).unwrap();
    assert!(changed.check(&peace).unwrap_err().contains("count"));
    // An event's counts that disagree with how often it happened.
    let mut v = serde_json::to_value(&tally).unwrap();
    v["events"][0]["happened"] = (v["events"][0]["happened"].as_u64().unwrap() + 1).into();
    let changed: Tally = serde_json::from_value(v).unwrap();
    assert!(changed.check(&peace).is_err());
    // A weighted tally with randomized quasi-Monte Carlo inputs, read against its
    // scenario, and against one without observations.
    let updated = load("scenarios/status-quo-updated.toml");
    let config = RunConfig {
        paths: 1500,
        seed: 3,
        threads: Some(2),
        stepping: Default::default(),
        method: attrition::engine::Method::Reduced,
    };
    let weighted = engine::run(&updated, &config, &Silent).unwrap();
    assert_eq!(weighted.replicates.len(), 16, "scramblings' tallies");
    assert_eq!(weighted.check(&updated), Ok(()));
    let mut plain = updated.clone();
    plain.observations.clear();
    assert!(weighted.check(&plain).is_err());
    // A scrambling's counts changed: no longer the sum.
    let mut changed = weighted.clone();
    changed.replicates[3].paths += 1;
    assert!(changed.check(&updated).is_err());
}

#[test]
fn tallies_of_ranges_merge_to_the_whole_run() {
    // run_range over any split of the paths, merged in any order: run's tally, with plain
    // inputs and with randomized quasi-Monte Carlo ones (their scramblings' tallies too).
    let model =
        attrition::scenario::load_file("scenarios/grind-and-offensives.toml".as_ref()).unwrap();
    for method in [
        attrition::engine::Method::Plain,
        attrition::engine::Method::Reduced,
    ] {
        let config = RunConfig {
            paths: 3 * 1024 + 100,
            seed: 11,
            threads: Some(2),
            stepping: Default::default(),
            method,
        };
        let whole = engine::run(&model, &config, &Silent).unwrap();
        let cuts = [0, 7, 700, 1024, 2900, config.paths];
        let parts: Vec<Tally> = cuts
            .windows(2)
            .map(|w| engine::run_range(&model, &config, w[0]..w[1], &Silent).unwrap())
            .collect();
        for p in &parts {
            assert_eq!(p.check(&model), Ok(()), "{method:?}");
        }
        let merged = parts.into_iter().rev().reduce(|a, b| b.merge(a)).unwrap();
        assert!(merged == whole, "{method:?}");
        assert!(engine::run_range(&model, &config, 5..5, &Silent).is_err());
        assert!(engine::run_range(&model, &config, 0..config.paths + 1, &Silent).is_err());
    }
}
