//! Renderers: pure functions from results to bytes. `run`'s projections have one file
//! per format (`table`, `json`, `csv`, `svg/`); `compare`, `fit` and `backtest` have one
//! file each, with every format of their result; `message` the messages on standard
//! error as JSON lines. Every JSON document is an `Envelope`.
//! Only the command-line edge decides where the bytes go.

pub mod backtest;
pub mod comparison;
pub mod csv;
pub mod envelope;
pub mod escape;
pub mod fit;
mod json;
pub mod message;
pub mod parquet;
pub mod sensitivity;
pub mod svg;
pub mod sweep;
mod table;

use crate::projection::Projection;

/// Output formats of `attrition run`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
}

impl Format {
    pub const NAMES: [&'static str; 3] = ["table", "json", "csv"];

    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "table" => Some(Format::Table),
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// Version of the JSON and CSV layouts; bumped on any change a reader could notice.
/// 2: `run.noise` is an object of fields (model, sigma, cv, shape, correlation,
/// description) where version 1 had only the description. 3: `run.method` (plain or
/// reduced), `se` from the scramblings in reduced runs, each probability's `method`,
/// every quantile's 95% interval (`ci_low*`, `ci_high*`), and `run.precision`.
pub const SCHEMA_VERSION: u32 = 3;

/// The oldest JSON result `attrition plot` reads: version 1 differs only in `run.noise`,
/// which reads back exactly from its sentence; version 2 lacks version 3's additions,
/// which read back as a plain run's without intervals.
pub const OLDEST_READABLE_SCHEMA_VERSION: u32 = 1;

pub fn render(format: Format, projections: &[Projection]) -> Vec<u8> {
    match format {
        Format::Table => table::render(projections).into_bytes(),
        Format::Json => json::render(projections),
        Format::Csv => csv::render(projections).into_bytes(),
    }
}

pub use envelope::{Body, Envelope, Generator};
pub use json::{Document, Projections, SavedDocument};
