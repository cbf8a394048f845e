//! Text measurement: the one estimate of a text's box that the figures use to place
//! titles, legends and labels, and that the layout test uses to check the SVG they
//! produce. The figures name no font file, so widths are estimated from Helvetica's
//! advance widths (Arial and Liberation Sans share them) and then widened by
//! [`SLACK`], so that text still fits when a viewer falls back to a wider sans-serif
//! such as DejaVu Sans.

use super::super::escape::svg_visible;

/// A box on the page, in SVG user units (y grows downwards).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    /// True when the two boxes share some area (touching edges do not count).
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    /// True when `self` lies within `o`.
    pub fn inside(&self, o: &Rect) -> bool {
        self.x0 >= o.x0 && self.x1 <= o.x1 && self.y0 >= o.y0 && self.y1 <= o.y1
    }

    /// This box turned a quarter turn anticlockwise about (`cx`, `cy`), as SVG's
    /// `rotate(-90 cx cy)` turns text.
    pub fn rotated_left(&self, cx: f64, cy: f64) -> Rect {
        // (x, y) -> (cx + (y - cy), cy - (x - cx))
        Rect {
            x0: cx + (self.y0 - cy),
            x1: cx + (self.y1 - cy),
            y0: cy - (self.x1 - cx),
            y1: cy - (self.x0 - cx),
        }
    }
}

/// How a text's `x` relates to its box, as SVG's `text-anchor`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    pub fn parse(s: &str) -> Option<Anchor> {
        match s {
            "start" => Some(Anchor::Start),
            "middle" => Some(Anchor::Middle),
            "end" => Some(Anchor::End),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// Widening over Helvetica's widths: DejaVu Sans, the usual fallback on Linux, sets
/// digits and lower case about 12% wider.
pub const SLACK: f64 = 1.14;
/// Extent of a line above and below its baseline, in ems (ascenders and descenders).
const ASCENT: f64 = 0.80;
const DESCENT: f64 = 0.24;

/// Helvetica's advance width of `c`, in thousandths of an em.
fn advance(c: char) -> f64 {
    let w = match c {
        ' ' | '!' | ',' | '.' | '/' | ':' | ';' | '[' | '\\' | ']' | 'I' | 'f' | 't' => 278,
        'i' | 'j' | 'l' => 222,
        '\'' => 191,
        '|' => 260,
        '"' => 355,
        '(' | ')' | '-' | '`' | 'r' => 333,
        '{' | '}' => 334,
        '*' => 389,
        '^' => 469,
        '+' | '<' | '=' | '>' | '~' => 584,
        '%' => 889,
        '@' => 1015,
        '0'..='9' | '#' | '$' | '?' | '_' => 556,
        'J' | 'c' | 'k' | 's' | 'v' | 'x' | 'y' | 'z' => 500,
        'L' => 556,
        'F' | 'T' | 'Z' => 611,
        'A' | 'B' | 'E' | 'K' | 'P' | 'S' | 'V' | 'X' | 'Y' | '&' => 667,
        'C' | 'D' | 'H' | 'N' | 'R' | 'U' | 'w' => 722,
        'G' | 'O' | 'Q' => 778,
        'M' | 'm' => 833,
        'W' => 944,
        'a'..='z' => 556,
        // Wide scripts (CJK, Hangul, full-width forms) and emoji take a whole em.
        '\u{1100}'..='\u{115f}'
        | '\u{2e80}'..='\u{a4cf}'
        | '\u{ac00}'..='\u{d7a3}'
        | '\u{f900}'..='\u{faff}'
        | '\u{fe30}'..='\u{fe4f}'
        | '\u{ff00}'..='\u{ff60}'
        | '\u{ffe0}'..='\u{ffe6}'
        | '\u{1f300}'..='\u{1faff}'
        | '\u{20000}'..='\u{3fffd}' => 1000,
        // Combining marks take no room of their own.
        '\u{300}'..='\u{36f}' => 0,
        // Other letters (Cyrillic, Greek, accented Latin): as a wide lower-case letter.
        _ => 640,
    };
    w as f64 / 1000.0
}

/// Estimated width of `text` as shown (control characters in their visible form) at
/// `size` user units.
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let ems: f64 = svg_visible(text).chars().map(advance).sum();
    // Helvetica Bold is about 7% wider than the regular face.
    ems * size * SLACK * if bold { 1.07 } else { 1.0 }
}

/// The box of one line of `text` drawn at (`x`, `y`) (the baseline) with `text-anchor`
/// `anchor`.
pub fn text_box(x: f64, y: f64, size: f64, bold: bool, anchor: Anchor, text: &str) -> Rect {
    let w = text_width(text, size, bold);
    let x0 = match anchor {
        Anchor::Start => x,
        Anchor::Middle => x - w / 2.0,
        Anchor::End => x - w,
    };
    Rect {
        x0,
        x1: x0 + w,
        y0: y - ASCENT * size,
        y1: y + DESCENT * size,
    }
}

/// `text` broken at spaces into at most `max_lines` lines no wider than `width`; a
/// word wider than a line is cut, and text that does not fit in `max_lines` lines ends
/// with an ellipsis on the last one.
pub fn wrap(text: &str, size: f64, bold: bool, width: f64, max_lines: usize) -> Vec<String> {
    let fits = |s: &str| text_width(s, size, bold) <= width;
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let joined = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if fits(&joined) {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if lines.len() == max_lines {
            // No room for this word: the last line says that text was left out.
            let last = lines.pop().unwrap_or_default();
            lines.push(ellipsize(
                &format!("{last} {word}"),
                size,
                bold,
                width,
                true,
            ));
            return lines;
        }
        // A word wider than a whole line is cut.
        line = ellipsize(word, size, bold, width, false);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// `text` cut to fit `width` with a trailing ellipsis; `always` adds the ellipsis even
/// when the text fits (because something after it was dropped).
pub fn ellipsize(text: &str, size: f64, bold: bool, width: f64, always: bool) -> String {
    if !always && text_width(text, size, bold) <= width {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    loop {
        let s: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
        if text_width(&s, size, bold) <= width || chars.is_empty() {
            return s;
        }
        chars.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_follow_the_anchor_and_the_size() {
        let a = text_box(100.0, 50.0, 12.0, false, Anchor::Start, "2026-01");
        let m = text_box(100.0, 50.0, 12.0, false, Anchor::Middle, "2026-01");
        let e = text_box(100.0, 50.0, 12.0, false, Anchor::End, "2026-01");
        assert_eq!(a.x0, 100.0);
        assert!((m.x0 + m.x1 - 200.0).abs() < 1e-9);
        assert_eq!(e.x1, 100.0);
        // Six digits and a hyphen in Helvetica: 3.669 em, widened.
        assert!((a.x1 - a.x0 - 3.669 * 12.0 * SLACK).abs() < 1e-9);
        assert!(a.y0 < 50.0 && a.y1 > 50.0);
        let big = text_box(0.0, 0.0, 24.0, true, Anchor::Start, "2026-01");
        assert!(big.x1 > 2.0 * a.x1 - 200.0);
        // Control characters are measured as the figure shows them.
        assert!(text_width("x\u{1b}", 12.0, false) > text_width("x\\u{1b}", 12.0, false) - 1e-9);
    }

    #[test]
    fn rotation_swaps_the_sides() {
        let r = text_box(18.0, 200.0, 12.0, false, Anchor::Middle, "cumulative");
        let t = r.rotated_left(18.0, 200.0);
        assert!((t.x1 - t.x0 - (r.y1 - r.y0)).abs() < 1e-9);
        assert!((t.y1 - t.y0 - (r.x1 - r.x0)).abs() < 1e-9);
        assert!(t.x1 <= 18.0 + r.y1 - 200.0 + 1e-9);
    }

    #[test]
    fn wrapping_fits_the_width_and_marks_what_it_drops() {
        let text = "When is 2M combined casualties crossed? Status quo at the war-long average pace (CSIS ranges)";
        let one = wrap(text, 17.0, true, 10_000.0, 2);
        assert_eq!(one, vec![text.to_string()]);
        let two = wrap(text, 17.0, true, 500.0, 2);
        assert_eq!(two.len(), 2);
        assert_eq!(two.join(" "), text);
        assert!(two.iter().all(|l| text_width(l, 17.0, true) <= 500.0));
        let cut = wrap(text, 17.0, true, 300.0, 2);
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…'), "{cut:?}");
        assert!(cut.iter().all(|l| text_width(l, 17.0, true) <= 300.0));
        let long = "x".repeat(400);
        let w = wrap(&long, 12.0, false, 200.0, 3);
        assert_eq!(w.len(), 1);
        assert!(w[0].ends_with('…') && text_width(&w[0], 12.0, false) <= 200.0);
        let words = format!("{long} {long} {long} {long}");
        let w = wrap(&words, 12.0, false, 200.0, 2);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w.iter().all(|l| text_width(l, 12.0, false) <= 200.0));
        assert!(w[1].ends_with('…'));
        assert_eq!(wrap("", 12.0, false, 100.0, 2), vec![String::new()]);
    }
}
