//! Quantiles of positive values with a bounded relative error, in bounded memory.
//!
//! Values go into logarithmic buckets `(g^(i-1), g^i]` with `g = (1 + a) / (1 - a)`; a
//! bucket's representative `2 g^i / (g + 1)` is within relative error `a` of every value in
//! it (the DDSketch construction, Masson, Rim and Lee 2019). Buckets are integer counts over
//! a dense index range. When that range would exceed `max_buckets`, neighbouring buckets are
//! merged in aligned pairs (index `i` becomes `i >> 1`), halving the resolution. Both steps
//! are deterministic functions of the data, and a merge brings both sides to the coarser
//! level, so merging partial histograms in any order and split gives the same counts as
//! one histogram of all the values.

/// Relative accuracy of reported quantiles while the values span less than a factor of
/// `g^max_buckets` (e^6.5, about 700, for 32,768 buckets): within 0.01% of an exact
/// quantile of the same sample (about 150 on 1.5 million).
pub const RELATIVE_ACCURACY: f64 = 1e-4;

/// Values below this are counted as zero (a stock of under a millionth of a person).
const ZERO_BELOW: f64 = 1e-6;

#[derive(Clone, Debug, PartialEq)]
pub struct LogHistogram {
    zeros: u64,
    /// Coarsening level: bucket `j` holds fine indices `j << shift ..= (j << shift) + 2^shift - 1`.
    shift: u32,
    /// Bucket index of `counts[0]`.
    offset: i32,
    counts: Vec<u64>,
    min: f64,
    max: f64,
    max_buckets: usize,
}

fn ln_gamma() -> f64 {
    (2.0 * RELATIVE_ACCURACY / (1.0 - RELATIVE_ACCURACY)).ln_1p()
}

impl LogHistogram {
    /// An empty histogram that keeps at most `max_buckets` (at least 2) buckets.
    pub fn new(max_buckets: usize) -> Self {
        LogHistogram {
            zeros: 0,
            shift: 0,
            offset: 0,
            counts: Vec::new(),
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            max_buckets: max_buckets.max(2),
        }
    }

    pub fn count(&self) -> u64 {
        self.zeros + self.counts.iter().sum::<u64>()
    }

    /// The relative accuracy now guaranteed (grows if the buckets had to be merged).
    pub fn relative_accuracy(&self) -> f64 {
        let g = ln_gamma() * (1u64 << self.shift) as f64;
        (g / 2.0).tanh()
    }

    /// Adds one value; it must be finite and not negative.
    pub fn add(&mut self, x: f64) {
        debug_assert!(
            x >= 0.0 && x.is_finite(),
            "LogHistogram takes finite values >= 0, got {x}"
        );
        self.min = self.min.min(x);
        self.max = self.max.max(x);
        if x < ZERO_BELOW {
            self.zeros += 1;
            return;
        }
        // ceil without a libm call (baseline x86-64 has no rounding instruction).
        let t = x.ln() / ln_gamma();
        let truncated = t as i32;
        let fine = truncated + i32::from((truncated as f64) < t);
        self.bump(fine >> self.shift, 1);
        self.fit();
    }

    fn bump(&mut self, i: i32, n: u64) {
        if self.counts.is_empty() {
            self.offset = i;
            self.counts.push(0);
        } else if i < self.offset {
            let grow = (self.offset - i) as usize;
            self.counts.splice(0..0, std::iter::repeat_n(0, grow));
            self.offset = i;
        } else if i >= self.offset + self.counts.len() as i32 {
            self.counts.resize((i - self.offset) as usize + 1, 0);
        }
        self.counts[(i - self.offset) as usize] += n;
    }

    /// Halves the resolution until the buckets fit.
    fn fit(&mut self) {
        while self.counts.len() > self.max_buckets {
            self.coarsen();
        }
    }

    fn coarsen(&mut self) {
        let old = std::mem::take(&mut self.counts);
        let old_offset = self.offset;
        self.shift += 1;
        for (k, c) in old.into_iter().enumerate() {
            if c > 0 {
                self.bump((old_offset + k as i32) >> 1, c);
            }
        }
    }

    pub fn merge(&mut self, other: &LogHistogram) {
        let mut other = other.clone();
        while other.shift < self.shift {
            other.coarsen();
        }
        while self.shift < other.shift {
            self.coarsen();
        }
        self.zeros += other.zeros;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        for (k, &c) in other.counts.iter().enumerate() {
            if c > 0 {
                self.bump(other.offset + k as i32, c);
            }
        }
        self.fit();
    }

    /// The inverted-CDF quantile `q` of the values added, within `relative_accuracy()`;
    /// clamped to the exact minimum and maximum seen. `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        // Rank of the inverted-CDF quantile: the smallest k with k / n >= q.
        let rank = ((q * n as f64).ceil() as u64).clamp(1, n);
        if rank <= self.zeros {
            return Some(self.min.max(0.0));
        }
        let mut cum = self.zeros;
        for (k, &c) in self.counts.iter().enumerate() {
            cum += c;
            if cum >= rank {
                // Bucket j spans fine indices j << s .. (j << s) + 2^s - 1, i.e. values in
                // (g^((j << s) - 1), g^((j << s) + 2^s - 1)]; report 2 lo hi / (lo + hi).
                let j = (self.offset + k as i32) as i64;
                let first = (j << self.shift) as f64;
                let lo = ((first - 1.0) * ln_gamma()).exp();
                let hi = ((first + (1u64 << self.shift) as f64 - 1.0) * ln_gamma()).exp();
                let value = 2.0 * lo * hi / (lo + hi);
                return Some(value.clamp(self.min, self.max));
            }
        }
        Some(self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact_quantile(sorted: &[f64], q: f64) -> f64 {
        let n = sorted.len();
        let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
        sorted[rank - 1]
    }

    fn values() -> Vec<f64> {
        (1..=10_000)
            .map(|i| 1.0e6 * (1.0 + (i as f64 * 0.618).fract()))
            .collect()
    }

    #[test]
    fn quantiles_are_within_the_stated_relative_error() {
        for max_buckets in [1 << 15, 64] {
            let mut h = LogHistogram::new(max_buckets);
            let mut v = values();
            v.iter().for_each(|&x| h.add(x));
            v.sort_by(f64::total_cmp);
            let bound = h.relative_accuracy();
            if max_buckets == 64 {
                assert!(
                    bound > RELATIVE_ACCURACY,
                    "64 buckets cannot hold a factor of 2"
                );
            } else {
                assert!((bound - RELATIVE_ACCURACY).abs() < 1e-12);
            }
            for q in [0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0] {
                let got = h.quantile(q).unwrap();
                let want = exact_quantile(&v, q);
                assert!(
                    ((got - want) / want).abs() <= bound * 1.0001,
                    "{max_buckets}: q={q}: {got} vs {want}"
                );
            }
        }
    }

    #[test]
    fn zeros_and_tiny_values_count_as_zero() {
        let mut h = LogHistogram::new(1024);
        for x in [0.0, 0.0, 1e-9, 5.0] {
            h.add(x);
        }
        assert_eq!(h.quantile(0.5), Some(0.0));
        assert!((h.quantile(1.0).unwrap() - 5.0).abs() < 5.0 * RELATIVE_ACCURACY);
        assert_eq!(LogHistogram::new(8).quantile(0.5), None);
    }

    #[test]
    fn memory_is_bounded_for_any_spread() {
        let mut h = LogHistogram::new(100);
        for i in 0..2000 {
            h.add(10f64.powf(i as f64 / 100.0)); // 1 to 1e20
        }
        assert!(h.counts.len() <= 100);
        assert_eq!(h.count(), 2000);
        let med = h.quantile(0.5).unwrap();
        assert!(
            (med / 1e10 - 1.0).abs() < h.relative_accuracy() * 1.0001 + 0.02,
            "{med:e}"
        );
    }

    #[test]
    fn merging_any_split_equals_the_whole() {
        let v: Vec<f64> = (0..300).map(|i| (i as f64 * 1.7).exp() % 1e7).collect();
        for max_buckets in [1 << 15, 300, 16] {
            let mut whole = LogHistogram::new(max_buckets);
            v.iter().for_each(|&x| whole.add(x));
            for cut in (0..=v.len()).step_by(7) {
                let (mut a, mut b) = (
                    LogHistogram::new(max_buckets),
                    LogHistogram::new(max_buckets),
                );
                v[..cut].iter().for_each(|&x| a.add(x));
                v[cut..].iter().for_each(|&x| b.add(x));
                b.merge(&a);
                assert_eq!(b.shift, whole.shift, "{max_buckets} at {cut}");
                for q in [0.05, 0.5, 0.95] {
                    assert_eq!(b.quantile(q), whole.quantile(q), "{max_buckets} at {cut}");
                }
                assert_eq!(b.count(), whole.count());
            }
        }
    }
}
