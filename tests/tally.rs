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
