//! `attrition compare`: scenarios on common random numbers; with `--shard I/N`, a part of
//! the paired run for `merge`, which finishes it with `finish`.

use super::args::{CompareArgs, CompareFormat};
use super::parts::{self, Pieces, Work};
use super::request::{EngineRequest, InputFile};
use super::*;
use attrition::engine::compare::PairTally;
use serde::{Deserialize, Serialize};

/// What `compare` computes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct CompareRequest {
    pub files: Vec<InputFile>,
    pub engine: EngineRequest,
    pub threshold: Option<String>,
    pub independent: bool,
}

/// A comparison ready to run: its models, the threshold compared in each, the settings.
pub(super) struct Prepared {
    pub models: Vec<Model>,
    pub name: String,
    pub thresholds: Vec<usize>,
    pub config: RunConfig,
}

impl CompareRequest {
    /// The comparison this request asks for; every problem printed, and the exit
    /// status if any.
    pub fn prepare(&self, threads: Option<u64>) -> Result<Prepared, i32> {
        let set = self.engine.overrides();
        let mut loaded = Vec::new();
        let mut failed = false;
        for f in &self.files {
            match f.load(&set) {
                Ok(m) => loaded.push((f.name.clone(), m)),
                Err(e) => {
                    messages::scenario(&e);
                    failed = true;
                }
            }
        }
        if failed {
            return Err(EXIT_BAD_INPUT);
        }
        for (file, model) in &mut loaded {
            if let Err(msg) = self.engine.add_report_dates(file, model) {
                return Err(bad_argument("--by", &msg));
            }
            // Every scenario weighted by the same reports, as `run --observe` weights one.
            if let Err(e) = self.engine.add_observations(model) {
                messages::series(&e, Some("--observe"));
                return Err(EXIT_BAD_INPUT);
            }
        }
        let base = &loaded[0].1;
        let name = match &self.threshold {
            Some(n) => n.clone(),
            None => match base.thresholds.first() {
                Some(t) => t.name.clone(),
                None => {
                    messages::error_in(&loaded[0].0, "has no [[thresholds]] to compare");
                    return Err(EXIT_BAD_INPUT);
                }
            },
        };
        let mut thresholds = Vec::new();
        for (file, m) in &loaded {
            if m.reference_date != base.reference_date {
                messages::error_in(
                    file,
                    &format!(
                        "reference date {} differs from the baseline's {}; compared scenarios share day 0",
                        m.reference_date, base.reference_date
                    ),
                );
                return Err(EXIT_BAD_INPUT);
            }
            match m.thresholds.iter().position(|t| t.name == name) {
                Some(i) => thresholds.push(i),
                None => {
                    messages::error_in(file, &format!("has no threshold named '{name}'"));
                    return Err(EXIT_BAD_INPUT);
                }
            }
        }
        let config = self.engine.config(base, Stepping::Auto, threads);
        let models = loaded.into_iter().map(|(_, m)| m).collect();
        Ok(Prepared {
            models,
            name,
            thresholds,
            config,
        })
    }
}

pub(super) fn compare(args: CompareArgs) -> i32 {
    let mut targets = output::Targets::new();
    for f in &args.files {
        targets.input("the scenario file", f);
    }
    for f in &args.engine.observe {
        targets.input("the --observe file", f);
    }
    let shard = args.shard.shard;
    if let Some(msg) =
        parts::refused_with_shard(shard, args.out.is_some(), args.format.is_some(), false)
    {
        return bad_argument("--shard", &msg);
    }
    if let Some(out) = &args.out {
        if let Err(msg) = targets.output("--out", out) {
            return bad_argument("--out", &msg);
        }
    }
    let Some(files) = InputFile::scenarios(&args.files) else {
        return EXIT_BAD_INPUT;
    };
    let Some(engine) = EngineRequest::of(&args.engine) else {
        return EXIT_BAD_INPUT;
    };
    let request = CompareRequest {
        files,
        engine,
        threshold: args.threshold.clone(),
        independent: args.independent,
    };
    let prepared = match request.prepare(args.engine.threads) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let models: Vec<&Model> = prepared.models.iter().collect();
    let config = prepared.config;
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::Relaxed));
    let started = Instant::now();
    if let (Some(shard), Some(out)) = (args.shard.shard, &args.out) {
        let jobs = [(config.seed, config.paths)];
        let plan = parts::plan(&jobs, shard);
        let counted = parts::count_pieces(
            &plan,
            "compare",
            parts::paths_of(&plan),
            args.quiet,
            |piece, progress| {
                engine::compare::compare_range(
                    &models,
                    &prepared.thresholds,
                    &config,
                    request.independent,
                    piece.paths.clone(),
                    progress,
                )
                .map_err(|e| (None, e))
            },
        );
        let counted = match counted {
            Ok(c) => c,
            Err(code) => return code,
        };
        let hash = parts::inputs_hash("compare", &request);
        let work = Work::Compare(Pieces {
            request,
            pieces: counted,
        });
        return parts::write(out, shard, &jobs, hash, work, args.quiet, started);
    }
    let progress = watcher(args.quiet, "compare", config.paths);
    let result = engine::compare::compare(
        &models,
        &prepared.thresholds,
        &config,
        request.independent,
        progress.as_ref(),
    );
    clear_line(args.quiet);
    let tallies = match result {
        Ok(t) => t,
        Err(e) => return engine_failure(None, &e),
    };
    if !args.quiet {
        messages::info(&format!(
            "compared {} scenarios on {} paths in {:.2} s",
            models.len(),
            config.paths,
            started.elapsed().as_secs_f64()
        ));
    }
    let format = args.format.unwrap_or(CompareFormat::Table);
    finish(
        &request,
        &prepared,
        &tallies,
        format,
        args.out.as_deref(),
        args.quiet,
    )
}

/// Writes a comparison's output from its tallies. Returns the exit status.
pub(super) fn finish(
    request: &CompareRequest,
    prepared: &Prepared,
    tallies: &[PairTally],
    format: CompareFormat,
    out: Option<&std::path::Path>,
    quiet: bool,
) -> i32 {
    if let Err(code) = check_weights(request, prepared, tallies, quiet) {
        return code;
    }
    let models: Vec<&Model> = prepared.models.iter().collect();
    let quantiles = request.engine.quantiles();
    let levels = quantiles
        .as_ref()
        .map_or(&attrition::projection::CROSSING_LEVELS[..], |q| &q.0);
    let mut c = attrition::comparison::Comparison::at_levels(
        &models,
        &prepared.name,
        &prepared.config,
        request.independent,
        tallies,
        levels,
    );
    c.set = request.engine.set.clone();
    let bytes = if format == CompareFormat::Json {
        report::comparison::json(&c)
    } else {
        report::comparison::table(&c).into_bytes()
    };
    emit(out, &bytes)
}

/// With observations: an error (exit 2) naming the scenario whose observations no path
/// explains, and a warning when few paths carry the baseline's weight. A comparison draws
/// its paths from the scenarios' own distributions, not from a proposal fitted to one
/// scenario's observations (that would unpair them), so its weights can be far more
/// uneven than `run`'s.
fn check_weights(
    request: &CompareRequest,
    prepared: &Prepared,
    tallies: &[PairTally],
    quiet: bool,
) -> Result<(), i32> {
    let Some(first) = tallies.first() else {
        return Ok(());
    };
    let unexplained = |file: &str| {
        messages::error_in(
            file,
            "no path explains the observations: every compared path has weight zero. A comparison draws its paths from the scenarios' own distributions (no proposal, so that they stay paired); widen the figures' intervals, give their sources a bias range, or check the scenario with `attrition run`",
        );
        Err(EXIT_BAD_INPUT)
    };
    let weighted = |m: &Model| !m.observations.is_empty();
    if weighted(&prepared.models[0]) {
        if first.mass == 0 {
            return unexplained(&request.files[0].name);
        }
        let (u, u2) = (first.mass as f64, first.mass_sq as f64);
        let ess = u * u / u2;
        let paths = prepared.config.paths as f64;
        if !quiet && (ess < 1000.0 || ess < 0.01 * paths) {
            messages::warning_in(
                &request.files[0].name,
                &format!(
                    "the observations leave an effective sample size of {ess:.0} of {paths} compared paths: the weighted differences rest on few paths. Compare draws from the scenarios' own distributions (no proposal, so that they stay paired): run more paths (--paths) or compare the scenarios' own `attrition run` results"
                ),
            );
        }
    }
    for (t, (m, f)) in tallies
        .iter()
        .zip(prepared.models.iter().zip(&request.files).skip(1))
    {
        if weighted(m) && t.b.total() == 0 {
            return unexplained(&f.name);
        }
    }
    Ok(())
}
