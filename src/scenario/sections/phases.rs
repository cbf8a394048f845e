//! [[phases]]: date windows that multiply rates, and the side lists they share with thresholds.

use super::{array, string};
use super::{did_you_mean, non_empty, Date, Dist, Node, Range, Sink, Table};
use crate::model::*;
use crate::scenario::keys;
use crate::scenario::range::bounded_range;
use crate::scenario::walk::Either;

pub(super) fn side_list(
    sink: &mut Sink,
    path: &str,
    node: &Node,
    names: &[String],
) -> Option<Vec<SideId>> {
    let items = array(sink, path, node)?;
    if items.is_empty() {
        sink.error(Some(node.span().start), path, "the list of sides is empty");
        return None;
    }
    let mut ids = Vec::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let p = format!("{path}[{i}]");
        let Some(n) = string(sink, &p, item) else {
            ok = false;
            continue;
        };
        match side_id(sink, &p, item, &n, names) {
            Some(id) if ids.contains(&id) => {
                sink.error(
                    Some(item.span().start),
                    &p,
                    format!(
                        "side '{}' is listed twice",
                        crate::scenario::diag::shown(&n)
                    ),
                );
                ok = false;
            }
            Some(id) => ids.push(id),
            None => ok = false,
        }
    }
    ok.then_some(ids)
}

fn side_id(sink: &mut Sink, path: &str, at: &Node, name: &str, names: &[String]) -> Option<SideId> {
    known_name(sink, path, at, name, names, "side")
}

/// The index of `name` among `known`, or an error with a did-you-mean.
pub(super) fn known_name(
    sink: &mut Sink,
    path: &str,
    at: &Node,
    name: &str,
    known: &[String],
    what: &str,
) -> Option<usize> {
    if let Some(i) = known.iter().position(|n| n == name) {
        return Some(i);
    }
    let k: Vec<&str> = known.iter().map(String::as_str).collect();
    let hint = did_you_mean(name, &k)
        .map(|h| format!("did you mean '{h}'? "))
        .unwrap_or_default();
    sink.error(
        Some(at.span().start),
        path,
        format!(
            "unknown {what} '{}'; {hint}the {what}s are: {}",
            crate::scenario::diag::shown(name),
            k.join(", ")
        ),
    );
    None
}

/// The entries of an array of tables (`[[phases]]`), at most `max` of them, with their
/// key paths.
pub(super) fn table_array<'a, 'i>(
    sink: &mut Sink,
    key: &str,
    node: &'a Node<'i>,
    max: usize,
) -> Option<Vec<(String, &'a Node<'i>)>> {
    let items = array(sink, key, node)?;
    if items.len() > max {
        // Placed at the first entry past the limit, where the file goes too far.
        sink.error(
            Some(items[max].span().start),
            &format!("{key}[{max}]"),
            format!(
                "{} entries in {key}: give at most {max} (each costs time on every path, and memory)",
                items.len()
            ),
        );
        return None;
    }
    Some(
        items
            .iter()
            .enumerate()
            .map(|(i, n)| (format!("{key}[{i}]"), n))
            .collect(),
    )
}

pub(super) fn phases(
    sink: &mut Sink,
    node: &Node,
    names: &[String],
    reference: Date,
    horizon: u32,
) -> Option<Vec<Phase>> {
    named_items(
        sink,
        "phases",
        "phase",
        MAX_PHASES,
        node,
        |sink, path, item| phase(sink, path, item, names, reference, horizon),
        |p| &p.name,
    )
}

/// Reads an array of named tables with `read`; names key random draws, so two entries may
/// not share one.
pub(super) fn named_items<T>(
    sink: &mut Sink,
    key: &str,
    what: &str,
    max: usize,
    node: &Node,
    mut read: impl FnMut(&mut Sink, &str, &Node) -> Option<T>,
    name: impl Fn(&T) -> &str,
) -> Option<Vec<T>> {
    let mut out: Vec<T> = Vec::new();
    let mut ok = true;
    for (path, item) in table_array(sink, key, node, max)? {
        match read(sink, &path, item) {
            Some(x) if out.iter().any(|o| name(o) == name(&x)) => {
                sink.error(
                    Some(item.span().start),
                    &format!("{path}.name"),
                    format!("another {what} is already named '{}'; {what} names key their random draws and must differ", crate::scenario::diag::shown(name(&x))),
                );
                ok = false;
            }
            Some(x) => out.push(x),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn phase(
    sink: &mut Sink,
    path: &str,
    node: &Node,
    names: &[String],
    reference: Date,
    horizon: u32,
) -> Option<Phase> {
    let t = Table::of(sink, path, node)?;
    t.only(sink, keys::PHASE);
    let name = t
        .required(
            sink,
            "name",
            "name the phase (for example \"spring offensive\")",
        )
        .and_then(|_| non_empty(sink, &t, "name"));
    let start = t
        .required(sink, "start", "the first date of the phase")
        .and_then(|_| t.date(sink, "start"));
    let end = match t.get("end") {
        Some(_) => t.date(sink, "end").map(Some),
        None => Some(None),
    };
    let horizon_date = reference.add_days(horizon as i64);
    let days = match (start, end) {
        (Some(s), Some(e)) => {
            let first = s.days_since(reference);
            let at = t.get("start").map(|v| v.span().start);
            if first < 1 {
                sink.error(at, &t.key_path("start"), format!("{s} is not after the reference date {reference}; phases change rates from day 1 on"));
                None
            } else if first > horizon as i64 {
                sink.error(
                    at,
                    &t.key_path("start"),
                    format!("{s} is after the horizon {horizon_date}: the phase would never apply"),
                );
                None
            } else if let Some(e) = e.filter(|e| *e < s) {
                let at = t.get("end").map(|v| v.span().start);
                sink.error(
                    at,
                    &t.key_path("end"),
                    format!("{e} is before the start {s}"),
                );
                None
            } else {
                let last = e.map_or(horizon as i64, |e| {
                    e.days_since(reference).min(horizon as i64)
                });
                Some((first as u32, last as u32))
            }
        }
        _ => None,
    };
    let effect = effect(
        sink,
        &t,
        names,
        "the factor on the rates during the phase (or multipliers, one per side)",
    );
    let (first_day, last_day) = days?;
    Some(Phase {
        name: name?,
        first_day,
        last_day,
        effect: effect?,
    })
}

pub(super) fn per_side(
    sink: &mut Sink,
    path: &str,
    node: &Node,
    names: &[String],
) -> Option<Vec<(SideId, Dist)>> {
    let t = Table::of(sink, path, node)?;
    if t.map.is_empty() {
        sink.error(
            Some(t.at),
            path,
            "no sides: give one factor per side, as side = range",
        );
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    for (key, value) in t.entries() {
        let p = t.key_path(key.get_ref());
        let id = side_id(sink, &p, value, key.get_ref(), names);
        let r: Option<Range> = bounded_range(sink, &p, value, MAX_FACTOR);
        match (id, r) {
            (Some(id), Some(r)) => out.push((id, r.dist)),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

/// The multiplier(s) of a phase, event or regime state: `multiplier` (one draw for the
/// listed sides, default all) or `multipliers` (one draw per side); `what` says what is
/// missing when neither is given.
pub(super) fn effect(
    sink: &mut Sink,
    t: &Table,
    names: &[String],
    what: &str,
) -> Option<PhaseEffect> {
    match t.either(
        sink,
        "multiplier",
        "multipliers",
        "give multiplier (one factor for the listed sides) or multipliers (one per side), not both",
    ) {
        None => None,
        Some(Either::Neither) => {
            t.missing(sink, "multiplier", what);
            None
        }
        Some(Either::First(m)) => {
            let factor = bounded_range(sink, &t.key_path("multiplier"), m, MAX_FACTOR);
            let sides = match t.get("sides") {
                Some(s) => side_list(sink, &t.key_path("sides"), s, names),
                None => Some((0..names.len()).collect()),
            };
            Some(PhaseEffect::Shared {
                factor: factor?.dist,
                sides: sides?,
            })
        }
        Some(Either::Second(m)) => {
            if let Some(s) = t.get("sides") {
                sink.error(
                    Some(s.span().start),
                    &t.key_path("sides"),
                    "with multipliers, the sides are the keys of the multipliers table; drop sides",
                );
            }
            per_side(sink, &t.key_path("multipliers"), m, names).map(PhaseEffect::PerSide)
        }
    }
}
