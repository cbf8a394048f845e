//! Dated figures from later reports, and what each says about a path.
//!
//! An observation is a figure a source reported for a stock (a metric summed over some
//! sides) on a date, stated as an interval of the truth. A path is weighted by the
//! likelihood of that figure given the path's stock on that date, times the source's
//! bias when the source has one. The likelihoods are scaled so that their largest value
//! is 1 (log 0): a weight is then at most 1, which the engine's fixed-point weights need,
//! and the scale cancels from every weighted figure.

use super::{Metric, SideId};
use crate::sample::Dist;

/// Most observations a scenario may give (each is a likelihood per path and two
/// histograms per worker).
pub const MAX_OBSERVATIONS: usize = 100;

/// Most sources (each may draw a bias per path).
pub const MAX_SOURCES: usize = 50;

/// A figure reported for a stock on a date.
#[derive(Clone, Debug)]
pub struct Observation {
    pub name: String,
    /// Days after the reference date, `0..=horizon_days`.
    pub day: u32,
    /// Distinct, in file order of the sides.
    pub sides: Vec<SideId>,
    pub metric: Metric,
    pub value: Likelihood,
    /// Index into `Model::sources`.
    pub source: Option<usize>,
}

/// Who reported: observations naming one source share its bias draw.
#[derive(Clone, Debug)]
pub struct Source {
    pub name: String,
    /// Reported = true x bias, drawn once per path; `None`: unbiased.
    pub bias: Option<Dist>,
}

/// The shape of a reported figure around the truth, from the range the file gave.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Likelihood {
    /// `ln(reported) ~ N(ln(truth), sigma^2)`: the reported figure is the median `exp(mu)`.
    LogNormal { mu: f64, sigma: f64 },
    /// `reported ~ N(truth, sd^2)`: the reported figure is `mean`.
    Normal { mean: f64, sd: f64 },
    /// The truth lies in `[lo, hi]`, every value there equally likely.
    Uniform { lo: f64, hi: f64 },
}

impl Likelihood {
    /// The likelihood of a range as the loader read it; an error for shapes with no
    /// stated error (a point figure) or no likelihood here (triangular, pert).
    pub fn of(dist: &Dist) -> Result<Likelihood, &'static str> {
        match *dist {
            Dist::LogNormal { mu, sigma } => Ok(Likelihood::LogNormal { mu, sigma }),
            Dist::TruncNormal { mean, sd, .. } => Ok(Likelihood::Normal { mean, sd }),
            Dist::Uniform { lo, hi } => Ok(Likelihood::Uniform { lo, hi }),
            Dist::Fixed(_) => Err("a point figure needs a stated error: give the source's figure as an interval { lo = .., hi = .. } (a 90% interval of the truth)"),
            Dist::Triangular { .. } | Dist::Pert { .. } => {
                Err("an observation's value takes the shapes lognormal (the default), normal or uniform")
            }
        }
    }

    /// The log of the likelihood of `truth`, scaled so its largest value is 0; minus
    /// infinity where the figure rules the truth out.
    pub fn log_at(&self, truth: f64) -> f64 {
        match *self {
            Likelihood::LogNormal { mu, sigma } => {
                if truth > 0.0 {
                    let z = (truth.ln() - mu) / sigma;
                    -0.5 * z * z
                } else {
                    f64::NEG_INFINITY
                }
            }
            Likelihood::Normal { mean, sd } => {
                let z = (truth - mean) / sd;
                -0.5 * z * z
            }
            Likelihood::Uniform { lo, hi } => {
                if (lo..=hi).contains(&truth) {
                    0.0
                } else {
                    f64::NEG_INFINITY
                }
            }
        }
    }

    /// The reported figure: the centre of the stated interval (its median).
    pub fn centre(&self) -> f64 {
        match *self {
            Likelihood::LogNormal { mu, .. } => mu.exp(),
            Likelihood::Normal { mean, .. } => mean,
            Likelihood::Uniform { lo, hi } => 0.5 * (lo + hi),
        }
    }

    /// The 5th and 95th percentiles of the truth the figure alone states (for lognormal
    /// and normal, whatever interval the file gave them by).
    pub fn interval90(&self) -> (f64, f64) {
        const Z95: f64 = 1.644_853_626_951_472_2;
        match *self {
            Likelihood::LogNormal { mu, sigma } => {
                ((mu - Z95 * sigma).exp(), (mu + Z95 * sigma).exp())
            }
            Likelihood::Normal { mean, sd } => (mean - Z95 * sd, mean + Z95 * sd),
            Likelihood::Uniform { lo, hi } => (lo + 0.05 * (hi - lo), hi - 0.05 * (hi - lo)),
        }
    }

    /// The shape's name, as a range's `shape` key spells it.
    pub fn shape(&self) -> &'static str {
        match self {
            Likelihood::LogNormal { .. } => "lognormal",
            Likelihood::Normal { .. } => "normal",
            Likelihood::Uniform { .. } => "uniform",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_likelihoods_peak_at_zero_at_the_reported_figure() {
        let ln = Likelihood::of(&Dist::lognormal(1_400_000.0, 1_580_000.0, 0.9).unwrap()).unwrap();
        let c = ln.centre();
        assert!((c - (1_400_000.0f64 * 1_580_000.0).sqrt()).abs() < 1e-6);
        assert_eq!(ln.log_at(c), 0.0);
        let (lo, hi) = ln.interval90();
        assert!((lo - 1_400_000.0).abs() < 1e-3 && (hi - 1_580_000.0).abs() < 1e-3);
        // At a 90% interval's end, z = 1.645: log likelihood -z^2 / 2.
        assert!((ln.log_at(lo) + 0.5 * 1.644_853_626_951_472_2f64.powi(2)).abs() < 1e-9);
        assert_eq!(ln.log_at(0.0), f64::NEG_INFINITY);
        let u = Likelihood::Uniform { lo: 1.0, hi: 2.0 };
        assert_eq!((u.log_at(1.5), u.log_at(2.5)), (0.0, f64::NEG_INFINITY));
        let n = Likelihood::Normal {
            mean: 10.0,
            sd: 2.0,
        };
        assert_eq!(n.log_at(12.0), -0.5);
        assert!(Likelihood::of(&Dist::fixed(5.0).unwrap()).is_err());
    }
}
