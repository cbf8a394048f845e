//! `attrition sweep`: one scenario at every point of a grid, all on the same paths, to a
//! tidy table (table, JSON, CSV, Parquet) and figures; with `--shard I/N`, a part of the
//! sweep for `merge`, which finishes it with the same functions (`Prepared`, `point`,
//! `write`).

use super::args::SweepArgs;
use super::parts::{self, Pieces, Work};
use super::request::{
    proposal_name, proposal_of, stepping_name, stepping_of, EngineRequest, InputFile,
};
use super::run::{check_weights, Job};
use super::*;
use attrition::report::sweep::SweepFormat;
use attrition::scenario::grid::{self, Grid};
use attrition::sweep::{Parameter, Point, Sweep};
use serde::{Deserialize, Serialize};

/// What `sweep` computes from: the file, the grid as given (`None`: the file's
/// `[sweep]`), and the options that change the result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct SweepRequest {
    pub file: InputFile,
    pub grid: Option<Vec<String>>,
    pub engine: EngineRequest,
    pub stepping: String,
    pub proposal: String,
}

/// A sweep ready to run: the base model, the grid and every point as a job (all with
/// the same paths and seed).
pub(super) struct Prepared {
    pub base: Model,
    pub grid: Grid,
    pub parameters: Vec<Parameter>,
    pub jobs: Vec<Job>,
}

/// Where a sweep's output goes.
pub(super) struct Outputs<'a> {
    pub format: SweepFormat,
    pub out: Option<&'a std::path::Path>,
    pub plot: Option<&'a std::path::Path>,
}

impl SweepRequest {
    /// The sweep this request asks for; every problem printed, and the exit status if
    /// any.
    pub fn prepare(&self, threads: Option<u64>) -> Result<Prepared, i32> {
        let name = &self.file.name;
        let set = self.engine.overrides();
        let scenario_error = |e: attrition::scenario::ScenarioError| {
            messages::scenario(&e);
            EXIT_BAD_INPUT
        };
        let base = self.file.load(&set).map_err(scenario_error)?;
        // The loader has read the text: it is UTF-8.
        let text = attrition::scenario::text_of(name, &self.file.bytes).map_err(scenario_error)?;
        // A grid that does not fit the file: the file and `--grid` both named.
        let refuse = |m: String| {
            messages::error_arg_in("--grid", name, &m);
            EXIT_BAD_INPUT
        };
        let grid = match &self.grid {
            Some(args) => Grid::from_args(args),
            None => match Grid::of_file(name, text) {
                Ok(Some(g)) => Ok(g),
                Ok(None) => Err(
                    "has no [sweep] table: give the keys to sweep with --grid KEY=V1,V2,... (docs/sweeps.md)".to_string()
                ),
                Err(e) => return Err(scenario_error(e)),
            },
        };
        let grid = grid
            .and_then(|g| {
                g.check_against(&set)
                    .map(|_| g)
                    .map_err(|m| format!("--grid: {m}"))
            })
            .map_err(refuse)?;
        let models = grid::load_points(name, text, &set, &grid).map_err(scenario_error)?;
        if let Err(m) = attrition::sweep::check_points(&grid, &models) {
            return Err(refuse(m));
        }
        // Every point on the base's paths and seed (the grid cannot set them).
        let config = self
            .engine
            .config(&base, stepping_of(&self.stepping), threads);
        let mut jobs = Vec::with_capacity(models.len());
        for (p, mut model) in models.into_iter().enumerate() {
            let file = format!("{name} (sweep point {p}: {})", grid.describe(p));
            if let Err(msg) = self.engine.add_report_dates(&file, &mut model) {
                return Err(bad_argument("--by", &msg));
            }
            if let Err(e) = self.engine.add_observations(&mut model) {
                messages::series(&e, Some("--observe"));
                return Err(EXIT_BAD_INPUT);
            }
            model.proposal = proposal_of(&self.proposal);
            jobs.push(Job {
                file,
                model,
                config,
            });
        }
        let parameters = Parameter::of(&grid);
        Ok(Prepared {
            base,
            grid,
            parameters,
            jobs,
        })
    }

    /// The levels of the crossing-date quantiles.
    pub fn levels(&self) -> Vec<f64> {
        self.engine
            .quantiles()
            .map_or(attrition::projection::CROSSING_LEVELS.to_vec(), |q| q.0)
    }
}

pub(super) fn sweep(args: SweepArgs) -> i32 {
    if let Some(msg) = parts::refused_with_shard(
        args.shard.shard,
        args.out.is_some(),
        args.format.is_some(),
        args.plot.is_some(),
    ) {
        return bad_argument("--shard", &msg);
    }
    let format = args.format.unwrap_or(SweepFormat::Table);
    if format == SweepFormat::Parquet && args.out.is_none() {
        return bad_argument(
            "--format",
            "--format parquet writes a binary file: give --out FILE.parquet",
        );
    }
    let mut targets = output::Targets::new();
    targets.input("the scenario file", &args.file);
    for f in &args.engine.observe {
        targets.input("the --observe file", f);
    }
    if let Err((flag, msg)) =
        declare_outputs(&mut targets, args.out.as_deref(), args.plot.as_deref())
    {
        return bad_argument(flag, &msg);
    }
    let Some(mut files) = InputFile::scenarios(std::slice::from_ref(&args.file)) else {
        return EXIT_BAD_INPUT;
    };
    let Some(engine) = EngineRequest::of(&args.engine) else {
        return EXIT_BAD_INPUT;
    };
    let request = SweepRequest {
        file: files.remove(0),
        grid: (!args.grid.is_empty()).then(|| args.grid.clone()),
        engine,
        stepping: stepping_name(args.stepping),
        proposal: proposal_name(args.proposal),
    };
    let prepared = match request.prepare(args.engine.threads) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::Relaxed));
    let started = Instant::now();
    let slots: Vec<(u64, u64)> = prepared
        .jobs
        .iter()
        .map(|j| (j.config.seed, j.config.paths))
        .collect();
    if let (Some(shard), Some(out)) = (args.shard.shard, &args.out) {
        let plan = parts::plan(&slots, shard);
        let label = format!("sweep shard {shard}");
        let counted = parts::count_pieces(
            &plan,
            &label,
            parts::paths_of(&plan),
            args.quiet,
            |piece, progress| {
                let job = &prepared.jobs[piece.job];
                engine::run_range(&job.model, &job.config, piece.paths.clone(), progress)
                    .map_err(|e| (Some(job.file.clone()), e))
            },
        );
        let counted = match counted {
            Ok(c) => c,
            Err(code) => return code,
        };
        let hash = parts::inputs_hash("sweep", &request);
        let work = Work::Sweep(Pieces {
            request,
            pieces: counted,
        });
        return parts::write(out, shard, &slots, hash, work, args.quiet, started);
    }
    let total: u64 = slots.iter().map(|s| s.1).sum();
    let label = format!("sweep of {}", prepared.base.name);
    let progress = watcher(args.quiet, &label, total);
    let levels = request.levels();
    let mut points = Vec::with_capacity(prepared.jobs.len());
    for (p, job) in prepared.jobs.iter().enumerate() {
        let tally = match engine::run(&job.model, &job.config, progress.as_ref()) {
            Ok(t) => t,
            Err(e) => {
                clear_line(args.quiet);
                return engine_failure(Some(&job.file), &e);
            }
        };
        match point(&prepared, p, &tally, &levels, args.quiet) {
            Ok(pt) => points.push(pt),
            Err(code) => {
                clear_line(args.quiet);
                return code;
            }
        }
    }
    clear_line(args.quiet);
    if !args.quiet {
        messages::info(&format!(
            "sweep of {}: {} points x {} paths in {:.2} s",
            terminal(&prepared.base.name),
            prepared.jobs.len(),
            prepared.jobs.first().map_or(0, |j| j.config.paths),
            started.elapsed().as_secs_f64()
        ));
    }
    let outputs = Outputs {
        format,
        out: args.out.as_deref(),
        plot: args.plot.as_deref(),
    };
    write(&targets, &request, &prepared, points, &outputs)
}

/// Point `p`'s row from its tally (checked as `run` checks a weighted tally).
pub(super) fn point(
    prepared: &Prepared,
    p: usize,
    tally: &engine::Tally,
    levels: &[f64],
    quiet: bool,
) -> Result<Point, i32> {
    let job = &prepared.jobs[p];
    check_weights(job, tally, quiet)?;
    Ok(Point::new(
        p,
        &prepared.grid,
        &prepared.parameters,
        &job.model,
        &job.config,
        tally,
        levels,
    ))
}

/// Writes a sweep's output: its figures when asked, then the data. Returns the exit
/// status.
pub(super) fn write(
    targets: &output::Targets,
    request: &SweepRequest,
    prepared: &Prepared,
    points: Vec<Point>,
    outputs: &Outputs,
) -> i32 {
    let first = &prepared.jobs[0];
    let sweep = Sweep::new(
        &prepared.base,
        &first.model,
        Some(&request.file.name),
        request.engine.set.clone(),
        &prepared.grid,
        &first.config,
        &request.levels(),
        points,
    );
    if let Some(dir) = outputs.plot {
        let files: Vec<(String, Vec<u8>)> = report::svg::sweep_figures(&sweep)
            .into_iter()
            .map(|(name, svg)| (name, svg.into_bytes()))
            .collect();
        for (name, _) in &files {
            if let Err(msg) = targets.check_inside("--plot", &dir.join(name)) {
                return bad_argument("--plot", &msg);
            }
        }
        if let Err(e) = output::write_all_atomic(dir, &files) {
            messages::error_arg(
                "--plot",
                &format!(
                    "cannot write the figures into {}: {e} (no figure was written)",
                    dir.display()
                ),
            );
            return EXIT_FAILURE;
        }
    }
    emit(
        outputs.out,
        &attrition::report::sweep::render(outputs.format, &sweep),
    )
}

/// Declares a sweep's (or its merge's) outputs: `--out` and the `--plot` folder; a
/// refusal comes with the flag it concerns.
pub(super) fn declare_outputs(
    targets: &mut output::Targets,
    out: Option<&std::path::Path>,
    plot: Option<&std::path::Path>,
) -> Result<(), (&'static str, String)> {
    if let Some(out) = out {
        targets.output("--out", out).map_err(|m| ("--out", m))?;
    }
    if let Some(dir) = plot {
        targets
            .output_dir("--plot", dir)
            .map_err(|m| ("--plot", m))?;
    }
    Ok(())
}
