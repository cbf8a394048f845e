//! The input edge: scenario files (TOML) in, a validated `Model` out, or every problem found.
//!
//! This is the only module that knows the file format. It reports all problems it can find
//! in one pass, each with the file, line, column and key path, and builds a `Model` only
//! when there are none. The keys are documented in docs/scenarios.md.

pub mod diag;
pub mod grid;
pub(crate) mod keys;
pub mod observe;
pub mod overrides;
pub(crate) mod range;
pub mod schema;
pub(crate) mod sections;
mod walk;

pub use diag::{Diagnostic, ScenarioError};
pub use range::SHAPES;

use crate::model::{Model, MAX_FILE_BYTES, MAX_LINE_BYTES};
use std::io::Read;
use std::path::Path;

/// Reads and validates a scenario file; `-` reads standard input.
pub fn load_file(path: &Path) -> Result<Model, ScenarioError> {
    load_file_with(path, &[])
}

/// Reads a scenario file, sets the `--set` keys, and validates the result
/// (`overrides::load_with`).
pub fn load_file_with(path: &Path, set: &[overrides::Override]) -> Result<Model, ScenarioError> {
    let bytes = read_file(path)?;
    load_bytes_with(&path.display().to_string(), &bytes, set)
}

/// The bytes of a scenario file (`-`: standard input), at most `MAX_FILE_BYTES`, for
/// `load_bytes_with`: a command that records its inputs (a shard) reads them once.
pub fn read_file(path: &Path) -> Result<Vec<u8>, ScenarioError> {
    let name = path.display().to_string();
    // Read at most one byte past the limit: a huge file (or an endless pipe) is refused
    // without being read into memory.
    let limit = MAX_FILE_BYTES as u64 + 1;
    let mut buf = Vec::new();
    let read = if name == "-" {
        std::io::stdin().take(limit).read_to_end(&mut buf)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit).read_to_end(&mut buf))
    };
    match read {
        Ok(_) if buf.len() > MAX_FILE_BYTES => Err(too_large(&name)),
        Ok(_) => Ok(buf),
        Err(e) => Err(whole_file(
            &name,
            format!("cannot read the file: {}", io_reason(&e)),
        )),
    }
}

/// Validates the scenario file `file`'s bytes with the `--set` keys set.
pub fn load_bytes_with(
    file: &str,
    bytes: &[u8],
    set: &[overrides::Override],
) -> Result<Model, ScenarioError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_large(file));
    }
    overrides::load_with(file, decode(file, bytes)?, set)
}

/// The text of a scenario file's bytes, as the loader reads it (without a byte-order
/// mark), or the same problem `load_bytes` reports.
pub fn text_of<'b>(file: &str, bytes: &'b [u8]) -> Result<&'b str, ScenarioError> {
    decode(file, bytes)
}

/// Validates scenario text already in memory; `file` names it in messages.
pub fn load_bytes(file: &str, bytes: &[u8]) -> Result<Model, ScenarioError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_large(file));
    }
    let text = decode(file, bytes)?;
    load_str(file, text)
}

/// Validates scenario text; `file` names it in messages.
pub fn load_str(file: &str, text: &str) -> Result<Model, ScenarioError> {
    // Bounds checked before the TOML parser sees the text, so that refusing a
    // pathological file costs a scan, not a parse (a 5 MB key cost 15 s and 800 MB).
    if text.len() > MAX_FILE_BYTES {
        return Err(too_large(file));
    }
    if let Some(e) = long_line(file, text) {
        return Err(e);
    }
    sections::build(file, text)
}

fn too_large(file: &str) -> ScenarioError {
    whole_file(
        file,
        format!(
            "the file is larger than {} bytes (1 MiB), the most a scenario file may be; is it a scenario?",
            MAX_FILE_BYTES
        ),
    )
}

/// The first line longer than `MAX_LINE_BYTES`, as an error at its line.
fn long_line(file: &str, text: &str) -> Option<ScenarioError> {
    let mut start = 0;
    for (i, line) in text.split('\n').enumerate() {
        if line.len() > MAX_LINE_BYTES {
            let mut sink = diag::Sink::new(file, text);
            sink.error(
                Some(start),
                "",
                format!(
                    "line {} is {} bytes long; lines may be at most {MAX_LINE_BYTES} bytes (break long arrays over several lines)",
                    i + 1,
                    line.len()
                ),
            );
            return Some(sink.into_error());
        }
        start += line.len() + 1;
    }
    None
}

pub(crate) fn whole_file(file: &str, message: String) -> ScenarioError {
    ScenarioError {
        diagnostics: vec![Diagnostic {
            file: file.to_string(),
            argument: None,
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
        Ok(text) if text.contains('\0') => {
            let mut sink = diag::Sink::new(file, text);
            sink.error(
                text.find('\0'),
                "",
                "a NUL byte (\\0): the file is binary or damaged, not a TOML scenario",
            );
            Err(sink.into_error())
        }
        Ok(text) => Ok(text),
        Err(e) => {
            // The text before the first bad byte is valid, and places it.
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
            let mut sink = diag::Sink::new(file, valid);
            sink.error(
                Some(valid.len()),
                "",
                format!(
                    "the file is not UTF-8 text (invalid byte 0x{:02X} at offset {}); scenario files must be UTF-8",
                    bytes[e.valid_up_to()],
                    e.valid_up_to()
                ),
            );
            Err(sink.into_error())
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
