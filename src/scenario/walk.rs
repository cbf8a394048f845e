//! Typed reads from a parsed TOML tree that report, rather than stop at, every problem.
//!
//! Each read takes the key path of the value for messages and returns `None` after
//! recording a diagnostic, so the loader can go on and find the next problem too.

use super::diag::{did_you_mean, shown, Sink};
use super::keys::{names, Key};
use crate::date::Date;
use std::cell::Cell;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

pub type Node<'i> = Spanned<DeValue<'i>>;

/// `parent.key`, or `key` at the top.
pub fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// What a TOML value is, in words for messages.
pub fn kind(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// Which of two alternative keys a table gives (`Table::either`).
pub enum Either<'a, 'i> {
    Neither,
    First(&'a Node<'i>),
    Second(&'a Node<'i>),
}

#[cfg(test)]
thread_local! {
    /// The keys the loader read on this thread, each with its spec's names: a test checks
    /// that every key in keys.rs is read (a key defined but never read would be accepted
    /// and ignored).
    pub static READ: std::cell::RefCell<Vec<(String, String)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A table being read: reports keys it does not know, with a did-you-mean.
pub struct Table<'a, 'i> {
    pub path: String,
    pub at: usize,
    pub map: &'a DeTable<'i>,
    /// The keys it may have, once `only` has checked them; in debug builds every key the
    /// loader reads must be one, so a name spelled in a read is checked against keys.rs.
    pub spec: Cell<Option<&'static [Key]>>,
}

impl<'a, 'i> Table<'a, 'i> {
    /// Reads `node` as a table, or records that it is not one.
    pub fn of(sink: &mut Sink, path: &str, node: &'a Node<'i>) -> Option<Self> {
        match node.get_ref() {
            DeValue::Table(map) => Some(Table {
                path: path.to_string(),
                at: node.span().start,
                map,
                spec: Cell::new(None),
            }),
            other => {
                sink.error(
                    Some(node.span().start),
                    path,
                    format!("expected a table, found {}", kind(other)),
                );
                None
            }
        }
    }

    /// Records every key not in `spec` (keys.rs).
    pub fn only(&self, sink: &mut Sink, spec: &'static [Key]) {
        self.spec.set(Some(spec));
        let known = names(spec);
        let known = known.as_slice();
        for (k, _) in self.map.iter() {
            let key: &str = k.get_ref();
            if known.contains(&key) {
                continue;
            }
            if sink.full() {
                sink.count_one();
                continue;
            }
            let hint = match did_you_mean(key, known) {
                Some(s) => format!("; did you mean '{s}'?"),
                None => format!("; expected one of: {}", known.join(", ")),
            };
            sink.error(
                Some(k.span().start),
                &join(&self.path, key),
                format!("unknown key '{}'{hint}", shown(key)),
            );
        }
    }

    pub fn get(&self, key: &str) -> Option<&'a Node<'i>> {
        self.specified(key);
        self.map.get(key)
    }

    /// Panics, in debug builds, if the loader reads a key its spec does not define.
    fn specified(&self, key: &str) {
        #[cfg(test)]
        if let Some(spec) = self.spec.get() {
            READ.with(|r| {
                r.borrow_mut()
                    .push((names(spec).join(" "), key.to_string()))
            });
        }
        debug_assert!(
            self.spec
                .get()
                .is_none_or(|spec| spec.iter().any(|k| k.name == key)),
            "the loader reads '{key}' in '{}', which keys.rs does not define there",
            self.path
        );
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn key_path(&self, key: &str) -> String {
        join(&self.path, key)
    }

    /// Records that a required key is missing.
    pub fn missing(&self, sink: &mut Sink, key: &str, what: &str) {
        self.specified(key);
        sink.error(
            Some(self.at),
            &self.key_path(key),
            format!("missing; {what}"),
        );
    }

    /// Two alternative keys: which one is given, or neither. Both given is an error at
    /// the second, saying `both`, and gives `None`.
    pub fn either(&self, sink: &mut Sink, a: &str, b: &str, both: &str) -> Option<Either<'a, 'i>> {
        match (self.get(a), self.get(b)) {
            (Some(_), Some(v)) => {
                sink.error(Some(v.span().start), &self.key_path(b), both);
                None
            }
            (None, None) => Some(Either::Neither),
            (Some(v), None) => Some(Either::First(v)),
            (None, Some(v)) => Some(Either::Second(v)),
        }
    }

    pub fn required(&self, sink: &mut Sink, key: &str, what: &str) -> Option<&'a Node<'i>> {
        let v = self.get(key);
        if v.is_none() {
            self.missing(sink, key, what);
        }
        v
    }

    pub fn string(&self, sink: &mut Sink, key: &str) -> Option<String> {
        self.get(key)
            .and_then(|v| string(sink, &self.key_path(key), v))
    }

    pub fn number(&self, sink: &mut Sink, key: &str) -> Option<f64> {
        self.get(key)
            .and_then(|v| number(sink, &self.key_path(key), v))
    }

    pub fn date(&self, sink: &mut Sink, key: &str) -> Option<Date> {
        self.get(key)
            .and_then(|v| date(sink, &self.key_path(key), v))
    }

    /// Each entry in order, with its key path; the value's own place is its span.
    pub fn entries(
        &self,
    ) -> impl Iterator<Item = (&'a Spanned<std::borrow::Cow<'i, str>>, &'a Node<'i>)> {
        self.map.iter()
    }
}

pub fn string(sink: &mut Sink, path: &str, v: &Node<'_>) -> Option<String> {
    match v.get_ref() {
        DeValue::String(s) => Some(s.to_string()),
        other => {
            sink.error(
                Some(v.span().start),
                path,
                format!("expected a string, found {}", kind(other)),
            );
            None
        }
    }
}

/// A finite number, integer or float. NaN and infinities are refused here, once.
pub fn number(sink: &mut Sink, path: &str, v: &Node<'_>) -> Option<f64> {
    let at = Some(v.span().start);
    let x = match v.get_ref() {
        DeValue::Integer(i) => match i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
            Ok(n) => n as f64,
            Err(_) => {
                sink.error(
                    at,
                    path,
                    format!("{} is not a 64-bit integer", shown(&i.to_string())),
                );
                return None;
            }
        },
        DeValue::Float(f) => match f.as_str().replace('_', "").parse::<f64>() {
            Ok(x) => x,
            Err(_) => {
                sink.error(at, path, format!("{} is not a number", shown(f.as_str())));
                return None;
            }
        },
        other => {
            sink.error(
                at,
                path,
                format!("expected a number, found {}", kind(other)),
            );
            return None;
        }
    };
    if !x.is_finite() {
        sink.error(
            at,
            path,
            format!("must be a finite number, not {}", shown(&v.get_ref_text())),
        );
        return None;
    }
    Some(x)
}

/// A non-negative whole number.
pub fn count(sink: &mut Sink, path: &str, v: &Node<'_>) -> Option<u64> {
    let at = Some(v.span().start);
    match v.get_ref() {
        DeValue::Integer(i) => match u64::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
            Ok(n) => Some(n),
            Err(_) => {
                let text = shown(&i.to_string());
                let msg = if i.as_str().starts_with('-') {
                    format!("{text} is negative; expected a whole number, 0 or more")
                } else {
                    format!("{text} is too large")
                };
                sink.error(at, path, msg);
                None
            }
        },
        other => {
            sink.error(
                at,
                path,
                format!("expected a whole number, found {}", kind(other)),
            );
            None
        }
    }
}

/// A calendar date: a TOML local date (`2026-03-31`) or a string holding one.
pub fn date(sink: &mut Sink, path: &str, v: &Node<'_>) -> Option<Date> {
    let at = Some(v.span().start);
    match v.get_ref() {
        DeValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => {
                match Date::from_ymd(d.year as i32, d.month as u32, d.day as u32) {
                    Ok(d) => Some(d),
                    Err(e) => {
                        sink.error(at, path, format!("not a real date: {e}"));
                        None
                    }
                }
            }
            _ => {
                sink.error(
                    at,
                    path,
                    format!("expected a date like 2026-03-31, found the date-time {}; drop the time of day", shown(&dt.to_string())),
                );
                None
            }
        },
        DeValue::String(s) => match Date::parse_iso(s) {
            Ok(d) => Some(d),
            Err(e) => {
                // The parser's message quotes the text whole; quote it cut and escaped.
                let e = e.replace(&format!("'{s}'"), &format!("'{}'", shown(s)));
                sink.error(at, path, e);
                None
            }
        },
        other => {
            sink.error(
                at,
                path,
                format!("expected a date like 2026-03-31, found {}", kind(other)),
            );
            None
        }
    }
}

/// Items of an array, or a diagnostic.
pub fn array<'a, 'i>(sink: &mut Sink, path: &str, v: &'a Node<'i>) -> Option<&'a [Node<'i>]> {
    match v.get_ref() {
        DeValue::Array(a) => Some(a),
        other => {
            sink.error(
                Some(v.span().start),
                path,
                format!("expected an array, found {}", kind(other)),
            );
            None
        }
    }
}

trait RawText {
    fn get_ref_text(&self) -> String;
}

impl RawText for Node<'_> {
    fn get_ref_text(&self) -> String {
        match self.get_ref() {
            DeValue::Float(f) => f.as_str().to_string(),
            DeValue::Integer(i) => i.to_string(),
            other => kind(other).to_string(),
        }
    }
}
