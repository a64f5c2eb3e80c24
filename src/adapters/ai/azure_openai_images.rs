//! The Azure OpenAI image option: an image model paints a text-free background, and the same
//! local overlay sets the Korean text (image models draw Hangul badly). Any failure — HTTP
//! error, timeout, content filter, undecodable image — gives the built-in design instead, and
//! the job's note says so.

use std::time::Duration;

use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use super::azure_openai::AzureOpenAiSettings;
use crate::adapters::painter::{Background, render, render_on};
use crate::domain::poster::PosterStyle;
use crate::ports::{Painted, Painter, PainterError, PosterSpec};

pub const IMAGE_FALLBACK_NOTE: &str = "AI 배경 이미지를 만들지 못해 기본 디자인으로 만들었습니다.";

pub struct AzureOpenAiPainter {
    client: reqwest::Client,
    settings: AzureOpenAiSettings,
    deployment: String,
}

impl AzureOpenAiPainter {
    pub fn new(settings: AzureOpenAiSettings, deployment: String) -> anyhow::Result<Self> {
        Ok(Self {
            client: reqwest::Client::builder()
                .timeout(settings.timeout)
                .connect_timeout(Duration::from_secs(10))
                .build()?,
            settings,
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
        let url = format!(
            "{}/openai/deployments/{}/images/generations?api-version={}",
            self.settings.endpoint.trim_end_matches('/'),
            self.deployment,
            self.settings.api_version
        );
        let res = self
            .client
            .post(url)
            .header("api-key", self.settings.api_key.expose())
            .json(&json!({
                "prompt": Self::prompt(spec),
                "n": 1,
                "size": Self::size(spec),
                "quality": "standard",
                "response_format": "b64_json"
            }))
            .send()
            .await
            .map_err(|e| {
                if e.is_timeout() {
                    "timed out".to_owned()
                } else {
                    e.to_string()
                }
            })?;
        let status = res.status();
        if !status.is_success() {
            return Err(format!("HTTP {status}"));
        }
        let body: Value = res
            .json()
            .await
            .map_err(|e| format!("malformed response: {e}"))?;
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
                        note: Some(IMAGE_FALLBACK_NOTE.to_owned()),
                    })
                }
            }
        })
        .await
        .map_err(|e| PainterError::Failed(format!("render task: {e}")))?
    }
}
