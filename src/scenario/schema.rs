//! A JSON Schema of scenario files, generated from the key specs (keys.rs) that the loader
//! checks keys against, so that editors (Taplo / Even Better TOML) can check and complete
//! scenario files with the loader's own names, types and bounds. The committed copy,
//! docs/scenario.schema.json, is kept equal to this by a test; `attrition schema` prints it.

use super::keys::{self, DefaultValue, Key, Limit, ValueKind};
use crate::model::{MAX_FACTOR, MAX_NAME_CHARS, MAX_REGIMES, MAX_SIDES, MAX_SOURCES};
use serde_json::{json, Map, Value};

/// The object schema of a table with the keys `keys`: no other key is allowed.
fn object(keys: &[Key], description: &str) -> Value {
    let mut props = Map::new();
    for k in keys {
        props.insert(k.name.to_string(), value(k));
    }
    let required: Vec<&str> = keys.iter().filter(|k| k.required).map(|k| k.name).collect();
    let mut v = json!({
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": false,
    });
    describe(&mut v, description);
    v
}

fn describe(v: &mut Value, description: &str) {
    if !description.is_empty() {
        v["description"] = json!(description);
    }
}

fn date() -> Value {
    json!({ "type": "string", "format": "date" })
}

fn range() -> Value {
    json!({ "$ref": "#/$defs/range" })
}

/// Sets `minimum` / `exclusiveMinimum` and `maximum` / `exclusiveMaximum` from the limits.
fn bounds(v: &mut Value, min: Option<Limit>, max: Option<Limit>) {
    for (limit, inclusive, exclusive) in [
        (min, "minimum", "exclusiveMinimum"),
        (max, "maximum", "exclusiveMaximum"),
    ] {
        if let Some(l) = limit {
            v[if l.exclusive { exclusive } else { inclusive }] = num(l.value);
        }
    }
}

/// `x` as JSON, without a `.0` when it is whole (`"minimum": 0`, as written by hand).
fn num(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}

fn number(min: Option<Limit>, max: Option<Limit>) -> Value {
    let mut v = json!({ "type": "number" });
    bounds(&mut v, min, max);
    v
}

/// The schema of one key's value, with its doc line and default.
fn value(k: &Key) -> Value {
    // The keys of a table form (`ValueKind::keys`), for the kinds that have one.
    let inner = k.kind.keys().unwrap_or_default();
    let probability = json!({ "type": "number", "minimum": 0, "maximum": 1 });
    let mut v = match k.kind {
        ValueKind::Text {
            min_chars,
            max_chars,
        } => {
            let mut v = json!({ "type": "string", "maxLength": max_chars });
            if min_chars > 0 {
                v["minLength"] = json!(min_chars);
            }
            v
        }
        ValueKind::Number { min, max } => number(min, max),
        ValueKind::Integer { min, max } => {
            json!({ "type": "integer", "minimum": min, "maximum": max })
        }
        ValueKind::Date => date(),
        ValueKind::Dates { max_items } => {
            json!({ "type": "array", "items": date(), "maxItems": max_items })
        }
        ValueKind::Range => range(),
        ValueKind::Choice(values) => json!({ "enum": values }),
        ValueKind::SideList => {
            json!({ "type": "array", "items": { "type": "string" }, "minItems": 1, "uniqueItems": true })
        }
        ValueKind::PerSide => {
            json!({ "type": "object", "additionalProperties": range(), "minProperties": 1 })
        }
        ValueKind::Probabilities => {
            json!({ "type": "object", "additionalProperties": probability })
        }
        ValueKind::Months => {
            json!({ "type": "array", "items": { "type": "number", "minimum": 0, "maximum": num(MAX_FACTOR) }, "minItems": 12, "maxItems": 12 })
        }
        ValueKind::Inputs => {
            json!({ "type": "array", "items": { "type": "string" }, "minItems": 2, "uniqueItems": true })
        }
        // A table describes itself: its doc line is the object's description.
        ValueKind::Table(keys) => return object(keys, k.doc),
        ValueKind::Tables { keys, max } => {
            json!({ "type": "array", "maxItems": max, "items": object(keys, "") })
        }
        ValueKind::Sides => json!({
            "type": "object",
            "minProperties": 1,
            "maxProperties": MAX_SIDES,
            "propertyNames": { "pattern": "^[A-Za-z][A-Za-z0-9_-]*$", "maxLength": MAX_NAME_CHARS, "not": { "const": "combined" } },
            "additionalProperties": object(inner, "One side (belligerent)."),
        }),
        ValueKind::States => json!({
            "type": "object",
            "minProperties": 1,
            "maxProperties": MAX_REGIMES,
            "propertyNames": { "minLength": 1, "maxLength": MAX_NAME_CHARS },
            "additionalProperties": object(inner, "One regime: its rate multipliers and transition probabilities."),
        }),
        ValueKind::Sources => json!({
            "type": "object",
            "maxProperties": MAX_SOURCES,
            "propertyNames": { "minLength": 1, "maxLength": MAX_NAME_CHARS },
            "additionalProperties": object(inner, "One source: its optional bias."),
        }),
        ValueKind::Rate => {
            json!({ "oneOf": [range(), object(inner, "A daily rate implied by a total over a period: total / days(from, to).")] })
        }
        ValueKind::Total => json!({ "oneOf": [range(), { "const": "casualties" }] }),
        ValueKind::EventStart => {
            json!({ "oneOf": [date(), object(inner, "A start window or a monthly hazard.")] })
        }
        ValueKind::Trend => {
            // A bare number has the bounds of the range's lo.
            let Some(Key {
                kind: ValueKind::Number { min, max },
                ..
            }) = inner.first()
            else {
                unreachable!("a trend range starts with its numeric lo")
            };
            json!({ "oneOf": [number(*min, *max), object(inner, "A trend range (normal: lo and hi are a 90% interval).")] })
        }
        ValueKind::Initial => {
            json!({ "oneOf": [{ "type": "string" }, { "type": "object", "additionalProperties": probability }] })
        }
        ValueKind::Sweep => json!({
            "type": "object",
            "minProperties": 1,
            "additionalProperties": { "type": "array", "minItems": 1 }
        }),
    };
    describe(&mut v, k.doc);
    match k.default {
        DefaultValue::None => {}
        DefaultValue::Integer(n) => v["default"] = json!(n),
        DefaultValue::Number(x) => v["default"] = num(x),
        DefaultValue::Text(s) => v["default"] = json!(s),
    }
    v
}

/// The schema, as a JSON value.
pub fn json_schema() -> Value {
    let range = json!({
        "description": "An uncertain number: a fixed value, [lo, hi] (a lognormal 90% interval), or a table with a shape (docs/scenarios.md, Ranges).",
        "oneOf": [
            { "type": "number", "minimum": 0 },
            { "type": "array", "items": { "type": "number", "exclusiveMinimum": 0 }, "minItems": 2, "maxItems": 2 },
            object(keys::RANGE, "A range with an explicit shape."),
        ]
    });
    let mut top = object(keys::TOP, "");
    let mut schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://attrition.invalid/scenario.schema.json",
        "title": "attrition scenario file",
        "$defs": { "range": range },
    });
    if let (Some(s), Some(t)) = (schema.as_object_mut(), top.as_object_mut()) {
        s.append(t);
    }
    schema
}

/// The schema as pretty JSON text with a final newline, as committed.
pub fn json_schema_text() -> String {
    let mut s = serde_json::to_string_pretty(&json_schema()).expect("a JSON value");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    /// Issue 13: the schema said 2.148 where the loader allows sqrt(ln 101), so an editor
    /// refused `sigma = 2.1482` that `validate` accepts.
    #[test]
    fn the_schema_takes_the_loaders_sigma_bound() {
        let sigma = &super::json_schema()["properties"]["noise"]["properties"]["sigma"];
        assert_eq!(sigma["maximum"], crate::model::MAX_NOISE_SIGMA);
        assert!(sigma["maximum"].as_f64() > Some(2.1482));
    }

    #[test]
    fn the_committed_schema_is_the_generated_one() {
        let committed = std::fs::read_to_string("docs/scenario.schema.json").unwrap_or_default();
        assert!(
            committed == super::json_schema_text(),
            "docs/scenario.schema.json is out of date: run `cargo run -- schema > docs/scenario.schema.json`"
        );
    }
}
