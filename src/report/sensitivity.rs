//! `attrition sensitivity`'s outputs: the readable table, the versioned JSON document
//! and a tidy CSV (one value a row). Names from scenario files go through `terminal` in
//! the table and `csv_field` in the CSV.

use super::envelope::{Body, Envelope};
use super::escape::terminal;
use super::table::{percent_label, thousands};
use crate::sensitivity::tornado::{HeldEnd, HeldKind};
use crate::sensitivity::{Index, OutputIndices, OutputKind, Sensitivity};
use serde::Serialize;
use std::fmt::Write;

/// The body of the JSON document.
#[derive(Serialize)]
pub struct SensitivityBody<'a> {
    #[serde(flatten)]
    pub sensitivity: &'a Sensitivity,
}

impl Body for SensitivityBody<'_> {
    const SCHEMA: &'static str = "attrition.sensitivity";
    const SCHEMA_VERSION: u32 = 1;
}

/// The JSON document: the envelope, then the result's fields.
pub fn json(s: &Sensitivity) -> Vec<u8> {
    Envelope::new(SensitivityBody { sensitivity: s }).to_bytes()
}

/// An index with its interval: `0.612 (0.598 to 0.627)`.
fn with_interval(x: f64, lo: Option<f64>, hi: Option<f64>) -> String {
    match lo.zip(hi) {
        Some((lo, hi)) => format!("{x:6.3} ({lo:6.3} to {hi:6.3})"),
        None => format!("{x:6.3} (no interval)"),
    }
}

/// A held value as a person reads it.
pub fn held_value(e: &HeldEnd) -> String {
    match e.kind {
        HeldKind::Happens if e.value > 0.5 => "always".to_string(),
        HeldKind::Happens => "never".to_string(),
        HeldKind::FirstDay => e
            .date
            .map_or("after the horizon".to_string(), |d| d.to_string()),
        HeldKind::Number if e.value.abs() >= 999.5 => thousands(e.value),
        HeldKind::Number => {
            let s = format!("{:.4}", e.value);
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
    }
}

/// The table: the run, the groups, each output's indices, then each threshold's tornado.
pub fn table(s: &Sensitivity) -> String {
    let mut out = String::new();
    let (sc, run) = (&s.scenario, &s.run);
    let _ = writeln!(
        out,
        "Sensitivity: {} [{}]",
        terminal(&sc.title),
        terminal(&sc.name)
    );
    let _ = writeln!(
        out,
        "reference {} | horizon {} | {} base paths x {} designs = {} paths | seed {} | noise: {}",
        sc.reference_date,
        sc.horizon_date,
        thousands(run.base_paths as f64),
        run.paths_simulated / run.base_paths.max(1),
        thousands(run.paths_simulated as f64),
        run.seed,
        run.noise.description
    );
    if !sc.set.is_empty() {
        let set: Vec<String> = sc
            .set
            .iter()
            .map(|a| format!("--set {}", terminal(a)))
            .collect();
        let _ = writeln!(out, "what-if: {}", set.join(" "));
    }
    let _ = writeln!(
        out,
        "Sobol indices (first order: Saltelli 2010; total: Jansen) with {}% intervals from a Poisson bootstrap of {} replicates over blocks of {} base paths; groups by {}",
        run.bootstrap.level * 100.0,
        run.bootstrap.replicates,
        run.bootstrap.block_paths,
        run.grouping.name()
    );
    let _ = writeln!(out, "\ngroups");
    for g in &s.groups {
        let inputs = if g.inputs.len() == 1 && g.inputs[0] == g.name {
            String::new()
        } else {
            format!(": {}", terminal(&g.inputs.join(", ")))
        };
        let _ = writeln!(out, "  {}{inputs}", terminal(&g.name));
        if let Some(note) = &g.note {
            let _ = writeln!(out, "    ({note})");
        }
    }
    let width = s
        .groups
        .iter()
        .map(|g| terminal(&g.name).chars().count())
        .max()
        .unwrap_or(5)
        .clamp(5, 60);
    for o in &s.outputs {
        output_block(&mut out, o, width, run.not_crossed_day);
    }
    for t in &s.tornado {
        tornado_block(&mut out, t);
    }
    out
}

fn output_block(out: &mut String, o: &OutputIndices, width: usize, after: u32) {
    let summary = match (o.kind, o.mean, o.sd) {
        (OutputKind::CrossingDay, Some(m), Some(sd)) => format!(
            " (mean {m:.1} days, sd {sd:.1}; a path that does not cross counts as day {after})"
        ),
        (OutputKind::CrossedBy, Some(m), _) => format!(" (P = {m:.4})"),
        (OutputKind::Stock, Some(m), Some(sd)) => {
            format!(" (mean {}, sd {})", thousands(m), thousands(sd))
        }
        _ => String::new(),
    };
    let _ = writeln!(out, "\n{}{summary}", terminal(&o.output));
    if let Some(note) = &o.note {
        let _ = writeln!(out, "  no indices: {note}");
        return;
    }
    let _ = writeln!(out, "  {:<width$}  {:<27}  total", "group", "first order");
    for Index {
        group,
        first,
        first_lo,
        first_hi,
        total,
        total_lo,
        total_hi,
    } in &o.indices
    {
        let name: String = terminal(group).chars().take(width).collect();
        let _ = writeln!(
            out,
            "  {name:<width$}  {:<25}  {}",
            with_interval(*first, *first_lo, *first_hi),
            with_interval(*total, *total_lo, *total_hi)
        );
    }
    if let Some(sum) = o.sum_first {
        let _ = writeln!(out, "  sum of first-order indices: {sum:.3}");
    }
}

fn tornado_block(out: &mut String, t: &crate::sensitivity::Tornado) {
    let _ = writeln!(
        out,
        "\ntornado: {}, each input held at its 5th and its 95th percentile, every other input drawn; sorted by the swing of {}",
        terminal(&t.threshold),
        percent_label(t.sorted_by)
    );
    let ends = |e: &crate::sensitivity::tornado::End| {
        let mut line = String::new();
        for q in &e.crossing {
            let d = q.date.map_or("not crossed".to_string(), |d| d.to_string());
            let _ = write!(line, "  {} {d}", percent_label(q.p));
        }
        for p in &e.p_crossed_by {
            let _ = write!(line, "  P(by {}) {:.4}", p.date, p.p);
        }
        line
    };
    let _ = writeln!(out, "  nothing held:{}", ends(&t.baseline));
    for b in &t.bars {
        let _ = writeln!(
            out,
            "  {} (swing {} days)",
            terminal(&b.input),
            b.swing_days
        );
        for e in [&b.low, &b.high] {
            let _ = writeln!(
                out,
                "    held at {} = {}:{}",
                percent_label(e.p),
                held_value(e),
                ends(&e.result)
            );
        }
    }
    if !t.not_held.is_empty() {
        let _ = writeln!(
            out,
            "  not held (no percentiles): {}",
            terminal(&t.not_held.join(", "))
        );
    }
}

/// The CSV header: one value a row.
pub const HEADER: &str = "section,output,kind,threshold,side,date,group,statistic,value,lo,hi,set";

/// The CSV: a row per index (`section` sobol, `statistic` first or total, with the
/// interval in `lo` and `hi`), then the tornado's rows (`section` tornado, `group` the
/// held input, `statistic` `held at p5`, `held at p95` or `nothing held`): the held
/// value (`output` value), each crossing-day quantile (`output` crossing day p50, the
/// day in `value`, empty when not crossed) and each P(crossed by) report date.
pub fn csv(s: &Sensitivity) -> String {
    let mut out = String::new();
    out.push_str(HEADER);
    out.push('\n');
    let num = |x: f64| x.to_string();
    let opt = |x: Option<f64>| x.map(num).unwrap_or_default();
    for o in &s.outputs {
        let kind = match o.kind {
            OutputKind::CrossingDay => "crossing_day",
            OutputKind::CrossedBy => "crossed_by",
            OutputKind::Stock => "stock",
        };
        let date = o.date.map(|d| d.to_string()).unwrap_or_default();
        for i in &o.indices {
            for (stat, v, lo, hi) in [
                ("first", i.first, i.first_lo, i.first_hi),
                ("total", i.total, i.total_lo, i.total_hi),
            ] {
                let fields = [
                    "sobol",
                    &o.output,
                    kind,
                    o.threshold.as_deref().unwrap_or(""),
                    o.side.as_deref().unwrap_or(""),
                    &date,
                    &i.group,
                    stat,
                    &num(v),
                    &opt(lo),
                    &opt(hi),
                    "",
                ];
                super::csv::line(&mut out, &fields);
            }
        }
    }
    for t in &s.tornado {
        tornado_rows(&mut out, t);
    }
    out
}

/// One tornado row of the CSV.
struct Row<'a> {
    threshold: &'a str,
    group: &'a str,
    stat: &'a str,
    set: &'a str,
}

impl Row<'_> {
    fn push(&self, out: &mut String, output: &str, kind: &str, date: &str, value: &str) {
        let fields = [
            "tornado",
            output,
            kind,
            self.threshold,
            "",
            date,
            self.group,
            self.stat,
            value,
            "",
            "",
            self.set,
        ];
        super::csv::line(out, &fields);
    }

    /// The run's crossing-day quantiles and P(crossed by) each report date.
    fn end(&self, out: &mut String, e: &crate::sensitivity::tornado::End) {
        for q in &e.crossing {
            let day = q.day.map(|d| d.to_string()).unwrap_or_default();
            let label = format!("crossing day {}", percent_label(q.p));
            self.push(out, &label, "crossing_day", "", &day);
        }
        for p in &e.p_crossed_by {
            let (label, date) = (format!("P(crossed by {})", p.date), p.date.to_string());
            self.push(out, &label, "crossed_by", &date, &p.p.to_string());
        }
    }
}

fn tornado_rows(out: &mut String, t: &crate::sensitivity::Tornado) {
    let base = Row {
        threshold: &t.threshold,
        group: "",
        stat: "nothing held",
        set: "",
    };
    base.end(out, &t.baseline);
    for b in &t.bars {
        for e in [&b.low, &b.high] {
            let stat = format!("held at {}", percent_label(e.p));
            let row = Row {
                threshold: &t.threshold,
                group: &b.input,
                stat: &stat,
                set: e.set.as_deref().unwrap_or(""),
            };
            let date = e.date.map(|d| d.to_string()).unwrap_or_default();
            row.push(out, "value", "held", &date, &e.value.to_string());
            row.end(out, &e.result);
        }
    }
}
