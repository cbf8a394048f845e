//! Reading an uncertain number ("range") from a scenario file into a `Dist`.
//!
//! Forms: a bare number (fixed), `[lo, hi]` (lognormal 90% interval), or a table
//! `{ lo, hi, shape, mode, interval, lambda, value }`. See docs/scenarios.md.

use super::diag::Sink;
use super::walk::{array, kind, number, string, Node, Table};
use crate::sample::Dist;
use toml::de::DeValue;

pub const SHAPES: &[&str] = &[
    "lognormal",
    "uniform",
    "triangular",
    "pert",
    "normal",
    "fixed",
];

/// A drawn quantity as the file stated it.
#[derive(Clone, Debug)]
pub struct Range {
    pub dist: Dist,
    /// The stated upper bound (for a fixed value, the value).
    pub hi: f64,
}

/// Reads `node` (at key path `path`) as a range; `None` after recording why it is not one.
pub fn range(sink: &mut Sink, path: &str, node: &Node<'_>) -> Option<Range> {
    let at = Some(node.span().start);
    match node.get_ref() {
        DeValue::Integer(_) | DeValue::Float(_) => {
            let v = number(sink, path, node)?;
            finish(sink, path, at, Dist::fixed(v), v)
        }
        DeValue::Array(_) => {
            let items = array(sink, path, node)?;
            if items.len() != 2 {
                sink.error(
                    at,
                    path,
                    format!(
                        "a range written as an array needs exactly two numbers [lo, hi], found {}",
                        items.len()
                    ),
                );
                return None;
            }
            let lo = number(sink, &format!("{path}[0]"), &items[0]);
            let hi = number(sink, &format!("{path}[1]"), &items[1]);
            let (lo, hi) = (lo?, hi?);
            finish(sink, path, at, Dist::lognormal(lo, hi, 0.9), hi)
        }
        DeValue::Table(_) => table_range(sink, path, node),
        other => {
            sink.error(
                at,
                path,
                format!(
                    "expected a range (a number, [lo, hi], or {{ lo = .., hi = .. }}), found {}",
                    kind(other)
                ),
            );
            None
        }
    }
}

/// A range whose stated upper end may not exceed `max` (the engine's limits).
pub fn bounded_range(sink: &mut Sink, path: &str, node: &Node<'_>, max: f64) -> Option<Range> {
    let r = range(sink, path, node)?;
    if r.hi > max {
        sink.error(
            Some(node.span().start),
            path,
            format!(
                "{} is above {max:e}, the largest value the engine accepts here",
                crate::sample::dist::fmt_num(r.hi)
            ),
        );
        return None;
    }
    Some(r)
}

fn table_range(sink: &mut Sink, path: &str, node: &Node<'_>) -> Option<Range> {
    let t = Table::of(sink, path, node)?;
    t.only(sink, super::keys::RANGE);
    let at = Some(node.span().start);
    let shape = match t.get("shape") {
        Some(v) => {
            let s = string(sink, &t.key_path("shape"), v)?;
            if !SHAPES.contains(&s.as_str()) {
                let hint = super::diag::did_you_mean(&s, SHAPES)
                    .map(|h| format!("did you mean '{h}'? "))
                    .unwrap_or_default();
                sink.error(
                    Some(v.span().start),
                    &t.key_path("shape"),
                    format!(
                        "unknown shape '{}'; {hint}shapes are: {}",
                        super::diag::shown(&s),
                        SHAPES.join(", ")
                    ),
                );
                return None;
            }
            s
        }
        None if t.has("value") && !t.has("lo") && !t.has("hi") => "fixed".to_string(),
        None => "lognormal".to_string(),
    };
    let uses: &[&str] = match shape.as_str() {
        "fixed" => &["value"],
        "lognormal" | "normal" => &["lo", "hi", "interval"],
        "uniform" => &["lo", "hi"],
        "triangular" => &["lo", "mode", "hi"],
        _ => &["lo", "mode", "hi", "lambda"],
    };
    let mut ok = true;
    for key in ["lo", "hi", "mode", "interval", "lambda", "value"] {
        if t.has(key) && !uses.contains(&key) {
            sink.error(
                Some(t.get(key).unwrap().span().start),
                &t.key_path(key),
                format!(
                    "'{key}' is not used by shape \"{shape}\" (it uses: {})",
                    uses.join(", ")
                ),
            );
            ok = false;
        }
    }
    let mut need = |key: &str| -> Option<f64> {
        if !uses.contains(&key) {
            return None;
        }
        match t.get(key) {
            Some(v) => number(sink, &t.key_path(key), v),
            None if key == "interval" => Some(0.9),
            None if key == "lambda" => Some(4.0),
            None => {
                t.missing(
                    sink,
                    key,
                    &format!("shape \"{shape}\" needs {}", needed(uses).join(", ")),
                );
                None
            }
        }
    };
    let lo = need("lo");
    let hi = need("hi");
    let mode = need("mode");
    let interval = need("interval");
    let lambda = need("lambda");
    let value = need("value");
    if !ok {
        return None;
    }
    let (dist, hi) = match shape.as_str() {
        "fixed" => {
            let v = value?;
            (Dist::fixed(v), v)
        }
        "lognormal" => (Dist::lognormal(lo?, hi?, interval?), hi?),
        "normal" => (Dist::truncated_normal(lo?, hi?, interval?), hi?),
        "uniform" => (Dist::uniform(lo?, hi?), hi?),
        "triangular" => (Dist::triangular(lo?, mode?, hi?), hi?),
        _ => (Dist::pert(lo?, mode?, hi?, lambda?), hi?),
    };
    finish(sink, path, at, dist, hi)
}

fn finish(
    sink: &mut Sink,
    path: &str,
    at: Option<usize>,
    dist: Result<Dist, crate::sample::DistError>,
    hi: f64,
) -> Option<Range> {
    match dist {
        Ok(dist) => Some(Range { dist, hi }),
        Err(e) => {
            sink.error(at, path, e.0);
            None
        }
    }
}

/// The keys a shape cannot do without (interval and lambda have defaults).
fn needed<'a>(uses: &[&'a str]) -> Vec<&'a str> {
    uses.iter()
        .copied()
        .filter(|k| !matches!(*k, "interval" | "lambda"))
        .collect()
}
