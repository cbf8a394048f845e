//! Importance sampling for runs with observations: a proposal that draws the inputs
//! closer to where the observations put them, with every path weighted by the exact
//! density ratio of the scenario's distribution to the proposal's.
//!
//! Each proposed input is drawn, as always, from its own keyed uniform `u`; its normal
//! score `z = Phi^-1(u)` is then moved to `z' = m + s z` (a normal `N(m, s^2)` in place of
//! the scenario's `N(0, 1)`), and the input takes the value at `Phi(z')` of its own
//! distribution, so that any shape drawn by inversion can be proposed. A defensive
//! mixture keeps the ratio bounded (Hesterberg 1995): a share `alpha` of the paths,
//! chosen by their own uniform, keep the scenario's draws, so the proposal's density is
//! `q = alpha p + (1 - alpha) g` and the ratio `p / q` is at most `1 / alpha`. A path's
//! prior weight is `alpha p / q`, at most 1, which is what the fixed-point weights need
//! (`weights`); its weight is the prior weight times the observations' likelihood.
//!
//! The proposal is fitted before the run by `pilot`; holding the fitted means and
//! standard deviations, it is a function of the scenario and seed alone, so the run is
//! as reproducible as one without it.

use crate::sample::normal::{cdf as normal_cdf, inverse_cdf};
use crate::sample::stream::keyed_unit;

/// Share of the paths drawn from the scenario's own distributions.
pub const ALPHA: f64 = 0.1;

/// One proposed input: its normal score is drawn from `N(mean, sd^2)`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Shift {
    /// Its key (`Model::inputs`), for the output.
    pub key: String,
    #[serde(skip)]
    pub stream: u64,
    pub mean: f64,
    pub sd: f64,
}

/// The fitted proposal, and what the output says about it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Proposal {
    pub shifts: Vec<Shift>,
    /// The defensive share (`ALPHA`; 1 keeps every path's draws, for the pilot's first
    /// round).
    pub alpha: f64,
    /// Pilot paths simulated to fit it, and its rounds.
    pub pilot_paths: u64,
    pub rounds: u32,
    /// The stream that decides whether a path keeps the scenario's draws.
    #[serde(skip)]
    pub component: u64,
}

/// What one path drew through the proposal.
#[derive(Clone, Debug, Default)]
pub struct Proposed {
    /// `(stream, uniform)` of each proposed input, in `Proposal::shifts` order.
    pub units: Vec<(u64, f64)>,
    /// Normal scores `z'` of the same, for the pilot's fit.
    pub scores: Vec<f64>,
    /// `ln(alpha p / q)`: at most 0.
    pub log_prior_weight: f64,
}

impl Proposal {
    /// Draws path `path`'s proposed inputs into `out`.
    pub fn draw(&self, seed: u64, path: u64, out: &mut Proposed) {
        out.units.clear();
        out.scores.clear();
        let keep = self.alpha >= 1.0 || keyed_unit(seed, path, self.component) < self.alpha;
        // ln(g / p) at z': the proposal's normal density over the scenario's.
        let mut log_ratio = 0.0;
        for s in &self.shifts {
            let z = inverse_cdf(keyed_unit(seed, path, s.stream));
            let z1 = if keep { z } else { s.mean + s.sd * z };
            let t = (z1 - s.mean) / s.sd;
            log_ratio += 0.5 * (z1 * z1 - t * t) - s.sd.ln();
            // The same open interval as the keyed uniforms, so that the loader's bounds
            // on every draw still hold.
            let u = normal_cdf(z1).clamp(f64::MIN_POSITIVE, 1.0 - f64::EPSILON / 2.0);
            out.units.push((s.stream, u));
            out.scores.push(z1);
        }
        out.log_prior_weight = if self.alpha >= 1.0 {
            0.0
        } else {
            // alpha p / q = alpha / (alpha + (1 - alpha) g / p), in logs without overflow.
            let a = self.alpha.ln();
            let b = (1.0 - self.alpha).ln() + log_ratio;
            let hi = a.max(b);
            a - (hi + ((a - hi).exp() + (b - hi).exp()).ln())
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::stream::stream_id;

    fn proposal(mean: f64, sd: f64) -> Proposal {
        Proposal {
            shifts: vec![Shift {
                key: "x".into(),
                stream: stream_id("x"),
                mean,
                sd,
            }],
            alpha: ALPHA,
            pilot_paths: 0,
            rounds: 0,
            component: stream_id("proposal.component"),
        }
    }

    #[test]
    fn prior_weights_are_bounded_and_average_to_alpha() {
        // E_q[alpha p / q] = alpha: the weights are the exact density ratio.
        let q = proposal(1.5, 0.4);
        let mut out = Proposed::default();
        let n = 200_000;
        let (mut sum, mut sum_sq) = (0.0, 0.0);
        for path in 0..n {
            q.draw(7, path, &mut out);
            assert!(out.log_prior_weight <= 1e-15);
            let w = out.log_prior_weight.exp();
            sum += w;
            sum_sq += w * w;
        }
        let mean = sum / n as f64;
        let se = ((sum_sq / n as f64 - mean * mean) / n as f64).sqrt();
        assert!(
            (mean - ALPHA).abs() < 4.0 * se,
            "{mean} against {ALPHA} (se {se})"
        );
    }

    #[test]
    fn weighted_draws_follow_the_scenario() {
        // Under the weights, the proposed normal scores are standard normal again:
        // P(z' < 1) = Phi(1).
        let q = proposal(-1.0, 0.5);
        let mut out = Proposed::default();
        let draws: Vec<(f64, bool)> = (0..200_000)
            .map(|path| {
                q.draw(11, path, &mut out);
                (out.log_prior_weight.exp(), out.scores[0] < 1.0)
            })
            .collect();
        let all: f64 = draws.iter().map(|d| d.0).sum();
        let p = draws.iter().filter(|d| d.1).map(|d| d.0).sum::<f64>() / all;
        // The self-normalised estimator's delta-method error.
        let var: f64 = draws
            .iter()
            .map(|&(w, a)| (w * (f64::from(u8::from(a)) - p)).powi(2))
            .sum();
        let se = var.sqrt() / all;
        let exact = normal_cdf(1.0);
        assert!(
            (p - exact).abs() < 4.0 * se,
            "{p} against {exact} (se {se})"
        );
    }

    #[test]
    fn alpha_one_keeps_the_draws() {
        let mut q = proposal(3.0, 0.1);
        q.alpha = 1.0;
        let mut out = Proposed::default();
        q.draw(3, 5, &mut out);
        assert_eq!(out.log_prior_weight, 0.0);
        let z = inverse_cdf(keyed_unit(3, 5, stream_id("x")));
        assert_eq!(out.scores[0], z);
    }
}
