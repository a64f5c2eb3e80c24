//! QR codes of tracked links (PNG and SVG), the poster that carries its channel's code, and the
//! shop's A6 counter card (300 dpi: poster, event name, code, how to use it).

use ab_glyph::FontRef;
use qrcode::{Color, EcLevel, QrCode};

use super::canvas::{Canvas, LEADING, Rgb, fit, width_of};
use super::picture::Background;
use super::{BOLD, REGULAR};
use crate::ports::{CardSpec, PainterError};

const INK: Rgb = [17, 17, 17];
const PAPER: Rgb = [255, 255, 255];
/// Light modules around the code that scanners need.
const QUIET: usize = 4;

fn failed(what: &str, e: impl std::fmt::Display) -> PainterError {
    PainterError::Failed(format!("{what}: {e}"))
}

/// The modules of the link's code (error correction Q: a quarter may be damaged or covered).
fn code(link: &str) -> Result<QrCode, PainterError> {
    QrCode::with_error_correction_level(link.as_bytes(), EcLevel::Q).map_err(|e| failed("qr", e))
}

/// Draws the code with its quiet zone, `size` pixels wide, at (x, y).
fn draw_code(c: &mut Canvas, code: &QrCode, x: f32, y: f32, size: f32) {
    let n = code.width();
    let module = size / (n + 2 * QUIET) as f32;
    c.rounded_rect(x, y, size, size, 0.0, PAPER, 1.0);
    for (i, color) in code.to_colors().into_iter().enumerate() {
        if color == Color::Dark {
            let (mx, my) = ((i % n + QUIET) as f32, (i / n + QUIET) as f32);
            c.rounded_rect(
                x + mx * module,
                y + my * module,
                module,
                module,
                0.0,
                INK,
                1.0,
            );
        }
    }
}

/// The link as a PNG code, `module` pixels per module (sharp edges: whole pixels).
pub fn qr_png(link: &str, module: u32) -> Result<Vec<u8>, PainterError> {
    let code = code(link)?;
    let size = (code.width() + 2 * QUIET) as u32 * module.max(1);
    let mut c = Canvas::new(size, size);
    draw_code(&mut c, &code, 0.0, 0.0, size as f32);
    c.png()
}

pub fn qr_svg(link: &str) -> Result<String, PainterError> {
    Ok(code(link)?
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build())
}

fn fonts() -> Result<(FontRef<'static>, FontRef<'static>), PainterError> {
    let font = |b| FontRef::try_from_slice(b).map_err(|e| failed("font", e));
    Ok((font(REGULAR)?, font(BOLD)?))
}

/// The poster with its channel's code in a white box in the lower right corner, captioned.
pub fn stamp(poster: &[u8], link: &str) -> Result<Vec<u8>, PainterError> {
    let code = code(link)?;
    let (regular, _) = fonts()?;
    let mut c = Canvas::from_picture(Background::from_png(poster)?);
    let (w, h) = (c.width() as f32, c.height() as f32);
    let side = w.min(h) * 0.24;
    let caption = (side * 0.1).max(12.0);
    let pad = side * 0.06;
    let (bw, bh) = (side + 2.0 * pad, side + 2.0 * pad + caption * 1.4);
    let (bx, by) = (w - bw - w.min(h) * 0.03, h - bh - w.min(h) * 0.03);
    c.rounded_rect(bx, by, bw, bh, pad, PAPER, 0.96);
    draw_code(&mut c, &code, bx + pad, by + pad, side);
    let text = "QR로 응모";
    let tx = bx + (bw - width_of(&regular, caption, text)) / 2.0;
    c.text(&regular, caption, tx, by + pad + side + caption, text, INK);
    c.png()
}

/// A6 at 300 dpi.
const CARD: (u32, u32) = (1240, 1748);

/// The shop's counter card: the poster on top, the event's name, the code and how to use it.
pub fn card(spec: &CardSpec) -> Result<Vec<u8>, PainterError> {
    let code = code(&spec.link)?;
    let (regular, bold) = fonts()?;
    let (w, h) = (CARD.0 as f32, CARD.1 as f32);
    let m = 70.0;
    let mut c = Canvas::new(CARD.0, CARD.1);
    let poster_h = h * 0.42;
    if let Some(png) = &spec.poster_png {
        c.place(&Background::from_png(png)?, m, m, w - 2.0 * m, poster_h);
    }
    let mut y = m + poster_h + 90.0;
    let (size, lines) = fit(&bold, &spec.title, w - 2.0 * m, 2, 68.0, 40.0);
    for line in &lines {
        c.text(&bold, size, m, y, line, INK);
        y += size * LEADING;
    }
    y -= size * LEADING;
    c.text(&regular, 40.0, m, y + 64.0, &spec.shop, [90, 90, 90]);
    let side = 560.0;
    let qy = y + 110.0;
    draw_code(&mut c, &code, m - 20.0, qy, side);
    let tx = m + side + 10.0;
    let steps = [
        "휴대폰 카메라로",
        "QR 코드를 비추면",
        "응모 페이지가",
        "열립니다.",
    ];
    for (i, line) in steps.iter().enumerate() {
        c.text(&bold, 46.0, tx, qy + 120.0 + 66.0 * i as f32, line, INK);
    }
    let short = spec
        .link
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    let (small, link_lines) = fit(&regular, short, w - tx - m, 2, 30.0, 20.0);
    for (i, line) in link_lines.iter().enumerate() {
        let baseline = qy + 440.0 + small * LEADING * i as f32;
        c.text(&regular, small, tx, baseline, line, [90, 90, 90]);
    }
    c.png_at(Some(300))
}
