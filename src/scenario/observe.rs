//! `--observe FILE.csv`: observations from a table instead of the scenario file, checked
//! as the file's `[[observations]]` are, each problem named by its line.

use crate::calibrate::series::{parse_table, SeriesError};
use crate::date::Date;
use crate::model::{Likelihood, Metric, Model, Observation, MAX_OBSERVATIONS, MAX_QUANTITY};
use crate::sample::Dist;
use std::path::Path;

/// The columns a row may have; the first four are required.
pub const COLUMNS: &[&str] = &[
    "name", "date", "lo", "hi", "sides", "metric", "source", "shape",
];

/// Reads the observations in `path` and adds them to `model`; a problem names the file
/// and, for a row, its line (the header is line 1).
pub fn add_observations(path: &Path, model: &mut Model) -> Result<(), SeriesError> {
    let text = read_observations(path)?;
    add_observations_text(&path.display().to_string(), &text, model)
}

/// The text of an `--observe` file, or why it cannot be read.
pub fn read_observations(path: &Path) -> Result<String, SeriesError> {
    std::fs::read_to_string(path).map_err(|e| SeriesError {
        file: path.display().to_string(),
        line: None,
        message: format!("cannot read the --observe file: {e}"),
    })
}

/// Adds the observations in `text` (the file `name`, already read: a shard's merge has
/// it from the part) to `model`.
pub fn add_observations_text(name: &str, text: &str, model: &mut Model) -> Result<(), SeriesError> {
    let name = name.to_string();
    let at = |line: Option<usize>, message: String| SeriesError {
        file: name.clone(),
        line,
        message,
    };
    let table = parse_table(&name, text)?;
    let fail = |line: usize, msg: String| at(Some(line), msg);
    for h in &table.header {
        if !COLUMNS.contains(&h.as_str()) {
            return Err(fail(
                1,
                format!(
                    "unknown column `{h}`; the columns are: {}",
                    COLUMNS.join(", ")
                ),
            ));
        }
    }
    let col = |c: &str| table.header.iter().position(|h| h == c);
    for required in &COLUMNS[..4] {
        if col(required).is_none() {
            return Err(fail(
                1,
                format!(
                    "no `{required}` column: a row needs name, date, lo and hi (a point figure needs a stated error, given as lo and hi)"
                ),
            ));
        }
    }
    if table.rows.is_empty() {
        return Err(at(
            None,
            "no observations (the file has a header only)".into(),
        ));
    }
    for (line, row) in &table.rows {
        let o = observation(model, &table.header, row).map_err(|m| fail(*line, m))?;
        if model.observations.iter().any(|p| p.name == o.name) {
            return Err(fail(
                *line,
                format!("another observation is already named '{}'", o.name),
            ));
        }
        if model.observations.len() == MAX_OBSERVATIONS {
            return Err(fail(
                *line,
                format!("more than {MAX_OBSERVATIONS} observations"),
            ));
        }
        model.observations.push(o);
    }
    Ok(())
}

fn observation(model: &Model, header: &[String], row: &[String]) -> Result<Observation, String> {
    let cell = |c: &str| -> &str {
        header
            .iter()
            .position(|h| h == c)
            .map_or("", |i| row[i].as_str())
    };
    let name = cell("name");
    if name.is_empty() {
        return Err("the name is empty: name each observation".into());
    }
    let date = Date::parse_iso(cell("date")).map_err(|e| format!("date: {e}"))?;
    let day = date.days_since(model.reference_date);
    if day < 0 || day > i64::from(model.horizon_days) {
        return Err(format!(
            "date {date}: the scenario projects from {} to {}; an observation must fall between",
            model.reference_date,
            model.horizon_date()
        ));
    }
    let sides = match cell("sides") {
        "" => (0..model.sides.len()).collect(),
        list => {
            let mut ids = Vec::new();
            for s in list.split('+').map(str::trim) {
                let id = model.sides.iter().position(|x| x.name == s).ok_or_else(|| {
                    let known: Vec<&str> = model.sides.iter().map(|x| x.name.as_str()).collect();
                    format!("sides: unknown side '{s}'; the sides are: {} (separate several with '+')", known.join(", "))
                })?;
                if ids.contains(&id) {
                    return Err(format!("sides: '{s}' is listed twice"));
                }
                ids.push(id);
            }
            ids
        }
    };
    let metric = match cell("metric") {
        "" | "casualties" => Metric::Casualties,
        "killed" => Metric::Killed,
        m => {
            return Err(format!(
                "metric: unknown metric '{m}'; metrics are: casualties, killed"
            ))
        }
    };
    if metric == Metric::Killed {
        if let Some(&i) = sides.iter().find(|&&i| model.sides[i].killed.is_none()) {
            return Err(format!(
                "metric: side '{}' does not project killed in the scenario",
                model.sides[i].name
            ));
        }
    }
    let number = |c: &str| -> Result<Option<f64>, String> {
        match cell(c) {
            "" => Ok(None),
            v => v
                .replace('_', "")
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .map(Some)
                .ok_or_else(|| format!("{c}: '{v}' is not a number")),
        }
    };
    let (lo, hi) = match (number("lo")?, number("hi")?) {
        (Some(lo), Some(hi)) if lo != hi => (lo, hi),
        _ => {
            return Err("a point figure needs a stated error: give lo and hi, different, as a 90% interval of the truth (an assumption, if the source gave one number)".into())
        }
    };
    if !(lo > 0.0 && lo < hi && hi <= MAX_QUANTITY) {
        return Err(format!(
            "lo {lo} and hi {hi}: give 0 < lo < hi <= {MAX_QUANTITY:e}"
        ));
    }
    let dist = match cell("shape") {
        "" | "lognormal" => Dist::lognormal(lo, hi, 0.9),
        "normal" => Dist::truncated_normal(lo, hi, 0.9),
        "uniform" => Dist::uniform(lo, hi),
        s => {
            return Err(format!(
                "shape: '{s}' is not a shape for an observation; give lognormal, normal or uniform"
            ))
        }
    }
    .map_err(|e| format!("lo and hi: {}", e.0))?;
    let value = Likelihood::of(&dist)?;
    let source = match cell("source") {
        "" => None,
        s => Some(model.sources.iter().position(|x| x.name == s).ok_or_else(|| {
            format!(
                "source: '{s}' is not a [sources.NAME] of the scenario; declare it there (with its bias) or leave the cell empty"
            )
        })?),
    };
    Ok(Observation {
        name: name.to_string(),
        day: day as u32,
        sides,
        metric,
        value,
        source,
    })
}
