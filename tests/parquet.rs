//! `run --samples FILE.parquet` read back by a small Parquet reader written here: the
//! footer (Thrift compact `FileMetaData`: schema, row count, row groups and their column
//! statistics) and the data pages of the nullable columns, checked against the CSV
//! samples of the same run. CI's Python steps (python/tests and examples/notebook.ipynb)
//! read the file with pyarrow as well; this test needs nothing but cargo.

mod common;
use common::{attrition, scratch, stderr};
use std::collections::BTreeMap;
use std::fs;

/// A decoded Thrift compact value (only the types a Parquet footer uses).
#[derive(Clone, Debug, PartialEq)]
enum T {
    Bool(bool),
    Int(i64),
    Double(f64),
    Bin(Vec<u8>),
    List(Vec<T>),
    Struct(BTreeMap<i16, T>),
}

impl T {
    fn get(&self, id: i16) -> Option<&T> {
        match self {
            T::Struct(m) => m.get(&id),
            _ => panic!("not a struct: {self:?}"),
        }
    }
    fn field(&self, id: i16) -> &T {
        self.get(id)
            .unwrap_or_else(|| panic!("no field {id} in {self:?}"))
    }
    fn int(&self, id: i16) -> i64 {
        match self.field(id) {
            T::Int(v) => *v,
            v => panic!("field {id} is not an integer: {v:?}"),
        }
    }
    fn string(&self, id: i16) -> String {
        match self.field(id) {
            T::Bin(b) => String::from_utf8(b.clone()).unwrap(),
            v => panic!("field {id} is not binary: {v:?}"),
        }
    }
    fn list(&self, id: i16) -> &[T] {
        match self.field(id) {
            T::List(v) => v,
            v => panic!("field {id} is not a list: {v:?}"),
        }
    }
}

/// A reader of the Thrift compact protocol.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.bytes[self.at];
        self.at += 1;
        b
    }
    fn varint(&mut self) -> u64 {
        let (mut v, mut shift) = (0u64, 0);
        loop {
            let b = self.byte();
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return v;
            }
            shift += 7;
        }
    }
    fn zigzag(&mut self) -> i64 {
        let v = self.varint();
        (v >> 1) as i64 ^ -((v & 1) as i64)
    }
    fn value(&mut self, ty: u8) -> T {
        match ty {
            1 => T::Bool(true),
            2 => T::Bool(false),
            3 => T::Int(self.byte() as i8 as i64),
            4..=6 => T::Int(self.zigzag()),
            7 => {
                let b = &self.bytes[self.at..self.at + 8];
                self.at += 8;
                T::Double(f64::from_le_bytes(b.try_into().unwrap()))
            }
            8 => {
                let n = self.varint() as usize;
                let b = self.bytes[self.at..self.at + n].to_vec();
                self.at += n;
                T::Bin(b)
            }
            9 | 10 => {
                let h = self.byte();
                let n = match h >> 4 {
                    15 => self.varint() as usize,
                    n => n as usize,
                };
                let elem = h & 0x0f;
                // Booleans in lists are a byte each, not in a field header.
                T::List(
                    (0..n)
                        .map(|_| match elem {
                            1 | 2 => T::Bool(self.byte() == 1),
                            e => self.value(e),
                        })
                        .collect(),
                )
            }
            12 => self.strukt(),
            _ => panic!("Thrift type {ty} at byte {}", self.at),
        }
    }
    fn strukt(&mut self) -> T {
        let mut fields = BTreeMap::new();
        let mut last = 0i16;
        loop {
            let h = self.byte();
            if h == 0 {
                return T::Struct(fields);
            }
            let id = match h >> 4 {
                0 => self.zigzag() as i16,
                d => last + d as i16,
            };
            last = id;
            let v = self.value(h & 0x0f);
            assert!(fields.insert(id, v).is_none(), "field {id} twice");
        }
    }
}

/// The footer: checks both magics and the length, decodes `FileMetaData`.
fn footer(bytes: &[u8]) -> T {
    assert_eq!(&bytes[..4], b"PAR1");
    assert_eq!(&bytes[bytes.len() - 4..], b"PAR1");
    let len = u32::from_le_bytes(bytes[bytes.len() - 8..bytes.len() - 4].try_into().unwrap());
    let start = bytes.len() - 8 - len as usize;
    let mut r = Reader { bytes, at: start };
    let meta = r.strukt();
    assert_eq!(
        r.at,
        bytes.len() - 8,
        "the footer's length is its Thrift length"
    );
    meta
}

/// One column chunk's single v1 data page: (definition levels if optional, values).
fn page(
    bytes: &[u8],
    offset: usize,
    rows: usize,
    optional: bool,
    width: usize,
) -> Vec<Option<Vec<u8>>> {
    let mut r = Reader { bytes, at: offset };
    let header = r.strukt();
    assert_eq!(header.int(1), 0, "a DATA_PAGE");
    let size = header.int(2) as usize;
    assert_eq!(header.int(3) as usize, size, "uncompressed");
    assert_eq!(header.field(5).int(1) as usize, rows, "num_values");
    let body = &bytes[r.at..r.at + size];
    let (defined, mut at) = if optional {
        let n = u32::from_le_bytes(body[..4].try_into().unwrap()) as usize;
        let mut lv = Reader {
            bytes: &body[4..4 + n],
            at: 0,
        };
        // The RLE / bit-packed hybrid at bit width 1.
        let mut levels = Vec::new();
        while lv.at < n {
            let h = lv.varint();
            if h & 1 == 1 {
                for _ in 0..(h >> 1) {
                    let b = lv.byte();
                    levels.extend((0..8).map(|i| b >> i & 1 == 1));
                }
            } else {
                let v = lv.byte() == 1;
                levels.extend(std::iter::repeat_n(v, (h >> 1) as usize));
            }
        }
        levels.truncate(rows);
        (levels, 4 + n)
    } else {
        (vec![true; rows], 0)
    };
    assert_eq!(defined.len(), rows);
    let out = defined
        .iter()
        .map(|&d| {
            d.then(|| {
                let v = body[at..at + width].to_vec();
                at += width;
                v
            })
        })
        .collect();
    assert_eq!(at, size, "the page holds exactly its values");
    out
}

#[test]
fn parquet_samples_hold_nulls_with_counts_in_the_footer() {
    // 70,000 paths: two row groups (65,536 rows each at most), paths where the ceasefire
    // does not happen (its days are null) and paths that do not cross by the horizon.
    const PATHS: usize = 70_000;
    let dir = scratch("footer");
    let (pq, csv) = (dir.join("p.parquet"), dir.join("p.csv"));
    for f in [&pq, &csv] {
        let o = attrition(&[
            "run",
            "scenarios/peace-talks.toml",
            "--paths",
            &PATHS.to_string(),
            "--samples",
            f.to_str().unwrap(),
            "--quiet",
            "--format",
            "json",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let text = fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    let names: Vec<&str> = lines.next().unwrap().split(',').collect();
    let cells: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(cells.len(), PATHS);
    let bytes = fs::read(&pq).unwrap();
    let meta = footer(&bytes);
    assert_eq!(meta.int(3) as usize, PATHS, "num_rows");
    // Schema: the root, then one leaf per CSV column in the same order.
    let schema = meta.list(2);
    assert_eq!(schema[0].int(5) as usize, names.len());
    assert_eq!(schema.len(), names.len() + 1);
    let optional = |n: &str| {
        n.starts_with("crossing_day.") || n.ends_with(".first_day") || n.ends_with(".last_day")
    };
    for (leaf, &name) in schema[1..].iter().zip(&names) {
        assert_eq!(leaf.string(4), name);
        let (ty, repetition) = (leaf.int(1), leaf.int(3));
        if name == "path" {
            assert_eq!((ty, repetition), (2, 0), "{name}: required INT64");
        } else if optional(name) {
            assert_eq!((ty, repetition), (1, 1), "{name}: optional INT32");
            assert_eq!(leaf.int(6), 17, "{name}: converted type INT_32");
            let int = leaf.field(10).field(10);
            assert_eq!(int.int(1), 32, "{name}: INTEGER(32)");
            assert_eq!(int.field(2), &T::Bool(true), "{name}: signed");
        } else {
            assert_eq!((ty, repetition), (5, 0), "{name}: required DOUBLE");
        }
    }
    // Row groups: rows add up; each column chunk's null count is the CSV's empty cells in
    // those rows, and what its page holds.
    let groups = meta.list(4);
    assert_eq!(groups.len(), 2);
    let mut first_row = 0;
    let mut nulls_seen = BTreeMap::new();
    for g in groups {
        let rows = g.int(3) as usize;
        let chunks = g.list(1);
        assert_eq!(chunks.len(), names.len());
        for (c, (i, &name)) in chunks.iter().zip(names.iter().enumerate()) {
            let m = c.field(3);
            assert_eq!(m.int(5) as usize, rows, "{name}: num_values");
            let nulls = m.field(12).int(3) as usize;
            let rows_cells = &cells[first_row..first_row + rows];
            let empty = rows_cells.iter().filter(|r| r[i].is_empty()).count();
            assert_eq!(nulls, empty, "{name}: null_count");
            *nulls_seen.entry(name).or_insert(0) += nulls;
            let width = match m.int(1) {
                1 => 4,
                _ => 8,
            };
            let values = page(&bytes, m.int(9) as usize, rows, optional(name), width);
            for (v, row) in values.iter().zip(rows_cells) {
                let cell = row[i];
                match v {
                    None => assert!(cell.is_empty(), "{name}: null where the CSV has {cell}"),
                    Some(b) if width == 4 => {
                        assert_eq!(
                            i32::from_le_bytes(b[..].try_into().unwrap()).to_string(),
                            cell
                        )
                    }
                    Some(b) if name == "path" => {
                        assert_eq!(
                            i64::from_le_bytes(b[..].try_into().unwrap()).to_string(),
                            cell
                        )
                    }
                    Some(b) => {
                        let x = f64::from_le_bytes(b[..].try_into().unwrap());
                        assert!(!x.is_nan(), "{name}: a NaN is not a value");
                        assert_eq!(x, cell.parse::<f64>().unwrap(), "{name}");
                    }
                }
            }
        }
        first_row += rows;
    }
    assert_eq!(first_row, PATHS);
    // The run has both kinds of nulls, and only in the optional columns.
    for (name, n) in &nulls_seen {
        if optional(name) {
            assert!(*n > 0 && *n < PATHS, "{name}: {n} nulls");
        } else {
            assert_eq!(*n, 0, "{name}");
        }
    }
    assert_eq!(
        nulls_seen["events.ceasefire.first_day"],
        nulls_seen["events.ceasefire.last_day"]
    );
}

/// The values of a required BYTE_ARRAY column's single v1 page: each a 4-byte length,
/// then its bytes.
fn text_page(bytes: &[u8], offset: usize, rows: usize) -> Vec<String> {
    let mut r = Reader { bytes, at: offset };
    let header = r.strukt();
    assert_eq!(header.int(1), 0, "a DATA_PAGE");
    let size = header.int(2) as usize;
    assert_eq!(header.field(5).int(1) as usize, rows, "num_values");
    let body = &bytes[r.at..r.at + size];
    let mut at = 0;
    let mut out = Vec::new();
    while at < size {
        let n = u32::from_le_bytes(body[at..at + 4].try_into().unwrap()) as usize;
        out.push(String::from_utf8(body[at + 4..at + 4 + n].to_vec()).unwrap());
        at += 4 + n;
    }
    assert_eq!(out.len(), rows);
    out
}

#[test]
fn a_sweeps_parquet_holds_the_csv_typed_text_dates_and_numbers() {
    let dir = scratch("sweep");
    let pq = dir.join("s.parquet");
    let args = |format: &str| {
        vec![
            "sweep".to_string(),
            "scenarios/ceasefire-2026.toml".into(),
            "--grid".into(),
            "phases[0].start=2026-05-01,2026-09-01".into(),
            "--grid".into(),
            "sides.russia.rate_per_day=[900, 1100],{ lo = 1000, hi = 1300 }".into(),
            "--grid".into(),
            "noise.sigma=0.1,0.25".into(),
            "-n".into(),
            "2000".into(),
            "-q".into(),
            "-f".into(),
            format.into(),
        ]
    };
    let mut p = args("parquet");
    p.extend(["--out".to_string(), pq.to_str().unwrap().to_string()]);
    let o = attrition(&p.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(o.status.success(), "{}", stderr(&o));
    let o = attrition(&args("csv").iter().map(String::as_str).collect::<Vec<_>>());
    assert!(o.status.success(), "{}", stderr(&o));
    let mut csv = csv::Reader::from_reader(&o.stdout[..]);
    let names: Vec<String> = csv.headers().unwrap().iter().map(String::from).collect();
    let cells: Vec<Vec<String>> = csv
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    // 8 points, 2 thresholds.
    assert_eq!(cells.len(), 16);
    let bytes = fs::read(&pq).unwrap();
    let meta = footer(&bytes);
    assert_eq!(meta.int(3) as usize, cells.len(), "num_rows");
    let schema = meta.list(2);
    assert_eq!(schema.len(), names.len() + 1);
    let epoch = attrition::Date::from_ymd(1970, 1, 1).unwrap();
    let chunks = meta.list(4)[0].list(1);
    let mut dates = 0;
    for (i, (leaf, name)) in schema[1..].iter().zip(&names).enumerate() {
        assert_eq!(&leaf.string(4), name);
        let column: Vec<&str> = cells.iter().map(|r| r[i].as_str()).collect();
        let m = chunks[i].field(3);
        let nulls = m.field(12).int(3) as usize;
        assert_eq!(
            nulls,
            column.iter().filter(|c| c.is_empty()).count(),
            "{name}"
        );
        let at = m.int(9) as usize;
        let (ty, repetition) = (leaf.int(1), leaf.int(3));
        match name.as_str() {
            "point" => {
                assert_eq!((ty, repetition), (2, 0), "required INT64");
                let v = page(&bytes, at, cells.len(), false, 8);
                for (b, c) in v.iter().zip(&column) {
                    let b = b.as_ref().unwrap();
                    assert_eq!(
                        i64::from_le_bytes(b[..].try_into().unwrap()).to_string(),
                        *c
                    );
                }
            }
            // Text: a key whose values are not all numbers, and the threshold's name.
            "phases[0].start" | "sides.russia.rate_per_day" | "threshold" => {
                assert_eq!((ty, repetition), (6, 0), "{name}: required BYTE_ARRAY");
                assert_eq!(leaf.int(6), 0, "{name}: converted type UTF8");
                assert!(
                    leaf.field(10).get(1).is_some(),
                    "{name}: logical type STRING"
                );
                assert_eq!(text_page(&bytes, at, cells.len()), column, "{name}");
            }
            n if n.starts_with('p')
                && n[1..]
                    .trim_end_matches("_ci_low")
                    .trim_end_matches("_ci_high")
                    .chars()
                    .all(|c| c.is_ascii_digit()) =>
            {
                dates += 1;
                assert_eq!((ty, repetition), (1, 1), "{name}: optional INT32");
                assert_eq!(leaf.int(6), 6, "{name}: converted type DATE");
                assert!(leaf.field(10).get(6).is_some(), "{name}: logical type DATE");
                let v = page(&bytes, at, cells.len(), true, 4);
                for (b, c) in v.iter().zip(&column) {
                    let shown = b.as_ref().map_or(String::new(), |b| {
                        let days = i32::from_le_bytes(b[..].try_into().unwrap());
                        epoch.add_days(days.into()).to_string()
                    });
                    assert_eq!(shown, *c, "{name}");
                }
            }
            _ => {
                assert_eq!((ty, repetition), (5, 0), "{name}: required DOUBLE");
                let v = page(&bytes, at, cells.len(), false, 8);
                for (b, c) in v.iter().zip(&column) {
                    let x = f64::from_le_bytes(b.as_ref().unwrap()[..].try_into().unwrap());
                    assert_eq!(x, c.parse::<f64>().unwrap(), "{name}");
                }
            }
        }
    }
    assert_eq!(dates, 15, "the five default quantiles and their intervals");
    // A ceasefire from May leaves the median of some rows not crossed: nulls are there.
    assert!(cells
        .iter()
        .any(|r| r[names.iter().position(|n| n == "p50").unwrap()].is_empty()));
    fs::remove_dir_all(&dir).unwrap();
}
