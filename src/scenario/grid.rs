//! The grid of `attrition sweep`: keys and the values each takes, from `--grid
//! KEY=V1,V2,...` arguments or the file's `[sweep]` table, and every point of their cross
//! product as a variant of the file, validated like `--set` (`overrides::variant`).
//!
//! A value is written as in the file; `--grid` separates values by commas outside
//! brackets, braces and quotes, so ranges keep theirs: `--grid
//! 'sides.russia.rate_per_day=[900,1200],{lo=1000,hi=1300}'` has two values. Points
//! are numbered from 0 with the last key varying fastest.

use super::diag::{line_col, shown, Diagnostic, ScenarioError, Sink, MAX_DIAGNOSTICS};
use super::overrides::{tables, variant, Origin, Override};
use super::walk::{kind, Node};
use crate::model::Model;
use toml::de::DeValue;

/// The most points a sweep may have.
pub const MAX_POINTS: usize = 100_000;
/// The most keys a sweep may vary.
pub const MAX_AXES: usize = 16;

/// Keys a sweep may not vary: every point runs on the same seed and paths (common random
/// numbers), which `--seed` and `--paths` set for all.
const FIXED: &[&str] = &["scenario.seed", "scenario.paths"];

/// One swept key and its values.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// The key path, as the loader names it (`thresholds[0].level`).
    pub key: String,
    /// Each value as written (blanks squeezed), for the output.
    pub values: Vec<String>,
    /// Each value as the override that sets it.
    sets: Vec<Override>,
}

impl Axis {
    /// Whether every value is a plain number (an integer or a float): the output gives
    /// such a key numeric columns, and the figures a numeric axis.
    pub fn numeric(&self) -> bool {
        self.sets
            .iter()
            .all(|o| matches!(o.value(), toml::Value::Integer(_) | toml::Value::Float(_)))
    }

    /// The values as numbers, when `numeric`.
    pub fn numbers(&self) -> Option<Vec<f64>> {
        self.sets
            .iter()
            .map(|o| match o.value() {
                toml::Value::Integer(i) => Some(*i as f64),
                toml::Value::Float(x) => Some(*x),
                _ => None,
            })
            .collect()
    }
}

/// A sweep's keys, in order: the cross product of their values.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    pub axes: Vec<Axis>,
}

impl Grid {
    /// Reads `--grid KEY=V1,V2,...` arguments; a message naming the argument if one is
    /// wrong.
    pub fn from_args(args: &[String]) -> Result<Grid, String> {
        let mut axes: Vec<Axis> = Vec::new();
        for arg in args {
            let bad = |m: String| format!("--grid {}: {m}", shown(arg));
            let (key, values) = arg.split_once('=').ok_or_else(|| {
                bad("give KEY=V1,V2,..., for example noise.sigma=0.1,0.2,0.3".into())
            })?;
            let texts = split_values(values).map_err(&bad)?;
            let origin = Origin::Grid { arg: arg.clone() };
            let mut sets = Vec::new();
            for t in &texts {
                sets.push(Override::grid(key, t, origin.clone()).map_err(&bad)?);
            }
            let axis = Axis {
                key: sets[0].key(),
                values: texts.iter().map(|t| squeeze(t)).collect(),
                sets,
            };
            check_axis(&axis, &axes).map_err(&bad)?;
            axes.push(axis);
        }
        let grid = Grid { axes };
        grid.check_size().map_err(|m| format!("--grid: {m}"))?;
        Ok(grid)
    }

    /// The file's `[sweep]` table, if it has one. The file has been validated (its table
    /// read by `check_table` with it), so a problem here is one of those, at its line.
    pub fn of_file(file: &str, text: &str) -> Result<Option<Grid>, ScenarioError> {
        let root = toml::de::DeTable::parse(text).map_err(|e| {
            super::whole_file(file, format!("invalid TOML: {}", e.message().trim()))
        })?;
        let Some(node) = root.get_ref().get("sweep") else {
            return Ok(None);
        };
        let mut sink = Sink::new(file, text);
        let grid = read_table(&mut sink, text, node);
        match grid {
            Some(g) if !sink.has_errors() => Ok(Some(g)),
            _ => Err(sink.into_error()),
        }
    }

    /// Points in all: the product of the numbers of values.
    pub fn points(&self) -> usize {
        self.axes.iter().map(|a| a.values.len()).product()
    }

    /// The index of each key's value at point `p` (the last key varies fastest).
    pub fn at(&self, mut p: usize) -> Vec<usize> {
        let mut out = vec![0; self.axes.len()];
        for (i, a) in self.axes.iter().enumerate().rev() {
            out[i] = p % a.values.len();
            p /= a.values.len();
        }
        out
    }

    /// The keys set at point `p`.
    pub fn overrides(&self, p: usize) -> Vec<Override> {
        self.at(p)
            .iter()
            .zip(&self.axes)
            .map(|(&v, a)| a.sets[v].clone())
            .collect()
    }

    /// Point `p` in words: `noise.sigma=0.2, sides.a.rate_per_day=[1, 2]`.
    pub fn describe(&self, p: usize) -> String {
        self.at(p)
            .iter()
            .zip(&self.axes)
            .map(|(&v, a)| format!("{}={}", a.key, a.values[v]))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Refuses a grid that also sets a key `--set` sets (which would win is not clear).
    pub fn check_against(&self, set: &[Override]) -> Result<(), String> {
        for a in &self.axes {
            if let Some(o) = set.iter().find(|o| overlap(&o.key(), &a.key)) {
                return Err(format!(
                    "{} is swept and also given by --set {}; give it in one place",
                    a.key,
                    shown(&o.arg)
                ));
            }
        }
        Ok(())
    }

    fn check_size(&self) -> Result<(), String> {
        if self.axes.is_empty() {
            return Err("no keys to sweep".into());
        }
        if self.axes.len() > MAX_AXES {
            return Err(format!(
                "{} keys; a sweep varies at most {MAX_AXES}",
                self.axes.len()
            ));
        }
        let mut n: usize = 1;
        for a in &self.axes {
            n = n.saturating_mul(a.values.len());
        }
        if n > MAX_POINTS {
            return Err(format!(
                "{} points ({}); a sweep has at most {MAX_POINTS}",
                if n == usize::MAX {
                    "too many".to_string()
                } else {
                    n.to_string()
                },
                self.axes
                    .iter()
                    .map(|a| a.values.len().to_string())
                    .collect::<Vec<_>>()
                    .join(" x ")
            ));
        }
        Ok(())
    }
}

/// Every point of `grid` as a model: the file `file` (`text`) with the `set` keys and the
/// point's values set, each validated like `--set`. Every problem is reported once (a bad
/// value fails every point that has it), each naming the `--grid` argument or the
/// `[sweep]` value that caused it, or the point.
pub fn load_points(
    file: &str,
    text: &str,
    set: &[Override],
    grid: &Grid,
) -> Result<Vec<Model>, ScenarioError> {
    super::load_str(file, text)?;
    let root = tables(file, text)?;
    let mut models = Vec::with_capacity(grid.points());
    let mut problems: Vec<Diagnostic> = Vec::new();
    for p in 0..grid.points() {
        let mut overrides = set.to_vec();
        overrides.extend(grid.overrides(p));
        let all = format!("sweep point {p} ({})", grid.describe(p));
        match variant(file, &root, &overrides, &shown(&all)) {
            Ok(m) => models.push(m),
            Err(e) => {
                for d in e.diagnostics {
                    if !problems.contains(&d) && problems.len() < MAX_DIAGNOSTICS {
                        problems.push(d);
                    }
                }
            }
        }
    }
    match problems.is_empty() {
        true => Ok(models),
        false => Err(ScenarioError {
            diagnostics: problems,
        }),
    }
}

/// Checks the file's `[sweep]` table as the loader reads the file (every problem into
/// `sink`, at its line).
pub(crate) fn check_table(sink: &mut Sink, text: &str, node: &Node<'_>) {
    read_table(sink, text, node);
}

/// The `[sweep]` table: each entry a quoted key path and an array of its values.
fn read_table(sink: &mut Sink, text: &str, node: &Node<'_>) -> Option<Grid> {
    let DeValue::Table(map) = node.get_ref() else {
        sink.error(
            Some(node.span().start),
            "sweep",
            format!(
                "expected a table of key paths and their values, found {}",
                kind(node.get_ref())
            ),
        );
        return None;
    };
    let mut axes: Vec<Axis> = Vec::new();
    let mut ok = true;
    for (k, v) in map.iter() {
        let key: &str = k.get_ref();
        let path = format!("sweep.\"{}\"", shown(key));
        let at = Some(k.span().start);
        let DeValue::Array(items) = v.get_ref() else {
            sink.error(
                Some(v.span().start),
                &path,
                format!(
                    "expected an array of the values to sweep, found {}",
                    kind(v.get_ref())
                ),
            );
            ok = false;
            continue;
        };
        if items.is_empty() {
            sink.error(Some(v.span().start), &path, "no values; give one or more");
            ok = false;
            continue;
        }
        let mut sets = Vec::new();
        let mut values = Vec::new();
        for item in items {
            let span = item.span();
            let written = text.get(span.clone()).unwrap_or("");
            let (line, column) = line_col(text, span.start);
            match Override::grid(key, written, Origin::File { line, column }) {
                Ok(o) => {
                    sets.push(o);
                    values.push(squeeze(written));
                }
                Err(m) => {
                    sink.error(Some(span.start), &path, m);
                    ok = false;
                }
            }
        }
        if sets.len() != items.len() {
            continue;
        }
        let axis = Axis {
            key: sets[0].key(),
            values,
            sets,
        };
        if let Err(m) = check_axis(&axis, &axes) {
            sink.error(at, &path, m);
            ok = false;
            continue;
        }
        axes.push(axis);
    }
    let grid = Grid { axes };
    if let Err(m) = grid.check_size() {
        sink.error(Some(node.span().start), "sweep", m);
        ok = false;
    }
    ok.then_some(grid)
}

/// An axis on its own and beside the axes before it: not a fixed key, no value twice,
/// no key that another sets or lies under.
fn check_axis(axis: &Axis, before: &[Axis]) -> Result<(), String> {
    if let Some(k) = FIXED.iter().find(|k| overlap(k, &axis.key)) {
        return Err(format!(
            "{k} cannot be swept: every point runs on the same seed and paths (common random numbers); give --seed or --paths"
        ));
    }
    if axis.key == "sweep" || axis.key.starts_with("sweep.") {
        return Err("the [sweep] table cannot sweep itself".into());
    }
    for (i, a) in axis.sets.iter().enumerate() {
        if axis.sets[..i].iter().any(|b| b.value() == a.value()) {
            return Err(format!(
                "the value {} is given twice",
                shown(&axis.values[i])
            ));
        }
    }
    if let Some(other) = before.iter().find(|b| overlap(&b.key, &axis.key)) {
        return Err(format!(
            "{} is swept already (as {}); sweep each key once",
            axis.key, other.key
        ));
    }
    Ok(())
}

/// Whether one key path is the other or lies under it (`a.b` and `a.b.c`; `a.b[0]`).
fn overlap(a: &str, b: &str) -> bool {
    let under = |long: &str, short: &str| {
        long == short
            || long
                .strip_prefix(short)
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    };
    under(a, b) || under(b, a)
}

/// The values of a `--grid` argument: split at commas outside brackets, braces and
/// quotes (TOML's "basic" strings with backslash escapes, and 'literal' ones).
pub fn split_values(s: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut depth: Vec<char> = Vec::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' && q == '"' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '[' | '{' => depth.push(c),
            ']' | '}' => {
                let open = if c == ']' { '[' } else { '{' };
                if depth.pop() != Some(open) {
                    return Err(format!(
                        "'{c}' at character {} closes nothing; brackets and braces must pair",
                        s[..i].chars().count() + 1
                    ));
                }
            }
            ',' if depth.is_empty() => {
                out.push(s[start..i].trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    if quote.is_some() {
        return Err("a quoted string is not closed".into());
    }
    if let Some(open) = depth.last() {
        return Err(format!(
            "'{open}' is not closed; brackets and braces must pair"
        ));
    }
    out.push(s[start..].trim().to_string());
    if let Some(i) = out.iter().position(|v| v.is_empty()) {
        return Err(format!(
            "value {} is empty; separate values by single commas (V1,V2,...)",
            i + 1
        ));
    }
    Ok(out)
}

/// A value as written, with each run of blanks (and line breaks) one space, for output.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
