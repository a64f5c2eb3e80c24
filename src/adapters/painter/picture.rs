//! Pictures drawn onto a canvas: a decoded PNG (a background, a poster), scaled to cover the
//! canvas or to fit a box.

use super::canvas::{Canvas, Rgb};
use crate::ports::PainterError;

/// An RGBA picture to paint a poster on (e.g. an AI-made background).
pub struct Background {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

impl Background {
    /// Decodes a PNG (any 8-bit colour type) to RGBA.
    pub fn from_png(bytes: &[u8]) -> Result<Self, PainterError> {
        let bad = |e: String| PainterError::Failed(format!("background PNG: {e}"));
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info().map_err(|e| bad(e.to_string()))?;
        let mut buf = vec![
            0;
            reader
                .output_buffer_size()
                .ok_or_else(|| bad("too large".into()))?
        ];
        let info = reader
            .next_frame(&mut buf)
            .map_err(|e| bad(e.to_string()))?;
        let px = (info.width * info.height) as usize;
        let rgba = match info.color_type {
            png::ColorType::Rgba => buf[..px * 4].to_vec(),
            png::ColorType::Rgb => buf[..px * 3]
                .chunks(3)
                .flat_map(|c| [c[0], c[1], c[2], 255])
                .collect(),
            png::ColorType::GrayscaleAlpha => buf[..px * 2]
                .chunks(2)
                .flat_map(|c| [c[0], c[0], c[0], c[1]])
                .collect(),
            png::ColorType::Grayscale => buf[..px].iter().flat_map(|&g| [g, g, g, 255]).collect(),
            png::ColorType::Indexed => return Err(bad("indexed colour after expansion".into())),
        };
        if info.width == 0 || info.height == 0 {
            return Err(bad("empty image".into()));
        }
        Ok(Self {
            width: info.width,
            height: info.height,
            rgba,
        })
    }

    /// Bilinear sample at (fx, fy) in source pixels.
    fn sample(&self, fx: f32, fy: f32) -> Rgb {
        let x0 = (fx.floor().max(0.0) as u32).min(self.width - 1);
        let y0 = (fy.floor().max(0.0) as u32).min(self.height - 1);
        let (x1, y1) = ((x0 + 1).min(self.width - 1), (y0 + 1).min(self.height - 1));
        let (tx, ty) = (
            (fx - x0 as f32).clamp(0.0, 1.0),
            (fy - y0 as f32).clamp(0.0, 1.0),
        );
        let at = |x: u32, y: u32, k: usize| {
            f32::from(self.rgba[((y * self.width + x) * 4) as usize + k])
        };
        [0, 1, 2].map(|k| {
            let top = at(x0, y0, k) * (1.0 - tx) + at(x1, y0, k) * tx;
            let bottom = at(x0, y1, k) * (1.0 - tx) + at(x1, y1, k) * tx;
            (top * (1.0 - ty) + bottom * ty).round() as u8
        })
    }
}

impl Canvas {
    /// Draws `bg` scaled to fit inside the box at (x, y) of size w × h, centred.
    pub(super) fn place(&mut self, bg: &Background, x: f32, y: f32, w: f32, h: f32) {
        let scale = (w / bg.width as f32).min(h / bg.height as f32);
        let (dw, dh) = (bg.width as f32 * scale, bg.height as f32 * scale);
        let (x0, y0) = (x + (w - dw) / 2.0, y + (h - dh) / 2.0);
        for py in y0.round() as i64..(y0 + dh).round() as i64 {
            for px in x0.round() as i64..(x0 + dw).round() as i64 {
                let c = bg.sample(
                    (px as f32 + 0.5 - x0) / scale - 0.5,
                    (py as f32 + 0.5 - y0) / scale - 0.5,
                );
                self.blend(px, py, c, 1.0);
            }
        }
    }

    /// Covers the canvas with `bg` (scaled to fill, centred, cropped).
    pub(super) fn cover(&mut self, bg: &Background) {
        let scale = (bg.width as f32 / self.w as f32).min(bg.height as f32 / self.h as f32);
        let ox = (bg.width as f32 - self.w as f32 * scale) / 2.0;
        let oy = (bg.height as f32 - self.h as f32 * scale) / 2.0;
        for y in 0..self.h {
            for x in 0..self.w {
                let c = bg.sample(
                    ox + (x as f32 + 0.5) * scale - 0.5,
                    oy + (y as f32 + 0.5) * scale - 0.5,
                );
                let i = ((y * self.w + x) * 4) as usize;
                self.px[i..i + 3].copy_from_slice(&c);
            }
        }
    }
}
