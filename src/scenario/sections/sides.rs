//! [sides.NAME]: baseline stocks, the rate, and killed.

use super::string;
use super::{range, Date, DeValue, Node, Sink, Table};
use crate::model::*;
use crate::sample::Dist;
use crate::scenario::keys;
use crate::scenario::range::bounded_range;

/// `force_section`: whether the file has a [force] section, which `force` keys need.
pub(super) fn sides(
    sink: &mut Sink,
    node: &Node,
    reference: Option<Date>,
    force_section: bool,
) -> Option<Vec<Side>> {
    let t = Table::of(sink, "sides", node)?;
    if t.map.is_empty() {
        sink.error(
            Some(t.at),
            "sides",
            "no sides: add at least one [sides.NAME] section",
        );
        return None;
    }
    if let Some((key, _)) = t.entries().nth(MAX_SIDES) {
        sink.error(
            Some(key.span().start),
            &t.key_path(key.get_ref()),
            format!(
                "{} sides: give at most {MAX_SIDES} (each adds stocks, noise and draws to every path)",
                t.map.len()
            ),
        );
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    for (key, value) in t.entries() {
        let name: &str = key.get_ref();
        let path = t.key_path(name);
        if !valid_side_name(name) {
            sink.error(
                Some(key.span().start),
                &path,
                format!("'{}' is not a usable side name: use letters, digits, '_' or '-', starting with a letter, at most {MAX_NAME_CHARS} characters, and not 'combined' (it names the total)", crate::scenario::diag::shown(name)),
            );
            ok = false;
            continue;
        }
        match side(sink, &path, name, value, reference, force_section) {
            Some(s) => out.push(s),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// Also the rule for `attrition fit --side`, whose name becomes a scenario key.
pub(crate) fn valid_side_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && name != "combined"
        && name.len() <= MAX_NAME_CHARS
}

fn side(
    sink: &mut Sink,
    path: &str,
    name: &str,
    node: &Node,
    reference: Option<Date>,
    force_section: bool,
) -> Option<Side> {
    let t = Table::of(sink, path, node)?;
    t.only(sink, keys::SIDE);
    let casualties = t
        .required(
            sink,
            "casualties",
            "the cumulative casualties on the reference date, as a range",
        )
        .and_then(|v| bounded_range(sink, &t.key_path("casualties"), v, MAX_QUANTITY));
    let rate = t
        .required(
            sink,
            "rate_per_day",
            "the mean daily casualty rate, as a range or { total, from, to }",
        )
        .and_then(|v| rate(sink, &t.key_path("rate_per_day"), v, reference));
    let killed = match (t.get("killed"), t.get("killed_share")) {
        (None, None) => Some(None),
        (Some(_), None) => {
            t.missing(
                sink,
                "killed_share",
                "with killed given, say which share of new casualties are killed",
            );
            None
        }
        (None, Some(_)) => {
            t.missing(
                sink,
                "killed",
                "with killed_share given, give the killed stock on the reference date",
            );
            None
        }
        (Some(k), Some(s)) => {
            let baseline = bounded_range(sink, &t.key_path("killed"), k, MAX_QUANTITY);
            let share = range(sink, &t.key_path("killed_share"), s);
            let share = share.and_then(|r| {
                if r.hi > 1.0 {
                    sink.error(
                        Some(s.span().start),
                        &t.key_path("killed_share"),
                        format!(
                            "hi ({}) is above 1: a share of casualties is between 0 and 1",
                            r.hi
                        ),
                    );
                    return None;
                }
                Some(r)
            });
            if let (Some(b), Some(c)) = (&baseline, &casualties) {
                if b.hi > c.hi {
                    sink.error(
                        Some(k.span().start),
                        &t.key_path("killed"),
                        format!("hi ({}) is above the casualties' hi ({}): the killed are part of the casualties", b.hi, c.hi),
                    );
                    return None;
                }
            }
            Some(Some(Killed {
                baseline: baseline?.dist,
                share: share?.dist,
            }))
        }
    };
    let force = force(sink, &t, force_section);
    Some(Side {
        name: name.to_string(),
        casualties: casualties?.dist,
        rate: rate?,
        killed: killed?,
        force: force?,
    })
}

/// The force keys of a side: `force` (troops in the line), and with it optionally
/// `recruits_per_day` and `return_to_duty` (a share).
fn force(sink: &mut Sink, t: &Table, force_section: bool) -> Option<Option<Force>> {
    if let (Some(v), false) = (t.get("force"), force_section) {
        sink.error(
            Some(v.span().start),
            &t.key_path("force"),
            "force is only used by force-dependent attrition: add [force] with law = \"square\" or \"linear\", or drop force",
        );
        return None;
    }
    let Some(size) = t.get("force") else {
        for key in ["recruits_per_day", "return_to_duty"] {
            if let Some(v) = t.get(key) {
                sink.error(
                    Some(v.span().start),
                    &t.key_path(key),
                    "only meaningful with force (the troops in the line) and a [force] section",
                );
                return None;
            }
        }
        return Some(None);
    };
    let at = size.span().start;
    let size = bounded_range(sink, &t.key_path("force"), size, MAX_QUANTITY).and_then(|r| {
        if r.dist.can_be_zero() {
            // Losses are scaled by the forces relative to day 0: a force of 0 cannot be.
            sink.error(
                Some(at),
                &t.key_path("force"),
                "a force in the line must be above 0 on every path (give a positive value or lo)",
            );
            return None;
        }
        Some(r)
    });
    let recruits = match t.get("recruits_per_day") {
        Some(v) => bounded_range(sink, &t.key_path("recruits_per_day"), v, MAX_QUANTITY),
        None => Some(fixed_zero()),
    };
    let back = match t.get("return_to_duty") {
        Some(v) => super::dynamics::probability_range(sink, &t.key_path("return_to_duty"), v),
        None => Some(fixed_zero()),
    };
    Some(Some(Force {
        size: size?.dist,
        recruits_per_day: recruits?.dist,
        return_share: back?.dist,
    }))
}

fn fixed_zero() -> crate::scenario::range::Range {
    crate::scenario::range::Range {
        dist: Dist::Fixed(0.0),
        hi: 0.0,
    }
}

fn rate(sink: &mut Sink, path: &str, node: &Node, reference: Option<Date>) -> Option<Rate> {
    let implied = matches!(node.get_ref(), DeValue::Table(m)
        if keys::IMPLIED.iter().any(|k| m.get(k.name).is_some()));
    if !implied {
        return bounded_range(sink, path, node, MAX_QUANTITY).map(|r| Rate::PerDay(r.dist));
    }
    let t = Table::of(sink, path, node)?;
    t.only(sink, keys::IMPLIED);
    let total_node = t.required(sink, "total", "the reported total over the period: a range, or \"casualties\" for the side's own baseline")?;
    let from = t
        .required(sink, "from", "the first day of the period the total covers")
        .and_then(|_| t.date(sink, "from"));
    let to = match t.get("to") {
        Some(_) => t.date(sink, "to"),
        None => reference,
    };
    let total = match total_node.get_ref() {
        DeValue::String(_) => {
            let s = string(sink, &t.key_path("total"), total_node)?;
            if s != "casualties" {
                sink.error(
                    Some(total_node.span().start),
                    &t.key_path("total"),
                    format!("'{}' is not a total: give a range, or \"casualties\" for this side's baseline casualties", crate::scenario::diag::shown(&s)),
                );
                return None;
            }
            None
        }
        _ => Some(bounded_range(
            sink,
            &t.key_path("total"),
            total_node,
            MAX_QUANTITY,
        )?),
    };
    let (from, to, reference) = (from?, to?, reference?);
    let key_at = |k: &str| Some(t.get(k).map_or(t.at, |v| v.span().start));
    if to > reference {
        sink.error(
            key_at("to"),
            &t.key_path("to"),
            format!("{to} is after the reference date {reference}: a scenario uses only what was known by then"),
        );
        return None;
    }
    if total.is_none() && to != reference {
        sink.error(
            key_at("to"),
            &t.key_path("to"),
            format!("total = \"casualties\" is the baseline on the reference date, so the period must end on {reference}, not {to}"),
        );
        return None;
    }
    let days = to.days_since(from);
    if days < 1 {
        sink.error(
            key_at("from"),
            &t.key_path("from"),
            format!("{from} is not before the end of the period {to}"),
        );
        return None;
    }
    let days = days as u32;
    Some(match total {
        Some(total) => Rate::ImpliedByTotal {
            total: total.dist,
            days,
        },
        None => Rate::ImpliedByBaseline { days },
    })
}
