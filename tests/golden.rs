//! Golden outputs: each shipped scenario at its own seed and 20,000 paths, as JSON and CSV.
//! Any change to a number shows up here as a diff to review. After an intended change,
//! regenerate with `UPDATE_GOLDEN=1 cargo test --test golden` and review `git diff tests/golden`.

use attrition::engine::{self, RunConfig, Silent};
use attrition::report::{render, Format};
use attrition::{scenario, Projection};
use std::fs;
use std::path::Path;

const PATHS: u64 = 20_000;

#[test]
fn shipped_scenarios_match_their_golden_outputs() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    let mut files: Vec<_> = fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    files.sort();
    assert!(files.len() >= 4);
    for file in files {
        let model = scenario::load_file(&file).unwrap();
        // Golden runs use two threads; results do not depend on it (tested elsewhere).
        let config = RunConfig {
            paths: PATHS,
            seed: model.default_seed,
            threads: Some(2),
            stepping: Default::default(),
            method: attrition::engine::Method::Reduced,
        };
        let tally = engine::run(&model, &config, &Silent).unwrap();
        let name = file.to_str().unwrap();
        let projection = Projection::from_tally(&model, &config, &tally, Some(name));
        for (format, ext) in [(Format::Json, "json"), (Format::Csv, "csv")] {
            let got = render(format, std::slice::from_ref(&projection));
            let golden = Path::new("tests/golden").join(format!("{}.{ext}", model.name));
            if update {
                fs::write(&golden, &got).unwrap();
            } else if fs::read(&golden).ok().as_deref() != Some(got.as_slice()) {
                failures.push(golden.display().to_string());
            }
        }
    }
    assert!(
        failures.is_empty(),
        "outputs differ from {failures:?}; if the change is intended, run UPDATE_GOLDEN=1 cargo test --test golden and review the diff"
    );
}
