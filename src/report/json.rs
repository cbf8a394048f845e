//! JSON: the versioned document described in docs/output.md.

use super::envelope::{Body, Envelope};
use super::SCHEMA_VERSION;
use crate::projection::Projection;
use serde::Serialize;

/// A saved JSON document read back (for `attrition plot`).
#[derive(serde::Deserialize)]
pub struct SavedDocument {
    pub schema: String,
    pub schema_version: u32,
    pub projections: Vec<Projection>,
}

/// The body of `attrition run`'s JSON document.
#[derive(Serialize)]
pub struct Projections<'a> {
    pub projections: &'a [Projection],
}

impl Body for Projections<'_> {
    const SCHEMA: &'static str = "attrition.projection";
    const SCHEMA_VERSION: u32 = SCHEMA_VERSION;
}

/// The top-level JSON document of `attrition run`.
pub type Document<'a> = Envelope<Projections<'a>>;

pub fn render(projections: &[Projection]) -> Vec<u8> {
    let value = serde_json::to_value(Document::new(Projections { projections }))
        .expect("projections hold only strings, finite numbers and dates");
    let mut out = String::new();
    pretty(&value, 0, &mut out);
    out.push('\n');
    super::escape::json(&out).into_owned().into_bytes()
}

/// Indented JSON, like serde_json's pretty printer, except that arrays of plain numbers
/// (the daily crossing counts) are written on lines of up to about 100 characters rather
/// than one number a line.
fn pretty(v: &serde_json::Value, indent: usize, out: &mut String) {
    use serde_json::Value;
    let pad = |n: usize| "  ".repeat(n);
    match v {
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_number) => {
            out.push('[');
            let mut line = 0;
            for (i, x) in items.iter().enumerate() {
                let text = x.to_string();
                if i > 0 {
                    out.push(',');
                }
                if i == 0 || line + text.len() > 96 {
                    out.push('\n');
                    out.push_str(&pad(indent + 1));
                    line = 0;
                } else {
                    out.push(' ');
                }
                out.push_str(&text);
                line += text.len() + 2;
            }
            out.push('\n');
            out.push_str(&pad(indent));
            out.push(']');
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                out.push_str(&pad(indent + 1));
                pretty(x, indent + 1, out);
            }
            out.push('\n');
            out.push_str(&pad(indent));
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            out.push('{');
            for (i, (k, x)) in map.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                out.push_str(&pad(indent + 1));
                out.push_str(&Value::String(k.clone()).to_string());
                out.push_str(": ");
                pretty(x, indent + 1, out);
            }
            out.push('\n');
            out.push_str(&pad(indent));
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}
