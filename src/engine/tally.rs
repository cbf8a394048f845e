//! What a run counted (`Tally`): crossing days per threshold, stock histograms, events
//! and regimes, and the weights' own counts, all integers laid out by the run's `Layout`,
//! so that tallies merge exactly in any order and split, and serialise exactly (a part
//! of a run saved on one machine, merged on another: `check` says whether a tally read
//! back is one a run of the model could have made).

use super::plan::Plan;
use super::{Layout, PathState, WeightTally};
use crate::model::{Metric, Model};
use crate::stats::{DayCounts, LogHistogram};

/// Everything a run counted: crossing days per threshold and stock histograms, laid out
/// by its `Layout`, which it carries. Integer counts all, so it serialises exactly (with
/// serde: a part of a run saved on one machine and merged on another); a tally read back
/// is checked piece by piece (`DayCounts`, `LogHistogram`), and against its layout by
/// whoever merges it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Tally {
    layout: Layout,
    pub paths: u64,
    pub crossings: Vec<DayCounts>,
    /// Indexed by `Layout::slot`; slots the layout does not fill stay empty.
    stocks: Vec<LogHistogram>,
    /// Per event: how often it happened, and crossing days with and without it.
    pub events: Vec<EventTally>,
    /// Per regime: days spent in it, summed over paths, and the sum of squares (for the
    /// standard error of the share).
    pub regime_days: Vec<u128>,
    pub regime_days_sq: Vec<u128>,
    /// Runs with observations only: every count above counts each path's weight in
    /// fixed-point units (`weights::units`), and this holds the rest of what weighted
    /// figures need.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<WeightTally>,
    /// Runs with randomized quasi-Monte Carlo inputs (`Method::Reduced`) only: the tally of
    /// each scrambling (`sobol::REPLICATES` of them, path `p` in `sobol::replicate_of(p)`),
    /// whose sum is the counts above; each figure's error comes from their spread.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replicates: Vec<Tally>,
    /// Runs with `Method::Reduced` only: per threshold, per report date, the paths'
    /// conditional probabilities of having crossed, in units of `conditional::UNIT`
    /// (empty for a threshold without a conditioning: `conditional::conditionings`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditional: Vec<Vec<u64>>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EventTally {
    pub happened: u64,
    /// Per threshold, over the paths where the event happened (within the horizon).
    pub with: Vec<DayCounts>,
    /// Per threshold, over the other paths.
    pub without: Vec<DayCounts>,
}

/// Buckets of each histogram of a scrambling's tally (`Tally::replicates`): its stocks
/// serve only the error of the run's quantiles (the CDF of each scrambling at the run's
/// quantile, `precision`), for which a few hundred buckets over the values' span are
/// plenty, and sixteen tallies a worker stay small and in cache.
pub const REPLICATE_BUCKETS: usize = 256;

impl Tally {
    pub fn new(plan: &Plan) -> Self {
        Tally::with_buckets(plan, plan.histogram_buckets())
    }

    /// A tally whose histograms keep at most `buckets` buckets each.
    pub(super) fn with_buckets(plan: &Plan, buckets: usize) -> Self {
        Tally {
            layout: plan.layout.clone(),
            paths: 0,
            crossings: plan
                .model
                .thresholds
                .iter()
                .map(|_| DayCounts::new(plan.model.horizon_days))
                .collect(),
            stocks: vec![LogHistogram::new(buckets); plan.stock_slots()],
            events: plan
                .events
                .iter()
                .map(|_| {
                    let counts: Vec<DayCounts> = plan
                        .model
                        .thresholds
                        .iter()
                        .map(|_| DayCounts::new(plan.model.horizon_days))
                        .collect();
                    EventTally {
                        happened: 0,
                        with: counts.clone(),
                        without: counts,
                    }
                })
                .collect(),
            regime_days: vec![0; plan.regime_factors.len()],
            regime_days_sq: vec![0; plan.regime_factors.len()],
            weights: WeightTally::new(plan, buckets),
            replicates: Vec::new(),
            conditional: if plan.conditionings.iter().any(Option::is_some) {
                plan.conditionings
                    .iter()
                    .map(|c| match c {
                        Some(_) => vec![0; plan.model.report_days.len()],
                        None => Vec::new(),
                    })
                    .collect()
            } else {
                Vec::new()
            },
        }
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The histogram of one stock: (report date index, series, metric); `None` where the
    /// run does not gather it (killed of a side without killed, or a fan chart's run).
    pub fn stock(&self, report: usize, series: usize, metric: Metric) -> Option<&LogHistogram> {
        let slot = self.layout.slot(report, series, metric);
        self.layout.is_present(slot).then(|| &self.stocks[slot])
    }

    /// Every histogram the run gathered, in slot order.
    pub fn stocks(&self) -> impl Iterator<Item = &LogHistogram> {
        self.layout.present().iter().map(|&slot| &self.stocks[slot])
    }

    /// Mutable access for the engine's own accumulators.
    pub(crate) fn stock_slot_mut(&mut self, slot: usize) -> &mut LogHistogram {
        &mut self.stocks[slot]
    }

    /// Adds the path just simulated in `state`: once, or by its weight when the run
    /// has observations.
    pub(crate) fn add(&mut self, state: &PathState) {
        match &mut self.weights {
            None => self.add_units(state, 1),
            Some(w) => {
                let units = state.units();
                w.add(state, units);
                self.add_units(state, units);
            }
        }
    }

    /// Adds the path just simulated in `state`, counting `units` times in every
    /// statistic (`paths` still counts paths): a path weighted by observations counts
    /// its weight in fixed-point units, which keeps every statistic an integer and every
    /// merge exact.
    fn add_units(&mut self, state: &PathState, units: u64) {
        self.paths += 1;
        if units == 0 {
            return;
        }
        let crossing = state.crossing();
        for (c, &day) in self.crossings.iter_mut().zip(crossing) {
            c.add_units(day, units);
        }
        let reported = state.reported();
        for &i in self.layout.present() {
            self.stocks[i].add_units(reported[i], units);
        }
        let draws = state.draws();
        for (e, d) in self.events.iter_mut().zip(&draws.events) {
            e.happened += u64::from(d.happened) * units;
            let counts = if d.happened {
                &mut e.with
            } else {
                &mut e.without
            };
            for (c, &day) in counts.iter_mut().zip(crossing) {
                c.add_units(day, units);
            }
        }
        for (r, &d) in draws.regime_days.iter().enumerate() {
            self.regime_days[r] += d as u128 * units as u128;
            self.regime_days_sq[r] += d as u128 * d as u128 * units as u128;
        }
    }

    pub fn merge(mut self, other: Tally) -> Tally {
        assert_eq!(
            self.layout, other.layout,
            "merging tallies of different runs"
        );
        self.paths += other.paths;
        for (a, b) in self.crossings.iter_mut().zip(&other.crossings) {
            a.merge(b);
        }
        for (a, b) in self.stocks.iter_mut().zip(&other.stocks) {
            a.merge(b);
        }
        for (a, b) in self.events.iter_mut().zip(&other.events) {
            a.happened += b.happened;
            for (x, y) in a.with.iter_mut().zip(&b.with) {
                x.merge(y);
            }
            for (x, y) in a.without.iter_mut().zip(&b.without) {
                x.merge(y);
            }
        }
        for r in 0..self.regime_days.len() {
            self.regime_days[r] += other.regime_days[r];
            self.regime_days_sq[r] += other.regime_days_sq[r];
        }
        match (&mut self.weights, &other.weights) {
            (Some(a), Some(b)) => a.merge(b),
            (None, None) => {}
            _ => panic!("merging a weighted tally with an unweighted one"),
        }
        assert_eq!(
            self.conditional.len(),
            other.conditional.len(),
            "merging tallies of different methods"
        );
        for (a, b) in self.conditional.iter_mut().zip(&other.conditional) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
        // An empty tally (a merge's start) takes the other's scramblings.
        match (self.replicates.is_empty(), other.replicates.is_empty()) {
            (_, true) => assert!(
                other.replicates.is_empty() && (other.paths == 0 || self.replicates.is_empty()),
                "merging tallies of different methods"
            ),
            (true, false) => {
                assert_eq!(
                    self.paths, other.paths,
                    "merging tallies of different methods"
                );
                self.replicates = other.replicates;
            }
            (false, false) => {
                assert_eq!(self.replicates.len(), other.replicates.len());
                let mine = std::mem::take(&mut self.replicates);
                self.replicates = mine
                    .into_iter()
                    .zip(other.replicates)
                    .map(|(a, b)| a.merge(b))
                    .collect();
            }
        }
        self
    }

    /// The count all probabilities divide by: paths, or their weights' units.
    pub fn mass(&self) -> u64 {
        self.weights.as_ref().map_or(self.paths, |w| w.units)
    }
}

impl Tally {
    /// Whether this tally, read back from a file, is one a run of `model` could have
    /// made: the model's layout, every count of the shape the model gives it, and counts
    /// that add up (every statistic counts each path once, or by its weight's units; a
    /// reduced run's counts are the sums of its scramblings'). Merging or reading a tally
    /// that fails this would panic or report nonsense, so a tally from outside is checked
    /// before use. Says what is wrong if not.
    pub fn check(&self, model: &Model) -> Result<(), String> {
        let mut plan = Plan::new(model);
        // A run with randomized quasi-Monte Carlo inputs counts conditional probabilities
        // where its thresholds allow (`conditional`), and keeps its scramblings' tallies.
        if !self.conditional.is_empty() {
            plan.conditionings = super::conditional::conditionings(&plan);
        }
        self.check_shape(&plan, plan.histogram_buckets())?;
        if self.replicates.is_empty() {
            return Ok(());
        }
        let n = crate::sample::sobol::REPLICATES as usize;
        if self.replicates.len() != n {
            return Err(format!(
                "{} scramblings' tallies, not {n}",
                self.replicates.len()
            ));
        }
        for r in &self.replicates {
            if !r.replicates.is_empty() {
                return Err("a scrambling's tally holds scramblings of its own".into());
            }
            r.check_shape(&plan, REPLICATE_BUCKETS)?;
        }
        // Every count is the sum of the scramblings' (their histograms are coarser, so
        // only their totals are compared).
        let mut sum = self.replicates[0].clone();
        for r in &self.replicates[1..] {
            if r.weights.as_ref().map(|w| &w.proposal) != sum.weights.as_ref().map(|w| &w.proposal)
            {
                return Err("its scramblings' tallies disagree".into());
            }
            sum = sum.merge(r.clone());
        }
        let totals = |t: &Tally| t.stocks.iter().map(LogHistogram::count).collect::<Vec<_>>();
        let same = sum.paths == self.paths
            && sum.mass() == self.mass()
            && sum.crossings == self.crossings
            && sum.events == self.events
            && sum.regime_days == self.regime_days
            && sum.regime_days_sq == self.regime_days_sq
            && sum.conditional == self.conditional
            && totals(&sum) == totals(self);
        match same {
            true => Ok(()),
            false => Err("its counts are not the sums of its scramblings' tallies".into()),
        }
    }

    /// The shape and sums of one tally (a run's, or one scrambling's with histograms of
    /// `buckets` buckets) against the empty one of `plan`.
    fn check_shape(&self, plan: &Plan, buckets: usize) -> Result<(), String> {
        let empty = Tally::with_buckets(plan, buckets);
        if self.layout != empty.layout {
            return Err(
                "its layout (report dates, sides, thresholds) is not the scenario's".into(),
            );
        }
        if self.conditional.len() != empty.conditional.len()
            || self
                .conditional
                .iter()
                .zip(&empty.conditional)
                .any(|(a, b)| a.len() != b.len())
        {
            return Err("its conditional probabilities are not of the scenario's thresholds and report dates".into());
        }
        let horizons = |name: &str, have: &[DayCounts], want: &[DayCounts]| {
            let same = have.len() == want.len()
                && have
                    .iter()
                    .zip(want)
                    .all(|(a, b)| a.horizon() == b.horizon());
            match same {
                true => Ok(()),
                false => Err(format!(
                    "its {name} do not have the scenario's thresholds and horizon"
                )),
            }
        };
        horizons("crossing counts", &self.crossings, &empty.crossings)?;
        if self.stocks.len() != empty.stocks.len() {
            return Err("its stock histograms are not the scenario's".into());
        }
        let buckets = buckets.max(2);
        if self.stocks.iter().any(|h| h.max_buckets() != buckets) {
            return Err("its stock histograms keep another number of buckets".into());
        }
        if self.events.len() != empty.events.len() {
            return Err("its events are not the scenario's".into());
        }
        for (e, want) in self.events.iter().zip(&empty.events) {
            horizons("event crossing counts", &e.with, &want.with)?;
            horizons("event crossing counts", &e.without, &want.without)?;
        }
        if self.regime_days.len() != empty.regime_days.len()
            || self.regime_days_sq.len() != empty.regime_days.len()
        {
            return Err("its regimes are not the scenario's".into());
        }
        match (&self.weights, &empty.weights) {
            (None, None) => {}
            (Some(w), Some(want)) => w.check(want)?,
            (Some(_), None) => {
                return Err("it is weighted, and the scenario has no observations".into())
            }
            (None, Some(_)) => {
                return Err("it is not weighted, and the scenario has observations".into())
            }
        }
        // Every statistic counts the same mass: paths, or their weights' units.
        let mass = self.mass();
        let add_up = |what: &str, total: u64| match total == mass {
            true => Ok(()),
            false => Err(format!("its {what} count {total}, not the {mass} it holds")),
        };
        for c in &self.crossings {
            add_up("crossing counts", c.total())?;
        }
        for (slot, h) in self.stocks.iter().enumerate() {
            let want = if self.layout.is_present(slot) {
                mass
            } else {
                0
            };
            if h.count() != want {
                return Err(format!(
                    "its stock histogram {slot} counts {}, not {want}",
                    h.count()
                ));
            }
        }
        for e in &self.events {
            for (with, without) in e.with.iter().zip(&e.without) {
                add_up(
                    "event crossing counts",
                    with.total().wrapping_add(without.total()),
                )?;
                if with.total() != e.happened {
                    return Err("its event counts disagree".into());
                }
            }
        }
        if let Some(w) = &self.weights {
            if w.zero > self.paths {
                return Err("it has more zero-weight paths than paths".into());
            }
        }
        Ok(())
    }
}
