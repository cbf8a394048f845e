//! Samplers and the seed plan: what a path draws, and from which stream.

pub mod dist;
pub mod fast32;
pub mod gamma;
pub mod lanes;
pub mod noise;
pub mod normal;
pub mod sobol;
pub mod stream;
#[cfg(test)]
pub(crate) mod testutil;
pub mod ziggurat;

pub use dist::{Dist, DistError};
