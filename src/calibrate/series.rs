//! Reading a dated loss series (cumulative or daily) and its listed corrections.
//!
//! The files are CSV (RFC 4180, read by the `csv` crate): a header row, comma-separated
//! cells that may be quoted, ISO dates; CRLF line ends, a UTF-8 byte-order mark, blank
//! lines and spaces around cells are accepted. Every problem names the file and the line
//! (a quoted cell spanning lines is named by the line its row starts on), and bytes that
//! are not UTF-8 also their byte offset.
//! A series must have one row per day: a missing day or an empty cell is an error, not
//! a zero, because the sources use an empty cell for "not published".

use crate::date::Date;
use std::fmt;

/// What went wrong reading a series, with its place (line numbers count the header as 1).
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesError {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for SeriesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for SeriesError {}

/// Whether a column holds running totals or per-day counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SeriesKind {
    Cumulative,
    Daily,
}

impl SeriesKind {
    pub fn parse(s: &str) -> Option<SeriesKind> {
        match s {
            "cumulative" => Some(SeriesKind::Cumulative),
            "daily" => Some(SeriesKind::Daily),
            _ => None,
        }
    }
}

/// A daily series as cumulative levels: `levels[i]` is the total on `start + i`.
///
/// A daily file becomes levels starting at 0 on the day before its first row, so both
/// kinds give the same increments: the count on `start + i` is `levels[i] - levels[i-1]`.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Series {
    pub file: String,
    pub column: String,
    pub kind: SeriesKind,
    pub start: Date,
    pub levels: Vec<f64>,
    /// Total of the corrections removed (0 when none were given).
    pub corrections_removed: f64,
}

impl Series {
    pub fn end(&self) -> Date {
        self.start.add_days(self.levels.len() as i64 - 1)
    }

    /// Index of `date` in `levels`, if the series covers it.
    pub fn index(&self, date: Date) -> Option<usize> {
        let i = date.days_since(self.start);
        (i >= 0 && (i as usize) < self.levels.len()).then_some(i as usize)
    }

    /// The cumulative level on `date`, if covered.
    pub fn level(&self, date: Date) -> Option<f64> {
        self.index(date).map(|i| self.levels[i])
    }

    /// Daily counts on the dates `from..=to` (each the increase over the day before).
    /// `None` unless the day before `from` and `to` are both covered.
    pub fn counts(&self, from: Date, to: Date) -> Option<Vec<f64>> {
        let a = self.index(from.add_days(-1))?;
        let b = self.index(to)?;
        (a < b).then(|| self.levels[a..=b].windows(2).map(|w| w[1] - w[0]).collect())
    }

    /// A series built in memory (for synthetic tests): levels from `start`.
    pub fn from_levels(name: &str, start: Date, levels: Vec<f64>) -> Series {
        Series {
            file: name.to_string(),
            column: "synthetic_cumulative".to_string(),
            kind: SeriesKind::Cumulative,
            start,
            levels,
            corrections_removed: 0.0,
        }
    }
}

/// A parsed table: the header and the data rows with their line numbers.
pub(crate) struct CsvRows {
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

fn err(file: &str, line: Option<usize>, message: impl Into<String>) -> SeriesError {
    SeriesError {
        file: file.to_string(),
        line,
        message: message.into(),
    }
}

pub(crate) fn parse_table(file: &str, text: &str) -> Result<CsvRows, SeriesError> {
    // The byte-order mark some editors write is not part of the first cell.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = reader.records().filter_map(|r| match r {
        // A line of spaces reads as one empty cell; it is skipped like an empty line.
        Ok(r) if r.len() == 1 && r[0].is_empty() => None,
        Ok(r) => Some(Ok((r.position().map_or(0, |p| line_of(text, p)), r))),
        Err(e) => Some(Err(err(
            file,
            e.position().map(|p| p.line() as usize),
            e.to_string(),
        ))),
    });
    let (header_line, header) = match records.next() {
        None => {
            return Err(err(
                file,
                None,
                "the file is empty (expected a header row such as `date,personnel_cumulative`)",
            ))
        }
        Some(r) => r?,
    };
    let header: Vec<String> = header.iter().map(str::to_string).collect();
    // A repeated name would make `date` or `--column` pick one of two columns silently.
    for (i, h) in header.iter().enumerate() {
        if let Some(j) = header[..i].iter().position(|g| g == h) {
            return Err(err(
                file,
                Some(header_line),
                format!(
                    "column `{h}` appears twice in the header (columns {} and {}): every column needs its own name",
                    j + 1,
                    i + 1
                ),
            ));
        }
    }
    let mut rows = Vec::new();
    for r in records {
        let (n, record) = r?;
        if record.len() != header.len() {
            return Err(err(
                file,
                Some(n),
                format!(
                    "{} cells, but the header has {} columns",
                    record.len(),
                    header.len()
                ),
            ));
        }
        rows.push((n, record.iter().map(str::to_string).collect()));
    }
    Ok(CsvRows { header, rows })
}

/// The line a record starts on. The `csv` reader gives the position where it began
/// looking, before the empty lines it skips; those are counted here.
fn line_of(text: &str, p: &csv::Position) -> usize {
    let skipped = text.as_bytes()[p.byte() as usize..]
        .iter()
        .take_while(|&&b| b == b'\r' || b == b'\n')
        .filter(|&&b| b == b'\n')
        .count();
    p.line() as usize + skipped
}

fn date_column(file: &str, t: &CsvRows) -> Result<usize, SeriesError> {
    t.header.iter().position(|h| h == "date").ok_or_else(|| {
        err(
            file,
            Some(1),
            format!("no `date` column (columns: {})", t.header.join(", ")),
        )
    })
}

fn number(file: &str, line: usize, column: &str, cell: &str) -> Result<f64, SeriesError> {
    if cell.is_empty() {
        return Err(err(
            file,
            Some(line),
            format!("`{column}` is empty; every day needs a value (an empty cell means not published, not zero)"),
        ));
    }
    match cell.parse::<f64>() {
        // A bound far above any war's losses keeps every sum and square exact enough.
        Ok(x) if x.is_finite() && x.abs() > crate::model::MAX_QUANTITY => Err(err(
            file,
            Some(line),
            format!(
                "`{column}` is {cell}, above {:e}, the largest value accepted",
                crate::model::MAX_QUANTITY
            ),
        )),
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(err(
            file,
            Some(line),
            format!("`{column}` is '{cell}', not a number"),
        )),
    }
}

/// Reads a series from `text` (named `file` in messages). `column` picks the value
/// column (default: the only column ending in `_cumulative`, else the only other
/// column); `kind` overrides the kind read from the name (`*_cumulative` is cumulative).
pub fn parse_series(
    file: &str,
    text: &str,
    column: Option<&str>,
    kind: Option<SeriesKind>,
) -> Result<Series, SeriesError> {
    let t = parse_table(file, text)?;
    let dc = date_column(file, &t)?;
    let vc = match column {
        Some(c) => t.header.iter().position(|h| h == c).ok_or_else(|| {
            err(
                file,
                Some(1),
                format!("no column `{c}` (columns: {})", t.header.join(", ")),
            )
        })?,
        None => {
            let cum: Vec<usize> = (0..t.header.len())
                .filter(|&i| t.header[i].ends_with("_cumulative"))
                .collect();
            let others: Vec<usize> = (0..t.header.len()).filter(|&i| i != dc).collect();
            match (cum.as_slice(), others.as_slice()) {
                ([one], _) | ([], [one]) => *one,
                _ => {
                    return Err(err(
                        file,
                        Some(1),
                        format!(
                            "cannot tell which column to read: give --column (columns: {})",
                            t.header.join(", ")
                        ),
                    ))
                }
            }
        }
    };
    let name = t.header[vc].clone();
    let kind = kind.unwrap_or(if name.ends_with("_cumulative") {
        SeriesKind::Cumulative
    } else {
        SeriesKind::Daily
    });
    if t.rows.is_empty() {
        return Err(err(file, None, "no data rows after the header"));
    }
    let mut start = None;
    let mut prev: Option<(Date, f64)> = None;
    let mut levels = Vec::with_capacity(t.rows.len() + 1);
    for (line, cells) in &t.rows {
        let line = *line;
        let date =
            Date::parse_iso(&cells[dc]).map_err(|e| err(file, Some(line), format!("date: {e}")))?;
        let v = number(file, line, &name, &cells[vc])?;
        if let Some((pd, pv)) = prev {
            let step = date.days_since(pd);
            if step < 0 {
                return Err(err(file, Some(line), format!("date {date} comes after {pd} on the row before: rows must be sorted by date")));
            }
            if step == 0 {
                return Err(err(file, Some(line), format!("date {date} is repeated")));
            }
            if step > 1 {
                return Err(err(file, Some(line), format!("date {date} follows {pd}: {} days are missing; the series needs one row per day", step - 1)));
            }
            if kind == SeriesKind::Cumulative && v < pv {
                return Err(err(file, Some(line), format!("`{name}` falls from {pv} to {v}: a cumulative series cannot decrease (give --kind daily if it holds daily counts)")));
            }
        }
        if kind == SeriesKind::Daily && v < 0.0 {
            return Err(err(
                file,
                Some(line),
                format!("`{name}` is {v}: a daily count cannot be negative"),
            ));
        }
        match kind {
            SeriesKind::Cumulative => levels.push(v),
            SeriesKind::Daily => {
                if start.is_none() {
                    start = Some(date.add_days(-1));
                    levels.push(0.0);
                }
                levels.push(levels.last().unwrap() + v);
            }
        }
        start.get_or_insert(date);
        prev = Some((date, v));
    }
    Ok(Series {
        file: file.to_string(),
        column: name,
        kind,
        start: start.expect("at least one row"),
        levels,
        corrections_removed: 0.0,
    })
}

/// One-off amounts that a source folded into a day's jump to correct earlier reporting.
#[derive(Clone, Debug, PartialEq)]
pub struct Corrections {
    pub file: String,
    pub column: String,
    /// (date, amount, line in the file), sorted by date; zero amounts are left out.
    pub amounts: Vec<(Date, f64, usize)>,
}

/// The corrections column matching a series column: the same name, or the name without
/// a `_cumulative` or `_daily` suffix (`personnel_cumulative` matches `personnel`).
fn matching_column(header: &[String], series_column: &str) -> Option<usize> {
    let stem = series_column
        .strip_suffix("_cumulative")
        .or_else(|| series_column.strip_suffix("_daily"))
        .unwrap_or(series_column);
    header
        .iter()
        .position(|h| h == series_column)
        .or_else(|| header.iter().position(|h| h == stem))
}

/// Reads the per-date correction amounts for `series_column`. Rows may skip days; a
/// repeated date adds up.
pub fn parse_corrections(
    file: &str,
    text: &str,
    series_column: &str,
) -> Result<Corrections, SeriesError> {
    let t = parse_table(file, text)?;
    let dc = date_column(file, &t)?;
    let vc = matching_column(&t.header, series_column).ok_or_else(|| {
        err(
            file,
            Some(1),
            format!(
                "no column matching the series column `{series_column}` (columns: {})",
                t.header.join(", ")
            ),
        )
    })?;
    let name = t.header[vc].clone();
    let mut amounts: Vec<(Date, f64, usize)> = Vec::new();
    for (line, cells) in &t.rows {
        let date = Date::parse_iso(&cells[dc])
            .map_err(|e| err(file, Some(*line), format!("date: {e}")))?;
        // An empty cell here means no correction for this column on that date.
        let v = if cells[vc].is_empty() {
            0.0
        } else {
            number(file, *line, &name, &cells[vc])?
        };
        if v != 0.0 {
            amounts.push((date, v, *line));
        }
    }
    amounts.sort_by_key(|a| a.0);
    Ok(Corrections {
        file: file.to_string(),
        column: name,
        amounts,
    })
}

/// Subtracts each correction from the level on its date and every later date, so the
/// day's increment loses the one-off amount.
///
/// A positive amount is an earlier under-count added on its day; a negative one an
/// earlier over-count taken back on its day (the GS equipment corrections have both).
/// What cannot be right is refused with the corrections file's row: a correction on a
/// date whose daily count the series does not hold (before its second row, after its
/// end: such a file does not belong to this series, or the series is cut short), one
/// larger than its day's count (the day's own losses would be negative), and one taking
/// back more than the series had counted before its day (earlier days' losses would be
/// negative).
pub fn remove_corrections(series: &mut Series, c: &Corrections) -> Result<(), SeriesError> {
    let first_count = series.start.add_days(1);
    for &(date, amount, line) in &c.amounts {
        let bad = |message: String| err(&c.file, Some(line), message);
        let i = match series.index(date) {
            Some(i) if i > 0 => i,
            _ => {
                return Err(bad(format!(
                    "the correction of {amount} on {date} is outside the series' daily counts, {first_count}..{} in {}: a correction must fall on a day the series counts",
                    series.end(),
                    series.file
                )))
            }
        };
        let count = series.levels[i] - series.levels[i - 1];
        if count - amount < 0.0 {
            return Err(bad(format!(
                "the correction of {amount} on {date} exceeds that day's count in {} ({count})",
                series.file
            )));
        }
        let before = series.levels[i - 1];
        if before + amount < 0.0 {
            return Err(bad(format!(
                "the correction of {amount} on {date} takes back more than {} counted before that day ({before})",
                series.file
            )));
        }
        for l in &mut series.levels[i..] {
            *l -= amount;
        }
        series.corrections_removed += amount;
    }
    Ok(())
}

/// Reads a file into text, naming it in the error; bytes that are not UTF-8 are named
/// by their line and byte offset (from 0), so the row can be found and re-saved.
pub fn read_text(path: &std::path::Path) -> Result<String, SeriesError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| err(&name, None, format!("cannot read: {e}")))?;
    text_of(&name, bytes)
}

/// `bytes` as text, or an error naming the line and byte offset of the first byte that
/// is not UTF-8.
pub fn text_of(file: &str, bytes: Vec<u8>) -> Result<String, SeriesError> {
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
        // A UTF-16 file (Excel's "Unicode text") fails on its byte-order mark.
        let hint = if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
            "the file looks like UTF-16; save it as UTF-8"
        } else {
            "save the file as UTF-8"
        };
        err(
            file,
            Some(line),
            format!(
                "not UTF-8 text at byte offset {at} (byte 0x{:02x}): {hint}",
                bytes[at]
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Series, SeriesError> {
        parse_series("s.csv", text, None, None)
    }

    fn message(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn reads_cumulative_and_daily_to_the_same_counts() {
        let c =
            parse("date,x_cumulative\n2024-01-01,100\n2024-01-02,110\n2024-01-03,125\n").unwrap();
        assert_eq!(c.kind, SeriesKind::Cumulative);
        let d = parse("date,x_daily\n2024-01-02,10\n2024-01-03,15\n").unwrap();
        assert_eq!(d.kind, SeriesKind::Daily);
        let from = Date::parse_iso("2024-01-02").unwrap();
        let to = Date::parse_iso("2024-01-03").unwrap();
        assert_eq!(c.counts(from, to).unwrap(), vec![10.0, 15.0]);
        assert_eq!(d.counts(from, to).unwrap(), vec![10.0, 15.0]);
        assert_eq!(c.end(), to);
        assert!(c
            .counts(Date::parse_iso("2024-01-01").unwrap(), to)
            .is_none());
    }

    #[test]
    fn bad_series_name_the_row() {
        let cases = [
            ("", "s.csv: the file is empty"),
            ("date,x_cumulative\n", "s.csv: no data rows"),
            (
                "date,x_cumulative\n2024-01-02,1\n2024-01-01,2\n",
                "s.csv:3: date 2024-01-01 comes after 2024-01-02",
            ),
            (
                "date,x_cumulative\n2024-01-01,1\n2024-01-01,2\n",
                "s.csv:3: date 2024-01-01 is repeated",
            ),
            (
                "date,x_cumulative\n2024-01-01,5\n2024-01-02,4\n",
                "s.csv:3: `x_cumulative` falls from 5 to 4",
            ),
            (
                "date,x_cumulative\n2024-01-01,1\n2024-01-04,2\n",
                "s.csv:3: date 2024-01-04 follows 2024-01-01: 2 days are missing",
            ),
            (
                "date,x_cumulative\n2024-01-01,1\n2024-01-02,abc\n",
                "s.csv:3: `x_cumulative` is 'abc', not a number",
            ),
            (
                "date,x_cumulative\n2024-01-01,1\n2024-01-02,\n",
                "s.csv:3: `x_cumulative` is empty",
            ),
            (
                "date,x_cumulative\n2024-01-01,1\n2024-13-02,2\n",
                "s.csv:3: date: month 13",
            ),
            (
                "date,x_cumulative\n2024-01-01,1,2\n",
                "s.csv:2: 3 cells, but the header has 2",
            ),
            ("day,x_cumulative\n1,1\n", "s.csv:1: no `date` column"),
            (
                "date,a,b\n2024-01-01,1,2\n",
                "s.csv:1: cannot tell which column",
            ),
            (
                "date,x_daily\n2024-01-01,-3\n",
                "s.csv:2: `x_daily` is -3: a daily count cannot be negative",
            ),
            (
                "\"date\",date\n2024-01-01,2024-01-01\n",
                "s.csv:1: column `date` appears twice in the header (columns 1 and 2)",
            ),
            (
                "date,date\n2024-01-01,2024-01-01\n",
                "s.csv:1: column `date` appears twice in the header (columns 1 and 2)",
            ),
            (
                "\n\ndate,x_daily,x_daily\n2024-01-01,1,2\n",
                "s.csv:3: column `x_daily` appears twice",
            ),
        ];
        for (text, want) in cases {
            let got = message(text);
            assert!(
                got.starts_with(want),
                "{text:?}: got {got:?}, want {want:?}"
            );
        }
        let e = parse_series("s.csv", "date,a,b\n2024-01-01,1,2\n", Some("c"), None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "s.csv:1: no column `c` (columns: date, a, b)"
        );
    }

    #[test]
    fn quoted_cells_crlf_and_a_byte_order_mark_are_read() {
        let plain =
            parse("date,x_cumulative\n2024-01-01,100\n2024-01-02,110\n2024-01-03,125\n").unwrap();
        // RFC 4180: a quoted header, quoted cells (a comma, a line break and a doubled
        // quote inside them), CRLF line ends, a blank line and a UTF-8 byte-order mark.
        let quoted = "\u{feff}\"date\",\"note, free\",\"x_cumulative\"\r\n\
                      \"2024-01-01\",\"a, b\",\"100\"\r\n\
                      2024-01-02,\"two\r\nlines\",110\r\n\
                      \r\n\
                      2024-01-03,\"say \"\"hi\"\"\",\"125\"\r\n";
        let q = parse(quoted).unwrap();
        assert_eq!(q.column, "x_cumulative");
        assert_eq!((q.start, &q.levels), (plain.start, &plain.levels));
        // Rows are still named by their line: a quoted line break moves the rows after it.
        let bad = quoted.replace("\"125\"", "abc");
        assert_eq!(
            message(&bad),
            "s.csv:6: `x_cumulative` is 'abc', not a number"
        );
        let short = quoted.replace(",\"a, b\",\"100\"", ",\"a, b\"");
        assert_eq!(
            message(&short),
            "s.csv:2: 2 cells, but the header has 3 columns"
        );
        let c = parse_corrections(
            "c.csv",
            "\u{feff}\"date\",\"personnel\"\r\n\"2024-01-02\",\"4\"\r\n",
            "personnel_cumulative",
        )
        .unwrap();
        assert_eq!(
            c.amounts,
            vec![(Date::parse_iso("2024-01-02").unwrap(), 4.0, 2)]
        );
    }

    #[test]
    fn corrections_come_off_the_day_they_were_added() {
        let mut s = parse(
            "date,personnel_cumulative\n2025-02-26,10\n2025-02-27,20\n2025-02-28,1700\n2025-03-01,1710\n",
        )
        .unwrap();
        let c = parse_corrections(
            "c.csv",
            "date,day,personnel,tank\n2022-10-13,231,0,5\n2025-02-28,1100,1650,0\n2030-01-01,1,0,7\n",
            &s.column,
        )
        .unwrap();
        assert_eq!(c.column, "personnel");
        // Zero amounts (other columns' corrections) are left out, whatever their date.
        assert_eq!(c.amounts.len(), 1);
        remove_corrections(&mut s, &c).unwrap();
        let d = |t: &str| Date::parse_iso(t).unwrap();
        assert_eq!(
            s.counts(d("2025-02-27"), d("2025-03-01")).unwrap(),
            vec![10.0, 30.0, 10.0]
        );
        assert_eq!(s.corrections_removed, 1650.0);
        let too_big =
            parse_corrections("c.csv", "date,personnel\n2025-02-27,11\n", &s.column).unwrap();
        let e = remove_corrections(&mut s, &too_big)
            .unwrap_err()
            .to_string();
        assert!(e.contains("exceeds that day's count"), "{e}");
        let e = parse_corrections("c.csv", "date,tank\n", "personnel_cumulative").unwrap_err();
        assert!(e.to_string().contains("no column matching"), "{e}");
    }

    #[test]
    fn corrections_that_cannot_be_right_are_refused_with_their_row() {
        let s =
            parse("date,personnel_cumulative\n2025-02-26,100\n2025-02-27,120\n2025-02-28,150\n")
                .unwrap();
        let apply = |text: &str| {
            let c = parse_corrections("c.csv", text, &s.column).unwrap();
            let mut s = s.clone();
            remove_corrections(&mut s, &c).map(|()| s)
        };
        // A negative correction (an over-count taken back) adds to its day's count.
        let back = apply("date,personnel\n2025-02-28,-15\n").unwrap();
        let d = |t: &str| Date::parse_iso(t).unwrap();
        assert_eq!(
            back.counts(d("2025-02-27"), d("2025-02-28")).unwrap(),
            vec![20.0, 45.0]
        );
        assert_eq!(back.corrections_removed, -15.0);
        // Up to everything counted before the day may be taken back, not more.
        assert!(apply("date,personnel\n2025-02-28,-120\n").is_ok());
        let cases = [
            (
                "date,personnel\n2025-02-28,-121\n",
                "c.csv:2: the correction of -121 on 2025-02-28 takes back more than s.csv counted before that day (120)",
            ),
            (
                "date,personnel\n2025-02-27,0\n2025-02-28,-1e6\n",
                "c.csv:3: the correction of -1000000 on 2025-02-28 takes back more",
            ),
            (
                "date,personnel\n2025-03-01,5\n",
                "c.csv:2: the correction of 5 on 2025-03-01 is outside the series' daily counts, 2025-02-27..2025-02-28 in s.csv",
            ),
            (
                "date,personnel\n2025-02-26,5\n",
                "c.csv:2: the correction of 5 on 2025-02-26 is outside",
            ),
            (
                "date,personnel\n2024-01-01,-5\n",
                "c.csv:2: the correction of -5 on 2024-01-01 is outside",
            ),
            (
                "date,personnel\n2025-02-28,31\n",
                "c.csv:2: the correction of 31 on 2025-02-28 exceeds that day's count in s.csv (30)",
            ),
            // Two rows of one date add up: the second takes the day below zero.
            (
                "date,personnel\n2025-02-28,20\n2025-02-28,20\n",
                "c.csv:3: the correction of 20 on 2025-02-28 exceeds that day's count in s.csv (10)",
            ),
        ];
        for (text, want) in cases {
            let got = apply(text).unwrap_err().to_string();
            assert!(
                got.starts_with(want),
                "{text:?}: got {got:?}, want {want:?}"
            );
        }
        // A daily file's levels start at 0 the day before its first row.
        let daily = parse("date,x_daily\n2025-02-27,10\n2025-02-28,10\n").unwrap();
        let c = parse_corrections("c.csv", "date,x\n2025-02-27,1\n", "x_daily").unwrap();
        let mut d2 = daily.clone();
        remove_corrections(&mut d2, &c).unwrap();
        assert_eq!(d2.corrections_removed, 1.0);
    }

    #[test]
    fn bytes_that_are_not_utf8_are_named_by_line_and_offset() {
        let e = text_of(
            "s.csv",
            b"date,x_daily\n2024-01-01,1\n2024-01-02,\xe9\n".to_vec(),
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            e,
            "s.csv:3: not UTF-8 text at byte offset 37 (byte 0xe9): save the file as UTF-8"
        );
        let e = text_of("s.csv", b"\xff\xfed\x00a\x00".to_vec())
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(
                "s.csv:1: not UTF-8 text at byte offset 0 (byte 0xff): the file looks like UTF-16"
            ),
            "{e}"
        );
        assert_eq!(text_of("s.csv", b"date\n".to_vec()).unwrap(), "date\n");
    }
}
