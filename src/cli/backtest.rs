//! `attrition backtest`: projections from fits on data up to each origin, scored
//! against what the series later showed.

use super::args::path_count;
use super::fit::SeriesArgs;
use super::*;
use attrition::calibrate::backtest::{origins, Every};
use attrition::calibrate::summary::summarise;
use attrition::calibrate::{self, BacktestOptions, FitOptions, Window};
use attrition::report::backtest::Inputs;
use attrition::Date;

#[derive(clap::Args, Debug)]
pub(super) struct BacktestArgs {
    /// The scenario whose side is projected (its phases and thresholds are left out).
    scenario: PathBuf,
    /// The series to fit and score against.
    series: PathBuf,
    #[command(flatten)]
    input: SeriesArgs,
    /// The side the series measures.
    #[arg(long, default_value = "russia")]
    side: String,
    /// First and last forecast origin, FROM..TO.
    #[arg(long, value_name = "FROM..TO")]
    #[arg(value_parser = origin_range)]
    origins: OriginRange,
    /// Step between origins: month, week, Nd (days) or Nm (months).
    #[arg(long, default_value = "month")]
    #[arg(value_parser = step)]
    every: Step,
    /// Horizons in days, comma separated.
    #[arg(long, value_delimiter = ',', default_value = "30,90,180", value_parser = clap::value_parser!(u32).range(1..=3650))]
    horizons: Vec<u32>,
    /// Days of data before each origin that the rate is fitted on.
    #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(u32).range(28..=3650))]
    window: u32,
    /// Score the crossing of the next multiple of this level above each origin's level
    /// (1 to 1e15, the largest threshold level a scenario may have).
    #[arg(long, default_value_t = 100_000.0)]
    threshold_step: f64,
    /// Bootstrap replicates of each fit.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(100..=1_000_000))]
    replicates: u32,
    /// Monte Carlo paths per projection (digits may be grouped in threes: 10_000).
    #[arg(long, short = 'n', default_value_t = 4000, value_parser = path_count(100..=10_000_000))]
    paths: u64,
    /// Seed of the bootstrap and the projections (0 to 2^63 - 1, as in scenario files).
    #[arg(long, short, default_value_t = 1, value_parser = clap::value_parser!(u64).range(0..=attrition::model::MAX_SEED))]
    seed: u64,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u64).range(1..=1024))]
    threads: Option<u64>,
    /// Days of history (ending on the fit window's last day) the drift is measured over.
    #[arg(long, value_name = "DAYS", default_value_t = attrition::calibrate::fit::DEFAULT_DRIFT_HISTORY, value_parser = clap::value_parser!(u32).range(60..=36_525))]
    drift_history: u32,
    /// Output format.
    #[arg(long, short, default_value = "table", value_parser = super::args::format())]
    format: Format,
    /// Write the output to FILE (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// A progress line counting origins on a terminal, else just the interrupt check.
fn backtest_watcher(origins: u64) -> Box<dyn Progress> {
    if progress_shown() {
        Box::new(crate::progress::Bar::counting(
            "backtest",
            origins,
            "origins",
            &INTERRUPTED,
        ))
    } else {
        Box::new(Interrupt)
    }
}

/// `--origins FROM..TO`: the dates, and the text as given (the output quotes it).
#[derive(Clone, Debug)]
struct OriginRange {
    text: String,
    from: Date,
    to: Date,
}

fn origin_range(s: &str) -> Result<OriginRange, String> {
    match Window::parse_range(s)? {
        Window::Range(from, to) => Ok(OriginRange {
            text: s.to_string(),
            from,
            to,
        }),
        Window::Last(_) => Err(format!("'{s}' is not a date range FROM..TO")),
    }
}

/// `--every`: the step, and the text as given.
#[derive(Clone, Debug)]
struct Step {
    text: String,
    every: Every,
}

fn step(s: &str) -> Result<Step, String> {
    Ok(Step {
        text: s.to_string(),
        every: Every::parse(s)?,
    })
}

pub(super) fn backtest(mut args: BacktestArgs) -> i32 {
    args.out = super::dash_is_stdout(args.out);
    let mut targets = output::Targets::new();
    targets.input("the scenario file", &args.scenario);
    args.input.declare(&mut targets, &args.series);
    if let Some(out) = &args.out {
        if let Err(msg) = targets.output("--out", out) {
            return bad_argument("--out", &msg);
        }
    }
    let (from, to, every) = (args.origins.from, args.origins.to, args.every.every);
    // Levels count people: a step below one person is no round level, and one above the
    // largest threshold level a scenario may have (1e15) is beyond the engine's limits
    // (1e308 used to run and silently score no crossing at all).
    if !(1.0..=attrition::model::MAX_QUANTITY).contains(&args.threshold_step) {
        let x = args.threshold_step;
        let shown = if x.abs() >= 1e16 || (x != 0.0 && x.abs() < 1e-4) {
            format!("{x:e}")
        } else {
            format!("{x}")
        };
        return bad_argument(
            "--threshold-step",
            &format!(
                "--threshold-step {shown} must be between 1 and {:e} (the largest threshold level)",
                attrition::model::MAX_QUANTITY
            ),
        );
    }
    let mut horizons = args.horizons.clone();
    horizons.sort_unstable();
    horizons.dedup();
    let Some(models) = load_all(std::slice::from_ref(&args.scenario)) else {
        return EXIT_BAD_INPUT;
    };
    let model = &models[0].1;
    let series = match args.input.load(&args.series) {
        Ok(s) => s,
        Err(e) => {
            messages::series(&e, None);
            return EXIT_BAD_INPUT;
        }
    };
    match calibrate::backtest::check_series_side(&series, model, &args.side) {
        Ok(Some(note)) => messages::note(&note),
        Ok(None) => {}
        Err(e) => return bad_argument("--side", &format!("--side {e}")),
    }
    let opts = BacktestOptions {
        side: args.side.clone(),
        origins: origins(from, to, every),
        horizons: horizons.clone(),
        window: args.window,
        threshold_step: args.threshold_step,
        fit: FitOptions {
            replicates: args.replicates,
            seed: args.seed,
            drift_horizon: None,
            drift_history: args.drift_history,
        },
        config: RunConfig {
            paths: args.paths,
            seed: args.seed,
            threads: args.threads.map(|t| t as usize),
            stepping: Stepping::Auto,
            method: attrition::engine::Method::Plain,
        },
        with_drift: true,
    };
    // As in `run`: Ctrl-C or SIGTERM stops at the next origin or engine batch, and
    // nothing is written.
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::Relaxed));
    let progress = backtest_watcher(opts.origins.len() as u64);
    let result = calibrate::backtest(model, &series, &opts, progress.as_ref());
    clear_line(false);
    let bt = match result {
        Ok(b) => b,
        Err(calibrate::BacktestError::Cancelled) => {
            messages::interrupted();
            return EXIT_INTERRUPTED;
        }
        Err(e) => {
            messages::error_in(&args.scenario.display().to_string(), &e.to_string());
            return EXIT_BAD_INPUT;
        }
    };
    if bt.origins_used.is_empty() {
        let why = match bt.skipped.is_empty() {
            true => " (none given)".to_string(),
            false => format!(":\n{}", report::backtest::skipped_by_reason(&bt.skipped)),
        };
        return bad_argument(
            "--origins",
            &format!("no origin in {} can be scored{why}", args.origins.text),
        );
    }
    let inputs = Inputs {
        scenario: args.scenario.display().to_string(),
        series: series.file.clone(),
        column: series.column.clone(),
        corrections: args.input.corrections_name(),
        side: args.side,
        origins: args.origins.text,
        every: args.every.text,
        horizons,
        window_days: args.window,
        threshold_step: args.threshold_step,
        paths: args.paths,
        seed: args.seed,
        replicates: args.replicates,
    };
    let scores = summarise(&bt, &inputs.horizons);
    let bytes = match args.format {
        Format::Table => report::backtest::table(&bt, &scores, &inputs).into_bytes(),
        Format::Json => report::backtest::json(&bt, &scores, &inputs),
        Format::Csv => report::backtest::csv(&scores).into_bytes(),
    };
    emit(args.out.as_deref(), &bytes)
}
