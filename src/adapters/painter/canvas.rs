//! The drawing primitives of the built-in painter: an RGBA canvas with anti-aliased shapes,
//! a background picture scaled to cover, and text set with `ab_glyph` (wrapping and
//! shrink-to-fit). No layout decisions here; those are in `super`.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};

use super::picture::Background;
use crate::ports::PainterError;

pub(super) type Rgb = [u8; 3];

pub(super) struct Canvas {
    pub(super) w: u32,
    pub(super) h: u32,
    pub(super) px: Vec<u8>,
}

impl Canvas {
    pub(super) fn new(w: u32, h: u32) -> Self {
        Self {
            w,
            h,
            px: vec![255; (w * h * 4) as usize],
        }
    }

    pub(super) fn blend(&mut self, x: i64, y: i64, c: Rgb, alpha: f32) {
        if x < 0 || y < 0 || x >= i64::from(self.w) || y >= i64::from(self.h) || alpha <= 0.0 {
            return;
        }
        let i = ((y as u64 * u64::from(self.w) + x as u64) * 4) as usize;
        let a = alpha.min(1.0);
        for (k, &target) in c.iter().enumerate() {
            let old = f32::from(self.px[i + k]);
            self.px[i + k] = (old + (f32::from(target) - old) * a).round() as u8;
        }
    }

    pub(super) fn vertical_gradient(&mut self, top: Rgb, bottom: Rgb) {
        for y in 0..self.h {
            let t = y as f32 / self.h.max(1) as f32;
            let c =
                [0, 1, 2].map(|k| (f32::from(top[k]) * (1.0 - t) + f32::from(bottom[k]) * t) as u8);
            let row = (y * self.w * 4) as usize;
            for x in 0..self.w as usize {
                self.px[row + x * 4..row + x * 4 + 3].copy_from_slice(&c);
            }
        }
    }

    #[allow(clippy::too_many_arguments)] // a drawing primitive: geometry, colour, opacity
    pub(super) fn rounded_rect(
        &mut self,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        r: f32,
        c: Rgb,
        alpha: f32,
    ) {
        let (x0, y0) = (x.max(0.0) as i64, y.max(0.0) as i64);
        let (x1, y1) = ((x + w).ceil() as i64, (y + h).ceil() as i64);
        for py in y0..y1 {
            for px in x0..x1 {
                let (fx, fy) = (px as f32 + 0.5, py as f32 + 0.5);
                let dx = (x + r - fx).max(fx - (x + w - r)).max(0.0);
                let dy = (y + r - fy).max(fy - (y + h - r)).max(0.0);
                // Inside the straight part (dx = dy = 0) a pixel is fully covered, whatever r is;
                // only the corners are anti-aliased.
                let coverage = if dx == 0.0 && dy == 0.0 {
                    1.0
                } else {
                    (r - (dx * dx + dy * dy).sqrt() + 0.5).clamp(0.0, 1.0)
                };
                self.blend(px, py, c, alpha * coverage);
            }
        }
    }

    pub(super) fn circle(&mut self, cx: f32, cy: f32, r: f32, c: Rgb, alpha: f32) {
        self.rounded_rect(cx - r, cy - r, 2.0 * r, 2.0 * r, r, c, alpha);
    }

    /// Draws one line with its left end at `x` and its baseline at `baseline`.
    pub(super) fn text(
        &mut self,
        font: &FontRef<'_>,
        size: f32,
        x: f32,
        baseline: f32,
        s: &str,
        c: Rgb,
    ) {
        let scaled = font.as_scaled(PxScale::from(size));
        let mut caret = x;
        let mut previous = None;
        for ch in s.chars() {
            let id = scaled.glyph_id(ch);
            if let Some(p) = previous {
                caret += scaled.kern(p, id);
            }
            let glyph = id.with_scale_and_position(size, ab_glyph::point(caret, baseline));
            caret += scaled.h_advance(id);
            previous = Some(id);
            if let Some(outlined) = font.outline_glyph(glyph) {
                let b = outlined.px_bounds();
                outlined.draw(|gx, gy, cov| {
                    self.blend(
                        b.min.x as i64 + i64::from(gx),
                        b.min.y as i64 + i64::from(gy),
                        c,
                        cov,
                    );
                });
            }
        }
    }

    pub(super) fn width(&self) -> u32 {
        self.w
    }

    pub(super) fn height(&self) -> u32 {
        self.h
    }

    /// A canvas showing a picture of its own size.
    pub(super) fn from_picture(bg: Background) -> Self {
        Self {
            w: bg.width,
            h: bg.height,
            px: bg.rgba,
        }
    }

    pub(super) fn png(self) -> Result<Vec<u8>, PainterError> {
        self.png_at(None)
    }

    /// The PNG, with its print resolution when given (dots per inch).
    pub(super) fn png_at(self, dpi: Option<u32>) -> Result<Vec<u8>, PainterError> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, self.w, self.h);
        if let Some(dpi) = dpi {
            encoder.set_pixel_dims(Some(png::PixelDimensions {
                xppu: (f64::from(dpi) / 0.0254).round() as u32,
                yppu: (f64::from(dpi) / 0.0254).round() as u32,
                unit: png::Unit::Meter,
            }));
        }
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder
            .write_header()
            .map_err(|e| PainterError::Failed(format!("png header: {e}")))?;
        writer
            .write_image_data(&self.px)
            .map_err(|e| PainterError::Failed(format!("png data: {e}")))?;
        writer
            .finish()
            .map_err(|e| PainterError::Failed(format!("png finish: {e}")))?;
        Ok(out)
    }
}

pub(super) fn width_of(font: &FontRef<'_>, size: f32, s: &str) -> f32 {
    let scaled = font.as_scaled(PxScale::from(size));
    s.chars()
        .map(|c| scaled.h_advance(scaled.glyph_id(c)))
        .sum()
}

/// Lines broken only between 어절 where every word fits, and balanced: of the widths that keep
/// the fewest lines, the narrowest ("크리스마스 맞이 / 첫 방문 선물", never "…맞이 첫 / 방문 선물").
/// A word wider than the line is broken inside (Hangul allows it) as a last resort.
pub(super) fn wrap(font: &FontRef<'_>, size: f32, s: &str, max_w: f32) -> Vec<String> {
    let first = greedy(font, size, s, max_w);
    if first.len() < 2 || breaks_word(font, size, s, max_w) {
        return first;
    }
    let widest_word = (s.split_whitespace())
        .map(|w| width_of(font, size, w))
        .fold(0.0f32, f32::max);
    let (mut lo, mut hi) = (widest_word, max_w);
    for _ in 0..20 {
        let mid = (lo + hi) / 2.0;
        if greedy(font, size, s, mid).len() <= first.len() {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    greedy(font, size, s, hi)
}

/// Whether some word is wider than the line (it would have to be broken inside).
pub(super) fn breaks_word(font: &FontRef<'_>, size: f32, s: &str, max_w: f32) -> bool {
    s.split_whitespace()
        .any(|w| width_of(font, size, w) > max_w)
}

/// Greedy wrap: break at spaces where possible, inside a word (Hangul allows it) when needed.
fn greedy(font: &FontRef<'_>, size: f32, s: &str, max_w: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if width_of(font, size, &candidate) <= max_w {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for ch in word.chars() {
            let mut next = line.clone();
            next.push(ch);
            if width_of(font, size, &next) > max_w && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                next = ch.to_string();
            }
            line = next;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Line height as a multiple of the font size.
pub(super) const LEADING: f32 = 1.25;

/// The largest size from `start` down to `min` at which `s` fits in `max_lines` lines; at the
/// minimum size the last line is cut with an ellipsis.
pub(super) fn fit(
    font: &FontRef<'_>,
    s: &str,
    max_w: f32,
    max_lines: usize,
    start: f32,
    min: f32,
) -> (f32, Vec<String>) {
    fit_box(font, s, max_w, f32::INFINITY, max_lines, start, min)
}

/// Like `fit`, and the block of lines is also at most `max_h` tall.
pub(super) fn fit_box(
    font: &FontRef<'_>,
    s: &str,
    max_w: f32,
    max_h: f32,
    max_lines: usize,
    start: f32,
    min: f32,
) -> (f32, Vec<String>) {
    let mut size = start;
    // The largest size whose lines fit, words broken or not: kept for a text that has no size
    // at which every word stays whole (a long word, no spaces).
    let mut first_fit: Option<(f32, Vec<String>)> = None;
    loop {
        let lines = wrap(font, size, s, max_w);
        let room = ((max_h / (size * LEADING)).floor().max(1.0) as usize).min(max_lines);
        // A smaller size is tried before a word is broken inside.
        let whole_words = !breaks_word(font, size, s, max_w);
        if lines.len() <= room && whole_words {
            return (size, lines);
        }
        if lines.len() <= room && first_fit.is_none() {
            first_fit = Some((size, lines.clone()));
        }
        if size <= min {
            if let Some(fit) = first_fit {
                return fit;
            }
            let mut kept: Vec<String> = lines.into_iter().take(room).collect();
            if let Some(last) = kept.last_mut() {
                while !last.is_empty() && width_of(font, size, &format!("{last}…")) > max_w {
                    last.pop();
                }
                last.push('…');
            }
            return (size, kept);
        }
        size = (size * 0.92).max(min);
    }
}

/// Draws lines centred (or from `x` when not centred) starting at `top`; returns the new top.
#[allow(clippy::too_many_arguments)]
pub(super) fn lines_at(
    canvas: &mut Canvas,
    font: &FontRef<'_>,
    size: f32,
    lines: &[String],
    x: f32,
    width: f32,
    top: f32,
    centred: bool,
    c: Rgb,
) -> f32 {
    let mut y = top;
    for line in lines {
        let lx = if centred {
            x + (width - width_of(font, size, line)) / 2.0
        } else {
            x
        };
        canvas.text(font, size, lx, y + size * 0.95, line, c);
        y += size * 1.25;
    }
    y
}
