//! `attrition run`: scenario files through the engine, to a table, JSON or CSV, with
//! figures and per-path samples on request.

use super::args::RunArgs;
use super::figures::{fan, write_figures, FIGURES_RESULT};
use super::samples::{run_with_samples, sample_format};
use super::*;
use attrition::precision;

pub(super) fn run(args: RunArgs) -> i32 {
    let format = args.format;
    if let Some(samples) = &args.samples {
        if args.files.len() != 1 {
            return bad_argument(
                "--samples",
                &format!(
                    "--samples takes exactly one scenario file (got {})",
                    args.files.len()
                ),
            );
        }
        if sample_format(samples).is_none() {
            return bad_argument(
                "--samples",
                &format!(
                    "--samples {}: give a file name ending in .csv or .parquet",
                    samples.display()
                ),
            );
        }
    }
    let mut targets = output::Targets::new();
    for f in &args.files {
        targets.input("the scenario file", f);
    }
    for f in &args.engine.observe {
        targets.input("the --observe file", f);
    }
    let targeted = args.target_se.is_some() || args.target_days.is_some();
    for (set, name) in [
        (args.min_effective_paths.is_some(), "--min-effective-paths"),
        (args.target_se.is_some(), "--target-se"),
        (args.target_days.is_some(), "--target-days"),
    ] {
        if set && args.samples.is_some() {
            return bad_argument(name, &format!("{name} and --samples: the samples are written as the paths run, and the rounds do not know their last path in advance; give --paths instead"));
        }
    }
    if args.max_paths.is_some() && !targeted && args.min_effective_paths.is_none() {
        return bad_argument("--max-paths", "--max-paths bounds the rounds of --target-se, --target-days or --min-effective-paths; give one of them, or --paths for a run of fixed size");
    }
    if args.round_paths.is_some() && !targeted {
        return bad_argument("--round-paths", "--round-paths sizes the rounds of --target-se or --target-days; give one of them, or --paths for a run of fixed size");
    }
    if let Err((flag, msg)) = declare_outputs(&mut targets, &args) {
        return bad_argument(flag, &msg);
    }
    let Some(mut models) = load_all_with(&args.files, &args.engine.set) else {
        return EXIT_BAD_INPUT;
    };
    for (file, model) in &mut models {
        if let Err(msg) = args.engine.add_report_dates(file, model) {
            return bad_argument("--by", &msg);
        }
        for csv in &args.engine.observe {
            if let Err(e) = scenario::observe::add_observations(csv, model) {
                messages::series(&e, Some("--observe"));
                return EXIT_BAD_INPUT;
            }
        }
        model.proposal = args.proposal;
        if args.min_effective_paths.is_some() && model.observations.is_empty() {
            return bad_argument("--min-effective-paths", &format!("--min-effective-paths: {file} has no observations, so every path counts fully; give --paths instead"));
        }
    }
    // From here on Ctrl-C stops the engine at its next batch; nothing is written before
    // the run ends, so stopping early loses nothing but time. (Before, the default
    // action ends the process, which is as harmless.)
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::Relaxed));
    let mut projections = Vec::with_capacity(models.len());
    for (file, model) in &models {
        let mut config = args.engine.config(model, args.stepping);
        let max = args.max_paths.unwrap_or(DEFAULT_MAX_PATHS);
        let round = args.round_paths.unwrap_or(ROUND_PATHS);
        if targeted {
            // The first round; the rest are added until the targets are met.
            config.paths = round.min(max);
        }
        // The fan chart's own run, which cannot touch the result's. It goes first: the
        // result's run commits --samples when it ends, and an interrupt of the fan's run
        // after that would leave a file behind.
        let fan = match &args.plot {
            Some(_) => match fan(model, &config, args.quiet) {
                Ok(f) => Some(f),
                Err(e) => return engine_failure(Some(file), &e),
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
        let mut tally = match result {
            Ok(t) => t,
            Err(e) => return engine_failure(Some(file), &e),
        };
        if let Some(target) = args.min_effective_paths {
            let max = max.max(config.paths);
            match more_paths(model, &mut config, tally, target, max, args.quiet) {
                Ok(t) => tally = t,
                Err(e) => return engine_failure(Some(file), &e),
            }
        }
        let levels = args.engine.quantiles.as_ref().map(|q| &q.0[..]);
        let project = |config: &RunConfig, tally: &engine::Tally| match levels {
            Some(q) => Projection::at_levels(model, config, tally, Some(file), q, q),
            None => Projection::from_tally(model, config, tally, Some(file)),
        };
        let mut precise = None;
        if targeted {
            let targets = Targets {
                se: args.target_se,
                days: args.target_days,
                round,
                max,
            };
            match targets.rounds(model, &mut config, tally, &project, args.quiet) {
                Ok((p, t)) => (precise, tally) = (Some(p), t),
                Err(e) => return engine_failure(Some(file), &e),
            }
        }
        if let Some(w) = &tally.weights {
            if let Some(msg) = attrition::projection::unexplained(model, w) {
                messages::error_in(file, &terminal(&msg));
                return EXIT_BAD_INPUT;
            }
            let ess = w.effective_paths();
            if !args.quiet && (ess < 1000.0 || ess < 0.01 * config.paths as f64) {
                messages::warning_in(file, &format!(
                    "the observations leave an effective sample size of {ess:.0} of {} paths: the weighted figures rest on few paths; run more (--min-effective-paths N) or check the observations' surprise (the prior percentiles)",
                    config.paths
                ));
            }
        }
        if !args.quiet {
            messages::info(&format!(
                "{}: {} paths in {:.2} s",
                terminal(&model.name),
                config.paths,
                started.elapsed().as_secs_f64()
            ));
        }
        let mut projection = match precise {
            Some(p) => p,
            None => project(&config, &tally),
        };
        projection.scenario.set = args.engine.set.iter().map(|o| o.arg.clone()).collect();
        projections.push(match fan {
            Some((series, paths)) => projection.with_fan(series, paths),
            None => projection,
        });
    }
    if let Some(dir) = &args.plot {
        // With the data the figures were drawn from, fan included, for `attrition plot`.
        let saved = report::render(Format::Json, &projections);
        if let Err(code) = write_figures(&targets, "--plot", dir, &projections, Some(saved)) {
            return code;
        }
    }
    let projections: Vec<Projection> = projections
        .into_iter()
        .map(Projection::without_fan)
        .collect();
    emit(args.out.as_deref(), &report::render(format, &projections))
}

/// The most paths `--min-effective-paths`, `--target-se` and `--target-days` add up to
/// unless `--max-paths` says.
const DEFAULT_MAX_PATHS: u64 = 10_000_000;

/// Paths per round of `--target-se` and `--target-days` unless `--round-paths` says.
const ROUND_PATHS: u64 = 65_536;

/// What `--target-se` and `--target-days` ask for, and the rounds they may take.
struct Targets {
    se: Option<f64>,
    days: Option<f64>,
    round: u64,
    max: u64,
}

impl Targets {
    /// Adds rounds of paths (each continuing the same run, `engine::run_more`, so the
    /// result is the bytes of one run of the paths used) until `p`, the projection of
    /// `tally`, meets the targets or the paths reach the most allowed; the projection,
    /// stating the precision reached. `config.paths` ends as the paths used.
    fn rounds(
        &self,
        model: &Model,
        config: &mut RunConfig,
        mut tally: engine::Tally,
        project: &dyn Fn(&RunConfig, &engine::Tally) -> Projection,
        quiet: bool,
    ) -> Result<(Projection, engine::Tally), EngineError> {
        let mut rounds = 1;
        loop {
            let mut p = project(config, &tally);
            let reached = precision::reached(&p);
            let met = self.se.is_none_or(|x| reached.se <= x)
                && self.days.is_none_or(|d| reached.days <= d);
            if met || config.paths >= self.max {
                if !met && !quiet {
                    messages::warning(&format!(
                        "{}: the precision asked for was not reached in {} paths (--max-paths): largest se {:.3e}, widest interval {} days; the output says so",
                        terminal(&model.name),
                        config.paths,
                        reached.se,
                        reached.days
                    ));
                }
                p.run.precision = Some(precision::Precision {
                    target_se: self.se,
                    target_days: self.days,
                    met,
                    rounds,
                    largest_se: reached.se,
                    widest_days: reached.days,
                });
                return Ok((p, tally));
            }
            let done = config.paths;
            config.paths = (done + self.round).min(self.max);
            let progress = watcher(quiet, &model.name, config.paths - done);
            tally = engine::run_more(model, config, progress.as_ref(), tally, done)?;
            clear_line(quiet);
            rounds += 1;
        }
    }
}

/// Adds paths in rounds until the weighted tally's effective sample size reaches
/// `target` or the paths reach `max`; `config.paths` ends as the paths used. Each round
/// continues the same run (`engine::run_more`), so the result is the bytes of one run of
/// that many paths.
fn more_paths(
    model: &Model,
    config: &mut RunConfig,
    mut tally: engine::Tally,
    target: u64,
    max: u64,
    quiet: bool,
) -> Result<engine::Tally, EngineError> {
    loop {
        let ess = tally.weights.as_ref().map_or(0.0, |w| w.effective_paths());
        if ess >= target as f64 || config.paths >= max {
            return Ok(tally);
        }
        // The effective share of paths stays about the same as paths are added: aim 10%
        // past the target, at most four times the paths so far per round.
        let done = config.paths;
        let aim = if ess > 0.0 {
            (done as f64 * target as f64 / ess * 1.1).ceil() as u64
        } else {
            done * 4
        };
        let next = aim
            .clamp(done + engine::BATCH_PATHS, done * 4)
            .div_ceil(engine::BATCH_PATHS)
            * engine::BATCH_PATHS;
        config.paths = next.min(max);
        let progress = watcher(quiet, &model.name, config.paths - done);
        tally = engine::run_more(model, config, progress.as_ref(), tally, done)?;
        clear_line(quiet);
        if !quiet {
            messages::info(&format!(
                "{}: {} paths, effective sample size {:.0}",
                terminal(&model.name),
                config.paths,
                tally.weights.as_ref().map_or(0.0, |w| w.effective_paths())
            ));
        }
    }
}

/// Declares `run`'s outputs: `--out`, `--samples` and the `--plot` folder; a refusal
/// comes with the flag it concerns.
fn declare_outputs(
    targets: &mut output::Targets,
    args: &RunArgs,
) -> Result<(), (&'static str, String)> {
    let flag = |flag: &'static str| move |msg: String| (flag, msg);
    if let Some(out) = &args.out {
        targets.output("--out", out).map_err(flag("--out"))?;
    }
    if let Some(samples) = &args.samples {
        targets
            .output("--samples", samples)
            .map_err(flag("--samples"))?;
    }
    if let Some(dir) = &args.plot {
        targets.output_dir("--plot", dir).map_err(flag("--plot"))?;
        // The data the figures are drawn from is saved beside them.
        targets
            .check_inside("--plot", &dir.join(FIGURES_RESULT))
            .map_err(flag("--plot"))?;
    }
    Ok(())
}
