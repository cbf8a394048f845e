//! The page of a figure, laid out from the top down: title, subtitle, legend, then the
//! plot, its axes and the notes below. Every text goes through [`Page::text`], placed
//! with the same box estimate the layout test checks, so nothing is drawn past the edge
//! or over other text. The page grows downwards as blocks are added; its height is
//! fixed when it is finished.

use super::super::escape::xml;
use super::text::{text_box, text_width, wrap, Anchor, Rect};
use super::ticks::{date_ticks, value_ticks, TICK_SIZE};
use crate::date::Date;
use std::fmt::Write;

/// Page width.
pub const W: f64 = 880.0;
/// Distance from the page edge to text.
pub const MARGIN: f64 = 18.0;
/// The plot's left and right edges: room for value labels on the left.
pub const LEFT: f64 = 96.0;
pub const RIGHT: f64 = W - 36.0;
/// Height of the plotting area, the same in every figure.
const PLOT_H: f64 = 340.0;

/// How one text is drawn.
#[derive(Clone, Copy)]
pub struct Style {
    pub class: &'static str,
    pub size: f64,
    pub bold: bool,
    pub anchor: Anchor,
    pub fill: &'static str,
    /// A white outline under the glyphs, for labels that may sit on a band.
    pub halo: bool,
}

impl Style {
    pub const fn plain(class: &'static str, size: f64, fill: &'static str) -> Style {
        Style {
            class,
            size,
            bold: false,
            anchor: Anchor::Start,
            fill,
            halo: false,
        }
    }

    pub const fn anchored(self, anchor: Anchor) -> Style {
        Style { anchor, ..self }
    }

    pub const fn with_halo(self) -> Style {
        Style { halo: true, ..self }
    }
}

const TITLE: Style = Style {
    class: "title",
    size: 17.0,
    bold: true,
    anchor: Anchor::Start,
    fill: "#111",
    halo: false,
};
const SUBTITLE: Style = Style::plain("subtitle", 12.0, "#444");
const NOTE: Style = Style::plain("note", 11.0, "#666");
const LEGEND: Style = Style::plain("legend-label", 12.0, "#222");

/// One legend entry: its label and the attributes of its swatch (`fill="#..."` and
/// maybe an opacity).
pub struct Key {
    pub label: String,
    pub swatch: String,
}

/// A plotting frame: data ranges mapped to the plot's box.
pub struct Frame {
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
    pub top: f64,
    pub bottom: f64,
}

impl Frame {
    pub fn x(&self, v: f64) -> f64 {
        LEFT + (v - self.x0) / (self.x1 - self.x0).max(1e-9) * (RIGHT - LEFT)
    }
    pub fn y(&self, v: f64) -> f64 {
        self.bottom - (v - self.y0) / (self.y1 - self.y0).max(1e-9) * (self.bottom - self.top)
    }
    /// The frame's x range shifted by `offset` days (a scenario with a later reference
    /// date).
    pub fn shifted(&self, offset: f64) -> Frame {
        Frame {
            x0: self.x0 - offset,
            x1: self.x1 - offset,
            ..*self
        }
    }
}

pub struct Page {
    pub body: String,
    /// The lowest point used so far.
    pub y: f64,
}

impl Page {
    pub fn new() -> Page {
        Page {
            body: String::new(),
            y: MARGIN - 4.0,
        }
    }

    /// Draws `s` with its baseline at (`x`, `y`) and returns its box.
    pub fn text(&mut self, x: f64, y: f64, st: Style, s: &str) -> Rect {
        let weight = if st.bold {
            r#" font-weight="bold""#
        } else {
            ""
        };
        let halo = if st.halo {
            r#" stroke="white" stroke-width="3" stroke-linejoin="round" paint-order="stroke""#
        } else {
            ""
        };
        let _ = writeln!(
            self.body,
            r#"<text class="{}" x="{x:.1}" y="{y:.1}" font-size="{}"{weight}{halo} text-anchor="{}" fill="{}">{}</text>"#,
            st.class,
            st.size,
            st.anchor.as_str(),
            st.fill,
            xml(s)
        );
        text_box(x, y, st.size, st.bold, st.anchor, s)
    }

    /// Lines of `s` wrapped to the page's width, below what is there.
    fn lines(&mut self, st: Style, s: &str, max_lines: usize) {
        for line in wrap(s, st.size, st.bold, W - 2.0 * MARGIN, max_lines) {
            self.y += st.size * 1.3;
            let y = self.y;
            self.text(MARGIN, y, st, &line);
        }
        self.y += st.size * 0.3;
    }

    /// The title: one line at full size if it fits, else up to two smaller lines, cut
    /// with an ellipsis past that. Continuation lines have class `title-cont`.
    pub fn title(&mut self, s: &str) {
        let width = W - 2.0 * MARGIN;
        let (st, lines) = if text_width(s, TITLE.size, true) <= width {
            (TITLE, vec![s.to_string()])
        } else {
            let st = Style {
                size: 15.0,
                ..TITLE
            };
            (st, wrap(s, st.size, true, width, 2))
        };
        for (i, line) in lines.iter().enumerate() {
            self.y += st.size * 1.25;
            let class = if i == 0 { "title" } else { "title-cont" };
            let y = self.y;
            self.text(MARGIN, y, Style { class, ..st }, line);
        }
        self.y += 4.0;
    }

    pub fn subtitle(&mut self, s: &str) {
        self.lines(SUBTITLE, s, 3);
    }

    /// A line of information under the subtitle, in darker type.
    pub fn info(&mut self, class: &'static str, s: &str) {
        let st = Style {
            class,
            fill: "#222",
            ..SUBTITLE
        };
        self.lines(st, s, 2);
    }

    /// A legend in rows above the plot, outside it, so that no curve runs through it.
    pub fn legend(&mut self, keys: &[Key]) {
        let (swatch, gap) = (22.0, 22.0);
        let mut x = LEFT;
        self.y += 6.0;
        let mut row_y = self.y + 12.0;
        for k in keys {
            let label_w = text_width(&k.label, LEGEND.size, false).min(RIGHT - LEFT - 30.0);
            let need = swatch + 6.0 + label_w;
            if x > LEFT && x + need > RIGHT {
                x = LEFT;
                row_y += 18.0;
            }
            let _ = write!(
                self.body,
                r#"<g class="legend"><rect x="{x:.1}" y="{:.1}" width="{swatch}" height="10" {}/>"#,
                row_y - 9.5,
                k.swatch
            );
            let label = super::text::ellipsize(&k.label, LEGEND.size, false, label_w, false);
            self.text(x + swatch + 6.0, row_y, LEGEND, &label);
            self.body.push_str("</g>\n");
            x += need + gap;
        }
        self.y = row_y + 4.0;
    }

    /// Leaves `h` units of room (for labels placed by the caller) and returns where it
    /// starts.
    pub fn reserve(&mut self, h: f64) -> f64 {
        let top = self.y;
        self.y += h;
        top
    }

    /// The plotting area below what is there: a frame for the given data ranges.
    pub fn plot(&mut self, x: (f64, f64), y: (f64, f64)) -> Frame {
        let top = self.y + 14.0;
        let bottom = top + PLOT_H;
        self.y = bottom;
        let _ = writeln!(
            self.body,
            r#"<clipPath id="plot-area"><rect x="{LEFT}" y="{top:.1}" width="{:.1}" height="{PLOT_H}"/></clipPath>"#,
            RIGHT - LEFT
        );
        Frame {
            x0: x.0,
            x1: x.1,
            y0: y.0,
            y1: y.1,
            top,
            bottom,
        }
    }

    /// Axes with date ticks (x in days after `reference`) and value ticks, with labels.
    pub fn axes(
        &mut self,
        f: &Frame,
        reference: Date,
        y_label: &str,
        y_fmt: &dyn Fn(f64) -> String,
    ) {
        let (l, r, t, b) = (LEFT, RIGHT, f.top, f.bottom);
        let _ = writeln!(
            self.body,
            r##"<g class="axes" stroke="#333" fill="none"><line x1="{l}" y1="{b:.1}" x2="{r}" y2="{b:.1}"/><line x1="{l}" y1="{t:.1}" x2="{l}" y2="{b:.1}"/></g>"##
        );
        let value = Style::plain("tick", 12.0, "#333").anchored(Anchor::End);
        for v in value_ticks(f.y0, f.y1) {
            let y = f.y(v);
            let _ = writeln!(
                self.body,
                r##"<line class="grid" x1="{l}" y1="{y:.1}" x2="{r}" y2="{y:.1}" stroke="#e4e4e4"/>"##
            );
            self.text(l - 6.0, y + 4.0, value, &y_fmt(v));
        }
        let date = Style::plain("tick", TICK_SIZE, "#333").anchored(Anchor::Middle);
        for tick in date_ticks(reference, f.x0, f.x1, r - l) {
            let x = f.x(tick.date.days_since(reference) as f64);
            let _ = writeln!(
                self.body,
                r##"<line class="tick" x1="{x:.1}" y1="{b:.1}" x2="{x:.1}" y2="{:.1}" stroke="#333"/>"##,
                b + 5.0
            );
            self.text(x, b + 19.0, date, &tick.label);
        }
        let xlabel = Style::plain("xlabel", 12.0, "#333").anchored(Anchor::Middle);
        self.text((l + r) / 2.0, b + 38.0, xlabel, "date");
        self.y = b + 44.0;
        let (cx, cy) = (MARGIN + 2.0, (t + b) / 2.0);
        let _ = writeln!(
            self.body,
            r##"<text class="ylabel" x="{cx}" y="{cy:.1}" transform="rotate(-90 {cx} {cy:.1})" font-size="12" text-anchor="middle" fill="#333">{}</text>"##,
            xml(y_label)
        );
    }

    /// Notes under the axes, in small grey type, wrapped to the page.
    pub fn note(&mut self, s: &str) {
        self.lines(NOTE, s, 3);
    }

    /// The finished SVG document.
    pub fn finish(self) -> String {
        let h = (self.y + MARGIN).ceil();
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{h}\" viewBox=\"0 0 {W} {h}\" font-family=\"Helvetica, Arial, 'Liberation Sans', sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n{}</svg>\n",
            self.body
        )
    }
}
