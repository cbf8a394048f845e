//! A small streaming Parquet writer for flat tables (per-path samples, a sweep's rows).
//!
//! Written here rather than pulled in from the `parquet` crate, which would add more
//! compile time than the rest of the tool: the samples need only flat columns of INT64,
//! DOUBLE and optional INT32 (logical type INTEGER(32, signed): days that may be null),
//! a sweep's table also text (BYTE_ARRAY, logical type STRING) and optional dates (INT32,
//! logical type DATE: days since 1970-01-01), PLAIN encoding, no compression. Every column chunk records its null count in its
//! statistics, so readers (DuckDB, pyarrow) can count nulls without reading the pages. The layout follows the
//! Parquet format specification (apache/parquet-format): `PAR1`, row groups of column
//! chunks (one data page each, v1 pages, definition levels as a bit-packed RLE hybrid),
//! then the Thrift-compact-encoded `FileMetaData`, its length, and `PAR1`. pandas
//! (pyarrow) and polars read it without options (pandas in CI, by python/tests and
//! examples/notebook.ipynb; polars by python/tests where polars is installed).

use std::io::{self, Write};

/// Rows buffered per row group: bounded memory (8 bytes a cell) at any path count.
pub const ROWS_PER_GROUP: usize = 65_536;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    /// A required 64-bit integer.
    Int64,
    /// A required double.
    Double,
    /// A 32-bit integer that may be missing (NaN in the input row, a null in the file).
    OptionalInt32,
    /// A date that may be missing, as days since 1970-01-01 (NaN: null).
    OptionalDate,
    /// Required UTF-8 text (rows with text go through `push_cells`).
    Text,
}

impl ColumnType {
    fn optional(self) -> bool {
        matches!(self, ColumnType::OptionalInt32 | ColumnType::OptionalDate)
    }
}

/// One cell of a row with text (`ParquetWriter::push_cells`): a number for a numeric
/// column (NaN is "missing" for an optional one), text for a text column.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell<'a> {
    Number(f64),
    Text(&'a str),
}

pub struct Column {
    pub name: String,
    pub kind: ColumnType,
}

struct ChunkMeta {
    offset: u64,
    size: u64,
    values: u64,
    nulls: u64,
}

pub struct ParquetWriter<W: Write> {
    out: W,
    pos: u64,
    columns: Vec<Column>,
    buffer: Vec<Vec<f64>>,
    /// Text columns' values (the numeric buffer of such a column stays empty).
    texts: Vec<Vec<String>>,
    rows_in_group: usize,
    total_rows: u64,
    groups: Vec<(u64, Vec<ChunkMeta>)>,
}

impl<W: Write> ParquetWriter<W> {
    pub fn new(mut out: W, columns: Vec<Column>) -> io::Result<Self> {
        out.write_all(b"PAR1")?;
        let n = columns.len();
        Ok(ParquetWriter {
            out,
            pos: 4,
            columns,
            buffer: vec![Vec::with_capacity(ROWS_PER_GROUP); n],
            texts: vec![Vec::new(); n],
            rows_in_group: 0,
            total_rows: 0,
            groups: Vec::new(),
        })
    }

    /// Adds one row of a table without text columns: one number per column (NaN is
    /// "missing" for an optional column).
    pub fn push_row(&mut self, row: &[f64]) -> io::Result<()> {
        debug_assert_eq!(row.len(), self.columns.len());
        debug_assert!(self.columns.iter().all(|c| c.kind != ColumnType::Text));
        for (b, &v) in self.buffer.iter_mut().zip(row) {
            b.push(v);
        }
        self.row_done()
    }

    /// Adds one row of any table: one cell per column, text for a text column, else a
    /// number. A cell of the other kind is an error (nothing of the row is added).
    pub fn push_cells(&mut self, row: &[Cell]) -> io::Result<()> {
        let fits = row.len() == self.columns.len()
            && row
                .iter()
                .zip(&self.columns)
                .all(|(cell, c)| matches!(cell, Cell::Text(_)) == (c.kind == ColumnType::Text));
        if !fits {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a row's cells do not match the columns",
            ));
        }
        for (i, cell) in row.iter().enumerate() {
            match cell {
                Cell::Number(v) => self.buffer[i].push(*v),
                Cell::Text(s) => self.texts[i].push(s.to_string()),
            }
        }
        self.row_done()
    }

    fn row_done(&mut self) -> io::Result<()> {
        self.rows_in_group += 1;
        if self.rows_in_group == ROWS_PER_GROUP {
            self.flush_group()?;
        }
        Ok(())
    }

    fn flush_group(&mut self) -> io::Result<()> {
        if self.rows_in_group == 0 {
            return Ok(());
        }
        let rows = self.rows_in_group;
        let mut chunks = Vec::with_capacity(self.columns.len());
        for ((col, values), texts) in self
            .columns
            .iter()
            .zip(&mut self.buffer)
            .zip(&mut self.texts)
        {
            let data = match col.kind {
                ColumnType::Text => text_page(texts),
                kind => page_data(kind, values),
            };
            texts.clear();
            let mut header = Vec::new();
            page_header(&mut header, rows, data.len());
            let offset = self.pos;
            self.out.write_all(&header)?;
            self.out.write_all(&data)?;
            let size = (header.len() + data.len()) as u64;
            self.pos += size;
            let nulls = match col.kind.optional() {
                true => values.iter().filter(|v| v.is_nan()).count() as u64,
                false => 0,
            };
            chunks.push(ChunkMeta {
                offset,
                size,
                values: rows as u64,
                nulls,
            });
            values.clear();
        }
        self.groups.push((rows as u64, chunks));
        self.total_rows += rows as u64;
        self.rows_in_group = 0;
        Ok(())
    }

    /// Writes the last row group and the footer; returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.flush_group()?;
        let mut meta = Vec::new();
        file_metadata(&mut meta, &self.columns, self.total_rows, &self.groups);
        self.out.write_all(&meta)?;
        self.out.write_all(&(meta.len() as u32).to_le_bytes())?;
        self.out.write_all(b"PAR1")?;
        Ok(self.out)
    }
}

/// A v1 data page body: definition levels (optional columns) then PLAIN values.
fn page_data(kind: ColumnType, values: &[f64]) -> Vec<u8> {
    let mut d = Vec::with_capacity(values.len() * 8 + 16);
    match kind {
        ColumnType::Int64 => values
            .iter()
            .for_each(|v| d.extend_from_slice(&(*v as i64).to_le_bytes())),
        ColumnType::Double => values
            .iter()
            .for_each(|v| d.extend_from_slice(&v.to_le_bytes())),
        ColumnType::Text => unreachable!("text columns are written by text_page"),
        ColumnType::OptionalInt32 | ColumnType::OptionalDate => {
            // Definition levels, bit width 1, one bit-packed run: header (groups << 1) | 1,
            // then eight levels a byte, least significant bit first; 4-byte length prefix.
            let groups = values.len().div_ceil(8);
            let mut levels = Vec::with_capacity(groups + 5);
            uleb(&mut levels, ((groups as u64) << 1) | 1);
            for g in values.chunks(8) {
                let mut byte = 0u8;
                for (i, v) in g.iter().enumerate() {
                    if !v.is_nan() {
                        byte |= 1 << i;
                    }
                }
                levels.push(byte);
            }
            d.extend_from_slice(&(levels.len() as u32).to_le_bytes());
            d.extend_from_slice(&levels);
            for v in values.iter().filter(|v| !v.is_nan()) {
                d.extend_from_slice(&(*v as i32).to_le_bytes());
            }
        }
    }
    d
}

/// A page of required text: PLAIN BYTE_ARRAY values, each its 4-byte length then bytes.
fn text_page(values: &[String]) -> Vec<u8> {
    let mut d = Vec::new();
    for v in values {
        d.extend_from_slice(&(v.len() as u32).to_le_bytes());
        d.extend_from_slice(v.as_bytes());
    }
    d
}

fn uleb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Thrift compact protocol, as much of it as the footer needs.
struct Thrift<'a> {
    out: &'a mut Vec<u8>,
    last: Vec<i16>,
}

const T_TRUE: u8 = 1;
const T_BYTE: u8 = 3;
const T_I32: u8 = 5;
const T_I64: u8 = 6;
const T_BINARY: u8 = 8;
const T_LIST: u8 = 9;
const T_STRUCT: u8 = 12;

impl<'a> Thrift<'a> {
    fn new(out: &'a mut Vec<u8>) -> Self {
        Thrift { out, last: vec![0] }
    }
    fn field(&mut self, id: i16, ty: u8) {
        let last = self.last.last_mut().unwrap();
        let delta = id - *last;
        if (1..=15).contains(&delta) {
            self.out.push(((delta as u8) << 4) | ty);
        } else {
            self.out.push(ty);
            uleb(self.out, zigzag(id as i64));
        }
        *last = id;
    }
    fn i32(&mut self, id: i16, v: i32) {
        self.field(id, T_I32);
        uleb(self.out, zigzag(v as i64));
    }
    fn byte(&mut self, id: i16, v: i8) {
        self.field(id, T_BYTE);
        self.out.push(v as u8);
    }
    /// A true boolean field: the compact protocol holds the value in the field header.
    fn bool_true(&mut self, id: i16) {
        self.field(id, T_TRUE);
    }
    fn i64(&mut self, id: i16, v: i64) {
        self.field(id, T_I64);
        uleb(self.out, zigzag(v));
    }
    fn string(&mut self, id: i16, s: &str) {
        self.field(id, T_BINARY);
        self.raw_string(s);
    }
    fn raw_string(&mut self, s: &str) {
        uleb(self.out, s.len() as u64);
        self.out.extend_from_slice(s.as_bytes());
    }
    fn list(&mut self, id: i16, elem: u8, len: usize) {
        self.field(id, T_LIST);
        if len < 15 {
            self.out.push(((len as u8) << 4) | elem);
        } else {
            self.out.push(0xf0 | elem);
            uleb(self.out, len as u64);
        }
    }
    fn begin(&mut self, id: i16) {
        self.field(id, T_STRUCT);
        self.last.push(0);
    }
    /// A struct that is a list element (no field header).
    fn begin_elem(&mut self) {
        self.last.push(0);
    }
    fn end(&mut self) {
        self.out.push(0);
        self.last.pop();
    }
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn page_header(out: &mut Vec<u8>, rows: usize, size: usize) {
    let mut t = Thrift::new(out);
    t.i32(1, 0); // type: DATA_PAGE
    t.i32(2, size as i32); // uncompressed_page_size
    t.i32(3, size as i32); // compressed_page_size
    t.begin(5); // data_page_header
    t.i32(1, rows as i32); // num_values, nulls included
    t.i32(2, 0); // encoding: PLAIN
    t.i32(3, 3); // definition_level_encoding: RLE
    t.i32(4, 3); // repetition_level_encoding: RLE
    t.end();
    t.out.push(0);
}

fn physical(kind: ColumnType) -> i32 {
    match kind {
        ColumnType::Int64 => 2,
        ColumnType::Double => 5,
        ColumnType::OptionalInt32 | ColumnType::OptionalDate => 1,
        ColumnType::Text => 6,
    }
}

fn file_metadata(
    out: &mut Vec<u8>,
    columns: &[Column],
    rows: u64,
    groups: &[(u64, Vec<ChunkMeta>)],
) {
    let mut t = Thrift::new(out);
    t.i32(1, 1); // version
    t.list(2, T_STRUCT, columns.len() + 1); // schema: the root, then one leaf a column
    t.begin_elem();
    t.string(4, "schema");
    t.i32(5, columns.len() as i32); // num_children
    t.end();
    for c in columns {
        t.begin_elem();
        t.i32(1, physical(c.kind));
        t.i32(3, if c.kind.optional() { 1 } else { 0 }); // OPTIONAL / REQUIRED
        t.string(4, &c.name);
        // Each annotated type twice: the converted type for older readers, the logical
        // type (a union) for newer ones.
        match c.kind {
            ColumnType::OptionalInt32 => {
                // Days are plain signed integers.
                t.i32(6, 17); // converted_type: INT_32
                t.begin(10); // logicalType
                t.begin(10); // INTEGER
                t.byte(1, 32); // bitWidth
                t.bool_true(2); // isSigned
                t.end();
                t.end();
            }
            ColumnType::OptionalDate => {
                t.i32(6, 6); // converted_type: DATE
                t.begin(10); // logicalType
                t.begin(6); // DATE (an empty struct)
                t.end();
                t.end();
            }
            ColumnType::Text => {
                t.i32(6, 0); // converted_type: UTF8
                t.begin(10); // logicalType
                t.begin(1); // STRING (an empty struct)
                t.end();
                t.end();
            }
            ColumnType::Int64 | ColumnType::Double => {}
        }
        t.end();
    }
    t.i64(3, rows as i64);
    t.list(4, T_STRUCT, groups.len());
    for (group_rows, chunks) in groups {
        t.begin_elem();
        t.list(1, T_STRUCT, chunks.len());
        for (c, m) in columns.iter().zip(chunks) {
            t.begin_elem();
            t.i64(2, m.offset as i64); // file_offset
            t.begin(3); // meta_data
            t.i32(1, physical(c.kind));
            t.list(2, T_I32, 2);
            uleb(t.out, zigzag(0)); // PLAIN
            uleb(t.out, zigzag(3)); // RLE
            t.list(3, T_BINARY, 1);
            t.raw_string(&c.name);
            t.i32(4, 0); // codec: UNCOMPRESSED
            t.i64(5, m.values as i64);
            t.i64(6, m.size as i64);
            t.i64(7, m.size as i64);
            t.i64(9, m.offset as i64); // data_page_offset
            t.begin(12); // statistics: the null count only (min and max are not needed)
            t.i64(3, m.nulls as i64); // null_count
            t.end();
            t.end();
            t.end();
        }
        t.i64(2, chunks.iter().map(|m| m.size as i64).sum()); // total_byte_size
        t.i64(3, *group_rows as i64);
        t.end();
    }
    t.string(6, concat!("attrition ", env!("CARGO_PKG_VERSION")));
    t.out.push(0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thrift_field_headers_and_varints() {
        let mut v = Vec::new();
        uleb(&mut v, 300);
        assert_eq!(v, [0xac, 0x02]);
        assert_eq!(zigzag(-1), 1);
        assert_eq!(zigzag(1), 2);
        let mut out = Vec::new();
        let mut t = Thrift::new(&mut out);
        t.i32(1, 3);
        t.i32(20, 1); // a jump of more than 15 uses the long form
        assert_eq!(out, [0x15, 0x06, 0x05, 0x28, 0x02]);
    }

    #[test]
    fn a_file_has_magic_at_both_ends_and_a_footer_length() {
        let cols = vec![
            Column {
                name: "path".into(),
                kind: ColumnType::Int64,
            },
            Column {
                name: "x".into(),
                kind: ColumnType::Double,
            },
            Column {
                name: "day".into(),
                kind: ColumnType::OptionalInt32,
            },
        ];
        let mut w = ParquetWriter::new(Vec::new(), cols).unwrap();
        for i in 0..100 {
            let day = if i % 3 == 0 { f64::NAN } else { i as f64 };
            w.push_row(&[i as f64, i as f64 * 0.5, day]).unwrap();
        }
        let bytes = w.finish().unwrap();
        assert_eq!(&bytes[..4], b"PAR1");
        assert_eq!(&bytes[bytes.len() - 4..], b"PAR1");
        let meta_len =
            u32::from_le_bytes(bytes[bytes.len() - 8..bytes.len() - 4].try_into().unwrap());
        assert!((meta_len as usize) < bytes.len());
        // The INT64 column's first value sits right after its page header.
        assert!(bytes.windows(8).any(|w| w == 99i64.to_le_bytes()));
    }
}
