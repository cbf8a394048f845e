//! [[events]]: uncertain ceasefires and escalations (docs/scenarios.md, Dynamics).

use super::dynamics::{probability, probability_range};
use super::phases::{effect, named_items};
use super::{non_empty, Date, Node, Sink, Table};
use crate::model::*;
use crate::scenario::keys;
use crate::scenario::range::bounded_range;
use crate::scenario::walk::{date, Either};

/// Average days in a month (the Gregorian year / 12), for monthly hazards.
pub const DAYS_PER_MONTH: f64 = 365.2425 / 12.0;

/// A daily probability with the same chance over a month as `monthly`.
pub fn daily_from_monthly(monthly: f64) -> f64 {
    if monthly >= 1.0 {
        1.0
    } else {
        -((-monthly).ln_1p() / DAYS_PER_MONTH).exp_m1()
    }
}

pub(super) fn events(
    sink: &mut Sink,
    node: &Node,
    names: &[String],
    reference: Date,
    horizon: u32,
) -> Option<Vec<Event>> {
    named_items(
        sink,
        "events",
        "event",
        MAX_EVENTS,
        node,
        |sink, path, item| event(sink, path, item, names, reference, horizon),
        |e| &e.name,
    )
}

fn event(
    sink: &mut Sink,
    path: &str,
    node: &Node,
    names: &[String],
    reference: Date,
    horizon: u32,
) -> Option<Event> {
    let t = Table::of(sink, path, node)?;
    t.only(sink, keys::EVENT);
    let name = t
        .required(sink, "name", "name the event (for example \"ceasefire\")")
        .and_then(|_| non_empty(sink, &t, "name"));
    let chance = t
        .required(
            sink,
            "probability",
            "the probability that the event happens, a range in [0, 1]",
        )
        .and_then(|v| probability_range(sink, &t.key_path("probability"), v));
    let start = t
        .required(
            sink,
            "start",
            "when it starts: a date, { from, to } (uniform) or { from, monthly_hazard }",
        )
        .and_then(|v| event_start(sink, &t.key_path("start"), v, reference, horizon));
    let effect = effect(
        sink,
        &t,
        names,
        "the factor on the rates while the event lasts (0.1: a tenth of the fighting goes on)",
    );
    let end = match t.either(
        sink,
        "duration_days",
        "end_monthly_hazard",
        "give duration_days or end_monthly_hazard, not both",
    ) {
        None => None,
        Some(Either::Neither) => Some(EventEnd::Never),
        Some(Either::First(d)) => bounded_range(
            sink,
            &t.key_path("duration_days"),
            d,
            MAX_HORIZON_DAYS as f64 * 10.0,
        )
        .map(|r| EventEnd::Duration(r.dist)),
        Some(Either::Second(h)) => {
            probability(sink, &t.key_path("end_monthly_hazard"), h).map(|m| EventEnd::Hazard {
                daily: daily_from_monthly(m),
            })
        }
    };
    Some(Event {
        name: name?,
        probability: chance?.dist,
        start: start?,
        effect: effect?,
        end: end?,
    })
}

fn event_start(
    sink: &mut Sink,
    path: &str,
    node: &Node,
    reference: Date,
    horizon: u32,
) -> Option<EventStart> {
    let day = |sink: &mut Sink, at: &Node, key: &str, d: Date| -> Option<u32> {
        let n = d.days_since(reference);
        if n < 1 {
            sink.error(
                Some(at.span().start),
                key,
                format!("{d} is not after the reference date {reference}"),
            );
            return None;
        }
        if n > horizon as i64 {
            sink.error(
                Some(at.span().start),
                key,
                format!(
                    "{d} is after the horizon {}",
                    reference.add_days(horizon as i64)
                ),
            );
            return None;
        }
        Some(n as u32)
    };
    if !matches!(node.get_ref(), toml::de::DeValue::Table(_)) {
        let d = date(sink, path, node)?;
        let first = day(sink, node, path, d)?;
        return Some(EventStart::Window { first, last: first });
    }
    let t = Table::of(sink, path, node)?;
    t.only(sink, keys::START);
    let from_node = t.required(sink, "from", "the first date the event can start")?;
    let from = t.date(sink, "from")?;
    let first = day(sink, from_node, &t.key_path("from"), from)?;
    match t.either(
        sink,
        "to",
        "monthly_hazard",
        "give to (a window) or monthly_hazard, not both",
    ) {
        None => None,
        Some(Either::Neither) => {
            t.missing(
                sink,
                "to",
                "the last date it can start (or a monthly_hazard)",
            );
            None
        }
        Some(Either::First(to_node)) => {
            let to = t.date(sink, "to")?;
            if to < from {
                sink.error(
                    Some(to_node.span().start),
                    &t.key_path("to"),
                    format!("{to} is before from ({from})"),
                );
                return None;
            }
            let last = day(sink, to_node, &t.key_path("to"), to)?;
            Some(EventStart::Window { first, last })
        }
        Some(Either::Second(h)) => {
            let m = probability(sink, &t.key_path("monthly_hazard"), h)?;
            if m == 0.0 {
                sink.error(Some(h.span().start), &t.key_path("monthly_hazard"), "a hazard of 0 never starts the event; remove the event or give a positive hazard");
                return None;
            }
            Some(EventStart::Hazard {
                from: first,
                daily: daily_from_monthly(m),
            })
        }
    }
}
