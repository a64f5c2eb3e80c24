//! The three poster layouts, one function each, drawn on a `Frame`: the canvas, the two fonts,
//! the poster's geometry (`u` is 1 % of its shorter side) and the style's palette.

use ab_glyph::FontRef;

use super::Palette;
use super::canvas::{Canvas, LEADING, Rgb, fit, fit_box, lines_at, width_of};
use crate::domain::poster::PosterText;
use crate::ports::PosterSpec;

pub(super) struct Frame<'f> {
    pub(super) c: Canvas,
    pub(super) regular: FontRef<'f>,
    pub(super) bold: FontRef<'f>,
    pub(super) w: f32,
    pub(super) h: f32,
    pub(super) u: f32,
    pub(super) margin: f32,
    pub(super) inner: f32,
    pub(super) p: Palette,
}

/// How a block of text is set: which font, how large, what colour, centred or from the left.
#[derive(Clone, Copy)]
struct Pen {
    bold: bool,
    size: f32,
    colour: Rgb,
    centred: bool,
}

impl<'f> Frame<'f> {
    pub(super) fn new(
        spec: &PosterSpec,
        p: Palette,
        regular: FontRef<'f>,
        bold: FontRef<'f>,
    ) -> Self {
        let (w, h) = (spec.width as f32, spec.height as f32);
        let u = w.min(h) / 100.0;
        let margin = 7.0 * u;
        Self {
            c: Canvas::new(spec.width, spec.height),
            regular,
            bold,
            w,
            h,
            u,
            margin,
            inner: w - 2.0 * margin,
            p,
        }
    }

    /// Sets `lines` in a column from `x`, `width` wide, starting at `top`; returns the next top.
    fn write(&mut self, pen: Pen, x: f32, width: f32, top: f32, lines: &[String]) -> f32 {
        let font = if pen.bold { &self.bold } else { &self.regular };
        lines_at(
            &mut self.c,
            font,
            pen.size,
            lines,
            x,
            width,
            top,
            pen.centred,
            pen.colour,
        )
    }

    fn line(&mut self, pen: Pen, x: f32, width: f32, top: f32, text: &str) -> f32 {
        self.write(pen, x, width, top, &[text.to_owned()])
    }

    /// `text` wrapped to at most `max_lines` lines of `width`, shrunk from `size` to `min`.
    fn fitted(
        &self,
        bold: bool,
        text: &str,
        width: f32,
        max_lines: usize,
        size: f32,
        min: f32,
    ) -> (f32, Vec<String>) {
        let font = if bold { &self.bold } else { &self.regular };
        fit(font, text, width, max_lines, size * self.u, min * self.u)
    }
}

fn pen(bold: bool, size: f32, colour: Rgb, centred: bool) -> Pen {
    Pen {
        bold,
        size,
        colour,
        centred,
    }
}

/// Saturated colour, large white type, the prize on a yellow plate, a white pill at the bottom.
pub(super) fn bold(f: &mut Frame, t: &PosterText) {
    let (u, w, h, m, inner) = (f.u, f.w, f.h, f.margin, f.inner);
    f.c.circle(w * 0.92, h * 0.08, 22.0 * u, [255, 255, 255], 0.12);
    f.c.circle(w * 0.05, h * 0.95, 30.0 * u, [0, 0, 0], 0.10);
    f.line(
        pen(true, 4.5 * u, f.p.body, false),
        m,
        inner,
        m,
        &t.shop_name,
    );
    let (size, title) = f.fitted(true, &t.title, inner, 3, 12.0, 6.0);
    let mut y = f.write(pen(true, size, f.p.title, true), m, inner, h * 0.22, &title);
    let (ps, prize) = f.fitted(true, &t.prize, inner - 6.0 * u, 2, 5.5, 3.5);
    let box_h = prize.len() as f32 * ps * 1.25 + 4.0 * u;
    y += 3.0 * u;
    f.c.rounded_rect(m, y, inner, box_h, 3.0 * u, f.p.accent, 1.0);
    f.write(
        pen(true, ps, f.p.on_accent, true),
        m,
        inner,
        y + 2.0 * u,
        &prize,
    );
    y += box_h + 3.0 * u;
    f.line(pen(false, 4.5 * u, f.p.body, true), m, inner, y, &t.period);
    let bh = 10.0 * u;
    let (bx, bw, by) = (m * 2.0, w - 4.0 * m, h - m - bh);
    f.c.rounded_rect(bx, by, bw, bh, bh / 2.0, [255, 255, 255], 1.0);
    let colour = f.p.background.1;
    f.line(
        pen(true, 4.5 * u, colour, true),
        bx,
        bw,
        by + 2.3 * u,
        &t.call_to_action,
    );
}

/// Pastel gradient, dark type from the left, soft circles, the call to action in a pill.
pub(super) fn soft(f: &mut Frame, t: &PosterText) {
    let (u, w, h, m, inner) = (f.u, f.w, f.h, f.margin, f.inner);
    f.c.circle(w * 0.85, h * 0.2, 28.0 * u, [255, 255, 255], 0.45);
    f.c.circle(w * 0.15, h * 0.8, 20.0 * u, [255, 255, 255], 0.35);
    f.c.circle(w * 0.7, h * 0.92, 12.0 * u, [255, 200, 205], 0.5);
    let (size, title) = f.fitted(true, &t.title, inner, 3, 10.0, 5.5);
    let mut y = f.line(
        pen(false, 4.5 * u, f.p.body, false),
        m,
        inner,
        m,
        &t.shop_name,
    );
    y = f.write(
        pen(true, size, f.p.title, false),
        m,
        inner,
        y + 6.0 * u,
        &title,
    );
    f.c.rounded_rect(m, y + 2.0 * u, 14.0 * u, 0.8 * u, 0.4 * u, f.p.title, 1.0);
    let (ps, prize) = f.fitted(false, &t.prize, inner, 3, 5.0, 3.5);
    y = f.write(
        pen(false, ps, f.p.body, false),
        m,
        inner,
        y + 6.0 * u,
        &prize,
    );
    f.line(
        pen(false, 4.0 * u, f.p.body, false),
        m,
        inner,
        y + 2.0 * u,
        &t.period,
    );
    let bh = 9.0 * u;
    let bw = (width_of(&f.bold, 4.2 * u, &t.call_to_action) + 10.0 * u).min(inner);
    let by = h - m - bh;
    f.c.rounded_rect(m, by, bw, bh, bh / 2.0, f.p.accent, 0.95);
    let cta = pen(true, 4.2 * u, f.p.on_accent, true);
    f.line(cta, m, bw, by + 2.2 * u, &t.call_to_action);
}

/// A dark band with the title over a light panel with the details, an accent bar at the bottom.
pub(super) fn split(f: &mut Frame, t: &PosterText) {
    let (u, w, h, m, inner) = (f.u, f.w, f.h, f.margin, f.inner);
    let band = h * 0.46;
    f.c.rounded_rect(0.0, 0.0, w, band, 0.0, [31, 42, 68], 1.0);
    f.c.rounded_rect(0.0, band - 1.2 * u, w * 0.45, 2.4 * u, 0.0, f.p.accent, 1.0);
    f.line(
        pen(false, 4.2 * u, [200, 210, 230], false),
        m,
        inner,
        m,
        &t.shop_name,
    );
    // The title sits at the bottom of the band, below the shop's name, and never leaves it.
    let top = m + 4.2 * u * LEADING + 2.0 * u;
    let room = band - 4.0 * u - top;
    let (size, title) = fit_box(&f.bold, &t.title, inner, room, 3, 11.0 * u, 5.0 * u);
    let block = title.len() as f32 * size * LEADING;
    let title_top = band - 4.0 * u - block;
    f.write(
        pen(true, size, f.p.title, false),
        m,
        inner,
        title_top,
        &title,
    );
    let (ps, prize) = f.fitted(true, &t.prize, inner, 2, 6.0, 3.8);
    let y = f.write(
        pen(true, ps, f.p.body, false),
        m,
        inner,
        band + 6.0 * u,
        &prize,
    );
    f.line(
        pen(false, 4.5 * u, f.p.body, false),
        m,
        inner,
        y + 2.0 * u,
        &t.period,
    );
    let by = h - m - 9.0 * u;
    f.c.rounded_rect(m, by, inner, 9.0 * u, 1.5 * u, f.p.accent, 1.0);
    let cta = pen(true, 4.5 * u, f.p.on_accent, true);
    f.line(cta, m, inner, by + 1.9 * u, &t.call_to_action);
}
