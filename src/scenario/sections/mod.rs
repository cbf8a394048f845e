//! The scenario file's sections, read into a `Model` with every problem reported.
//! This file reads [scenario] and [noise]; sides, phases and thresholds have their own.

use super::diag::{did_you_mean, shown, ScenarioError, Sink};
use super::range::{range, Range};
use super::walk::{array, count, date, string, Either, Node, Table};
use crate::date::Date;
use crate::model::*;
use crate::sample::Dist;
use toml::de::{DeTable, DeValue};

mod bounds;
pub(crate) mod dynamics;
pub(crate) mod events;
pub(crate) mod observations;
pub(crate) mod phases;
pub(crate) mod regimes;
pub(crate) mod sides;
pub(crate) mod thresholds;

use self::phases::phases;
use self::sides::sides;
use self::thresholds::thresholds;

use super::keys::{DEFAULT_PATHS, DEFAULT_SEED, NOISE_MODELS};

pub fn build(file: &str, text: &str) -> Result<Model, ScenarioError> {
    let mut sink = Sink::new(file, text);
    let fail = |sink: Sink| sink.into_error();
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
            // The parser gives no place for a dotted key too deep to read ("recursion
            // limit"); the longest chain of dotted keys is that place.
            let at = e
                .span()
                .map(|s| s.start)
                .or_else(|| longest_dotted_key(text));
            let msg = if msg == "recursion limit" {
                "a dotted key nested too deeply (the parser reads at most 80 levels)".to_string()
            } else {
                msg
            };
            sink.error(at, "", format!("invalid TOML: {msg}"));
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
        spec: std::cell::Cell::new(None),
    };
    top.only(&mut sink, super::keys::TOP);

    let meta = top
        .required(
            &mut sink,
            "scenario",
            "add a [scenario] section with name, reference_date and horizon",
        )
        .and_then(|n| Table::of(&mut sink, "scenario", n));
    let name = meta.as_ref().and_then(|m| {
        m.only(&mut sink, super::keys::SCENARIO);
        m.required(&mut sink, "name", "give the scenario a short name")?;
        non_empty(&mut sink, m, "name")
    });
    let title = meta.as_ref().and_then(|m| {
        let s = m.string(&mut sink, "title")?;
        not_too_long(&mut sink, m, "title", s, 2 * MAX_NAME_CHARS)
    });
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
        Some(v) => seed(&mut sink, v),
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
        .and_then(|n| sides(&mut sink, n, reference, top.has("force")));
    let side_names: Option<Vec<String>> = sides
        .as_ref()
        .map(|v| v.iter().map(|s| s.name.clone()).collect());

    let phases = match (top.get("phases"), &side_names, reference, horizon) {
        (None, ..) => Some(Vec::new()),
        (Some(n), Some(names), Some(r), Some(h)) => phases(&mut sink, n, names, r, h),
        _ => None,
    };
    let section = |key: &str| top.get(key);
    let events = match (section("events"), &side_names, reference, horizon) {
        (None, ..) => Some(Vec::new()),
        (Some(n), Some(names), Some(r), Some(h)) => events::events(&mut sink, n, names, r, h),
        _ => None,
    };
    let regimes = match (section("regimes"), &side_names) {
        (None, _) => Some(None),
        (Some(n), Some(names)) => regimes::regimes(&mut sink, n, names).map(Some),
        _ => None,
    };
    let seasonality = match (section("seasonality"), &side_names) {
        (None, _) => Some(None),
        (Some(n), Some(names)) => dynamics::seasonality(&mut sink, n, names).map(Some),
        _ => None,
    };
    let trend = match (section("trend"), &side_names) {
        (None, _) => Some(None),
        (Some(n), Some(names)) => dynamics::trend(&mut sink, n, names).map(Some),
        _ => None,
    };
    let correlations = match (section("correlations"), &sides, &phases) {
        (None, ..) => Some(Vec::new()),
        (Some(n), Some(s), Some(p)) => {
            // The sides' and phases' inputs, the only ones a correlation may name,
            // have the same indices in this table as in the model's (`Model::inputs`).
            let known = Inputs::new(s, p, &[], None, None, &[]);
            dynamics::correlations(&mut sink, n, &known)
        }
        _ => None,
    };
    let force_law = match (section("force"), &sides) {
        (None, _) => Some(None),
        (Some(n), Some(s)) => dynamics::force_law(&mut sink, n, s).map(Some),
        _ => None,
    };
    let thresholds = match (top.get("thresholds"), &sides) {
        (None, _) => Some(Vec::new()),
        (Some(n), Some(s)) => thresholds(&mut sink, n, s),
        _ => None,
    };
    let sources = match section("sources") {
        None => Some(Vec::new()),
        Some(n) => observations::sources(&mut sink, n),
    };
    let observations = match (
        section("observations"),
        &sides,
        &sources,
        reference,
        horizon,
    ) {
        (None, ..) => Some(Vec::new()),
        (Some(n), Some(s), Some(src), Some(r), Some(h)) => {
            observations::observations(&mut sink, n, s, src, r, h)
        }
        _ => None,
    };
    // The grid of `attrition sweep`: checked here so that every command reports its
    // problems; only `sweep` uses it (`grid::Grid::of_file`).
    if let Some(n) = section("sweep") {
        super::grid::check_table(&mut sink, text, n);
    }
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
    let model = Model {
        name,
        title,
        reference_date: reference,
        horizon_days,
        report_days,
        default_paths: paths.unwrap_or(DEFAULT_PATHS),
        default_seed: seed.unwrap_or(DEFAULT_SEED),
        sides: sides.unwrap_or_default(),
        noise: noise.map_or(Noise::None, |n| n.0),
        phases: phases.unwrap_or_default(),
        thresholds: thresholds.unwrap_or_default(),
        events: events.unwrap_or_default(),
        regimes: regimes.flatten(),
        seasonality: seasonality.flatten(),
        trend: trend.flatten(),
        correlations: correlations.unwrap_or_default(),
        shock_correlation: noise.map_or(0.0, |n| n.1),
        force_law: force_law.flatten(),
        observations: observations.unwrap_or_default(),
        sources: sources.unwrap_or_default(),
        proposal: Default::default(),
    };
    bounds::check(&mut sink, &top, &model);
    if sink.has_errors() {
        return Err(fail(sink));
    }
    Ok(model)
}

/// Byte offset of the start of the longest chain of dotted keys (`a.b."c".d`), if any.
fn longest_dotted_key(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let bare = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
    let blank = |c: u8| c == b' ' || c == b'\t';
    let (mut best, mut best_len) = (None, 1);
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let mut segments = 0;
        loop {
            if i < b.len() && bare(b[i]) {
                while i < b.len() && bare(b[i]) {
                    i += 1;
                }
            } else if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                i += 1;
                while i < b.len() && b[i] != q && b[i] != b'\n' {
                    i += 1;
                }
                i = (i + 1).min(b.len());
            } else {
                break;
            }
            segments += 1;
            let mut j = i;
            while j < b.len() && blank(b[j]) {
                j += 1;
            }
            if j < b.len() && b[j] == b'.' {
                j += 1;
                while j < b.len() && blank(b[j]) {
                    j += 1;
                }
                i = j;
            } else {
                break;
            }
        }
        if segments > best_len {
            (best, best_len) = (Some(start), segments);
        }
        if i == start {
            i += 1;
        }
    }
    best
}

fn horizon(sink: &mut Sink, m: &Table, reference: Date) -> Option<u32> {
    let days: i64 = match m.either(
        sink,
        "horizon",
        "horizon_days",
        "give either horizon (a date) or horizon_days, not both",
    )? {
        Either::Neither => {
            m.missing(
                sink,
                "horizon",
                "the last simulated date (or give horizon_days)",
            );
            return None;
        }
        Either::First(_) => {
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
        Either::Second(v) => {
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
    let last = Date::from_ymd(9999, 12, 31).expect("a real date");
    if days > last.days_since(reference) {
        let at = m
            .get("horizon")
            .or(m.get("horizon_days"))
            .map(|v| v.span().start);
        sink.error(
            at,
            "scenario.horizon",
            "the horizon is after 9999-12-31; dates are four-digit years",
        );
        return None;
    }
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
    if items.len() > MAX_REPORT_DATES {
        sink.error(
            Some(node.span().start),
            "scenario.report_dates",
            format!(
                "{} report dates: give at most {MAX_REPORT_DATES} (each keeps a histogram per side and metric)",
                items.len()
            ),
        );
        return None;
    }
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

/// A seed in 0..=MAX_SEED: TOML's integers are 64-bit signed, and a larger one (which the
/// parser hands over as text) is not an integer to other TOML readers of the same file.
fn seed(sink: &mut Sink, v: &Node) -> Option<u64> {
    let n = count(sink, "scenario.seed", v)?;
    if n > MAX_SEED {
        sink.error(
            Some(v.span().start),
            "scenario.seed",
            format!("{n} is above {MAX_SEED}, the largest TOML integer; give a seed from 0 to {MAX_SEED}"),
        );
        return None;
    }
    Some(n)
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

/// [noise]: the model, and the correlation of the sides' day-to-day shocks.
fn noise(sink: &mut Sink, node: &Node) -> Option<(Noise, f64)> {
    let t = Table::of(sink, "noise", node)?;
    t.only(sink, super::keys::NOISE);
    let model = noise_model(sink, &t)?;
    let shock = shock_correlation(sink, &t, model)?;
    Some((model, shock))
}

/// The share of the day-to-day shock that the sides have in common (0 when not given).
fn shock_correlation(sink: &mut Sink, t: &Table, noise: Noise) -> Option<f64> {
    let Some(v) = t.get("correlation") else {
        return Some(0.0);
    };
    let rho = super::walk::number(sink, "noise.correlation", v)?;
    if noise == Noise::None {
        sink.error(
            Some(v.span().start),
            "noise.correlation",
            "'correlation' has no meaning with model = \"none\" (there are no shocks to share)",
        );
        return None;
    }
    if !(0.0..1.0).contains(&rho) {
        sink.error(
            Some(v.span().start),
            "noise.correlation",
            format!("{rho} is outside [0, 1): shared shocks give a correlation of at least 0 and below 1"),
        );
        return None;
    }
    Some(rho)
}

fn noise_model(sink: &mut Sink, t: &Table) -> Option<Noise> {
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
                "unknown noise model '{}'; {hint}models are: {}",
                shown(&model),
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
    let (key, value) = match t.either(sink, "sigma", "cv", "give sigma or cv, not both")? {
        Either::Neither => {
            t.missing(
                sink,
                "sigma",
                "give sigma (sd of the log of the daily multiplier) or cv (its coefficient of variation)",
            );
            return None;
        }
        Either::First(_) => ("sigma", t.number(sink, "sigma")?),
        Either::Second(_) => ("cv", t.number(sink, "cv")?),
    };
    // One bound in either unit: a cv of 10 is a sigma of sqrt(ln 101) = 2.148.
    let limit = if key == "sigma" {
        MAX_NOISE_SIGMA
    } else {
        MAX_NOISE_CV
    };
    // Below MIN_NOISE the noise is nothing to f64, and 1 / cv^2 (the gamma shape) would
    // overflow: the bound keeps every accepted value runnable.
    if !(MIN_NOISE..=limit).contains(&value) {
        sink.error(
            t.get(key).map(|v| v.span().start),
            &t.key_path(key),
            format!("{key} ({}) must be from {MIN_NOISE:e} to {limit:.3} (a coefficient of variation of 10); for no noise write model = \"none\"", crate::sample::dist::fmt_num(value)),
        );
        return None;
    }
    // Either model takes either unit: sigma is the log-scale sd of a lognormal, and a
    // gamma given a sigma gets that lognormal's cv.
    Some(match (model.as_str(), key) {
        ("lognormal", "sigma") => Noise::lognormal(value),
        ("lognormal", _) => Noise::lognormal_from_cv(value),
        (_, "sigma") => Noise::gamma_from_sigma(value),
        _ => Noise::gamma_from_cv(value),
    })
}

/// A required, non-empty string: names key random draws and label results.
fn non_empty(sink: &mut Sink, t: &Table, key: &str) -> Option<String> {
    let s = t.string(sink, key)?;
    if s.trim().is_empty() {
        sink.error(
            t.get(key).map(|v| v.span().start),
            &t.key_path(key),
            "must not be empty",
        );
        return None;
    }
    not_too_long(sink, t, key, s, MAX_NAME_CHARS)
}

/// `s` (the value of `key`) if at most `max` characters: names and titles label tables,
/// figures and CSV columns.
fn not_too_long(sink: &mut Sink, t: &Table, key: &str, s: String, max: usize) -> Option<String> {
    let n = s.chars().count();
    if n > max {
        sink.error(
            t.get(key).map(|v| v.span().start),
            &t.key_path(key),
            format!("'{}' is {n} characters long; give at most {max}", shown(&s)),
        );
        return None;
    }
    Some(s)
}

#[cfg(test)]
mod tests;
