//! The file a shard writes (`--shard I/N --out FILE`) and `attrition merge` reads: one
//! compact JSON document, versioned, with the command's work as a tagged kind and
//! payload (`W`: `{"kind": "run", "state": {...}}`), so that a new command's partial
//! state plugs in as one more kind. Layout (docs/sweeps.md has it field by field):
//!
//! ```text
//! schema, schema_version, generator      what wrote it ("attrition.part", 1, tool and version)
//! inputs_sha256                          SHA-256 of the request: every input file's bytes and
//!                                        every option that changes the result
//! shard, total, range, jobs              shard I of N, the path slots of all jobs, this
//!                                        shard's stretch of them, the jobs' seeds and paths
//! work                                   {"kind", "state"}: the request and the tallies
//! sha256                                 SHA-256 of everything above, as written compactly
//! ```
//!
//! The last checksum is over the document re-serialised from what was read, so that a
//! part changed in any way (a flipped digit that still parses) is refused as corrupt.

use super::sha256;
use super::Shard;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::ops::Range;

pub const SCHEMA: &str = "attrition.part";
/// Bumped on any change a reader could notice.
pub const SCHEMA_VERSION: u32 = 1;

/// What a part's work is: a command's request and tallies, tagged by its kind.
pub trait Work: Serialize + DeserializeOwned {
    /// The kind, as written (`run`, `compare`, `sweep`).
    fn kind(&self) -> &'static str;
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

/// A part: its header, its work and the checksum of both.
#[derive(Debug, Serialize, Deserialize)]
pub struct Part<W> {
    pub schema: String,
    pub schema_version: u32,
    pub generator: Maker,
    pub inputs_sha256: String,
    pub shard: Shard,
    pub total: u64,
    pub range: Range<u64>,
    pub jobs: Vec<Jobs>,
    pub work: W,
    pub sha256: String,
}

/// What a part is checked against its fellows by, read without its tallies (`headline`).
#[derive(Deserialize)]
pub struct Headline {
    pub schema: String,
    pub schema_version: u32,
    pub generator: Maker,
    pub inputs_sha256: String,
    pub shard: Shard,
    pub total: u64,
    pub range: Range<u64>,
    pub jobs: Vec<Jobs>,
    pub work: KindOnly,
}

/// A part's work read for its kind alone.
#[derive(Deserialize)]
pub struct KindOnly {
    pub kind: String,
}

/// The part's fields as written, by reference, without the checksum: what it covers.
#[derive(Serialize)]
struct Unsealed<'a, W> {
    schema: &'a str,
    schema_version: u32,
    generator: &'a Maker,
    inputs_sha256: &'a str,
    shard: &'a Shard,
    total: u64,
    range: &'a Range<u64>,
    jobs: &'a [Jobs],
    work: &'a W,
}

impl<W: Work> Part<W> {
    /// A part of shard `shard` holding `work`, made from inputs of hash `inputs_sha256`.
    pub fn new(inputs_sha256: String, shard: Shard, jobs: &[(u64, u64)], work: W) -> Part<W> {
        let total = jobs.iter().map(|j| j.1).sum();
        let mut part = Part {
            schema: SCHEMA.into(),
            schema_version: SCHEMA_VERSION,
            generator: Maker::this(),
            inputs_sha256,
            shard,
            total,
            range: shard.range(total),
            jobs: Jobs::group(jobs),
            work,
            sha256: String::new(),
        };
        part.sha256 = part.checksum();
        part
    }

    fn checksum(&self) -> String {
        let unsealed = Unsealed {
            schema: &self.schema,
            schema_version: self.schema_version,
            generator: &self.generator,
            inputs_sha256: &self.inputs_sha256,
            shard: &self.shard,
            total: self.total,
            range: &self.range,
            jobs: &self.jobs,
            work: &self.work,
        };
        sha256::hex(&serde_json::to_vec(&unsealed).expect("plain data"))
    }

    /// The file's bytes: compact JSON and a newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec(self).expect("plain data");
        v.push(b'\n');
        v
    }

    /// Reads a part from `bytes`: a part of this schema and version, whole (its checksum
    /// matches). Says what is wrong if not (without the file's name, which the caller
    /// adds).
    pub fn read(bytes: &[u8]) -> Result<Part<W>, String> {
        let part: Part<W> = match serde_json::from_slice(bytes) {
            Ok(p) => p,
            // The typed read fails on a part of another version or kind too: say which.
            Err(e) => {
                headline(bytes)?;
                return Err(unreadable(bytes, &e));
            }
        };
        check_schema(&part.schema, part.schema_version, &part.generator)?;
        if part.checksum() != part.sha256 {
            return Err(
                "corrupt: its contents do not match its checksum (sha256); make the shard again"
                    .into(),
            );
        }
        Ok(part)
    }
}

/// Reads a part's header and kind, not its tallies (they are parsed past, not kept): for
/// checking a set of parts before reading any whole.
pub fn headline(bytes: &[u8]) -> Result<Headline, String> {
    match serde_json::from_slice::<Headline>(bytes) {
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
            if let Ok(s) = serde_json::from_slice::<Schema>(bytes) {
                check_schema(&s.schema, s.schema_version, &s.generator)?;
            }
            Err(unreadable(bytes, &e))
        }
    }
}

fn check_schema(schema: &str, version: u32, by: &Maker) -> Result<(), String> {
    if schema != SCHEMA {
        return Err(format!(
            "a document of schema '{}', not a part ({SCHEMA})",
            crate::report::escape::terminal(schema)
        ));
    }
    if version != SCHEMA_VERSION {
        return Err(format!(
            "a part of schema version {version} (written by {} {}); this build reads version {SCHEMA_VERSION}",
            crate::report::escape::terminal(&by.tool),
            crate::report::escape::terminal(&by.version)
        ));
    }
    let this = Maker::this();
    if *by != this {
        return Err(format!(
            "written by {} {}, and this is {} {}: merge with the build that made the parts (its random streams and results may differ)",
            crate::report::escape::terminal(&by.tool),
            crate::report::escape::terminal(&by.version),
            this.tool,
            this.version
        ));
    }
    Ok(())
}

/// Why bytes do not read as a part.
fn unreadable(bytes: &[u8], e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        _ if bytes.is_empty() => "empty: not a part (was the shard's run cut short?)".into(),
        Category::Eof => format!(
            "truncated: it ends after {} bytes, inside the document (was the copy or the shard's run cut short?)",
            bytes.len()
        ),
        Category::Io | Category::Syntax => format!(
            "not a part file, or corrupt: not JSON at line {}, column {}",
            e.line(),
            e.column()
        ),
        Category::Data => format!(
            "not a part this build reads, or corrupt: {e}"
        ),
    }
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
        assert_eq!(part.range, 3..6);
        assert_eq!(
            part.jobs,
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
        let back = Part::<Example>::read(&bytes).unwrap();
        assert_eq!(back.work, part.work);
        assert_eq!(back.to_bytes(), bytes);
        let h = headline(&bytes).unwrap();
        assert_eq!((h.work.kind.as_str(), h.shard.index), ("counts", 1));
        // A digit changed: still JSON, refused by its checksum.
        let text = String::from_utf8(bytes.clone()).unwrap();
        let changed = text.replacen(",7]", ",8]", 1);
        assert_ne!(changed, text);
        let e = Part::<Example>::read(changed.as_bytes()).unwrap_err();
        assert!(e.starts_with("corrupt"), "{e}");
        // Cut short anywhere: truncated, never read.
        for cut in [0, 1, bytes.len() / 2, bytes.len() - 3] {
            let e = Part::<Example>::read(&bytes[..cut]).unwrap_err();
            assert!(
                e.starts_with("truncated") || e.starts_with("empty"),
                "{cut}: {e}"
            );
        }
        // Another version says so.
        let v2 = text.replacen("\"schema_version\":1", "\"schema_version\":2", 1);
        let e = Part::<Example>::read(v2.as_bytes()).unwrap_err();
        assert!(e.contains("schema version 2"), "{e}");
        let other = text.replacen("attrition.part", "attrition.sweep", 1);
        assert!(Part::<Example>::read(other.as_bytes())
            .unwrap_err()
            .contains("not a part"));
    }
}
