//! The input edge: scenario files (TOML) in, a validated `Model` out, or every problem found.
//!
//! This is the only module that knows the file format. It reports all problems it can find
//! in one pass, each with the file, line, column and key path, and builds a `Model` only
//! when there are none. The keys are documented in docs/scenarios.md.

pub(crate) mod build;
pub mod diag;
pub(crate) mod range;
pub mod schema;
mod walk;

pub use diag::{Diagnostic, ScenarioError};
pub use range::SHAPES;

use crate::model::Model;
use std::path::Path;

/// Reads and validates a scenario file; `-` reads standard input.
pub fn load_file(path: &Path) -> Result<Model, ScenarioError> {
    let name = path.display().to_string();
    let bytes = if name == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).map(|_| buf)
    } else {
        std::fs::read(path)
    };
    match bytes {
        Ok(bytes) => load_bytes(&name, &bytes),
        Err(e) => Err(whole_file(
            &name,
            format!("cannot read the file: {}", io_reason(&e)),
        )),
    }
}

/// Validates scenario text already in memory; `file` names it in messages.
pub fn load_bytes(file: &str, bytes: &[u8]) -> Result<Model, ScenarioError> {
    let text = decode(file, bytes)?;
    load_str(file, text)
}

/// Validates scenario text; `file` names it in messages.
pub fn load_str(file: &str, text: &str) -> Result<Model, ScenarioError> {
    build::build(file, text)
}

fn whole_file(file: &str, message: String) -> ScenarioError {
    ScenarioError {
        diagnostics: vec![Diagnostic {
            file: file.to_string(),
            line: None,
            column: None,
            key: String::new(),
            message,
        }],
    }
}

/// UTF-8 text without a byte-order mark, or a message saying what the bytes look like.
fn decode<'b>(file: &str, bytes: &'b [u8]) -> Result<&'b str, ScenarioError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(whole_file(
            file,
            "the file is UTF-16 text; scenario files must be UTF-8 (re-save it as UTF-8)".into(),
        ));
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) if text.contains('\0') => Err(whole_file(
            file,
            "the file holds NUL bytes: it is binary, not a TOML scenario".into(),
        )),
        Ok(text) => Ok(text),
        Err(e) => {
            let (line, _) = diag::line_col(
                std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or(""),
                e.valid_up_to(),
            );
            Err(whole_file(
                file,
                format!(
                    "the file is not UTF-8 text (invalid byte at offset {}, line {line}); scenario files must be UTF-8",
                    e.valid_up_to()
                ),
            ))
        }
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ if e.raw_os_error() == Some(21) => "it is a directory, not a file".into(),
        _ => e.to_string(),
    }
}
