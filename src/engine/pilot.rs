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
const MAX_ROUNDS: u32 = 10;
/// How far above the anchor round's best log weight the anchor lies: a path of the run
/// `e^10` times better than the best of 4,000 from the same proposal would stop the run
/// (`EngineError::AboveAnchor`) rather than be counted wrongly.
pub const ANCHOR_MARGIN: f64 = 10.0;
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
    let mut q = Proposal::identity(shifts, stream_id("proposal.component"));
    let mut beta = 0.0;
    // Rounds at beta = 1 so far: one more after reaching it refines the fit.
    let mut at_one = 0;
    let mut round = 0;
    while round < MAX_ROUNDS && at_one < 2 {
        let pilot = simulate(plan, &q, seed, round, stepping, progress)?;
        round += 1;
        q.pilot_paths += pilot.len() as u64;
        q.rounds = round;
        let n = pilot.len() as f64;
        if round == 1 && ess(&pilot, 1.0) >= ENOUGH * n {
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
        refit(&mut q, &pilot, &w, total);
        q.alpha = ALPHA;
        if beta >= 1.0 {
            at_one += 1;
        }
    }
    // The anchor: the best log weight of a round drawn from the fitted proposal, plus a
    // margin no path of the run may pass (`Proposal::log_anchor`).
    let pilot = simulate(plan, &q, seed, round, stepping, progress)?;
    q.pilot_paths += pilot.len() as u64;
    let best = pilot
        .iter()
        .map(|p| p.log_likelihood + p.log_prior)
        .fold(f64::NEG_INFINITY, f64::max);
    q.log_anchor = (best + ANCHOR_MARGIN).min(0.0);
    Ok(Some(q))
}

/// Sets `q`'s normal to the weighted mean and covariance of the pilot's scores, each
/// variance at least `MIN_SD^2` (a diagonal one if the covariance is not positive
/// definite, as with fewer effective paths than inputs).
fn refit(q: &mut Proposal, pilot: &[PilotPath], w: &[f64], total: f64) {
    let k = q.shifts.len();
    let mean: Vec<f64> = (0..k)
        .map(|i| {
            pilot
                .iter()
                .zip(w)
                .map(|(p, w)| w * p.scores[i])
                .sum::<f64>()
                / total
        })
        .collect();
    let mut cov = vec![0.0; k * k];
    for (p, &w) in pilot.iter().zip(w) {
        if w == 0.0 {
            continue;
        }
        for i in 0..k {
            let di = p.scores[i] - mean[i];
            for j in 0..=i {
                cov[i * k + j] += w * di * (p.scores[j] - mean[j]) / total;
            }
        }
    }
    for i in 0..k {
        cov[i * k + i] = cov[i * k + i].max(MIN_SD * MIN_SD);
    }
    let chol = cholesky(&cov, k).unwrap_or_else(|| {
        let mut d = vec![0.0; k * k];
        for i in 0..k {
            d[i * k + i] = cov[i * k + i].sqrt();
        }
        d
    });
    for (i, s) in q.shifts.iter_mut().enumerate() {
        s.mean = mean[i];
        s.sd = cov[i * k + i].sqrt();
    }
    q.chol = chol;
}

/// The lower Cholesky factor of the symmetric `k x k` matrix whose lower triangle `a`
/// holds (row-major), or `None` if it is not positive definite.
fn cholesky(a: &[f64], k: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..=i {
            let s: f64 = (0..j).map(|m| l[i * k + m] * l[j * k + m]).sum();
            if i == j {
                let d = a[i * k + i] - s;
                if d.is_nan() || d <= 0.0 {
                    return None;
                }
                l[i * k + i] = d.sqrt();
            } else {
                l[i * k + j] = (a[i * k + j] - s) / l[j * k + j];
            }
        }
    }
    Some(l)
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
