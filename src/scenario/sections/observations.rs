//! [[observations]] and [sources.NAME]: figures reported after the reference date, which
//! weight the paths by their likelihood (docs/scenarios.md, "Observations").

use super::phases::{known_name, named_items, side_list};
use super::thresholds::{metric, projects};
use super::{non_empty, Date, Node, Sink, Table};
use crate::model::*;
use crate::scenario::keys;
use crate::scenario::range::{bounded_range, range};

/// `[sources.NAME]`: each source's optional bias.
pub(super) fn sources(sink: &mut Sink, node: &Node) -> Option<Vec<Source>> {
    let t = Table::of(sink, "sources", node)?;
    if let Some((key, _)) = t.entries().nth(MAX_SOURCES) {
        sink.error(
            Some(key.span().start),
            &t.key_path(key.get_ref()),
            format!("{} sources: give at most {MAX_SOURCES}", t.map.len()),
        );
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    for (key, value) in t.entries() {
        let name: &str = key.get_ref();
        let path = t.key_path(name);
        if name.trim().is_empty() || name.chars().count() > MAX_NAME_CHARS {
            sink.error(
                Some(key.span().start),
                &path,
                format!("a source's name must be 1 to {MAX_NAME_CHARS} characters"),
            );
            ok = false;
            continue;
        }
        let Some(s) = Table::of(sink, &path, value) else {
            ok = false;
            continue;
        };
        s.only(sink, keys::SOURCE);
        let bias = match s.get("bias") {
            None => Some(None),
            Some(v) => bias(sink, &s.key_path("bias"), v).map(Some),
        };
        match bias {
            Some(bias) => out.push(Source {
                name: name.to_string(),
                bias,
            }),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// A bias: a range of positive factors.
fn bias(sink: &mut Sink, path: &str, node: &Node) -> Option<crate::sample::Dist> {
    use crate::sample::Dist;
    let r = bounded_range(sink, path, node, MAX_FACTOR)?;
    let zero = match r.dist {
        Dist::Fixed(v) => v <= 0.0,
        Dist::Uniform { lo, .. } | Dist::Triangular { lo, .. } | Dist::Pert { lo, .. } => lo <= 0.0,
        Dist::LogNormal { .. } | Dist::TruncNormal { .. } => false,
    };
    if zero {
        sink.error(
            Some(node.span().start),
            path,
            "a bias multiplies the truth and must be above 0: give a range of positive factors (a lognormal [lo, hi] keeps it so)",
        );
        return None;
    }
    Some(r.dist)
}

/// `[[observations]]`, against the sides and the sources read before.
pub(super) fn observations(
    sink: &mut Sink,
    node: &Node,
    sides: &[Side],
    sources: &[Source],
    reference: Date,
    horizon: u32,
) -> Option<Vec<Observation>> {
    let names: Vec<String> = sides.iter().map(|s| s.name.clone()).collect();
    let source_names: Vec<String> = sources.iter().map(|s| s.name.clone()).collect();
    named_items(
        sink,
        "observations",
        "observation",
        MAX_OBSERVATIONS,
        node,
        |sink, path, item| {
            let at = Where {
                sides,
                names: &names,
                sources: &source_names,
                reference,
                horizon,
            };
            observation(sink, path, item, &at)
        },
        |o| &o.name,
    )
}

/// What an observation is read against.
struct Where<'a> {
    sides: &'a [Side],
    names: &'a [String],
    sources: &'a [String],
    reference: Date,
    horizon: u32,
}

fn observation(sink: &mut Sink, path: &str, node: &Node, w: &Where) -> Option<Observation> {
    let t = Table::of(sink, path, node)?;
    t.only(sink, keys::OBSERVATION);
    let name = t
        .required(
            sink,
            "name",
            "name the observation (for example \"CSIS June 2026: Russia\")",
        )
        .and_then(|_| non_empty(sink, &t, "name"));
    let day = t
        .required(sink, "date", "the date the figure is of")
        .and_then(|_| t.date(sink, "date"))
        .and_then(|d| {
            let n = d.days_since(w.reference);
            let at = t.get("date").map(|v| v.span().start);
            if n < 0 {
                sink.error(
                    at,
                    &t.key_path("date"),
                    format!("{d} is before the reference date {}: an observation is of a stock the paths reach", w.reference),
                );
                None
            } else if n > w.horizon as i64 {
                sink.error(
                    at,
                    &t.key_path("date"),
                    format!(
                        "{d} is after the horizon {}",
                        w.reference.add_days(w.horizon as i64)
                    ),
                );
                None
            } else {
                Some(n as u32)
            }
        });
    let metric = metric(sink, &t);
    let ids = match t.get("sides") {
        Some(s) => side_list(sink, &t.key_path("sides"), s, w.names),
        None => Some((0..w.names.len()).collect()),
    };
    let value = t
        .required(
            sink,
            "value",
            "the source's figure as an interval of the truth, for example { lo = 1_400_000, hi = 1_580_000 }",
        )
        .and_then(|v| {
            let r = range(sink, &t.key_path("value"), v)?;
            match Likelihood::of(&r.dist) {
                Ok(l) if r.hi <= MAX_QUANTITY => Some(l),
                Ok(_) => {
                    sink.error(
                        Some(v.span().start),
                        &t.key_path("value"),
                        format!("the figure is above {MAX_QUANTITY:e}, the largest stock the engine takes"),
                    );
                    None
                }
                Err(why) => {
                    sink.error(Some(v.span().start), &t.key_path("value"), why);
                    None
                }
            }
        });
    let source = match t.get("source") {
        None => Some(None),
        Some(v) => t.string(sink, "source").and_then(|s| {
            if w.sources.is_empty() {
                sink.error(
                    Some(v.span().start),
                    &t.key_path("source"),
                    format!(
                        "source '{}' is not declared: add a [sources.{}] table (with an optional bias)",
                        crate::scenario::diag::shown(&s),
                        crate::scenario::diag::shown(&s)
                    ),
                );
                return None;
            }
            known_name(sink, &t.key_path("source"), v, &s, w.sources, "source").map(Some)
        }),
    };
    let (metric, ids) = (metric?, ids?);
    if !projects(sink, &t, metric, &ids, w.sides) {
        return None;
    }
    Some(Observation {
        name: name?,
        day: day?,
        sides: ids,
        metric,
        value: value?,
        source: source?,
    })
}
