//! `attrition`: scenario projections of war losses from reported ranges.
//!
//! A scenario file states each side's baseline stocks and casualty rates as the ranges a
//! source reported; the engine runs it as many Monte Carlo paths and reports when summed
//! losses cross a threshold, as a distribution over dates. Data flows one way:
//!
//! ```text
//! file --scenario::load_file--> Model --engine::run--> Tally
//!      --Projection::from_tally--> Projection --report::render--> bytes
//! ```
//!
//! Load a scenario, run it, and read typed results:
//!
//! ```
//! use attrition::engine::{self, RunConfig, Silent};
//! use attrition::report::{render, Format};
//!
//! let model = attrition::scenario::load_file("scenarios/bench/w0.toml".as_ref())?;
//! let config = RunConfig { paths: 2_000, seed: 7, threads: Some(1), ..RunConfig::from_model(&model) };
//! let tally = engine::run(&model, &config, &Silent)?;
//! let projection = attrition::Projection::from_tally(&model, &config, &tally, None);
//!
//! // Typed results: the median crossing day of the first threshold.
//! let median = &projection.thresholds[0].crossing[2];
//! assert_eq!(median.p, 0.5);
//! assert!(median.day.unwrap() > 150 && median.day.unwrap() < 260);
//!
//! // They serialize to the JSON that `attrition run --format json` prints.
//! let json: serde_json::Value = serde_json::from_slice(&render(Format::Json, &[projection.clone()]))?;
//! assert_eq!(json["projections"][0], serde_json::to_value(&projection)?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Scenario text can come from memory too, and every problem is reported with its place:
//!
//! ```
//! let err = attrition::scenario::load_str("inline.toml", "[scenario]\nname = 1\n").unwrap_err();
//! assert_eq!(
//!     err.diagnostics[0].to_string(),
//!     "inline.toml:2:8: scenario.name: expected a string, found an integer"
//! );
//! ```
//!
//! `examples/crossing_days.rs` is a complete program on this API.

pub mod calibrate;
pub mod comparison;
pub mod date;
pub mod engine;
pub mod model;
pub mod precision;
pub mod projection;
pub mod report;
pub mod sample;
pub mod scenario;
pub mod sensitivity;
pub mod shard;
pub mod stats;
pub mod sweep;

pub use date::Date;
pub use model::Model;
pub use projection::Projection;
