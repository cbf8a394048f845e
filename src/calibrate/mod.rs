//! Calibration: rates and noise fitted to a real dated series (`fit`), and projections
//! scored against what the series later showed (`backtest`).
//!
//! ```text
//! CSV --series::parse_series--> Series --fit::fit--> Fit --report::fit::toml--> scenario text
//! Series + Model --backtest::backtest--> Backtest --summary::summarise--> Summaries
//!   --report::backtest--> table, JSON, CSV
//! ```
//!
//! The method, its assumptions and a real backtest are in docs/calibration.md.

pub mod backtest;
pub mod fit;
pub mod series;
pub mod stats;
pub mod summary;
pub mod synthetic;

pub use backtest::{backtest, Backtest, BacktestError, BacktestOptions, OriginFit};
pub use fit::{fit, Fit, FitOptions, Window};
pub use series::{
    parse_corrections, parse_series, remove_corrections, Series, SeriesError, SeriesKind,
};

#[cfg(test)]
mod tests;
