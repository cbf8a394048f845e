//! Problems found in a scenario file, located by line, column and key path.

use std::fmt;

/// One problem in an input file, written for the person who will fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    /// The command-line argument that caused the problem, when it lies there rather than
    /// in the file (`--set noise.sigma=-1`).
    pub argument: Option<String>,
    /// 1-based line and column, when the problem has a place in the text.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Dotted key path (`sides.russia.rate_per_day.lo`), empty for the whole file.
    pub key: String,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, ":{l}:{c}")?;
        }
        if let Some(a) = &self.argument {
            write!(f, ": {a}")?;
        }
        if self.key.is_empty() {
            write!(f, ": {}", self.message)
        } else {
            write!(f, ": {}: {}", self.key, self.message)
        }
    }
}

/// Every problem found in one file; never empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

/// Most characters of user text (a key, a name, a value) quoted in a message.
pub const MAX_SHOWN_CHARS: usize = 60;

/// Most characters of a key path in a diagnostic (it is made of user keys).
const MAX_KEY_CHARS: usize = 120;

/// Most diagnostics reported for one file: a file with thousands of problems is the wrong
/// file, and listing them all costs time and buries the first.
pub const MAX_DIAGNOSTICS: usize = 100;

/// User text as quoted in a message: cut to `MAX_SHOWN_CHARS` characters with an
/// ellipsis, and control and bidirectional-override characters escaped, so a 5 MB key
/// or a stray escape sequence cannot flood or repaint the terminal. Every message that
/// quotes input goes through this.
pub fn shown(text: &str) -> String {
    shown_within(text, MAX_SHOWN_CHARS)
}

fn shown_within(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        let bidi = matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        if c.is_control() || bidi {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Collects diagnostics for one file and turns byte offsets into lines and columns.
pub struct Sink<'s> {
    file: &'s str,
    src: &'s str,
    pub diagnostics: Vec<Diagnostic>,
    /// Problems found beyond `MAX_DIAGNOSTICS`, counted but not kept.
    dropped: usize,
}

impl<'s> Sink<'s> {
    pub fn new(file: &'s str, src: &'s str) -> Self {
        Sink {
            file,
            src,
            diagnostics: Vec::new(),
            dropped: 0,
        }
    }

    /// The error for everything recorded, with a last line counting any left out.
    pub fn into_error(mut self) -> ScenarioError {
        if self.dropped > 0 {
            let n = self.dropped;
            self.diagnostics.push(Diagnostic {
                file: self.file.to_string(),
                argument: None,
                line: None,
                column: None,
                key: String::new(),
                message: format!(
                    "{n} more problems not shown (only the first {MAX_DIAGNOSTICS} are listed)"
                ),
            });
        }
        ScenarioError {
            diagnostics: self.diagnostics,
        }
    }

    /// Records a problem at byte offset `at` (None: the whole file).
    pub fn error(&mut self, at: Option<usize>, key: &str, message: impl Into<String>) {
        if self.diagnostics.len() >= MAX_DIAGNOSTICS {
            self.dropped += 1;
            return;
        }
        let (line, column) = match at {
            Some(at) => {
                let (l, c) = line_col(self.src, at);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        self.diagnostics.push(Diagnostic {
            file: self.file.to_string(),
            argument: None,
            line,
            column,
            key: shown_within(key, MAX_KEY_CHARS),
            message: message.into(),
        });
    }

    /// Whether further problems are only counted: callers with many (one per unknown
    /// key) then call `count_one` instead of composing messages no one will see.
    pub fn full(&self) -> bool {
        self.diagnostics.len() >= MAX_DIAGNOSTICS
    }

    pub fn count_one(&mut self) {
        self.dropped += 1;
    }

    pub fn has_errors(&self) -> bool {
        !self.diagnostics.is_empty()
    }
}

/// 1-based line and column (in characters) of byte offset `at`.
pub fn line_col(src: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(src.len());
    while !src.is_char_boundary(at) {
        at -= 1;
    }
    let before = &src[..at];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The closest of `candidates` to `word`, if close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let len = word.chars().count();
    let limit = (len / 3).clamp(1, 3);
    candidates
        .iter()
        // The distance is at least the difference in length: skipping those keeps a
        // 5 MB key from costing a 5 MB by N table.
        .filter(|c| c.chars().count().abs_diff(len) <= limit)
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_are_one_based() {
        let src = "a = 1\nbb = 2\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 6), (2, 1));
        assert_eq!(line_col(src, 11), (2, 6));
    }

    #[test]
    fn suggests_close_keys_only() {
        let keys = ["reference_date", "horizon", "report_dates", "paths", "seed"];
        assert_eq!(did_you_mean("refrence_date", &keys), Some("reference_date"));
        assert_eq!(did_you_mean("seeed", &keys), Some("seed"));
        assert_eq!(did_you_mean("pahts", &keys), Some("paths"));
        assert_eq!(did_you_mean("colour", &keys), None);
        assert_eq!(did_you_mean(&"x".repeat(1_000_000), &keys), None);
    }

    #[test]
    fn shown_text_is_cut_and_escaped() {
        assert_eq!(shown("seed"), "seed");
        let long = "k".repeat(10_000);
        assert_eq!(shown(&long), format!("{}…", "k".repeat(MAX_SHOWN_CHARS)));
        assert_eq!(
            shown("a\u{1b}[31mb\n\u{0}\u{202e}"),
            "a\\u{1b}[31mb\\n\\u{0}\\u{202e}"
        );
        assert_eq!(shown("café"), "café");
    }

    #[test]
    fn diagnostics_beyond_the_cap_are_counted_not_kept() {
        let mut sink = Sink::new("f.toml", "a = 1\n");
        for _ in 0..MAX_DIAGNOSTICS + 5 {
            sink.error(Some(0), "a", "bad");
        }
        sink.error(Some(0), &"k".repeat(500), "bad");
        let e = sink.into_error();
        assert_eq!(e.diagnostics.len(), MAX_DIAGNOSTICS + 1);
        assert!(e.diagnostics[MAX_DIAGNOSTICS]
            .message
            .starts_with("6 more problems"));
    }
}
