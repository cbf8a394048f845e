//! Mergeable streaming statistics. Everything here is integer counts, so merging batch
//! results in any order gives identical bytes: results cannot depend on the thread count.

pub mod days;
pub mod loghist;

pub use days::DayCounts;
pub use loghist::LogHistogram;
