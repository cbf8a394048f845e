//! `attrition fit`: a rate and noise fitted to a window of a dated series, printed as a
//! scenario fragment.

use super::*;
use attrition::calibrate::series::SeriesError;
use attrition::calibrate::{self, FitOptions, Series, SeriesKind, Window};

#[derive(clap::Args, Debug)]
pub(super) struct SeriesArgs {
    /// Column to read (default: the one ending in `_cumulative`, else the only one).
    #[arg(long, value_name = "NAME")]
    column: Option<String>,
    /// Whether the column holds running totals or daily counts (default: `cumulative`
    /// when its name ends in `_cumulative`, else `daily`).
    #[arg(long, value_parser = ["cumulative", "daily"])]
    kind: Option<String>,
    /// CSV of one-off corrections per date (column matched by name, e.g. `personnel` for
    /// `personnel_cumulative`), taken off the day they were added.
    #[arg(long, value_name = "FILE")]
    corrections: Option<PathBuf>,
}

impl SeriesArgs {
    /// Declares the series and the corrections file as inputs.
    pub(super) fn declare(&self, targets: &mut output::Targets, series: &std::path::Path) {
        targets.input("the series file", series);
        if let Some(c) = &self.corrections {
            targets.input("the corrections file", c);
        }
    }

    pub(super) fn corrections_name(&self) -> Option<String> {
        self.corrections.as_ref().map(|c| c.display().to_string())
    }

    /// Reads the series and removes the corrections; the error names file and row.
    pub(super) fn load(&self, path: &std::path::Path) -> Result<Series, SeriesError> {
        let name = path.display().to_string();
        let text = calibrate::series::read_text(path)?;
        let kind = self.kind.as_deref().and_then(SeriesKind::parse);
        let mut s = calibrate::parse_series(&name, &text, self.column.as_deref(), kind)?;
        if let Some(c) = &self.corrections {
            let text = calibrate::series::read_text(c)?;
            let c = calibrate::parse_corrections(&c.display().to_string(), &text, &s.column)?;
            calibrate::remove_corrections(&mut s, &c)?;
        }
        Ok(s)
    }
}

/// What `fit` prints: a scenario fragment, or JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FitFormat {
    Toml,
    Json,
}

fn fit_format() -> impl clap::builder::TypedValueParser<Value = FitFormat> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["toml", "json"]).map(|s| match s.as_str() {
        "json" => FitFormat::Json,
        _ => FitFormat::Toml,
    })
}

#[derive(clap::Args, Debug)]
// One of --window and --last, not both: as a required group, clap's error names both
// (a bare `required_unless_present` named only --window).
#[command(group(clap::ArgGroup::new("days").args(["window", "last"]).required(true)))]
pub(super) struct FitArgs {
    /// The series: a CSV with a `date` column and a cumulative or daily column.
    series: PathBuf,
    #[command(flatten)]
    input: SeriesArgs,
    /// The dates to fit, FROM..TO inclusive (ISO dates; daily counts on those dates).
    #[arg(long, value_name = "FROM..TO")]
    #[arg(value_parser = Window::parse_range)]
    window: Option<Window>,
    /// Fit the last N days of the series instead of --window (at most 36525).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=36_525))]
    last: Option<u32>,
    /// The side the fragment's rate is for (a scenario side name: letters, digits, '_'
    /// or '-', starting with a letter).
    #[arg(long, default_value = "russia")]
    side: String,
    /// Widen the rate range by the rate's drift over this many days, as the series' own
    /// history shows it (see docs/calibration.md); without it the range is the mean's
    /// uncertainty only.
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..=3650))]
    drift_horizon: Option<u32>,
    /// Bootstrap replicates.
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u32).range(100..=1_000_000))]
    replicates: u32,
    /// Seed of the bootstrap (0 to 2^63 - 1, as in scenario files).
    #[arg(long, short, default_value_t = 1, value_parser = clap::value_parser!(u64).range(0..=attrition::model::MAX_SEED))]
    seed: u64,
    /// Days of history (ending on the fit window's last day) the drift is measured over.
    #[arg(long, value_name = "DAYS", default_value_t = attrition::calibrate::fit::DEFAULT_DRIFT_HISTORY, value_parser = clap::value_parser!(u32).range(60..=36_525))]
    drift_history: u32,
    /// Output format: a TOML fragment (with diagnostics as comments) or JSON.
    #[arg(long, short, default_value = "toml", value_parser = fit_format())]
    format: FitFormat,
    /// Write the output to FILE (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// The command line as typed, for the fragment's comment: arguments that a shell would
/// split or expand are single-quoted, so the comment can be pasted back; arguments that
/// are not UTF-8 are shown lossily rather than panicking (`env::args` would).
fn command_line() -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_./:=,@%+-".contains(c);
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| {
            let a = a.to_string_lossy();
            if !a.is_empty() && a.chars().all(plain) {
                a.into_owned()
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect();
    format!("attrition {}", args.join(" "))
}

pub(super) fn fit(mut args: FitArgs) -> i32 {
    args.out = super::dash_is_stdout(args.out);
    // The side becomes a table name in the fragment: refuse what a scenario would.
    if let Err(e) = report::fit::check_side(&args.side) {
        return bad_argument("--side", &format!("--side {e}"));
    }
    let mut targets = output::Targets::new();
    args.input.declare(&mut targets, &args.series);
    if let Some(out) = &args.out {
        if let Err(msg) = targets.output("--out", out) {
            return bad_argument("--out", &msg);
        }
    }
    let window = match (args.window, args.last) {
        (Some(w), _) => w,
        (None, Some(n)) => Window::Last(n),
        (None, None) => unreachable!("clap requires one"),
    };
    let series = match args.input.load(&args.series) {
        Ok(s) => s,
        Err(e) => {
            messages::series(&e, None);
            return EXIT_BAD_INPUT;
        }
    };
    let opts = FitOptions {
        replicates: args.replicates,
        seed: args.seed,
        drift_horizon: args.drift_horizon,
        drift_history: args.drift_history,
    };
    let f = match calibrate::fit(&series, window, &opts) {
        Ok(f) => f,
        Err(e) => {
            messages::error_in(&series.file, &e.to_string());
            return EXIT_BAD_INPUT;
        }
    };
    let command = command_line();
    let bytes = if args.format == FitFormat::Json {
        report::fit::json(&series, &args.side, &f, &command)
    } else {
        report::fit::toml(&series, &args.side, &f, &command).into_bytes()
    };
    emit(args.out.as_deref(), &bytes)
}
