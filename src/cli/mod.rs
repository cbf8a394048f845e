//! Command-line parsing and the commands themselves, at the edge: options are parsed into
//! typed values here, and the library never sees clap.

use crate::output;
use attrition::engine::{self, EngineError, Progress, RunConfig, Stepping};
use attrition::model::Model;
use attrition::report::escape::terminal;
use attrition::report::{self, Format};
use attrition::scenario;
use attrition::Projection;
use clap::Parser;

mod args;
mod backtest;
mod compare;
mod figures;
mod fit;
mod merge;
mod messages;
mod parts;
mod request;
mod rounds;
mod run;
mod samples;
mod sensitivity;
mod sweep;
mod validate;

use args::{Cli, Command, ErrorFormat};
use compare::compare;
use figures::plot;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Exit status for success, runtime failure, bad input or usage, and an interrupted run
/// (128 + SIGINT, as shells report it).
pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILURE: i32 = 1;
pub const EXIT_BAD_INPUT: i32 = 2;
pub const EXIT_INTERRUPTED: i32 = 130;

/// Set by Ctrl-C or SIGTERM; the engine stops at its next batch.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

struct Interrupt;

impl Progress for Interrupt {
    fn cancelled(&self) -> bool {
        INTERRUPTED.load(Ordering::Relaxed)
    }
}

/// Whether a progress line may be drawn: standard error is a terminal, and it carries
/// text (JSON messages are a stream for programs).
fn progress_shown() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && !messages::json()
}

/// The progress line when it may be drawn and --quiet is off, else just the interrupt
/// check.
fn watcher(quiet: bool, label: &str, paths: u64) -> Box<dyn Progress + '_> {
    if !quiet && progress_shown() {
        // The label is a scenario's name: escaped, as every output escapes it.
        Box::new(crate::progress::Bar::new(
            &terminal(label),
            paths,
            &INTERRUPTED,
        ))
    } else {
        Box::new(Interrupt)
    }
}

/// Reports an engine error (of the run of `file`, when one file ran) and returns the
/// exit status: 130 when interrupted, 2 when the scenario's numbers overflow (bad input),
/// 1 otherwise.
fn engine_failure(file: Option<&str>, e: &EngineError) -> i32 {
    let say = |msg: &str| match file {
        Some(file) => messages::error_in(file, msg),
        None => messages::error(msg),
    };
    match e {
        EngineError::Cancelled => {
            messages::interrupted();
            EXIT_INTERRUPTED
        }
        EngineError::NonFinite { .. } | EngineError::AboveAnchor { .. } | EngineError::Weighted => {
            say(&e.to_string());
            EXIT_BAD_INPUT
        }
        _ => {
            say(&e.to_string());
            EXIT_FAILURE
        }
    }
}

/// Reports a problem with the command-line argument `argument`; exit status 2.
fn bad_argument(argument: &str, msg: &str) -> i32 {
    messages::error_arg(argument, msg);
    EXIT_BAD_INPUT
}

/// `--out -` is standard output, as `-` is standard input for a scenario: the same as
/// leaving `--out` out (so what needs a file, a shard's part or Parquet, still asks for one).
fn dash_is_stdout(out: Option<std::path::PathBuf>) -> Option<std::path::PathBuf> {
    out.filter(|p| p.as_os_str() != "-")
}

/// `--out` of a command that may be a shard: standard output for `-`, except that a
/// shard's part must go to a file (exit 2, naming `--out`).
fn shard_out(
    out: Option<std::path::PathBuf>,
    shard: Option<attrition::shard::Shard>,
) -> Result<Option<std::path::PathBuf>, i32> {
    match (&out, shard) {
        (Some(p), Some(s)) if p.as_os_str() == "-" => Err(bad_argument(
            "--out",
            &format!("--shard {s} --out -: a shard's part is a file for `attrition merge`, not standard output; give --out FILE"),
        )),
        _ => Ok(dash_is_stdout(out)),
    }
}

pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version go to standard output like any other output; usage errors
        // to standard error.
        Err(e) if !e.use_stderr() => return print_stdout(e.render().to_string().as_bytes()),
        Err(e) => {
            messages::set_json(messages::json_requested(std::env::args_os()));
            messages::usage(&e);
            return EXIT_BAD_INPUT;
        }
    };
    messages::set_json(cli.error_format == ErrorFormat::Json);
    match cli.command {
        Command::Run(mut args) => match shard_out(args.out.take(), args.shard.shard) {
            Ok(out) => {
                args.out = out;
                run::run(args)
            }
            Err(code) => code,
        },
        Command::Validate { files } => validate::validate(&files),
        Command::Plot { result, out } => plot(&result, &out),
        Command::Compare(mut args) => match shard_out(args.out.take(), args.shard.shard) {
            Ok(out) => {
                args.out = out;
                compare(args)
            }
            Err(code) => code,
        },
        Command::Sweep(mut args) => match shard_out(args.out.take(), args.shard.shard) {
            Ok(out) => {
                args.out = out;
                sweep::sweep(args)
            }
            Err(code) => code,
        },
        Command::Merge(mut args) => {
            args.out = dash_is_stdout(args.out);
            merge::merge(args)
        }
        Command::Fit(args) => fit::fit(args),
        Command::Sensitivity(mut args) => match shard_out(args.out.take(), args.shard.shard) {
            Ok(out) => {
                args.out = out;
                sensitivity::sensitivity(args)
            }
            Err(code) => code,
        },
        Command::Backtest(args) => backtest::backtest(args),
        Command::Schema => print_stdout(scenario::schema::json_schema_text().as_bytes()),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "attrition", &mut script);
            print_stdout(&script)
        }
    }
}

/// Loads every file, printing every problem; `None` if any file had one.
fn load_all(files: &[PathBuf]) -> Option<Vec<(String, Model)>> {
    load_all_with(files, &[])
}

/// As `load_all`, with the `--set` keys set in every file.
fn load_all_with(
    files: &[PathBuf],
    set: &[scenario::overrides::Override],
) -> Option<Vec<(String, Model)>> {
    let mut models = Vec::new();
    let mut failed = false;
    for f in files {
        match scenario::load_file_with(f, set) {
            Ok(m) => models.push((f.display().to_string(), m)),
            Err(e) => {
                messages::scenario(&e);
                failed = true;
            }
        }
    }
    (!failed).then_some(models)
}

/// Writes the data output to `out` (atomically) or to stdout; returns the exit status.
fn emit(out: Option<&std::path::Path>, bytes: &[u8]) -> i32 {
    match out {
        Some(path) => match output::write_atomic(path, bytes) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                messages::error_arg(
                    "--out",
                    &format!("cannot write {}: {e} (nothing was written)", path.display()),
                );
                EXIT_FAILURE
            }
        },
        None => print_stdout(bytes),
    }
}

/// Writes to standard output, the one way every command does: a closed pipe (`| head`)
/// is the reader's choice and ends quietly with success; any other failure (a full disk)
/// is reported, exit 1. Never `print!`, which panics on both.
fn print_stdout(bytes: &[u8]) -> i32 {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|_| stdout.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            messages::error(&format!("cannot write to standard output: {e}"));
            EXIT_FAILURE
        }
    }
}

/// Clears a progress line that may have been drawn.
fn clear_line(quiet: bool) {
    if !quiet && progress_shown() {
        eprint!("\r\x1b[2K");
    }
}
