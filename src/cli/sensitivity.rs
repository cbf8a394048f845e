//! `attrition sensitivity`: Sobol indices and a tornado of one scenario file, to a
//! table, JSON or CSV, with figures on request. Every argument is checked, and every
//! output declared, before the engine runs; nothing is written until both runs end.

use super::args::SensitivityArgs;
use super::*;
use attrition::engine::sensitivity::{GroupError, Grouping};
use attrition::sensitivity::{self as sens, Design, DesignError, Sensitivity};

pub(super) fn sensitivity(args: SensitivityArgs) -> i32 {
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
    let Some(mut models) = load_all_with(std::slice::from_ref(&args.file), &args.engine.set) else {
        return EXIT_BAD_INPUT;
    };
    let (file, mut model) = models.remove(0);
    if let Err(msg) = args.engine.add_report_dates(&file, &mut model) {
        return bad_argument("--by", &msg);
    }
    let threshold = match &args.threshold {
        None => None,
        Some(name) => match model.thresholds.iter().position(|t| &t.name == name) {
            Some(i) => Some(i),
            None => {
                let known: Vec<String> = model
                    .thresholds
                    .iter()
                    .map(|t| format!("'{}'", terminal(&t.name)))
                    .collect();
                return bad_argument(
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
                );
            }
        },
    };
    let design = match Design::new(&model, args.group, threshold) {
        Ok(d) => d,
        Err(e) => return design_error(&file, &e),
    };
    let config = args.engine.config(&model, Stepping::Auto);
    let levels = args
        .engine
        .quantiles
        .as_ref()
        .map_or(vec![0.5], |q| q.0.clone());
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::Relaxed));
    let started = Instant::now();
    let label = format!("{} (Sobol indices)", model.name);
    let progress = watcher(args.quiet, &label, config.paths);
    let tally = sens::indices(&model, &design, &config, progress.as_ref());
    clear_line(args.quiet);
    let tally = match tally {
        Ok(t) => t,
        Err(e) => return engine_failure(Some(&file), &e),
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
    let runs = sens::tornado::runs(&model);
    let label = format!("{} (tornado)", model.name);
    let progress = watcher(args.quiet, &label, config.paths * runs);
    let tornado = sens::tornado(
        &model,
        &config,
        &design.thresholds,
        &levels,
        progress.as_ref(),
    );
    clear_line(args.quiet);
    let tornado = match tornado {
        Ok(t) => t,
        Err(e) => return engine_failure(Some(&file), &e),
    };
    if !args.quiet && runs > 0 {
        messages::info(&format!(
            "{}: tornado of {} runs of {} paths in {:.2} s",
            terminal(&model.name),
            runs,
            config.paths,
            started.elapsed().as_secs_f64()
        ));
    }
    let mut result = Sensitivity::new(&model, &config, &design, &tally, tornado, Some(&file));
    result.scenario.set = args.engine.set.iter().map(|o| o.arg.clone()).collect();
    if let Some(dir) = &args.plot {
        let files = report::svg::sensitivity_figures(&result);
        if let Err(code) = write_files(&targets, dir, files) {
            return code;
        }
    }
    let bytes = match args.format {
        Format::Table => report::sensitivity::table(&result).into_bytes(),
        Format::Json => report::sensitivity::json(&result),
        Format::Csv => report::sensitivity::csv(&result).into_bytes(),
    };
    emit(args.out.as_deref(), &bytes)
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
