//! `attrition compare`: scenarios on common random numbers.

use super::args::{CompareArgs, CompareFormat};
use super::*;

pub(super) fn compare(args: CompareArgs) -> i32 {
    let mut targets = output::Targets::new();
    for f in &args.files {
        targets.input("the scenario file", f);
    }
    for f in &args.engine.observe {
        targets.input("the --observe file", f);
    }
    if let Some(out) = &args.out {
        if let Err(msg) = targets.output("--out", out) {
            return bad_argument("--out", &msg);
        }
    }
    let Some(mut loaded) = load_all_with(&args.files, &args.engine.set) else {
        return EXIT_BAD_INPUT;
    };
    for (file, model) in &mut loaded {
        if let Err(msg) = args.engine.add_report_dates(file, model) {
            return bad_argument("--by", &msg);
        }
        // Every scenario weighted by the same reports, as `run --observe` weights one.
        for csv in &args.engine.observe {
            if let Err(e) = scenario::observe::add_observations(csv, model) {
                messages::series(&e, Some("--observe"));
                return EXIT_BAD_INPUT;
            }
        }
    }
    let models: Vec<&attrition::Model> = loaded.iter().map(|(_, m)| m).collect();
    let base = models[0];
    let name = match &args.threshold {
        Some(n) => n.clone(),
        None => match base.thresholds.first() {
            Some(t) => t.name.clone(),
            None => {
                messages::error_in(&loaded[0].0, "has no [[thresholds]] to compare");
                return EXIT_BAD_INPUT;
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
            return EXIT_BAD_INPUT;
        }
        match m.thresholds.iter().position(|t| t.name == name) {
            Some(i) => thresholds.push(i),
            None => {
                messages::error_in(file, &format!("has no threshold named '{name}'"));
                return EXIT_BAD_INPUT;
            }
        }
    }
    let config = args.engine.config(base, Stepping::Auto);
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::Relaxed));
    let started = Instant::now();
    let progress = watcher(args.quiet, "compare", config.paths);
    let result = engine::compare::compare(
        &models,
        &thresholds,
        &config,
        args.independent,
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
    let levels = args
        .engine
        .quantiles
        .as_ref()
        .map_or(&attrition::projection::CROSSING_LEVELS[..], |q| &q.0);
    let mut c = attrition::comparison::Comparison::at_levels(
        &models,
        &name,
        &config,
        args.independent,
        &tallies,
        levels,
    );
    c.set = args.engine.set.iter().map(|o| o.arg.clone()).collect();
    let bytes = if args.format == CompareFormat::Json {
        report::comparison::json(&c)
    } else {
        report::comparison::table(&c).into_bytes()
    };
    emit(args.out.as_deref(), &bytes)
}
