//! Importance sampling for runs with observations: a proposal that draws the inputs
//! closer to where the observations put them, with every path weighted by the exact
//! density ratio of the scenario's distribution to the proposal's.
//!
//! Each proposed input is drawn, as always, from its own keyed uniform `u`; the vector of
//! their normal scores `z = Phi^-1(u)` is then moved to `z' = m + L z` (a multivariate
//! normal `N(m, L L^T)` in place of the scenario's independent `N(0, 1)`: correlated,
//! because a source's bias and the stock it reports trade off), and each input takes the
//! value at `Phi(z'_i)` of its own distribution, so that any shape drawn by inversion can
//! be proposed. A defensive
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
use crate::sample::stream::Keys;

/// Share of the paths drawn from the scenario's own distributions.
pub const ALPHA: f64 = 0.1;

/// One proposed input: its normal score is drawn with mean `mean` and standard deviation
/// `sd` (the marginal of the proposal's normal).
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
    /// The lower Cholesky factor `L` of the scores' covariance, row-major `k x k`.
    #[serde(skip)]
    pub chol: Vec<f64>,
    /// The defensive share (`ALPHA`; 1 keeps every path's draws, for the pilot's first
    /// round).
    pub alpha: f64,
    /// The log weight a path's units are counted from (`weights::units`), at most 0: the
    /// best log weight of the pilot's last round plus `pilot::ANCHOR_MARGIN`. A path's
    /// weight can be far below 1 when the reports are far from the scenario's ranges (each
    /// likelihood peaks at 1, and the prior weight is smallest where the proposal is
    /// densest), and the fixed-point units resolve `2^-33` of the anchor's weight.
    pub log_anchor: f64,
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
    /// Scratch: the scenario's scores `z`, then `L^-1 (z' - m)`.
    z: Vec<f64>,
    /// `ln(alpha p / q)`: at most 0.
    pub log_prior_weight: f64,
}

impl Proposal {
    /// A proposal with the scenario's own draws: zero means, unit covariance, every path
    /// kept (the pilot's first round).
    pub fn identity(shifts: Vec<Shift>, component: u64) -> Self {
        let k = shifts.len();
        let mut chol = vec![0.0; k * k];
        for i in 0..k {
            chol[i * k + i] = 1.0;
        }
        Proposal {
            shifts,
            chol,
            alpha: 1.0,
            log_anchor: 0.0,
            pilot_paths: 0,
            rounds: 0,
            component,
        }
    }

    /// Draws path `path`'s proposed inputs into `out`.
    pub fn draw(&self, keys: &Keys, path: u64, out: &mut Proposed) {
        let k = self.shifts.len();
        out.units.clear();
        out.scores.clear();
        out.z.clear();
        out.z.extend(
            self.shifts
                .iter()
                .map(|s| inverse_cdf(keys.unit(path, s.stream))),
        );
        let keep = self.alpha >= 1.0 || keys.unit(path, self.component) < self.alpha;
        let l = &self.chol;
        for i in 0..k {
            let z1 = if keep {
                out.z[i]
            } else {
                self.shifts[i].mean + (0..=i).map(|j| l[i * k + j] * out.z[j]).sum::<f64>()
            };
            out.scores.push(z1);
            // The same open interval as the keyed uniforms, so that the loader's bounds
            // on every draw still hold.
            let u = normal_cdf(z1).clamp(f64::MIN_POSITIVE, 1.0 - f64::EPSILON / 2.0);
            out.units.push((self.shifts[i].stream, u));
        }
        out.log_prior_weight = if self.alpha >= 1.0 {
            0.0
        } else {
            // ln(g / p) at z': with t = L^-1 (z' - m), ln g = -|t|^2/2 - ln det L and
            // ln p = -|z'|^2/2 (the constants cancel).
            let mut log_ratio = 0.0;
            for i in 0..k {
                let mut t = out.scores[i] - self.shifts[i].mean;
                for j in 0..i {
                    t -= l[i * k + j] * out.z[j];
                }
                t /= l[i * k + i];
                out.z[i] = t;
                log_ratio += 0.5 * (out.scores[i] * out.scores[i] - t * t) - l[i * k + i].ln();
            }
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
    use crate::sample::stream::{keyed_unit, stream_id};

    fn proposal(mean: f64, sd: f64) -> Proposal {
        let shift = |key: &str, mean: f64, sd: f64| Shift {
            key: key.into(),
            stream: stream_id(key),
            mean,
            sd,
        };
        let mut q = Proposal::identity(
            vec![shift("x", mean, sd), shift("y", 0.5, 0.8)],
            stream_id("proposal.component"),
        );
        // Correlated: y's score moves with x's.
        q.chol = vec![sd, 0.0, 0.6 * 0.8, 0.8 * 0.8];
        q.alpha = ALPHA;
        q
    }

    #[test]
    fn prior_weights_are_bounded_and_average_to_alpha() {
        // E_q[alpha p / q] = alpha: the weights are the exact density ratio.
        let q = proposal(1.5, 0.4);
        let mut out = Proposed::default();
        let n = 200_000;
        let (mut sum, mut sum_sq) = (0.0, 0.0);
        for path in 0..n {
            q.draw(&Keys::new(7), path, &mut out);
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
        // Under the weights, the proposed normal scores are independent standard normals
        // again: P(z'_x < 1, z'_y < 0) = Phi(1) / 2.
        let q = proposal(-1.0, 0.5);
        let mut out = Proposed::default();
        let draws: Vec<(f64, bool)> = (0..200_000)
            .map(|path| {
                q.draw(&Keys::new(11), path, &mut out);
                let inside = out.scores[0] < 1.0 && out.scores[1] < 0.0;
                (out.log_prior_weight.exp(), inside)
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
        // Independent standard normals again, whatever the proposal's correlation.
        let exact = normal_cdf(1.0) * 0.5;
        assert!(
            (p - exact).abs() < 4.0 * se,
            "{p} against {exact} (se {se})"
        );
    }

    #[test]
    fn alpha_one_keeps_the_draws() {
        let mut q = proposal(3.0, 0.1);
        q.alpha = 1.0;
        q.chol = vec![1.0, 0.0, 0.0, 1.0];
        let mut out = Proposed::default();
        q.draw(&Keys::new(3), 5, &mut out);
        assert_eq!(out.log_prior_weight, 0.0);
        let z = inverse_cdf(keyed_unit(3, 5, stream_id("x")));
        assert_eq!(out.scores[0], z);
    }
}
