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

/// Creates the figure folder if its parent exists.
pub(super) fn plot_dir(dir: &std::path::Path) -> Result<(), String> {
    if dir.is_dir() {
        return Ok(());
    }
    if dir.exists() {
        return Err(format!("{}: is not a folder", dir.display()));
    }
    std::fs::create_dir(dir)
        .map_err(|e| format!("{}: cannot create the folder: {e}", dir.display()))
}

pub(super) fn write_figures(dir: &std::path::Path, projections: &[Projection]) -> Result<(), i32> {
    for (name, svg) in report::svg::figures(projections) {
        let path = dir.join(&name);
        if let Err(e) = output::write_atomic(&path, svg.as_bytes()) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return Err(EXIT_FAILURE);
        }
    }
    Ok(())
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
    if let Err(msg) = plot_dir(out) {
        eprintln!("error: --out {msg}");
        return EXIT_BAD_INPUT;
    }
    match write_figures(out, &doc.projections) {
        Ok(()) => EXIT_OK,
        Err(code) => code,
    }
}
