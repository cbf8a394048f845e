//! `attrition merge PART...`: the parts that `run`, `compare`, `sweep` or `sensitivity` wrote with
//! `--shard I/N`, checked to belong together and merged into the output the one-machine
//! command prints, byte for byte (this file: the checks of the set, the reading of the
//! parts in order, whole jobs from their pieces; `kinds.rs` each command's finish). Parts are read twice: first their headers (kind,
//! inputs, shard), so that a set that does not belong together is refused before any
//! tally is read; then one at a time in shard order, each job finished as soon as its
//! last piece is in, so that memory holds one part and one job's tally at a time.

use super::args::MergeArgs;
use super::parts::{self, Work};
use super::*;
use attrition::shard::part::{self, Counted, Header, Part};
use attrition::shard::Piece;
use std::path::{Path, PathBuf};

mod kinds;
use kinds::{merge_compare, merge_run, merge_sensitivity, merge_sweep};

pub(super) fn merge(args: MergeArgs) -> i32 {
    let started = Instant::now();
    // Ctrl-C or SIGTERM stops the merge between reads (exit 130, nothing written).
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::Relaxed));
    let mut targets = output::Targets::new();
    for p in &args.parts {
        targets.input("the part", p);
    }
    // Each part's header: its first line only.
    let mut heads = Vec::with_capacity(args.parts.len());
    for path in &args.parts {
        let header = std::fs::File::open(path)
            .map_err(|e| format!("cannot read the part: {e}"))
            .and_then(|f| part::headline(&mut std::io::BufReader::new(f)));
        match header {
            Ok(h) => heads.push((path.clone(), h)),
            Err(msg) => return refuse(path, &msg),
        }
    }
    // The files the parts were computed from, by the names the shards were given: merge
    // never reads them (their bytes are in the parts), but writing over a scenario is
    // never what the user meant. A name is relative to where the shard ran: it counts
    // only if such a file is here too.
    if let Some((_, h)) = heads.first() {
        for name in h.inputs.iter().map(Path::new).filter(|p| p.is_file()) {
            targets.input("an input of the parts", name);
        }
    }
    if let Err((flag, msg)) =
        super::sweep::declare_outputs(&mut targets, args.out.as_deref(), args.plot.as_deref())
    {
        return bad_argument(flag, &msg);
    }
    let order = match in_order(&heads) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let ordered: Vec<(PathBuf, Header)> = {
        let mut slots: Vec<Option<(PathBuf, Header)>> = heads.into_iter().map(Some).collect();
        order
            .iter()
            .map(|&i| slots[i].take().expect("each once"))
            .collect()
    };
    let kind = ordered[0].1.kind.clone();
    let code = match kind.as_str() {
        "run" => merge_run(&args, &targets, &ordered),
        "compare" => merge_compare(&args, &ordered),
        "sweep" => merge_sweep(&args, &targets, &ordered),
        "sensitivity" => merge_sensitivity(&args, &targets, &ordered),
        other => refuse(
            &ordered[0].0,
            &format!(
                "a part of kind '{}', which this build does not merge",
                terminal(other)
            ),
        ),
    };
    if code == EXIT_OK && !args.quiet {
        messages::info(&format!(
            "merged {} parts of {kind} in {:.2} s",
            ordered.len(),
            started.elapsed().as_secs_f64()
        ));
    }
    code
}

/// Prints why the part `path` is refused; exit 2.
fn refuse(path: &Path, msg: &str) -> i32 {
    messages::error_in(&path.display().to_string(), msg);
    EXIT_BAD_INPUT
}

/// The parts' order by shard index, once they are checked to belong together: one kind,
/// the same inputs, jobs, path slots and shard count, each shard once, none missing,
/// each with the stretch of slots its index gets.
fn in_order(heads: &[(PathBuf, Header)]) -> Result<Vec<usize>, i32> {
    let (first_path, first) = &heads[0];
    let n = first.shard.count;
    let mut at: Vec<Option<usize>> = vec![None; n.min(heads.len() as u64 + 1) as usize];
    for (i, (path, h)) in heads.iter().enumerate() {
        let differs = |what: &str| {
            refuse(
                path,
                &format!(
                    "not a part of the same {} as {}: {what}",
                    terminal(&first.kind),
                    first_path.display()
                ),
            )
        };
        if h.kind != first.kind {
            return Err(differs(&format!("it is a part of {}", terminal(&h.kind))));
        }
        if h.inputs_sha256 != first.inputs_sha256 {
            return Err(differs(
                "its inputs differ (the scenario files, --set, --by, --observe or an option that changes the result: inputs_sha256)",
            ));
        }
        if h.shard.count != n {
            return Err(differs(&format!(
                "it is shard {} of {}, not of {n}",
                h.shard.index, h.shard.count
            )));
        }
        if h.total != first.total || h.jobs != first.jobs {
            return Err(differs("its seeds or path counts differ"));
        }
        if h.range != h.shard.range(h.total) {
            return Err(refuse(
                path,
                &format!(
                    "corrupt: shard {} covers path slots {}..{}, not {:?}",
                    h.shard,
                    h.range.start,
                    h.range.end,
                    h.shard.range(h.total)
                ),
            ));
        }
        let slot = h.shard.index as usize;
        if slot >= at.len() {
            // More parts than given could hold: one is missing below it.
            break;
        }
        if let Some(j) = at[slot] {
            return Err(refuse(
                path,
                &format!(
                    "shard {} again: {} is that shard too (give each part once)",
                    h.shard,
                    heads[j].0.display()
                ),
            ));
        }
        at[slot] = Some(i);
    }
    if let Some(missing) = (0..n).find(|&i| at.get(i as usize).copied().flatten().is_none()) {
        let names: Vec<String> = heads.iter().map(|(p, _)| p.display().to_string()).collect();
        messages::error(&format!(
            "shard {missing}/{n} is missing: {} of {n} parts given ({}); give every part of the {}",
            heads.len(),
            names.join(", "),
            terminal(&first.kind)
        ));
        return Err(EXIT_BAD_INPUT);
    }
    Ok(at.into_iter().map(|i| i.expect("none missing")).collect())
}

/// Reads the parts in order and hands each one's work to `take`, with the state that
/// `prepare` made from the first part's request (and the `(seed, paths)` of its jobs);
/// returns that state. Every part's request must be the one its fingerprint says (the
/// fingerprints already agree), and its pieces the ones its shard covers. Parts are read,
/// their seals checked and their JSON parsed a few at a time on every thread (the bulk of
/// a merge's time: up to two a thread, together at most `WINDOW_BYTES` unless one part
/// is larger alone), then handed on one by one in order; memory is those few parts.
fn each_part<S>(
    parts: &[(PathBuf, Header)],
    prepare: impl FnOnce(&Path, &Work) -> Result<(S, Vec<(u64, u64)>), i32>,
    mut take: impl FnMut(&mut S, &Path, Work) -> Result<(), i32>,
) -> Result<S, i32> {
    use rayon::prelude::*;
    let mut prepare = Some(prepare);
    let mut state: Option<(S, Vec<(u64, u64)>)> = None;
    let most = 2 * rayon::current_num_threads().max(1);
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let mut start = 0;
    while start < parts.len() {
        let (mut end, mut bytes) = (start, 0);
        while end < parts.len()
            && end - start < most
            && (end == start || bytes + size(&parts[end].0) <= WINDOW_BYTES)
        {
            bytes += size(&parts[end].0);
            end += 1;
        }
        if INTERRUPTED.load(Ordering::Relaxed) {
            messages::interrupted();
            return Err(EXIT_INTERRUPTED);
        }
        let chunk = &parts[start..end];
        start = end;
        let read: Vec<Result<Part<Work>, String>> = chunk
            .par_iter()
            .map(|(path, _)| {
                let bytes =
                    std::fs::read(path).map_err(|e| format!("cannot read the part: {e}"))?;
                Part::read(&bytes)
            })
            .collect();
        for ((path, head), part) in chunk.iter().zip(read) {
            let part = part.map_err(|m| refuse(path, &m))?;
            let (hash, pieces) = match &part.work {
                Work::Run(w) => (parts::inputs_hash("run", &w.request), spans(&w.pieces)),
                Work::Compare(w) => (parts::inputs_hash("compare", &w.request), spans(&w.pieces)),
                Work::Sweep(w) => (parts::inputs_hash("sweep", &w.request), spans(&w.pieces)),
                Work::Sensitivity(w) => (
                    parts::inputs_hash("sensitivity", &w.request),
                    spans(&w.pieces),
                ),
            };
            if hash != part.header.inputs_sha256 || part.header != *head {
                return Err(refuse(
                    path,
                    "corrupt: its request does not match its inputs_sha256, or its header changed while merging",
                ));
            }
            if let Some(prepare) = prepare.take() {
                let (s, slots) = prepare(path, &part.work)?;
                if part::Jobs::group(&slots) != part.header.jobs {
                    return Err(refuse(
                        path,
                        "its seeds and path counts are not those of its request (another build?)",
                    ));
                }
                state = Some((s, slots));
            }
            let (s, slots) = state.as_mut().expect("prepared from the first part");
            if pieces != parts::plan(slots, part.header.shard) {
                return Err(refuse(
                    path,
                    "corrupt: its pieces are not the ones its shard covers",
                ));
            }
            take(s, path, part.work)?;
        }
    }
    Ok(state.expect("one part at least").0)
}

/// The most bytes of parts read at once (unless one part is larger): a part's tallies
/// take several times its bytes in memory.
const WINDOW_BYTES: u64 = 32 << 20;

fn spans<T>(pieces: &[Counted<T>]) -> Vec<Piece> {
    pieces
        .iter()
        .map(|c| Piece {
            job: c.job,
            paths: c.paths.clone(),
        })
        .collect()
}

/// Whole jobs from pieces that arrive in order: each piece's tally is merged into its
/// job's, and a job is handed on as soon as its paths are all in.
struct Assembly<T> {
    paths: Vec<u64>,
    current: Option<(usize, u64, T)>,
}

impl<T> Assembly<T> {
    fn new(slots: &[(u64, u64)]) -> Self {
        Assembly {
            paths: slots.iter().map(|s| s.1).collect(),
            current: None,
        }
    }

    /// Adds `piece` (merged into its job's tally by `merge`), and returns the job and
    /// its tally when this piece completes it.
    fn add(
        &mut self,
        piece: Counted<T>,
        merge: impl FnOnce(T, T) -> Result<T, String>,
    ) -> Result<Option<(usize, T)>, String> {
        let n = piece.paths.end - piece.paths.start;
        let (job, done, tally) = match self.current.take() {
            Some((job, done, tally)) if job == piece.job => {
                (job, done + n, merge(tally, piece.tally)?)
            }
            // Pieces come in order and cover every path (`each_part` checked): a new
            // job starts at its first path.
            _ => (piece.job, n, piece.tally),
        };
        if done == self.paths[job] {
            Ok(Some((job, tally)))
        } else {
            self.current = Some((job, done, tally));
            Ok(None)
        }
    }
}
