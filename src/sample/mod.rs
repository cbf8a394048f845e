//! Samplers and the seed plan: what a path draws, and from which stream.

pub mod dist;
pub mod noise;
pub mod normal;
pub mod stream;

pub use dist::{Dist, DistError};
