//! The validated scenario: what the engine runs. Holding a `Model` means the input was valid.
//!
//! No serde, no I/O and no file positions here: `scenario` turns a file into a `Model`,
//! checking everything once, and the engine trusts what it is given. Days are counted
//! after the reference date (day 0 holds the baseline stocks).

use crate::date::Date;
use crate::sample::Dist;

mod held;
mod inputs;
mod observations;
pub use held::{file_key, Held, HeldValue};
pub use inputs::{ColumnKind, Input, Inputs, Law, Mechanism, What};
pub use observations::{Likelihood, Observation, Source, MAX_OBSERVATIONS, MAX_SOURCES};

/// Index of a side in `Model::sides`.
pub type SideId = usize;

/// Largest horizon accepted: 100 years of days. Longer runs are not projections any more.
pub const MAX_HORIZON_DAYS: u32 = 36_525;

/// Largest path count accepted: about 20 minutes of W1 on two cores.
pub const MAX_PATHS: u64 = 1_000_000_000;

/// Largest stated stock, rate, total or level: far above any war's losses, and small
/// enough that sums of daily counts stay exact to well under one person in f64.
pub const MAX_QUANTITY: f64 = 1e15;

/// Most report dates a scenario may list (each costs a histogram per series and metric).
pub const MAX_REPORT_DATES: usize = 1000;

/// Largest stated multiplier of a phase.
pub const MAX_FACTOR: f64 = 1e6;

/// Largest scenario file, in bytes: a hand-written scenario is a few kilobytes, and the
/// count limits below fit well within it. Checked before parsing.
pub const MAX_FILE_BYTES: usize = 1 << 20;

/// Longest line, in bytes: room for 1,000 quoted report dates on one line. Checked
/// before parsing (a 5 MB key took 15 s and 800 MB to refuse).
pub const MAX_LINE_BYTES: usize = 32 << 10;

/// Longest name (of a scenario, side, phase, event, regime or threshold), in characters:
/// names label tables, figures and CSV columns.
pub const MAX_NAME_CHARS: usize = 100;

/// Most sides: each adds a stock series per report date, noise and a force.
pub const MAX_SIDES: usize = 16;

/// Most thresholds: each keeps a crossing-day count per day of the horizon per worker
/// (and two more per event).
pub const MAX_THRESHOLDS: usize = 20;

/// Most phases: each is a drawn factor and a change of rates on every path.
pub const MAX_PHASES: usize = 100;

/// Most events: each is drawn on every path and keeps two crossing-day counts per
/// threshold.
pub const MAX_EVENTS: usize = 10;

/// Most regimes (states of the chain): the transition table is their square.
pub const MAX_REGIMES: usize = 20;

/// Most correlation groups (an input may be in one only, so their size is bounded by
/// the inputs there are).
pub const MAX_CORRELATIONS: usize = 50;

/// Largest seed: TOML integers are 64-bit signed, so a file (and, to match, the command
/// line) takes 0 to 2^63 - 1.
pub const MAX_SEED: u64 = i64::MAX as u64;

#[derive(Clone, Debug)]
pub struct Model {
    pub name: String,
    pub title: String,
    pub reference_date: Date,
    /// Last simulated day, at least 1.
    pub horizon_days: u32,
    /// Sorted, distinct days in `1..=horizon_days`.
    pub report_days: Vec<u32>,
    pub default_paths: u64,
    pub default_seed: u64,
    pub sides: Vec<Side>,
    pub noise: Noise,
    pub phases: Vec<Phase>,
    pub thresholds: Vec<Threshold>,
    /// Uncertain events (ceasefires, escalations): see `Event`.
    pub events: Vec<Event>,
    pub regimes: Option<Regimes>,
    pub seasonality: Option<Seasonality>,
    pub trend: Option<Trend>,
    /// Gaussian-copula correlations between drawn inputs (of `inputs()`).
    pub correlations: Vec<Correlation>,
    /// Correlation of the sides' day-to-day noise (a shared shock), in [0, 1).
    pub shock_correlation: f64,
    /// Force-dependent (Lanchester) attrition; every side then has a `Force`.
    pub force_law: Option<ForceLaw>,
    /// Figures reported after the reference date, which weight the paths.
    pub observations: Vec<Observation>,
    /// The sources the observations name.
    pub sources: Vec<Source>,
    /// How a run with observations draws its inputs.
    pub proposal: ProposalMode,
}

/// How a run with observations draws its inputs: from a proposal fitted to them
/// (`engine::proposal`), or from the scenario's own distributions. Either way the weights
/// are exact and the estimates unbiased; the proposal buys effective paths.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProposalMode {
    /// A proposal when the scenario's own draws would waste most paths.
    #[default]
    Auto,
    /// The scenario's own distributions (`--proposal off`).
    Off,
}

#[derive(Clone, Debug)]
pub struct Side {
    pub name: String,
    /// Cumulative casualties (killed, wounded, missing) on day 0.
    pub casualties: Dist,
    pub rate: Rate,
    pub killed: Option<Killed>,
    /// Troops in the line, for force-dependent attrition.
    pub force: Option<Force>,
}

/// A side's force in the line (Lanchester models): `size` on day 0, `recruits_per_day`
/// added every day, and the share of each day's casualties that returns to the line.
#[derive(Clone, Debug)]
pub struct Force {
    pub size: Dist,
    pub recruits_per_day: Dist,
    /// Values are clamped into [0, 1] when drawn.
    pub return_share: Dist,
}

/// How a side's daily losses depend on the forces (each side's rate is calibrated so
/// that day 0 gives the drawn rate exactly).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForceLaw {
    /// Aimed fire: losses proportional to the opposing force.
    Square,
    /// Area fire: losses proportional to the product of both forces.
    Linear,
}

/// An event that may happen on a path: with a drawn probability, at a drawn day, it
/// multiplies some sides' rates until it ends (or to the horizon).
#[derive(Clone, Debug)]
pub struct Event {
    pub name: String,
    /// Values are clamped into [0, 1] when drawn.
    pub probability: Dist,
    pub start: EventStart,
    pub effect: PhaseEffect,
    pub end: EventEnd,
}

#[derive(Clone, Debug, PartialEq)]
pub enum EventStart {
    /// Uniform over the days `first..=last` (equal for a fixed date).
    Window { first: u32, last: u32 },
    /// From day `from` on, a constant daily probability of starting (it may fall after
    /// the horizon, in which case the event does not happen within it).
    Hazard { from: u32, daily: f64 },
}

#[derive(Clone, Debug)]
pub enum EventEnd {
    /// Lasts to the horizon.
    Never,
    /// Lasts a drawn number of days (rounded, at least one).
    Duration(Dist),
    /// Each day after the first, ends with this probability.
    Hazard { daily: f64 },
}

/// Intensity regimes switching by a Markov chain.
#[derive(Clone, Debug)]
pub struct Regimes {
    pub step: RegimeStep,
    pub names: Vec<String>,
    /// The rate multipliers of each regime.
    pub effects: Vec<PhaseEffect>,
    /// Probability of each regime on day 1; sums to one.
    pub initial: Vec<f64>,
    /// `transition[i][j]`: probability that a step goes from regime i to j; rows sum to one.
    pub transition: Vec<Vec<f64>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegimeStep {
    /// The chain steps on the first day of each calendar month.
    Month,
    /// The chain steps every day.
    Day,
}

/// Rate multipliers by calendar month (January first), on the listed sides.
#[derive(Clone, Debug)]
pub struct Seasonality {
    pub months: [f64; 12],
    pub sides: Vec<SideId>,
}

/// Growth of the rates: in the m-th calendar month after the reference date's month, the
/// rates are multiplied by `(1 + g / 100)^m`, `g` drawn per path (percent per month).
#[derive(Clone, Debug)]
pub struct Trend {
    pub percent_per_month: TrendDist,
    pub sides: Vec<SideId>,
}

/// A trend range: it may be negative, so it has its own two shapes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TrendDist {
    Fixed(f64),
    /// Normal with this mean and standard deviation, clamped to [MIN_TREND, MAX_TREND].
    Normal {
        mean: f64,
        sd: f64,
    },
    Uniform {
        lo: f64,
        hi: f64,
    },
}

/// Lowest and highest trend in percent per month.
pub const MIN_TREND: f64 = -99.0;
pub const MAX_TREND: f64 = 1000.0;

/// Inputs whose normal scores share the correlation `rho` (equicorrelated).
#[derive(Clone, Debug)]
pub struct Correlation {
    /// The inputs, as indices into `Model::inputs()`.
    pub inputs: Vec<usize>,
    pub rho: f64,
}

/// How a side's mean daily casualty rate is drawn on a path.
#[derive(Clone, Debug)]
pub enum Rate {
    /// Casualties per day, drawn directly.
    PerDay(Dist),
    /// A reported total over `days` days, divided by `days`.
    ImpliedByTotal { total: Dist, days: u32 },
    /// The path's own baseline casualties divided by the days since the war began.
    ImpliedByBaseline { days: u32 },
}

/// Killed: the stock on day 0 and the share of new casualties that are killed.
#[derive(Clone, Debug)]
pub struct Killed {
    pub baseline: Dist,
    /// Values are clamped into [0, 1] when drawn.
    pub share: Dist,
}

/// Smallest noise: a cv or sigma below this is no noise to f64, and the gamma shape
/// 1 / cv^2 overflows from about 1e-154 (`cv = 1e-320` passed validation, then the run
/// failed as an overflow).
pub const MIN_NOISE: f64 = 1e-6;

/// Largest coefficient of variation of the daily multiplier a scenario may give.
pub const MAX_NOISE_CV: f64 = 10.0;

/// `MAX_NOISE_CV` as a lognormal sigma, `sqrt(ln(1 + 10^2)) = sqrt(ln 101)`: the same
/// bound whichever of `sigma` and `cv` a scenario gives. Written out because `ln` and
/// `sqrt` are not `const`; a test checks it is the conversion's value to the last bit.
pub const MAX_NOISE_SIGMA: f64 = 2.148_283_155_648_077;

/// Day-to-day variation of a side's daily count around its rate; always mean one.
///
/// The three ways to state its size (a lognormal's `sigma`, a gamma's `shape`, and the
/// coefficient of variation `cv` of the multiplier, which both models share) are
/// converted here and nowhere else: the loader, `fit`, `backtest` and the reports use
/// these functions.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Noise {
    /// The daily count is exactly the rate.
    None,
    /// `m = exp(sigma Z - sigma^2 / 2)`, Z standard normal.
    LogNormal { sigma: f64 },
    /// `m ~ Gamma(shape k, scale 1/k)`: coefficient of variation `1/sqrt(k)`.
    Gamma { shape: f64 },
}

impl Noise {
    /// Lognormal noise of log-scale sd `sigma`; no noise if `sigma` is not above 0.
    pub fn lognormal(sigma: f64) -> Noise {
        if sigma > 0.0 {
            Noise::LogNormal { sigma }
        } else {
            Noise::None
        }
    }

    /// Lognormal noise whose multiplier has coefficient of variation `cv`; no noise if
    /// `cv` is not above 0.
    pub fn lognormal_from_cv(cv: f64) -> Noise {
        Noise::lognormal(Noise::sigma_of_cv(cv))
    }

    /// Gamma noise whose multiplier has coefficient of variation `cv`; no noise if `cv`
    /// is not above 0 (a gamma of infinite shape, which cannot be drawn).
    pub fn gamma_from_cv(cv: f64) -> Noise {
        if cv > 0.0 {
            Noise::Gamma {
                shape: Noise::shape_of_cv(cv),
            }
        } else {
            Noise::None
        }
    }

    /// Gamma noise with the coefficient of variation of lognormal noise of `sigma`; no
    /// noise if `sigma` is not above 0.
    pub fn gamma_from_sigma(sigma: f64) -> Noise {
        if sigma > 0.0 {
            Noise::Gamma {
                // Straight from sigma, not through the cv: exp_m1 keeps small sigmas exact.
                shape: 1.0 / (sigma * sigma).exp_m1(),
            }
        } else {
            Noise::None
        }
    }

    /// `ln(1 + cv^2)`: the variance of the log of a lognormal multiplier with this cv.
    pub fn log_variance_of_cv(cv: f64) -> f64 {
        // ln_1p, not ln(1 + x): for small cvs 1 + cv^2 loses cv^2's digits.
        (cv * cv).ln_1p()
    }

    /// The lognormal sigma of coefficient of variation `cv`, `sqrt(ln(1 + cv^2))`.
    pub fn sigma_of_cv(cv: f64) -> f64 {
        Noise::log_variance_of_cv(cv).sqrt()
    }

    /// The coefficient of variation of a lognormal of `sigma`, `sqrt(exp(sigma^2) - 1)`.
    pub fn cv_of_sigma(sigma: f64) -> f64 {
        (sigma * sigma).exp_m1().sqrt()
    }

    /// The gamma shape of coefficient of variation `cv`, `1 / cv^2` (infinite for 0).
    pub fn shape_of_cv(cv: f64) -> f64 {
        1.0 / (cv * cv)
    }

    /// The coefficient of variation of a gamma of `shape`, `1 / sqrt(shape)`.
    pub fn cv_of_shape(shape: f64) -> f64 {
        // sqrt(1 / k) rather than 1 / sqrt(k): it gives back the cv a shape was made from
        // (shape_of_cv) more often, so a scenario's `cv = 0.3` reports as 0.3.
        (1.0 / shape).sqrt()
    }

    /// The model's name as a scenario's `[noise] model` gives it.
    pub fn name(&self) -> &'static str {
        match self {
            Noise::None => "none",
            Noise::LogNormal { .. } => "lognormal",
            Noise::Gamma { .. } => "gamma",
        }
    }

    /// Coefficient of variation of the daily multiplier (its sd, the mean being one);
    /// 0 without noise.
    pub fn cv(&self) -> f64 {
        match *self {
            Noise::None => 0.0,
            Noise::LogNormal { sigma } => Noise::cv_of_sigma(sigma),
            Noise::Gamma { shape } => Noise::cv_of_shape(shape),
        }
    }

    /// The lognormal's sigma (sd of the log of the multiplier); `None` for other models.
    pub fn sigma(&self) -> Option<f64> {
        match *self {
            Noise::LogNormal { sigma } => Some(sigma),
            _ => None,
        }
    }

    /// The gamma's shape k (its scale is 1/k); `None` for other models.
    pub fn shape(&self) -> Option<f64> {
        match *self {
            Noise::Gamma { shape } => Some(shape),
            _ => None,
        }
    }

    /// The model in words, as the table prints it: `none`, `lognormal, mean one, sigma
    /// 0.3` or `gamma, mean one, shape 11.11111111111111` (numbers in the shortest form
    /// that reads back to the same value).
    pub fn describe(&self) -> String {
        match *self {
            Noise::None => "none".to_string(),
            Noise::LogNormal { sigma } => format!("lognormal, mean one, sigma {sigma}"),
            Noise::Gamma { shape } => format!("gamma, mean one, shape {shape}"),
        }
    }
}

/// A date window in which some sides' rates are multiplied by a drawn factor.
#[derive(Clone, Debug)]
pub struct Phase {
    pub name: String,
    /// First and last day of the window, inclusive, within `1..=horizon_days`.
    pub first_day: u32,
    pub last_day: u32,
    pub effect: PhaseEffect,
}

#[derive(Clone, Debug)]
pub enum PhaseEffect {
    /// One draw, applied to every listed side.
    Shared { factor: Dist, sides: Vec<SideId> },
    /// One draw per listed side.
    PerSide(Vec<(SideId, Dist)>),
}

impl Phase {
    /// Sides this phase touches, each once.
    pub fn sides(&self) -> Vec<SideId> {
        match &self.effect {
            PhaseEffect::Shared { sides, .. } => sides.clone(),
            PhaseEffect::PerSide(v) => v.iter().map(|(s, _)| *s).collect(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Metric {
    Casualties,
    Killed,
}

impl Metric {
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::Casualties => "casualties",
            Metric::Killed => "killed",
        }
    }
}

/// A level of a metric summed over a set of sides.
#[derive(Clone, Debug)]
pub struct Threshold {
    pub name: String,
    pub metric: Metric,
    /// Distinct, in file order of the sides.
    pub sides: Vec<SideId>,
    pub level: f64,
}

impl Model {
    /// Date of simulation day `day`.
    pub fn date_of(&self, day: u32) -> Date {
        self.reference_date.add_days(day as i64)
    }

    pub fn horizon_date(&self) -> Date {
        self.date_of(self.horizon_days)
    }

    /// Drops everything that makes rates move (phases, events, regimes, seasonality,
    /// trend, correlations, shared shocks, the force model): a status quo at the drawn
    /// rates. Kept here, beside the fields, so a new mechanism is dropped too.
    pub fn clear_dynamics(&mut self) {
        self.phases.clear();
        self.events.clear();
        self.regimes = None;
        self.seasonality = None;
        self.trend = None;
        self.correlations.clear();
        self.shock_correlation = 0.0;
        self.force_law = None;
        for s in &mut self.sides {
            s.force = None;
        }
    }

    /// Whether every side projects killed, so combined killed can be reported.
    pub fn all_sides_have_killed(&self) -> bool {
        self.sides.iter().all(|s| s.killed.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Relative difference.
    fn rel(a: f64, b: f64) -> f64 {
        ((a - b) / b).abs()
    }

    #[test]
    fn noise_conversions_round_trip_over_the_accepted_range() {
        let mut cvs = vec![MIN_NOISE, 1e-4, 0.01, 0.139, 0.3, 1.0, 2.5, MAX_NOISE_CV];
        cvs.extend((1..200).map(|i| i as f64 * 0.05));
        for cv in cvs {
            let sigma = Noise::sigma_of_cv(cv);
            assert!(
                rel(Noise::cv_of_sigma(sigma), cv) < 1e-13,
                "cv {cv} -> sigma"
            );
            assert!(
                rel(Noise::cv_of_shape(Noise::shape_of_cv(cv)), cv) < 1e-15,
                "cv {cv} -> shape"
            );
            assert_eq!(Noise::lognormal_from_cv(cv), Noise::LogNormal { sigma });
            assert!(rel(Noise::lognormal_from_cv(cv).cv(), cv) < 1e-13);
            assert!(rel(Noise::gamma_from_cv(cv).cv(), cv) < 1e-15);
            // sigma -> shape directly agrees with sigma -> cv -> shape.
            let k = Noise::gamma_from_sigma(sigma).shape().unwrap();
            assert!(
                rel(k, Noise::shape_of_cv(Noise::cv_of_sigma(sigma))) < 1e-13,
                "sigma {sigma}"
            );
            assert!(rel(Noise::log_variance_of_cv(cv), sigma * sigma) < 1e-15);
        }
        // The cv a scenario writes comes back as written from the gamma it made.
        for cv in [0.1, 0.139, 0.2, 0.3, 0.5, 1.0, 3.0] {
            assert_eq!(Noise::gamma_from_cv(cv).cv(), cv);
        }
        assert_eq!(Noise::cv_of_sigma(0.3), (0.09f64).exp_m1().sqrt());
    }

    #[test]
    fn noise_bounds_are_one_bound_in_either_unit() {
        // The loader compared sigma with this value before it was a constant.
        assert_eq!(MAX_NOISE_SIGMA.to_bits(), 101f64.ln().sqrt().to_bits());
        assert_eq!(
            MAX_NOISE_SIGMA.to_bits(),
            Noise::sigma_of_cv(MAX_NOISE_CV).to_bits()
        );
        let cv = Noise::cv_of_sigma(MAX_NOISE_SIGMA);
        assert!(cv <= MAX_NOISE_CV && rel(cv, MAX_NOISE_CV) < 1e-14, "{cv}");
        // Every accepted value makes a finite, positive shape the gamma sampler can use.
        for v in [MIN_NOISE, MAX_NOISE_CV] {
            let k = Noise::gamma_from_cv(v).shape().unwrap();
            assert!(k.is_finite() && k > 0.0, "cv {v}: {k}");
        }
        for v in [MIN_NOISE, MAX_NOISE_SIGMA] {
            let k = Noise::gamma_from_sigma(v).shape().unwrap();
            assert!(k.is_finite() && k > 0.0, "sigma {v}: {k}");
        }
    }

    #[test]
    fn no_noise_has_cv_zero_and_no_parameters() {
        for n in [
            Noise::None,
            Noise::gamma_from_cv(0.0),
            Noise::lognormal_from_cv(0.0),
            Noise::lognormal(0.0),
            Noise::gamma_from_sigma(0.0),
        ] {
            assert_eq!(n, Noise::None);
            assert_eq!(
                (n.cv(), n.sigma(), n.shape(), n.name()),
                (0.0, None, None, "none")
            );
        }
        let l = Noise::lognormal(0.3);
        assert_eq!(
            (l.sigma(), l.shape(), l.name()),
            (Some(0.3), None, "lognormal")
        );
        let g = Noise::gamma_from_cv(0.3);
        assert_eq!((g.sigma(), g.name()), (None, "gamma"));
        assert_eq!(g.shape(), Some(1.0 / (0.3 * 0.3)));
    }

    #[test]
    fn noise_is_described_as_before() {
        assert_eq!(Noise::None.describe(), "none");
        assert_eq!(
            Noise::lognormal(0.3).describe(),
            "lognormal, mean one, sigma 0.3"
        );
        assert_eq!(
            Noise::Gamma { shape: 25.0 }.describe(),
            "gamma, mean one, shape 25"
        );
    }
}
