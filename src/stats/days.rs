//! Exact counts of crossing days: one bin per day of the horizon plus "not crossed".

/// How many paths crossed on each day `0..=horizon`, and how many never did. Saved as
/// the list of counts (days, then "not crossed"), which must hold at least two.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "Vec<u64>", into = "Vec<u64>")]
pub struct DayCounts {
    /// `counts[d]` for d in 0..=horizon; `counts[horizon + 1]` = not crossed.
    counts: Vec<u64>,
}

impl DayCounts {
    pub fn new(horizon: u32) -> Self {
        DayCounts {
            counts: vec![0; horizon as usize + 2],
        }
    }

    pub fn horizon(&self) -> u32 {
        (self.counts.len() - 2) as u32
    }

    /// Records one path: `Some(day)` crossed on that day, `None` did not cross.
    #[inline]
    pub fn add(&mut self, day: Option<u32>) {
        self.add_units(day, 1);
    }

    /// Records a path that counts `units` times: every count is in units, one per path
    /// so far, so that a weighted path (its weight in fixed-point units) merges as exactly
    /// as an unweighted one.
    #[inline]
    pub fn add_units(&mut self, day: Option<u32>, units: u64) {
        let i = day.map_or(self.counts.len() - 1, |d| d as usize);
        self.counts[i] += units;
    }

    pub fn merge(&mut self, other: &DayCounts) {
        assert_eq!(
            self.counts.len(),
            other.counts.len(),
            "merging counts of different horizons"
        );
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    pub fn not_crossed(&self) -> u64 {
        *self.counts.last().unwrap()
    }

    pub fn on_day(&self, day: u32) -> u64 {
        self.counts[day as usize]
    }

    /// Paths that crossed on or before `day`.
    pub fn crossed_by(&self, day: u32) -> u64 {
        self.counts[..=(day as usize).min(self.counts.len() - 2)]
            .iter()
            .sum()
    }

    /// The inverted-CDF quantile: the smallest day `d` with `P(day <= d) >= q`, counting a
    /// path that does not cross as day `horizon + 1`. `None` when that is where `q` lands.
    /// The comparison is the same as numpy's `searchsorted(cumsum / n, q)` in the peers.
    pub fn quantile(&self, q: f64) -> Option<u32> {
        let n = self.total() as f64;
        let mut cum = 0u64;
        for (d, &c) in self.counts.iter().enumerate() {
            cum += c;
            if cum as f64 / n >= q {
                return (d < self.counts.len() - 1).then_some(d as u32);
            }
        }
        None
    }

    /// Mean crossing day of the paths that cross; `None` if none do.
    pub fn mean_of_crossed(&self) -> Option<f64> {
        let crossed = self.total() - self.not_crossed();
        if crossed == 0 {
            return None;
        }
        let sum: u128 = self.counts[..self.counts.len() - 1]
            .iter()
            .enumerate()
            .map(|(d, &c)| d as u128 * c as u128)
            .sum();
        Some(sum as f64 / crossed as f64)
    }

    /// The raw counts, days 0..=horizon then "not crossed".
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }
}

impl TryFrom<Vec<u64>> for DayCounts {
    type Error = String;
    fn try_from(counts: Vec<u64>) -> Result<Self, String> {
        if counts.len() < 2 {
            return Err(format!(
                "{} day counts: at least day 0 and \"not crossed\"",
                counts.len()
            ));
        }
        Ok(DayCounts { counts })
    }
}

impl From<DayCounts> for Vec<u64> {
    fn from(d: DayCounts) -> Vec<u64> {
        d.counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_counted_in_units_is_that_many_paths() {
        let (mut once, mut thrice) = (DayCounts::new(10), DayCounts::new(10));
        for d in [Some(0), Some(4), None] {
            once.add_units(d, 3);
            (0..3).for_each(|_| thrice.add(d));
        }
        assert_eq!(once, thrice);
    }

    fn from_days(h: u32, days: &[Option<u32>]) -> DayCounts {
        let mut c = DayCounts::new(h);
        for &d in days {
            c.add(d);
        }
        c
    }

    #[test]
    fn quantiles_follow_the_inverted_cdf() {
        // Days 1, 2, 2, 3, not crossed: P(<=1)=.2, P(<=2)=.6, P(<=3)=.8.
        let c = from_days(5, &[Some(1), Some(2), Some(2), Some(3), None]);
        assert_eq!(c.quantile(0.2), Some(1));
        assert_eq!(c.quantile(0.21), Some(2));
        assert_eq!(c.quantile(0.6), Some(2));
        assert_eq!(c.quantile(0.8), Some(3));
        assert_eq!(c.quantile(0.81), None);
        assert_eq!(c.crossed_by(2), 3);
        assert_eq!(c.crossed_by(5), 4);
        assert_eq!(c.mean_of_crossed(), Some(2.0));
    }

    #[test]
    fn merging_any_split_equals_the_whole() {
        let days: Vec<Option<u32>> = (0..200u32)
            .map(|i| {
                if i % 7 == 0 {
                    None
                } else {
                    Some((i * 37) % 31)
                }
            })
            .collect();
        let whole = from_days(30, &days);
        for cut in 0..=days.len() {
            let mut a = from_days(30, &days[..cut]);
            a.merge(&from_days(30, &days[cut..]));
            assert_eq!(a, whole);
        }
    }
}
