//! The Azure OpenAI image option: an image model paints a text-free background, and the same
//! local overlay sets the Korean text (image models draw Hangul badly). Any failure — HTTP
//! error, timeout, content filter, undecodable image — gives the built-in design instead, and
//! the job's note says so.

use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;

use super::{Background, BuiltinPainter, render, render_on};
use crate::adapters::azure_openai::AzureOpenAiClient;
use crate::config::AzureOpenAiSettings;
use crate::domain::job::JobNote;
use crate::domain::poster::PosterStyle;
use crate::ports::{Painted, Painter, PainterError, PosterSpec};

pub struct AzureOpenAiPainter {
    client: AzureOpenAiClient,
    deployment: String,
}

impl AzureOpenAiPainter {
    pub fn new(settings: AzureOpenAiSettings, deployment: String) -> anyhow::Result<Self> {
        Ok(Self {
            client: AzureOpenAiClient::new(settings)?,
            deployment,
        })
    }

    fn prompt(spec: &PosterSpec) -> String {
        let mood = match spec.style {
            PosterStyle::Bold => "vivid warm colours, energetic",
            PosterStyle::Soft => "soft pastel colours, airy and calm",
            PosterStyle::Split => "modern, minimal, muted tones",
        };
        format!(
            "A background photograph for a promotional poster of a small neighbourhood shop in \
             Korea, {mood}. Subject inspired by the event '{}'. Absolutely no text, letters, \
             numbers, logos or signs; no faces. Leave calm empty space for text laid over it.",
            spec.text.title
        )
    }

    /// The model's nearest supported size for the poster's shape.
    fn size(spec: &PosterSpec) -> &'static str {
        let (w, h) = (spec.width as f32, spec.height as f32);
        if w > h * 1.2 {
            "1792x1024"
        } else if h > w * 1.2 {
            "1024x1792"
        } else {
            "1024x1024"
        }
    }

    async fn background(&self, spec: &PosterSpec) -> Result<Vec<u8>, String> {
        let request = json!({
            "prompt": Self::prompt(spec),
            "n": 1,
            "size": Self::size(spec),
            "quality": "standard",
            "response_format": "b64_json"
        });
        let body = (self.client)
            .post(&self.deployment, "images/generations", &request)
            .await
            .map_err(|e| e.to_string())?;
        let b64 = body["data"][0]["b64_json"]
            .as_str()
            .ok_or("no image in the response")?;
        STANDARD
            .decode(b64)
            .map_err(|e| format!("image is not base64: {e}"))
    }
}

#[async_trait]
impl Painter for AzureOpenAiPainter {
    async fn paint(&self, spec: &PosterSpec) -> Result<Painted, PainterError> {
        let fetched = self.background(spec).await;
        let spec = spec.clone();
        tokio::task::spawn_blocking(move || {
            let with_background = fetched
                .and_then(|bytes| Background::from_png(&bytes).map_err(|e| e.to_string()))
                .and_then(|bg| render_on(&spec, Some(&bg)).map_err(|e| e.to_string()));
            match with_background {
                Ok(png) => Ok(Painted { png, note: None }),
                Err(why) => {
                    tracing::warn!(reason = %why, "AI background unusable: built-in design instead");
                    Ok(Painted {
                        png: render(&spec)?,
                        note: Some(JobNote::ImageFallback),
                    })
                }
            }
        })
        .await
        .map_err(|e| PainterError::Failed(format!("render task: {e}")))?
    }

    async fn to_jpeg(&self, png: Vec<u8>) -> Result<Vec<u8>, PainterError> {
        BuiltinPainter.to_jpeg(png).await
    }
}
