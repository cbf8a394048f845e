//! `run --plot` and `attrition plot`: SVG figures.

use super::*;

/// Paths a fan chart is drawn from, at most: the first `FAN_PATHS` of the run's (the same
/// seed, so the same paths, and equal in distribution to all of them). A fan path costs
/// several times a result's (it runs to the horizon and is recorded every week, where a
/// result's path stops after its last report date and crossing): 15 us against 1.4 us on
/// the cheapest shipped scenario (gamma noise, whose result jumps over whole months).
/// 2,048 keep `--plot` under twice the run's time at the default 100,000 paths on every
/// shipped scenario with a margin for a loaded machine (4,096 measured 1.74 and 1.96 x
/// there; docs/performance.md), as two whole batches (`BATCH_PATHS`), one per thread on
/// two cores. A 5% or 95% quantile of 2,048 paths is off by about 5% of the stock's
/// standard deviation (the median by 3%), under 1.5% of the 90% band's width.
pub(super) const FAN_PATHS: u64 = 2_048;

/// Buckets of each fan histogram (`Plan::casualties_only`): 0.2% accuracy over a spread
/// of a factor of 3, under a pixel.
const FAN_BUCKETS: usize = 512;

/// The model of a fan pass: `model` with a weekly grid to the horizon (coarser for long
/// horizons, so that there are at most 900 grid days) added to its report days, and no
/// thresholds. Thresholds do not change a path's stocks, and without them no path stops
/// to pin down a crossing day: gamma jumps go straight from grid day to grid day.
pub(super) fn fan_model(model: &attrition::Model) -> attrition::Model {
    let step = model.horizon_days.div_ceil(900).max(7);
    let mut days: Vec<u32> = (1..=model.horizon_days / step).map(|k| k * step).collect();
    days.extend_from_slice(&model.report_days);
    days.push(model.horizon_days);
    days.sort_unstable();
    days.dedup();
    attrition::Model {
        report_days: days,
        thresholds: Vec::new(),
        ..model.clone()
    }
}

/// A fan chart's series and the paths they were drawn from: a run of its own (the fan
/// pass) over the first `FAN_PATHS` paths of `config` on `fan_model(model)`. The result's
/// run is untouched by it: other report days would move its chunk edges (and with gamma
/// noise, which random numbers feed which jump) and share out its histogram memory.
/// Ctrl-C stops it like the main run.
pub(super) fn fan(
    model: &attrition::Model,
    config: &RunConfig,
    quiet: bool,
) -> Result<(Vec<attrition::projection::StockSeries>, u64), EngineError> {
    let fan = fan_model(model);
    let fan_config = RunConfig {
        paths: config.paths.min(FAN_PATHS),
        ..*config
    };
    let started = Instant::now();
    let label = format!("{} (fan chart)", model.name);
    let progress = watcher(quiet, &label, fan_config.paths);
    let tally = engine::run_casualty_stocks(&fan, &fan_config, FAN_BUCKETS, progress.as_ref());
    clear_line(quiet);
    let tally = tally?;
    if !quiet {
        messages::info(&format!(
            "{}: fan chart from {} of {} paths, {:.2} s",
            terminal(&model.name),
            fan_config.paths,
            config.paths,
            started.elapsed().as_secs_f64()
        ));
    }
    Ok((attrition::projection::fan_series(&fan, &tally), tally.paths))
}

/// Name of the result saved beside the figures, from which `attrition plot` redraws them.
pub(super) const FIGURES_RESULT: &str = "figures.json";

/// Writes every figure of `projections` into `dir`, and `saved` (the result they were
/// drawn from) as `FIGURES_RESULT` when given, all or nothing (the folder is created here,
/// so a refused or failed run leaves none behind). A file that would replace an input or
/// another output is refused before anything is written.
pub(super) fn write_figures(
    targets: &output::Targets,
    flag: &str,
    dir: &std::path::Path,
    projections: &[Projection],
    saved: Option<Vec<u8>>,
) -> Result<(), i32> {
    let mut files: Vec<(String, Vec<u8>)> = report::svg::figures(projections)
        .into_iter()
        .map(|(name, svg)| (name, svg.into_bytes()))
        .collect();
    files.extend(saved.map(|bytes| (FIGURES_RESULT.to_string(), bytes)));
    for (name, _) in &files {
        if let Err(msg) = targets.check_inside(flag, &dir.join(name)) {
            return Err(bad_argument(flag, &msg));
        }
    }
    output::write_all_atomic(dir, &files).map_err(|e| {
        messages::error_arg(
            flag,
            &format!(
                "cannot write the figures into {}: {e} (no figure was written)",
                dir.display()
            ),
        );
        EXIT_FAILURE
    })
}

pub(super) fn plot(result: &std::path::Path, out: &std::path::Path) -> i32 {
    let text = match std::fs::read(result) {
        Ok(t) => t,
        Err(e) => {
            messages::error_in(
                &result.display().to_string(),
                &format!("cannot read the file: {e}"),
            );
            return EXIT_BAD_INPUT;
        }
    };
    let doc: report::SavedDocument = match serde_json::from_slice(&text) {
        Ok(d) => d,
        Err(e) => {
            messages::error_in(
                &result.display().to_string(),
                &format!(
                    "not a JSON result of `attrition run --format json` (line {}, column {}: {e})",
                    e.line(),
                    e.column()
                ),
            );
            return EXIT_BAD_INPUT;
        }
    };
    let readable = report::OLDEST_READABLE_SCHEMA_VERSION..=report::SCHEMA_VERSION;
    if doc.schema != "attrition.projection" || !readable.contains(&doc.schema_version) {
        messages::error_in(
            &result.display().to_string(),
            &format!(
                "schema {} version {}, expected attrition.projection version {} to {}",
                doc.schema,
                doc.schema_version,
                readable.start(),
                readable.end()
            ),
        );
        return EXIT_BAD_INPUT;
    }
    let mut targets = output::Targets::new();
    targets.input("the result file", result);
    if let Err(msg) = targets.output_dir("--out", out) {
        return bad_argument("--out", &msg);
    }
    match write_figures(&targets, "--out", out, &doc.projections, None) {
        Ok(()) => EXIT_OK,
        Err(code) => code,
    }
}
