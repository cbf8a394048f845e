//! The command line as clap reads it: every argument parsed into the library's types
//! here, at the edge (formats, stepping, path counts), so that the commands never compare
//! strings and never assume what clap checked.

use super::{backtest, fit};
use attrition::engine::sensitivity::Grouping;
use attrition::engine::Stepping;
use attrition::model::{ProposalMode, MAX_PATHS};
use attrition::report::sweep::SweepFormat;
use attrition::report::Format;
use attrition::scenario::overrides::Override;
use attrition::shard::Shard;
use attrition::Date;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// `--format` of `run` and `backtest`: one of `Format::NAMES`.
pub(super) fn format() -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(Format::NAMES).try_map(|s| Format::parse(&s).ok_or("unknown format"))
}

/// `--format` of `sweep`: one of `SweepFormat::NAMES`.
fn sweep_format() -> impl TypedValueParser<Value = SweepFormat> {
    PossibleValuesParser::new(SweepFormat::NAMES)
        .try_map(|s| SweepFormat::parse(&s).ok_or("unknown format"))
}

/// `--stepping`: `auto` or `daily`.
fn stepping() -> impl TypedValueParser<Value = Stepping> {
    PossibleValuesParser::new(["auto", "daily"]).map(|s| match s.as_str() {
        "daily" => Stepping::Daily,
        _ => Stepping::Auto,
    })
}

/// `--proposal`: `auto` or `off`.
fn proposal_mode() -> impl TypedValueParser<Value = ProposalMode> {
    PossibleValuesParser::new(["auto", "off"]).map(|s| match s.as_str() {
        "off" => ProposalMode::Off,
        _ => ProposalMode::Auto,
    })
}

/// `--group`: one of `Grouping::NAMES`.
fn grouping() -> impl TypedValueParser<Value = Grouping> {
    PossibleValuesParser::new(Grouping::NAMES).map(|s| match s.as_str() {
        "side" => Grouping::Side,
        "mechanism" => Grouping::Mechanism,
        _ => Grouping::Input,
    })
}

/// What `compare` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum CompareFormat {
    Table,
    Json,
}

impl CompareFormat {
    pub const NAMES: [&'static str; 2] = ["table", "json"];

    pub fn parse(s: &str) -> Option<CompareFormat> {
        match s {
            "table" => Some(CompareFormat::Table),
            "json" => Some(CompareFormat::Json),
            _ => None,
        }
    }
}

fn compare_format() -> impl TypedValueParser<Value = CompareFormat> {
    PossibleValuesParser::new(CompareFormat::NAMES)
        .try_map(|s| CompareFormat::parse(&s).ok_or("unknown format"))
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
pub(super) struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// How errors, warnings and notes are written on standard error: `text` for people,
    /// `json` for programs (one JSON document a line, with each problem's file, line,
    /// column, key and argument; see docs/output.md). Given before or after the command.
    #[arg(long, global = true, value_name = "FORMAT", default_value = "text", value_parser = error_format())]
    pub error_format: ErrorFormat,
}

/// `--error-format`: messages for people or for programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ErrorFormat {
    Text,
    Json,
}

fn error_format() -> impl TypedValueParser<Value = ErrorFormat> {
    PossibleValuesParser::new(["text", "json"]).map(|s| match s.as_str() {
        "json" => ErrorFormat::Json,
        _ => ErrorFormat::Text,
    })
}

#[derive(Subcommand, Debug)]
pub(super) enum Command {
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
    /// Which inputs move the results: first-order and total Sobol indices (with 95%
    /// bootstrap intervals) of the crossing days, P(crossed by) each report date and each
    /// side's casualties, for every uncertain input (or group of them) and the day-to-day
    /// noise; and a tornado of the crossing date with each input held at its 5th and 95th
    /// percentile (docs/sensitivity.md).
    #[command(
        after_help = "Examples:\n  attrition sensitivity scenarios/status-quo.toml\n  attrition sensitivity scenarios/peace-talks.toml --group mechanism --paths 20000 --plot figures\n  attrition sensitivity scenarios/bench/w0.toml -f json --out w0-sobol.json\n\n--paths N sets the base paths: the indices cost N x (k + 2) paths for k groups, the tornado N for the unheld run and 2N for each input it holds. --quantiles chooses the crossing-date quantiles of the tornado (default: the median)."
    )]
    Sensitivity(SensitivityArgs),
    /// Run a scenario at every point of a grid of values (the cross product of --grid
    /// KEY=V1,V2,... or the file's [sweep] table), all on the same paths, and report a row
    /// per point: crossing-date quantiles, P(crossed by), P(not crossed) (docs/sweeps.md).
    #[command(
        after_help = "Examples:\n  attrition sweep scenarios/status-quo-recent.toml --grid noise.cv=0.1,0.2 --grid 'sides.russia.rate_per_day=[900,1100],[1000,1300]'\n  attrition sweep scenarios/ceasefire-2026.toml --grid 'events[0].start=2026-03-01,2026-06-01,2026-09-01' -f csv --out sweep.csv --plot figures"
    )]
    Sweep(SweepArgs),
    /// Merge the parts that `run`, `compare`, `sweep` or `sensitivity` wrote with --shard I/N into the
    /// output the one-machine command prints, byte for byte (docs/sweeps.md).
    #[command(
        after_help = "Example:\n  for i in 0 1 2 3; do attrition run scenarios/status-quo.toml --shard $i/4 --out part-$i.json; done\n  attrition merge part-*.json -f json --out result.json"
    )]
    Merge(MergeArgs),
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
pub(super) struct EngineOpts {
    /// Number of Monte Carlo paths, overriding the file's `scenario.paths` (digits may be
    /// grouped in threes by underscores, as in scenario files: 100_000).
    #[arg(long, short = 'n', value_parser = path_count(1..=MAX_PATHS))]
    pub paths: Option<u64>,
    /// Seed, overriding the file's `scenario.seed` (0 to 2^63 - 1, as in the file).
    #[arg(long, short, value_parser = clap::value_parser!(u64).range(0..=attrition::model::MAX_SEED))]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores; 1 to 1024, and never more than the cores or
    /// the batches of 1024 paths). Results do not depend on it.
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub threads: Option<u64>,
    /// Also report on DATE (repeatable): P(crossed by DATE) and the stocks on DATE, as if
    /// the file's `scenario.report_dates` listed it.
    #[arg(long, value_name = "DATE", value_parser = Date::parse_iso)]
    pub by: Vec<Date>,
    /// Set KEY to VALUE in every scenario file before it is validated, as if the file said
    /// so (repeatable): `--set noise.sigma=0.2`, `--set 'sides.russia.rate_per_day={lo=900,hi=1200}'`,
    /// `--set thresholds[0].level=2.5e6`. Recorded in the output.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = Override::parse)]
    pub set: Vec<Override>,
    /// The quantiles to report, comma separated (default 0.05,0.25,0.5,0.75,0.95): of
    /// the crossing dates, and (with `run`) of the stocks. Figures keep their own.
    #[arg(long, value_name = "P,P,...", value_parser = quantile_levels)]
    pub quantiles: Option<Quantiles>,
    /// Add the observations in CSV (repeatable): one row per reported figure, with columns
    /// name, date, lo and hi (a 90% interval of the truth), and optionally sides
    /// (separated by '+'; default all), metric (casualties or killed), source (a
    /// `[sources.NAME]` of the file) and shape (lognormal, normal or uniform). Paths are
    /// then weighted by them, as if the file listed them under [[observations]].
    #[arg(long, value_name = "CSV")]
    pub observe: Vec<PathBuf>,
    /// Plain Monte Carlo: every input from its own random stream, each figure's error from
    /// the paths' own spread. By default `run`, `compare`, `sweep` and the tornado of
    /// `sensitivity` draw the inputs from scrambled Sobol points in 16 independent
    /// scramblings (randomized quasi-Monte Carlo: the same figures, to the same
    /// expectation, with smaller errors) and take each error from their spread.
    #[arg(long)]
    pub plain: bool,
}

/// A precision target: a finite number above zero.
fn positive_number(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        Ok(x) => Err(format!("{x} is not a precision: give a number above 0")),
        Err(_) => Err(format!("'{s}' is not a number")),
    }
}

/// The `--quantiles` levels, ascending (a type of its own: clap reads an `Option<Vec<_>>`
/// field as a repeated option).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Quantiles(pub Vec<f64>);

/// `--quantiles`: probabilities strictly between 0 and 1, at most 20, reported in
/// ascending order (repeats dropped).
fn quantile_levels(s: &str) -> Result<Quantiles, String> {
    let mut levels = Vec::new();
    for part in s.split(',') {
        let p: f64 = part.trim().parse().map_err(|_| {
            format!(
                "'{}' is not a number; give probabilities such as 0.1,0.5,0.9",
                part.trim()
            )
        })?;
        if !(p > 0.0 && p < 1.0) {
            return Err(format!("{p} is not strictly between 0 and 1"));
        }
        levels.push(p);
    }
    levels.sort_by(f64::total_cmp);
    levels.dedup();
    if levels.len() > 20 {
        return Err(format!("{} quantiles: give at most 20", levels.len()));
    }
    Ok(Quantiles(levels))
}

/// The value parser of every path-count option (`run` and `compare` `--paths`, `backtest
/// --paths`): a whole number in `range`, whose digits may be grouped in threes by
/// underscores as scenario files write them (`100_000`, `1_000_000`). A value with
/// underscores anywhere else (`_1`, `1__0`, `10_00`) is refused like any other bad number,
/// and the range check and its error are clap's own (`0 is not in 1..=1000000000`).
pub(super) fn path_count(range: std::ops::RangeInclusive<u64>) -> PathCount {
    PathCount(clap::builder::RangedU64ValueParser::new().range(range))
}

#[derive(Clone)]
pub(super) struct PathCount(clap::builder::RangedU64ValueParser<u64>);

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

#[derive(clap::Args, Debug)]
pub(super) struct CompareArgs {
    /// The baseline scenario, then the scenarios to compare with it.
    #[arg(required = true, num_args = 2..)]
    pub files: Vec<PathBuf>,
    /// The threshold to compare (by name; default: the baseline's first threshold).
    #[arg(long)]
    pub threshold: Option<String>,
    /// Output format: table (the default) or json.
    #[arg(long, short, value_parser = compare_format())]
    pub format: Option<CompareFormat>,
    /// Write the output to FILE (atomically) instead of standard output (`-`: standard
    /// output).
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub engine: EngineOpts,
    /// Give each scenario its own seed (seed + position): no common random numbers, to
    /// see how much wider the intervals are without them.
    #[arg(long)]
    pub independent: bool,
    #[command(flatten)]
    pub shard: ShardOpt,
    /// Print nothing on standard error but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `--shard I/N`, shared by `run`, `compare`, `sweep` and `sensitivity`.
#[derive(clap::Args, Debug)]
pub(super) struct ShardOpt {
    /// Compute only shard I (from 0) of N of the work and write it to --out as a part
    /// for `attrition merge` (docs/sweeps.md): `--shard 0/4` .. `--shard 3/4`.
    #[arg(long, value_name = "I/N", value_parser = Shard::parse)]
    pub shard: Option<Shard>,
}

#[derive(clap::Args, Debug)]
pub(super) struct SensitivityArgs {
    /// The scenario file (TOML); `-` reads standard input.
    pub file: PathBuf,
    /// Analyse this threshold only (by name; default: every threshold).
    #[arg(long)]
    pub threshold: Option<String>,
    /// How inputs are grouped: `input` (each alone), `side` (each side's, and the
    /// inputs of no one side), `mechanism` (day-0 stocks, rates, forces, phases, events,
    /// regimes, trend). Correlated inputs are always one group; the noise is one group.
    #[arg(long, default_value = "input", value_parser = grouping())]
    pub group: Grouping,
    /// Output format: table (the default), json or csv.
    #[arg(long, short, value_parser = format())]
    pub format: Option<Format>,
    /// Write the output to FILE (atomically) instead of standard output (`-`: standard
    /// output).
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also draw SVG figures into DIR (created if missing): the tornado and the total
    /// indices of each threshold's crossing day.
    #[arg(long, value_name = "DIR")]
    pub plot: Option<PathBuf>,
    // `--paths` is N, the base paths; `--quantiles` chooses the tornado's crossing-date
    // quantiles (the after_help says so).
    #[command(flatten)]
    pub engine: EngineOpts,
    #[command(flatten)]
    pub shard: ShardOpt,
    /// Print nothing on standard error but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(clap::Args, Debug)]
pub(super) struct RunArgs {
    /// Scenario files (TOML); `-` reads standard input.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output format: table (the default), json or csv.
    #[arg(long, short, value_parser = format())]
    pub format: Option<Format>,
    /// Write the output to FILE (atomically) instead of standard output (`-`: standard
    /// output).
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also draw SVG figures into DIR (created if missing): fan charts of the casualties
    /// (weekly to the horizon, from a run of their own over the first 2,048 paths, so the
    /// results do not change), crossing-date distributions, and overlays when several
    /// scenarios run; and DIR/figures.json, the data they were drawn from (for `plot`).
    #[arg(long, value_name = "DIR")]
    pub plot: Option<PathBuf>,
    /// Also write one row per path (its drawn inputs and crossing days) to FILE, as CSV
    /// (.csv) or Parquet (.parquet), streamed, for a notebook's own analysis. Takes one
    /// scenario file.
    #[arg(long, value_name = "FILE")]
    pub samples: Option<PathBuf>,
    #[command(flatten)]
    pub engine: EngineOpts,
    /// How paths move through time: `auto` jumps exactly over chunks of days where the
    /// noise model allows it (gamma), `daily` always steps day by day (to check the jumps).
    #[arg(long, default_value = "auto", value_parser = stepping())]
    pub stepping: Stepping,
    /// With observations: keep adding paths, in rounds, until the effective sample size
    /// reaches N (or --max-paths). The result is the bytes of one run of the paths used.
    #[arg(long, value_name = "N", value_parser = path_count(1..=MAX_PATHS))]
    pub min_effective_paths: Option<u64>,
    /// With observations: `auto` draws the inputs from a proposal fitted to them by a
    /// pilot run when the scenario's own ranges would waste most paths (weights stay
    /// exact); `off` always draws from the scenario's ranges.
    #[arg(long, default_value = "auto", value_parser = proposal_mode())]
    pub proposal: ProposalMode,
    /// Keep adding rounds of --round-paths paths until every reported probability's
    /// standard error (P(crossed by) each report date, P(not crossed), P(event)) is at
    /// most X, or --max-paths. The result is the bytes of one run of the paths used.
    #[arg(long, value_name = "X", value_parser = positive_number, conflicts_with_all = ["min_effective_paths", "paths"])]
    pub target_se: Option<f64>,
    /// Keep adding rounds of --round-paths paths until every reported crossing-date
    /// quantile's 95% interval reaches at most D days either side of it, or --max-paths.
    #[arg(long, value_name = "D", value_parser = positive_number, conflicts_with_all = ["min_effective_paths", "paths"])]
    pub target_days: Option<f64>,
    /// Paths per round of --target-se and --target-days (default 65,536; a multiple of
    /// 1,024 paths keeps every round's batches whole).
    #[arg(long, value_name = "N", value_parser = path_count(1..=MAX_PATHS))]
    pub round_paths: Option<u64>,
    /// The most paths --min-effective-paths, --target-se or --target-days may use
    /// (default 10,000,000).
    #[arg(long, value_name = "N", value_parser = path_count(1..=MAX_PATHS))]
    pub max_paths: Option<u64>,
    #[command(flatten)]
    pub shard: ShardOpt,
    /// Print nothing on standard error but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(clap::Args, Debug)]
pub(super) struct SweepArgs {
    /// The scenario file (TOML); `-` reads standard input.
    pub file: PathBuf,
    /// A key and its values (repeatable; the points are the cross product, the last key
    /// varying fastest): KEY as for --set, values as in the file, separated by commas
    /// outside brackets and braces: `--grid noise.cv=0.1,0.2`, `--grid
    /// 'sides.russia.rate_per_day=[900,1100],{lo=1000,hi=1300}'`. Replaces the file's
    /// [sweep] table.
    #[arg(long, value_name = "KEY=V1,V2,...")]
    pub grid: Vec<String>,
    /// Output format: table (the default), json, csv or parquet (parquet needs --out).
    #[arg(long, short, value_parser = sweep_format())]
    pub format: Option<SweepFormat>,
    /// Write the output to FILE (atomically) instead of standard output (`-`: standard
    /// output).
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also draw SVG figures into DIR (created if missing): for each threshold, the
    /// median crossing date and its 90% interval against each swept key.
    #[arg(long, value_name = "DIR")]
    pub plot: Option<PathBuf>,
    #[command(flatten)]
    pub engine: EngineOpts,
    /// As for `run`.
    #[arg(long, default_value = "auto", value_parser = stepping())]
    pub stepping: Stepping,
    /// As for `run`.
    #[arg(long, default_value = "auto", value_parser = proposal_mode())]
    pub proposal: ProposalMode,
    #[command(flatten)]
    pub shard: ShardOpt,
    /// Print nothing on standard error but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(clap::Args, Debug)]
pub(super) struct MergeArgs {
    /// The parts, every shard of one command (`--shard I/N --out PART`), in any order.
    #[arg(required = true)]
    pub parts: Vec<PathBuf>,
    /// Output format, as the command that made the parts takes it (default table).
    #[arg(long, short)]
    pub format: Option<String>,
    /// Write the output to FILE (atomically) instead of standard output (`-`: standard
    /// output).
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also draw the SVG figures into DIR, as the `--plot` of the command that made the
    /// parts would (`run`, `sweep` or `sensitivity`; a run's fan charts are drawn from a
    /// run of their own over its first 2,048 paths).
    #[arg(long, value_name = "DIR")]
    pub plot: Option<PathBuf>,
    /// Worker threads for the fan charts' run (--plot of run's parts).
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub threads: Option<u64>,
    /// Print nothing on standard error but errors.
    #[arg(long, short)]
    pub quiet: bool,
}
