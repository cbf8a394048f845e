//! What the command says on standard error, and how: as text for people (`error: FILE:
//! LINE:COLUMN: KEY: ...`), or with `--error-format json` as one JSON document a line
//! (`report::message`), with each problem's file, line, column, key path and argument as
//! fields. Every message the commands print goes through here, so that in JSON mode
//! standard error holds JSON lines only (the progress line is not drawn).

use attrition::calibrate::series::SeriesError;
use attrition::report::message::{Level, Message};
use attrition::scenario::ScenarioError;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether messages are JSON lines (`--error-format json`); set once, after parsing.
static JSON: AtomicBool = AtomicBool::new(false);

/// Chooses JSON lines (`true`) or text.
pub(super) fn set_json(on: bool) {
    JSON.store(on, Ordering::Relaxed);
}

/// Whether messages are JSON lines.
pub(super) fn json() -> bool {
    JSON.load(Ordering::Relaxed)
}

/// Whether the command line asks for JSON messages: for clap's own errors, which come
/// before there is a parsed command line to ask. Reads `--error-format json` and
/// `--error-format=json` as clap would (the last one given wins), up to a `--`.
pub(super) fn json_requested<I: IntoIterator<Item = std::ffi::OsString>>(args: I) -> bool {
    let mut args = args.into_iter().skip(1);
    let mut json = false;
    while let Some(a) = args.next() {
        if a == "--" {
            break;
        }
        if a == "--error-format" {
            json = args.next().is_some_and(|v| v == "json");
        } else if let Some(v) = a.to_str().and_then(|a| a.strip_prefix("--error-format=")) {
            json = v == "json";
        }
    }
    json
}

/// Prints `text` (a line for people, without its newline) or `message` as JSON.
fn say(text: &str, message: Message) {
    let mut err = std::io::stderr().lock();
    // Standard error closed or full: there is no one left to tell.
    let _ = if json() {
        err.write_all(message.json_line().as_bytes())
    } else {
        writeln!(err, "{text}")
    };
}

/// `error: MESSAGE`, a problem with no place of its own.
pub(super) fn error(msg: &str) {
    say(&format!("error: {msg}"), Message::new(Level::Error, msg));
}

/// `error: FILE: MESSAGE`, a problem with a file as a whole.
pub(super) fn error_in(file: &str, msg: &str) {
    say(
        &format!("error: {file}: {msg}"),
        Message::new(Level::Error, msg).in_file(file),
    );
}

/// `error: MESSAGE` about the command-line argument `argument` (named in `msg` too, for
/// people: `--samples takes exactly one scenario file`).
pub(super) fn error_arg(argument: &str, msg: &str) {
    say(
        &format!("error: {msg}"),
        Message::new(Level::Error, msg).with_argument(argument),
    );
}

/// `error: FILE: MESSAGE` about the command-line argument `argument` as it applies to
/// the file `file` (a `--grid` that does not fit the scenario): both in the JSON fields.
pub(super) fn error_arg_in(argument: &str, file: &str, msg: &str) {
    say(
        &format!("error: {file}: {msg}"),
        Message::new(Level::Error, msg)
            .in_file(file)
            .with_argument(argument),
    );
}

/// Every problem of a scenario file, each with its place.
pub(super) fn scenario(e: &ScenarioError) {
    // As text, the error's own lines (`error: FILE:LINE:COLUMN: KEY: MESSAGE` each).
    if !json() {
        say(&e.to_string(), Message::new(Level::Error, ""));
        return;
    }
    for d in &e.diagnostics {
        say("", Message::from_diagnostic(d));
    }
}

/// A problem in a series or CSV file (the line of its row), read for `argument` if given.
pub(super) fn series(e: &SeriesError, argument: Option<&str>) {
    let mut m = Message::from_series(e);
    m.argument = argument.map(str::to_string);
    say(&format!("error: {e}"), m);
}

/// `warning: MESSAGE`: a result was written, but read it with care.
pub(super) fn warning(msg: &str) {
    say(
        &format!("warning: {msg}"),
        Message::new(Level::Warning, msg),
    );
}

/// `warning: FILE: MESSAGE`, the same about one input file.
pub(super) fn warning_in(file: &str, msg: &str) {
    say(
        &format!("warning: {file}: {msg}"),
        Message::new(Level::Warning, msg).in_file(file),
    );
}

/// `note: MESSAGE`.
pub(super) fn note(msg: &str) {
    say(&format!("note: {msg}"), Message::new(Level::Note, msg));
}

/// `attrition: MESSAGE`: what ran and how long it took.
pub(super) fn info(msg: &str) {
    say(&format!("attrition: {msg}"), Message::new(Level::Info, msg));
}

/// The run was interrupted (exit 130).
pub(super) fn interrupted() {
    let msg = "interrupted; no output was written";
    say(
        &format!("attrition: {msg}"),
        Message::new(Level::Error, msg),
    );
}

/// A command line clap refused: its own text, or as JSON with the argument it names.
pub(super) fn usage(e: &clap::Error) {
    use clap::error::{ContextKind, ContextValue};
    if !json() {
        let _ = e.print();
        return;
    }
    let text = e.render().to_string();
    // The sentence and its tips, without the prefix and the closing pointer to --help.
    let msg = text.strip_prefix("error: ").unwrap_or(&text).trim_end();
    let msg = msg
        .strip_suffix("For more information, try '--help'.")
        .unwrap_or(msg)
        .trim_end();
    let mut m = Message::new(Level::Error, msg);
    // `--paths <PATHS>` names the flag `--paths`; `<FILES>...` a positional argument,
    // `<--window <FROM..TO>|--last <N>>` a group of which one is required.
    let named = e
        .get(ContextKind::InvalidArg)
        .or_else(|| e.get(ContextKind::InvalidSubcommand));
    let first = match named {
        Some(ContextValue::String(arg)) => Some(arg.as_str()),
        // The required arguments missing: the first of them.
        Some(ContextValue::Strings(args)) => args.first().map(String::as_str),
        _ => None,
    };
    m.argument = first.map(|a| match a.split_once(' ') {
        Some((flag, _)) if flag.starts_with('-') => flag.to_string(),
        _ => a.to_string(),
    });
    say("", m);
}

#[cfg(test)]
mod tests {
    use super::json_requested;

    fn asks(args: &[&str]) -> bool {
        json_requested(args.iter().map(|a| a.into()))
    }

    #[test]
    fn the_error_format_is_read_as_clap_reads_it() {
        assert!(asks(&["attrition", "--error-format", "json", "run"]));
        assert!(asks(&["attrition", "run", "x.toml", "--error-format=json"]));
        assert!(!asks(&[
            "attrition",
            "run",
            "--error-format",
            "json",
            "--error-format",
            "text"
        ]));
        assert!(!asks(&["attrition", "run", "--", "--error-format=json"]));
        assert!(!asks(&["attrition", "--error-format"]));
        assert!(
            !asks(&["--error-format=json"]),
            "the program name is not an argument"
        );
    }
}
