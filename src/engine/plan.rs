//! What a run needs to know about a model, laid out for the path loop: stream ids,
//! rate segments, and the report series. Built once per run; never changes.

use super::layout::Layout;
use super::proposal::Proposal;
use crate::model::{Inputs, Mechanism, Metric, Model, PhaseEffect, RegimeStep, SideId, What};
use crate::sample::sobol::Design;
use crate::sample::stream::{stream_id, Keys};
use crate::sample::Dist;

/// A fixed date window and the factors (indices into `Plan::factors`) active in it.
#[derive(Clone, Debug)]
pub struct PhaseWindow {
    pub first_day: u32,
    pub last_day: u32,
    pub factors: Vec<usize>,
}

/// Stream ids and factor indices of one uncertain event.
#[derive(Clone, Debug)]
pub struct EventPlan {
    pub probability: u64,
    pub happens: u64,
    pub start: u64,
    pub end: u64,
    pub factors: Vec<usize>,
}

/// A group of inputs drawn through a Gaussian copula: `chol` is the lower Cholesky factor
/// of their (equicorrelation) matrix, row-major `k x k`.
#[derive(Clone, Debug)]
pub struct CopulaGroup {
    pub streams: Vec<u64>,
    pub chol: Vec<f64>,
}

/// One drawn phase factor and the sides it multiplies.
#[derive(Clone, Debug)]
pub struct Factor {
    pub dist: Dist,
    pub stream: u64,
    pub sides: Vec<SideId>,
}

/// Stream id of one side's day-to-day noise (the streams of its drawn inputs are in
/// `Plan::inputs`, which `Draws` reads).
#[derive(Clone, Debug, Default)]
pub struct SideStreams {
    pub noise: u64,
}

#[derive(Clone, Debug)]
pub struct Plan<'m> {
    pub model: &'m Model,
    /// The model's drawn inputs (`Model::inputs`), which the streams below come from.
    pub inputs: Inputs,
    pub streams: Vec<SideStreams>,
    /// Drawn multipliers: the phases' first (`phase_factors` of them), then the events',
    /// then the regimes'.
    pub factors: Vec<Factor>,
    pub phase_factors: usize,
    pub windows: Vec<PhaseWindow>,
    pub events: Vec<EventPlan>,
    /// Factor indices of each regime.
    pub regime_factors: Vec<Vec<usize>>,
    /// Days on which a calendar month starts (in `1..=horizon`), when anything changes
    /// by month: day `d` lies `month_starts.partition_point(|&m| m <= d)` calendar months
    /// after the reference date's month.
    pub month_starts: Vec<u32>,
    /// Calendar month of the reference date, 0 for January.
    pub reference_month: u32,
    /// Days where rates may change on every path: 1, window edges, month starts. Sorted.
    pub cuts: Vec<u32>,
    pub copulas: Vec<CopulaGroup>,
    /// Stream of the shared day-to-day shock.
    pub common_noise: u64,
    /// Streams of the regime chain's steps and of the trend (0 without them).
    pub regime_chain: u64,
    /// Stream of the chain's first state (read besides `regime_chain`).
    pub regime_initial: u64,
    pub trend: u64,
    /// Whether a path needs its own schedule of rate pieces (events or regimes).
    pub per_path_cuts: bool,
    /// The sources' bias streams, `(source, stream)`, for the sources that have a bias.
    pub biases: Vec<(usize, u64)>,
    /// Days on which something is observed (`Model::observations`), sorted, distinct.
    pub observation_days: Vec<u32>,
    /// The proposal the inputs are drawn from (runs with observations, `pilot`).
    pub proposal: Option<Proposal>,
    /// Where the run's stocks and crossings go.
    pub layout: Layout,
    pub has_killed: Vec<bool>,
    pub combined_killed: bool,
    /// Buckets each stock histogram may keep (`histogram_buckets`).
    stock_buckets: usize,
    /// Streams of the inputs with a Sobol dimension (`Input::takes_sobol`), in table
    /// order: the dimensions of a run with randomized quasi-Monte Carlo inputs.
    pub sobol: Vec<u64>,
    /// Per threshold, how its P(crossed by) is estimated conditionally (runs with
    /// `Method::Reduced`; empty otherwise).
    pub conditionings: Vec<Option<super::conditional::Conditioning>>,
}

impl<'m> Plan<'m> {
    pub fn new(model: &'m Model) -> Self {
        let inputs = model.inputs();
        let streams = model
            .sides
            .iter()
            .map(|s| SideStreams {
                noise: stream_id(&format!("noise.{}", s.name)),
            })
            .collect();
        let mut factors = Vec::new();
        let mut windows: Vec<PhaseWindow> = model
            .phases
            .iter()
            .map(|p| PhaseWindow {
                first_day: p.first_day,
                last_day: p.last_day,
                factors: Vec::new(),
            })
            .collect();
        let mut events: Vec<EventPlan> = model
            .events
            .iter()
            .map(|_| EventPlan {
                probability: 0,
                happens: 0,
                start: 0,
                end: 0,
                factors: Vec::new(),
            })
            .collect();
        let mut regime_factors =
            vec![Vec::new(); model.regimes.as_ref().map_or(0, |r| r.names.len())];
        let (mut regime_chain, mut trend) = (0, 0);
        let mut biases = Vec::new();
        for input in inputs.iter() {
            let id = input.stream;
            match input.what {
                What::Factor { of, index, side } => {
                    let (effect, ids) = match of {
                        Mechanism::Phase => {
                            (&model.phases[index].effect, &mut windows[index].factors)
                        }
                        Mechanism::Event => {
                            (&model.events[index].effect, &mut events[index].factors)
                        }
                        Mechanism::Regime => (
                            &model
                                .regimes
                                .as_ref()
                                .expect("regime factors need regimes")
                                .effects[index],
                            &mut regime_factors[index],
                        ),
                    };
                    let sides = match (effect, side) {
                        (PhaseEffect::Shared { sides, .. }, None) => sides.clone(),
                        (_, side) => side.into_iter().collect(),
                    };
                    ids.push(factors.len());
                    factors.push(Factor {
                        dist: input.dist(model).expect("a multiplier is a Dist").clone(),
                        stream: id,
                        sides,
                    });
                }
                What::EventProbability(e) => events[e].probability = id,
                What::EventHappens(e) => events[e].happens = id,
                What::EventStart(e) => events[e].start = id,
                What::EventEnd(e) => events[e].end = id,
                What::RegimeChain => regime_chain = id,
                What::Trend => trend = id,
                What::SourceBias(k) => biases.push((k, id)),
                // A side's inputs: `Draws` takes their streams from the table.
                _ => {}
            }
        }
        let phase_factors = windows.iter().map(|w| w.factors.len()).sum();
        let monthly = model.seasonality.is_some()
            || model.trend.is_some()
            || model
                .regimes
                .as_ref()
                .is_some_and(|r| r.step == RegimeStep::Month);
        let month_starts = if monthly {
            (1..=model.horizon_days)
                .filter(|&d| model.date_of(d).ymd().2 == 1)
                .collect()
        } else {
            Vec::new()
        };
        let mut cuts = vec![1];
        for w in &windows {
            cuts.push(w.first_day);
            if w.last_day < model.horizon_days {
                cuts.push(w.last_day + 1);
            }
        }
        cuts.extend_from_slice(&month_starts);
        cuts.sort_unstable();
        cuts.dedup();
        let copulas = model
            .correlations
            .iter()
            .map(|c| CopulaGroup {
                streams: c.inputs.iter().map(|&k| inputs[k].stream).collect(),
                chol: equicorrelation_cholesky(c.inputs.len(), c.rho),
            })
            .collect();
        let has_killed: Vec<bool> = model.sides.iter().map(|s| s.killed.is_some()).collect();
        let combined_killed = has_killed.iter().all(|&k| k);
        let layout = Layout::new(model);
        let mut observation_days: Vec<u32> = model.observations.iter().map(|o| o.day).collect();
        observation_days.sort_unstable();
        observation_days.dedup();
        let sobol = inputs
            .iter()
            .filter(|i| i.takes_sobol(model))
            .map(|i| i.stream)
            .collect();
        Plan {
            model,
            sobol,
            conditionings: Vec::new(),
            biases,
            observation_days,
            proposal: None,
            inputs,
            streams,
            factors,
            phase_factors,
            windows,
            events,
            regime_factors,
            month_starts,
            reference_month: model.reference_date.ymd().1 - 1,
            cuts,
            copulas,
            common_noise: stream_id("noise.shared"),
            regime_chain,
            regime_initial: stream_id("regimes.initial"),
            trend,
            per_path_cuts: !model.events.is_empty() || model.regimes.is_some(),
            stock_buckets: histogram_budget(layout.slots()),
            layout,
            combined_killed,
            has_killed,
        }
    }

    /// The plan of a run for a figure: paths fill only the casualty slots, in histograms of
    /// at most `buckets` buckets. Small histograms stay in cache (a result's budget spread
    /// over a weekly grid is 32 MiB, and adding to it is mostly cache misses), and a figure
    /// needs no 0.01% accuracy.
    pub fn casualties_only(mut self, buckets: usize) -> Self {
        self.layout = self.layout.casualties_only();
        self.stock_buckets = buckets.max(2);
        self
    }

    /// The streams of a run with seed `seed`: keyed streams, and with `Method::Reduced`
    /// the uniforms of `sobol`'s inputs from scrambled Sobol points (`sobol::Design`).
    pub fn keys(&self, seed: u64, method: super::Method) -> Keys {
        keys_over(seed, method, &self.sobol)
    }

    /// Index of the report histogram for (report date, series, metric).
    #[inline]
    pub fn stock_index(&self, report: usize, series: usize, metric: Metric) -> usize {
        self.layout.slot(report, series, metric)
    }

    pub fn stock_slots(&self) -> usize {
        self.layout.slots()
    }

    /// Buckets each stock histogram may keep: for a result, all of them together stay
    /// under about 32 MiB per worker thread (`histogram_budget`).
    pub fn histogram_buckets(&self) -> usize {
        self.stock_buckets
    }
}

/// Buckets per histogram when `slots` histograms share about 32 MiB per worker thread.
/// With few report dates each gets 32,768 (full accuracy over a factor of e^6.5); with
/// many, fewer, and a histogram whose values spread wider than its buckets allow halves
/// its resolution (`LogHistogram`).
fn histogram_budget(slots: usize) -> usize {
    const BUDGET_BYTES: usize = 32 << 20;
    (BUDGET_BYTES / 8 / slots.max(1)).clamp(256, 32_768)
}

/// Lower Cholesky factor of the `k x k` matrix with ones on the diagonal and `rho`
/// elsewhere (positive definite for `-1/(k-1) < rho < 1`, checked by the loader).
pub fn equicorrelation_cholesky(k: usize, rho: f64) -> Vec<f64> {
    let mut l = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..=i {
            let a = if i == j { 1.0 } else { rho };
            let s: f64 = (0..j).map(|m| l[i * k + m] * l[j * k + m]).sum();
            l[i * k + j] = if i == j {
                (a - s).max(0.0).sqrt()
            } else {
                (a - s) / l[j * k + j]
            };
        }
    }
    l
}

/// The streams of a run with seed `seed` whose inputs drawn by inversion have the streams
/// `sobol`: keyed streams, and with `Method::Reduced` the uniforms of those inputs from
/// scrambled Sobol points (`sobol::Design`, dimension `j` for `sobol[j]`). One plan's
/// (`Plan::keys`), or the union of several scenarios' compared on common random numbers.
pub fn keys_over(seed: u64, method: super::Method, sobol: &[u64]) -> Keys {
    let keys = Keys::new(seed);
    match method {
        super::Method::Reduced if !sobol.is_empty() => keys.with_design(Design::new(seed, sobol)),
        _ => keys,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_rebuilds_the_equicorrelation_matrix() {
        for (k, rho) in [(2, 0.6), (2, -0.8), (4, 0.3), (3, -0.4)] {
            let l = equicorrelation_cholesky(k, rho);
            assert_eq!(l[0], 1.0, "the first input keeps its own normal score");
            for i in 0..k {
                for j in 0..k {
                    let a: f64 = (0..k).map(|m| l[i * k + m] * l[j * k + m]).sum();
                    let want = if i == j { 1.0 } else { rho };
                    assert!((a - want).abs() < 1e-12, "k {k} rho {rho} ({i},{j}): {a}");
                }
            }
        }
    }
}
