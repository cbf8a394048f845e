//! Fitting a run's proposal (`proposal`) before the run, by the cross-entropy method with
//! tempering: pilot paths are drawn from the current proposal, weighted by the exact
//! ratio times the observations' likelihood raised to a power `beta`, and the weighted
//! mean and spread of each input's normal score become the next proposal. `beta` rises
//! from 0 to 1 as fast as the pilot's effective sample size allows (half its paths), so
//! that observations far in the tail of the scenario are approached in steps rather
//! than from one or two lucky pilot paths.
//!
//! The pilot's paths are paths of their own seeds (one per round), so they are not part
//! of the run; everything here is a function of the scenario and the run's seed, and the
//! pilot's results are taken in path order, so the fitted proposal does not depend on the
//! thread count.

use super::path::{PathState, Stepping};
use super::plan::Plan;
use super::proposal::{Proposal, Shift, ALPHA};
use super::{for_each_path_in, EngineError, Progress};
use crate::model::What;
use crate::sample::stream::stream_id;
use crate::sample::Dist;

/// Paths per pilot round.
pub const PILOT_PATHS: u64 = 4_000;
/// Rounds at most; the last fit is used even if `beta` has not reached 1.
const MAX_ROUNDS: u32 = 8;
/// Prior draws this efficient (Kish's effective sample size over the paths) need no
/// proposal.
const ENOUGH: f64 = 0.3;
/// The narrowest proposal, in normal-score units: a tenth of the scenario's spread.
const MIN_SD: f64 = 0.1;

/// One pilot path: the observations' log likelihood, the log prior weight, the proposed
/// inputs' normal scores.
struct PilotPath {
    path: u64,
    log_likelihood: f64,
    log_prior: f64,
    scores: Vec<f64>,
}

/// The proposal for a run of `plan` with seed `seed`, or `None` when the scenario's own
/// draws serve (no observations, nothing to propose, or observations so weak that the
/// prior draws keep `ENOUGH` of their paths).
pub(super) fn fit(
    plan: &Plan,
    seed: u64,
    stepping: Stepping,
    progress: &dyn Progress,
) -> Result<Option<Proposal>, EngineError> {
    if plan.model.observations.is_empty() {
        return Ok(None);
    }
    let shifts = proposable(plan);
    if shifts.is_empty() {
        return Ok(None);
    }
    let mut q = Proposal {
        shifts,
        alpha: 1.0,
        pilot_paths: 0,
        rounds: 0,
        component: stream_id("proposal.component"),
    };
    let mut beta = 0.0;
    for round in 0..MAX_ROUNDS {
        let pilot = simulate(plan, &q, seed, round, stepping, progress)?;
        q.pilot_paths += pilot.len() as u64;
        q.rounds = round + 1;
        let n = pilot.len() as f64;
        if round == 0 && ess(&pilot, 1.0) >= ENOUGH * n {
            return Ok(None);
        }
        // The largest beta that keeps half the pilot; none above the last round's.
        beta = if ess(&pilot, 1.0) >= 0.5 * n {
            1.0
        } else {
            let (mut lo, mut hi) = (beta, 1.0);
            for _ in 0..50 {
                let mid = 0.5 * (lo + hi);
                if ess(&pilot, mid) >= 0.5 * n {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            lo
        };
        let w = weights(&pilot, beta);
        let total: f64 = w.iter().sum();
        if total.is_nan() || total <= 0.0 {
            break;
        }
        for (i, s) in q.shifts.iter_mut().enumerate() {
            let mean = pilot
                .iter()
                .zip(&w)
                .map(|(p, w)| w * p.scores[i])
                .sum::<f64>()
                / total;
            let var = pilot
                .iter()
                .zip(&w)
                .map(|(p, w)| w * (p.scores[i] - mean).powi(2))
                .sum::<f64>()
                / total;
            s.mean = mean;
            s.sd = var.sqrt().max(MIN_SD);
        }
        q.alpha = ALPHA;
        if beta >= 1.0 {
            break;
        }
    }
    Ok(Some(q))
}

/// The inputs a proposal moves: those the path draws by inversion of their own uniform
/// (sides' inputs, multipliers, sources' biases), not fixed, not tied by a correlation.
fn proposable(plan: &Plan) -> Vec<Shift> {
    let tied = |stream: u64| plan.copulas.iter().any(|g| g.streams.contains(&stream));
    plan.inputs
        .iter()
        .filter(|i| {
            matches!(
                i.what,
                What::Casualties(_)
                    | What::Rate(_)
                    | What::Killed(_)
                    | What::KilledShare(_)
                    | What::Force(_)
                    | What::Recruits(_)
                    | What::ReturnShare(_)
                    | What::Factor { .. }
                    | What::SourceBias(_)
            )
        })
        .filter(|i| {
            i.dist(plan.model)
                .is_some_and(|d| d.is_invertible() && !matches!(d, Dist::Fixed(_)))
        })
        .filter(|i| !tied(i.stream))
        .map(|i| Shift {
            key: i.key.clone(),
            stream: i.stream,
            mean: 0.0,
            sd: 1.0,
        })
        .collect()
}

/// Round `round`'s pilot paths under `q`, in path order.
fn simulate(
    plan: &Plan,
    q: &Proposal,
    seed: u64,
    round: u32,
    stepping: Stepping,
    progress: &dyn Progress,
) -> Result<Vec<PilotPath>, EngineError> {
    let mut pilot_plan = plan.clone();
    pilot_plan.proposal = Some(q.clone());
    let plan = &pilot_plan;
    let pilot_seed = seed
        .wrapping_add(stream_id("proposal.pilot"))
        .wrapping_add(u64::from(round));
    let quiet = Quiet(progress);
    let parts = for_each_path_in(
        &quiet,
        0..PILOT_PATHS,
        || (Vec::new(), PathState::new(plan, stepping)),
        |(out, state): &mut (Vec<PilotPath>, PathState), path| {
            state.simulate(plan, pilot_seed, path);
            let log_prior = state.log_prior_weight();
            let mut log_likelihood = state.log_weight() - log_prior;
            if !state.is_finite(plan) || log_likelihood.is_nan() {
                log_likelihood = f64::NEG_INFINITY;
            }
            out.push(PilotPath {
                path,
                log_likelihood,
                log_prior,
                scores: state.draws().proposal_scores().to_vec(),
            });
            Ok(())
        },
    )?;
    let mut all: Vec<PilotPath> = parts.into_iter().flat_map(|(v, _)| v).collect();
    all.sort_by_key(|p| p.path);
    Ok(all)
}

/// The pilot's weights at temperature `beta`, scaled to a largest of 1.
fn weights(pilot: &[PilotPath], beta: f64) -> Vec<f64> {
    let lw: Vec<f64> = pilot
        .iter()
        .map(|p| {
            // beta 0 ignores the likelihood, even where it is zero.
            let l = if beta == 0.0 {
                0.0
            } else {
                beta * p.log_likelihood
            };
            l + p.log_prior
        })
        .collect();
    let best = lw.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if best == f64::NEG_INFINITY {
        return vec![0.0; lw.len()];
    }
    lw.iter().map(|l| (l - best).exp()).collect()
}

/// Kish's effective sample size of the pilot at temperature `beta`.
fn ess(pilot: &[PilotPath], beta: f64) -> f64 {
    let w = weights(pilot, beta);
    let s: f64 = w.iter().sum();
    let s2: f64 = w.iter().map(|w| w * w).sum();
    if s2 > 0.0 {
        s * s / s2
    } else {
        0.0
    }
}

/// Forwards a run's cancellation, not its progress: the pilot's paths are not the run's.
struct Quiet<'a>(&'a dyn Progress);

impl Progress for Quiet<'_> {
    fn cancelled(&self) -> bool {
        self.0.cancelled()
    }
}
