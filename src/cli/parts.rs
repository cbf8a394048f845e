//! Shards at the command line: the work a part holds for each command (its request and
//! the tallies of the pieces it ran), and writing one. A command's kind is a variant of
//! `Work`: a new command's partial state plugs in as one more, with its request and its
//! tally type, and a branch in `merge.rs` that finishes it.

use super::compare::CompareRequest;
use super::run::RunRequest;
use super::sensitivity::{SensitivityRequest, SensitivityTally};
use super::sweep::SweepRequest;
use super::*;
use attrition::engine::compare::PairTally;
use attrition::engine::Tally;
use attrition::shard::part::{self, Counted, Part};
use attrition::shard::{pieces, sha256, Piece, Shard};
use serde::{Deserialize, Serialize};

/// A part's work: the command (`kind`) and its state (the request, the pieces' tallies).
#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", content = "state", rename_all = "lowercase")]
pub(super) enum Work {
    Run(Pieces<RunRequest, Tally>),
    Compare(Pieces<CompareRequest, Vec<PairTally>>),
    Sweep(Pieces<SweepRequest, Tally>),
    Sensitivity(Pieces<SensitivityRequest, SensitivityTally>),
}

impl part::Work for Work {
    fn kind(&self) -> &'static str {
        match self {
            Work::Run(_) => "run",
            Work::Compare(_) => "compare",
            Work::Sweep(_) => "sweep",
            Work::Sensitivity(_) => "sensitivity",
        }
    }

    fn inputs(&self) -> Vec<String> {
        let (files, engine) = match self {
            Work::Run(w) => (w.request.files.iter().collect(), &w.request.engine),
            Work::Compare(w) => (w.request.files.iter().collect(), &w.request.engine),
            Work::Sweep(w) => (vec![&w.request.file], &w.request.engine),
            Work::Sensitivity(w) => (vec![&w.request.file], &w.request.engine),
        };
        let files: Vec<&super::request::InputFile> = files;
        files
            .into_iter()
            .chain(&engine.observe)
            .map(|f| f.name.clone())
            .collect()
    }
}

/// A command's request and what the shard counted on each of its pieces, in order.
#[derive(Serialize, Deserialize)]
pub(super) struct Pieces<R, T> {
    pub request: R,
    pub pieces: Vec<Counted<T>>,
}

/// The pieces shard `shard` runs of jobs of `(seed, paths)` each.
pub(super) fn plan(jobs: &[(u64, u64)], shard: Shard) -> Vec<Piece> {
    let paths: Vec<u64> = jobs.iter().map(|j| j.1).collect();
    let total = paths.iter().sum();
    pieces(&paths, shard.range(total))
}

/// The paths of `pieces` in all.
pub(super) fn paths_of(pieces: &[Piece]) -> u64 {
    pieces.iter().map(|p| p.paths.end - p.paths.start).sum()
}

/// The fingerprint of a request of the command `kind`: SHA-256 of the kind and the
/// request as written in a part (every input file's bytes and every option that
/// changes the result).
pub(super) fn inputs_hash<R: Serialize>(kind: &str, request: &R) -> String {
    let mut bytes = format!("{kind}\n").into_bytes();
    bytes.extend(serde_json::to_vec(request).expect("plain data"));
    sha256::hex(&bytes)
}

/// Writes the part of `shard` (`work`, made from inputs of fingerprint `hash`, of jobs
/// of `(seed, paths)` each) to `out`, atomically; a line on standard error unless
/// `quiet`. Returns the exit status.
pub(super) fn write(
    out: &std::path::Path,
    shard: Shard,
    jobs: &[(u64, u64)],
    hash: String,
    work: Work,
    quiet: bool,
    started: Instant,
) -> i32 {
    let kind = part::Work::kind(&work);
    let part = Part::new(hash, shard, jobs, work);
    let code = emit(Some(out), &part.to_bytes());
    if code == EXIT_OK && !quiet {
        let range = &part.header.range;
        messages::info(&format!(
            "{kind} shard {shard}: path slots {}..{} of {} in {:.2} s, written to {}",
            range.start,
            range.end,
            part.header.total,
            started.elapsed().as_secs_f64(),
            out.display()
        ));
    }
    code
}

/// What `--shard` cannot go with, for every command: it needs `--out` for its part, and
/// the format and the figures are `merge`'s to make. The message for `--shard`, if any.
pub(super) fn refused_with_shard(
    shard: Option<Shard>,
    out: bool,
    format: bool,
    plot: bool,
) -> Option<String> {
    let shard = shard?;
    let why = if !out {
        "no --out: a shard writes a part for `attrition merge` to --out FILE"
    } else if format {
        "--format: a shard writes a part; give the format to `attrition merge`"
    } else if plot {
        "--plot: give --plot to `attrition merge`, which draws the figures"
    } else {
        return None;
    };
    Some(format!("--shard {shard} and {why}"))
}

/// Counts each piece of `plan` with `count` (given the progress line, labelled `label`,
/// of `total` paths), in order: what the shard holds. An engine failure is reported
/// against the file `count` names with it, after the progress line is cleared.
pub(super) fn count_pieces<T>(
    plan: &[Piece],
    label: &str,
    total: u64,
    quiet: bool,
    mut count: impl FnMut(&Piece, &dyn Progress) -> Result<T, (Option<String>, EngineError)>,
) -> Result<Vec<Counted<T>>, i32> {
    let progress = watcher(quiet, label, total);
    let mut counted = Vec::with_capacity(plan.len());
    for piece in plan {
        match count(piece, progress.as_ref()) {
            Ok(tally) => counted.push(Counted {
                job: piece.job,
                paths: piece.paths.clone(),
                tally,
            }),
            Err((file, e)) => {
                clear_line(quiet);
                return Err(engine_failure(file.as_deref(), &e));
            }
        }
    }
    clear_line(quiet);
    Ok(counted)
}
