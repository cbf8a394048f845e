//! Library use: load a scenario, run it, and print each threshold's exact crossing-day
//! counts as JSON (what `scripts/bench-vs-peer.sh` compares with the numpy peer).
//!
//! cargo run --release --example crossing_days -- scenarios/bench/w1.toml 100000 1

use attrition::engine::{self, RunConfig, Silent};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: crossing_days SCENARIO PATHS SEED");
        std::process::exit(2);
    }
    let model = match attrition::scenario::load_file(args[1].as_ref()) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let (Ok(paths), Ok(seed)) = (args[2].parse(), args[3].parse()) else {
        eprintln!("PATHS and SEED are whole numbers");
        std::process::exit(2);
    };
    let config = RunConfig {
        paths,
        seed,
        threads: None,
        stepping: Default::default(),
        method: attrition::engine::Method::Plain,
    };
    let tally = engine::run(&model, &config, &Silent).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1);
    });
    // counts[d] for days 0..=horizon, then the paths that did not cross.
    let out: Vec<serde_json::Value> = model
        .thresholds
        .iter()
        .zip(&tally.crossings)
        .map(|(t, c)| serde_json::json!({ "name": t.name, "counts": c.counts() }))
        .collect();
    println!("{}", serde_json::Value::Array(out));
}
