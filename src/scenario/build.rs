//! The scenario file's sections, read into a `Model` with every problem reported.

use super::diag::{did_you_mean, ScenarioError, Sink};
use super::range::{range, Range};
use super::walk::{array, count, date, string, Node, Table};
use crate::date::Date;
use crate::model::*;
use crate::sample::Dist;
use toml::de::{DeTable, DeValue};

const TOP_KEYS: &[&str] = &["scenario", "noise", "sides", "phases", "thresholds"];
const META_KEYS: &[&str] = &[
    "name",
    "title",
    "reference_date",
    "horizon",
    "horizon_days",
    "report_dates",
    "paths",
    "seed",
];
const NOISE_KEYS: &[&str] = &["model", "sigma", "cv"];
const NOISE_MODELS: &[&str] = &["none", "lognormal", "gamma"];
const SIDE_KEYS: &[&str] = &["casualties", "rate_per_day", "killed", "killed_share"];
const IMPLIED_KEYS: &[&str] = &["total", "from", "to"];
const PHASE_KEYS: &[&str] = &["name", "start", "end", "sides", "multiplier", "multipliers"];
const THRESHOLD_KEYS: &[&str] = &["name", "metric", "sides", "level"];
const METRICS: &[&str] = &["casualties", "killed"];

/// Paths and seed when the file does not say.
pub const DEFAULT_PATHS: u64 = 100_000;
pub const DEFAULT_SEED: u64 = 1;

pub fn build(file: &str, text: &str) -> Result<Model, ScenarioError> {
    let mut sink = Sink::new(file, text);
    let fail = |sink: Sink| ScenarioError {
        diagnostics: sink.diagnostics,
    };
    if text.trim().is_empty() {
        sink.error(
            None,
            "",
            "the file is empty; a scenario needs [scenario], [noise] and [sides.NAME] sections (see docs/scenarios.md)",
        );
        return Err(fail(sink));
    }
    let root = match DeTable::parse(text) {
        Ok(root) => root,
        Err(e) => {
            let msg = e.message().trim().to_string();
            sink.error(
                e.span().map(|s| s.start),
                "",
                format!("invalid TOML: {msg}"),
            );
            return Err(fail(sink));
        }
    };
    if root.get_ref().is_empty() {
        sink.error(
            None,
            "",
            "the file holds no settings; a scenario needs [scenario], [noise] and [sides.NAME] sections (see docs/scenarios.md)",
        );
        return Err(fail(sink));
    }
    let top = Table {
        path: String::new(),
        at: 0,
        map: root.get_ref(),
    };
    top.only(&mut sink, TOP_KEYS);

    let meta = top
        .required(
            &mut sink,
            "scenario",
            "add a [scenario] section with name, reference_date and horizon",
        )
        .and_then(|n| Table::of(&mut sink, "scenario", n));
    let name = meta.as_ref().and_then(|m| {
        m.only(&mut sink, META_KEYS);
        m.required(&mut sink, "name", "give the scenario a short name")?;
        let s = m.string(&mut sink, "name")?;
        if s.trim().is_empty() {
            sink.error(
                Some(m.get("name")?.span().start),
                "scenario.name",
                "must not be empty",
            );
            return None;
        }
        Some(s)
    });
    let title = meta.as_ref().and_then(|m| m.string(&mut sink, "title"));
    let reference = meta.as_ref().and_then(|m| {
        m.required(
            &mut sink,
            "reference_date",
            "the date of the baseline stocks (day 0)",
        )?;
        m.date(&mut sink, "reference_date")
    });
    let horizon = match (&meta, reference) {
        (Some(m), Some(r)) => horizon(&mut sink, m, r),
        _ => None,
    };
    let report_days = match (&meta, reference, horizon) {
        (Some(m), Some(r), Some(h)) => report_days(&mut sink, m, r, h),
        _ => None,
    };
    let paths = meta.as_ref().and_then(|m| paths(&mut sink, m));
    let seed = meta.as_ref().and_then(|m| match m.get("seed") {
        Some(v) => count(&mut sink, "scenario.seed", v),
        None => Some(DEFAULT_SEED),
    });

    let noise = top
        .required(
            &mut sink,
            "noise",
            "add a [noise] section (model = \"lognormal\", \"gamma\" or \"none\")",
        )
        .and_then(|n| noise(&mut sink, n));
    let sides = top
        .required(&mut sink, "sides", "add at least one [sides.NAME] section")
        .and_then(|n| sides(&mut sink, n, reference));
    let side_names: Option<Vec<String>> = sides
        .as_ref()
        .map(|v| v.iter().map(|s| s.name.clone()).collect());

    let phases = match (top.get("phases"), &side_names, reference, horizon) {
        (None, ..) => Some(Vec::new()),
        (Some(n), Some(names), Some(r), Some(h)) => phases(&mut sink, n, names, r, h),
        _ => None,
    };
    let thresholds = match (top.get("thresholds"), &sides) {
        (None, _) => Some(Vec::new()),
        (Some(n), Some(s)) => thresholds(&mut sink, n, s),
        _ => None,
    };
    if let (Some(t), Some(r)) = (&thresholds, &report_days) {
        if t.is_empty() && r.is_empty() {
            sink.error(
                None,
                "",
                "nothing to report: add a [[thresholds]] entry or scenario.report_dates",
            );
        }
    }
    if sink.has_errors() {
        return Err(fail(sink));
    }
    // Every field is Some when no diagnostic was recorded.
    let (Some(name), Some(reference), Some(horizon_days), Some(report_days)) =
        (name, reference, horizon, report_days)
    else {
        unreachable!("a missing field always records a diagnostic")
    };
    let title = title.unwrap_or_else(|| name.clone());
    Ok(Model {
        name,
        title,
        reference_date: reference,
        horizon_days,
        report_days,
        default_paths: paths.unwrap_or(DEFAULT_PATHS),
        default_seed: seed.unwrap_or(DEFAULT_SEED),
        sides: sides.unwrap_or_default(),
        noise: noise.unwrap_or(Noise::None),
        phases: phases.unwrap_or_default(),
        thresholds: thresholds.unwrap_or_default(),
    })
}

fn horizon(sink: &mut Sink, m: &Table, reference: Date) -> Option<u32> {
    let days: i64 = match (m.get("horizon"), m.get("horizon_days")) {
        (Some(_), Some(v)) => {
            sink.error(
                Some(v.span().start),
                "scenario.horizon_days",
                "give either horizon (a date) or horizon_days, not both",
            );
            return None;
        }
        (None, None) => {
            m.missing(
                sink,
                "horizon",
                "the last simulated date (or give horizon_days)",
            );
            return None;
        }
        (Some(_), None) => {
            let h = m.date(sink, "horizon")?;
            let d = h.days_since(reference);
            if d < 1 {
                sink.error(
                    Some(m.get("horizon")?.span().start),
                    "scenario.horizon",
                    format!("{h} is not after the reference date {reference}"),
                );
                return None;
            }
            d
        }
        (None, Some(v)) => {
            let d = count(sink, "scenario.horizon_days", v)?;
            if d == 0 {
                sink.error(
                    Some(v.span().start),
                    "scenario.horizon_days",
                    "must be at least 1",
                );
                return None;
            }
            d.min(i64::MAX as u64) as i64
        }
    };
    if days > MAX_HORIZON_DAYS as i64 {
        let at = m
            .get("horizon")
            .or(m.get("horizon_days"))
            .map(|v| v.span().start);
        sink.error(
            at,
            m.key_path(if m.has("horizon") { "horizon" } else { "horizon_days" }).as_str(),
            format!(
                "the horizon is {days} days after the reference date; the engine projects at most {MAX_HORIZON_DAYS} days (100 years)"
            ),
        );
        return None;
    }
    Some(days as u32)
}

fn report_days(sink: &mut Sink, m: &Table, reference: Date, horizon: u32) -> Option<Vec<u32>> {
    let Some(node) = m.get("report_dates") else {
        return Some(Vec::new());
    };
    let items = array(sink, "scenario.report_dates", node)?;
    let mut days = Vec::with_capacity(items.len());
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let path = format!("scenario.report_dates[{i}]");
        let Some(d) = date(sink, &path, item) else {
            ok = false;
            continue;
        };
        let day = d.days_since(reference);
        let at = Some(item.span().start);
        if day < 1 {
            sink.error(
                at,
                &path,
                format!("{d} is not after the reference date {reference}"),
            );
            ok = false;
        } else if day > horizon as i64 {
            let h = reference.add_days(horizon as i64);
            sink.error(at, &path, format!("{d} is after the horizon {h}"));
            ok = false;
        } else if let Some(&prev) = days.last() {
            if day as u32 <= prev {
                let p = reference.add_days(prev as i64);
                sink.error(
                    at,
                    &path,
                    format!("{d} does not come after the previous report date {p}; list report dates in increasing order, each once"),
                );
                ok = false;
            }
        }
        if ok {
            days.push(day as u32);
        }
    }
    ok.then_some(days)
}

fn paths(sink: &mut Sink, m: &Table) -> Option<u64> {
    let Some(v) = m.get("paths") else {
        return Some(DEFAULT_PATHS);
    };
    let n = count(sink, "scenario.paths", v)?;
    if n == 0 || n > MAX_PATHS {
        sink.error(
            Some(v.span().start),
            "scenario.paths",
            format!("{n} paths: give between 1 and {MAX_PATHS}"),
        );
        return None;
    }
    Some(n)
}

fn noise(sink: &mut Sink, node: &Node) -> Option<Noise> {
    let t = Table::of(sink, "noise", node)?;
    t.only(sink, NOISE_KEYS);
    t.required(sink, "model", "one of \"lognormal\", \"gamma\", \"none\"")?;
    let model = t.string(sink, "model")?;
    let at = t.get("model").map(|v| v.span().start);
    if !NOISE_MODELS.contains(&model.as_str()) {
        let hint = did_you_mean(&model, NOISE_MODELS)
            .map(|h| format!("did you mean '{h}'? "))
            .unwrap_or_default();
        sink.error(
            at,
            "noise.model",
            format!(
                "unknown noise model '{model}'; {hint}models are: {}",
                NOISE_MODELS.join(", ")
            ),
        );
        return None;
    }
    if model == "none" {
        for key in ["sigma", "cv"] {
            if let Some(v) = t.get(key) {
                sink.error(
                    Some(v.span().start),
                    &t.key_path(key),
                    format!("'{key}' has no meaning with model = \"none\""),
                );
            }
        }
        return Some(Noise::None);
    }
    let (key, value) = match (t.get("sigma"), t.get("cv")) {
        (Some(_), Some(v)) => {
            sink.error(
                Some(v.span().start),
                "noise.cv",
                "give sigma or cv, not both",
            );
            return None;
        }
        (None, None) => {
            t.missing(
                sink,
                "sigma",
                "give sigma (sd of the log of the daily multiplier) or cv (its coefficient of variation)",
            );
            return None;
        }
        (Some(_), None) => ("sigma", t.number(sink, "sigma")?),
        (None, Some(_)) => ("cv", t.number(sink, "cv")?),
    };
    let limit = if key == "sigma" { 3.0 } else { 10.0 };
    if !(value > 0.0 && value <= limit) {
        sink.error(
            t.get(key).map(|v| v.span().start),
            &t.key_path(key),
            format!("{key} ({value}) must be above 0 and at most {limit}; for no noise write model = \"none\""),
        );
        return None;
    }
    // sigma is the log-scale sd of a lognormal; cv = sqrt(exp(sigma^2) - 1) links the two.
    let cv = if key == "cv" {
        value
    } else {
        (value * value).exp_m1().sqrt()
    };
    Some(match model.as_str() {
        "lognormal" => Noise::LogNormal {
            sigma: if key == "sigma" {
                value
            } else {
                (cv * cv).ln_1p().sqrt()
            },
        },
        _ => Noise::Gamma {
            shape: if key == "sigma" {
                1.0 / (value * value).exp_m1()
            } else {
                1.0 / (cv * cv)
            },
        },
    })
}

fn sides(sink: &mut Sink, node: &Node, reference: Option<Date>) -> Option<Vec<Side>> {
    let t = Table::of(sink, "sides", node)?;
    if t.map.is_empty() {
        sink.error(
            Some(t.at),
            "sides",
            "no sides: add at least one [sides.NAME] section",
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
                format!("'{name}' is not a usable side name: use letters, digits, '_' or '-', starting with a letter, and not 'combined' (it names the total)"),
            );
            ok = false;
            continue;
        }
        match side(sink, &path, name, value, reference) {
            Some(s) => out.push(s),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn valid_side_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && name != "combined"
}

fn side(
    sink: &mut Sink,
    path: &str,
    name: &str,
    node: &Node,
    reference: Option<Date>,
) -> Option<Side> {
    let t = Table::of(sink, path, node)?;
    t.only(sink, SIDE_KEYS);
    let casualties = t
        .required(
            sink,
            "casualties",
            "the cumulative casualties on the reference date, as a range",
        )
        .and_then(|v| range(sink, &t.key_path("casualties"), v));
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
            let baseline = range(sink, &t.key_path("killed"), k);
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
    Some(Side {
        name: name.to_string(),
        casualties: casualties?.dist,
        rate: rate?,
        killed: killed?,
    })
}

fn rate(sink: &mut Sink, path: &str, node: &Node, reference: Option<Date>) -> Option<Rate> {
    let implied = matches!(node.get_ref(), DeValue::Table(m)
        if IMPLIED_KEYS.iter().any(|k| m.get(*k).is_some()));
    if !implied {
        return range(sink, path, node).map(|r| Rate::PerDay(r.dist));
    }
    let t = Table::of(sink, path, node)?;
    t.only(sink, IMPLIED_KEYS);
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
                    format!("'{s}' is not a total: give a range, or \"casualties\" for this side's baseline casualties"),
                );
                return None;
            }
            None
        }
        _ => Some(range(sink, &t.key_path("total"), total_node)?),
    };
    let (from, to, reference) = (from?, to?, reference?);
    let at = Some(t.at);
    if to > reference {
        sink.error(
            at,
            &t.key_path("to"),
            format!("{to} is after the reference date {reference}: a scenario uses only what was known by then"),
        );
        return None;
    }
    if total.is_none() && to != reference {
        sink.error(
            at,
            &t.key_path("to"),
            format!("total = \"casualties\" is the baseline on the reference date, so the period must end on {reference}, not {to}"),
        );
        return None;
    }
    let days = to.days_since(from);
    if days < 1 {
        sink.error(
            at,
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

/// Side ids for an array of side names; duplicates and unknown names are errors.
fn side_list(sink: &mut Sink, path: &str, node: &Node, names: &[String]) -> Option<Vec<SideId>> {
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
                    format!("side '{n}' is listed twice"),
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
    if let Some(i) = names.iter().position(|n| n == name) {
        return Some(i);
    }
    let known: Vec<&str> = names.iter().map(String::as_str).collect();
    let hint = did_you_mean(name, &known)
        .map(|h| format!("did you mean '{h}'? "))
        .unwrap_or_default();
    sink.error(
        Some(at.span().start),
        path,
        format!(
            "unknown side '{name}'; {hint}the sides are: {}",
            known.join(", ")
        ),
    );
    None
}

/// The entries of an array of tables (`[[phases]]`), with their key paths.
fn table_array<'a, 'i>(
    sink: &mut Sink,
    key: &str,
    node: &'a Node<'i>,
) -> Option<Vec<(String, &'a Node<'i>)>> {
    let items = array(sink, key, node)?;
    Some(
        items
            .iter()
            .enumerate()
            .map(|(i, n)| (format!("{key}[{i}]"), n))
            .collect(),
    )
}

fn phases(
    sink: &mut Sink,
    node: &Node,
    names: &[String],
    reference: Date,
    horizon: u32,
) -> Option<Vec<Phase>> {
    let mut out = Vec::new();
    let mut ok = true;
    for (path, item) in table_array(sink, "phases", node)? {
        match phase(sink, &path, item, names, reference, horizon) {
            Some(p) => out.push(p),
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
    t.only(sink, PHASE_KEYS);
    let name = t
        .required(
            sink,
            "name",
            "name the phase (for example \"spring offensive\")",
        )
        .and_then(|_| t.string(sink, "name"));
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
    let effect = match (t.get("multiplier"), t.get("multipliers")) {
        (Some(_), Some(v)) => {
            sink.error(Some(v.span().start), &t.key_path("multipliers"), "give multiplier (one factor for the listed sides) or multipliers (one per side), not both");
            None
        }
        (None, None) => {
            t.missing(
                sink,
                "multiplier",
                "the factor on the rates during the phase (or multipliers, one per side)",
            );
            None
        }
        (Some(m), None) => {
            let factor = range(sink, &t.key_path("multiplier"), m);
            let sides = match t.get("sides") {
                Some(s) => side_list(sink, &t.key_path("sides"), s, names),
                None => Some((0..names.len()).collect()),
            };
            Some(PhaseEffect::Shared {
                factor: factor?.dist,
                sides: sides?,
            })
        }
        (None, Some(m)) => {
            if let Some(s) = t.get("sides") {
                sink.error(
                    Some(s.span().start),
                    &t.key_path("sides"),
                    "with multipliers, the sides are the keys of the multipliers table; drop sides",
                );
            }
            per_side(sink, &t.key_path("multipliers"), m, names).map(PhaseEffect::PerSide)
        }
    };
    let (first_day, last_day) = days?;
    Some(Phase {
        name: name?,
        first_day,
        last_day,
        effect: effect?,
    })
}

fn per_side(
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
        let r: Option<Range> = range(sink, &p, value);
        match (id, r) {
            (Some(id), Some(r)) => out.push((id, r.dist)),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

fn thresholds(sink: &mut Sink, node: &Node, sides: &[Side]) -> Option<Vec<Threshold>> {
    let names: Vec<String> = sides.iter().map(|s| s.name.clone()).collect();
    let mut out: Vec<Threshold> = Vec::new();
    let mut ok = true;
    for (path, item) in table_array(sink, "thresholds", node)? {
        match threshold(sink, &path, item, sides, &names) {
            Some(t) if out.iter().any(|o| o.name == t.name) => {
                sink.error(
                    Some(item.span().start),
                    &format!("{path}.name"),
                    format!("another threshold is already named '{}'", t.name),
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
    t.only(sink, THRESHOLD_KEYS);
    let name = t
        .required(
            sink,
            "name",
            "name the threshold (for example \"2 million combined casualties\")",
        )
        .and_then(|_| t.string(sink, "name"));
    let metric = match t.get("metric") {
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
                    format!("unknown metric '{m}'; {hint}metrics are: casualties, killed"),
                );
                None
            }
        }),
    };
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
        if l > 0.0 {
            Some(l)
        } else {
            sink.error(
                t.get("level").map(|v| v.span().start),
                &t.key_path("level"),
                format!("{l} must be above 0"),
            );
            None
        }
    });
    let (metric, ids) = (metric?, ids?);
    if metric == Metric::Killed {
        for &id in &ids {
            if sides[id].killed.is_none() {
                sink.error(
                    Some(t.at),
                    &t.key_path("metric"),
                    format!("side '{}' does not project killed: give it killed and killed_share, or use metric = \"casualties\"", sides[id].name),
                );
                return None;
            }
        }
    }
    Some(Threshold {
        name: name?,
        metric,
        sides: ids,
        level: level?,
    })
}

#[cfg(test)]
mod tests;
