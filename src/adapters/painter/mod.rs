//! The built-in poster painter: real PNG posters drawn in process, Hangul set in Pretendard (OFL,
//! embedded in the binary), text wrapped and shrunk to fit, three visibly different styles.
//! Rendering is CPU work: it runs on the blocking pool.

pub mod azure_openai;
mod canvas;
mod picture;
mod qr;
mod styles;

use ab_glyph::FontRef;

use async_trait::async_trait;
use canvas::Rgb;
#[cfg(test)]
use canvas::{fit, fit_box, width_of};
pub use picture::Background;
use styles::Frame;

use crate::domain::poster::PosterStyle;
use crate::ports::{CardSpec, Painted, Painter, PainterError, PosterSpec, Printer};

static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/Pretendard-Regular.otf");
static BOLD: &[u8] = include_bytes!("../../../assets/fonts/Pretendard-Bold.otf");

pub struct BuiltinPainter;

#[async_trait]
impl Painter for BuiltinPainter {
    async fn paint(&self, spec: &PosterSpec) -> Result<Painted, PainterError> {
        let spec = spec.clone();
        let png = tokio::task::spawn_blocking(move || render(&spec))
            .await
            .map_err(|e| PainterError::Failed(format!("render task: {e}")))??;
        Ok(Painted { png, note: None })
    }

    async fn to_jpeg(&self, png: Vec<u8>) -> Result<Vec<u8>, PainterError> {
        tokio::task::spawn_blocking(move || to_jpeg(&png))
            .await
            .map_err(|e| PainterError::Failed(format!("jpeg task: {e}")))?
    }
}

#[async_trait]
impl Printer for BuiltinPainter {
    fn qr_png(&self, link: &str) -> Result<Vec<u8>, PainterError> {
        qr::qr_png(link, 12)
    }

    fn qr_svg(&self, link: &str) -> Result<String, PainterError> {
        qr::qr_svg(link)
    }

    async fn stamp(&self, poster: Vec<u8>, link: String) -> Result<Vec<u8>, PainterError> {
        tokio::task::spawn_blocking(move || qr::stamp(&poster, &link))
            .await
            .map_err(|e| PainterError::Failed(format!("stamp task: {e}")))?
    }

    async fn card(&self, spec: CardSpec) -> Result<Vec<u8>, PainterError> {
        tokio::task::spawn_blocking(move || qr::card(&spec))
            .await
            .map_err(|e| PainterError::Failed(format!("card task: {e}")))?
    }
}

/// Re-encodes a PNG as a baseline JPEG (quality 90, sRGB, no alpha).
pub fn to_jpeg(png_bytes: &[u8]) -> Result<Vec<u8>, PainterError> {
    let bad = |e: String| PainterError::Failed(format!("jpeg: {e}"));
    let bg = Background::from_png(png_bytes)?;
    let (w, h) = (
        u16::try_from(bg.width).map_err(|e| bad(e.to_string()))?,
        u16::try_from(bg.height).map_err(|e| bad(e.to_string()))?,
    );
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 90)
        .encode(&bg.rgba, w, h, jpeg_encoder::ColorType::Rgba)
        .map_err(|e| bad(e.to_string()))?;
    Ok(out)
}

pub(super) struct Palette {
    pub(super) background: (Rgb, Rgb),
    pub(super) title: Rgb,
    pub(super) body: Rgb,
    pub(super) accent: Rgb,
    pub(super) on_accent: Rgb,
}

fn palette(style: PosterStyle) -> Palette {
    match style {
        PosterStyle::Bold => Palette {
            background: ([232, 69, 60], [196, 40, 52]),
            title: [255, 255, 255],
            body: [255, 240, 235],
            accent: [255, 212, 59],
            on_accent: [40, 30, 30],
        },
        PosterStyle::Soft => Palette {
            background: ([253, 226, 228], [226, 236, 233]),
            title: [43, 45, 66],
            body: [74, 78, 105],
            accent: [255, 255, 255],
            on_accent: [43, 45, 66],
        },
        PosterStyle::Split => Palette {
            background: ([247, 243, 233], [247, 243, 233]),
            title: [255, 255, 255],
            body: [31, 42, 68],
            accent: [242, 165, 65],
            on_accent: [31, 42, 68],
        },
    }
}

/// Paints one poster synchronously (the benchmark calls this; the app goes through `Painter`).
pub fn render(spec: &PosterSpec) -> Result<Vec<u8>, PainterError> {
    render_on(spec, None)
}

/// Paints the poster over `background` when given: the picture is tinted with the style's colour
/// so the text stays legible, then the same layout is drawn.
pub fn render_on(
    spec: &PosterSpec,
    background: Option<&Background>,
) -> Result<Vec<u8>, PainterError> {
    let font = |bytes| {
        FontRef::try_from_slice(bytes).map_err(|e| PainterError::Failed(format!("font: {e}")))
    };
    let mut f = Frame::new(spec, palette(spec.style), font(REGULAR)?, font(BOLD)?);
    match background {
        None => {
            let (top, bottom) = f.p.background;
            f.c.vertical_gradient(top, bottom);
        }
        Some(bg) => {
            f.c.cover(bg);
            let (tint, alpha) = match spec.style {
                PosterStyle::Bold => (f.p.background.1, 0.62),
                PosterStyle::Soft => ([255, 255, 255], 0.55),
                PosterStyle::Split => ([247, 243, 233], 0.7),
            };
            f.c.rounded_rect(0.0, 0.0, f.w, f.h, 0.0, tint, alpha);
        }
    }
    match spec.style {
        PosterStyle::Bold => styles::bold(&mut f, &spec.text),
        PosterStyle::Soft => styles::soft(&mut f, &spec.text),
        PosterStyle::Split => styles::split(&mut f, &spec.text),
    }
    f.c.png()
}

#[cfg(test)]
mod tests {
    use super::canvas::wrap;
    use super::*;
    use crate::domain::Channel;
    use crate::domain::poster::PosterText;
    use ab_glyph::Font;

    fn spec(style: PosterStyle, w: u32, h: u32) -> PosterSpec {
        PosterSpec {
            platform: Channel::Instagram,
            style,
            width: w,
            height: h,
            text: PosterText {
                title: "크리스마스 맞이 카페 봄날 인증샷 이벤트".into(),
                prize: "전원 아메리카노 1잔 + 추첨 3명 1만원 음료 교환권".into(),
                period: "2026.12.12 ~ 12.25".into(),
                spoken_period: "12월 12일부터 12월 25일까지".into(),
                shop_name: "카페 봄날".into(),
                call_to_action: "지금 바로 응모하세요".into(),
                spoken_offer: None,
            },
        }
    }

    fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
        let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        (info.width, info.height, buf)
    }

    #[test]
    fn posters_are_pngs_of_the_size_asked_in_three_different_styles() {
        let rendered: Vec<Vec<u8>> = PosterStyle::ALL
            .into_iter()
            .map(|s| decode(&render(&spec(s, 800, 800)).unwrap()).2)
            .collect();
        for px in &rendered {
            assert_eq!(px.len(), 800 * 800 * 4);
        }
        // A flat fill is fully opaque: the SPLIT band is its own dark colour, not a blend.
        let split = &rendered[2];
        assert_eq!(&split[..3], &[31, 42, 68]);
        // Visibly different: most pixels differ between any two styles.
        for (a, b) in [(0, 1), (1, 2), (0, 2)] {
            let differing = rendered[a]
                .chunks(4)
                .zip(rendered[b].chunks(4))
                .filter(|(x, y)| x != y)
                .count();
            assert!(differing > 800 * 800 / 2, "styles {a} and {b} look alike");
        }
        let (w, h, _) = decode(&render(&spec(PosterStyle::Bold, 1920, 1080)).unwrap());
        assert_eq!((w, h), (1920, 1080));
    }

    #[test]
    fn hangul_is_drawn_with_real_glyphs() {
        let font = FontRef::try_from_slice(BOLD).unwrap();
        for ch in ['봄', '날', '응', '모', '광', '고', '1', '%'] {
            assert_ne!(font.glyph_id(ch).0, 0, "no glyph for {ch}");
        }
        // Text changes pixels: a poster with a different title differs in the title area.
        let a = decode(&render(&spec(PosterStyle::Soft, 800, 800)).unwrap()).2;
        let mut other = spec(PosterStyle::Soft, 800, 800);
        other.text.title = "여름 한정 빙수 이벤트".into();
        let b = decode(&render(&other).unwrap()).2;
        assert_ne!(a, b);
    }

    #[test]
    fn long_text_is_wrapped_and_fitted() {
        let font = FontRef::try_from_slice(BOLD).unwrap();
        let lines = wrap(
            &font,
            40.0,
            "아주 긴 이벤트 이름이 한 줄에 들어가지 않으면 여러 줄로 나뉩니다",
            300.0,
        );
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(width_of(&font, 40.0, l) <= 300.0, "{l}");
        }
        let (size, lines) = fit(&font, &"가".repeat(200), 300.0, 2, 40.0, 20.0);
        assert_eq!(size, 20.0);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
        // A box too short for two lines gets one.
        let (size, lines) = fit_box(&font, &"가".repeat(200), 300.0, 30.0, 3, 40.0, 20.0);
        assert_eq!((size, lines.len()), (20.0, 1));
    }

    #[test]
    fn titles_break_between_words_into_balanced_lines() {
        let font = FontRef::try_from_slice(BOLD).unwrap();
        let title = "크리스마스 맞이 첫 방문 선물";
        let max = width_of(&font, 60.0, "크리스마스 맞이 첫") + 1.0;
        let lines = wrap(&font, 60.0, title, max);
        assert_eq!(lines, ["크리스마스 맞이", "첫 방문 선물"]);
        // No word is cut while a smaller size keeps it whole.
        let narrow = width_of(&font, 60.0, "크리스마스") - 5.0;
        let (size, lines) = fit(&font, title, narrow, 4, 60.0, 20.0);
        assert!(size < 60.0, "{size}");
        for word in title.split_whitespace() {
            assert!(
                lines
                    .iter()
                    .any(|l| l.split_whitespace().any(|w| w == word)),
                "{word} cut: {lines:?}"
            );
        }
    }
}
