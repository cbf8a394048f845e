//! `attrition run`: scenario files through the engine, to a table, JSON or CSV, with
//! figures and per-path samples on request; with `--shard I/N`, a part of the run for
//! `merge`, which finishes it with the same functions (`Job`, `check_weights`,
//! `projection`, `write`).

use super::args::RunArgs;
use super::figures::{fan, write_figures, FIGURES_RESULT};
use super::parts::{self, Pieces, Work};
use super::request::{
    proposal_name, proposal_of, stepping_name, stepping_of, EngineRequest, InputFile,
};
use super::rounds::{more_paths, Targets, DEFAULT_MAX_PATHS, ROUND_PATHS};
use super::samples::{run_with_samples, sample_format};
use super::*;
use attrition::projection::StockSeries;
use serde::{Deserialize, Serialize};

/// What `run` computes from: its files and the options that change the result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct RunRequest {
    pub files: Vec<InputFile>,
    pub engine: EngineRequest,
    pub stepping: String,
    pub proposal: String,
}

/// One file of a run, ready to run.
pub(super) struct Job {
    pub file: String,
    pub model: Model,
    pub config: RunConfig,
}

/// Where a run's output goes.
pub(super) struct Outputs<'a> {
    pub format: Format,
    pub out: Option<&'a std::path::Path>,
    pub plot: Option<&'a std::path::Path>,
}

impl RunRequest {
    /// The jobs of this request, each file loaded with the `--set` keys, the `--by`
    /// dates and the `--observe` files; every problem printed, and `None` if any.
    pub fn jobs(&self, threads: Option<u64>) -> Option<Vec<Job>> {
        let set = self.engine.overrides();
        let mut loaded = Vec::new();
        let mut failed = false;
        for f in &self.files {
            match f.load(&set) {
                Ok(model) => loaded.push((f.name.clone(), model)),
                Err(e) => {
                    messages::scenario(&e);
                    failed = true;
                }
            }
        }
        if failed {
            return None;
        }
        let mut jobs = Vec::with_capacity(loaded.len());
        for (file, mut model) in loaded {
            if let Err(msg) = self.engine.add_report_dates(&file, &mut model) {
                bad_argument("--by", &msg);
                return None;
            }
            if let Err(e) = self.engine.add_observations(&mut model) {
                messages::series(&e, Some("--observe"));
                return None;
            }
            model.proposal = proposal_of(&self.proposal);
            let config = self
                .engine
                .config(&model, stepping_of(&self.stepping), threads);
            jobs.push(Job {
                file,
                model,
                config,
            });
        }
        Some(jobs)
    }
}

pub(super) fn run(args: RunArgs) -> i32 {
    if let Err((flag, msg)) = refuse_with_shard(&args) {
        return bad_argument(flag, &msg);
    }
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
    let Some(files) = InputFile::scenarios(&args.files) else {
        return EXIT_BAD_INPUT;
    };
    let Some(engine) = EngineRequest::of(&args.engine) else {
        return EXIT_BAD_INPUT;
    };
    let request = RunRequest {
        files,
        engine,
        stepping: stepping_name(args.stepping),
        proposal: proposal_name(args.proposal),
    };
    let Some(mut jobs) = request.jobs(args.engine.threads) else {
        return EXIT_BAD_INPUT;
    };
    if args.min_effective_paths.is_some() {
        if let Some(job) = jobs.iter().find(|j| j.model.observations.is_empty()) {
            return bad_argument("--min-effective-paths", &format!("--min-effective-paths: {} has no observations, so every path counts fully; give --paths instead", job.file));
        }
    }
    // From here on Ctrl-C stops the engine at its next batch; nothing is written before
    // the run ends, so stopping early loses nothing but time. (Before, the default
    // action ends the process, which is as harmless.)
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::Relaxed));
    if let (Some(shard), Some(out)) = (args.shard.shard, &args.out) {
        return shard_part(request, &jobs, shard, out, args.quiet);
    }
    let mut projections = Vec::with_capacity(jobs.len());
    let max = args.max_paths.unwrap_or(DEFAULT_MAX_PATHS);
    let round = args.round_paths.unwrap_or(ROUND_PATHS);
    for job in &mut jobs {
        if targeted {
            // The first round; the rest are added until the targets are met.
            job.config.paths = round.min(max);
        }
        // The fan chart's own run, which cannot touch the result's. It goes first: the
        // result's run commits --samples when it ends, and an interrupt of the fan's run
        // after that would leave a file behind.
        let fan = match &args.plot {
            Some(_) => match fan(&job.model, &job.config, args.quiet) {
                Ok(f) => Some(f),
                Err(e) => return engine_failure(Some(&job.file), &e),
            },
            None => None,
        };
        let started = Instant::now();
        let progress = watcher(args.quiet, &job.model.name, job.config.paths);
        let result = match &args.samples {
            Some(path) => run_with_samples(&job.model, &job.config, path, progress.as_ref()),
            None => engine::run(&job.model, &job.config, progress.as_ref()),
        };
        clear_line(args.quiet);
        let mut tally = match result {
            Ok(t) => t,
            Err(e) => return engine_failure(Some(&job.file), &e),
        };
        if let Some(target) = args.min_effective_paths {
            let max = max.max(job.config.paths);
            match more_paths(&job.model, &mut job.config, tally, target, max, args.quiet) {
                Ok(t) => tally = t,
                Err(e) => return engine_failure(Some(&job.file), &e),
            }
        }
        let mut precise = None;
        if targeted {
            let targets = Targets {
                se: args.target_se,
                days: args.target_days,
                round,
                max,
            };
            let (file, model) = (job.file.clone(), job.model.clone());
            let project = |config: &RunConfig, tally: &engine::Tally| {
                let at = Job {
                    file: file.clone(),
                    model: model.clone(),
                    config: *config,
                };
                projection(&request, &at, tally, None)
            };
            match targets.rounds(&job.model, &mut job.config, tally, &project, args.quiet) {
                Ok((p, t)) => (precise, tally) = (Some(p), t),
                Err(e) => return engine_failure(Some(&job.file), &e),
            }
        }
        if let Err(code) = check_weights(job, &tally, args.quiet) {
            return code;
        }
        if !args.quiet {
            messages::info(&format!(
                "{}: {} paths in {:.2} s",
                terminal(&job.model.name),
                job.config.paths,
                started.elapsed().as_secs_f64()
            ));
        }
        projections.push(match precise {
            // The projection the rounds stopped at, stating the precision reached.
            Some(p) => with_fan(p, fan),
            None => projection(&request, job, &tally, fan),
        });
    }
    let outputs = Outputs {
        format: args.format.unwrap_or(Format::Table),
        out: args.out.as_deref(),
        plot: args.plot.as_deref(),
    };
    write(&targets, &outputs, projections)
}

/// A run's shard: the pieces of its files that shard `shard` covers, written to `out`.
fn shard_part(
    request: RunRequest,
    jobs: &[Job],
    shard: attrition::shard::Shard,
    out: &std::path::Path,
    quiet: bool,
) -> i32 {
    let slots: Vec<(u64, u64)> = jobs
        .iter()
        .map(|j| (j.config.seed, j.config.paths))
        .collect();
    let started = Instant::now();
    let plan = parts::plan(&slots, shard);
    let label = format!("shard {shard}");
    let counted = parts::count_pieces(
        &plan,
        &label,
        parts::paths_of(&plan),
        quiet,
        |piece, progress| {
            let job = &jobs[piece.job];
            engine::run_range(&job.model, &job.config, piece.paths.clone(), progress)
                .map_err(|e| (Some(job.file.clone()), e))
        },
    );
    let counted = match counted {
        Ok(c) => c,
        Err(code) => return code,
    };
    let hash = parts::inputs_hash("run", &request);
    let work = Work::Run(Pieces {
        request,
        pieces: counted,
    });
    parts::write(out, shard, &slots, hash, work, quiet, started)
}

/// What `--shard` cannot go with: the outputs that `merge` makes (the format and the
/// figures), and what needs the whole run (samples, rounds of paths); and it needs
/// `--out` for its part. A refusal comes with the flag it concerns.
fn refuse_with_shard(args: &RunArgs) -> Result<(), (&'static str, String)> {
    let Some(shard) = args.shard.shard else {
        return Ok(());
    };
    if let Some(msg) = parts::refused_with_shard(
        Some(shard),
        args.out.is_some(),
        args.format.is_some(),
        args.plot.is_some(),
    ) {
        return Err(("--shard", msg));
    }
    let flag =
        |name: &str, why: &str| Err(("--shard", format!("--shard {shard} and {name}: {why}")));
    if args.samples.is_some() {
        return flag(
            "--samples",
            "per-path samples are not split into shards; run without --shard",
        );
    }
    if args.min_effective_paths.is_some() {
        return flag(
            "--min-effective-paths",
            "its rounds need the whole run's weights; give --paths",
        );
    }
    if args.target_se.is_some() || args.target_days.is_some() {
        return flag(
            "--target-se or --target-days",
            "their rounds need the whole run's figures; give --paths",
        );
    }
    Ok(())
}

/// Checks a weighted run's tally: an error (exit 2) if the observations are explained by
/// no path, a warning if few paths carry the weight. Unweighted runs pass.
pub(super) fn check_weights(job: &Job, tally: &engine::Tally, quiet: bool) -> Result<(), i32> {
    if let Some(w) = &tally.weights {
        if let Some(msg) = attrition::projection::unexplained(&job.model, w) {
            messages::error_in(&job.file, &terminal(&msg));
            return Err(EXIT_BAD_INPUT);
        }
        let ess = w.effective_paths();
        if !quiet && (ess < 1000.0 || ess < 0.01 * job.config.paths as f64) {
            messages::warning_in(&job.file, &format!(
                "the observations leave an effective sample size of {ess:.0} of {} paths: the weighted figures rest on few paths; run more (--min-effective-paths N) or check the observations' surprise (the prior percentiles)",
                job.config.paths
            ));
        }
    }
    Ok(())
}

/// The projection of one file's tally, with its fan chart when figures are drawn.
pub(super) fn projection(
    request: &RunRequest,
    job: &Job,
    tally: &engine::Tally,
    fan: Option<(Vec<StockSeries>, u64)>,
) -> Projection {
    let (model, config, file) = (&job.model, &job.config, job.file.as_str());
    let mut projection = match request.engine.quantiles() {
        Some(q) => Projection::at_levels(model, config, tally, Some(file), &q.0, &q.0),
        None => Projection::from_tally(model, config, tally, Some(file)),
    };
    projection.scenario.set = request.engine.set.clone();
    with_fan(projection, fan)
}

fn with_fan(projection: Projection, fan: Option<(Vec<StockSeries>, u64)>) -> Projection {
    match fan {
        Some((series, paths)) => projection.with_fan(series, paths),
        None => projection,
    }
}

/// Writes a run's output: the figures (with the data they were drawn from) when asked,
/// then the data output. Returns the exit status.
pub(super) fn write(
    targets: &output::Targets,
    outputs: &Outputs,
    projections: Vec<Projection>,
) -> i32 {
    if let Some(dir) = outputs.plot {
        // With the data the figures were drawn from, fan included, for `attrition plot`.
        let saved = report::render(Format::Json, &projections);
        if let Err(code) = write_figures(targets, "--plot", dir, &projections, Some(saved)) {
            return code;
        }
    }
    let projections: Vec<Projection> = projections
        .into_iter()
        .map(Projection::without_fan)
        .collect();
    emit(outputs.out, &report::render(outputs.format, &projections))
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
