//! Validated distributions of uncertain inputs, and how one is drawn on a path.
//!
//! A `Dist` is built only through its checked constructors, so the engine never sees a
//! negative scale, an inverted interval or a NaN. Every shape but PERT is drawn by
//! inversion from one uniform, which keeps a path's inputs comparable across scenarios.

use super::normal::{self, inverse_cdf};
use rand::Rng;
use rand_distr::{Beta, Distribution};

/// A distribution over a non-negative quantity (a stock, a rate, a share, a multiplier).
#[derive(Clone, Debug, PartialEq)]
pub enum Dist {
    /// Always the same value.
    Fixed(f64),
    /// `exp(N(mu, sigma^2))`.
    LogNormal {
        mu: f64,
        sigma: f64,
    },
    /// `N(mean, sd^2)` conditioned on being at least zero.
    TruncNormal {
        mean: f64,
        sd: f64,
        p_below_zero: f64,
    },
    Uniform {
        lo: f64,
        hi: f64,
    },
    Triangular {
        lo: f64,
        mode: f64,
        hi: f64,
    },
    /// `lo + (hi - lo) * Beta(alpha, beta)`; `shape` is `[alpha, beta]` (the sampler
    /// keeps them to itself), for the percentiles.
    Pert {
        lo: f64,
        hi: f64,
        beta: Beta<f64>,
        shape: [f64; 2],
    },
}

/// A number for a message: as written for ordinary sizes, in exponent form when huge or tiny.
pub fn fmt_num(x: f64) -> String {
    if x != 0.0 && x.is_finite() && !(1e-4..1e15).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// Why a set of parameters does not make a distribution; the message is for users.
#[derive(Clone, Debug, PartialEq)]
pub struct DistError(pub String);

fn check_finite_nonneg(name: &str, x: f64) -> Result<(), DistError> {
    if !x.is_finite() {
        return Err(DistError(format!(
            "{name} must be a finite number, not {x}"
        )));
    }
    if x < 0.0 {
        return Err(DistError(format!(
            "{name} ({}) is negative; every uncertain quantity here is a count, rate, share or multiplier and cannot be",
            fmt_num(x)
        )));
    }
    Ok(())
}

fn check_order(lo: f64, hi: f64) -> Result<(), DistError> {
    check_finite_nonneg("lo", lo)?;
    check_finite_nonneg("hi", hi)?;
    if lo > hi {
        return Err(DistError(format!(
            "lo ({}) is above hi ({})",
            fmt_num(lo),
            fmt_num(hi)
        )));
    }
    Ok(())
}

fn check_interval(interval: f64) -> Result<f64, DistError> {
    if !((0.01..1.0).contains(&interval)) {
        return Err(DistError(format!(
            "interval ({}) must be a probability from 0.01 to below 1 (0.9 reads lo and hi as the 5th and 95th percentiles)",
            fmt_num(interval)
        )));
    }
    Ok(inverse_cdf(0.5 + interval / 2.0))
}

impl Dist {
    pub fn fixed(value: f64) -> Result<Dist, DistError> {
        check_finite_nonneg("value", value)?;
        Ok(Dist::Fixed(value))
    }

    /// Lognormal whose central `interval` (0.9 = 5th to 95th percentile) is `[lo, hi]`.
    pub fn lognormal(lo: f64, hi: f64, interval: f64) -> Result<Dist, DistError> {
        check_order(lo, hi)?;
        let z = check_interval(interval)?;
        if lo <= 0.0 {
            return Err(DistError(format!(
                "lo ({lo}) must be above 0 for a lognormal range; use shape = \"uniform\", \"triangular\", \"pert\" or \"normal\" for a range that reaches 0"
            )));
        }
        if lo == hi {
            return Ok(Dist::Fixed(lo));
        }
        if hi / lo > 1e9 {
            return Err(DistError(format!(
                "hi / lo is {:e}: a range spanning more than nine orders of magnitude is not usable as a lognormal interval",
                hi / lo
            )));
        }
        let mu = (lo.ln() + hi.ln()) / 2.0;
        let sigma = (hi.ln() - lo.ln()) / (2.0 * z);
        if sigma > 10.0 {
            return Err(DistError(format!(
                "lo, hi and interval imply a log-scale spread (sigma) of {sigma:.1}: too wide to sample; widen the interval or narrow the range"
            )));
        }
        Ok(Dist::LogNormal { mu, sigma })
    }

    /// Normal whose central `interval` is `[lo, hi]`, truncated to values at or above 0.
    pub fn truncated_normal(lo: f64, hi: f64, interval: f64) -> Result<Dist, DistError> {
        check_order(lo, hi)?;
        let z = check_interval(interval)?;
        if lo == hi {
            return Ok(Dist::Fixed(lo));
        }
        let mean = (lo + hi) / 2.0;
        let sd = (hi - lo) / (2.0 * z);
        let p_below_zero = normal::cdf(-mean / sd);
        Ok(Dist::TruncNormal {
            mean,
            sd,
            p_below_zero,
        })
    }

    pub fn uniform(lo: f64, hi: f64) -> Result<Dist, DistError> {
        check_order(lo, hi)?;
        if lo == hi {
            return Ok(Dist::Fixed(lo));
        }
        Ok(Dist::Uniform { lo, hi })
    }

    pub fn triangular(lo: f64, mode: f64, hi: f64) -> Result<Dist, DistError> {
        check_order(lo, hi)?;
        check_mode(lo, mode, hi)?;
        if lo == hi {
            return Ok(Dist::Fixed(lo));
        }
        Ok(Dist::Triangular { lo, mode, hi })
    }

    /// PERT on `[lo, hi]` with the given mode; `lambda` (usually 4) weights the mode.
    pub fn pert(lo: f64, mode: f64, hi: f64, lambda: f64) -> Result<Dist, DistError> {
        check_order(lo, hi)?;
        check_mode(lo, mode, hi)?;
        if !(lambda.is_finite() && lambda > 0.0) {
            return Err(DistError(format!(
                "lambda ({lambda}) must be a positive number (4 is the classic PERT)"
            )));
        }
        if lo == hi {
            return Ok(Dist::Fixed(lo));
        }
        let alpha = 1.0 + lambda * (mode - lo) / (hi - lo);
        let beta = 1.0 + lambda * (hi - mode) / (hi - lo);
        let shape = [alpha, beta];
        let beta = Beta::new(alpha, beta).map_err(|e| DistError(format!("PERT: {e}")))?;
        Ok(Dist::Pert {
            lo,
            hi,
            beta,
            shape,
        })
    }

    /// One draw, using `rng` as this input's own stream.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Pert { lo, hi, beta, .. } => lo + (hi - lo) * beta.sample(rng),
            _ => self.quantile(open_unit(rng)),
        }
    }

    /// The draw for input `stream` on path `path` from the streams `keys` gives: by
    /// inversion of the input's uniform where the shape allows (a keyed uniform, or a
    /// scrambled Sobol coordinate), else from the input's own stream.
    #[inline]
    pub fn draw(&self, keys: &super::stream::Keys, path: u64, stream: u64) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Pert { .. } => self.sample(&mut keys.rng(path, stream)),
            _ => self.quantile(keys.unit(path, stream)),
        }
    }

    /// An upper bound of every draw: the value at a normal score of 9 for the unbounded
    /// shapes (the inverse-CDF draws stop near 8.3, as their uniforms are at least 2^-54
    /// from 0 and 1), the upper end for the bounded ones. Used by the loader to prove that
    /// a scenario cannot overflow.
    pub fn upper(&self) -> f64 {
        match *self {
            Dist::Fixed(v) => v,
            Dist::LogNormal { mu, sigma } => (mu + 9.0 * sigma).exp(),
            Dist::TruncNormal { mean, sd, .. } => (mean + 9.0 * sd).max(0.0),
            Dist::Uniform { hi, .. } | Dist::Triangular { hi, .. } | Dist::Pert { hi, .. } => hi,
        }
    }

    /// Whether a draw can be zero (or below): a fixed 0, or a lower end of 0 for the
    /// bounded shapes. Lognormal and truncated-normal draws are positive.
    pub fn can_be_zero(&self) -> bool {
        match *self {
            Dist::Fixed(v) => v <= 0.0,
            Dist::Uniform { lo, .. } | Dist::Triangular { lo, .. } | Dist::Pert { lo, .. } => {
                lo <= 0.0
            }
            Dist::LogNormal { .. } | Dist::TruncNormal { .. } => false,
        }
    }

    /// Whether draws are by inversion of one uniform (all shapes but PERT), so that the
    /// input can take part in a copula.
    pub fn is_invertible(&self) -> bool {
        !matches!(self, Dist::Pert { .. })
    }

    /// `P(X > x)`, the survival function, where it has a closed form (every shape but
    /// PERT); computed from the upper tail so that it keeps its relative accuracy where it
    /// is small.
    pub fn sf(&self, x: f64) -> Option<f64> {
        let upper = |z: f64| normal::cdf(-z);
        Some(match *self {
            Dist::Fixed(v) => f64::from(u8::from(v > x)),
            Dist::LogNormal { mu, sigma } => {
                if x <= 0.0 {
                    1.0
                } else {
                    upper((x.ln() - mu) / sigma)
                }
            }
            Dist::TruncNormal {
                mean,
                sd,
                p_below_zero,
            } => {
                if x < 0.0 {
                    1.0
                } else {
                    (upper((x - mean) / sd) / (1.0 - p_below_zero)).min(1.0)
                }
            }
            Dist::Uniform { lo, hi } => ((hi - x) / (hi - lo)).clamp(0.0, 1.0),
            Dist::Triangular { lo, mode, hi } => {
                if x <= lo {
                    1.0
                } else if x >= hi {
                    0.0
                } else if x < mode {
                    1.0 - (x - lo) * (x - lo) / ((hi - lo) * (mode - lo))
                } else {
                    (hi - x) * (hi - x) / ((hi - lo) * (hi - mode))
                }
            }
            Dist::Pert { .. } => return None,
        })
    }

    /// The value at probability `p` in (0, 1), every shape (PERT's from the Beta's
    /// inverse CDF, which its draws do not use): where the distribution puts its
    /// `p`-quantile, as a tornado holds an input.
    pub fn percentile(&self, p: f64) -> f64 {
        match *self {
            Dist::Pert { lo, hi, shape, .. } => {
                use statrs::distribution::{Beta as Law, ContinuousCDF};
                let law = Law::new(shape[0], shape[1]).expect("checked when the PERT was made");
                lo + (hi - lo) * law.inverse_cdf(p)
            }
            _ => self.quantile(p),
        }
    }

    /// Whether draws can differ from path to path: not a fixed value, nor a range of
    /// zero width.
    pub fn varies(&self) -> bool {
        match *self {
            Dist::Fixed(_) => false,
            Dist::LogNormal { sigma, .. } => sigma > 0.0,
            Dist::TruncNormal { sd, .. } => sd > 0.0,
            Dist::Uniform { lo, hi }
            | Dist::Triangular { lo, hi, .. }
            | Dist::Pert { lo, hi, .. } => hi > lo,
        }
    }

    /// The value at probability `u` in (0, 1); not for PERT (see `is_invertible`).
    pub(crate) fn quantile(&self, u: f64) -> f64 {
        match *self {
            Dist::Fixed(v) => v,
            Dist::LogNormal { mu, sigma } => (mu + sigma * inverse_cdf(u)).exp(),
            Dist::TruncNormal {
                mean,
                sd,
                p_below_zero,
            } => {
                let p = p_below_zero + u * (1.0 - p_below_zero);
                (mean + sd * inverse_cdf(p)).max(0.0)
            }
            Dist::Uniform { lo, hi } => lo + u * (hi - lo),
            Dist::Triangular { lo, mode, hi } => {
                let cut = (mode - lo) / (hi - lo);
                if u < cut {
                    lo + ((hi - lo) * (mode - lo) * u).sqrt()
                } else {
                    hi - ((hi - lo) * (hi - mode) * (1.0 - u)).sqrt()
                }
            }
            Dist::Pert { .. } => unreachable!("PERT is drawn with a Beta sampler"),
        }
    }
}

fn check_mode(lo: f64, mode: f64, hi: f64) -> Result<(), DistError> {
    if !mode.is_finite() {
        return Err(DistError(format!(
            "mode must be a finite number, not {mode}"
        )));
    }
    if !(lo <= mode && mode <= hi) {
        return Err(DistError(format!(
            "mode ({mode}) must lie between lo ({lo}) and hi ({hi})"
        )));
    }
    Ok(())
}

/// A uniform draw in the open interval (0, 1) from `rng`'s next word: 53 random bits,
/// offset by half a step (`stream::unit_53`, the recipe `keyed_unit` uses too).
#[inline]
pub fn open_unit<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    super::stream::unit_53(rng.next_u64())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::normal::Z95;
    use crate::sample::stream::stream_rng;

    #[test]
    fn the_survival_function_inverts_the_quantile() {
        let shapes = [
            Dist::lognormal(1_100_000.0, 1_300_000.0, 0.9).unwrap(),
            Dist::truncated_normal(350.0, 430.0, 0.9).unwrap(),
            Dist::truncated_normal(0.0, 10.0, 0.9).unwrap(),
            Dist::uniform(0.8, 1.2).unwrap(),
            Dist::triangular(0.5, 0.7, 1.5).unwrap(),
        ];
        for d in &shapes {
            for u in [1e-9, 0.01, 0.2, 0.5, 0.77, 0.99, 1.0 - 1e-9] {
                let x = d.quantile(u);
                let sf = d.sf(x).unwrap();
                assert!(
                    (sf - (1.0 - u)).abs() < 1e-9 * (1.0 + 1e3 * (1.0 - u)),
                    "{d:?} {u} {sf}"
                );
            }
            assert_eq!(d.sf(-1.0), Some(1.0));
            assert_eq!(d.sf(1e300), Some(0.0));
        }
        assert_eq!(Dist::Fixed(3.0).sf(2.9), Some(1.0));
        assert_eq!(Dist::Fixed(3.0).sf(3.0), Some(0.0));
    }

    fn draws(d: &Dist, n: usize) -> Vec<f64> {
        let mut rng = stream_rng(7, 0, 0);
        let mut v: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        v.sort_by(|a, b| a.total_cmp(b));
        v
    }

    /// Fraction of sorted `v` at or below `x`.
    fn ecdf(v: &[f64], x: f64) -> f64 {
        v.partition_point(|&y| y <= x) as f64 / v.len() as f64
    }

    // With n = 200,000 the standard error of an empirical 5% tail is
    // sqrt(0.05 * 0.95 / n) = 0.00049; 5 standard errors is 0.0025.
    const N: usize = 200_000;
    const TOL: f64 = 0.0025;

    #[test]
    fn lognormal_range_hits_its_stated_percentiles() {
        let d = Dist::lognormal(750.0, 1000.0, 0.9).unwrap();
        let v = draws(&d, N);
        assert!((ecdf(&v, 750.0) - 0.05).abs() < TOL);
        assert!((ecdf(&v, 1000.0) - 0.95).abs() < TOL);
        let Dist::LogNormal { mu, sigma } = d else {
            panic!()
        };
        // The formulas of docs/domain.md (and docs/bench/W1.md).
        assert!((mu - (750f64.ln() + 1000f64.ln()) / 2.0).abs() < 1e-12);
        assert!((sigma - (1000f64.ln() - 750f64.ln()) / (2.0 * Z95)).abs() < 1e-15);
    }

    #[test]
    fn an_80_percent_interval_hits_the_10th_and_90th() {
        for d in [
            Dist::lognormal(100.0, 200.0, 0.8).unwrap(),
            Dist::truncated_normal(100.0, 200.0, 0.8).unwrap(),
        ] {
            let v = draws(&d, N);
            assert!((ecdf(&v, 100.0) - 0.10).abs() < TOL, "{d:?}");
            assert!((ecdf(&v, 200.0) - 0.90).abs() < TOL, "{d:?}");
        }
    }

    #[test]
    fn truncated_normal_never_goes_below_zero_and_keeps_its_shape() {
        // N(5, sd) with 90% in [-5, 15], conditioned on >= 0. P(X <= 5 | X >= 0) is exact:
        // (0.5 - F(-5)) / (1 - F(-5)) with F(-5) = 0.05.
        let d = Dist::truncated_normal(0.0, 10.0, 0.9).unwrap();
        let v = draws(&d, N);
        assert!(v[0] >= 0.0);
        let exact = {
            let f0 = normal::cdf(-5.0 / (10.0 / (2.0 * Z95)));
            (0.5 - f0) / (1.0 - f0)
        };
        assert!((ecdf(&v, 5.0) - exact).abs() < 0.0035);
    }

    #[test]
    fn uniform_triangular_and_pert_match_their_cdfs() {
        let u = draws(&Dist::uniform(2.0, 4.0).unwrap(), N);
        assert!((ecdf(&u, 2.5) - 0.25).abs() < TOL);
        // Triangular(0, 1, 4): F(1) = 1/4, F(2) = 1 - 4/12 = 2/3.
        let t = draws(&Dist::triangular(0.0, 1.0, 4.0).unwrap(), N);
        assert!((ecdf(&t, 1.0) - 0.25).abs() < TOL);
        assert!((ecdf(&t, 2.0) - 2.0 / 3.0).abs() < TOL);
        // PERT(0, 0.5, 1) is Beta(3, 3): symmetric, P(X <= 0.25) = 0.103515625 exactly.
        let p = draws(&Dist::pert(0.0, 0.5, 1.0, 4.0).unwrap(), N);
        assert!((ecdf(&p, 0.5) - 0.5).abs() < TOL);
        assert!((ecdf(&p, 0.25) - 0.103_515_625).abs() < TOL);
    }

    #[test]
    fn impossible_parameters_are_refused_with_reasons() {
        let msg = |r: Result<Dist, DistError>| r.unwrap_err().0;
        assert!(msg(Dist::lognormal(900.0, 800.0, 0.9)).contains("lo (900) is above hi (800)"));
        assert!(msg(Dist::lognormal(0.0, 800.0, 0.9)).contains("above 0"));
        assert!(msg(Dist::uniform(-1.0, 2.0)).contains("negative"));
        assert!(msg(Dist::uniform(f64::NAN, 2.0)).contains("finite"));
        assert!(msg(Dist::uniform(1.0, f64::INFINITY)).contains("finite"));
        assert!(msg(Dist::triangular(0.0, 5.0, 4.0)).contains("mode"));
        assert!(msg(Dist::pert(0.0, 1.0, 4.0, 0.0)).contains("lambda"));
        assert!(msg(Dist::lognormal(1.0, 2.0, 1.0)).contains("interval"));
        assert!(msg(Dist::fixed(-3.0)).contains("negative"));
        // A degenerate range is a fixed value, not an error.
        assert_eq!(Dist::lognormal(5.0, 5.0, 0.9).unwrap(), Dist::Fixed(5.0));
    }
}
