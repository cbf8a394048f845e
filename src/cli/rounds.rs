//! The rounds of paths `run` adds until a target is met: `--min-effective-paths` (the
//! effective sample size of a run with observations), `--target-se` and `--target-days`
//! (the precision of every reported figure). Each round continues the same run
//! (`engine::run_more`), so the result is the bytes of one run of the paths used.

use super::*;
use attrition::precision;

/// The most paths `--min-effective-paths`, `--target-se` and `--target-days` add up to
/// unless `--max-paths` says.
pub(super) const DEFAULT_MAX_PATHS: u64 = 10_000_000;

/// Paths per round of `--target-se` and `--target-days` unless `--round-paths` says.
pub(super) const ROUND_PATHS: u64 = 65_536;

/// What `--target-se` and `--target-days` ask for, and the rounds they may take.
pub(super) struct Targets {
    pub se: Option<f64>,
    pub days: Option<f64>,
    pub round: u64,
    pub max: u64,
}

impl Targets {
    /// Adds rounds of paths (each continuing the same run, `engine::run_more`, so the
    /// result is the bytes of one run of the paths used) until `p`, the projection of
    /// `tally`, meets the targets or the paths reach the most allowed; the projection,
    /// stating the precision reached. `config.paths` ends as the paths used.
    pub(super) fn rounds(
        &self,
        model: &Model,
        config: &mut RunConfig,
        mut tally: engine::Tally,
        project: &dyn Fn(&RunConfig, &engine::Tally) -> Projection,
        quiet: bool,
    ) -> Result<(Projection, engine::Tally), EngineError> {
        let mut rounds = 1;
        loop {
            let mut p = project(config, &tally);
            let reached = precision::reached(&p);
            let met = self.se.is_none_or(|x| reached.se <= x)
                && self.days.is_none_or(|d| reached.days <= d);
            if met || config.paths >= self.max {
                if !met && !quiet {
                    messages::warning(&format!(
                        "{}: the precision asked for was not reached in {} paths (--max-paths): largest se {:.3e}, widest interval {} days; the output says so",
                        terminal(&model.name),
                        config.paths,
                        reached.se,
                        reached.days
                    ));
                }
                p.run.precision = Some(precision::Precision {
                    target_se: self.se,
                    target_days: self.days,
                    met,
                    rounds,
                    largest_se: reached.se,
                    widest_days: reached.days,
                });
                return Ok((p, tally));
            }
            let done = config.paths;
            config.paths = (done + self.round).min(self.max);
            let progress = watcher(quiet, &model.name, config.paths - done);
            tally = engine::run_more(model, config, progress.as_ref(), tally, done)?;
            clear_line(quiet);
            rounds += 1;
        }
    }
}

/// Adds paths in rounds until the weighted tally's effective sample size reaches
/// `target` or the paths reach `max`; `config.paths` ends as the paths used. Each round
/// continues the same run (`engine::run_more`), so the result is the bytes of one run of
/// that many paths.
pub(super) fn more_paths(
    model: &Model,
    config: &mut RunConfig,
    mut tally: engine::Tally,
    target: u64,
    max: u64,
    quiet: bool,
) -> Result<engine::Tally, EngineError> {
    loop {
        let ess = tally.weights.as_ref().map_or(0.0, |w| w.effective_paths());
        if ess >= target as f64 || config.paths >= max {
            return Ok(tally);
        }
        // The effective share of paths stays about the same as paths are added: aim 10%
        // past the target, at most four times the paths so far per round.
        let done = config.paths;
        let aim = if ess > 0.0 {
            (done as f64 * target as f64 / ess * 1.1).ceil() as u64
        } else {
            done * 4
        };
        let next = aim
            .clamp(done + engine::BATCH_PATHS, done * 4)
            .div_ceil(engine::BATCH_PATHS)
            * engine::BATCH_PATHS;
        config.paths = next.min(max);
        let progress = watcher(quiet, &model.name, config.paths - done);
        tally = engine::run_more(model, config, progress.as_ref(), tally, done)?;
        clear_line(quiet);
        if !quiet {
            messages::info(&format!(
                "{}: {} paths, effective sample size {:.0}",
                terminal(&model.name),
                config.paths,
                tally.weights.as_ref().map_or(0.0, |w| w.effective_paths())
            ));
        }
    }
}
