//! Every key of a scenario file, defined once: its name, the kind of value it takes (with
//! its bounds), whether it is required, its default and a line of documentation.
//!
//! The loader's unknown-key checks (`Table::only`) read the names from here, the JSON
//! Schema (schema.rs) is generated from it, and tests check the key tables of
//! docs/scenarios.md and the loader's numeric bounds against it, so a key added, renamed or
//! re-bounded here shows up, or fails a test, everywhere it is described.

use crate::model::{
    MAX_CORRELATIONS, MAX_EVENTS, MAX_HORIZON_DAYS, MAX_NAME_CHARS, MAX_NOISE_CV, MAX_NOISE_SIGMA,
    MAX_OBSERVATIONS, MAX_PATHS, MAX_PHASES, MAX_QUANTITY, MAX_REPORT_DATES, MAX_SEED,
    MAX_THRESHOLDS, MAX_TREND, MIN_NOISE, MIN_TREND,
};

pub const NOISE_MODELS: &[&str] = &["none", "lognormal", "gamma"];
pub const METRICS: &[&str] = &["casualties", "killed"];
pub const STEPS: &[&str] = &["month", "day"];
pub const LAWS: &[&str] = &["square", "linear"];
pub const TREND_SHAPES: &[&str] = &["normal", "uniform"];
pub use super::range::SHAPES;

/// Paths and seed when the file does not say.
pub const DEFAULT_PATHS: u64 = 100_000;
pub const DEFAULT_SEED: u64 = 1;

/// One end of a numeric interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limit {
    pub value: f64,
    /// The value itself is outside.
    pub exclusive: bool,
}

const fn incl(value: f64) -> Option<Limit> {
    Some(Limit {
        value,
        exclusive: false,
    })
}

const fn excl(value: f64) -> Option<Limit> {
    Some(Limit {
        value,
        exclusive: true,
    })
}

/// What a key's value is. Forms with alternatives that have keys of their own are
/// variants, so that every key name is spelled in this file only.
#[derive(Clone, Copy, Debug)]
pub enum ValueKind {
    /// A string of `min_chars` to `max_chars` characters.
    Text {
        min_chars: usize,
        max_chars: usize,
    },
    /// A finite number, TOML integer or float.
    Number {
        min: Option<Limit>,
        max: Option<Limit>,
    },
    /// A whole number, `min` to `max`: a TOML integer (`peak_month` also takes `8.0`,
    /// which JSON Schema's "integer" allows too).
    Integer {
        min: u64,
        max: u64,
    },
    Date,
    /// An array of at most `max_items` dates.
    Dates {
        max_items: usize,
    },
    /// An uncertain number (range.rs); a table form has the keys `RANGE`.
    Range,
    /// One of these strings.
    Choice(&'static [&'static str]),
    /// An array of side names, each once.
    SideList,
    /// `{ SIDE = range, ... }`.
    PerSide,
    /// `{ NAME = probability, ... }`.
    Probabilities,
    /// Twelve factors, January first.
    Months,
    /// An array of the key paths of two or more drawn inputs.
    Inputs,
    /// A table with these keys.
    Table(&'static [Key]),
    /// An array of at most `max` tables with these keys.
    Tables {
        keys: &'static [Key],
        max: usize,
    },
    /// `[sides.NAME]`: named tables with the keys `SIDE`.
    Sides,
    /// `[regimes.states.NAME]`: named tables with the keys `STATE`.
    States,
    /// `[sources.NAME]`: named tables with the keys `SOURCE`.
    Sources,
    /// A range, or `{ total, from, to }` (`IMPLIED`).
    Rate,
    /// A range, or the string "casualties".
    Total,
    /// A date, or `{ from, to }` / `{ from, monthly_hazard }` (`START`).
    EventStart,
    /// A number in the trend bounds, or `{ lo, hi, shape }` (`TREND_RANGE`).
    Trend,
    /// A regime name, or `{ NAME = p, ... }`.
    Initial,
    /// `[sweep]`: quoted key paths, each with an array of values (`grid.rs`).
    Sweep,
}

impl ValueKind {
    /// The keys of the table this kind is, or may be written as.
    pub fn keys(&self) -> Option<&'static [Key]> {
        match self {
            ValueKind::Table(keys) | ValueKind::Tables { keys, .. } => Some(keys),
            ValueKind::Sides => Some(SIDE),
            ValueKind::States => Some(STATE),
            ValueKind::Sources => Some(SOURCE),
            ValueKind::Rate => Some(IMPLIED),
            ValueKind::EventStart => Some(START),
            ValueKind::Trend => Some(TREND_RANGE),
            _ => None,
        }
    }
}

/// A default value, as stated in the schema.
#[derive(Clone, Copy, Debug)]
pub enum DefaultValue {
    None,
    Integer(u64),
    Number(f64),
    Text(&'static str),
}

/// One key of a table.
#[derive(Clone, Copy, Debug)]
pub struct Key {
    pub name: &'static str,
    pub kind: ValueKind,
    /// The loader refuses the table without it. Keys required only as one of two
    /// alternatives (`horizon` or `horizon_days`) are not.
    pub required: bool,
    pub default: DefaultValue,
    /// One line for editors' hover help (docs/scenarios.md says the rest).
    pub doc: &'static str,
}

const fn key(name: &'static str, kind: ValueKind, doc: &'static str) -> Key {
    Key {
        name,
        kind,
        required: false,
        default: DefaultValue::None,
        doc,
    }
}

impl Key {
    const fn required(self) -> Key {
        Key {
            required: true,
            ..self
        }
    }

    const fn default(self, default: DefaultValue) -> Key {
        Key { default, ..self }
    }
}

/// The names of `keys`, in order, for messages and did-you-mean.
pub fn names(keys: &[Key]) -> Vec<&'static str> {
    keys.iter().map(|k| k.name).collect()
}

const NAME: ValueKind = ValueKind::Text {
    min_chars: 1,
    max_chars: MAX_NAME_CHARS,
};
const PROBABILITY: ValueKind = ValueKind::Number {
    min: incl(0.0),
    max: incl(1.0),
};

#[rustfmt::skip]
pub const TOP: &[Key] = &[
    key("scenario", ValueKind::Table(SCENARIO), "What the scenario is and how it runs.").required(),
    key("noise", ValueKind::Table(NOISE), "Day-to-day variation of each side's daily count, mean one.").required(),
    key("sides", ValueKind::Sides, "The sides (belligerents), one [sides.NAME] table each.").required(),
    key("phases", ValueKind::Tables { keys: PHASE, max: MAX_PHASES }, "Date windows in which rates are multiplied by a drawn factor."),
    key("thresholds", ValueKind::Tables { keys: THRESHOLD, max: MAX_THRESHOLDS }, "Levels of a metric summed over sides, whose crossing dates are reported."),
    key("events", ValueKind::Tables { keys: EVENT, max: MAX_EVENTS }, "Uncertain events (ceasefires, escalations) that multiply rates while they last."),
    key("regimes", ValueKind::Table(REGIMES), "Intensity regimes switching by a Markov chain."),
    key("seasonality", ValueKind::Table(SEASONALITY), "Rate multipliers by calendar month."),
    key("trend", ValueKind::Table(TREND), "Growth of the rates, compounded by calendar month."),
    key("correlations", ValueKind::Tables { keys: CORRELATION, max: MAX_CORRELATIONS }, "Groups of inputs drawn through a Gaussian copula."),
    key("force", ValueKind::Table(FORCE), "Force-dependent (Lanchester) attrition."),
    key("observations", ValueKind::Tables { keys: OBSERVATION, max: MAX_OBSERVATIONS }, "Figures reported after the reference date, which weight the paths by their likelihood."),
    key("sources", ValueKind::Sources, "The sources observations name, one [sources.NAME] table each, with an optional bias."),
    key("sweep", ValueKind::Sweep, "For `attrition sweep`: each quoted key path with the values it takes (the grid's cross product); other commands ignore it."),
];

#[rustfmt::skip]
pub const SCENARIO: &[Key] = &[
    key("name", NAME, "short id shown in every output").required(),
    key("title", ValueKind::Text { min_chars: 0, max_chars: 2 * MAX_NAME_CHARS }, "longer title for tables and plots (default: name)"),
    key("reference_date", ValueKind::Date, "day 0: the date of the baseline stocks").required(),
    key("horizon", ValueKind::Date, "the last simulated date (or give horizon_days)"),
    key("horizon_days", ValueKind::Integer { min: 1, max: MAX_HORIZON_DAYS as u64 }, "the last simulated day, in days after the reference date (or give horizon)"),
    key("report_dates", ValueKind::Dates { max_items: MAX_REPORT_DATES }, "dates at which stocks and P(crossed by) are reported"),
    key("paths", ValueKind::Integer { min: 1, max: MAX_PATHS }, "number of Monte Carlo paths").default(DefaultValue::Integer(DEFAULT_PATHS)),
    key("seed", ValueKind::Integer { min: 0, max: MAX_SEED }, "seed of every random stream").default(DefaultValue::Integer(DEFAULT_SEED)),
];

#[rustfmt::skip]
pub const NOISE: &[Key] = &[
    key("model", ValueKind::Choice(NOISE_MODELS), "the noise model").required(),
    key("sigma", ValueKind::Number { min: incl(MIN_NOISE), max: incl(MAX_NOISE_SIGMA) }, "standard deviation of the log of the daily multiplier (or give cv)"),
    key("cv", ValueKind::Number { min: incl(MIN_NOISE), max: incl(MAX_NOISE_CV) }, "coefficient of variation of the daily multiplier (or give sigma)"),
    key("correlation", ValueKind::Number { min: incl(0.0), max: excl(1.0) }, "correlation of the sides' day-to-day shocks").default(DefaultValue::Number(0.0)),
];

#[rustfmt::skip]
pub const SIDE: &[Key] = &[
    key("casualties", ValueKind::Range, "cumulative casualties on the reference date").required(),
    key("rate_per_day", ValueKind::Rate, "mean casualties per day").required(),
    key("killed", ValueKind::Range, "killed on the reference date"),
    key("killed_share", ValueKind::Range, "share of new casualties who are killed"),
    key("force", ValueKind::Range, "troops in the line on the reference date (with [force])"),
    key("recruits_per_day", ValueKind::Range, "troops added to the line each day (with [force])"),
    key("return_to_duty", ValueKind::Range, "share of casualties who return to the line (with [force])"),
];

/// `rate_per_day = { total, from, to }`.
#[rustfmt::skip]
pub const IMPLIED: &[Key] = &[
    key("total", ValueKind::Total, "the reported total over the period, or \"casualties\" for the side's own baseline").required(),
    key("from", ValueKind::Date, "first day of the period").required(),
    key("to", ValueKind::Date, "last day of the period; default and latest: the reference date"),
];

#[rustfmt::skip]
pub const PHASE: &[Key] = &[
    key("name", NAME, "label; also keys the phase's random stream").required(),
    key("start", ValueKind::Date, "first day of the phase").required(),
    key("end", ValueKind::Date, "last day of the phase (inclusive); default: the horizon"),
    key("sides", ValueKind::SideList, "the sides multiplier applies to (default all)"),
    key("multiplier", ValueKind::Range, "one factor for the listed sides (or give multipliers)"),
    key("multipliers", ValueKind::PerSide, "one factor per side (or give multiplier)"),
];

#[rustfmt::skip]
pub const THRESHOLD: &[Key] = &[
    key("name", NAME, "label in the output").required(),
    key("metric", ValueKind::Choice(METRICS), "the metric summed over the sides").default(DefaultValue::Text("casualties")),
    key("sides", ValueKind::SideList, "the sides whose stocks are summed (default all)"),
    key("level", ValueKind::Number { min: excl(0.0), max: incl(MAX_QUANTITY) }, "level of the summed cumulative metric").required(),
];

#[rustfmt::skip]
pub const OBSERVATION: &[Key] = &[
    key("name", NAME, "label in the output").required(),
    key("date", ValueKind::Date, "the date the figure is of, from the reference date to the horizon").required(),
    key("metric", ValueKind::Choice(METRICS), "the metric summed over the sides").default(DefaultValue::Text("casualties")),
    key("sides", ValueKind::SideList, "the sides whose stocks are summed (default all)"),
    key("value", ValueKind::Range, "the source's figure as an interval of the truth (lognormal, normal or uniform)").required(),
    key("source", NAME, "a [sources.NAME] table: observations naming one source share its bias draw"),
];

#[rustfmt::skip]
pub const SOURCE: &[Key] = &[
    key("bias", ValueKind::Range, "reported = true x bias, drawn once per path (default: unbiased)"),
];

#[rustfmt::skip]
pub const EVENT: &[Key] = &[
    key("name", NAME, "label; keys the event's draws").required(),
    key("probability", ValueKind::Range, "probability that the event happens (values above 1 are clamped)").required(),
    key("start", ValueKind::EventStart, "a date, a window { from, to } or { from, monthly_hazard }").required(),
    key("sides", ValueKind::SideList, "the sides multiplier applies to (default all)"),
    key("multiplier", ValueKind::Range, "one factor for the listed sides (or give multipliers)"),
    key("multipliers", ValueKind::PerSide, "one factor per side (or give multiplier)"),
    key("duration_days", ValueKind::Range, "how long it lasts, in days"),
    key("end_monthly_hazard", PROBABILITY, "probability of ending in any month after it started"),
];

/// An event's `start` as a table.
#[rustfmt::skip]
pub const START: &[Key] = &[
    key("from", ValueKind::Date, "the first date it can start").required(),
    key("to", ValueKind::Date, "the last date it can start (uniform between from and to)"),
    key("monthly_hazard", ValueKind::Number { min: excl(0.0), max: incl(1.0) }, "probability of starting in any month from `from` on (constant daily hazard)"),
];

#[rustfmt::skip]
pub const REGIMES: &[Key] = &[
    key("step", ValueKind::Choice(STEPS), "when the chain steps").required(),
    key("initial", ValueKind::Initial, "the regime on day 1, or their probabilities").required(),
    key("states", ValueKind::States, "the regimes, one [regimes.states.NAME] table each").required(),
];

#[rustfmt::skip]
pub const STATE: &[Key] = &[
    key("sides", ValueKind::SideList, "the sides multiplier applies to (default all)"),
    key("multiplier", ValueKind::Range, "one factor for the listed sides (or give multipliers)"),
    key("multipliers", ValueKind::PerSide, "one factor per side (or give multiplier)"),
    key("next", ValueKind::Probabilities, "probabilities of the next regime; sum to 1").required(),
];

#[rustfmt::skip]
pub const SEASONALITY: &[Key] = &[
    key("months", ValueKind::Months, "factor for each calendar month, January first (or give amplitude)"),
    key("amplitude", PROBABILITY, "a smooth annual cycle: month m gets 1 + amplitude cos(2 pi (m - peak_month) / 12)"),
    key("peak_month", ValueKind::Integer { min: 1, max: 12 }, "the month of the peak, 1 (January) to 12"),
    key("sides", ValueKind::SideList, "the sides it applies to (default all)"),
];

const TREND_BOUNDS: ValueKind = ValueKind::Number {
    min: incl(MIN_TREND),
    max: incl(MAX_TREND),
};

#[rustfmt::skip]
pub const TREND: &[Key] = &[
    key("percent_per_month", ValueKind::Trend, "growth in percent per month, drawn once per path").required(),
    key("sides", ValueKind::SideList, "the sides it applies to (default all)"),
];

/// `percent_per_month = { lo, hi, shape }`.
#[rustfmt::skip]
pub const TREND_RANGE: &[Key] = &[
    key("lo", TREND_BOUNDS, "the low end (5th percentile for normal)").required(),
    key("hi", TREND_BOUNDS, "the high end (95th percentile for normal)").required(),
    key("shape", ValueKind::Choice(TREND_SHAPES), "normal: lo and hi are a 90% interval").default(DefaultValue::Text("normal")),
];

#[rustfmt::skip]
pub const CORRELATION: &[Key] = &[
    key("inputs", ValueKind::Inputs, "the key paths of two or more drawn inputs").required(),
    key("rho", ValueKind::Number { min: excl(-1.0), max: excl(1.0) }, "Gaussian-copula correlation of the inputs' normal scores"),
    key("spearman", ValueKind::Number { min: excl(-1.0), max: excl(1.0) }, "rank correlation instead of rho"),
];

#[rustfmt::skip]
pub const FORCE: &[Key] = &[key("law", ValueKind::Choice(LAWS), "square (aimed fire) or linear (area fire)").required()];

/// A range written as a table.
#[rustfmt::skip]
pub const RANGE: &[Key] = &[
    key("shape", ValueKind::Choice(SHAPES), "the distribution").default(DefaultValue::Text("lognormal")),
    key("lo", ValueKind::Number { min: incl(0.0), max: None }, "the low end"),
    key("hi", ValueKind::Number { min: incl(0.0), max: None }, "the high end"),
    key("mode", ValueKind::Number { min: incl(0.0), max: None }, "triangular and pert: the most likely value"),
    key("interval", ValueKind::Number { min: incl(0.01), max: excl(1.0) }, "lognormal and normal: the central probability between lo and hi").default(DefaultValue::Number(0.9)),
    key("lambda", ValueKind::Number { min: excl(0.0), max: None }, "pert: weight of the mode").default(DefaultValue::Number(4.0)),
    key("value", ValueKind::Number { min: incl(0.0), max: None }, "fixed: the value"),
];

#[cfg(test)]
mod tests;
