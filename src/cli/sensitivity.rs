//! `attrition sensitivity`: Sobol indices and a tornado of one scenario file, to a
//! table, JSON or CSV, with figures on request. Every argument is checked, and every
//! output declared, before the engine runs; nothing is written until both runs end.

use super::args::SensitivityArgs;
use super::parts::{self, Pieces, Work};
use super::request::{EngineRequest, InputFile};
use super::*;
use attrition::engine::sensitivity::{GroupError, Grouping, SobolTally};
use attrition::engine::Tally;
use attrition::sensitivity::tornado::{self, Plan};
use attrition::sensitivity::{self as sens, Design, DesignError, Sensitivity};
use serde::{Deserialize, Serialize};

/// What `sensitivity` computes from: its file and the options that change the result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct SensitivityRequest {
    pub file: InputFile,
    pub engine: EngineRequest,
    pub threshold: Option<String>,
    pub group: Grouping,
}

/// A request made ready: the model, the design, the tornado's runs and the settings.
pub(super) struct Prepared {
    pub file: String,
    pub model: Model,
    pub design: Design,
    pub tornado: Plan,
    pub config: RunConfig,
    /// The tornado's crossing-date quantiles.
    pub levels: Vec<f64>,
}

impl Prepared {
    /// The jobs of a shard's plan, `(seed, path slots)` each: the pick-freeze design,
    /// whose base paths cost `k + 2` simulated paths each and so count as many slots
    /// (shards then get equal work), then each tornado run's paths.
    pub fn slots(&self) -> Vec<(u64, u64)> {
        let (seed, paths) = (self.config.seed, self.config.paths);
        let mut slots = vec![(seed, paths * self.design_width())];
        slots.extend(self.tornado.models().iter().map(|_| (seed, paths)));
        slots
    }

    /// Simulated paths per base path of the design: A, B and one per group.
    fn design_width(&self) -> u64 {
        self.design.groups.len() as u64 + 2
    }

    /// The base paths of the design's path slots `slots`: base path `b` is slots
    /// `b w .. (b + 1) w`, and belongs to the stretch holding its first slot, so that
    /// adjacent stretches of slots give adjacent, disjoint base paths (maybe none).
    pub fn base_paths(&self, slots: &std::ops::Range<u64>) -> std::ops::Range<u64> {
        let w = self.design_width();
        slots.start.div_ceil(w)..slots.end.div_ceil(w)
    }
}

/// What a shard counted on one piece: of the indices' design, or of a tornado run.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum SensitivityTally {
    Indices(SobolTally),
    /// Boxed: a run's tally is three times the size of the indices' (clippy's
    /// large_enum_variant); serde writes it unboxed.
    Run(Box<Tally>),
}

impl SensitivityRequest {
    /// The request ready to run; every problem printed, and the exit status if any.
    pub fn prepare(&self, threads: Option<u64>) -> Result<Prepared, i32> {
        let mut model = self.file.load(&self.engine.overrides()).map_err(|e| {
            messages::scenario(&e);
            EXIT_BAD_INPUT
        })?;
        let file = self.file.name.clone();
        if let Err(msg) = self.engine.add_report_dates(&file, &mut model) {
            return Err(bad_argument("--by", &msg));
        }
        let threshold = match &self.threshold {
            None => None,
            Some(name) => match model.thresholds.iter().position(|t| &t.name == name) {
                Some(i) => Some(i),
                None => {
                    let known: Vec<String> = model
                        .thresholds
                        .iter()
                        .map(|t| format!("'{}'", terminal(&t.name)))
                        .collect();
                    return Err(bad_argument(
                        "--threshold",
                        &format!(
                            "--threshold '{}': {file} has no threshold of that name (it has {})",
                            terminal(name),
                            if known.is_empty() {
                                "none".to_string()
                            } else {
                                known.join(", ")
                            }
                        ),
                    ));
                }
            },
        };
        let design =
            Design::new(&model, self.group, threshold).map_err(|e| design_error(&file, &e))?;
        let config = self.engine.config(&model, Stepping::Auto, threads);
        let levels = self.engine.quantiles.clone().unwrap_or_else(|| vec![0.5]);
        let tornado = Plan::new(&model);
        Ok(Prepared {
            file,
            model,
            design,
            tornado,
            config,
            levels,
        })
    }
}

/// Where the result goes.
pub(super) struct Outputs<'a> {
    pub format: Format,
    pub out: Option<&'a std::path::Path>,
    pub plot: Option<&'a std::path::Path>,
}

pub(super) fn sensitivity(args: SensitivityArgs) -> i32 {
    if let Some(msg) = parts::refused_with_shard(
        args.shard.shard,
        args.out.is_some(),
        args.format.is_some(),
        args.plot.is_some(),
    ) {
        return bad_argument("--shard", &msg);
    }
    let mut targets = output::Targets::new();
    targets.input("the scenario file", &args.file);
    if let Err((flag, msg)) = declare_outputs(&mut targets, &args) {
        return bad_argument(flag, &msg);
    }
    if let Some(csv) = args.engine.observe.first() {
        return bad_argument(
            "--observe",
            &format!(
                "--observe {}: observations weight the paths, and Sobol indices by pick-freeze assume paths drawn from the inputs' own distributions, each counting once (docs/sensitivity.md); analyse the scenario without them",
                csv.display()
            ),
        );
    }
    let Some(mut files) = InputFile::scenarios(std::slice::from_ref(&args.file)) else {
        return EXIT_BAD_INPUT;
    };
    let Some(engine) = EngineRequest::of(&args.engine) else {
        return EXIT_BAD_INPUT;
    };
    let request = SensitivityRequest {
        file: files.remove(0),
        engine,
        threshold: args.threshold.clone(),
        group: args.group,
    };
    let prepared = match request.prepare(args.engine.threads) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::Relaxed));
    if let (Some(shard), Some(out)) = (args.shard.shard, &args.out) {
        return shard_part(request, &prepared, shard, out, args.quiet);
    }
    let (model, design, config) = (&prepared.model, &prepared.design, &prepared.config);
    let started = Instant::now();
    let label = format!("{} (Sobol indices)", model.name);
    let progress = watcher(args.quiet, &label, config.paths);
    let tally = sens::indices(model, design, config, progress.as_ref());
    clear_line(args.quiet);
    let tally = match tally {
        Ok(t) => t,
        Err(e) => return engine_failure(Some(&prepared.file), &e),
    };
    if !args.quiet {
        messages::info(&format!(
            "{}: Sobol indices of {} groups from {} base paths ({} paths) in {:.2} s",
            terminal(&model.name),
            design.groups.len(),
            config.paths,
            config.paths * design.paths_per_base_path(),
            started.elapsed().as_secs_f64()
        ));
    }
    let started = Instant::now();
    let models = prepared.tornado.models();
    let label = format!("{} (tornado)", model.name);
    let progress = watcher(args.quiet, &label, config.paths * models.len() as u64);
    let mut runs = Vec::with_capacity(models.len());
    for m in &models {
        match engine::run(m, config, progress.as_ref()) {
            Ok(t) => runs.push(tornado::project(m, config, &t, &prepared.levels)),
            Err(e) => {
                clear_line(args.quiet);
                return engine_failure(Some(&prepared.file), &e);
            }
        }
    }
    clear_line(args.quiet);
    if !args.quiet && !models.is_empty() {
        messages::info(&format!(
            "{}: tornado of {} runs of {} paths in {:.2} s",
            terminal(&model.name),
            models.len(),
            config.paths,
            started.elapsed().as_secs_f64()
        ));
    }
    let outputs = Outputs {
        format: args.format.unwrap_or(Format::Table),
        out: args.out.as_deref(),
        plot: args.plot.as_deref(),
    };
    finish(&targets, &request, &prepared, &tally, &runs, &outputs)
}

/// The result of the indices' tally and the tornado's runs (their projections, in
/// `Plan::models` order), written where `outputs` says: the one-machine command's, and
/// `merge`'s of the parts.
pub(super) fn finish(
    targets: &output::Targets,
    request: &SensitivityRequest,
    prepared: &Prepared,
    tally: &SobolTally,
    runs: &[Projection],
    outputs: &Outputs,
) -> i32 {
    let tornado = prepared
        .tornado
        .assemble(&prepared.design.thresholds, &prepared.levels, runs);
    let mut result = Sensitivity::new(
        &prepared.model,
        &prepared.config,
        &prepared.design,
        tally,
        tornado,
        Some(&prepared.file),
    );
    result.scenario.set = request.engine.set.clone();
    if let Some(dir) = outputs.plot {
        let files = report::svg::sensitivity_figures(&result);
        if let Err(code) = write_files(targets, dir, files) {
            return code;
        }
    }
    let bytes = match outputs.format {
        Format::Table => report::sensitivity::table(&result).into_bytes(),
        Format::Json => report::sensitivity::json(&result),
        Format::Csv => report::sensitivity::csv(&result).into_bytes(),
    };
    emit(outputs.out, &bytes)
}

/// A sensitivity analysis's shard: the pieces of its design and its tornado runs that
/// shard `shard` covers, written to `out`.
fn shard_part(
    request: SensitivityRequest,
    prepared: &Prepared,
    shard: attrition::shard::Shard,
    out: &std::path::Path,
    quiet: bool,
) -> i32 {
    let slots = prepared.slots();
    let models = prepared.tornado.models();
    let started = Instant::now();
    let plan = parts::plan(&slots, shard);
    let label = format!("shard {shard}");
    // The design's progress counts base paths, the runs' paths.
    let work: u64 = plan
        .iter()
        .map(|p| match p.job {
            0 => {
                let base = prepared.base_paths(&p.paths);
                base.end - base.start
            }
            _ => p.paths.end - p.paths.start,
        })
        .sum();
    let (model, design, config) = (&prepared.model, &prepared.design, &prepared.config);
    let counted = parts::count_pieces(&plan, &label, work, quiet, |piece, progress| {
        let range = piece.paths.clone();
        match piece.job {
            0 => attrition::engine::sensitivity::run_range(
                model,
                config,
                &design.groups,
                &design.outputs,
                prepared.base_paths(&range),
                progress,
            )
            .map(SensitivityTally::Indices),
            j => engine::run_range(models[j - 1], config, range, progress)
                .map(|t| SensitivityTally::Run(Box::new(t))),
        }
        .map_err(|e| (Some(prepared.file.clone()), e))
    });
    let counted = match counted {
        Ok(c) => c,
        Err(code) => return code,
    };
    let hash = parts::inputs_hash("sensitivity", &request);
    let work = Work::Sensitivity(Pieces {
        request,
        pieces: counted,
    });
    parts::write(out, shard, &slots, hash, work, quiet, started)
}

/// Reports what went wrong with the design, for the user; exit status 2.
fn design_error(file: &str, e: &DesignError) -> i32 {
    let in_file = |msg: String| {
        messages::error_in(file, &msg);
        EXIT_BAD_INPUT
    };
    match e {
        DesignError::Weighted => in_file(EngineError::Weighted.to_string()),
        DesignError::TooLarge { outputs, groups } => in_file(format!(
            "{outputs} outputs (crossing days, P(crossed by) each report date, stocks) times {groups} groups need more sums than one analysis keeps; analyse one threshold (--threshold NAME), report on fewer dates, or group the inputs (--group side or mechanism)"
        )),
        DesignError::Groups(GroupError::NothingVaries) => in_file(
            "no input varies from path to path and there is no day-to-day noise: there is nothing to share the variance among".to_string()
        ),
        DesignError::Groups(GroupError::TooFew { grouping, found }) => {
            let what = match grouping {
                Grouping::Side => "sides with uncertain inputs of their own",
                _ => "mechanisms among its uncertain inputs (day-0 stocks, rates, forces, phases, events, regimes, trend)",
            };
            bad_argument(
                "--group",
                &format!(
                    "--group {}: {file} has {found} {what}, so there are no such groups to compare; use --group input",
                    grouping.name()
                ),
            )
        }
    }
}

/// Declares `sensitivity`'s outputs: `--out` and the `--plot` folder; a refusal comes
/// with the flag it concerns.
fn declare_outputs(
    targets: &mut output::Targets,
    args: &SensitivityArgs,
) -> Result<(), (&'static str, String)> {
    if let Some(out) = &args.out {
        targets.output("--out", out).map_err(|m| ("--out", m))?;
    }
    if let Some(dir) = &args.plot {
        targets
            .output_dir("--plot", dir)
            .map_err(|m| ("--plot", m))?;
    }
    Ok(())
}

/// Writes `files` into `dir`, all or nothing, after checking each against the inputs
/// and the other outputs.
fn write_files(
    targets: &output::Targets,
    dir: &std::path::Path,
    files: Vec<(String, String)>,
) -> Result<(), i32> {
    let files: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|(name, svg)| (name, svg.into_bytes()))
        .collect();
    for (name, _) in &files {
        if let Err(msg) = targets.check_inside("--plot", &dir.join(name)) {
            return Err(bad_argument("--plot", &msg));
        }
    }
    output::write_all_atomic(dir, &files).map_err(|e| {
        messages::error_arg(
            "--plot",
            &format!(
                "cannot write the figures into {}: {e} (no figure was written)",
                dir.display()
            ),
        );
        EXIT_FAILURE
    })
}
