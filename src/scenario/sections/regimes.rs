//! [regimes]: intensity regimes switching by a Markov chain (docs/scenarios.md, Dynamics).

use super::dynamics::probability;
use super::phases::{effect, known_name};
use super::{did_you_mean, Node, Sink, Table};
use crate::model::*;
use crate::scenario::walk::string;

use crate::scenario::keys::STEPS;

/// Rows of probabilities must sum to one within this.
const SUM_TOLERANCE: f64 = 1e-9;

pub(super) fn regimes(sink: &mut Sink, node: &Node, names: &[String]) -> Option<Regimes> {
    let t = Table::of(sink, "regimes", node)?;
    t.only(sink, crate::scenario::keys::REGIMES);
    let step = match t.get("step") {
        None => {
            t.missing(
                sink,
                "step",
                "how often the chain steps: \"month\" or \"day\"",
            );
            None
        }
        Some(v) => {
            let s = string(sink, "regimes.step", v)?;
            match s.as_str() {
                "month" => Some(RegimeStep::Month),
                "day" => Some(RegimeStep::Day),
                _ => {
                    let hint = did_you_mean(&s, STEPS)
                        .map(|h| format!("did you mean '{h}'? "))
                        .unwrap_or_default();
                    sink.error(
                        Some(v.span().start),
                        "regimes.step",
                        format!(
                            "unknown step '{}'; {hint}give \"month\" or \"day\"",
                            crate::scenario::diag::shown(&s)
                        ),
                    );
                    None
                }
            }
        }
    };
    let states_node = t.required(
        sink,
        "states",
        "the regimes, as [regimes.states.NAME] tables",
    )?;
    let states = Table::of(sink, "regimes.states", states_node)?;
    if states.map.is_empty() {
        sink.error(
            Some(states.at),
            "regimes.states",
            "no regimes: add [regimes.states.NAME] tables",
        );
        return None;
    }
    let regime_names: Vec<String> = states
        .entries()
        .map(|(k, _)| k.get_ref().to_string())
        .collect();
    if regime_names.len() > MAX_REGIMES {
        sink.error(
            Some(states.at),
            "regimes.states",
            format!("{} regimes: give at most {MAX_REGIMES}", regime_names.len()),
        );
        return None;
    }
    for (key, _) in states.entries() {
        let n = key.get_ref().chars().count();
        if n == 0 || n > MAX_NAME_CHARS {
            sink.error(
                Some(key.span().start),
                &states.key_path(key.get_ref()),
                format!("a regime name must have 1 to {MAX_NAME_CHARS} characters, not {n}"),
            );
            return None;
        }
    }
    let mut effects = Vec::new();
    let mut transition = Vec::new();
    let mut ok = true;
    for (key, value) in states.entries() {
        let path = states.key_path(key.get_ref());
        let Some(st) = Table::of(sink, &path, value) else {
            ok = false;
            continue;
        };
        st.only(sink, crate::scenario::keys::STATE);
        let e = effect(sink, &st, names, "the factor on the rates in this regime");
        let row = st
            .required(
                sink,
                "next",
                "the probabilities of the next regime, as { NAME = p, ... }",
            )
            .and_then(|n| distribution(sink, &st.key_path("next"), n, &regime_names));
        match (e, row) {
            (Some(e), Some(r)) => {
                effects.push(e);
                transition.push(r);
            }
            _ => ok = false,
        }
    }
    let initial = match t.get("initial") {
        None => {
            t.missing(
                sink,
                "initial",
                "the regime on day 1 (a name, or { NAME = p, ... })",
            );
            None
        }
        Some(v) if matches!(v.get_ref(), toml::de::DeValue::String(_)) => {
            let s = string(sink, "regimes.initial", v)?;
            let i = regime_index(sink, "regimes.initial", v, &s, &regime_names)?;
            let mut p = vec![0.0; regime_names.len()];
            p[i] = 1.0;
            Some(p)
        }
        Some(v) => distribution(sink, "regimes.initial", v, &regime_names),
    };
    if !ok {
        return None;
    }
    Some(Regimes {
        step: step?,
        names: regime_names,
        effects,
        initial: initial?,
        transition,
    })
}

fn regime_index(
    sink: &mut Sink,
    path: &str,
    at: &Node,
    name: &str,
    known: &[String],
) -> Option<usize> {
    known_name(sink, path, at, name, known, "regime")
}

/// `{ NAME = p, ... }` over the regimes: probabilities that sum to one (missing names 0).
fn distribution(sink: &mut Sink, path: &str, node: &Node, known: &[String]) -> Option<Vec<f64>> {
    let t = Table::of(sink, path, node)?;
    let mut p = vec![0.0; known.len()];
    let mut ok = true;
    for (key, value) in t.entries() {
        let kp = t.key_path(key.get_ref());
        let i = regime_index(sink, &kp, value, key.get_ref(), known);
        match (i, probability(sink, &kp, value)) {
            (Some(i), Some(v)) => p[i] = v,
            _ => ok = false,
        }
    }
    if !ok {
        return None;
    }
    let sum: f64 = p.iter().sum();
    if (sum - 1.0).abs() > SUM_TOLERANCE {
        sink.error(
            Some(node.span().start),
            path,
            format!("the probabilities sum to {sum}, not 1"),
        );
        return None;
    }
    Some(p)
}
