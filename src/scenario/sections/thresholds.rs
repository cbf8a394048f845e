//! [[thresholds]]: a level of a metric summed over sides.

use super::phases::{side_list, table_array};
use super::string;
use super::{did_you_mean, non_empty, Node, Sink, Table};
use crate::model::*;

use crate::scenario::keys::METRICS;

pub(super) fn thresholds(sink: &mut Sink, node: &Node, sides: &[Side]) -> Option<Vec<Threshold>> {
    let names: Vec<String> = sides.iter().map(|s| s.name.clone()).collect();
    let mut out: Vec<Threshold> = Vec::new();
    let mut ok = true;
    for (path, item) in table_array(sink, "thresholds", node, MAX_THRESHOLDS)? {
        match threshold(sink, &path, item, sides, &names) {
            Some(t) if out.iter().any(|o| o.name == t.name) => {
                sink.error(
                    Some(item.span().start),
                    &format!("{path}.name"),
                    format!(
                        "another threshold is already named '{}'",
                        crate::scenario::diag::shown(&t.name)
                    ),
                );
                ok = false;
            }
            Some(t) => out.push(t),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn threshold(
    sink: &mut Sink,
    path: &str,
    node: &Node,
    sides: &[Side],
    names: &[String],
) -> Option<Threshold> {
    let t = Table::of(sink, path, node)?;
    t.only(sink, crate::scenario::keys::THRESHOLD);
    let name = t
        .required(
            sink,
            "name",
            "name the threshold (for example \"2 million combined casualties\")",
        )
        .and_then(|_| non_empty(sink, &t, "name"));
    let metric = metric(sink, &t);
    let ids = match t.get("sides") {
        Some(s) => side_list(sink, &t.key_path("sides"), s, names),
        None => Some((0..names.len()).collect()),
    };
    let level = t
        .required(
            sink,
            "level",
            "the level of the summed metric, for example 2_000_000",
        )
        .and_then(|_| t.number(sink, "level"));
    let level = level.and_then(|l| {
        if l > 0.0 && l <= MAX_QUANTITY {
            Some(l)
        } else {
            sink.error(
                t.get("level").map(|v| v.span().start),
                &t.key_path("level"),
                format!(
                    "{} must be above 0 and at most {MAX_QUANTITY:e}",
                    crate::sample::dist::fmt_num(l)
                ),
            );
            None
        }
    });
    let (metric, ids) = (metric?, ids?);
    if !projects(sink, &t, metric, &ids, sides) {
        return None;
    }
    Some(Threshold {
        name: name?,
        metric,
        sides: ids,
        level: level?,
    })
}

/// A table's `metric` key: casualties (the default) or killed.
pub(super) fn metric(sink: &mut Sink, t: &Table) -> Option<Metric> {
    match t.get("metric") {
        None => Some(Metric::Casualties),
        Some(v) => string(sink, &t.key_path("metric"), v).and_then(|m| match m.as_str() {
            "casualties" => Some(Metric::Casualties),
            "killed" => Some(Metric::Killed),
            _ => {
                let hint = did_you_mean(&m, METRICS)
                    .map(|h| format!("did you mean '{h}'? "))
                    .unwrap_or_default();
                sink.error(
                    Some(v.span().start),
                    &t.key_path("metric"),
                    format!(
                        "unknown metric '{}'; {hint}metrics are: casualties, killed",
                        crate::scenario::diag::shown(&m)
                    ),
                );
                None
            }
        }),
    }
}

/// Whether every side in `ids` projects `metric` (killed needs killed and killed_share);
/// records why not at the table's `metric` key.
pub(super) fn projects(
    sink: &mut Sink,
    t: &Table,
    metric: Metric,
    ids: &[SideId],
    sides: &[Side],
) -> bool {
    if metric == Metric::Killed {
        let without: Vec<&str> = ids
            .iter()
            .filter(|&&id| sides[id].killed.is_none())
            .map(|&id| sides[id].name.as_str())
            .collect();
        if !without.is_empty() {
            let (which, verb) = if without.len() == 1 {
                ("side", "does")
            } else {
                ("sides", "do")
            };
            sink.error(
                t.get("metric").map(|v| v.span().start),
                &t.key_path("metric"),
                format!(
                    "{which} '{}' {verb} not project killed: give each killed and killed_share, or use metric = \"casualties\"",
                    without.join("', '")
                ),
            );
            return false;
        }
    }
    true
}
