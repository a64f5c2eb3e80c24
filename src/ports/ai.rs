//! The AI parts: the recommender that writes event plans and the painter that draws posters.

use async_trait::async_trait;
use chrono::NaiveDate;

use crate::domain::job::JobNote;
use crate::domain::poster::{PosterStyle, PosterText};
use crate::domain::promotion::{Plan, PromotionStats};
use crate::domain::{Channel, Objective, ShopInfo};

/// What the recommender is asked.
#[derive(Debug, Clone)]
pub struct RecommendationInput {
    pub objective: Objective,
    pub shop: ShopInfo,
    /// The event's period if the owner set one.
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub budget: Option<i64>,
    /// Today in Seoul.
    pub today: NaiveDate,
    /// What past events of the same industry kind and objective drew (empty on a new platform).
    pub history: Vec<PromotionStats>,
}

/// Exactly three plans of three different promotion types, and a note for the owner when the
/// result was not made the usual way (a fallback).
#[derive(Debug, Clone)]
pub struct Recommended {
    pub plans: Vec<Plan>,
    pub note: Option<JobNote>,
}

#[derive(Debug, thiserror::Error)]
pub enum RecommenderError {
    /// Worth trying again later (the message is redelivered).
    #[error("recommender temporarily unavailable: {0}")]
    Retryable(String),
}

#[async_trait]
pub trait Recommender: Send + Sync {
    async fn recommend(&self, input: &RecommendationInput)
    -> Result<Recommended, RecommenderError>;
}

/// One poster to paint.
#[derive(Debug, Clone)]
pub struct PosterSpec {
    pub platform: Channel,
    pub style: PosterStyle,
    pub width: u32,
    pub height: u32,
    pub text: PosterText,
}

#[derive(Debug, thiserror::Error)]
pub enum PainterError {
    #[error("painting failed: {0}")]
    Failed(String),
}

/// A PNG, and a note for the owner when it was not made the usual way (a fallback).
#[derive(Debug, Clone)]
pub struct Painted {
    pub png: Vec<u8>,
    pub note: Option<JobNote>,
}

#[async_trait]
pub trait Painter: Send + Sync {
    async fn paint(&self, spec: &PosterSpec) -> Result<Painted, PainterError>;
    /// The PNG as a JPEG (Instagram takes nothing else).
    async fn to_jpeg(&self, png: Vec<u8>) -> Result<Vec<u8>, PainterError>;
}

/// What the shop's printable counter card shows.
#[derive(Debug, Clone)]
pub struct CardSpec {
    /// The selected poster, if there is one.
    pub poster_png: Option<Vec<u8>>,
    pub title: String,
    pub shop: String,
    pub link: String,
}

/// QR codes of tracked links, posters that carry theirs, and the shop's counter card.
#[async_trait]
pub trait Printer: Send + Sync {
    fn qr_png(&self, link: &str) -> Result<Vec<u8>, PainterError>;
    fn qr_svg(&self, link: &str) -> Result<String, PainterError>;
    /// The poster (PNG) with the link's QR code in its corner.
    async fn stamp(&self, poster: Vec<u8>, link: String) -> Result<Vec<u8>, PainterError>;
    /// A6, 300 dpi PNG.
    async fn card(&self, spec: CardSpec) -> Result<Vec<u8>, PainterError>;
}
