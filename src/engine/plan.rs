//! What a run needs to know about a model, laid out for the path loop: stream ids,
//! rate segments, and the report series. Built once per run; never changes.

use crate::model::{Metric, Model, PhaseEffect, Rate, SideId};
use crate::sample::stream::stream_id;
use crate::sample::Dist;

/// A piece of the horizon in which every side's rate multiplier is constant.
#[derive(Clone, Debug)]
pub struct Segment {
    pub first_day: u32,
    /// Indices into `Plan::factors` active in this segment.
    pub factors: Vec<usize>,
}

/// One drawn phase factor and the sides it multiplies.
#[derive(Clone, Debug)]
pub struct Factor {
    pub dist: Dist,
    pub stream: u64,
    pub sides: Vec<SideId>,
}

/// Stream ids of one side's inputs; ids are hashes of the input's key path, so the same
/// input in two scenarios draws the same value on the same path.
#[derive(Clone, Debug)]
pub struct SideStreams {
    pub casualties: u64,
    pub rate: u64,
    pub killed: u64,
    pub killed_share: u64,
    pub noise: u64,
}

#[derive(Clone, Debug)]
pub struct Plan<'m> {
    pub model: &'m Model,
    pub streams: Vec<SideStreams>,
    pub factors: Vec<Factor>,
    /// Sorted by first day; the first starts on day 1.
    pub segments: Vec<Segment>,
    /// Report series per report date: each side, then the combined total.
    pub series_per_date: usize,
    pub has_killed: Vec<bool>,
    pub combined_killed: bool,
    /// Stock slots that a path fills (killed slots only where killed is projected).
    pub stock_present: Vec<usize>,
}

impl<'m> Plan<'m> {
    pub fn new(model: &'m Model) -> Self {
        let streams = model
            .sides
            .iter()
            .map(|s| {
                let key = |k: &str| stream_id(&format!("sides.{}.{k}", s.name));
                SideStreams {
                    casualties: key("casualties"),
                    rate: match s.rate {
                        Rate::PerDay(_) => key("rate_per_day"),
                        _ => key("rate_per_day.total"),
                    },
                    killed: key("killed"),
                    killed_share: key("killed_share"),
                    noise: stream_id(&format!("noise.{}", s.name)),
                }
            })
            .collect();
        let mut factors = Vec::new();
        let mut windows = Vec::new();
        for p in &model.phases {
            let base = format!("phases.{}", p.name);
            let ids: Vec<usize> = match &p.effect {
                PhaseEffect::Shared { factor, sides } => {
                    factors.push(Factor {
                        dist: factor.clone(),
                        stream: stream_id(&format!("{base}.multiplier")),
                        sides: sides.clone(),
                    });
                    vec![factors.len() - 1]
                }
                PhaseEffect::PerSide(v) => v
                    .iter()
                    .map(|(side, dist)| {
                        let name = &model.sides[*side].name;
                        factors.push(Factor {
                            dist: dist.clone(),
                            stream: stream_id(&format!("{base}.multipliers.{name}")),
                            sides: vec![*side],
                        });
                        factors.len() - 1
                    })
                    .collect(),
            };
            windows.push((p.first_day, p.last_day, ids));
        }
        let segments = segments(model.horizon_days, &windows);
        let has_killed: Vec<bool> = model.sides.iter().map(|s| s.killed.is_some()).collect();
        let series = model.sides.len() + 1;
        let combined_killed = has_killed.iter().all(|&k| k);
        let mut stock_present = Vec::new();
        for r in 0..model.report_days.len() {
            for s in 0..series {
                stock_present.push((r * series + s) * 2);
                if has_killed.get(s).copied().unwrap_or(combined_killed) {
                    stock_present.push((r * series + s) * 2 + 1);
                }
            }
        }
        Plan {
            model,
            streams,
            factors,
            segments,
            series_per_date: series,
            combined_killed,
            has_killed,
            stock_present,
        }
    }

    /// Index of the report histogram for (report date, series, metric).
    #[inline]
    pub fn stock_index(&self, report: usize, series: usize, metric: Metric) -> usize {
        (report * self.series_per_date + series) * 2 + metric as usize
    }

    pub fn stock_slots(&self) -> usize {
        self.model.report_days.len() * self.series_per_date * 2
    }

    /// Buckets each stock histogram may keep: all of them together stay under about
    /// 32 MiB per worker thread. With few report dates each gets 32,768 (full accuracy
    /// over a factor of e^6.5); with many, fewer, and a histogram whose values spread wider
    /// than its buckets allow halves its resolution (`LogHistogram`).
    pub fn histogram_buckets(&self) -> usize {
        const BUDGET_BYTES: usize = 32 << 20;
        (BUDGET_BYTES / 8 / self.stock_slots().max(1)).clamp(256, 32_768)
    }
}

/// Cuts `1..=horizon` at every window edge; each segment lists the factors active in it.
fn segments(horizon: u32, windows: &[(u32, u32, Vec<usize>)]) -> Vec<Segment> {
    let mut cuts: Vec<u32> = vec![1];
    for (first, last, _) in windows {
        cuts.push(*first);
        if *last < horizon {
            cuts.push(last + 1);
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.into_iter()
        .map(|day| Segment {
            first_day: day,
            factors: windows
                .iter()
                .filter(|(f, l, _)| *f <= day && day <= *l)
                .flat_map(|(_, _, ids)| ids.iter().copied())
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_cut_at_window_edges() {
        let s = segments(100, &[(10, 19, vec![0]), (15, 100, vec![1])]);
        let got: Vec<(u32, Vec<usize>)> = s.into_iter().map(|s| (s.first_day, s.factors)).collect();
        assert_eq!(
            got,
            vec![(1, vec![]), (10, vec![0]), (15, vec![0, 1]), (20, vec![1])]
        );
    }
}
