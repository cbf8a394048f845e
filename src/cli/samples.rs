//! `run --samples`: per-path rows streamed to CSV or Parquet.

use super::*;

/// Runs `model` and streams its per-path rows to `path` (CSV or Parquet), atomically.
pub(super) fn run_with_samples(
    model: &attrition::Model,
    config: &RunConfig,
    path: &std::path::Path,
    progress: &dyn Progress,
) -> Result<engine::Tally, EngineError> {
    use attrition::report::parquet::{Column, ColumnType, ParquetWriter};
    let sink_err = |e: std::io::Error| EngineError::Sink(format!("{}: {e}", path.display()));
    let mut file = output::AtomicFile::create(path).map_err(sink_err)?;
    use engine::samples::ColumnKind;
    let columns = engine::samples::column_kinds(model);
    let width = columns.len();
    let tally = if sample_format(path) == Some("parquet") {
        let kinds = columns.iter().map(|(name, kind)| Column {
            kind: match kind {
                ColumnKind::Path => ColumnType::Int64,
                ColumnKind::Number => ColumnType::Double,
                // Days a path may not have are nulls (a NaN would count as a value).
                ColumnKind::OptionalDay => ColumnType::OptionalInt32,
            },
            name: name.clone(),
        });
        let mut w = ParquetWriter::new(file.writer(), kinds.collect()).map_err(sink_err)?;
        let mut rows = |values: &[f64]| -> Result<(), String> {
            for row in values.chunks_exact(width) {
                w.push_row(row).map_err(|e| e.to_string())?;
            }
            Ok(())
        };
        let tally = engine::run_with_samples(model, config, progress, &mut rows)?;
        w.finish().map_err(sink_err)?;
        tally
    } else {
        let mut header = String::new();
        for (i, (c, _)) in columns.iter().enumerate() {
            if i > 0 {
                header.push(',');
            }
            attrition::report::csv::push_field(&mut header, c);
        }
        writeln!(file.writer(), "{header}").map_err(sink_err)?;
        let w = file.writer();
        let mut line = String::new();
        let mut rows = |values: &[f64]| -> Result<(), String> {
            for row in values.chunks_exact(width) {
                line.clear();
                for (i, v) in row.iter().enumerate() {
                    if i > 0 {
                        line.push(',');
                    }
                    // A missing day (an optional column's NaN) is an empty cell.
                    if !v.is_nan() {
                        use std::fmt::Write as _;
                        let _ = write!(line, "{v}");
                    }
                }
                line.push('\n');
                w.write_all(line.as_bytes()).map_err(|e| e.to_string())?;
            }
            Ok(())
        };
        engine::run_with_samples(model, config, progress, &mut rows)?
    };
    file.commit().map_err(sink_err)?;
    Ok(tally)
}

/// "csv" or "parquet" from a samples file name.
pub(super) fn sample_format(path: &std::path::Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "csv" => Some("csv"),
        "parquet" => Some("parquet"),
        _ => None,
    }
}
