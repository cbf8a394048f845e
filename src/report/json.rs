//! JSON: the versioned document described in docs/output.md.

use super::SCHEMA_VERSION;
use crate::projection::Projection;
use serde::Serialize;

/// The top-level JSON document.
#[derive(Serialize)]
pub struct Document<'a> {
    pub schema: &'static str,
    pub schema_version: u32,
    pub generator: Generator,
    pub projections: &'a [Projection],
}

#[derive(Serialize)]
pub struct Generator {
    pub tool: &'static str,
    pub version: &'static str,
}

impl<'a> Document<'a> {
    pub fn new(projections: &'a [Projection]) -> Self {
        Document {
            schema: "attrition.projection",
            schema_version: SCHEMA_VERSION,
            generator: Generator {
                tool: "attrition",
                version: env!("CARGO_PKG_VERSION"),
            },
            projections,
        }
    }
}

pub fn render(projections: &[Projection]) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(&Document::new(projections))
        .expect("projections hold only strings, finite numbers and dates");
    out.push(b'\n');
    out
}
