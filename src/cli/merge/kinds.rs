//! Each command's merge: its state while the parts come in (the request, the jobs
//! prepared from it, whole tallies as they complete) and its finish with the command's
//! own output functions, so that the bytes are the one-machine command's.

use super::super::args::{CompareFormat, MergeArgs};
use super::super::parts::{Pieces, Work};
use super::super::sensitivity::SensitivityTally;
use super::super::*;
use super::{each_part, refuse, Assembly};
use attrition::engine::compare::PairTally;
use attrition::engine::Tally;
use attrition::report::sweep::SweepFormat;
use attrition::shard::part::{Counted, Header};
use std::path::PathBuf;

/// A run's or a sweep's piece, checked against its job's model: a tally of the piece's
/// paths, laid out as the model lays it out.
fn check_tally(model: &Model, piece: &Counted<Tally>) -> Result<(), String> {
    piece
        .tally
        .check(model)
        .map_err(|m| format!("corrupt: a tally of job {}: {m}", piece.job))?;
    if piece.tally.paths != piece.paths.end - piece.paths.start {
        return Err(format!(
            "corrupt: a tally of job {} counts {} paths, not the {} of its piece",
            piece.job,
            piece.tally.paths,
            piece.paths.end - piece.paths.start
        ));
    }
    Ok(())
}

/// Two tallies of one job; a weighted job's must share the proposal its pilot fitted.
fn merge_tally(a: Tally, b: Tally) -> Result<Tally, String> {
    let proposal = |t: &Tally| t.weights.as_ref().map(|w| w.proposal.clone());
    if proposal(&a) != proposal(&b) {
        return Err(
            "its proposal (fitted to the observations by the pilot) differs from the other parts': the pilot depends only on the scenario and seed, so the shards did not run the same build or inputs"
                .into(),
        );
    }
    Ok(a.merge(b))
}

/// A run's merge: its request's jobs, whole tallies as they complete, projections.
struct RunMerge {
    request: super::run::RunRequest,
    jobs: Vec<super::run::Job>,
    assembly: Assembly<Tally>,
    projections: Vec<Projection>,
}

pub(super) fn merge_run(
    args: &MergeArgs,
    targets: &output::Targets,
    parts: &[(PathBuf, Header)],
) -> i32 {
    let format = match format_of(args, "run", Format::Table, Format::parse, &Format::NAMES) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let result = each_part(
        parts,
        |path, work| {
            let Work::Run(w) = work else {
                return Err(refuse(path, "not a part of run"));
            };
            let jobs = w.request.jobs(args.threads).ok_or_else(|| {
                refuse(path, "its request no longer loads (the problems are above)")
            })?;
            let slots: Vec<(u64, u64)> = jobs
                .iter()
                .map(|j| (j.config.seed, j.config.paths))
                .collect();
            let state = RunMerge {
                request: w.request.clone(),
                jobs,
                assembly: Assembly::new(&slots),
                projections: Vec::new(),
            };
            Ok((state, slots))
        },
        |m: &mut RunMerge, path, work| {
            let Work::Run(Pieces { pieces, .. }) = work else {
                return Err(refuse(path, "not a part of run"));
            };
            for piece in pieces {
                check_tally(&m.jobs[piece.job].model, &piece).map_err(|e| refuse(path, &e))?;
                let done = m
                    .assembly
                    .add(piece, merge_tally)
                    .map_err(|e| refuse(path, &e))?;
                if let Some((j, tally)) = done {
                    let job = &m.jobs[j];
                    super::run::check_weights(job, &tally, args.quiet)?;
                    let fan = match &args.plot {
                        Some(_) => Some(
                            super::figures::fan(&job.model, &job.config, args.quiet)
                                .map_err(|e| engine_failure(Some(&job.file), &e))?,
                        ),
                        None => None,
                    };
                    let p = super::run::projection(&m.request, job, &tally, fan);
                    m.projections.push(p);
                }
            }
            Ok(())
        },
    );
    let m = match result {
        Ok(m) => m,
        Err(code) => return code,
    };
    let outputs = super::run::Outputs {
        format,
        out: args.out.as_deref(),
        plot: args.plot.as_deref(),
    };
    super::run::write(targets, &outputs, m.projections)
}

/// A sweep's merge: its request, its points as jobs, rows as points complete.
struct SweepMerge {
    request: super::sweep::SweepRequest,
    prepared: super::sweep::Prepared,
    assembly: Assembly<Tally>,
    points: Vec<attrition::sweep::Point>,
}

pub(super) fn merge_sweep(
    args: &MergeArgs,
    targets: &output::Targets,
    parts: &[(PathBuf, Header)],
) -> i32 {
    let format = match format_of(
        args,
        "sweep",
        SweepFormat::Table,
        SweepFormat::parse,
        &SweepFormat::NAMES,
    ) {
        Ok(f) => f,
        Err(code) => return code,
    };
    if format == SweepFormat::Parquet && args.out.is_none() {
        return bad_argument(
            "--format",
            "--format parquet writes a binary file: give --out FILE.parquet",
        );
    }
    let result = each_part(
        parts,
        |path, work| {
            let Work::Sweep(w) = work else {
                return Err(refuse(path, "not a part of sweep"));
            };
            let prepared = w.request.prepare(None).map_err(|_| {
                refuse(path, "its request no longer loads (the problems are above)")
            })?;
            let slots: Vec<(u64, u64)> = prepared
                .jobs
                .iter()
                .map(|j| (j.config.seed, j.config.paths))
                .collect();
            let state = SweepMerge {
                request: w.request.clone(),
                prepared,
                assembly: Assembly::new(&slots),
                points: Vec::new(),
            };
            Ok((state, slots))
        },
        |m: &mut SweepMerge, path, work| {
            let Work::Sweep(Pieces { pieces, .. }) = work else {
                return Err(refuse(path, "not a part of sweep"));
            };
            let levels = m.request.levels();
            for piece in pieces {
                check_tally(&m.prepared.jobs[piece.job].model, &piece)
                    .map_err(|e| refuse(path, &e))?;
                let done = m
                    .assembly
                    .add(piece, merge_tally)
                    .map_err(|e| refuse(path, &e))?;
                if let Some((p, tally)) = done {
                    let row = super::sweep::point(&m.prepared, p, &tally, &levels, args.quiet)?;
                    m.points.push(row);
                }
            }
            Ok(())
        },
    );
    let m = match result {
        Ok(m) => m,
        Err(code) => return code,
    };
    let outputs = super::sweep::Outputs {
        format,
        out: args.out.as_deref(),
        plot: args.plot.as_deref(),
    };
    super::sweep::write(targets, &m.request, &m.prepared, m.points, &outputs)
}

/// A comparison's merge: its request, its models, the paired tallies once whole.
struct CompareMerge {
    request: super::compare::CompareRequest,
    prepared: super::compare::Prepared,
    assembly: Assembly<Vec<PairTally>>,
    whole: Option<Vec<PairTally>>,
}

pub(super) fn merge_compare(args: &MergeArgs, parts: &[(PathBuf, Header)]) -> i32 {
    let format = match format_of(
        args,
        "compare",
        CompareFormat::Table,
        CompareFormat::parse,
        &CompareFormat::NAMES,
    ) {
        Ok(f) => f,
        Err(code) => return code,
    };
    if args.plot.is_some() {
        return bad_argument("--plot", "--plot: `compare` draws no figures");
    }
    let result = each_part(
        parts,
        |path, work| {
            let Work::Compare(w) = work else {
                return Err(refuse(path, "not a part of compare"));
            };
            let prepared = w.request.prepare(None).map_err(|_| {
                refuse(path, "its request no longer loads (the problems are above)")
            })?;
            let slots = vec![(prepared.config.seed, prepared.config.paths)];
            let state = CompareMerge {
                request: w.request.clone(),
                prepared,
                assembly: Assembly::new(&slots),
                whole: None,
            };
            Ok((state, slots))
        },
        |m: &mut CompareMerge, path, work| {
            let Work::Compare(Pieces { pieces, .. }) = work else {
                return Err(refuse(path, "not a part of compare"));
            };
            let models = &m.prepared.models;
            for piece in pieces {
                let n = piece.paths.end - piece.paths.start;
                let ok = piece.tally.len() + 1 == models.len()
                    && piece.tally.iter().enumerate().all(|(j, t)| {
                        t.check(models[0].horizon_days, models[j + 1].horizon_days)
                            .is_ok()
                            && (!models[0].observations.is_empty() || t.mass == n)
                    });
                if !ok {
                    return Err(refuse(
                        path,
                        "corrupt: its paired counts are not of the compared scenarios' paths",
                    ));
                }
                let done = m
                    .assembly
                    .add(piece, |mut into, other| {
                        for (a, b) in into.iter_mut().zip(&other) {
                            a.merge(b);
                        }
                        Ok(into)
                    })
                    .map_err(|e| refuse(path, &e))?;
                if let Some((_, t)) = done {
                    m.whole = Some(t);
                }
            }
            Ok(())
        },
    );
    let m = match result {
        Ok(m) => m,
        Err(code) => return code,
    };
    let tallies = m.whole.expect("every piece given");
    super::compare::finish(
        &m.request,
        &m.prepared,
        &tallies,
        format,
        args.out.as_deref(),
        args.quiet,
    )
}

/// A sensitivity analysis's merge: its request prepared, the indices' tally and the
/// tornado runs' projections as their jobs complete.
struct SensitivityMerge {
    request: super::sensitivity::SensitivityRequest,
    prepared: super::sensitivity::Prepared,
    assembly: Assembly<SensitivityTally>,
    indices: Option<attrition::engine::sensitivity::SobolTally>,
    runs: Vec<Projection>,
}

pub(super) fn merge_sensitivity(
    args: &MergeArgs,
    targets: &output::Targets,
    parts: &[(PathBuf, Header)],
) -> i32 {
    let format = match format_of(
        args,
        "sensitivity",
        Format::Table,
        Format::parse,
        &Format::NAMES,
    ) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let result = each_part(
        parts,
        |path, work| {
            let Work::Sensitivity(w) = work else {
                return Err(refuse(path, "not a part of sensitivity"));
            };
            let prepared = w.request.prepare(args.threads).map_err(|_| {
                refuse(path, "its request no longer loads (the problems are above)")
            })?;
            let slots = prepared.slots();
            let state = SensitivityMerge {
                request: w.request.clone(),
                prepared,
                assembly: Assembly::new(&slots),
                indices: None,
                runs: Vec::new(),
            };
            Ok((state, slots))
        },
        |m: &mut SensitivityMerge, path, work| {
            let Work::Sensitivity(Pieces { pieces, .. }) = work else {
                return Err(refuse(path, "not a part of sensitivity"));
            };
            let models = m.prepared.tornado.models();
            for piece in pieces {
                let ok = match (&piece.tally, piece.job) {
                    (SensitivityTally::Indices(t), 0) => {
                        let base = m.prepared.base_paths(&piece.paths);
                        t.seed == m.prepared.config.seed
                            && t.outputs == m.prepared.design.outputs
                            && t.groups == m.prepared.design.groups
                            && t.paths() == base.end - base.start
                    }
                    (SensitivityTally::Run(t), j) if j >= 1 && j <= models.len() => {
                        let as_run = Counted {
                            job: j,
                            paths: piece.paths.clone(),
                            tally: (**t).clone(),
                        };
                        check_tally(models[j - 1], &as_run).is_ok()
                    }
                    _ => false,
                };
                if !ok {
                    return Err(refuse(
                        path,
                        "corrupt: a tally is not of its job's design or paths",
                    ));
                }
                let done = m
                    .assembly
                    .add(piece, |a, b| match (a, b) {
                        (SensitivityTally::Indices(a), SensitivityTally::Indices(b)) => {
                            Ok(SensitivityTally::Indices(a.merge(&b)))
                        }
                        (SensitivityTally::Run(a), SensitivityTally::Run(b)) => {
                            merge_tally(*a, *b).map(|t| SensitivityTally::Run(Box::new(t)))
                        }
                        _ => Err("corrupt: pieces of one job of two kinds".to_string()),
                    })
                    .map_err(|e| refuse(path, &e))?;
                match done {
                    Some((_, SensitivityTally::Indices(t))) => m.indices = Some(t),
                    Some((j, SensitivityTally::Run(t))) => {
                        let model = models[j - 1];
                        let levels = &m.prepared.levels;
                        m.runs.push(attrition::sensitivity::tornado::project(
                            model,
                            &m.prepared.config,
                            &t,
                            levels,
                        ));
                    }
                    None => {}
                }
            }
            Ok(())
        },
    );
    let m = match result {
        Ok(m) => m,
        Err(code) => return code,
    };
    let outputs = super::sensitivity::Outputs {
        format,
        out: args.out.as_deref(),
        plot: args.plot.as_deref(),
    };
    let indices = m.indices.expect("every piece given");
    super::sensitivity::finish(
        targets,
        &m.request,
        &m.prepared,
        &indices,
        &m.runs,
        &outputs,
    )
}

/// `merge --format` for parts of `kind`: its value read by `parse`, `table` when not
/// given; else exit 2, naming the formats of that command.
fn format_of<F>(
    args: &MergeArgs,
    kind: &str,
    table: F,
    parse: fn(&str) -> Option<F>,
    names: &[&str],
) -> Result<F, i32> {
    match args.format.as_deref() {
        None => Ok(table),
        Some(text) => parse(text).ok_or_else(|| {
            bad_argument(
                "--format",
                &format!(
                    "--format: the parts are of `{kind}`, whose formats are {}",
                    names.join(", ")
                ),
            )
        }),
    }
}
