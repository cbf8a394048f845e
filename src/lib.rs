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
//! ```
//! let model = attrition::scenario::load_file("scenarios/bench/w0.toml".as_ref()).unwrap();
//! let config = attrition::engine::RunConfig { paths: 2_000, seed: 7, threads: Some(1), stepping: Default::default() };
//! let tally = attrition::engine::run(&model, &config, &attrition::engine::Silent).unwrap();
//! let projection = attrition::Projection::from_tally(&model, &config, &tally, None);
//! let median = &projection.thresholds[0].crossing[2];
//! assert_eq!(median.p, 0.5);
//! assert!(median.day.unwrap() > 150 && median.day.unwrap() < 260);
//! ```

pub mod date;
pub mod engine;
pub mod model;
pub mod projection;
pub mod report;
pub mod sample;
pub mod scenario;
pub mod stats;

pub use date::Date;
pub use model::Model;
pub use projection::Projection;
