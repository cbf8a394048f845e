//! What a command was asked to compute, as plain data: the bytes of every input file and
//! every option that changes its result, read once. A command prepares its models from
//! its request, and so does `merge` from the request a shard recorded in its part
//! (`parts.rs`), so that both print the same bytes. Options that change only how a run
//! goes (threads, progress) or where its output goes are not part of it.

use super::args::{EngineOpts, Quantiles};
use attrition::date::Date;
use attrition::engine::{Method, RunConfig, Stepping};
use attrition::model::{Model, ProposalMode, MAX_REPORT_DATES};
use attrition::scenario::{self, overrides::Override};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// An input file: its name as given (`-` for standard input) and its bytes, saved as
/// text (a part is only written once every input has loaded, so they are UTF-8).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct InputFile {
    pub name: String,
    #[serde(with = "as_text")]
    pub bytes: Vec<u8>,
}

mod as_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&String::from_utf8_lossy(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        Ok(String::deserialize(d)?.into_bytes())
    }
}

impl InputFile {
    /// Reads scenario files, printing every problem (as the loader words it); `None` if
    /// any could not be read.
    pub fn scenarios(files: &[PathBuf]) -> Option<Vec<InputFile>> {
        let mut out = Vec::new();
        let mut failed = false;
        for f in files {
            match scenario::read_file(f) {
                Ok(bytes) => out.push(InputFile {
                    name: f.display().to_string(),
                    bytes,
                }),
                Err(e) => {
                    super::messages::scenario(&e);
                    failed = true;
                }
            }
        }
        (!failed).then_some(out)
    }

    /// Validates this scenario file with the `--set` keys.
    pub fn load(&self, set: &[Override]) -> Result<Model, scenario::ScenarioError> {
        scenario::load_bytes_with(&self.name, &self.bytes, set)
    }
}

/// The options `run`, `compare` and `sweep` share that change a result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct EngineRequest {
    pub paths: Option<u64>,
    pub seed: Option<u64>,
    pub by: Vec<Date>,
    /// The `--set` arguments as typed (parsed again where used: `overrides`).
    pub set: Vec<String>,
    pub quantiles: Option<Vec<f64>>,
    pub observe: Vec<InputFile>,
    /// `--plain`: plain Monte Carlo instead of randomized quasi-Monte Carlo inputs.
    pub plain: bool,
}

impl EngineRequest {
    /// The request of `opts`: the `--observe` files read (a problem is printed, and
    /// `None` returned).
    pub fn of(opts: &EngineOpts) -> Option<EngineRequest> {
        let mut observe = Vec::new();
        for path in &opts.observe {
            match scenario::observe::read_observations(path) {
                Ok(text) => observe.push(InputFile {
                    name: path.display().to_string(),
                    bytes: text.into_bytes(),
                }),
                Err(e) => {
                    super::messages::series(&e, Some("--observe"));
                    return None;
                }
            }
        }
        Some(EngineRequest {
            paths: opts.paths,
            seed: opts.seed,
            by: opts.by.clone(),
            set: opts.set.iter().map(|o| o.arg.clone()).collect(),
            quantiles: opts.quantiles.as_ref().map(|q| q.0.clone()),
            observe,
            plain: opts.plain,
        })
    }

    /// The `--set` keys, parsed.
    pub fn overrides(&self) -> Vec<Override> {
        self.set
            .iter()
            .filter_map(|a| Override::parse(a).ok())
            .collect()
    }

    /// `--quantiles`, as the options had them.
    pub fn quantiles(&self) -> Option<Quantiles> {
        self.quantiles.clone().map(Quantiles)
    }

    /// Adds the `--by` dates to `model`'s report days (`add_report_dates`).
    pub fn add_report_dates(&self, file: &str, model: &mut Model) -> Result<(), String> {
        add_report_dates(&self.by, file, model)
    }

    /// Adds the `--observe` files' observations to `model`.
    pub fn add_observations(
        &self,
        model: &mut Model,
    ) -> Result<(), attrition::calibrate::series::SeriesError> {
        for csv in &self.observe {
            let text = String::from_utf8_lossy(&csv.bytes);
            scenario::observe::add_observations_text(&csv.name, &text, model)?;
        }
        Ok(())
    }

    /// The run settings for `model`: the options given, else the file's own (`config`).
    pub fn config(&self, model: &Model, stepping: Stepping, threads: Option<u64>) -> RunConfig {
        config(
            (self.paths, self.seed, self.plain),
            model,
            stepping,
            threads,
        )
    }
}

/// Adds the `--by` dates to `model`'s report days (`file` names it in an error): each
/// must fall after its reference date and by its horizon, like a report date in the
/// file. Extra report days cut the path into one more chunk there, so with gamma noise
/// the run draws its jumps at other points: equal in distribution, not in bytes.
pub(super) fn add_report_dates(by: &[Date], file: &str, model: &mut Model) -> Result<(), String> {
    for &date in by {
        let day = date.days_since(model.reference_date);
        if day <= 0 || day > i64::from(model.horizon_days) {
            return Err(format!(
                "--by {date}: {file} projects from {} to {}; give a date after the first and by the second",
                model.reference_date,
                model.horizon_date()
            ));
        }
        model.report_days.push(day as u32);
    }
    model.report_days.sort_unstable();
    model.report_days.dedup();
    if model.report_days.len() > MAX_REPORT_DATES {
        return Err(format!(
            "--by: {file} would report on {} dates; at most {MAX_REPORT_DATES}",
            model.report_days.len()
        ));
    }
    Ok(())
}

/// The run settings for `model` from `--paths`, `--seed` and `--plain` (`given`), else
/// the file's own, with `--stepping` and `--threads`.
pub(super) fn config(
    given: (Option<u64>, Option<u64>, bool),
    model: &Model,
    stepping: Stepping,
    threads: Option<u64>,
) -> RunConfig {
    let (paths, seed, plain) = given;
    RunConfig {
        paths: paths.unwrap_or(model.default_paths),
        seed: seed.unwrap_or(model.default_seed),
        threads: threads.map(|t| t as usize),
        stepping,
        method: if plain {
            Method::Plain
        } else {
            Method::Reduced
        },
    }
}

/// `--stepping` and `--proposal` as a request records them.
pub(super) fn stepping_name(s: Stepping) -> String {
    match s {
        Stepping::Daily => "daily",
        Stepping::Auto => "auto",
    }
    .into()
}

pub(super) fn stepping_of(name: &str) -> Stepping {
    match name {
        "daily" => Stepping::Daily,
        _ => Stepping::Auto,
    }
}

pub(super) fn proposal_name(p: ProposalMode) -> String {
    match p {
        ProposalMode::Off => "off",
        ProposalMode::Auto => "auto",
    }
    .into()
}

pub(super) fn proposal_of(name: &str) -> ProposalMode {
    match name {
        "off" => ProposalMode::Off,
        _ => ProposalMode::Auto,
    }
}
