//! Sobol indices from a pick-freeze design, as pure functions of sums.
//!
//! A base path is run three ways: with every input from design A, every input from
//! design B, and for each group `g` of inputs, A with group `g` taken from B (`AB_g`).
//! With `d = y(AB_g) - y(A)`, the first-order index of `g` is Saltelli et al.'s (2010,
//! table 2 (b)) `mean(y(B) d) / V` and the total index Jansen's (1999)
//! `mean(d^2) / (2 V)`, `V` the variance of the outputs of A and B together. The mean
//! of A and B is taken out of `y(B)` first (as SALib standardises its outputs), which
//! the estimator's expectation does not see and its variance does.
//!
//! Every output is a whole number per path (a day, a 0/1 indicator, a stock in whole
//! people), so the sums are exact integers: they merge in any order, on any number of
//! threads or machines, to the same bytes, and the indices are functions of them.
//!
//! Intervals come from a Poisson bootstrap over blocks of paths (Hanley and MacGibbon
//! 2006; Chamandy et al. 2012): each replicate counts each block `w` times, `w` a
//! Poisson(1) draw keyed by (seed, block, replicate). Paths are independent, so blocks
//! are too; a replicate needs no second pass over the paths, only its own sums, which
//! merge exactly like the main ones.

use crate::sample::stream::keyed_unit;
use serde::{Deserialize, Serialize};

/// Sums kept per output: `sum a`, `sum a^2`, `sum b`, `sum b^2`.
const HEAD: usize = 4;
/// Sums kept per output and group: `sum b d`, `sum d`, `sum d^2`.
const PER_GROUP: usize = 3;

/// The sums of every output over some paths.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sums {
    /// Paths counted (each as often as a bootstrap replicate counts it).
    pub paths: u64,
    outputs: usize,
    groups: usize,
    /// Per output, `HEAD + PER_GROUP * groups` sums.
    v: Vec<i128>,
}

/// What the sums say of one output.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    pub mean: f64,
    pub variance: f64,
    /// Per group.
    pub first: Vec<f64>,
    pub total: Vec<f64>,
}

impl Sums {
    pub fn new(outputs: usize, groups: usize) -> Sums {
        Sums {
            paths: 0,
            outputs,
            groups,
            v: vec![0; outputs * (HEAD + PER_GROUP * groups)],
        }
    }

    fn width(&self) -> usize {
        HEAD + PER_GROUP * self.groups
    }

    pub fn outputs(&self) -> usize {
        self.outputs
    }

    pub fn groups(&self) -> usize {
        self.groups
    }

    /// Adds one path: its outputs under A and under B, and under each `AB_g`, group by
    /// group (`ab[g * outputs + o]`). Callers keep each `|y|` below 2^40, which keeps
    /// every sum of up to 2^40 paths counted up to 2^7 times well inside `i128`.
    pub fn add_path(&mut self, a: &[i64], b: &[i64], ab: &[i64]) {
        let (n, w) = (self.outputs, self.width());
        for (o, s) in self.v.chunks_exact_mut(w).enumerate() {
            let (ya, yb) = (i128::from(a[o]), i128::from(b[o]));
            s[0] += ya;
            s[1] += ya * ya;
            s[2] += yb;
            s[3] += yb * yb;
            for (g, t) in s[HEAD..].chunks_exact_mut(PER_GROUP).enumerate() {
                let d = i128::from(ab[g * n + o]) - ya;
                t[0] += yb * d;
                t[1] += d;
                t[2] += d * d;
            }
        }
        self.paths += 1;
    }

    /// Adds `other`'s sums `times` times.
    pub fn add_times(&mut self, other: &Sums, times: u64) {
        assert_eq!(
            (self.outputs, self.groups),
            (other.outputs, other.groups),
            "sums of different designs"
        );
        let k = i128::from(times);
        for (x, y) in self.v.iter_mut().zip(&other.v) {
            *x += k * y;
        }
        self.paths += times * other.paths;
    }

    pub fn merge(&mut self, other: &Sums) {
        self.add_times(other, 1);
    }

    /// Back to no paths.
    pub fn clear(&mut self) {
        self.v.iter_mut().for_each(|x| *x = 0);
        self.paths = 0;
    }

    /// The indices of output `o`; `None` when its outputs do not vary over the paths
    /// counted (no variance to share out) or no path was counted.
    pub fn estimate(&self, o: usize) -> Option<Estimate> {
        let s = &self.v[o * self.width()..(o + 1) * self.width()];
        let n2 = 2 * i128::from(self.paths);
        let (s1, s2) = (s[0] + s[2], s[1] + s[3]);
        // n2^2 times the variance of the outputs of A and B together.
        let num = difference(n2, s2, s1, s1);
        if n2 == 0 || num <= 0.0 {
            return None;
        }
        let (mut first, mut total) = (Vec::new(), Vec::new());
        for t in s[HEAD..].chunks_exact(PER_GROUP) {
            // sum (b - mean) d = (n2 sum b d - s1 sum d) / n2, over P paths, over V.
            first.push(2.0 * difference(n2, t[0], s1, t[1]) / num);
            total.push(n2 as f64 * t[2] as f64 / num);
        }
        let n2 = n2 as f64;
        Some(Estimate {
            mean: s1 as f64 / n2,
            variance: num / (n2 * n2),
            first,
            total,
        })
    }
}

/// `a b - c d`, exactly when it fits in `i128`, else in floating point.
fn difference(a: i128, b: i128, c: i128, d: i128) -> f64 {
    match a
        .checked_mul(b)
        .zip(c.checked_mul(d))
        .and_then(|(x, y)| x.checked_sub(y))
    {
        Some(x) => x as f64,
        None => a as f64 * b as f64 - c as f64 * d as f64,
    }
}

/// A Poisson(1) draw by inversion of the uniform `u`: the least `k` with
/// `P(K <= k) >= u` (at most 40, where the tail is below 1e-48).
pub fn poisson_one(u: f64) -> u64 {
    let mut p = (-1f64).exp();
    let (mut k, mut cdf) = (0u64, p);
    while u > cdf && k < 40 {
        k += 1;
        p /= k as f64;
        cdf += p;
    }
    k
}

/// The bootstrap replicates of a run: each holds the sums of every block counted a
/// Poisson(1) number of times.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bootstrap {
    /// The seed of the replicates' weights.
    pub seed: u64,
    pub replicates: Vec<Sums>,
}

/// Intervals of one output's indices, per group: (lower, upper) of first and total.
#[derive(Clone, Debug, PartialEq)]
pub struct Intervals {
    pub first: Vec<(f64, f64)>,
    pub total: Vec<(f64, f64)>,
}

impl Bootstrap {
    pub fn new(seed: u64, replicates: usize, outputs: usize, groups: usize) -> Bootstrap {
        Bootstrap {
            seed,
            replicates: vec![Sums::new(outputs, groups); replicates],
        }
    }

    /// How often replicate `r` counts block `block`.
    pub fn weight(&self, block: u64, r: usize) -> u64 {
        poisson_one(keyed_unit(self.seed, block, r as u64))
    }

    /// Adds block number `block`, whose paths' sums are `sums`, to every replicate.
    pub fn add_block(&mut self, block: u64, sums: &Sums) {
        for r in 0..self.replicates.len() {
            let w = self.weight(block, r);
            if w > 0 {
                self.replicates[r].add_times(sums, w);
            }
        }
    }

    pub fn merge(&mut self, other: &Bootstrap) {
        assert_eq!(self.seed, other.seed, "replicates of different seeds");
        for (a, b) in self.replicates.iter_mut().zip(&other.replicates) {
            a.merge(b);
        }
    }

    /// Central `level` percentile intervals of output `o`'s indices over the
    /// replicates; `None` when more than 5% of them have no variance to share out.
    pub fn intervals(&self, o: usize, level: f64) -> Option<Intervals> {
        let estimates: Vec<Estimate> = self
            .replicates
            .iter()
            .filter_map(|r| r.estimate(o))
            .collect();
        if estimates.is_empty() || (estimates.len() as f64) < 0.95 * self.replicates.len() as f64 {
            return None;
        }
        let groups = self.replicates.first().map_or(0, |r| r.groups);
        let interval = |pick: &dyn Fn(&Estimate) -> f64| {
            let mut v: Vec<f64> = estimates.iter().map(pick).collect();
            v.sort_by(f64::total_cmp);
            let tail = (1.0 - level) / 2.0;
            (quantile_sorted(&v, tail), quantile_sorted(&v, 1.0 - tail))
        };
        Some(Intervals {
            first: (0..groups).map(|g| interval(&|e| e.first[g])).collect(),
            total: (0..groups).map(|g| interval(&|e| e.total[g])).collect(),
        })
    }
}

/// The `p`-quantile of sorted `v`, interpolated between order statistics (Hyndman and
/// Fan's type 7, numpy's default).
pub fn quantile_sorted(v: &[f64], p: f64) -> f64 {
    let h = (v.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::stream::keyed_unit;

    /// Pick-freeze sums of `f` over `n` paths of `k` uniform inputs, in blocks of 32
    /// with `reps` bootstrap replicates. Input `i` of design A on path `p` is
    /// `keyed_unit(1, p, i)`, of design B `keyed_unit(2, p, i)`.
    fn design(k: usize, n: u64, reps: usize, f: impl Fn(&[f64]) -> i64) -> (Sums, Bootstrap) {
        let mut main = Sums::new(1, k);
        let mut boot = Bootstrap::new(9, reps, 1, k);
        let mut block = Sums::new(1, k);
        for p in 0..n {
            let xa: Vec<f64> = (0..k).map(|i| keyed_unit(1, p, i as u64)).collect();
            let xb: Vec<f64> = (0..k).map(|i| keyed_unit(2, p, i as u64)).collect();
            let ab: Vec<i64> = (0..k)
                .map(|g| {
                    let mut x = xa.clone();
                    x[g] = xb[g];
                    f(&x)
                })
                .collect();
            block.add_path(&[f(&xa)], &[f(&xb)], &ab);
            if (p + 1) % 32 == 0 || p + 1 == n {
                main.merge(&block);
                boot.add_block(p / 32, &block);
                block.clear();
            }
        }
        (main, boot)
    }

    #[test]
    fn the_ishigami_function_gets_its_analytic_indices() {
        // Ishigami and Homma (1990), a = 7, b = 0.1, inputs uniform on (-pi, pi): the
        // analytic indices are S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437)
        // (Sobol and Levitan 1999). Outputs scaled by 1e6 and rounded: whole numbers.
        let pi = std::f64::consts::PI;
        let f = |x: &[f64]| {
            let (x1, x2, x3) = (
                (2.0 * x[0] - 1.0) * pi,
                (2.0 * x[1] - 1.0) * pi,
                (2.0 * x[2] - 1.0) * pi,
            );
            let y = x1.sin() + 7.0 * x2.sin().powi(2) + 0.1 * x3.powi(4) * x1.sin();
            (y * 1e6).round() as i64
        };
        let (main, boot) = design(3, 40_000, 200, f);
        let e = main.estimate(0).unwrap();
        let ci = boot.intervals(0, 0.95).unwrap();
        let (first, total) = ([0.3139, 0.4424, 0.0], [0.5576, 0.4424, 0.2437]);
        for g in 0..3 {
            // The exact value lies within the 95% interval, widened by a third for the
            // bootstrap's own error (a 99.7% interval is about 1.5 times as wide).
            let within = |x: f64, (lo, hi): (f64, f64), est: f64| {
                let (lo, hi) = (est - 1.5 * (est - lo), est + 1.5 * (hi - est));
                lo <= x && x <= hi
            };
            assert!(
                within(first[g], ci.first[g], e.first[g]),
                "S{g} {} {:?}",
                e.first[g],
                ci.first[g]
            );
            assert!(
                within(total[g], ci.total[g], e.total[g]),
                "ST{g} {} {:?}",
                e.total[g],
                ci.total[g]
            );
            assert!(ci.first[g].1 - ci.first[g].0 < 0.1, "{:?}", ci.first[g]);
        }
        // Analytic variance of the function: a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2.
        let v = 49.0 / 8.0 + 0.1 * pi.powi(4) / 5.0 + 0.01 * pi.powi(8) / 18.0 + 0.5;
        assert!(
            (e.variance / 1e12 / v - 1.0).abs() < 0.03,
            "{} {v}",
            e.variance / 1e12
        );
    }

    #[test]
    fn an_output_of_one_input_gives_it_everything_and_the_others_exactly_nothing() {
        let (main, _) = design(3, 2_000, 0, |x| (x[1] * 1000.0).round() as i64);
        let e = main.estimate(0).unwrap();
        assert_eq!(
            (e.first[0], e.total[0], e.first[2], e.total[2]),
            (0.0, 0.0, 0.0, 0.0)
        );
        assert!(
            (e.first[1] - 1.0).abs() < 0.1 && (e.total[1] - 1.0).abs() < 0.1,
            "{e:?}"
        );
    }

    #[test]
    fn a_constant_output_has_no_indices() {
        let (main, boot) = design(2, 100, 20, |_| 7);
        assert_eq!(main.estimate(0), None);
        assert_eq!(boot.intervals(0, 0.95), None);
        assert_eq!(Sums::new(1, 2).estimate(0), None);
        assert_eq!(Bootstrap::new(1, 0, 1, 2).intervals(0, 0.95), None);
    }

    #[test]
    fn sums_merge_in_any_order_to_the_same_values() {
        let f = |x: &[f64]| (x[0] * 1e5 + x[1] * x[0] * 3e5) as i64;
        let (whole, _) = design(2, 300, 0, f);
        let mut parts = Vec::new();
        for lo in (0..300).step_by(64) {
            let mut s = Sums::new(1, 2);
            for p in lo..(lo + 64).min(300) {
                let xa = [keyed_unit(1, p, 0), keyed_unit(1, p, 1)];
                let xb = [keyed_unit(2, p, 0), keyed_unit(2, p, 1)];
                let ab = [f(&[xb[0], xa[1]]), f(&[xa[0], xb[1]])];
                s.add_path(&[f(&xa)], &[f(&xb)], &ab);
            }
            parts.push(s);
        }
        let mut forward = Sums::new(1, 2);
        parts.iter().for_each(|p| forward.merge(p));
        let mut backward = Sums::new(1, 2);
        parts.iter().rev().for_each(|p| backward.merge(p));
        assert_eq!(forward, whole);
        assert_eq!(backward, whole);
    }

    #[test]
    fn poisson_weights_have_mean_and_variance_one() {
        let n = 100_000;
        let w: Vec<f64> = (0..n)
            .map(|i| poisson_one((i as f64 + 0.5) / n as f64) as f64)
            .collect();
        let mean = w.iter().sum::<f64>() / n as f64;
        let var = w.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(
            (mean - 1.0).abs() < 1e-3 && (var - 1.0).abs() < 1e-2,
            "{mean} {var}"
        );
        assert_eq!(poisson_one(0.3), 0);
        assert_eq!(poisson_one(0.5), 1);
        assert_eq!(poisson_one(0.9999), 6);
    }

    #[test]
    fn quantiles_interpolate_between_order_statistics() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile_sorted(&v, 0.0), 1.0);
        assert_eq!(quantile_sorted(&v, 0.5), 3.0);
        assert_eq!(quantile_sorted(&v, 0.125), 1.5);
        assert_eq!(quantile_sorted(&v, 1.0), 5.0);
        assert_eq!(quantile_sorted(&[2.0], 0.3), 2.0);
    }
}
