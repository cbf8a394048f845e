//! The file a shard writes (`--shard I/N --out FILE`) and `attrition merge` reads: three
//! lines of compact JSON, versioned, with the command's work as a tagged kind and
//! payload (`W`: `{"kind": "run", "state": {...}}`), so that a new command's partial
//! state plugs in as one more kind. docs/sweeps.md has it field by field:
//!
//! ```text
//! line 1, the header   {"schema": "attrition.part", "schema_version": 1, "generator",
//!                       "kind", "inputs_sha256", "shard", "total", "range", "jobs"}
//! line 2, the work     {"kind", "state": {"request", "pieces": [{"job", "paths", "tally"}]}}
//! line 3, the seal     {"sha256": SHA-256 of the bytes of lines 1 and 2, newlines included}
//! ```
//!
//! The header comes first and alone so that a set of parts is checked against itself
//! (`headline`: one line of each file) before any tally is read; the seal covers the bytes
//! as written, so that a part changed anywhere (a flipped digit that still parses) or cut
//! short is refused before it is parsed.

use super::sha256;
use super::Shard;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::io::BufRead;
use std::ops::Range;

pub const SCHEMA: &str = "attrition.part";
/// Bumped on any change a reader could notice.
pub const SCHEMA_VERSION: u32 = 1;

/// The most bytes a header line may have (its jobs are grouped, so it stays small).
const MAX_HEADER_BYTES: u64 = 1 << 20;

/// What a part's work is: a command's request and tallies, tagged by its kind.
pub trait Work: Serialize + DeserializeOwned {
    /// The kind, as written (`run`, `compare`, `sweep`, `sensitivity`).
    fn kind(&self) -> &'static str;
    /// The names of the files the work was computed from, as the user gave them
    /// (scenarios, observation files): `merge` refuses to write over them.
    fn inputs(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Which build wrote a part.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Maker {
    pub tool: String,
    pub version: String,
}

impl Maker {
    pub fn this() -> Maker {
        Maker {
            tool: "attrition".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// Consecutive jobs with the same seed and path count: `count` of them (a sweep's points
/// all share one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jobs {
    pub count: u64,
    pub seed: u64,
    pub paths: u64,
}

impl Jobs {
    /// Groups jobs given as (seed, paths).
    pub fn group(jobs: &[(u64, u64)]) -> Vec<Jobs> {
        let mut out: Vec<Jobs> = Vec::new();
        for &(seed, paths) in jobs {
            match out.last_mut() {
                Some(j) if j.seed == seed && j.paths == paths => j.count += 1,
                _ => out.push(Jobs {
                    count: 1,
                    seed,
                    paths,
                }),
            }
        }
        out
    }
}

/// The paths `paths` of job `job`, and what they counted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Counted<T> {
    pub job: usize,
    pub paths: Range<u64>,
    pub tally: T,
}

/// A part's first line: what it is a part of, and which.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub schema: String,
    pub schema_version: u32,
    pub generator: Maker,
    /// The command whose work it holds (`Work::kind`).
    pub kind: String,
    /// SHA-256 of the command's request: every input file's bytes and every option that
    /// changes the result.
    pub inputs_sha256: String,
    pub shard: Shard,
    /// The path slots of all jobs, and this shard's stretch of them.
    pub total: u64,
    pub range: Range<u64>,
    pub jobs: Vec<Jobs>,
    /// The files the work was computed from, by the names the command was given
    /// (`Work::inputs`; standard input is `-`). Their bytes are in the request.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<String>,
}

/// A part: its header and its work.
#[derive(Debug)]
pub struct Part<W> {
    pub header: Header,
    pub work: W,
}

/// The third line.
#[derive(Serialize, Deserialize)]
struct Seal {
    sha256: String,
}

impl<W: Work> Part<W> {
    /// A part of shard `shard` of jobs of `(seed, paths)` each, holding `work`, made from
    /// inputs of fingerprint `inputs_sha256`.
    pub fn new(inputs_sha256: String, shard: Shard, jobs: &[(u64, u64)], work: W) -> Part<W> {
        let total = jobs.iter().map(|j| j.1).sum();
        Part {
            header: Header {
                schema: SCHEMA.into(),
                schema_version: SCHEMA_VERSION,
                generator: Maker::this(),
                kind: work.kind().into(),
                inputs_sha256,
                shard,
                total,
                range: shard.range(total),
                jobs: Jobs::group(jobs),
                inputs: work.inputs(),
            },
            work,
        }
    }

    /// The file's bytes: the header, the work and the seal, a line each.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec(&self.header).expect("plain data");
        v.push(b'\n');
        serde_json::to_writer(&mut v, &self.work).expect("plain data");
        v.push(b'\n');
        let seal = Seal {
            sha256: sha256::hex(&v),
        };
        serde_json::to_writer(&mut v, &seal).expect("plain data");
        v.push(b'\n');
        v
    }

    /// Reads a part from `bytes`: whole (its seal matches the bytes), of this schema and
    /// version, its work of the kind its header says. Says what is wrong if not (without
    /// the file's name, which the caller adds).
    pub fn read(bytes: &[u8]) -> Result<Part<W>, String> {
        if bytes.is_empty() {
            return Err("empty: not a part (was the shard's run cut short?)".into());
        }
        let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
        let header = header_of(lines[0])?;
        let truncated = || {
            format!(
                "truncated: it ends after {} bytes, before its seal (was the copy or the shard's run cut short?)",
                bytes.len()
            )
        };
        if lines.len() < 3 || !lines[2].ends_with(b"\n") {
            return Err(truncated());
        }
        if lines.len() > 3 {
            return Err("corrupt: bytes after its seal".into());
        }
        let sealed = lines[0].len() + lines[1].len();
        let seal: Seal = serde_json::from_slice(lines[2]).map_err(|_| truncated())?;
        if sha256::hex(&bytes[..sealed]) != seal.sha256 {
            return Err(
                "corrupt: its bytes do not match its seal (sha256); make the shard again".into(),
            );
        }
        let work: W = serde_json::from_slice(lines[1])
            .map_err(|e| format!("not a part this build reads: {e}"))?;
        if work.kind() != header.kind {
            return Err(format!(
                "corrupt: its header says {} and its work is {}",
                crate::report::escape::terminal(&header.kind),
                work.kind()
            ));
        }
        Ok(Part { header, work })
    }
}

/// Reads a part's header, its first line only (the tallies are not read): for checking a
/// set of parts before reading any whole.
pub fn headline(file: &mut impl BufRead) -> Result<Header, String> {
    let mut line = Vec::new();
    let n = std::io::Read::take(&mut *file, MAX_HEADER_BYTES)
        .read_until(b'\n', &mut line)
        .map_err(|e| format!("cannot read the part: {e}"))?;
    if n == 0 {
        return Err("empty: not a part (was the shard's run cut short?)".into());
    }
    header_of(&line)
}

/// The header in a first line, checked: this schema and version, written by this build.
fn header_of(line: &[u8]) -> Result<Header, String> {
    if !line.ends_with(b"\n") {
        // A first line without its end: cut short, or not a part at all.
        return match serde_json::from_slice::<Header>(line) {
            Ok(_) => Err(format!(
                "truncated: it ends after {} bytes, in its header",
                line.len()
            )),
            Err(_) => Err("not a part file (no header line)".into()),
        };
    }
    match serde_json::from_slice::<Header>(line) {
        Ok(h) => {
            check_schema(&h.schema, h.schema_version, &h.generator)?;
            Ok(h)
        }
        Err(e) => {
            // Of another schema or version, the fields may differ: say that first.
            #[derive(Deserialize)]
            struct Schema {
                schema: String,
                schema_version: u32,
                generator: Maker,
            }
            if let Ok(s) = serde_json::from_slice::<Schema>(line) {
                check_schema(&s.schema, s.schema_version, &s.generator)?;
            }
            Err(format!(
                "not a part file, or corrupt: its first line is not a part's header ({e})"
            ))
        }
    }
}

fn check_schema(schema: &str, version: u32, by: &Maker) -> Result<(), String> {
    use crate::report::escape::terminal;
    if schema != SCHEMA {
        return Err(format!(
            "a document of schema '{}', not a part ({SCHEMA})",
            terminal(schema)
        ));
    }
    if version != SCHEMA_VERSION {
        return Err(format!(
            "a part of schema version {version} (written by {} {}); this build reads version {SCHEMA_VERSION}",
            terminal(&by.tool),
            terminal(&by.version)
        ));
    }
    let this = Maker::this();
    if *by != this {
        return Err(format!(
            "written by {} {}, and this is {} {}: merge with the build that made the parts (its random streams and results may differ)",
            terminal(&by.tool),
            terminal(&by.version),
            this.tool,
            this.version
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "kind", content = "state", rename_all = "lowercase")]
    enum Example {
        Counts(Vec<Counted<Vec<u128>>>),
    }

    impl Work for Example {
        fn kind(&self) -> &'static str {
            "counts"
        }
    }

    fn example() -> Part<Example> {
        let work = Example::Counts(vec![Counted {
            job: 1,
            paths: 3..5,
            tally: vec![u128::MAX, 7],
        }]);
        Part::new(
            "ab".repeat(32),
            Shard { index: 1, count: 3 },
            &[(9, 4), (9, 4), (2, 1)],
            work,
        )
    }

    #[test]
    fn a_part_reads_back_as_written_and_every_change_is_caught() {
        let part = example();
        assert_eq!(part.header.range, 3..6);
        assert_eq!(
            part.header.jobs,
            vec![
                Jobs {
                    count: 2,
                    seed: 9,
                    paths: 4
                },
                Jobs {
                    count: 1,
                    seed: 2,
                    paths: 1
                }
            ]
        );
        let bytes = part.to_bytes();
        assert_eq!(bytes.iter().filter(|&&b| b == b'\n').count(), 3);
        let back = Part::<Example>::read(&bytes).unwrap();
        assert_eq!(back.work, part.work);
        assert_eq!(back.header, part.header);
        assert_eq!(back.to_bytes(), bytes);
        let h = headline(&mut &bytes[..]).unwrap();
        assert_eq!((h.kind.as_str(), h.shard.index), ("counts", 1));
        // A digit changed: still JSON, refused by the seal.
        let text = String::from_utf8(bytes.clone()).unwrap();
        let changed = text.replacen(",7]", ",8]", 1);
        assert_ne!(changed, text);
        let e = Part::<Example>::read(changed.as_bytes()).unwrap_err();
        assert!(e.starts_with("corrupt"), "{e}");
        // Cut short anywhere: never read.
        for cut in [1, 20, bytes.len() / 2, bytes.len() - 3, bytes.len() - 1] {
            let e = Part::<Example>::read(&bytes[..cut]).unwrap_err();
            assert!(
                e.starts_with("truncated") || e.starts_with("not a part"),
                "{cut}: {e}"
            );
        }
        assert!(Part::<Example>::read(&[]).unwrap_err().starts_with("empty"));
        // Another version says so, from the header alone.
        let v2 = text.replacen("\"schema_version\":1", "\"schema_version\":2", 1);
        let e = headline(&mut v2.as_bytes()).unwrap_err();
        assert!(e.contains("schema version 2"), "{e}");
        let other = text.replacen("attrition.part", "attrition.sweep", 1);
        assert!(Part::<Example>::read(other.as_bytes())
            .unwrap_err()
            .contains("not a part"));
        // Bytes after the seal.
        let longer = format!("{text}{{}}\n");
        assert!(Part::<Example>::read(longer.as_bytes())
            .unwrap_err()
            .contains("after its seal"));
    }
}
