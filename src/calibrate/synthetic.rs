//! Synthetic series drawn by the engine itself, for checking `fit` and `backtest` against
//! known rates: one engine path per series, its stock read at every day.

use super::series::Series;
use crate::engine::{Simulator, Stepping};
use crate::model::Metric;
use crate::Date;

/// A one-side scenario with a fixed rate and gamma noise of coefficient of variation
/// `cv`, written as text so the model comes through the scenario checks like any file.
fn scenario_text(start: Date, rate: f64, cv: f64) -> String {
    format!(
        "[scenario]\nname = \"synthetic\"\nreference_date = {start}\nhorizon = {}\nreport_dates = [{}]\npaths = 1\nseed = 1\n\n\
[noise]\nmodel = \"gamma\"\ncv = {cv}\n\n[sides.x]\ncasualties = 1000\nrate_per_day = {rate}\n",
        start.add_days(1),
        start.add_days(1)
    )
}

/// The one-side synthetic scenario as a model (side `x`), for backtests of synthetic series.
pub fn scenario(start: Date, rate: f64, cv: f64) -> crate::Model {
    crate::scenario::load_str("synthetic.toml", &scenario_text(start, rate, cv))
        .expect("the synthetic scenario is valid")
}

/// `count` independent cumulative series of `days` daily counts after `start` (so
/// `days + 1` levels), true rate `rate`, gamma day-to-day noise `cv`; series `i` is
/// engine path `i` of a run with seed `seed`.
pub fn gamma_series(
    start: Date,
    days: u32,
    rate: f64,
    cv: f64,
    seed: u64,
    count: u64,
) -> Vec<Series> {
    let mut model = scenario(start, rate, cv);
    model.horizon_days = days;
    model.report_days = (1..=days).collect();
    let mut sim = Simulator::new(&model, Stepping::Auto);
    (0..count)
        .map(|path| {
            let mut levels = vec![sim.simulate(seed, path).draws().sides[0].casualties];
            levels.extend((0..days as usize).map(|r| sim.stock(r, 0, Metric::Casualties)));
            Series::from_levels(&format!("synthetic-{path}"), start, levels)
        })
        .collect()
}
