//! The command's messages on standard error as JSON lines (`--error-format json`): each
//! error, warning and note one compact `attrition.message` document on a line of its
//! own, with the file, line, column, key path and argument it concerns as fields, for
//! programs (the Python package) that must tell the problems apart. docs/output.md
//! documents the fields.

use super::envelope::{Body, Envelope};
use super::escape;
use crate::calibrate::series::SeriesError;
use crate::scenario::Diagnostic;
use serde::Serialize;

/// How serious a message is: an `error` stops the command (its exit status says how);
/// a `warning` is about a result that was still written; a `note` and `info` inform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Note,
    Info,
}

/// One message, located as precisely as its cause allows; every field but `level` and
/// `message` is null when it does not apply.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Message {
    pub level: Level,
    /// The sentence for people, without the place (which the fields below give).
    pub message: String,
    /// The input file the problem is in (a scenario, a series or an observations CSV).
    pub file: Option<String>,
    /// 1-based line in `file` (for a CSV, the line its row starts on; the header is 1).
    pub line: Option<usize>,
    /// 1-based column in characters, with `line`.
    pub column: Option<usize>,
    /// The dotted key path in a scenario file (`sides.russia.rate_per_day`).
    pub key: Option<String>,
    /// The command-line argument the problem lies in (`--set noise.sigma=-1`, `--paths`).
    pub argument: Option<String>,
}

impl Body for Message {
    const SCHEMA: &'static str = "attrition.message";
    const SCHEMA_VERSION: u32 = 1;
}

impl Message {
    /// A message with no place.
    pub fn new(level: Level, message: impl Into<String>) -> Self {
        Message {
            level,
            message: message.into(),
            file: None,
            line: None,
            column: None,
            key: None,
            argument: None,
        }
    }

    /// The message about `file`.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// The message about the command-line argument `argument`.
    pub fn with_argument(mut self, argument: impl Into<String>) -> Self {
        self.argument = Some(argument.into());
        self
    }

    /// A scenario file's problem, with every place it has.
    pub fn from_diagnostic(d: &Diagnostic) -> Self {
        Message {
            level: Level::Error,
            message: d.message.clone(),
            file: Some(d.file.clone()),
            line: d.line,
            column: d.column,
            key: (!d.key.is_empty()).then(|| d.key.clone()),
            argument: d.argument.clone(),
        }
    }

    /// A series or CSV problem: the file and the row's line.
    pub fn from_series(e: &SeriesError) -> Self {
        Message {
            line: e.line,
            ..Message::new(Level::Error, e.message.clone()).in_file(e.file.clone())
        }
    }

    /// The message as one line of JSON (with its newline): the envelope's fields, then
    /// this message's, with every character that could act on a terminal escaped.
    pub fn json_line(&self) -> String {
        let text = serde_json::to_string(&Envelope::new(self.clone())).expect("plain data");
        let mut line = escape::json(&text).into_owned();
        line.push('\n');
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagnostic_keeps_every_place_and_an_empty_key_is_null() {
        let d = Diagnostic {
            file: "s.toml".into(),
            argument: None,
            line: Some(3),
            column: Some(7),
            key: "noise.sigma".into(),
            message: "must be \u{1b}positive".into(),
        };
        let line = Message::from_diagnostic(&d).json_line();
        assert!(line.ends_with("}\n") && line.matches('\n').count() == 1);
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["schema"], "attrition.message");
        assert_eq!(v["schema_version"], 1);
        assert_eq!(v["level"], "error");
        assert_eq!(v["file"], "s.toml");
        assert_eq!(
            (v["line"].as_u64(), v["column"].as_u64()),
            (Some(3), Some(7))
        );
        assert_eq!(v["key"], "noise.sigma");
        assert_eq!(v["message"], "must be \u{1b}positive");
        assert!(v["argument"].is_null());
        assert!(!line.contains('\u{1b}'));
        let whole = Diagnostic {
            key: String::new(),
            line: None,
            column: None,
            ..d
        };
        let v: serde_json::Value =
            serde_json::from_str(&Message::from_diagnostic(&whole).json_line()).unwrap();
        assert!(v["key"].is_null() && v["line"].is_null() && v["column"].is_null());
    }

    #[test]
    fn a_series_error_gives_its_file_and_line() {
        let e = SeriesError {
            file: "obs.csv".into(),
            line: Some(4),
            message: "date: not a date".into(),
        };
        let m = Message::from_series(&e).with_argument("--observe");
        assert_eq!(m.file.as_deref(), Some("obs.csv"));
        assert_eq!((m.line, m.column), (Some(4), None));
        assert_eq!(m.argument.as_deref(), Some("--observe"));
        assert_eq!(m.message, "date: not a date");
    }
}
