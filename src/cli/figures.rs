//! `run --plot` and `attrition plot`: SVG figures.

use super::*;

/// A copy of `model` whose report days also hold a weekly grid to the horizon (coarser
/// for long horizons, so that there are at most 900 grid days).
pub(super) fn with_fan_grid(model: &attrition::Model) -> attrition::Model {
    let step = model.horizon_days.div_ceil(900).max(7);
    let mut days: Vec<u32> = (1..=model.horizon_days / step).map(|k| k * step).collect();
    days.extend_from_slice(&model.report_days);
    days.push(model.horizon_days);
    days.sort_unstable();
    days.dedup();
    attrition::Model {
        report_days: days,
        ..model.clone()
    }
}

/// Writes every figure of `projections` into `dir`, all or nothing (the folder is
/// created here, so a refused or failed run leaves none behind). A figure that would
/// replace an input or another output is refused before anything is written.
pub(super) fn write_figures(
    targets: &output::Targets,
    dir: &std::path::Path,
    projections: &[Projection],
) -> Result<(), i32> {
    let files: Vec<(String, Vec<u8>)> = report::svg::figures(projections)
        .into_iter()
        .map(|(name, svg)| (name, svg.into_bytes()))
        .collect();
    for (name, _) in &files {
        if let Err(msg) = targets.check_inside("--plot", &dir.join(name)) {
            eprintln!("error: {msg}");
            return Err(EXIT_BAD_INPUT);
        }
    }
    output::write_all_atomic(dir, &files).map_err(|e| {
        eprintln!(
            "error: cannot write the figures into {}: {e} (no figure was written)",
            dir.display()
        );
        EXIT_FAILURE
    })
}

pub(super) fn plot(result: &std::path::Path, out: &std::path::Path) -> i32 {
    let text = match std::fs::read(result) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {}: cannot read the file: {e}", result.display());
            return EXIT_BAD_INPUT;
        }
    };
    let doc: report::SavedDocument = match serde_json::from_slice(&text) {
        Ok(d) => d,
        Err(e) => {
            eprintln!(
                "error: {}: not a JSON result of `attrition run --format json` (line {}, column {}: {e})",
                result.display(),
                e.line(),
                e.column()
            );
            return EXIT_BAD_INPUT;
        }
    };
    if doc.schema != "attrition.projection" || doc.schema_version != report::SCHEMA_VERSION {
        eprintln!(
            "error: {}: schema {} version {}, expected attrition.projection version {}",
            result.display(),
            doc.schema,
            doc.schema_version,
            report::SCHEMA_VERSION
        );
        return EXIT_BAD_INPUT;
    }
    let mut targets = output::Targets::new();
    targets.input("the result file", result);
    if let Err(msg) = targets.output_dir("--out", out) {
        eprintln!("error: {msg}");
        return EXIT_BAD_INPUT;
    }
    match write_figures(&targets, out, &doc.projections) {
        Ok(()) => EXIT_OK,
        Err(code) => code,
    }
}
