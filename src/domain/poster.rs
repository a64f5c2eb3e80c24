//! What a promotional image is: a platform's size, a style, and the words on it. The ringback
//! channel (RINGOBIZ) gets a script to be read aloud instead of an image.

use std::fmt;

use chrono::Datelike;

use super::channel::Channel;
use super::event::Event;
use super::field::{FieldError, FieldProblem};
use super::korean::{Particle, with};

/// Serialised as its code (`BOLD`, …), as in the API.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum PosterStyle {
    /// Saturated colour, large white type.
    Bold,
    /// Pastel gradient, dark type, soft shapes.
    Soft,
    /// Dark band with the title over a light panel with the details.
    Split,
}

impl PosterStyle {
    pub const ALL: [PosterStyle; 3] = [PosterStyle::Bold, PosterStyle::Soft, PosterStyle::Split];

    pub fn code(self) -> &'static str {
        match self {
            PosterStyle::Bold => "BOLD",
            PosterStyle::Soft => "SOFT",
            PosterStyle::Split => "SPLIT",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PosterStyle::Bold => "강렬한",
            PosterStyle::Soft => "부드러운",
            PosterStyle::Split => "모던",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|s| s.code().eq_ignore_ascii_case(raw.trim()))
            .ok_or(FieldError::new(
                "styles",
                FieldProblem::UnknownValue {
                    allowed: "BOLD, SOFT, SPLIT",
                },
            ))
    }
}

impl fmt::Display for PosterStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Pixel size per platform; `None` for RINGOBIZ (a script, not an image). Naver gets 1200×800:
/// the Cafe article editor shows images up to 1200 px wide, and 3:2 reads well in a feed.
pub fn platform_size(channel: Channel) -> Option<(u32, u32)> {
    match channel {
        Channel::Instagram => Some((1080, 1350)),
        Channel::Naver => Some((1200, 800)),
        Channel::Kakao => Some((800, 800)),
        Channel::UridongneTv | Channel::GiniTv => Some((1920, 1080)),
        Channel::RingoBiz => None,
    }
}

/// The words on a poster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PosterText {
    pub title: String,
    pub prize: String,
    pub period: String,
    /// The period as read aloud: "12월 12일부터 12월 25일까지".
    pub spoken_period: String,
    pub shop_name: String,
    pub call_to_action: String,
    /// The offer as one spoken sentence, from the promotion's mechanic (the ringback script).
    pub spoken_offer: Option<String>,
}

impl PosterText {
    /// What a poster shows of it, as one string (stored with each poster).
    pub fn painted(&self) -> String {
        [&self.title, &self.prize, &self.period, &self.shop_name]
            .map(|s| s.as_str())
            .join("\n")
    }

    pub fn of(event: &Event) -> Self {
        Self {
            title: event.name.clone().unwrap_or_else(|| {
                format!("{} {} 이벤트", event.shop.name, event.objective.label())
            }),
            prize: event
                .prize
                .clone()
                .unwrap_or_else(|| "매장에서 혜택을 확인하세요".to_owned()),
            period: match (event.start_date, event.end_date) {
                (Some(s), Some(e)) => format!("{} ~ {}", s.format("%Y.%m.%d"), e.format("%m.%d")),
                _ => "기간 한정".to_owned(),
            },
            spoken_period: match (event.start_date, event.end_date) {
                (Some(s), Some(e)) => format!(
                    "{}월 {}일부터 {}월 {}일까지",
                    s.month(),
                    s.day(),
                    e.month(),
                    e.day()
                ),
                _ => "기간 한정으로".to_owned(),
            },
            shop_name: event.shop.name.clone(),
            // Each channel's poster gets its tracked link as a QR code when it is published.
            call_to_action: "QR 코드로 지금 응모하세요".to_owned(),
            spoken_offer: Some(spoken_offer(event)),
        }
    }
}

/// A stored promotional image, or (for RINGOBIZ) a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub id: super::ids::ImageId,
    pub event_id: super::ids::EventId,
    pub job_id: super::ids::JobId,
    pub platform: Channel,
    pub content: ImageContent,
    pub selected: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// A poster: the text it was painted with (`PosterText::painted`); `None` for a script or
    /// a poster stored before this was kept.
    pub painted_text: Option<String>,
}

impl Image {
    /// A poster painted with other words than the event's now (its title, benefit, period or
    /// shop was edited since): publishing it would show customers what is no longer true.
    pub fn is_stale(&self, now: &PosterText) -> bool {
        self.painted_text
            .as_ref()
            .is_some_and(|t| *t != now.painted())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageContent {
    Poster {
        style: PosterStyle,
        blob_key: String,
        width: u32,
        height: u32,
    },
    Script(String),
}

impl ImageContent {
    /// Where a poster's file is kept (a script has none).
    pub fn blob_key(&self) -> Option<&str> {
        match self {
            ImageContent::Poster { blob_key, .. } => Some(blob_key),
            ImageContent::Script(_) => None,
        }
    }
}

/// At about 5 syllables a second, 100 syllables read in 20 s: the longest a ringback ad runs
/// (docs/kt-partner-contract.md).
pub const RINGBACK_MAX_SYLLABLES: usize = 100;

/// The ringback-tone ad script: spoken sentences short enough to read in 20 s, with the
/// "(광고)" label spoken: who calls, what and when, what the caller gets, where.
pub fn ringback_script(text: &PosterText) -> String {
    let offer = (text.spoken_offer.clone()).unwrap_or_else(|| prize_said(&text.prize));
    let parts = [
        format!("(광고) 안녕하세요, {}입니다.", text.shop_name),
        format!("{}, {} 진행합니다.", text.title, text.spoken_period),
        offer,
        format!("{}에서 기다리겠습니다.", text.shop_name),
    ];
    let mut script = String::new();
    for part in parts {
        let candidate = if script.is_empty() {
            part.clone()
        } else {
            format!("{script} {part}")
        };
        // A sentence that does not fit is left out whole; a shorter one after it may still fit.
        if spoken_length(&candidate) > RINGBACK_MAX_SYLLABLES {
            continue;
        }
        script = candidate;
    }
    script
}

/// The event's offer as one spoken sentence: from its mechanic, else from its own prize words,
/// else a pointer to the shop (the poster's stand-in line is not one to read aloud).
fn spoken_offer(event: &Event) -> String {
    let prize = event.prize.as_deref().unwrap_or_default();
    match &event.mechanic {
        Some(m) => m.spoken(prize),
        None => prize_said(prize),
    }
}

/// "… 드려요." for a prize in the owner's words; the shop's pointer when none can be said.
fn prize_said(prize: &str) -> String {
    match crate::domain::mechanic::speakable(prize) {
        p if p.is_empty() => "자세한 혜택은 매장에서 확인해 주세요.".to_owned(),
        p => format!("{} 드려요.", with(&p, Particle::Eul)),
    }
}

/// Syllables (and other letters or digits) that take time to read.
pub fn spoken_length(s: &str) -> usize {
    s.chars().filter(|c| c.is_alphanumeric()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_styles() {
        assert_eq!(platform_size(Channel::Instagram), Some((1080, 1350)));
        assert_eq!(platform_size(Channel::GiniTv), Some((1920, 1080)));
        assert_eq!(platform_size(Channel::RingoBiz), None);
        assert_eq!(PosterStyle::parse("soft").unwrap(), PosterStyle::Soft);
        assert!(PosterStyle::parse("NEON").is_err());
    }

    #[test]
    fn the_ringback_script_fits_twenty_seconds() {
        let text = PosterText {
            title: "크리스마스 맞이 카페 봄날 인증샷 이벤트".into(),
            prize: "전원 아메리카노 1잔 + 추첨 3명 1만원 음료 교환권".into(),
            period: "2026.12.12 ~ 12.25".into(),
            spoken_period: "12월 12일부터 12월 25일까지".into(),
            shop_name: "카페 봄날".into(),
            call_to_action: String::new(),
            spoken_offer: None,
        };
        let s = ringback_script(&text);
        assert!(s.starts_with("(광고) 안녕하세요, 카페 봄날입니다."), "{s}");
        assert!(s.contains("12월 12일부터 12월 25일까지 진행합니다."), "{s}");
        // Sentences that can be read aloud: no "+", no parentheses but the spoken label.
        assert!(s.contains("전원 아메리카노 1잔을 드려요."), "{s}");
        assert!(!s.contains('+') && s.matches('(').count() == 1, "{s}");
        assert!(spoken_length(&s) <= RINGBACK_MAX_SYLLABLES);
        let long = PosterText {
            title: "가".repeat(200),
            ..text
        };
        assert!(spoken_length(&ringback_script(&long)) <= RINGBACK_MAX_SYLLABLES);
    }

    #[test]
    fn an_event_without_a_prize_points_to_the_shop() {
        use crate::domain::{Objective, ShopInfo, UserId};
        let shop = ShopInfo::parse("카페 봄날", "카페", "서울").unwrap();
        let event = Event::draft(
            UserId::new(),
            None,
            Objective::Sales,
            shop,
            chrono::Utc::now(),
        );
        let s = ringback_script(&PosterText::of(&event));
        assert!(s.contains("자세한 혜택은 매장에서 확인해 주세요."), "{s}");
        assert!(!s.contains("세요를"), "{s}");
    }
}
