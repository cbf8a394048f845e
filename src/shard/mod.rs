//! Runs split across machines and merged exactly. A command's work is a list of jobs
//! (`run`'s files, `sweep`'s points, `compare`'s one paired run), each of some paths; laid
//! end to end they make one line of `total` path slots, and shard `I` of `N` takes the
//! contiguous stretch `[I T / N, (I + 1) T / N)` of it (`Shard::range`), which falls into
//! pieces, one per job it touches (`pieces`). Every path is a function of (seed, path
//! index) and every statistic an integer count, so the pieces' tallies, merged, are the
//! one-machine run's to the byte. `part` is the file a shard writes and `merge` reads.

pub mod part;
pub mod sha256;

use std::ops::Range;

/// Shard `index` of `count` (from 0: `--shard 0/4` .. `--shard 3/4`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

/// The most shards a run may be split into.
pub const MAX_SHARDS: u64 = 1_000_000;

impl Shard {
    /// Reads `I/N`: shard `I` (from 0) of `N`, with `I < N <= MAX_SHARDS`.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| format!("'{s}': give I/N, shard I (from 0) of N, e.g. 0/4"))?;
        let num = |t: &str| t.trim().parse::<u64>().ok();
        let (Some(index), Some(count)) = (num(i), num(n)) else {
            return Err(format!(
                "'{s}': give I/N with whole numbers, shard I (from 0) of N, e.g. 0/4"
            ));
        };
        if count == 0 || count > MAX_SHARDS {
            return Err(format!("'{s}': N must be 1 to {MAX_SHARDS}"));
        }
        if index >= count {
            return Err(format!(
                "'{s}': shards count from 0, so shard I of {count} is 0 to {}",
                count - 1
            ));
        }
        Ok(Shard { index, count })
    }

    /// This shard's stretch of `total` path slots: contiguous, and the shards' stretches
    /// tile `0..total` in order. A shard gets nothing when there are fewer slots than
    /// shards.
    pub fn range(&self, total: u64) -> Range<u64> {
        let at = |i: u64| (u128::from(total) * u128::from(i) / u128::from(self.count)) as u64;
        at(self.index)..at(self.index + 1)
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// One job's part of a stretch of path slots: job `job`, its paths `paths`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    pub job: usize,
    pub paths: Range<u64>,
}

/// The pieces of `range` (of the slots of jobs of `paths[j]` paths each, end to end), in
/// order; none empty.
pub fn pieces(paths: &[u64], range: Range<u64>) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut start = 0u64;
    for (job, &n) in paths.iter().enumerate() {
        let end = start + n;
        let (a, b) = (range.start.max(start), range.end.min(end));
        if a < b {
            out.push(Piece {
                job,
                paths: a - start..b - start,
            });
        }
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_tile_the_slots_in_order() {
        for (total, count) in [
            (10u64, 3u64),
            (3, 7),
            (0, 2),
            (100_000, 7),
            (u64::MAX / 2, 1000),
        ] {
            let mut next = 0;
            for index in 0..count {
                let r = Shard { index, count }.range(total);
                assert_eq!(r.start, next, "{total} {count} {index}");
                assert!(r.end >= r.start);
                // Within one slot of an equal share.
                assert!(r.end - r.start <= total / count + 1);
                next = r.end;
            }
            assert_eq!(next, total);
        }
    }

    #[test]
    fn pieces_split_at_job_edges() {
        let jobs = [5, 3, 4];
        assert_eq!(
            pieces(&jobs, 4..10),
            vec![
                Piece {
                    job: 0,
                    paths: 4..5
                },
                Piece {
                    job: 1,
                    paths: 0..3
                },
                Piece {
                    job: 2,
                    paths: 0..2
                },
            ]
        );
        assert_eq!(
            pieces(&jobs, 5..8),
            vec![Piece {
                job: 1,
                paths: 0..3
            }]
        );
        assert!(pieces(&jobs, 7..7).is_empty());
        // Every slot in exactly one piece of one shard.
        let mut seen = vec![vec![0; 5], vec![0; 3], vec![0; 4]];
        for index in 0..5 {
            for p in pieces(&jobs, Shard { index, count: 5 }.range(12)) {
                for i in p.paths {
                    seen[p.job][i as usize] += 1;
                }
            }
        }
        assert!(seen.iter().flatten().all(|&c| c == 1), "{seen:?}");
    }

    #[test]
    fn shard_arguments() {
        assert_eq!(Shard::parse("2/7"), Ok(Shard { index: 2, count: 7 }));
        for bad in ["7/7", "1/0", "x/2", "3", "-1/2", "1/2/3", "0/2000000"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
        assert!(Shard::parse("7/7").unwrap_err().contains("0 to 6"));
    }
}
