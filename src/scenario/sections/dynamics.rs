//! [seasonality], [trend], [[correlations]], [force] and the shared shock of [noise], with
//! the helpers the events and regimes share (docs/scenarios.md, Dynamics).

use super::phases::{side_list, table_array};
use super::{did_you_mean, Node, Range, Sink, Table};
use crate::model::*;
use crate::scenario::keys;
use crate::scenario::range::range;
use crate::scenario::walk::{array, number, string, Either};

use crate::scenario::keys::LAWS;

/// A range of probabilities (or shares): its stated upper end at most 1.
pub(super) fn probability_range(sink: &mut Sink, path: &str, node: &Node) -> Option<Range> {
    let r = range(sink, path, node)?;
    if r.hi > 1.0 {
        sink.error(
            Some(node.span().start),
            path,
            format!(
                "{} is above 1: a probability or share is between 0 and 1",
                r.hi
            ),
        );
        return None;
    }
    Some(r)
}

/// A single probability in [0, 1].
pub(super) fn probability(sink: &mut Sink, path: &str, node: &Node) -> Option<f64> {
    let p = number(sink, path, node)?;
    if !(0.0..=1.0).contains(&p) {
        sink.error(
            Some(node.span().start),
            path,
            format!("{p} is not a probability: give a number between 0 and 1"),
        );
        return None;
    }
    Some(p)
}

pub(super) fn seasonality(sink: &mut Sink, node: &Node, names: &[String]) -> Option<Seasonality> {
    let t = Table::of(sink, "seasonality", node)?;
    t.only(sink, keys::SEASONALITY);
    let sides = match t.get("sides") {
        Some(s) => side_list(sink, "seasonality.sides", s, names),
        None => Some((0..names.len()).collect()),
    };
    let months = match t.either(
        sink,
        "months",
        "amplitude",
        "give months (12 factors) or amplitude and peak_month, not both",
    ) {
        None => None,
        Some(Either::Neither) => {
            t.missing(
                sink,
                "months",
                "12 factors, January first (or amplitude and peak_month)",
            );
            None
        }
        Some(Either::First(m)) => {
            if let Some(v) = t.get("peak_month") {
                sink.error(
                    Some(v.span().start),
                    "seasonality.peak_month",
                    "peak_month goes with amplitude, not months",
                );
            }
            let items = array(sink, "seasonality.months", m)?;
            if items.len() != 12 {
                sink.error(
                    Some(m.span().start),
                    "seasonality.months",
                    format!(
                        "give 12 factors (January to December), found {}",
                        items.len()
                    ),
                );
                return None;
            }
            let mut out = [0.0; 12];
            let mut good = true;
            for (i, item) in items.iter().enumerate() {
                let p = format!("seasonality.months[{i}]");
                match number(sink, &p, item) {
                    Some(v) if (0.0..=MAX_FACTOR).contains(&v) => out[i] = v,
                    Some(v) => {
                        sink.error(
                            Some(item.span().start),
                            &p,
                            format!("{v} is not a factor between 0 and {MAX_FACTOR:e}"),
                        );
                        good = false;
                    }
                    None => good = false,
                }
            }
            good.then_some(out)
        }
        Some(Either::Second(a)) => {
            let amp = number(sink, "seasonality.amplitude", a)?;
            if !(0.0..=1.0).contains(&amp) {
                sink.error(
                    Some(a.span().start),
                    "seasonality.amplitude",
                    format!("{amp} is outside [0, 1]: factors 1 - amplitude would be negative"),
                );
                return None;
            }
            let p = t.required(
                sink,
                "peak_month",
                "the month of the peak, 1 (January) to 12",
            )?;
            let peak = number(sink, "seasonality.peak_month", p)?;
            if !(1.0..=12.0).contains(&peak) || peak.fract() != 0.0 {
                sink.error(
                    Some(p.span().start),
                    "seasonality.peak_month",
                    format!("{peak} is not a month number 1 to 12"),
                );
                return None;
            }
            let mut out = [0.0; 12];
            for (m, f) in out.iter_mut().enumerate() {
                let phase = 2.0 * std::f64::consts::PI * (m as f64 + 1.0 - peak) / 12.0;
                *f = 1.0 + amp * phase.cos();
            }
            Some(out)
        }
    };
    Some(Seasonality {
        months: months?,
        sides: sides?,
    })
}

pub(super) fn trend(sink: &mut Sink, node: &Node, names: &[String]) -> Option<Trend> {
    let t = Table::of(sink, "trend", node)?;
    t.only(sink, keys::TREND);
    let sides = match t.get("sides") {
        Some(s) => side_list(sink, "trend.sides", s, names),
        None => Some((0..names.len()).collect()),
    };
    let p = t.required(
        sink,
        "percent_per_month",
        "the growth of the rates in percent per month: a number or { lo, hi }",
    )?;
    let path = "trend.percent_per_month";
    let in_bounds = |sink: &mut Sink, v: f64, at: &Node| {
        if (MIN_TREND..=MAX_TREND).contains(&v) {
            true
        } else {
            sink.error(
                Some(at.span().start),
                path,
                format!("{v} percent per month is outside [{MIN_TREND}, {MAX_TREND}]"),
            );
            false
        }
    };
    let dist = match p.get_ref() {
        toml::de::DeValue::Table(_) => {
            let r = Table::of(sink, path, p)?;
            r.only(sink, keys::TREND_RANGE);
            let lo = r
                .required(sink, "lo", "the low end (5th percentile for normal)")
                .and_then(|_| r.number(sink, "lo"));
            let hi = r
                .required(sink, "hi", "the high end (95th percentile for normal)")
                .and_then(|_| r.number(sink, "hi"));
            let shape = match r.get("shape") {
                Some(v) => string(sink, &r.key_path("shape"), v),
                None => Some("normal".to_string()),
            };
            let (lo, hi, shape) = (lo?, hi?, shape?);
            if !(in_bounds(sink, lo, p) && in_bounds(sink, hi, p)) {
                return None;
            }
            if hi < lo {
                sink.error(
                    Some(p.span().start),
                    path,
                    format!("hi ({hi}) is below lo ({lo})"),
                );
                return None;
            }
            match shape.as_str() {
                "normal" => TrendDist::Normal {
                    mean: (lo + hi) / 2.0,
                    sd: (hi - lo) / (2.0 * crate::sample::normal::Z95),
                },
                "uniform" => TrendDist::Uniform { lo, hi },
                other => {
                    sink.error(r.get("shape").map(|v| v.span().start), &r.key_path("shape"), format!("unknown shape '{}'; a trend is \"normal\" (lo, hi a 90% interval) or \"uniform\"", crate::scenario::diag::shown(other)));
                    return None;
                }
            }
        }
        _ => {
            let v = number(sink, path, p)?;
            if !in_bounds(sink, v, p) {
                return None;
            }
            TrendDist::Fixed(v)
        }
    };
    Some(Trend {
        percent_per_month: dist,
        sides: sides?,
    })
}

pub(super) fn correlations(
    sink: &mut Sink,
    node: &Node,
    known: &Inputs,
) -> Option<Vec<Correlation>> {
    let mut out: Vec<Correlation> = Vec::new();
    let mut ok = true;
    for (path, item) in table_array(sink, "correlations", node, MAX_CORRELATIONS)? {
        let Some(t) = Table::of(sink, &path, item) else {
            ok = false;
            continue;
        };
        t.only(sink, keys::CORRELATION);
        let inputs = t
            .required(sink, "inputs", "the key paths of two or more inputs, e.g. [\"sides.russia.rate_per_day\", \"sides.ukraine.rate_per_day\"]")
            .and_then(|v| input_list(sink, &t.key_path("inputs"), v, known, &out));
        let rho = match t.either(
            sink,
            "rho",
            "spearman",
            "give rho (Gaussian copula) or spearman (rank correlation), not both",
        ) {
            None => None,
            Some(Either::Neither) => {
                t.missing(sink, "rho", "the correlation of the inputs' normal scores (or spearman, a rank correlation)");
                None
            }
            Some(Either::First(v)) => number(sink, &t.key_path("rho"), v).map(|r| (r, v, "rho")),
            // Spearman's rho of a Gaussian copula is (6 / pi) asin(rho / 2). At s = +-1 the
            // sine rounds to just inside +-1, so those are refused as NaN, by the check below.
            Some(Either::Second(v)) => number(sink, &t.key_path("spearman"), v).map(|s| {
                let rho = if s.abs() < 1.0 {
                    2.0 * (std::f64::consts::PI * s / 6.0).sin()
                } else {
                    f64::NAN
                };
                (rho, v, "spearman")
            }),
        };
        match (inputs, rho) {
            (Some(inputs), Some((rho, at, key))) => {
                let k = inputs.len() as f64;
                let low = -1.0 / (k - 1.0);
                if !(rho > low && rho < 1.0 && rho.is_finite()) {
                    // State the bound in the units the user wrote.
                    let low = if key == "spearman" {
                        6.0 / std::f64::consts::PI * (low / 2.0).asin()
                    } else {
                        low
                    };
                    sink.error(
                        Some(at.span().start),
                        &t.key_path(key),
                        format!(
                            "a correlation shared by {k} inputs must lie strictly between {} and 1",
                            crate::sample::dist::fmt_num((low * 1e4).round() / 1e4)
                        ),
                    );
                    ok = false;
                } else {
                    out.push(Correlation { inputs, rho });
                }
            }
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

fn input_list(
    sink: &mut Sink,
    path: &str,
    node: &Node,
    known: &Inputs,
    earlier: &[Correlation],
) -> Option<Vec<usize>> {
    let items = array(sink, path, node)?;
    if items.len() < 2 {
        sink.error(
            Some(node.span().start),
            path,
            "a correlation needs at least two inputs",
        );
        return None;
    }
    let mut out: Vec<usize> = Vec::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let p = format!("{path}[{i}]");
        let Some(name) = string(sink, &p, item) else {
            ok = false;
            continue;
        };
        let at = Some(item.span().start);
        let found = known
            .iter()
            .position(|k| k.key == name && k.correlatable.is_some());
        match found.map(|k| (k, known[k].correlatable)) {
            None => {
                let names: Vec<&str> = known
                    .iter()
                    .filter(|k| k.correlatable.is_some())
                    .map(|k| k.key.as_str())
                    .collect();
                let hint = did_you_mean(&name, &names)
                    .map(|h| format!("did you mean '{h}'? "))
                    .unwrap_or_default();
                sink.error(
                    at,
                    &p,
                    format!(
                        "'{}' is not a drawn input of this scenario; {hint}inputs are: {}",
                        crate::scenario::diag::shown(&name),
                        names.join(", ")
                    ),
                );
                ok = false;
            }
            Some((_, Some(false))) => {
                sink.error(at, &p, format!("'{name}' has shape pert, which is drawn by a Beta sampler and cannot be correlated; use triangular or lognormal"));
                ok = false;
            }
            Some((k, _)) if out.contains(&k) || earlier.iter().any(|c| c.inputs.contains(&k)) => {
                sink.error(
                    at,
                    &p,
                    format!("'{name}' is already in a correlation; an input may be in one only"),
                );
                ok = false;
            }
            Some((k, _)) => out.push(k),
        }
    }
    ok.then_some(out)
}

/// `[force] law = "square" | "linear"`; every side then needs `force`, and there must be two.
pub(super) fn force_law(sink: &mut Sink, node: &Node, sides: &[Side]) -> Option<ForceLaw> {
    let t = Table::of(sink, "force", node)?;
    t.only(sink, keys::FORCE);
    let v = t.required(
        sink,
        "law",
        "\"square\" (aimed fire) or \"linear\" (area fire)",
    )?;
    let s = string(sink, "force.law", v)?;
    let law = match s.as_str() {
        "square" => ForceLaw::Square,
        "linear" => ForceLaw::Linear,
        _ => {
            let hint = did_you_mean(&s, LAWS)
                .map(|h| format!("did you mean '{h}'? "))
                .unwrap_or_default();
            sink.error(
                Some(v.span().start),
                "force.law",
                format!(
                    "unknown law '{}'; {hint}laws are: square, linear",
                    crate::scenario::diag::shown(&s)
                ),
            );
            return None;
        }
    };
    if sides.len() != 2 {
        sink.error(Some(t.at), "force", format!("force-dependent attrition needs exactly two sides (each fires at the other), found {}", sides.len()));
        return None;
    }
    let mut ok = true;
    for s in sides {
        if s.force.is_none() {
            sink.error(Some(t.at), &format!("sides.{}.force", s.name), "missing: with a [force] section every side needs force (the troops in the line on the reference date)");
            ok = false;
        }
    }
    ok.then_some(law)
}
