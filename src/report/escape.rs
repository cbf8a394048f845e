//! One escaping helper per output kind, so that a name holding control characters (say
//! `x\u{1b}[2J`) can neither drive the reader's terminal nor make a figure invalid XML.
//! JSON needs little: serde writes C0 controls as `\u00XX` already, [`json`] the rest.
//! Public so that the command line's own messages (which print scenario names) can use
//! [`terminal`] too.

use std::borrow::Cow;

/// Characters that must not reach a terminal raw: every control character (C0, DEL, C1)
/// and the bidirectional overrides and isolates, which reorder what the reader sees.
fn unsafe_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with each unsafe character as `\xNN` (control characters are all below U+0100)
/// or `\u{NNNN}` (the bidirectional controls), for the table and the CSV.
fn visible(s: &str) -> Cow<'_, str> {
    if !s.contains(unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !unsafe_char(c) {
            out.push(c);
        } else if (c as u32) < 0x100 {
            out.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    Cow::Owned(out)
}

/// Text for the terminal table.
pub fn terminal(s: &str) -> Cow<'_, str> {
    visible(s)
}

/// One CSV field: unsafe characters as `\xNN` first (a CSV is often printed to the
/// terminal, and one row stays one line), then quoted as RFC 4180 says when it holds a
/// comma or a quote.
pub fn csv_field(s: &str) -> Cow<'_, str> {
    let v = visible(s);
    if v.contains([',', '"']) {
        Cow::Owned(format!("\"{}\"", v.replace('"', "\"\"")))
    } else {
        v
    }
}

/// Serialized JSON with the unsafe characters serde leaves raw (DEL, the C1 controls,
/// which some terminals obey, and the bidirectional controls) written as `\u00XX`.
/// They can only occur inside strings (JSON's own syntax is ASCII), where the escape
/// means the same character, so nothing a reader parses changes.
pub fn json(text: &str) -> Cow<'_, str> {
    if !text.contains(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) && !matches!(c, '\n' | '\r' | '\t' | ' ') {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The text a figure shows for `s`: unsafe characters as `\u{NN}`, since XML 1.0 forbids
/// most control characters even as character references. Text widths are measured on
/// this form; [`xml`] then escapes the markup.
pub fn svg_visible(s: &str) -> Cow<'_, str> {
    if !s.contains(unsafe_char) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| {
                if unsafe_char(c) {
                    format!("\\u{{{:x}}}", c as u32)
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// `s` as XML character data or a quoted attribute value: visible control characters
/// (as [`svg_visible`]) and the five markup characters as entities.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in svg_visible(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // U+FFFE and U+FFFF are not XML characters either.
            '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_shows_control_characters_as_escapes() {
        assert_eq!(terminal("x\u{1b}[2J"), "x\\x1b[2J");
        assert_eq!(terminal("a\tb\nc\u{7f}\u{9b}"), "a\\x09b\\x0ac\\x7f\\x9b");
        assert_eq!(terminal("evil\u{202e}txt"), "evil\\u{202e}txt");
        assert!(matches!(terminal("status-quo"), Cow::Borrowed(_)));
        assert_eq!(terminal("café – ok"), "café – ok");
    }

    #[test]
    fn csv_escapes_then_quotes() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        // A newline no longer splits the row: it is shown, so no quoting is needed.
        assert_eq!(csv_field("x\u{1b}[2J\n"), "x\\x1b[2J\\x0a");
        assert_eq!(csv_field("x\u{1b},y"), "\"x\\x1b,y\"");
    }

    #[test]
    fn json_escapes_what_serde_leaves_raw() {
        let text = serde_json::to_string(&"a\u{1b}b\u{9b}c\u{7f}\u{202e}").unwrap();
        let safe = json(&text);
        assert_eq!(safe, r#""a\u001bb\u009bc\u007f\u202e""#);
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, "a\u{1b}b\u{9b}c\u{7f}\u{202e}");
        // The layout's own newlines and indentation stay.
        assert_eq!(json("{\n  \"a\": 1\n}"), "{\n  \"a\": 1\n}");
    }

    #[test]
    fn xml_is_well_formed_and_visible() {
        let s = xml("x\u{1b}[2J <b> & \"q\" 'a' \u{0}\u{ffff}");
        assert_eq!(
            s,
            "x\\u{1b}[2J &lt;b&gt; &amp; &quot;q&quot; &apos;a&apos; \\u{0}\u{fffd}"
        );
        // It parses as an attribute and as text, and reads back as shown.
        let doc = format!("<t a=\"{s}\">{s}</t>");
        let parsed = roxmltree::Document::parse(&doc).expect("well-formed");
        let t = parsed.root_element();
        assert_eq!(t.text(), Some("x\\u{1b}[2J <b> & \"q\" 'a' \\u{0}\u{fffd}"));
        assert_eq!(t.attribute("a"), t.text());
    }
}
