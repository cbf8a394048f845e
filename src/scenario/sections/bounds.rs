//! Proof that a scenario cannot overflow: an upper bound on every side's daily count,
//! from the largest draw of each input it multiplies. The engine refuses a path whose
//! stocks pass f64 (exit 2, no line); refusing here instead means `validate` refuses
//! everything `run` would, naming the key to change.

use super::{Sink, Table};
use crate::model::*;
use crate::sample::Dist;
use crate::scenario::walk::Node;
use toml::de::DeValue;

/// Natural log of the largest daily count accepted: 1e300, so that sums over the horizon
/// and over sides stay below f64's 1.8e308 with room to spare.
const LN_BUDGET: f64 = 690.77;

/// Largest |normal score| the noise can draw (the ziggurat's tail from 64-bit uniforms
/// stops near 13.7), with room.
const NOISE_Z: f64 = 14.0;

/// One factor of a side's bound: the key that states it, what it is, and its log.
struct Part {
    key: String,
    what: &'static str,
    ln: f64,
}

/// Records an error, at the key that contributes most, for each side whose daily count
/// could pass 1e300. Phases count where they overlap; events (whose days are drawn) as
/// if they all overlapped.
pub(super) fn check(sink: &mut Sink, top: &Table, m: &Model) {
    let months = (m.horizon_days / 28 + 1) as f64;
    for (i, side) in m.sides.iter().enumerate() {
        let mut parts: Vec<Part> = Vec::new();
        let mut add = |key: String, what: &'static str, d: &Dist| {
            let up = d.upper();
            if up > 1.0 {
                parts.push(Part {
                    key,
                    what,
                    ln: up.ln(),
                });
            }
        };
        let sp = format!("sides.{}", side.name);
        match &side.rate {
            Rate::PerDay(d) => add(format!("{sp}.rate_per_day"), "rate", d),
            Rate::ImpliedByTotal { total, .. } => {
                add(format!("{sp}.rate_per_day.total"), "rate", total)
            }
            Rate::ImpliedByBaseline { .. } => {
                add(format!("{sp}.casualties"), "rate", &side.casualties)
            }
        }
        // Phases have fixed windows: only those that overlap on some day multiply
        // together, and the worst day is the start of one of them.
        let mut windows: Vec<(u32, u32, String, Dist)> = Vec::new();
        for (k, p) in m.phases.iter().enumerate() {
            let mut one = |key: String, _: &'static str, d: &Dist| {
                windows.push((p.first_day, p.last_day, key, d.clone()))
            };
            effect(&mut one, &format!("phases[{k}]"), &p.effect, i, m, "phases");
        }
        let ln_on = |day: u32| -> f64 {
            windows
                .iter()
                .filter(|(a, b, _, d)| *a <= day && day <= *b && d.upper() > 1.0)
                .map(|(.., d)| d.upper().ln())
                .sum()
        };
        if let Some(&(worst_day, ..)) = windows
            .iter()
            .max_by(|x, y| ln_on(x.0).total_cmp(&ln_on(y.0)))
        {
            for (a, b, key, d) in &windows {
                if *a <= worst_day && worst_day <= *b {
                    add(key.clone(), "phases", d);
                }
            }
        }
        for (k, e) in m.events.iter().enumerate() {
            effect(&mut add, &format!("events[{k}]"), &e.effect, i, m, "events");
        }
        if let Some(r) = &m.regimes {
            // One regime at a time: only the largest counts.
            let mut best: Option<(String, Dist)> = None;
            for (name, e) in r.names.iter().zip(&r.effects) {
                let mut one = |key: String, _: &'static str, d: &Dist| {
                    if best.as_ref().is_none_or(|(_, b)| d.upper() > b.upper()) {
                        best = Some((key, d.clone()));
                    }
                };
                effect(
                    &mut one,
                    &format!("regimes.states.{name}"),
                    e,
                    i,
                    m,
                    "regimes",
                );
            }
            if let Some((key, d)) = best {
                add(key, "regimes", &d);
            }
        }
        if let Some(s) = m.seasonality.as_ref().filter(|s| s.sides.contains(&i)) {
            let top_month = s.months.iter().copied().fold(0.0, f64::max);
            let key = if top.get("seasonality").is_some_and(|n| has(n, "months")) {
                "seasonality.months"
            } else {
                "seasonality.amplitude"
            };
            add(key.into(), "seasonality", &Dist::Fixed(top_month));
        }
        if let Some(t) = m.trend.as_ref().filter(|t| t.sides.contains(&i)) {
            let g = match t.percent_per_month {
                TrendDist::Fixed(v) => v,
                TrendDist::Normal { mean, sd } => (mean + 9.0 * sd).min(MAX_TREND),
                TrendDist::Uniform { hi, .. } => hi,
            };
            if g > 0.0 {
                parts.push(Part {
                    key: "trend.percent_per_month".into(),
                    what: "trend",
                    ln: months * (g / 100.0).ln_1p(),
                });
            }
        }
        let noise = match m.noise {
            Noise::None => 0.0,
            Noise::LogNormal { sigma } => NOISE_Z * sigma,
            Noise::Gamma { shape } => (1.0 + 100.0 / shape).ln(),
        };
        let total: f64 = parts.iter().map(|p| p.ln).sum::<f64>() + noise;
        if total <= LN_BUDGET {
            continue;
        }
        let Some(worst) = parts.iter().max_by(|a, b| a.ln.total_cmp(&b.ln)) else {
            continue;
        };
        let mut by_kind: Vec<(&str, f64)> = Vec::new();
        for p in &parts {
            match by_kind.iter_mut().find(|(w, _)| *w == p.what) {
                Some((_, ln)) => *ln += p.ln,
                None => by_kind.push((p.what, p.ln)),
            }
        }
        let spelled: Vec<String> = by_kind
            .iter()
            .map(|(w, ln)| format!("{w} up to 1e{:.0}", ln / std::f64::consts::LN_10))
            .collect();
        sink.error(
            locate(top, &worst.key),
            &worst.key,
            format!(
                "side '{}' could lose about 1e{:.0} a day ({}{}), above the 1e300 the engine can add up; lower this {} (the largest factor) or the others",
                side.name,
                total / std::f64::consts::LN_10,
                spelled.join(", "),
                if noise > 0.0 { ", and the noise" } else { "" },
                worst.what.trim_end_matches('s'),
            ),
        );
    }
}

/// Feeds `add` the factor(s) of `e` on side `i`, keyed under `base`.
fn effect(
    add: &mut impl FnMut(String, &'static str, &Dist),
    base: &str,
    e: &PhaseEffect,
    i: SideId,
    m: &Model,
    what: &'static str,
) {
    match e {
        PhaseEffect::Shared { factor, sides } if sides.contains(&i) => {
            add(format!("{base}.multiplier"), what, factor)
        }
        PhaseEffect::Shared { .. } => {}
        PhaseEffect::PerSide(v) => {
            for (s, d) in v.iter().filter(|(s, _)| *s == i) {
                add(format!("{base}.multipliers.{}", m.sides[*s].name), what, d);
            }
        }
    }
}

fn has(n: &Node, key: &str) -> bool {
    matches!(n.get_ref(), DeValue::Table(t) if t.get(key).is_some())
}

/// The byte offset of the value at key path `path` (`phases[3].multiplier`), if found.
fn locate(top: &Table, path: &str) -> Option<usize> {
    let mut node: Option<&Node> = None;
    for seg in path.split('.') {
        let (name, index) = match seg.split_once('[') {
            Some((n, rest)) => (n, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (seg, None),
        };
        let next = match node {
            None => top.get(name),
            Some(n) => match n.get_ref() {
                DeValue::Table(t) => t.get(name),
                _ => None,
            },
        }?;
        node = Some(match (index, next.get_ref()) {
            (Some(k), DeValue::Array(a)) => a.get(k)?,
            (None, _) => next,
            _ => return None,
        });
    }
    node.map(|n| n.span().start)
}
