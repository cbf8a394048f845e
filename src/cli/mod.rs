//! Command-line parsing and the commands themselves, at the edge: options are parsed into
//! typed values here, and the library never sees clap.

use crate::output;
use attrition::engine::{self, EngineError, Progress, RunConfig, Stepping};
use attrition::model::{Model, MAX_PATHS};
use attrition::report::{self, Format};
use attrition::scenario;
use attrition::Projection;
use clap::{Parser, Subcommand};

mod backtest;
mod compare;
mod figures;
mod fit;
mod samples;

use compare::compare;
use figures::{fan, plot, write_figures, FIGURES_RESULT};
use samples::{run_with_samples, sample_format};
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

/// The progress line when stderr is a terminal and --quiet is off, else just the
/// interrupt check.
fn watcher(quiet: bool, label: &str, paths: u64) -> Box<dyn Progress + '_> {
    use std::io::IsTerminal;
    if !quiet && std::io::stderr().is_terminal() {
        Box::new(crate::progress::Bar::new(label, paths, &INTERRUPTED))
    } else {
        Box::new(Interrupt)
    }
}

#[derive(Parser, Debug)]
#[command(
    name = "attrition",
    version,
    about = "Project when reported war losses cross a threshold, as a distribution over dates",
    long_about = "Runs scenario files (TOML) as Monte Carlo simulations that sample baseline stocks \
and casualty rates from the ranges a source reported, and reports when summed losses cross each \
threshold: quantiles of the crossing date, P(crossed by) each report date, and stock quantiles.\n\n\
These are scenario projections from contested estimates, not predictions.",
    after_help = "Examples:\n  attrition run scenarios/status-quo.toml\n  attrition run scenarios/*.toml --format csv --out results.csv\n  attrition run scenarios/ceasefire-2026.toml --samples paths.parquet --plot figures\n  attrition validate my-scenario.toml\n\nExit status: 0 success, 1 runtime failure, 2 bad input or usage, 130 interrupted."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run scenario files and report crossing dates and stocks.
    #[command(
        after_help = "Examples:\n  attrition run scenarios/status-quo.toml\n  attrition run scenarios/bench/w1.toml --paths 1000000 --format json --out w1.json\n  cat my.toml | attrition run -"
    )]
    Run(RunArgs),
    /// Compare scenarios on common random numbers: differences of crossing-date quantiles
    /// (with 95% confidence intervals) and P(one crosses first), against the first file.
    #[command(
        after_help = "Example:\n  attrition compare scenarios/status-quo-recent.toml scenarios/escalation-2026.toml scenarios/ceasefire-2026.toml"
    )]
    Compare(CompareArgs),
    /// Redraw the SVG figures from a JSON result: the one `run --plot DIR` saves as
    /// DIR/figures.json (fan charts included), or any `run --format json` output (fan
    /// charts from the report dates only).
    #[command(
        after_help = "Example:\n  attrition run scenarios/*.toml --plot figures\n  attrition plot figures/figures.json --out restyled"
    )]
    Plot {
        /// A JSON result: DIR/figures.json of `run --plot DIR`, or `run --format json`.
        result: PathBuf,
        /// Folder for the SVG files (created if missing).
        #[arg(long, short, value_name = "DIR")]
        out: PathBuf,
    },
    /// Print the JSON Schema of scenario files (for editors; see docs/scenarios.md).
    #[command(
        after_help = "Example:\n  attrition schema > scenario.schema.json   # then point your editor's TOML schema setting at it"
    )]
    Schema,
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Example:\n  attrition completions bash > ~/.local/share/bash-completion/completions/attrition"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Fit a daily rate and its noise to a window of a dated series (cumulative or daily
    /// counts), printed as a scenario fragment with diagnostics (docs/calibration.md).
    #[command(
        after_help = "Example:\n  attrition fit data/ua_gs_russian_personnel.csv --corrections data/ua_gs_russian_losses_corrections.csv --window 2025-07-01..2025-12-31 --drift-horizon 180"
    )]
    Fit(fit::FitArgs),
    /// Backtest: fit on data up to each forecast origin, project, and score the projections
    /// (interval coverage, CRPS, median error, crossing dates) against what the series showed.
    #[command(
        after_help = "Example:\n  attrition backtest scenarios/status-quo-calibrated.toml data/ua_gs_russian_personnel.csv --corrections data/ua_gs_russian_losses_corrections.csv --origins 2024-01-01..2025-12-01"
    )]
    Backtest(backtest::BacktestArgs),
    /// Check scenario files and report every problem, without running them.
    #[command(after_help = "Example:\n  attrition validate scenarios/*.toml")]
    Validate {
        /// Scenario files (TOML); `-` reads standard input.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

/// How many paths, with which seed, on how many threads: shared by `run` and `compare`.
#[derive(clap::Args, Debug)]
struct EngineOpts {
    /// Number of Monte Carlo paths, overriding the file's `scenario.paths` (digits may be
    /// grouped in threes by underscores, as in scenario files: 100_000).
    #[arg(long, short = 'n', value_parser = path_count(1..=MAX_PATHS))]
    paths: Option<u64>,
    /// Seed, overriding the file's `scenario.seed` (0 to 2^63 - 1, as in the file).
    #[arg(long, short, value_parser = clap::value_parser!(u64).range(0..=attrition::model::MAX_SEED))]
    seed: Option<u64>,
    /// Worker threads (default: all cores; 1 to 1024, and never more than the cores or
    /// the batches of 1024 paths). Results do not depend on it.
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u64).range(1..=1024))]
    threads: Option<u64>,
}

/// The value parser of every path-count option (`run` and `compare` `--paths`, `backtest
/// --paths`): a whole number in `range`, whose digits may be grouped in threes by
/// underscores as scenario files write them (`100_000`, `1_000_000`). A value with
/// underscores anywhere else (`_1`, `1__0`, `10_00`) is refused like any other bad number,
/// and the range check and its error are clap's own (`0 is not in 1..=1000000000`).
fn path_count(range: std::ops::RangeInclusive<u64>) -> PathCount {
    PathCount(clap::builder::RangedU64ValueParser::new().range(range))
}

#[derive(Clone)]
struct PathCount(clap::builder::RangedU64ValueParser<u64>);

impl clap::builder::TypedValueParser for PathCount {
    type Value = u64;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<u64, clap::Error> {
        use clap::error::{ContextKind, ContextValue};
        let Some(digits) = value.to_str().and_then(ungroup_digits) else {
            return self.0.parse_ref(cmd, arg, value);
        };
        self.0
            .parse_ref(cmd, arg, digits.as_ref())
            .map_err(|mut e| {
                // Name the value as it was typed, underscores and all.
                let typed = value.to_string_lossy().into_owned();
                e.insert(ContextKind::InvalidValue, ContextValue::String(typed));
                e
            })
    }
}

/// `1_000_000` -> `1000000`: the digits of a number grouped in threes by underscores (the
/// first group one to three digits, every later one exactly three), else `None`.
fn ungroup_digits(text: &str) -> Option<String> {
    let mut groups = text.split('_');
    let first = groups.next()?;
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    let mut rest = groups.peekable();
    let well_formed = rest.peek().is_some()
        && (1..=3).contains(&first.len())
        && digits(first)
        && rest.all(|g| g.len() == 3 && digits(g));
    well_formed.then(|| text.replace('_', ""))
}

impl EngineOpts {
    /// The run settings for `model`: the options given, else the file's own.
    fn config(&self, model: &Model, stepping: Stepping) -> RunConfig {
        RunConfig {
            paths: self.paths.unwrap_or(model.default_paths),
            seed: self.seed.unwrap_or(model.default_seed),
            threads: self.threads.map(|t| t as usize),
            stepping,
        }
    }
}

/// Reports an engine error and returns the exit status: 130 when interrupted, 2 when
/// the scenario's numbers overflow (bad input), 1 otherwise.
fn engine_failure(context: &str, e: &EngineError) -> i32 {
    match e {
        EngineError::Cancelled => {
            eprintln!("attrition: interrupted; no output was written");
            EXIT_INTERRUPTED
        }
        EngineError::NonFinite { .. } => {
            eprintln!("error: {context}: {e}");
            EXIT_BAD_INPUT
        }
        _ => {
            eprintln!("error: {context}: {e}");
            EXIT_FAILURE
        }
    }
}

#[derive(clap::Args, Debug)]
struct CompareArgs {
    /// The baseline scenario, then the scenarios to compare with it.
    #[arg(required = true, num_args = 2..)]
    files: Vec<PathBuf>,
    /// The threshold to compare (by name; default: the baseline's first threshold).
    #[arg(long)]
    threshold: Option<String>,
    /// Output format.
    #[arg(long, short, default_value = "table", value_parser = ["table", "json"])]
    format: String,
    /// Write the output to FILE (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    engine: EngineOpts,
    /// Give each scenario its own seed (seed + position): no common random numbers, to
    /// see how much wider the intervals are without them.
    #[arg(long)]
    independent: bool,
    /// Print nothing on standard error but errors.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(clap::Args, Debug)]
struct RunArgs {
    /// Scenario files (TOML); `-` reads standard input.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short, default_value = "table", value_parser = Format::NAMES)]
    format: String,
    /// Write the output to FILE (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Also draw SVG figures into DIR (created if missing): fan charts of the casualties
    /// (weekly to the horizon, from a run of their own over the first 2,048 paths, so the
    /// results do not change), crossing-date distributions, and overlays when several
    /// scenarios run; and DIR/figures.json, the data they were drawn from (for `plot`).
    #[arg(long, value_name = "DIR")]
    plot: Option<PathBuf>,
    /// Also write one row per path (its drawn inputs and crossing days) to FILE, as CSV
    /// (.csv) or Parquet (.parquet), streamed, for a notebook's own analysis. Takes one
    /// scenario file.
    #[arg(long, value_name = "FILE")]
    samples: Option<PathBuf>,
    #[command(flatten)]
    engine: EngineOpts,
    /// How paths move through time: `auto` jumps exactly over chunks of days where the
    /// noise model allows it (gamma), `daily` always steps day by day (to check the jumps).
    #[arg(long, default_value = "auto", value_parser = ["auto", "daily"])]
    stepping: String,
    /// Print nothing on standard error but errors.
    #[arg(long, short)]
    quiet: bool,
}

pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version go to standard output like any other output; usage errors
        // to standard error.
        Err(e) if !e.use_stderr() => return print_stdout(e.render().to_string().as_bytes()),
        Err(e) => {
            let _ = e.print();
            return EXIT_BAD_INPUT;
        }
    };
    match cli.command {
        Command::Run(args) => run(args),
        Command::Validate { files } => validate(&files),
        Command::Plot { result, out } => plot(&result, &out),
        Command::Compare(args) => compare(args),
        Command::Fit(args) => fit::fit(args),
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
    let mut models = Vec::new();
    let mut failed = false;
    for f in files {
        match scenario::load_file(f) {
            Ok(m) => models.push((f.display().to_string(), m)),
            Err(e) => {
                eprintln!("{e}");
                failed = true;
            }
        }
    }
    (!failed).then_some(models)
}

fn validate(files: &[PathBuf]) -> i32 {
    let Some(models) = load_all(files) else {
        return EXIT_BAD_INPUT;
    };
    let mut text = String::new();
    for (file, m) in models {
        text.push_str(&format!("{file}: ok ({})\n", summary(&m)));
    }
    print_stdout(text.as_bytes())
}

/// What a valid scenario holds, in words: `status-quo: 2 sides, 1 threshold, horizon
/// 2028-12-31`, with the dynamics it uses.
fn summary(m: &Model) -> String {
    let count = |n: usize, one: &str| match n {
        1 => format!("1 {one}"),
        n => format!("{n} {one}s"),
    };
    let mut parts = vec![
        count(m.sides.len(), "side"),
        count(m.thresholds.len(), "threshold"),
    ];
    let optional = [
        (m.phases.len(), "phase"),
        (m.events.len(), "event"),
        (m.regimes.as_ref().map_or(0, |r| r.names.len()), "regime"),
        (m.correlations.len(), "correlation"),
    ];
    parts.extend(
        optional
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|&(n, one)| count(n, one)),
    );
    if m.seasonality.is_some() {
        parts.push("seasonality".into());
    }
    if m.trend.is_some() {
        parts.push("a trend".into());
    }
    if m.force_law.is_some() {
        parts.push("force-dependent losses".into());
    }
    format!(
        "{}: {}, horizon {}",
        m.name,
        parts.join(", "),
        m.horizon_date()
    )
}

fn run(args: RunArgs) -> i32 {
    let format = Format::parse(&args.format).expect("clap checked the format");
    if let Some(samples) = &args.samples {
        if args.files.len() != 1 {
            eprintln!(
                "error: --samples takes exactly one scenario file (got {})",
                args.files.len()
            );
            return EXIT_BAD_INPUT;
        }
        if sample_format(samples).is_none() {
            eprintln!(
                "error: --samples {}: give a file name ending in .csv or .parquet",
                samples.display()
            );
            return EXIT_BAD_INPUT;
        }
    }
    let mut targets = output::Targets::new();
    for f in &args.files {
        targets.input("the scenario file", f);
    }
    if let Err(msg) = declare_outputs(&mut targets, &args) {
        eprintln!("error: {msg}");
        return EXIT_BAD_INPUT;
    }
    let Some(models) = load_all(&args.files) else {
        return EXIT_BAD_INPUT;
    };
    // From here on Ctrl-C stops the engine at its next batch; nothing is written before
    // the run ends, so stopping early loses nothing but time. (Before, the default
    // action ends the process, which is as harmless.)
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::Relaxed));
    let mut projections = Vec::with_capacity(models.len());
    for (file, model) in &models {
        let stepping = if args.stepping == "daily" {
            Stepping::Daily
        } else {
            Stepping::Auto
        };
        let config = args.engine.config(model, stepping);
        // The fan chart's own run, which cannot touch the result's. It goes first: the
        // result's run commits --samples when it ends, and an interrupt of the fan's run
        // after that would leave a file behind.
        let fan = match &args.plot {
            Some(_) => match fan(model, &config, args.quiet) {
                Ok(f) => Some(f),
                Err(e) => return engine_failure(file, &e),
            },
            None => None,
        };
        let started = Instant::now();
        let progress = watcher(args.quiet, &model.name, config.paths);
        let result = match &args.samples {
            Some(path) => run_with_samples(model, &config, path, progress.as_ref()),
            None => engine::run(model, &config, progress.as_ref()),
        };
        clear_line(args.quiet);
        let tally = match result {
            Ok(t) => t,
            Err(e) => return engine_failure(file, &e),
        };
        if !args.quiet {
            eprintln!(
                "attrition: {}: {} paths in {:.2} s",
                model.name,
                config.paths,
                started.elapsed().as_secs_f64()
            );
        }
        let projection = Projection::from_tally(model, &config, &tally, Some(file));
        projections.push(match fan {
            Some((series, paths)) => projection.with_fan(series, paths),
            None => projection,
        });
    }
    if let Some(dir) = &args.plot {
        // With the data the figures were drawn from, fan included, for `attrition plot`.
        let saved = report::render(Format::Json, &projections);
        if let Err(code) = write_figures(&targets, dir, &projections, Some(saved)) {
            return code;
        }
    }
    let projections: Vec<Projection> = projections
        .into_iter()
        .map(Projection::without_fan)
        .collect();
    emit(args.out.as_deref(), &report::render(format, &projections))
}

/// Writes the data output to `out` (atomically) or to stdout; returns the exit status.
fn emit(out: Option<&std::path::Path>, bytes: &[u8]) -> i32 {
    match out {
        Some(path) => match output::write_atomic(path, bytes) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                eprintln!(
                    "error: cannot write {}: {e} (nothing was written)",
                    path.display()
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
            eprintln!("error: cannot write to standard output: {e}");
            EXIT_FAILURE
        }
    }
}

/// Clears a progress line that may have been drawn.
fn clear_line(quiet: bool) {
    use std::io::IsTerminal;
    if !quiet && std::io::stderr().is_terminal() {
        eprint!("\r\x1b[2K");
    }
}

/// Declares `run`'s outputs: `--out`, `--samples` and the `--plot` folder.
fn declare_outputs(targets: &mut output::Targets, args: &RunArgs) -> Result<(), String> {
    if let Some(out) = &args.out {
        targets.output("--out", out)?;
    }
    if let Some(samples) = &args.samples {
        targets.output("--samples", samples)?;
    }
    if let Some(dir) = &args.plot {
        targets.output_dir("--plot", dir)?;
        // The data the figures are drawn from is saved beside them.
        targets.check_inside("--plot", &dir.join(FIGURES_RESULT))?;
    }
    Ok(())
}
