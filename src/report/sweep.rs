//! `attrition sweep`'s outputs, every format of one tidy result (`sweep::Sweep`): a row
//! per point and threshold with the point's parameters and headline figures, as a
//! readable table, the versioned JSON document, CSV and Parquet (same columns). Names
//! and values from the file go through `terminal` in the table.

use super::envelope::{Body, Envelope};
use super::escape::terminal;
use super::parquet::{Cell, Column, ColumnType, ParquetWriter};
use super::table::{percent_label, thousands};
use crate::date::Date;
use crate::sweep::{Point, PointThreshold, Sweep, Value};
use std::fmt::Write;

/// Output formats of `attrition sweep`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SweepFormat {
    Table,
    Json,
    Csv,
    Parquet,
}

impl SweepFormat {
    pub const NAMES: [&'static str; 4] = ["table", "json", "csv", "parquet"];

    pub fn parse(s: &str) -> Option<SweepFormat> {
        match s {
            "table" => Some(SweepFormat::Table),
            "json" => Some(SweepFormat::Json),
            "csv" => Some(SweepFormat::Csv),
            "parquet" => Some(SweepFormat::Parquet),
            _ => None,
        }
    }
}

impl Body for Sweep {
    const SCHEMA: &'static str = "attrition.sweep";
    const SCHEMA_VERSION: u32 = 1;
}

/// The bytes of `sweep` in `format`.
pub fn render(format: SweepFormat, sweep: &Sweep) -> Vec<u8> {
    match format {
        SweepFormat::Table => table(sweep).into_bytes(),
        SweepFormat::Json => Envelope::new(sweep).to_bytes(),
        SweepFormat::Csv => csv(sweep).into_bytes(),
        SweepFormat::Parquet => parquet(sweep),
    }
}

/// Whether any point is weighted by observations: then the rows say how many effective
/// paths each rests on.
fn weighted(s: &Sweep) -> bool {
    s.points.iter().any(|p| p.effective_paths.is_some())
}

/// The columns every format has, after `point` and the parameters and `threshold`.
fn figure_columns(s: &Sweep) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for &p in &s.levels {
        let q = percent_label(p);
        out.push(format!("{q}_ci_low"));
        out.push(q.clone());
        out.push(format!("{q}_ci_high"));
    }
    for d in &s.report_dates {
        out.push(format!("p_crossed_by_{d}"));
        out.push(format!("p_crossed_by_{d}_se"));
    }
    out.push("p_not_crossed".into());
    out.push("p_not_crossed_se".into());
    if weighted(s) {
        out.push("effective_paths".into());
    }
    out
}

/// The dates of a row's `figure_columns`: per quantile its 95% interval's low end, the
/// quantile, the high end.
fn date_columns(s: &Sweep) -> usize {
    3 * s.levels.len()
}

/// One row's figures, in `figure_columns` order: dates (or none) then numbers.
fn figures(s: &Sweep, p: &Point, t: &PointThreshold) -> (Vec<Option<Date>>, Vec<f64>) {
    let dates = t
        .crossing
        .iter()
        .flat_map(|q| [q.ci_low_date, q.date, q.ci_high_date])
        .collect();
    let mut numbers = Vec::new();
    for c in &t.p_crossed_by {
        numbers.push(c.p);
        numbers.push(c.se);
    }
    numbers.push(t.p_not_crossed);
    numbers.push(t.p_not_crossed_se);
    if weighted(s) {
        numbers.push(p.effective_paths.unwrap_or(f64::NAN));
    }
    (dates, numbers)
}

/// The readable table: a block per threshold, a row per point.
pub fn table(s: &Sweep) -> String {
    let mut out = String::new();
    let file = s
        .scenario
        .file
        .as_deref()
        .map_or(String::new(), |f| format!(" ({})", terminal(f)));
    let _ = writeln!(
        out,
        "sweep of {} [{}]{file}",
        terminal(&s.scenario.title),
        terminal(&s.scenario.name)
    );
    let _ = writeln!(
        out,
        "{} points x {} paths | seed {} | common random numbers: every point on the same paths",
        s.run.points,
        thousands(s.run.paths as f64),
        s.run.seed
    );
    let swept: Vec<String> = s
        .parameters
        .iter()
        .map(|p| format!("{} ({} values)", terminal(&p.key), p.values.len()))
        .collect();
    let _ = writeln!(out, "swept: {}", swept.join(" x "));
    let _ = writeln!(
        out,
        "(the quantiles' 95% intervals and the probabilities' standard errors: -f csv, json or parquet)"
    );
    if !s.scenario.set.is_empty() {
        let set: Vec<String> = s
            .scenario
            .set
            .iter()
            .map(|a| format!("--set {}", terminal(a)))
            .collect();
        let _ = writeln!(out, "what-if: {}", set.join(" "));
    }
    for (i, name) in s.thresholds.iter().enumerate() {
        let _ = writeln!(
            out,
            "\n{}: crossing-date quantiles, P(crossed by date), P(not crossed by the horizon)",
            terminal(name)
        );
        let mut head: Vec<String> = vec!["point".into()];
        head.extend(s.parameters.iter().map(|p| terminal(&p.key).into_owned()));
        head.extend(s.levels.iter().map(|&p| percent_label(p)));
        head.extend(s.report_dates.iter().map(|d| format!("by {d}")));
        head.push("not crossed".into());
        if weighted(s) {
            head.push("effective paths".into());
        }
        let mut rows = vec![head];
        for p in &s.points {
            let t = &p.thresholds[i];
            let mut row = vec![p.point.to_string()];
            row.extend(
                p.values
                    .iter()
                    .map(|v| terminal(&v.to_string()).into_owned()),
            );
            row.extend(
                t.crossing
                    .iter()
                    .map(|q| q.date.map_or("not crossed".to_string(), |d| d.to_string())),
            );
            row.extend(t.p_crossed_by.iter().map(|c| format!("{:.4}", c.p)));
            row.push(format!("{:.4}", t.p_not_crossed));
            if weighted(s) {
                row.push(
                    p.effective_paths
                        .map_or("-".to_string(), |e| thousands(e.round())),
                );
            }
            rows.push(row);
        }
        columns(&mut out, &rows);
    }
    out
}

/// Rows of cells in left-aligned columns two spaces apart.
fn columns(out: &mut String, rows: &[Vec<String>]) {
    let n = rows[0].len();
    let width: Vec<usize> = (0..n)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for r in rows {
        let mut line = String::from(" ");
        for (c, cell) in r.iter().enumerate() {
            let _ = write!(line, " {cell:<w$} ", w = width[c]);
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// The CSV: a header, then a row per point and threshold.
pub fn csv(s: &Sweep) -> String {
    let mut out = String::new();
    let mut head: Vec<String> = vec!["point".into()];
    head.extend(s.parameters.iter().map(|p| p.key.clone()));
    head.push("threshold".into());
    head.extend(figure_columns(s));
    line(&mut out, head.iter().map(String::as_str));
    for p in &s.points {
        for t in &p.thresholds {
            let (dates, numbers) = figures(s, p, t);
            let mut row = vec![p.point.to_string()];
            row.extend(p.values.iter().map(Value::to_string));
            row.push(t.name.clone());
            row.extend(
                dates
                    .iter()
                    .map(|d| d.map_or(String::new(), |d| d.to_string())),
            );
            row.extend(numbers.iter().map(|x| {
                if x.is_nan() {
                    String::new()
                } else {
                    x.to_string()
                }
            }));
            line(&mut out, row.iter().map(String::as_str));
        }
    }
    out
}

fn line<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
    for (i, f) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        super::csv::push_field(out, f);
    }
    out.push('\n');
}

/// The Parquet file: the CSV's columns, typed: `point` INT64, numeric parameters DOUBLE
/// and others text, `threshold` text, quantiles and their intervals DATE (null where not
/// crossed), the rest DOUBLE.
pub fn parquet(s: &Sweep) -> Vec<u8> {
    let mut columns = vec![Column {
        name: "point".into(),
        kind: ColumnType::Int64,
    }];
    for p in &s.parameters {
        columns.push(Column {
            name: p.key.clone(),
            kind: if p.numeric {
                ColumnType::Double
            } else {
                ColumnType::Text
            },
        });
    }
    columns.push(Column {
        name: "threshold".into(),
        kind: ColumnType::Text,
    });
    let epoch = Date::from_ymd(1970, 1, 1).expect("a real date");
    for (i, name) in figure_columns(s).into_iter().enumerate() {
        columns.push(Column {
            name,
            kind: if i < date_columns(s) {
                ColumnType::OptionalDate
            } else {
                ColumnType::Double
            },
        });
    }
    let mut w = ParquetWriter::new(Vec::new(), columns).expect("writes to memory");
    for p in &s.points {
        for t in &p.thresholds {
            let (dates, numbers) = figures(s, p, t);
            let mut row = vec![Cell::Number(p.point as f64)];
            row.extend(p.values.iter().map(|v| match v {
                Value::Number(x) => Cell::Number(*x),
                Value::Text(s) => Cell::Text(s),
            }));
            row.push(Cell::Text(&t.name));
            row.extend(
                dates
                    .iter()
                    .map(|d| Cell::Number(d.map_or(f64::NAN, |d| d.days_since(epoch) as f64))),
            );
            row.extend(numbers.iter().map(|&x| Cell::Number(x)));
            w.push_cells(&row).expect("cells of the columns' kinds");
        }
    }
    w.finish().expect("writes to memory")
}
