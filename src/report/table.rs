//! The readable table printed by default: headline answers first, then the stocks.
//! Every name from the scenario file goes through `term`, so that control characters in
//! it are shown as escapes instead of reaching the terminal.

use super::escape::terminal as term;
use crate::projection::{Estimator, Projection};
use std::fmt::Write;

pub fn render(projections: &[Projection]) -> String {
    let mut out = String::new();
    for (i, p) in projections.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        one(&mut out, p);
    }
    out
}

fn one(out: &mut String, p: &Projection) {
    let s = &p.scenario;
    let _ = writeln!(out, "{} [{}]", term(&s.title), term(&s.name));
    let _ = writeln!(
        out,
        "reference {} | horizon {} ({} days) | {} paths | seed {} | noise: {}",
        s.reference_date,
        s.horizon_date,
        s.horizon_days,
        thousands(p.run.paths as f64),
        p.run.seed,
        p.run.noise.description
    );
    if let Some(w) = &p.run.weights {
        let _ = writeln!(
            out,
            "weighted by {} observation{}: effective sample size {} of {} paths ({} with zero weight)",
            p.observations.len(),
            if p.observations.len() == 1 { "" } else { "s" },
            thousands(w.effective_paths.round()),
            thousands(p.run.paths as f64),
            thousands(w.zero_weight_paths as f64)
        );
        if let Some(q) = &w.proposal {
            let _ = writeln!(
                out,
                "inputs drawn from a proposal fitted to them ({} inputs, {} pilot paths in {} rounds; {}% of paths from the scenario's own ranges), weights exact",
                q.shifts.len(),
                thousands(q.pilot_paths as f64),
                q.rounds,
                (q.alpha * 100.0).round()
            );
        }
    }
    let _ = writeln!(out, "method: {}", method(p));
    if let Some(pr) = &p.run.precision {
        let mut asked = Vec::new();
        if let Some(x) = pr.target_se {
            asked.push(format!(
                "every se at most {x} (largest {})",
                se(pr.largest_se)
            ));
        }
        if let Some(d) = pr.target_days {
            asked.push(format!(
                "every date within {d} day{} (widest {})",
                if d == 1.0 { "" } else { "s" },
                pr.widest_days
            ));
        }
        let verdict = if pr.met {
            format!(
                "met with {} paths in {}",
                thousands(p.run.paths as f64),
                rounds(pr.rounds)
            )
        } else {
            format!(
                "NOT met: stopped at {} paths (--max-paths) after {}",
                thousands(p.run.paths as f64),
                rounds(pr.rounds)
            )
        };
        let _ = writeln!(out, "precision: {}: {verdict}", asked.join(", "));
    }
    if !s.set.is_empty() {
        let set: Vec<String> = s.set.iter().map(|a| format!("--set {}", term(a))).collect();
        let _ = writeln!(out, "what-if: {}", set.join(" "));
    }
    for t in &p.thresholds {
        let _ = writeln!(
            out,
            "\n{}: {} of {} reach {}",
            term(&t.name),
            t.metric.as_str(),
            term(&t.sides.join(" + ")),
            level(t.level)
        );
        let mut head = format!("  {:<16}", "crossing date");
        let mut dates = format!("  {:<16}", "");
        let mut days = format!("  {:<16}", "days after ref");
        let mut ci = format!("  {:<16}", "95% interval");
        for q in &t.crossing {
            let _ = write!(ci, "{:<13}", interval_days(q));
            let _ = write!(head, "{:<13}", percent_label(q.p));
            let date = q.date.map_or("not crossed".to_string(), |d| d.to_string());
            let _ = write!(dates, "{date:<13}");
            let _ = write!(
                days,
                "{:<13}",
                q.day.map_or("-".to_string(), |d| d.to_string())
            );
        }
        let _ = write!(head, "mean (if crossed)");
        match &t.mean_of_crossed {
            Some(m) => {
                let _ = write!(dates, "{}", m.date);
                let _ = write!(days, "{:.1}", m.day);
            }
            None => dates.push_str("never crossed"),
        }
        ci.push_str("(days either side)");
        for line in [head, dates, days, ci] {
            let _ = writeln!(out, "{}", line.trim_end());
        }
        if t.p_at_baseline > 0.0 {
            let _ = writeln!(
                out,
                "  already crossed on {}: P = {:.4}",
                s.reference_date, t.p_at_baseline
            );
        }
        for c in &t.p_crossed_by {
            let how = match c.method {
                Estimator::Conditional => "; conditional",
                _ => "",
            };
            let _ = writeln!(
                out,
                "  P(crossed by {}) = {:.4} (se {}{how})",
                c.date,
                c.p,
                se(c.se)
            );
        }
        let _ = writeln!(
            out,
            "  P(not crossed by {}) = {:.4} (se {:.4})",
            s.horizon_date, t.p_not_crossed, t.p_not_crossed_se
        );
    }
    for e in &p.events {
        let _ = writeln!(
            out,
            "\nevent {}: happened on {:.2}% of paths (se {:.2}%)",
            term(&e.name),
            100.0 * e.p_happened,
            100.0 * e.p_happened_se
        );
        for c in &e.thresholds {
            let _ = writeln!(out, "  {}: crossing date", term(&c.threshold));
            for (label, sum) in [("with event", &c.with_event), ("without", &c.without_event)] {
                let mut line = format!(
                    "    {:<12}{:>10} paths  ",
                    label,
                    thousands(sum.paths as f64)
                );
                for q in &sum.crossing {
                    let date = q.date.map_or("not crossed".to_string(), |d| d.to_string());
                    let _ = write!(line, "{} {date}  ", percent_label(q.p));
                }
                // The share of this subset never crossing, as the JSON's p_not_crossed
                // (absent when no path is in the subset).
                if let (Some(p), Some(se)) = (sum.p_not_crossed, sum.p_not_crossed_se) {
                    let _ = write!(line, "P(not crossed) = {p:.4} (se {se:.4})");
                }
                let _ = writeln!(out, "{}", line.trim_end());
            }
        }
    }
    if !p.regimes.is_empty() {
        let _ = writeln!(out, "\nregimes: mean share of days");
        for r in &p.regimes {
            let _ = writeln!(
                out,
                "  {:<16}{:.4} (se {:.4})",
                term(&r.name),
                r.share_of_days,
                r.se
            );
        }
    }
    if !p.observations.is_empty() {
        observations(out, p);
    }
    if !p.stocks.is_empty() {
        let _ = writeln!(out, "\ncumulative stocks at report dates");
        let mut head = format!("  {:<12}{:<12}{:<12}", "series", "metric", "date");
        let levels = p.stocks[0]
            .points
            .first()
            .map_or(&[][..], |pt| &pt.quantiles[..]);
        for q in levels {
            let _ = write!(head, "{:>14}", percent_label(q.p));
        }
        let _ = write!(head, "{:>16}", "95% of p50");
        let _ = writeln!(out, "{head}");
        for series in &p.stocks {
            for point in &series.points {
                let mut line = format!(
                    "  {:<12}{:<12}{:<12}",
                    term(&series.series),
                    series.metric.as_str(),
                    point.date.to_string()
                );
                for q in &point.quantiles {
                    let _ = write!(line, "{:>14}", thousands(q.value));
                }
                let median = point.quantiles.iter().find(|q| q.p == 0.5);
                let half = median.and_then(|q| {
                    let (lo, hi) = (q.ci_low?, q.ci_high?);
                    Some((q.value - lo).max(hi - q.value))
                });
                if let Some(h) = half {
                    let _ = write!(line, "{:>16}", format!("±{}", thousands(h)));
                }
                let _ = writeln!(out, "{line}");
            }
        }
    }
}

/// Each observation: the figure, its percentile before weighting, and the stock's 90%
/// intervals before and after.
fn observations(out: &mut String, p: &Projection) {
    let _ = writeln!(
        out,
        "\nobservations: the figure's percentile among the paths before weighting, and the stock's 90% interval before (prior) and after (posterior)"
    );
    for o in &p.observations {
        let source = o
            .source
            .as_deref()
            .map_or(String::new(), |s| format!(", source {}", term(s)));
        let _ = writeln!(
            out,
            "  {}: {} of {} on {}{source}",
            term(&o.name),
            o.metric.as_str(),
            term(&o.sides.join(" + ")),
            o.date
        );
        let ends = |q: &[crate::projection::StockQuantile]| match (q.first(), q.last()) {
            (Some(a), Some(b)) => format!("{} - {}", thousands(a.value), thousands(b.value)),
            _ => "-".to_string(),
        };
        let _ = writeln!(
            out,
            "    figure {} (90%: {} - {})   prior percentile {:.1}%   prior {}   posterior {}",
            thousands(o.value.round()),
            thousands(o.value_p5.round()),
            thousands(o.value_p95.round()),
            100.0 * o.prior_percentile,
            ends(&o.prior),
            ends(&o.posterior)
        );
    }
}

/// `1 round`, `3 rounds`.
fn rounds(n: u64) -> String {
    if n == 1 {
        "1 round".to_string()
    } else {
        format!("{n} rounds")
    }
}

/// The run's method, in a line.
fn method(p: &Projection) -> String {
    let m = &p.run.method;
    match m.replicates {
        Some(r) => {
            let mut text = format!(
                "randomized quasi-Monte Carlo ({} inputs from scrambled Sobol points, {r} scramblings; every error from their spread)",
                m.qmc_inputs.len()
            );
            let mut conditioned: Vec<String> = Vec::new();
            for key in p
                .thresholds
                .iter()
                .flat_map(|t| t.p_crossed_by.first())
                .filter_map(|c| c.conditioned_on.as_deref())
            {
                let key = term(key).into_owned();
                if !conditioned.contains(&key) {
                    conditioned.push(key);
                }
            }
            if !conditioned.is_empty() {
                let _ = write!(
                    text,
                    "; P(crossed by) conditional on {}",
                    conditioned.join(", ")
                );
            }
            text
        }
        None => "plain Monte Carlo (errors from the paths' spread)".to_string(),
    }
}

/// A standard error to four places, or where it is below them, to two significant
/// digits (a reduced run's errors are often far below 0.0001).
fn se(x: f64) -> String {
    if x != 0.0 && x.abs() < 5e-5 {
        format!("{x:.1e}")
    } else {
        format!("{x:.4}")
    }
}

/// A crossing quantile's 95% interval as days either side of it: `±2`, `-1/+3`, `+1`
/// (from the day itself to the next), or `-`
/// where an end lies beyond the horizon or the quantile itself does.
fn interval_days(q: &crate::projection::CrossingQuantile) -> String {
    match (q.day, q.ci_low_day, q.ci_high_day) {
        (Some(d), Some(lo), Some(hi)) => match (d - lo, hi - d) {
            (a, b) if a == b => format!("±{a}"),
            (0, b) => format!("+{b}"),
            (a, 0) => format!("-{a}"),
            (a, b) => format!("-{a}/+{b}"),
        },
        (Some(d), Some(lo), None) => format!("-{}/+?", d - lo),
        _ => "-".to_string(),
    }
}

/// A threshold level: whole numbers with separators, others as written.
fn level(x: f64) -> String {
    if x.fract() == 0.0 {
        thousands(x)
    } else {
        x.to_string()
    }
}

/// `1234567.4` as `1,234,567`.
pub fn thousands(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let neg = x < 0.0;
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if neg {
        format!("-{out}")
    } else {
        out
    }
}

/// `p5` for the 5% quantile, `p2.5` for 2.5%: a quantile's label in tables and figures.
pub fn percent_label(p: f64) -> String {
    let pct = p * 100.0;
    if (pct - pct.round()).abs() < 1e-9 {
        format!("p{}", pct.round())
    } else {
        format!("p{}", (pct * 1e6).round() / 1e6)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_separators() {
        assert_eq!(super::thousands(2_000_000.0), "2,000,000");
        assert_eq!(super::thousands(999.6), "1,000");
        assert_eq!(super::thousands(12.0), "12");
    }
}
