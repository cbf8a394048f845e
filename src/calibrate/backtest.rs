//! Backtest: at each forecast origin, fit on the data up to the origin only, project with
//! the engine, and score the projection against what the series later showed; the same
//! origins are scored for two naive baselines.
//!
//! What is projected is the side's increase from the origin (its baseline is the observed
//! level at the origin, exactly), so histogram quantiles are relative to the increase.

use super::fit::{fit, FitOptions, Window};
use super::series::Series;
use super::stats::{crps_from_quantiles, crps_normal, mean, normal_quantile, score_levels, sd};
use crate::engine::{self, EngineError, Progress, RunConfig, Tally};
use crate::model::{Metric, Model, Noise, Rate, Threshold};
use crate::sample::Dist;
use crate::Date;

/// Quantile levels for the CRPS (midpoint rule).
pub const CRPS_LEVELS: usize = 100;

/// Days of the "last 30 days" baseline.
pub const RECENT_DAYS: usize = 30;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// The fit's bootstrap range of the mean rate, gamma noise: parameter uncertainty only.
    Fit,
    /// As `Fit`, widened by the rate's historical drift at each horizon.
    FitDrift,
    /// Mean of the last 30 days carried forward; days independent with the 30 days' sd.
    Last30,
    /// Mean of every day since the series began; days independent with that sd.
    WarAverage,
}

impl Method {
    pub const ALL: [Method; 4] = [
        Method::Fit,
        Method::FitDrift,
        Method::Last30,
        Method::WarAverage,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Fit => "fit",
            Method::FitDrift => "fit-drift",
            Method::Last30 => "last-30",
            Method::WarAverage => "war-average",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct BacktestOptions {
    pub side: String,
    pub origins: Vec<Date>,
    /// Sorted, distinct, each at least 1.
    pub horizons: Vec<u32>,
    /// Days in the trailing fit window.
    pub window: u32,
    /// Crossing thresholds are the next multiple of this above the origin's level.
    pub threshold_step: f64,
    pub fit: FitOptions,
    pub config: RunConfig,
    /// Also score the drift-widened fit (one more projection per horizon and origin).
    pub with_drift: bool,
}

/// One projection of one horizon scored against its outcome (increases from the origin).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Scored {
    pub origin: Date,
    pub method: Method,
    pub horizon_days: u32,
    pub observed: f64,
    /// Quantiles 5, 25, 50, 75, 95%.
    pub q: [f64; 5],
    pub crps: f64,
}

/// When the next round level after the origin was projected and seen to be crossed.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Crossing {
    pub origin: Date,
    pub method: Method,
    pub level: f64,
    pub observed_day: u32,
    /// 5%, 50% and 95% quantiles of the crossing day; `None` beyond the longest horizon.
    pub q05: Option<u32>,
    pub median: Option<u32>,
    pub q95: Option<u32>,
}

impl Crossing {
    /// Whether the projected 90% interval holds the observed day (an interval whose end
    /// lies beyond the longest horizon is open on that side).
    pub fn covered_90(&self) -> bool {
        self.q05.is_some_and(|lo| lo <= self.observed_day)
            && self.q95.is_none_or(|hi| self.observed_day <= hi)
    }
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Backtest {
    pub origins_used: Vec<Date>,
    /// Origins left out, with why.
    pub skipped: Vec<(Date, String)>,
    pub scored: Vec<Scored>,
    pub crossings: Vec<Crossing>,
    /// What was fitted at each origin scored.
    pub fits: Vec<OriginFit>,
}

/// The fit at one origin: what its projections were given. The field names are those of
/// the backtest's JSON `fits[]`.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct OriginFit {
    pub origin: Date,
    /// The 90% bootstrap range of the window's mean rate (the `fit` method's rate range).
    pub mean_lo: f64,
    pub mean_hi: f64,
    /// Coefficient of variation of the day-to-day noise (the gamma noise projected).
    pub cv: f64,
}

/// A predictive distribution of the increase `d` days after the origin.
enum Predictive<'a> {
    Engine {
        tally: &'a Tally,
        side: usize,
    },
    /// Independent days: increase ~ N(d m, d s^2).
    Normal {
        m: f64,
        s: f64,
    },
}

impl Predictive<'_> {
    /// Quantile `p` of the increase on day `d` (a report day of the engine run).
    fn quantile(&self, d: u32, p: f64) -> f64 {
        match self {
            Predictive::Engine { tally, side } => {
                let r = tally
                    .layout()
                    .report_days()
                    .binary_search(&d)
                    .expect("day is a report day");
                tally
                    .stock(r, *side, Metric::Casualties)
                    .expect("casualties are gathered")
                    .quantile(p)
                    .unwrap_or(0.0)
            }
            Predictive::Normal { m, s } => {
                normal_quantile(d as f64 * m, (d as f64).sqrt() * s, p).max(0.0)
            }
        }
    }

    fn crps(&self, d: u32, y: f64) -> f64 {
        match self {
            Predictive::Normal { m, s } => crps_normal(d as f64 * m, (d as f64).sqrt() * s, y),
            Predictive::Engine { .. } => {
                let q: Vec<f64> = score_levels(CRPS_LEVELS)
                    .iter()
                    .map(|&p| self.quantile(d, p))
                    .collect();
                crps_from_quantiles(&q, y)
            }
        }
    }

    fn score(&self, origin: Date, method: Method, d: u32, y: f64) -> Scored {
        let q = [0.05, 0.25, 0.5, 0.75, 0.95].map(|p| self.quantile(d, p));
        Scored {
            origin,
            method,
            horizon_days: d,
            observed: y,
            q,
            crps: self.crps(d, y),
        }
    }

    /// Quantile `p` of the day the increase first reaches `need` (`None`: not by `last`).
    /// The engine counts each path's crossing day (its run holds the threshold); for the
    /// normal baselines, the first day whose increase has quantile `1 - p` at or above
    /// `need` (the increase never falls, so P(crossed by d) = P(increase on d >= need)).
    fn crossing_day(&self, need: f64, p: f64, last: u32) -> Option<u32> {
        if let Predictive::Engine { tally, .. } = self {
            return tally.crossings[0].quantile(p);
        }
        let ok = |d: u32| self.quantile(d, 1.0 - p) >= need;
        if !ok(last) {
            return None;
        }
        // Monotone in d: binary search for the first day that reaches it.
        let (mut lo, mut hi) = (1u32, last);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if ok(mid) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        Some(lo)
    }
}

/// The projection model for one origin: the template with the side's baseline set to 0
/// (increases are projected), its rate and the noise from the fit, the `reports` days
/// (the horizons scored, the last one the horizon), a threshold at `need` when a crossing
/// is scored, and no phases (the method is a status quo).
fn projection_model(
    template: &Model,
    side: usize,
    origin: Date,
    reports: &[u32],
    need: Option<f64>,
    (lo, hi): (f64, f64),
    cv: f64,
) -> Result<Model, String> {
    let mut m = template.clone();
    m.reference_date = origin;
    m.horizon_days = *reports.last().expect("at least one horizon");
    m.report_days = reports.to_vec();
    // The backtest scores the fitted rate alone: the scenario's assumptions about the
    // future (phases, events, regimes, seasons, trends, correlations, force models) go.
    m.clear_dynamics();
    // The crossing of the next round level is counted exactly, day by day, by the
    // engine's threshold: no stock needs to be kept for every day of the horizon.
    m.thresholds = need
        .map(|level| Threshold {
            name: "next level".into(),
            metric: Metric::Casualties,
            sides: vec![side],
            level,
        })
        .into_iter()
        .collect();
    // A constant window (cv 0) projects without noise.
    m.noise = Noise::gamma_from_cv(cv);
    let s = &mut m.sides[side];
    s.casualties = Dist::Fixed(0.0);
    s.killed = None;
    s.rate = Rate::PerDay(Dist::lognormal(lo, hi, 0.9).map_err(|e| e.0)?);
    Ok(m)
}

/// Why a backtest stopped without a result.
#[derive(Clone, Debug, PartialEq)]
pub enum BacktestError {
    /// `Progress::cancelled` said stop.
    Cancelled,
    /// The inputs cannot be backtested (the message says why).
    Failed(String),
}

impl From<String> for BacktestError {
    fn from(msg: String) -> Self {
        BacktestError::Failed(msg)
    }
}

impl From<&str> for BacktestError {
    fn from(msg: &str) -> Self {
        BacktestError::Failed(msg.to_string())
    }
}

impl std::fmt::Display for BacktestError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            BacktestError::Cancelled => write!(f, "cancelled"),
            BacktestError::Failed(msg) => write!(f, "{msg}"),
        }
    }
}

/// Passes the caller's cancellation to the engine runs of one origin; their path counts
/// are not the backtest's progress, which counts origins.
struct CancelOnly<'a>(&'a dyn Progress);

impl Progress for CancelOnly<'_> {
    fn cancelled(&self) -> bool {
        self.0.cancelled()
    }
}

/// Runs the backtest of `template`'s side `opts.side` on `series`. `progress` advances by
/// one per origin and is asked between origins and between engine batches whether to stop.
pub fn backtest(
    template: &Model,
    series: &Series,
    opts: &BacktestOptions,
    progress: &dyn Progress,
) -> Result<Backtest, BacktestError> {
    let side = template
        .sides
        .iter()
        .position(|s| s.name == opts.side)
        .ok_or_else(|| {
            format!(
                "the scenario has no side '{}' (sides: {})",
                opts.side,
                template
                    .sides
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
    let last = *opts.horizons.last().ok_or("give at least one horizon")?;
    let mut out = Backtest {
        origins_used: Vec::new(),
        skipped: Vec::new(),
        scored: Vec::new(),
        crossings: Vec::new(),
        fits: Vec::new(),
    };
    let engine_err = |e: EngineError| match e {
        EngineError::Cancelled => BacktestError::Cancelled,
        e => BacktestError::Failed(format!("engine: {e}")),
    };
    let engine_progress = CancelOnly(progress);
    for (k, &origin) in opts.origins.iter().enumerate() {
        if progress.cancelled() {
            return Err(BacktestError::Cancelled);
        }
        if k > 0 {
            progress.advance(1);
        }
        let from = origin.add_days(1 - opts.window as i64);
        if series.index(from.add_days(-1)).is_none() || series.index(origin).is_none() {
            out.skipped.push((
                origin,
                format!(
                    "the {}-day fit window before it is not all in the series",
                    opts.window
                ),
            ));
            continue;
        }
        if series.level(origin.add_days(last as i64)).is_none() {
            out.skipped.push((
                origin,
                format!(
                    "its {last}-day horizon runs past the series' end, {}",
                    series.end()
                ),
            ));
            continue;
        };
        let base = series.level(origin).expect("checked");
        let history = series
            .counts(series.start.add_days(1), origin)
            .expect("checked");
        if history.len() < RECENT_DAYS {
            out.skipped
                .push((origin, "fewer than 30 days of data before it".into()));
            continue;
        }
        // Fit on data up to the origin only: the window ends on the origin, and the drift
        // (when asked) reads the series up to the window's end.
        // A window the method cannot fit (all zeros, say) skips its origin only.
        let f = match fit(series, Window::Range(from, origin), &opts.fit) {
            Ok(f) => f,
            Err(e) => {
                out.skipped.push((origin, format!("cannot fit: {e}")));
                continue;
            }
        };
        out.fits.push(OriginFit {
            origin,
            mean_lo: f.mean_lo,
            mean_hi: f.mean_hi,
            cv: f.cv,
        });
        out.origins_used.push(origin);
        let config = RunConfig {
            seed: opts.fit.seed.wrapping_add(k as u64),
            ..opts.config
        };

        // One engine projection of the side with a fitted rate range and noise.
        let project = |reports: &[u32], need: Option<f64>, rate: (f64, f64), cv: f64| {
            let model = projection_model(template, side, origin, reports, need, rate, cv)?;
            let tally = engine::run(&model, &config, &engine_progress).map_err(engine_err)?;
            Ok::<_, BacktestError>((model, tally))
        };
        // The fit widened by the drift at `h` days, from data up to the origin only.
        let drift_fit = |h: u32| {
            let fo = FitOptions {
                drift_horizon: Some(h),
                ..opts.fit
            };
            fit(series, Window::Range(from, origin), &fo)
        };

        // The next round level: when it was crossed (if within the longest horizon).
        let level = ((base / opts.threshold_step).floor() + 1.0) * opts.threshold_step;
        let observed =
            (1..=last).find(|&d| series.level(origin.add_days(d as i64)).expect("inside") >= level);
        let need = observed.map(|_| level - base);

        // Bootstrap-only fit: one run, every horizon reported, the crossing counted.
        let (_, tally) = project(&opts.horizons, need, (f.mean_lo, f.mean_hi), f.cv)?;
        let fit_pred = Predictive::Engine {
            tally: &tally,
            side,
        };

        let recent = &history[history.len() - RECENT_DAYS..];
        let last30 = Predictive::Normal {
            m: mean(recent),
            s: sd(recent),
        };
        let war = Predictive::Normal {
            m: mean(&history),
            s: sd(&history),
        };

        for &h in &opts.horizons {
            let y = series
                .level(origin.add_days(h as i64))
                .expect("inside: h <= last")
                - base;
            out.scored.push(fit_pred.score(origin, Method::Fit, h, y));
            out.scored.push(last30.score(origin, Method::Last30, h, y));
            out.scored.push(war.score(origin, Method::WarAverage, h, y));
            if !opts.with_drift {
                continue;
            }
            // Too little history for the drift at this horizon: the method is not scored
            // here (the table's n says so), and the reason is listed.
            let fd = match drift_fit(h) {
                Ok(fd) => fd,
                Err(e) => {
                    out.skipped
                        .push((origin, format!("fit-drift at {h} days: {e}")));
                    continue;
                }
            };
            let (_, dt) = project(&[h], None, (fd.rate_lo, fd.rate_hi), fd.cv)?;
            let dp = Predictive::Engine { tally: &dt, side };
            out.scored.push(dp.score(origin, Method::FitDrift, h, y));
        }

        // When each method said the next round level would be crossed.
        if let (Some(observed_day), Some(need)) = (observed, need) {
            let cross = |method: Method, p: &Predictive| Crossing {
                origin,
                method,
                level,
                observed_day,
                q05: p.crossing_day(need, 0.05, last),
                median: p.crossing_day(need, 0.5, last),
                q95: p.crossing_day(need, 0.95, last),
            };
            out.crossings.push(cross(Method::Fit, &fit_pred));
            if opts.with_drift {
                // The drift-widened crossing comes from a run widened at the longest horizon.
                if let Ok(fd) = drift_fit(last) {
                    let (_, dt) = project(&[last], Some(need), (fd.rate_lo, fd.rate_hi), fd.cv)?;
                    let dp = Predictive::Engine { tally: &dt, side };
                    out.crossings.push(cross(Method::FitDrift, &dp));
                }
            }
            out.crossings.push(cross(Method::Last30, &last30));
            out.crossings.push(cross(Method::WarAverage, &war));
        }
    }
    Ok(out)
}

/// Whether `word` (lower case) names the side `side`: the name itself, or (for names of
/// four letters or more once a final vowel is dropped) a word starting with that stem,
/// so that adjectives count: `russian` names `russia`, `ukrainian` names `ukraine`. Two-
/// letter codes do not count: `ua` in `ua_gs_russian_personnel` names the source (the
/// Ukrainian General Staff), not the side measured.
fn names_side(word: &str, side: &str) -> bool {
    let side = side.to_ascii_lowercase();
    let stem = side
        .strip_suffix(['a', 'e', 'i', 'o', 'u', 'y'])
        .unwrap_or(&side);
    word == side || (stem.len() >= 4 && word.starts_with(stem))
}

/// Which side of `model` a series measures, as far as its file name and column say (a
/// series says so nowhere else: data/README.md). The rule (docs/calibration.md):
/// - the words of the file name (without folders or extension) and of the column that
///   name sides of the scenario are found (`names_side`);
/// - if they name `side`, the backtest runs (with a note when they also name another);
/// - if they name only other sides, it is refused: the series measures one of those;
/// - if they name none, it runs with a note that `side` is taken on trust.
///
/// A side the scenario does not have is left to `backtest`, which lists the sides.
pub fn check_series_side(
    series: &Series,
    model: &Model,
    side: &str,
) -> Result<Option<String>, String> {
    if !model.sides.iter().any(|s| s.name == side) {
        return Ok(None);
    }
    let file = std::path::Path::new(&series.file)
        .file_stem()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut named: Vec<(&str, String, &'static str)> = Vec::new();
    for (text, place) in [(&file, "file name"), (&series.column, "column")] {
        for word in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            let word = word.to_lowercase();
            for s in &model.sides {
                if names_side(&word, &s.name) && !named.iter().any(|n| n.0 == s.name && n.1 == word)
                {
                    named.push((s.name.as_str(), word.clone(), place));
                }
            }
        }
    }
    let describe = |n: &[&(&str, String, &str)]| {
        n.iter()
            .map(|(s, w, place)| format!("side {s} (the word '{w}' in its {place})"))
            .collect::<Vec<_>>()
            .join(" and ")
    };
    let others: Vec<_> = named.iter().filter(|n| n.0 != side).collect();
    let mine = named.iter().any(|n| n.0 == side);
    match (mine, others.is_empty()) {
        (true, true) => Ok(None),
        (true, false) => Ok(Some(format!(
            "{} names side {side} and also {}; scored as side {side} (--side)",
            series.file,
            describe(&others)
        ))),
        (false, false) => Err(format!(
            "{side}: the series {} measures {}, not {side}: give --side {}, or a series of {side}'s losses (rename it if its name misleads)",
            series.file,
            describe(&others),
            others[0].0
        )),
        (false, true) => Ok(Some(format!(
            "{} names no side of the scenario in its file name or column `{}`; scored as side {side} (--side)",
            series.file, series.column
        ))),
    }
}

/// Origins from `from` to `to` inclusive, every `step`: whole months (the same day of
/// the month, clamped to the month's length) or a number of days.
pub fn origins(from: Date, to: Date, every: Every) -> Vec<Date> {
    let mut v = Vec::new();
    let (y0, m0, d0) = from.ymd();
    let mut k = 0i64;
    loop {
        let d = match every {
            Every::Days(n) => from.add_days(k * n as i64),
            Every::Months(n) => {
                let months = (m0 as i64 - 1) + k * n as i64;
                let y = y0 + (months / 12) as i32;
                let m = (months % 12) as u32 + 1;
                // The same day of the month, clamped to its length; past year 9999 the
                // calendar ends, and so do the origins.
                match (28..=d0.max(28))
                    .rev()
                    .find_map(|day| Date::from_ymd(y, m, day.min(d0)).ok())
                {
                    Some(d) => d,
                    None => return v,
                }
            }
        };
        if d > to {
            return v;
        }
        v.push(d);
        k += 1;
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Every {
    Days(u32),
    Months(u32),
}

impl Every {
    /// `month`, `week`, `Nd` (days) or `Nm` (months).
    pub fn parse(s: &str) -> Result<Every, String> {
        let bad = || {
            format!("'{s}' is not a step: give month, week, a number of days like 14d, or months like 3m")
        };
        match s {
            "month" => Ok(Every::Months(1)),
            "week" => Ok(Every::Days(7)),
            _ => {
                let (num, days) = match (s.strip_suffix('d'), s.strip_suffix('m')) {
                    (Some(n), _) => (n, true),
                    (_, Some(n)) => (n, false),
                    _ => return Err(bad()),
                };
                let n: u32 = num.parse().map_err(|_| bad())?;
                // At most a century between origins.
                let max = if days {
                    crate::model::MAX_HORIZON_DAYS
                } else {
                    1200
                };
                if n == 0 || n > max {
                    return Err(format!("{}; at most {max}", bad()));
                }
                Ok(if days {
                    Every::Days(n)
                } else {
                    Every::Months(n)
                })
            }
        }
    }
}

#[cfg(test)]
mod side_tests {
    use super::names_side;

    #[test]
    fn words_name_sides_by_name_or_adjective_but_not_by_code() {
        assert!(names_side("russia", "russia"));
        assert!(names_side("russian", "russia"));
        assert!(names_side("ukrainian", "ukraine"));
        assert!(names_side("ukraine", "Ukraine"));
        assert!(!names_side("ua", "ukraine"));
        assert!(!names_side("ru", "russia"));
        assert!(!names_side("personnel", "russia"));
        // Short names count only whole.
        assert!(names_side("a", "a"));
        assert!(!names_side("ab", "a"));
    }
}
