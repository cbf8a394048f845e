//! A JSON Schema of scenario files, generated from the loader's own key tables, so that
//! editors (Taplo / Even Better TOML) can check and complete scenario files. The
//! committed copy, docs/scenario.schema.json, is kept equal to this by a test; `attrition
//! schema` prints it.

use super::range::{RANGE_KEYS, SHAPES};
use super::sections::dynamics::{
    CORRELATION_KEYS, FORCE_KEYS, LAWS, SEASON_KEYS, TREND_KEYS, TREND_RANGE_KEYS,
};
use super::sections::events::{EVENT_KEYS, START_KEYS};
use super::sections::phases::PHASE_KEYS;
use super::sections::regimes::{REGIME_KEYS, STATE_KEYS, STEPS};
use super::sections::sides::{IMPLIED_KEYS, SIDE_KEYS};
use super::sections::thresholds::{METRICS, THRESHOLD_KEYS};
use super::sections::{META_KEYS, NOISE_KEYS, NOISE_MODELS, TOP_KEYS};
use serde_json::{json, Map, Value};

/// Builds an object schema from `(key, schema)` pairs, checking that exactly the loader's
/// `keys` are described (a key added to the loader without a schema entry panics here,
/// and the schema test catches it).
fn object(keys: &[&str], props: Vec<(&str, Value)>, required: &[&str], description: &str) -> Value {
    let mut map = Map::new();
    for (k, v) in props {
        assert!(
            keys.contains(&k),
            "schema describes '{k}', which the loader does not read"
        );
        map.insert(k.to_string(), v);
    }
    for k in keys {
        assert!(
            map.contains_key(*k),
            "the loader reads '{k}', which the schema does not describe"
        );
    }
    json!({
        "type": "object",
        "description": description,
        "properties": map,
        "required": required,
        "additionalProperties": false,
    })
}

fn date(description: &str) -> Value {
    json!({ "type": "string", "format": "date", "description": description })
}

/// The schema, as a JSON value.
pub fn json_schema() -> Value {
    let range = json!({
        "description": "An uncertain number: a fixed value, [lo, hi] (a lognormal 90% interval), or a table with a shape (docs/scenarios.md, Ranges).",
        "oneOf": [
            { "type": "number", "minimum": 0 },
            { "type": "array", "items": { "type": "number", "exclusiveMinimum": 0 }, "minItems": 2, "maxItems": 2 },
            object(RANGE_KEYS, vec![
                ("shape", json!({ "enum": SHAPES, "default": "lognormal" })),
                ("lo", json!({ "type": "number", "minimum": 0 })),
                ("hi", json!({ "type": "number", "minimum": 0 })),
                ("mode", json!({ "type": "number", "minimum": 0, "description": "triangular and pert" })),
                ("interval", json!({ "type": "number", "minimum": 0.01, "exclusiveMaximum": 1, "default": 0.9, "description": "lognormal and normal: the central probability between lo and hi" })),
                ("lambda", json!({ "type": "number", "exclusiveMinimum": 0, "default": 4, "description": "pert: weight of the mode" })),
                ("value", json!({ "type": "number", "minimum": 0, "description": "fixed" })),
            ], &[], "A range with an explicit shape."),
        ]
    });
    let implied = object(
        IMPLIED_KEYS,
        vec![
            (
                "total",
                json!({ "oneOf": [{ "$ref": "#/$defs/range" }, { "const": "casualties" }], "description": "the reported total over the period, or \"casualties\" for the side's own baseline" }),
            ),
            ("from", date("first day of the period")),
            (
                "to",
                date("last day of the period; default and latest: the reference date"),
            ),
        ],
        &["total", "from"],
        "A daily rate implied by a total over a period: total / days(from, to).",
    );
    let side_list = json!({ "type": "array", "items": { "type": "string" }, "minItems": 1, "uniqueItems": true });
    let probability = json!({ "type": "number", "minimum": 0, "maximum": 1 });
    let multipliers = json!({ "type": "object", "additionalProperties": { "$ref": "#/$defs/range" }, "minProperties": 1 });
    let start = json!({ "oneOf": [
        date("a fixed start date"),
        object(START_KEYS, vec![
            ("from", date("the first date it can start")),
            ("to", date("the last date it can start (uniform between from and to)")),
            ("monthly_hazard", json!({ "type": "number", "exclusiveMinimum": 0, "maximum": 1, "description": "probability of starting in any month from `from` on (constant daily hazard)" })),
        ], &["from"], "A start window or a monthly hazard."),
    ]});
    let event = object(
        EVENT_KEYS,
        vec![
            (
                "name",
                json!({ "type": "string", "minLength": 1, "maxLength": crate::model::MAX_NAME_CHARS }),
            ),
            (
                "probability",
                json!({ "$ref": "#/$defs/range", "description": "probability that the event happens (values above 1 are clamped)" }),
            ),
            ("start", start),
            ("sides", side_list.clone()),
            ("multiplier", json!({ "$ref": "#/$defs/range" })),
            ("multipliers", multipliers.clone()),
            (
                "duration_days",
                json!({ "$ref": "#/$defs/range", "description": "how long it lasts, in days" }),
            ),
            (
                "end_monthly_hazard",
                json!({ "type": "number", "minimum": 0, "maximum": 1, "description": "probability of ending in any month after it started" }),
            ),
        ],
        &["name", "probability", "start"],
        "An uncertain event (ceasefire, escalation) that multiplies rates while it lasts.",
    );
    let regime = object(
        STATE_KEYS,
        vec![
            ("sides", side_list.clone()),
            ("multiplier", json!({ "$ref": "#/$defs/range" })),
            ("multipliers", multipliers.clone()),
            (
                "next",
                json!({ "type": "object", "additionalProperties": probability.clone(), "description": "probabilities of the next regime; sum to 1" }),
            ),
        ],
        &["next"],
        "One regime: its rate multipliers and transition probabilities.",
    );
    let regimes = object(
        REGIME_KEYS,
        vec![
            ("step", json!({ "enum": STEPS })),
            (
                "initial",
                json!({ "oneOf": [{ "type": "string" }, { "type": "object", "additionalProperties": probability.clone() }] }),
            ),
            (
                "states",
                json!({ "type": "object", "minProperties": 1, "maxProperties": crate::model::MAX_REGIMES, "propertyNames": { "minLength": 1, "maxLength": crate::model::MAX_NAME_CHARS }, "additionalProperties": regime }),
            ),
        ],
        &["step", "initial", "states"],
        "Intensity regimes switching by a Markov chain.",
    );
    let seasonality = object(
        SEASON_KEYS,
        vec![
            (
                "months",
                json!({ "type": "array", "items": { "type": "number", "minimum": 0 }, "minItems": 12, "maxItems": 12 }),
            ),
            (
                "amplitude",
                json!({ "type": "number", "minimum": 0, "maximum": 1 }),
            ),
            (
                "peak_month",
                json!({ "type": "integer", "minimum": 1, "maximum": 12 }),
            ),
            ("sides", side_list.clone()),
        ],
        &[],
        "Rate multipliers by calendar month.",
    );
    let trend = object(
        TREND_KEYS,
        vec![
            (
                "percent_per_month",
                json!({ "oneOf": [
                    { "type": "number", "minimum": crate::model::MIN_TREND, "maximum": crate::model::MAX_TREND },
                    object(TREND_RANGE_KEYS, vec![
                        ("lo", json!({ "type": "number" })),
                        ("hi", json!({ "type": "number" })),
                        ("shape", json!({ "enum": ["normal", "uniform"], "default": "normal" })),
                    ], &["lo", "hi"], "A trend range (normal: lo and hi are a 90% interval)."),
                ]}),
            ),
            ("sides", side_list.clone()),
        ],
        &["percent_per_month"],
        "Growth of the rates, compounded by calendar month.",
    );
    let correlation = object(
        CORRELATION_KEYS,
        vec![
            (
                "inputs",
                json!({ "type": "array", "items": { "type": "string" }, "minItems": 2, "uniqueItems": true }),
            ),
            (
                "rho",
                json!({ "type": "number", "exclusiveMinimum": -1, "exclusiveMaximum": 1 }),
            ),
            (
                "spearman",
                json!({ "type": "number", "exclusiveMinimum": -1, "exclusiveMaximum": 1 }),
            ),
        ],
        &["inputs"],
        "Inputs drawn through a Gaussian copula.",
    );
    let force = object(
        FORCE_KEYS,
        vec![("law", json!({ "enum": LAWS }))],
        &["law"],
        "Force-dependent (Lanchester) attrition.",
    );
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://attrition.invalid/scenario.schema.json",
        "title": "attrition scenario file",
        "$defs": { "range": range },
        "type": "object",
        "additionalProperties": false,
        "required": ["scenario", "noise", "sides"],
        "properties": object(TOP_KEYS, vec![
            ("scenario", object(META_KEYS, vec![
                ("name", json!({ "type": "string", "minLength": 1, "maxLength": crate::model::MAX_NAME_CHARS })),
                ("title", json!({ "type": "string", "maxLength": 2 * crate::model::MAX_NAME_CHARS })),
                ("reference_date", date("day 0: the date of the baseline stocks")),
                ("horizon", date("the last simulated date (or give horizon_days)")),
                ("horizon_days", json!({ "type": "integer", "minimum": 1, "maximum": crate::model::MAX_HORIZON_DAYS })),
                ("report_dates", json!({ "type": "array", "items": date("a report date"), "maxItems": crate::model::MAX_REPORT_DATES })),
                ("paths", json!({ "type": "integer", "minimum": 1, "maximum": crate::model::MAX_PATHS, "default": super::sections::DEFAULT_PATHS })),
                ("seed", json!({ "type": "integer", "minimum": 0, "maximum": crate::model::MAX_SEED, "default": super::sections::DEFAULT_SEED })),
            ], &["name", "reference_date"], "What the scenario is and how it runs.")),
            ("noise", object(NOISE_KEYS, vec![
                ("model", json!({ "enum": NOISE_MODELS })),
                ("sigma", json!({ "type": "number", "minimum": crate::model::MIN_NOISE, "maximum": 2.148 })),
                ("cv", json!({ "type": "number", "minimum": crate::model::MIN_NOISE, "maximum": 10 })),
                ("correlation", json!({ "type": "number", "minimum": 0, "exclusiveMaximum": 1, "description": "correlation of the sides' day-to-day shocks" })),
            ], &["model"], "Day-to-day variation of each side's daily count, mean one.")),
            ("sides", json!({
                "type": "object",
                "minProperties": 1,
                "maxProperties": crate::model::MAX_SIDES,
                "propertyNames": { "pattern": "^[A-Za-z][A-Za-z0-9_-]*$", "maxLength": crate::model::MAX_NAME_CHARS, "not": { "const": "combined" } },
                "additionalProperties": object(SIDE_KEYS, vec![
                    ("casualties", json!({ "$ref": "#/$defs/range", "description": "cumulative casualties on the reference date" })),
                    ("rate_per_day", json!({ "oneOf": [{ "$ref": "#/$defs/range" }, implied], "description": "mean casualties per day" })),
                    ("killed", json!({ "$ref": "#/$defs/range", "description": "killed on the reference date" })),
                    ("killed_share", json!({ "$ref": "#/$defs/range", "description": "share of new casualties who are killed" })),
                    ("force", json!({ "$ref": "#/$defs/range", "description": "troops in the line on the reference date (with [force])" })),
                    ("recruits_per_day", json!({ "$ref": "#/$defs/range", "description": "troops added to the line each day (with [force])" })),
                    ("return_to_duty", json!({ "$ref": "#/$defs/range", "description": "share of casualties who return to the line (with [force])" })),
                ], &["casualties", "rate_per_day"], "One side (belligerent)."),
            })),
            ("phases", json!({ "type": "array", "maxItems": crate::model::MAX_PHASES, "items": object(PHASE_KEYS, vec![
                ("name", json!({ "type": "string", "minLength": 1, "maxLength": crate::model::MAX_NAME_CHARS })),
                ("start", date("first day of the phase")),
                ("end", date("last day of the phase (inclusive); default: the horizon")),
                ("sides", side_list.clone()),
                ("multiplier", json!({ "$ref": "#/$defs/range" })),
                ("multipliers", json!({ "type": "object", "additionalProperties": { "$ref": "#/$defs/range" }, "minProperties": 1 })),
            ], &["name", "start"], "A date window in which rates are multiplied by a drawn factor.") })),
            ("thresholds", json!({ "type": "array", "maxItems": crate::model::MAX_THRESHOLDS, "items": object(THRESHOLD_KEYS, vec![
                ("name", json!({ "type": "string", "minLength": 1, "maxLength": crate::model::MAX_NAME_CHARS })),
                ("metric", json!({ "enum": METRICS, "default": "casualties" })),
                ("sides", side_list),
                ("level", json!({ "type": "number", "exclusiveMinimum": 0, "maximum": crate::model::MAX_QUANTITY })),
            ], &["name", "level"], "A level of a metric summed over sides.") })),
            ("events", json!({ "type": "array", "maxItems": crate::model::MAX_EVENTS, "items": event })),
            ("regimes", regimes),
            ("seasonality", seasonality),
            ("trend", trend),
            ("correlations", json!({ "type": "array", "maxItems": crate::model::MAX_CORRELATIONS, "items": correlation })),
            ("force", force),
        ], &[], "").get("properties").cloned().unwrap_or_default(),
    })
}

/// The schema as pretty JSON text with a final newline, as committed.
pub fn json_schema_text() -> String {
    let mut s = serde_json::to_string_pretty(&json_schema()).expect("a JSON value");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_committed_schema_is_the_generated_one() {
        let committed = std::fs::read_to_string("docs/scenario.schema.json").unwrap_or_default();
        assert!(
            committed == super::json_schema_text(),
            "docs/scenario.schema.json is out of date: run `cargo run -- schema > docs/scenario.schema.json`"
        );
    }
}
