//! What-ifs from the command line: `--set KEY=VALUE` sets one key of a scenario file
//! before it is validated, exactly as if the file said so (`--set noise.sigma=0.2`,
//! `--set 'sides.russia.rate_per_day={lo=900,hi=1200}'`, `--set thresholds[0].level=2.5e6`).
//!
//! The file is validated first, alone, so that its own problems keep their lines; then
//! the keys are set in its parsed tables and the result is validated again, and every
//! problem that makes is reported naming the `--set` argument that caused it.

use super::diag::{shown, Diagnostic, ScenarioError};
use super::load_str;
use crate::model::Model;

/// One `--set KEY=VALUE`, parsed (or one value of a sweep's grid: `grid`).
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    /// As typed, for messages and the output's provenance.
    pub arg: String,
    /// `sides`, `russia`, `rate_per_day`; an index picks one entry of an array of tables.
    path: Vec<Step>,
    value: toml::Value,
    /// Where it was given, for messages.
    origin: Origin,
}

/// Where a key's new value was given: what a problem it makes is reported against.
#[derive(Clone, Debug, PartialEq)]
pub enum Origin {
    /// `--set KEY=VALUE` (the override's `arg`).
    Set,
    /// A value of a sweep's `--grid KEY=V1,V2,...`: the argument as typed.
    Grid { arg: String },
    /// A value of the file's `[sweep]` table, at this line and column.
    File { line: usize, column: usize },
}

#[derive(Clone, Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

impl Override {
    /// Reads `KEY=VALUE`: a dotted key (with `[N]` for the N-th entry of an array of
    /// tables, from 0) and a TOML value, written as it would be in the file.
    pub fn parse(arg: &str) -> Result<Override, String> {
        let (key, value) = arg.split_once('=').ok_or_else(|| {
            format!(
                "'{}': give KEY=VALUE, for example noise.sigma=0.2",
                shown(arg)
            )
        })?;
        let path = key_path(key.trim())?;
        let value = parse_value(value.trim())?;
        Ok(Override {
            arg: arg.to_string(),
            path,
            value,
            origin: Origin::Set,
        })
    }

    /// One value of a sweep's grid: `key` (a key path, as `--set` takes it) set to the
    /// TOML value `value`, given at `origin`.
    pub fn grid(key: &str, value: &str, origin: Origin) -> Result<Override, String> {
        Ok(Override {
            arg: format!("{}={}", key.trim(), value.trim()),
            path: key_path(key.trim())?,
            value: parse_value(value.trim())?,
            origin,
        })
    }

    /// The new value, as TOML.
    pub fn value(&self) -> &toml::Value {
        &self.value
    }

    /// The key as the loader names it (`thresholds[0].level`).
    pub fn key(&self) -> String {
        let mut out = String::new();
        for step in &self.path {
            match step {
                Step::Key(k) if out.is_empty() => out.push_str(k),
                Step::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                Step::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }

    /// Sets the key in `root` (the file's top table), making the tables on the way if
    /// the file has none.
    fn apply(&self, root: &mut toml::Value) -> Result<(), String> {
        let (last, ways) = self.path.split_last().expect("a key path is never empty");
        let mut at = root;
        let mut walked = String::new();
        for step in ways {
            at = match (step, at) {
                (Step::Key(k), toml::Value::Table(t)) => t
                    .entry(k.clone())
                    .or_insert_with(|| toml::Value::Table(toml::Table::new())),
                (Step::Index(i), toml::Value::Array(a)) => {
                    let n = a.len();
                    a.get_mut(*i).ok_or_else(|| {
                        format!("{walked} has {n} entries: [{i}] is not one of them (they count from 0)")
                    })?
                }
                (Step::Index(_), _) => return Err(format!("{walked} is not an array of tables")),
                (Step::Key(_), _) => return Err(format!("{walked} is not a table")),
            };
            walked = prefix_key(&walked, step);
        }
        match (last, at) {
            (Step::Key(k), toml::Value::Table(t)) => {
                t.insert(k.clone(), self.value.clone());
                Ok(())
            }
            (Step::Index(i), toml::Value::Array(a)) if *i < a.len() => {
                a[*i] = self.value.clone();
                Ok(())
            }
            (Step::Index(i), toml::Value::Array(a)) => Err(format!(
                "{walked} has {} entries: [{i}] is not one of them (they count from 0)",
                a.len()
            )),
            _ => Err(format!("{walked} is not a table")),
        }
    }
}

fn prefix_key(walked: &str, step: &Step) -> String {
    match step {
        Step::Key(k) if walked.is_empty() => k.clone(),
        Step::Key(k) => format!("{walked}.{k}"),
        Step::Index(i) => format!("{walked}[{i}]"),
    }
}

fn key_path(key: &str) -> Result<Vec<Step>, String> {
    let bad = || {
        format!(
            "'{}' is not a key path: write it as in docs/scenarios.md, for example noise.sigma, sides.russia.rate_per_day or thresholds[0].level",
            shown(key)
        )
    };
    let mut path = Vec::new();
    for part in key.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        let plain = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
        if name.is_empty() || !name.chars().all(plain) {
            return Err(bad());
        }
        path.push(Step::Key(name.to_string()));
        while !rest.is_empty() {
            let close = rest.find(']').ok_or_else(bad)?;
            let index: usize = rest[1..close].parse().map_err(|_| bad())?;
            path.push(Step::Index(index));
            rest = &rest[close + 1..];
            if !rest.is_empty() && !rest.starts_with('[') {
                return Err(bad());
            }
        }
    }
    Ok(path)
}

/// A TOML value as the file would write it after `key = `.
fn parse_value(text: &str) -> Result<toml::Value, String> {
    let mut table: toml::Table = toml::from_str(&format!("v = {text}")).map_err(|e| {
        format!(
            "'{}' is not a TOML value ({}); quote text (\"...\"), write ranges as {{ lo = 900, hi = 1200 }}",
            shown(text),
            e.message().trim()
        )
    })?;
    Ok(table.remove("v").expect("parsed as v = VALUE"))
}

/// Validates `text` (the file `file`) with `overrides` set.
pub fn load_with(file: &str, text: &str, overrides: &[Override]) -> Result<Model, ScenarioError> {
    let model = load_str(file, text)?;
    if overrides.is_empty() {
        return Ok(model);
    }
    let root = tables(file, text)?;
    variant(file, &root, overrides, "--set")
}

/// The file's parsed tables, for `variant` (the file has been validated alone first).
pub(crate) fn tables(file: &str, text: &str) -> Result<toml::Value, ScenarioError> {
    toml::from_str(text).map_err(|e| ScenarioError {
        diagnostics: vec![Diagnostic {
            file: file.to_string(),
            argument: Some("--set".into()),
            line: None,
            column: None,
            key: String::new(),
            message: format!("cannot read the file's tables: {}", e.message()),
        }],
    })
}

/// Validates the file `file`, whose tables are `root`, with `overrides` set. Every
/// problem is reported against the override whose key it lies under; one that none
/// explains, against `all` (what the overrides are together: `--set`, a sweep's point).
pub(crate) fn variant(
    file: &str,
    root: &toml::Value,
    overrides: &[Override],
    all: &str,
) -> Result<Model, ScenarioError> {
    // A problem with the value names it; one with the key alone (`apply`) does not, so
    // that a sweep reports it once for all the key's values.
    let refused = |o: Option<&Override>, key: String, message: String, of_value: bool| match o {
        Some(Override {
            arg,
            origin: Origin::Set,
            ..
        }) => Diagnostic {
            file: file.to_string(),
            argument: Some(format!("--set {}", shown(arg))),
            line: None,
            column: None,
            key,
            message,
        },
        Some(Override {
            value,
            origin: Origin::Grid { arg },
            ..
        }) => Diagnostic {
            file: file.to_string(),
            argument: Some(format!("--grid {}", shown(arg))),
            line: None,
            column: None,
            key,
            message: match of_value {
                true => format!("value {}: {message}", shown(&value.to_string())),
                false => message,
            },
        },
        Some(Override {
            value,
            origin: Origin::File { line, column },
            ..
        }) => Diagnostic {
            file: file.to_string(),
            argument: None,
            line: Some(*line),
            column: Some(*column),
            key,
            message: match of_value {
                true => format!(
                    "as the [sweep] value {}: {message}",
                    shown(&value.to_string())
                ),
                false => format!("in [sweep]: {message}"),
            },
        },
        None => Diagnostic {
            file: file.to_string(),
            argument: Some(all.to_string()),
            line: None,
            column: None,
            key,
            message,
        },
    };
    let mut root = root.clone();
    for o in overrides {
        o.apply(&mut root).map_err(|m| ScenarioError {
            diagnostics: vec![refused(Some(o), o.key(), m, false)],
        })?;
    }
    let changed = toml::to_string(&root).map_err(|e| ScenarioError {
        diagnostics: vec![refused(
            None,
            String::new(),
            format!("cannot write the changed file: {e}"),
            false,
        )],
    })?;
    load_str(file, &changed).map_err(|e| ScenarioError {
        // Lines of the rewritten text would mislead: each problem names the override
        // whose key it lies under (or all of them).
        diagnostics: e
            .diagnostics
            .into_iter()
            .map(|d| {
                let by = overrides.iter().rev().find(|o| {
                    d.key.starts_with(&o.key()) || o.key().starts_with(&d.key) && !d.key.is_empty()
                });
                // A problem above the key (an unknown table on its path) is the key's,
                // whatever its value.
                let of_value = by.is_none_or(|o| d.key.starts_with(&o.key()));
                refused(
                    by.or(overrides.first().filter(|_| overrides.len() == 1)),
                    d.key,
                    d.message,
                    of_value,
                )
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_parse_as_the_file_writes_them() {
        let o = Override::parse("thresholds[1].sides=[\"russia\"]").unwrap();
        assert_eq!(
            o.path,
            vec![
                Step::Key("thresholds".into()),
                Step::Index(1),
                Step::Key("sides".into())
            ]
        );
        assert_eq!(o.key(), "thresholds[1].sides");
        let r = Override::parse("sides.russia.rate_per_day = { lo = 900, hi = 1_200 }").unwrap();
        assert_eq!(r.key(), "sides.russia.rate_per_day");
        assert_eq!(r.value["hi"].as_integer(), Some(1200));
        assert!(Override::parse("scenario.reference_date=2026-06-30")
            .unwrap()
            .value
            .is_datetime());
        for bad in [
            "x", "=1", ".a=1", "a..b=1", "a[=1", "a[x]=1", "a[1]b=1", "a b=1", "a=", "a=nope",
        ] {
            assert!(Override::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_set_key_is_in_the_validated_model_and_its_problems_name_it() {
        let text = std::fs::read_to_string("scenarios/bench/w1.toml").unwrap();
        let set = [Override::parse("noise.sigma=0.25").unwrap()];
        let m = load_with("w1.toml", &text, &set).unwrap();
        assert_eq!(m.noise.sigma(), Some(0.25));
        let bad = [Override::parse("noise.sigma=-1").unwrap()];
        let e = load_with("w1.toml", &text, &bad).unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!(d.file, "w1.toml");
        assert_eq!(d.argument.as_deref(), Some("--set noise.sigma=-1"));
        assert!(d
            .to_string()
            .starts_with("w1.toml: --set noise.sigma=-1: noise.sigma: "));
        assert_eq!((d.key.as_str(), d.line), ("noise.sigma", None));
        // The file's own problems keep their lines.
        let e = load_with("w1.toml", "[scenario]\nname = 1\n", &set).unwrap_err();
        assert_eq!(e.diagnostics[0].file, "w1.toml");
        assert_eq!(e.diagnostics[0].argument, None);
        assert!(e.diagnostics[0].line.is_some());
    }
}
