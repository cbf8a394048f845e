//! What a run found, as plain data: the typed result every renderer and library user reads.
//!
//! `Projection::from_tally` is the only place that turns counts into quantiles and
//! probabilities; renderers format, they never compute. Serializes to the JSON schema
//! documented in docs/output.md.

use crate::date::Date;
use crate::engine::{Method, RunConfig, Tally, WeightTally};
use crate::model::{Metric, Model, Noise};
use crate::sample::stream::PRNG_NAME;
use crate::stats::{binomial_se, DayCounts};
use serde::{Deserialize, Serialize};

/// Crossing-day quantile levels reported for every threshold.
pub const CROSSING_LEVELS: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];
/// Stock quantile levels reported at every report date.
pub const STOCK_LEVELS: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    pub scenario: ScenarioInfo,
    pub run: RunInfo,
    pub thresholds: Vec<ThresholdResult>,
    pub stocks: Vec<StockSeries>,
    /// Casualty quantiles on a weekly grid to the horizon, for fan charts: only in the
    /// result saved beside figures (`figures.json`), never in a run's data output.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fan: Vec<StockSeries>,
    /// How many paths (the first of the run's) `fan` was drawn from; absent in results
    /// from before the fan had its own run, whose fan came from every path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fan_paths: Option<u64>,
    /// Scenarios with uncertain events only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<EventResult>,
    /// Scenarios with regimes only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regimes: Vec<RegimeShare>,
    /// Scenarios with observations only: how surprising each reported figure was before
    /// weighting, and what the weighted paths say of its stock.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub observations: Vec<ObservationResult>,
}

/// One observation: its figure, where it fell among the paths before weighting (the
/// prior predictive) and the stock's quantiles after (the posterior predictive).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObservationResult {
    pub name: String,
    pub date: Date,
    pub day: u32,
    pub metric: Metric,
    pub sides: Vec<String>,
    pub source: Option<String>,
    /// The reported figure (the centre of its interval) and the 90% interval of the truth
    /// it states, rounded to whole people.
    pub value: f64,
    pub value_p5: f64,
    pub value_p95: f64,
    /// `lognormal`, `normal` or `uniform`.
    pub shape: String,
    /// The share of paths, before weighting, whose stock lies below the figure (ties
    /// count half): 0.95 means the figure sits at the 95th percentile of the prior.
    pub prior_percentile: f64,
    pub prior_percentile_se: f64,
    /// Quantiles of the stock before weighting, and after.
    pub prior: Vec<StockQuantile>,
    pub posterior: Vec<StockQuantile>,
}

/// What weighting by observations did to a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeightInfo {
    /// Kish's effective sample size, (sum w)^2 / sum w^2: the unweighted paths that
    /// would give the weighted figures the same precision.
    pub effective_paths: f64,
    /// Paths whose weight is zero (or below 2^-33 of the largest possible).
    pub zero_weight_paths: u64,
    /// The largest log weight of a path (the log likelihoods peak at 0).
    pub best_log_weight: Option<f64>,
    /// The proposal the inputs were drawn from (`engine::proposal`), if any: each
    /// proposed input's normal-score mean and standard deviation, the share of paths
    /// drawn from the scenario's own distributions, and the pilot that fitted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposal: Option<crate::engine::proposal::Proposal>,
}

/// How often an event happened, and each threshold's crossing with and without it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventResult {
    pub name: String,
    /// P(the event starts within the horizon).
    pub p_happened: f64,
    pub p_happened_se: f64,
    pub thresholds: Vec<ConditionalCrossing>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConditionalCrossing {
    pub threshold: String,
    pub with_event: CrossingSummary,
    pub without_event: CrossingSummary,
}

/// Crossing quantiles over a subset of paths.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CrossingSummary {
    pub paths: u64,
    /// Empty when no path is in the subset.
    pub crossing: Vec<CrossingQuantile>,
    /// Null when no path is in the subset.
    pub p_not_crossed: Option<f64>,
    pub p_not_crossed_se: Option<f64>,
}

/// The mean share of the horizon's days a path spends in a regime.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegimeShare {
    pub name: String,
    pub share_of_days: f64,
    /// Standard error over paths.
    pub se: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioInfo {
    pub name: String,
    pub title: String,
    /// The file as given on the command line, if it came from one.
    pub file: Option<String>,
    /// The `--set KEY=VALUE` what-ifs the file was run with, as typed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set: Vec<String>,
    pub reference_date: Date,
    pub horizon_date: Date,
    pub horizon_days: u32,
    pub report_dates: Vec<Date>,
    pub sides: Vec<String>,
}

impl ScenarioInfo {
    /// What a result says of the scenario `model`, read from `file` (no `--set`).
    pub fn of(model: &Model, file: Option<&str>) -> Self {
        ScenarioInfo {
            name: model.name.clone(),
            title: model.title.clone(),
            file: file.map(str::to_string),
            set: Vec::new(),
            reference_date: model.reference_date,
            horizon_date: model.horizon_date(),
            horizon_days: model.horizon_days,
            report_dates: model
                .report_days
                .iter()
                .map(|&d| model.date_of(d))
                .collect(),
            sides: model.sides.iter().map(|s| s.name.clone()).collect(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    pub paths: u64,
    pub seed: u64,
    pub prng: String,
    /// Runs with observations only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<WeightInfo>,
    /// The day-to-day noise model. Results of schema version 1 held only its sentence,
    /// which reads back into the same fields (`attrition plot` reads either).
    #[serde(deserialize_with = "noise_of_either_version")]
    pub noise: NoiseInfo,
    /// How the paths were drawn and where the figures' errors come from (absent in
    /// results before schema version 3, which were all plain).
    #[serde(default)]
    pub method: MethodInfo,
    /// Runs with `--target-se` or `--target-days` only: the targets and what the paths
    /// used reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<crate::precision::Precision>,
}

/// The run's method (`engine::Method`), as the output states it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MethodInfo {
    pub name: Method,
    /// Independent scramblings of the randomized quasi-Monte Carlo inputs, whose spread
    /// gives every error (reduced runs only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicates: Option<u64>,
    /// Inputs drawn from scrambled Sobol points (reduced runs only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub qmc_inputs: Vec<String>,
}

/// Which estimator produced a figure.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Estimator {
    /// Counted over paths drawn from the inputs' own streams; errors from the paths.
    #[default]
    Plain,
    /// Counted over paths with randomized quasi-Monte Carlo inputs; errors from the spread
    /// of the scramblings.
    Rqmc,
    /// Each path's conditional probability with one side's baseline integrated out
    /// (`engine::conditional`), over randomized quasi-Monte Carlo paths; errors from the
    /// spread of the scramblings.
    Conditional,
}

/// The day-to-day noise of a run as numbers, and in the words the table prints: JSON
/// readers get the parameters without parsing the sentence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoiseInfo {
    /// `none`, `lognormal` or `gamma`, as the scenario's `[noise] model`.
    pub model: String,
    /// Lognormal: the sd of the log of the daily multiplier; null for other models.
    pub sigma: Option<f64>,
    /// The coefficient of variation of the daily multiplier (its sd, the mean being one),
    /// whatever the model; 0 for none.
    pub cv: f64,
    /// Gamma: the shape k (the scale is 1/k); null for other models.
    pub shape: Option<f64>,
    /// The correlation of the sides' daily shocks (`[noise] correlation`); 0 when the
    /// sides' noise is independent, and always 0 for none.
    pub correlation: f64,
    /// The same in words, as the table prints it.
    pub description: String,
}

impl NoiseInfo {
    pub fn new(noise: Noise, correlation: f64) -> Self {
        let own = noise.describe();
        NoiseInfo {
            model: noise.name().to_string(),
            sigma: noise.sigma(),
            cv: noise.cv(),
            shape: noise.shape(),
            correlation,
            description: if correlation > 0.0 {
                format!("{own}, shock correlation {correlation} between sides")
            } else {
                own
            },
        }
    }

    /// The fields of a schema version 1 sentence (`describe` and the correlation, in the
    /// shortest form that reads back to the same number, so the values are exact).
    pub fn from_description(text: &str) -> Option<Self> {
        let (own, correlation) = match text.strip_suffix(" between sides") {
            Some(head) => {
                let (own, rho) = head.rsplit_once(", shock correlation ")?;
                (own, rho.parse::<f64>().ok().filter(|r| *r > 0.0)?)
            }
            None => (text, 0.0),
        };
        let number = |prefix: &str| own.strip_prefix(prefix)?.parse::<f64>().ok();
        let noise = if own == "none" {
            Noise::None
        } else if let Some(sigma) = number("lognormal, mean one, sigma ") {
            Noise::LogNormal { sigma }
        } else {
            Noise::Gamma {
                shape: number("gamma, mean one, shape ")?,
            }
        };
        let info = NoiseInfo::new(noise, correlation);
        // Only what this tool wrote: the sentence must come back as it was.
        (info.description == text).then_some(info)
    }
}

/// `run.noise` as either schema version wrote it: the fields, or (version 1) the sentence.
fn noise_of_either_version<'de, D: serde::Deserializer<'de>>(d: D) -> Result<NoiseInfo, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Saved {
        Fields(NoiseInfo),
        Sentence(String),
    }
    match Saved::deserialize(d)? {
        Saved::Fields(info) => Ok(info),
        Saved::Sentence(text) => NoiseInfo::from_description(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "run.noise '{text}' is not a noise model this tool describes"
            ))
        }),
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThresholdResult {
    pub name: String,
    pub metric: Metric,
    pub sides: Vec<String>,
    pub level: f64,
    /// Quantiles of the crossing day over all paths; `day` and `date` are null where the
    /// quantile falls among paths that do not cross within the horizon.
    pub crossing: Vec<CrossingQuantile>,
    /// Mean crossing day of the paths that cross (null if none does).
    pub mean_of_crossed: Option<MeanDay>,
    /// P(already at or above the level on the reference date).
    pub p_at_baseline: f64,
    pub p_crossed_by: Vec<Probability>,
    /// P(not crossed by the horizon date).
    pub p_not_crossed: f64,
    pub p_not_crossed_se: f64,
    /// Exact counts of paths by crossing day: days 0 to the horizon, then the paths that
    /// did not cross. Counts from several runs (other seeds) can be added.
    pub day_counts: Vec<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CrossingQuantile {
    pub p: f64,
    pub day: Option<u32>,
    pub date: Option<Date>,
    /// Its 95% confidence interval (Woodruff's: the quantiles at `p` -/+ the interval of
    /// the crossing-day CDF there, `precision`); a null end lies beyond the horizon.
    /// Absent in results before schema version 3.
    #[serde(default)]
    pub ci_low_day: Option<u32>,
    #[serde(default)]
    pub ci_low_date: Option<Date>,
    #[serde(default)]
    pub ci_high_day: Option<u32>,
    #[serde(default)]
    pub ci_high_date: Option<Date>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeanDay {
    pub day: f64,
    /// The date of `day` rounded to the nearest whole day (halves round up).
    pub date: Date,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Probability {
    pub date: Date,
    pub day: u32,
    pub p: f64,
    /// Monte Carlo standard error: sqrt(p (1 - p) / paths), or its weighted form in runs
    /// with observations, or the spread of the scramblings' estimates in a reduced run
    /// (docs/output.md).
    pub se: f64,
    /// The estimator of `p` and `se`.
    #[serde(default)]
    pub method: Estimator,
    /// The input integrated out, for a conditional estimate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditioned_on: Option<String>,
}

/// Quantiles of one cumulative stock (a side, or `combined`) at the report dates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StockSeries {
    pub series: String,
    pub metric: Metric,
    pub points: Vec<StockPoint>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StockPoint {
    pub date: Date,
    pub day: u32,
    pub quantiles: Vec<StockQuantile>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StockQuantile {
    pub p: f64,
    /// Rounded to a whole number; within 0.01% of the sample quantile.
    pub value: f64,
    /// Its 95% confidence interval, rounded (as a crossing quantile's); absent in results
    /// before schema version 3, and in a fan chart's series.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ci_low: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ci_high: Option<f64>,
}

/// Name of the combined series in stock results.
pub const COMBINED: &str = "combined";

impl Projection {
    /// The projection of a run, with the default quantiles (`CROSSING_LEVELS`,
    /// `STOCK_LEVELS`).
    pub fn from_tally(
        model: &Model,
        config: &RunConfig,
        tally: &Tally,
        file: Option<&str>,
    ) -> Self {
        Projection::at_levels(model, config, tally, file, &CROSSING_LEVELS, &STOCK_LEVELS)
    }

    /// The projection of a run, reporting the crossing-date quantiles `crossing` and the
    /// stock quantiles `stock` (each in (0, 1), ascending), every figure with its error
    /// (`precision`).
    pub fn at_levels(
        model: &Model,
        config: &RunConfig,
        tally: &Tally,
        file: Option<&str>,
        crossing: &[f64],
        stock: &[f64],
    ) -> Self {
        let mut p = Projection::estimates(model, config, tally, file, crossing, stock);
        crate::precision::attach(&mut p, model, config, tally, crossing, stock);
        p
    }

    /// The figures of a tally, with the errors its own counts give (the paths' spread);
    /// `precision::attach` adds intervals, and the errors of a reduced run.
    pub(crate) fn estimates(
        model: &Model,
        config: &RunConfig,
        tally: &Tally,
        file: Option<&str>,
        crossing: &[f64],
        stock: &[f64],
    ) -> Self {
        let mass = Mass::of(tally);
        let method = if tally.replicates.is_empty() {
            Estimator::Plain
        } else {
            Estimator::Rqmc
        };
        let side_names = |ids: &[usize]| ids.iter().map(|&i| model.sides[i].name.clone()).collect();
        let w = tally.weights.as_ref();
        let thresholds = model
            .thresholds
            .iter()
            .enumerate()
            .zip(&tally.crossings)
            .map(|((i, t), counts)| {
                let sq = w.map(|w| &w.crossings_sq[i]);
                let prob = |k: u64| mass.p(k);
                let share = |k: u64, k_sq: Option<u128>| mass.share(k, k_sq);
                let (p_not, p_not_se) = share(counts.not_crossed(), sq.map(|c| c.not_crossed()));
                ThresholdResult {
                    name: t.name.clone(),
                    metric: t.metric,
                    sides: side_names(&t.sides),
                    level: t.level,
                    crossing: crossing_quantiles(model, counts, crossing),
                    mean_of_crossed: counts.mean_of_crossed().map(|m| {
                        // One rounding for both: the date is the shown day, rounded.
                        let day = (m * 100.0).round() / 100.0;
                        MeanDay {
                            day,
                            date: model.date_of(day.round() as u32),
                        }
                    }),
                    p_at_baseline: prob(counts.on_day(0)),
                    p_crossed_by: model
                        .report_days
                        .iter()
                        .enumerate()
                        .map(|(r, &d)| {
                            let (p, se) = share(counts.crossed_by(d), sq.map(|c| c.crossed_by(d)));
                            let conditional = tally.conditional.get(i).and_then(|u| u.get(r));
                            match conditional {
                                // Its error comes from the scramblings (`precision`).
                                Some(&units) => Probability {
                                    date: model.date_of(d),
                                    day: d,
                                    p: units as f64
                                        / (tally.paths as f64 * crate::engine::conditional::UNIT),
                                    se: f64::NAN,
                                    method: Estimator::Conditional,
                                    conditioned_on: None,
                                },
                                None => Probability {
                                    date: model.date_of(d),
                                    day: d,
                                    p,
                                    se,
                                    method,
                                    conditioned_on: None,
                                },
                            }
                        })
                        .collect(),
                    p_not_crossed: p_not,
                    p_not_crossed_se: p_not_se,
                    day_counts: counts.counts().to_vec(),
                }
            })
            .collect();
        let stocks = stock_series(model, tally, &[Metric::Casualties, Metric::Killed], stock);
        Projection {
            scenario: ScenarioInfo::of(model, file),
            run: RunInfo {
                paths: tally.paths,
                seed: config.seed,
                prng: PRNG_NAME.to_string(),
                weights: w.map(|w| WeightInfo {
                    effective_paths: w.effective_paths(),
                    zero_weight_paths: w.zero,
                    best_log_weight: w.best_log_weight,
                    proposal: w.proposal.clone(),
                }),
                noise: NoiseInfo::new(model.noise, model.shock_correlation),
                method: MethodInfo {
                    name: config.method,
                    ..MethodInfo::default()
                },
                precision: None,
            },
            events: events(model, tally, crossing),
            regimes: regimes(model, tally),
            observations: observations(model, tally, stock),
            thresholds,
            stocks,
            fan: Vec::new(),
            fan_paths: None,
        }
    }

    /// This projection with a fan chart's series (`fan_series`) drawn from `paths` paths.
    pub fn with_fan(self, fan: Vec<StockSeries>, paths: u64) -> Projection {
        Projection {
            fan,
            fan_paths: Some(paths),
            ..self
        }
    }

    /// This projection as a run's data output holds it: without the fan, which only
    /// figures use, so that drawing figures never changes the data.
    pub fn without_fan(self) -> Projection {
        Projection {
            fan: Vec::new(),
            fan_paths: None,
            ..self
        }
    }
}

/// Casualty quantiles of each series at every report day of `model`, from a tally of
/// `engine::run_casualty_stocks`: the series of a fan chart.
pub fn fan_series(model: &Model, tally: &Tally) -> Vec<StockSeries> {
    stock_series(model, tally, &[Metric::Casualties], &STOCK_LEVELS)
}

/// Quantiles of every series (each side, then combined) and each of `metrics` the tally
/// gathered for it, at every report day.
fn stock_series(
    model: &Model,
    tally: &Tally,
    metrics: &[Metric],
    levels: &[f64],
) -> Vec<StockSeries> {
    let mut stocks = Vec::new();
    let days = tally.layout().report_days();
    for series in 0..tally.layout().series() {
        let name = model
            .sides
            .get(series)
            .map_or(COMBINED, |s| s.name.as_str());
        for &metric in metrics {
            if days.is_empty() || tally.stock(0, series, metric).is_none() {
                continue;
            }
            let points = days
                .iter()
                .enumerate()
                .map(|(r, &day)| {
                    let h = tally
                        .stock(r, series, metric)
                        .expect("gathered on every report day");
                    StockPoint {
                        date: model.date_of(day),
                        day,
                        quantiles: levels
                            .iter()
                            .map(|&p| StockQuantile {
                                p,
                                value: h.quantile(p).unwrap_or(f64::NAN).round(),
                                ci_low: None,
                                ci_high: None,
                            })
                            .collect(),
                    }
                })
                .collect();
            stocks.push(StockSeries {
                series: name.to_string(),
                metric,
                points,
            });
        }
    }
    stocks
}

pub fn crossing_quantiles(
    model: &Model,
    counts: &DayCounts,
    levels: &[f64],
) -> Vec<CrossingQuantile> {
    levels
        .iter()
        .map(|&p| {
            let day = counts.quantile(p);
            CrossingQuantile {
                p,
                day,
                date: day.map(|d| model.date_of(d)),
                ci_low_day: None,
                ci_low_date: None,
                ci_high_day: None,
                ci_high_date: None,
            }
        })
        .collect()
}

/// How a run's counts become probabilities: counts of paths, or (with observations)
/// units of weight, with the squared units the standard errors need.
#[derive(Clone, Copy)]
enum Mass {
    Paths(f64),
    Weighted { units: f64, units_sq: f64 },
}

impl Mass {
    fn of(tally: &Tally) -> Mass {
        match &tally.weights {
            None => Mass::Paths(tally.paths as f64),
            Some(w) => Mass::Weighted {
                units: w.units as f64,
                units_sq: w.units_sq as f64,
            },
        }
    }

    /// A subset of the paths: `total` units (squared: `total_sq`).
    fn subset(self, total: u64, total_sq: u128) -> Mass {
        match self {
            Mass::Paths(_) => Mass::Paths(total as f64),
            Mass::Weighted { .. } => Mass::Weighted {
                units: total as f64,
                units_sq: total_sq as f64,
            },
        }
    }

    fn total(self) -> f64 {
        match self {
            Mass::Paths(n) => n,
            Mass::Weighted { units, .. } => units,
        }
    }

    /// The paths the mass is worth: the count, or Kish's effective sample size.
    fn effective(self) -> f64 {
        match self {
            Mass::Paths(n) => n,
            Mass::Weighted { units, units_sq } if units_sq > 0.0 => units * units / units_sq,
            Mass::Weighted { .. } => 0.0,
        }
    }

    fn p(self, k: u64) -> f64 {
        k as f64 / self.total()
    }

    /// The share of `k` units (squared: `k_sq`) and its standard error. Weighted, this is
    /// the self-normalised estimator's delta-method error, sqrt(sum w_i^2 (1_i - p)^2) /
    /// sum w_i, which is sqrt(p (1 - p) / n) when every weight is 1.
    fn share(self, k: u64, k_sq: Option<u128>) -> (f64, f64) {
        let p = self.p(k);
        match self {
            Mass::Paths(n) => (p, binomial_se(p, n)),
            Mass::Weighted { units, units_sq } => {
                let a = k_sq.expect("a weighted share has its squares") as f64;
                (p, share_se(p, units, a, units_sq))
            }
        }
    }
}

fn summary(
    model: &Model,
    counts: &DayCounts,
    mass: Mass,
    nc_sq: Option<u128>,
    levels: &[f64],
) -> CrossingSummary {
    if counts.total() == 0 {
        return CrossingSummary {
            paths: 0,
            crossing: Vec::new(),
            p_not_crossed: None,
            p_not_crossed_se: None,
        };
    }
    let (p, se) = mass.share(counts.not_crossed(), nc_sq);
    CrossingSummary {
        paths: mass.effective().round() as u64,
        crossing: crossing_quantiles(model, counts, levels),
        p_not_crossed: Some(p),
        p_not_crossed_se: Some(se),
    }
}

fn events(model: &Model, tally: &Tally, levels: &[f64]) -> Vec<EventResult> {
    let mass = Mass::of(tally);
    let w = tally.weights.as_ref();
    model
        .events
        .iter()
        .enumerate()
        .zip(&tally.events)
        .map(|((e_index, e), t)| {
            let happened_sq = w.map(|w| w.happened_sq[e_index]);
            let (p, se) = mass.share(t.happened, happened_sq);
            let sq = |with: bool| {
                let all_sq = w.map_or(0, |w| w.units_sq);
                let h = happened_sq.unwrap_or(0);
                if with {
                    h
                } else {
                    all_sq - h
                }
            };
            let nc =
                |i: usize, with: bool| w.map(|w| w.not_crossed_sq[e_index][i][usize::from(!with)]);
            EventResult {
                name: e.name.clone(),
                p_happened: p,
                p_happened_se: se,
                thresholds: model
                    .thresholds
                    .iter()
                    .enumerate()
                    .map(|(i, th)| {
                        let with = &t.with[i];
                        let without = &t.without[i];
                        ConditionalCrossing {
                            threshold: th.name.clone(),
                            with_event: summary(
                                model,
                                with,
                                mass.subset(with.total(), sq(true)),
                                nc(i, true),
                                levels,
                            ),
                            without_event: summary(
                                model,
                                without,
                                mass.subset(without.total(), sq(false)),
                                nc(i, false),
                                levels,
                            ),
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

fn regimes(model: &Model, tally: &Tally) -> Vec<RegimeShare> {
    let Some(r) = &model.regimes else {
        return Vec::new();
    };
    let h = model.horizon_days as f64;
    let mass = Mass::of(tally);
    r.names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let (mean, se) = match (mass, &tally.weights) {
                (Mass::Weighted { units, units_sq }, Some(w)) => {
                    // Self-normalised mean of d / h and its delta-method error:
                    // sum w^2 (x - mean)^2 / (sum w)^2.
                    let mean = tally.regime_days[i] as f64 / units / h;
                    let [s1, s2] = w.regime_sq[i];
                    let (s1, s2) = (s1 as f64 / h, s2 as f64 / (h * h));
                    let var = (s2 - 2.0 * mean * s1 + mean * mean * units_sq).max(0.0);
                    (mean, var.sqrt() / units)
                }
                _ => {
                    let n = tally.paths as f64;
                    let mean = tally.regime_days[i] as f64 / n / h;
                    let mean_sq = tally.regime_days_sq[i] as f64 / n / (h * h);
                    let var = (mean_sq - mean * mean).max(0.0) * n / (n - 1.0).max(1.0);
                    (mean, (var / n).sqrt())
                }
            };
            RegimeShare {
                name: name.clone(),
                share_of_days: mean,
                se,
            }
        })
        .collect()
}

fn observations(model: &Model, tally: &Tally, levels: &[f64]) -> Vec<ObservationResult> {
    let Some(w) = &tally.weights else {
        return Vec::new();
    };
    let quantiles = |h: &crate::stats::LogHistogram| -> Vec<StockQuantile> {
        levels
            .iter()
            .map(|&p| StockQuantile {
                p,
                value: h.quantile(p).unwrap_or(f64::NAN).round(),
                ci_low: None,
                ci_high: None,
            })
            .collect()
    };
    model
        .observations
        .iter()
        .zip(&w.observations)
        .map(|(o, t)| {
            let (value_p5, value_p95) = o.value.interval90();
            // The prior's own units: one per path, or the proposal's density ratio.
            let pct = (t.below as f64 + 0.5 * t.equal as f64) / t.prior_units as f64;
            ObservationResult {
                name: o.name.clone(),
                date: model.date_of(o.day),
                day: o.day,
                metric: o.metric,
                sides: o
                    .sides
                    .iter()
                    .map(|&i| model.sides[i].name.clone())
                    .collect(),
                source: o.source.map(|s| model.sources[s].name.clone()),
                value: t.value.round(),
                value_p5: value_p5.round(),
                value_p95: value_p95.round(),
                shape: o.value.shape().to_string(),
                prior_percentile: pct,
                prior_percentile_se: share_se(
                    pct,
                    t.prior_units as f64,
                    t.below_sq as f64,
                    t.prior_units_sq as f64,
                ),
                prior: quantiles(&t.prior),
                posterior: quantiles(&t.posterior),
            }
        })
        .collect()
}

/// The standard error of a self-normalised share `p` of `total` units whose part has
/// squared units `part_sq` (of `total_sq` in all): the delta method's
/// sqrt(sum w^2 (1_A - p)^2) / sum w, which is the binomial one when every weight is 1.
pub(crate) fn share_se(p: f64, total: f64, part_sq: f64, total_sq: f64) -> f64 {
    let var = (part_sq * (1.0 - 2.0 * p) + p * p * total_sq).max(0.0);
    var.sqrt() / total
}

/// The weighted tally's verdict on whether any path explains the observations: `None`
/// when some weight is left, else a sentence naming the observations.
pub fn unexplained(model: &Model, weights: &WeightTally) -> Option<String> {
    if weights.units > 0 {
        return None;
    }
    let names: Vec<String> = model
        .observations
        .iter()
        .map(|o| format!("'{}' ({})", o.name, model.date_of(o.day)))
        .collect();
    let best = match weights.best_log_weight {
        Some(b) => format!(
            "the best path's log likelihood is {b:.1}, below the weights' resolution of -22.9"
        ),
        None => "every path's likelihood is zero".to_string(),
    };
    Some(format!(
        "no path explains the observations {}: {best}. Widen the figures' intervals, give their sources a bias range, or check the dates and sides against the scenario",
        names.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_reads_back_from_fields_and_from_a_version_1_sentence() {
        for (noise, rho) in [
            (Noise::None, 0.0),
            (Noise::lognormal(0.3), 0.0),
            (Noise::lognormal_from_cv(0.139), 0.25),
            (Noise::gamma_from_cv(0.3), 0.0),
            (Noise::gamma_from_sigma(0.1), 0.5),
        ] {
            let info = NoiseInfo::new(noise, rho);
            let fields: NoiseInfo =
                serde_json::from_value(serde_json::to_value(&info).unwrap()).unwrap();
            assert_eq!(fields, info);
            assert_eq!(
                NoiseInfo::from_description(&info.description),
                Some(info.clone())
            );
        }
        let v1 = NoiseInfo::from_description("gamma, mean one, shape 51.75").unwrap();
        assert_eq!(
            (v1.model.as_str(), v1.sigma, v1.shape, v1.correlation),
            ("gamma", None, Some(51.75), 0.0)
        );
        let v1 = NoiseInfo::from_description(
            "lognormal, mean one, sigma 0.3, shock correlation 0.4 between sides",
        )
        .unwrap();
        assert_eq!(
            (v1.sigma, v1.cv, v1.correlation),
            (Some(0.3), 0.09f64.exp_m1().sqrt(), 0.4)
        );
        for bad in [
            "",
            "gamma",
            "lognormal, mean one, sigma x",
            "none, shock correlation 0.4 between",
            "gamma, mean one, shape 2.50",
        ] {
            assert_eq!(NoiseInfo::from_description(bad), None, "{bad}");
        }
    }
}
