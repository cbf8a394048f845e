//! Where each statistic of a run sits: a stock histogram for each (report date, series,
//! metric), where a series is each side and then the combined total, and crossing counts
//! for each threshold. The layout is fixed by the model; a tally carries its own, so that
//! results are read (and merged) without the engine's plan.

use crate::model::{Metric, Model};

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Layout {
    report_days: Vec<u32>,
    /// Series per report date: each side, then the combined total.
    series: usize,
    thresholds: usize,
    /// The stock slots that paths fill, ascending: every casualty slot, and killed slots
    /// only where killed is projected (a side with killed; combined when all sides have).
    present: Vec<usize>,
}

impl Layout {
    pub fn new(model: &Model) -> Layout {
        let has_killed: Vec<bool> = model.sides.iter().map(|s| s.killed.is_some()).collect();
        let combined_killed = has_killed.iter().all(|&k| k);
        let series = model.sides.len() + 1;
        let mut layout = Layout {
            report_days: model.report_days.clone(),
            series,
            thresholds: model.thresholds.len(),
            present: Vec::new(),
        };
        for r in 0..model.report_days.len() {
            for s in 0..series {
                layout.present.push(layout.slot(r, s, Metric::Casualties));
                if has_killed.get(s).copied().unwrap_or(combined_killed) {
                    layout.present.push(layout.slot(r, s, Metric::Killed));
                }
            }
        }
        layout
    }

    /// The same layout with only the casualty slots filled (a fan chart's run).
    pub fn casualties_only(mut self) -> Layout {
        self.present
            .retain(|&i| i % 2 == Metric::Casualties as usize);
        self
    }

    /// Days after the reference date that stocks are reported on, ascending.
    pub fn report_days(&self) -> &[u32] {
        &self.report_days
    }

    /// Series per report date: each side, then the combined total.
    pub fn series(&self) -> usize {
        self.series
    }

    pub fn thresholds(&self) -> usize {
        self.thresholds
    }

    /// Stock slots in all, filled or not.
    pub fn slots(&self) -> usize {
        self.report_days.len() * self.series * 2
    }

    /// The slot of (report date index, series, metric).
    #[inline]
    pub fn slot(&self, report: usize, series: usize, metric: Metric) -> usize {
        (report * self.series + series) * 2 + metric as usize
    }

    /// The slots that paths fill, ascending.
    pub fn present(&self) -> &[usize] {
        &self.present
    }

    /// Whether paths fill `slot`.
    pub fn is_present(&self, slot: usize) -> bool {
        self.present.binary_search(&slot).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_cover_every_report_series_and_metric_once() {
        let model = crate::scenario::load_file("scenarios/status-quo.toml".as_ref()).unwrap();
        let layout = Layout::new(&model);
        let mut seen = vec![false; layout.slots()];
        for r in 0..layout.report_days().len() {
            for s in 0..layout.series() {
                for m in [Metric::Casualties, Metric::Killed] {
                    let i = layout.slot(r, s, m);
                    assert!(!seen[i], "slot {i} twice");
                    seen[i] = true;
                }
            }
        }
        assert!(seen.iter().all(|&x| x));
        // status-quo projects killed for both sides: every slot is filled.
        assert_eq!(layout.present().len(), layout.slots());
        let fan = layout.clone().casualties_only();
        assert_eq!(fan.present().len(), layout.slots() / 2);
        assert!(fan.is_present(fan.slot(0, 2, Metric::Casualties)));
        assert!(!fan.is_present(fan.slot(0, 2, Metric::Killed)));
    }
}
