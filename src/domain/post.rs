//! What is posted to each channel, composed once at publish time from the event, and each
//! channel's content rules (checked before publishing, so that a post the channel would refuse
//! is never sent).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::channel::Channel;
use super::event::Event;
use super::poster::{RINGBACK_MAX_SYLLABLES, spoken_length};

/// An image as a channel fetches or receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostImage {
    pub blob_key: String,
    /// Public URL (Instagram and the KT partner fetch it; it must be reachable from outside).
    pub url: String,
    pub content_type: String,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
}

/// One channel's post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostContent {
    pub title: String,
    /// The channel's text: Instagram's caption, Naver's article body (HTML), Kakao's message,
    /// the TV caption, RINGOBIZ's script.
    pub text: String,
    pub hashtags: Vec<String>,
    /// The event page the post links to.
    pub link: String,
    /// The link button's label (Kakao).
    pub button: Option<String>,
    pub image: Option<PostImage>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub shop_name: String,
}

/// What a post is made from, besides the event.
pub struct PostMaterial<'a> {
    pub hashtags: &'a [String],
    pub link: &'a str,
    pub image: Option<PostImage>,
    /// RINGOBIZ's script.
    pub script: Option<&'a str>,
}

/// Escapes text for Naver's HTML body.
fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl PostContent {
    /// The post for `channel`; `None` when the event has no name or period (checked before).
    pub fn compose(channel: Channel, event: &Event, m: PostMaterial<'_>) -> Option<Self> {
        let title = event.name.clone()?;
        let (starts_on, ends_on) = (event.start_date?, event.end_date?);
        let description = event.description.clone().unwrap_or_default();
        let prize = event.prize.clone().unwrap_or_default();
        let period = format!(
            "{} ~ {}",
            starts_on.format("%Y.%m.%d"),
            ends_on.format("%m.%d")
        );
        let shop = &event.shop.name;
        let tags = m.hashtags.join(" ");
        let text = match channel {
            Channel::Instagram => format!(
                "{title}\n\n{description}\n\n🎁 {prize}\n📅 {period}\n👉 응모는 프로필 링크 또는 {}\n\n{tags}",
                m.link
            ),
            Channel::Naver => format!(
                "<p>{}</p><p>경품: {}</p><p>기간: {period}</p><p><a href=\"{}\">이벤트 응모하기</a></p><p>{}</p>",
                html(&description),
                html(&prize),
                html(m.link),
                html(&tags)
            ),
            Channel::Kakao => {
                format!("[{shop}] {title}\n\n{description}\n\n경품: {prize}\n기간: {period}")
            }
            Channel::UridongneTv | Channel::GiniTv => format!("{shop} · {title} · {period}"),
            Channel::RingoBiz => m.script.unwrap_or_default().to_owned(),
        };
        Some(Self {
            title,
            text,
            hashtags: m.hashtags.to_vec(),
            link: m.link.to_owned(),
            button: (channel == Channel::Kakao).then(|| "이벤트 응모하기".to_owned()),
            image: m.image,
            starts_on,
            ends_on,
            shop_name: shop.clone(),
        })
    }
}

/// A content rule a post breaks, in Korean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleBroken(pub String);

pub const INSTAGRAM_CAPTION_MAX: usize = 2_200;
pub const INSTAGRAM_HASHTAGS_MAX: usize = 30;
pub const KAKAO_TEXT_MAX: usize = 1_300;
pub const KAKAO_BUTTON_MAX: usize = 14;
pub const NAVER_TITLE_MAX: usize = 100;

/// Every rule of `channel` that `post` breaks (empty when it may be sent).
pub fn check_rules(channel: Channel, post: &PostContent) -> Vec<RuleBroken> {
    let mut broken = Vec::new();
    let mut rule = |ok: bool, message: String| {
        if !ok {
            broken.push(RuleBroken(message));
        }
    };
    match channel {
        Channel::Instagram => instagram_rules(post, &mut rule),
        Channel::Naver => {
            let n = post.title.chars().count();
            rule(
                n <= NAVER_TITLE_MAX,
                format!("네이버 카페 글 제목은 {NAVER_TITLE_MAX}자 이하여야 합니다(지금 {n}자)."),
            );
            rule(
                post.image.is_some(),
                "네이버 카페 글에 넣을 이미지가 없습니다.".to_owned(),
            );
        }
        Channel::Kakao => kakao_rules(post, &mut rule),
        Channel::UridongneTv | Channel::GiniTv => {
            let hd = post
                .image
                .as_ref()
                .is_some_and(|i| (i.width, i.height) == (1920, 1080));
            rule(
                hd,
                "TV 광고에는 1920×1080 이미지가 필요합니다. 이미지를 다시 생성해 주세요."
                    .to_owned(),
            );
        }
        Channel::RingoBiz => {
            let n = spoken_length(&post.text);
            rule(
                n > 0 && n <= RINGBACK_MAX_SYLLABLES,
                format!(
                    "링고비즈 안내 멘트는 20초({RINGBACK_MAX_SYLLABLES}음절) 이내여야 합니다(지금 {n}음절)."
                ),
            );
        }
    }
    broken
}

fn instagram_rules(post: &PostContent, rule: &mut impl FnMut(bool, String)) {
    let n = post.text.chars().count();
    rule(
        n <= INSTAGRAM_CAPTION_MAX,
        format!("인스타그램 캡션은 {INSTAGRAM_CAPTION_MAX}자 이하여야 합니다(지금 {n}자)."),
    );
    let tags = post
        .text
        .split_whitespace()
        .filter(|w| w.starts_with('#'))
        .count();
    rule(
        tags <= INSTAGRAM_HASHTAGS_MAX,
        format!("인스타그램 해시태그는 {INSTAGRAM_HASHTAGS_MAX}개 이하여야 합니다(지금 {tags}개)."),
    );
    let Some(image) = &post.image else {
        rule(false, "인스타그램에 올릴 이미지가 없습니다.".to_owned());
        return;
    };
    rule(
        image.content_type == "image/jpeg",
        "인스타그램에는 JPEG 이미지만 올릴 수 있습니다.".to_owned(),
    );
    let ratio = f64::from(image.width) / f64::from(image.height.max(1));
    rule(
        (0.8..=1.91).contains(&ratio),
        "인스타그램 이미지의 가로세로 비율은 4:5에서 1.91:1 사이여야 합니다.".to_owned(),
    );
    rule(
        (320..=1440).contains(&image.width),
        "인스타그램 이미지의 너비는 320~1440픽셀이어야 합니다.".to_owned(),
    );
    rule(
        image.bytes <= 8 * 1024 * 1024,
        "인스타그램 이미지는 8MB 이하여야 합니다.".to_owned(),
    );
}

fn kakao_rules(post: &PostContent, rule: &mut impl FnMut(bool, String)) {
    let n = post.text.chars().count();
    rule(
        n <= KAKAO_TEXT_MAX,
        format!("카카오 브랜드 메시지는 {KAKAO_TEXT_MAX}자 이하여야 합니다(지금 {n}자)."),
    );
    let button = post.button.as_deref().map_or(0, |b| b.chars().count());
    rule(
        button <= KAKAO_BUTTON_MAX,
        format!("카카오 버튼 이름은 {KAKAO_BUTTON_MAX}자 이하여야 합니다."),
    );
    let Some(image) = &post.image else {
        rule(false, "카카오 메시지에 넣을 이미지가 없습니다.".to_owned());
        return;
    };
    let ratio = f64::from(image.height) / f64::from(image.width.max(1));
    rule(
        image.width >= 500 && (0.5..=1.333).contains(&ratio),
        "카카오 이미지는 너비 500픽셀 이상, 세로/가로 비율 0.5~1.333이어야 합니다.".to_owned(),
    );
    rule(
        image.bytes <= 5 * 1024 * 1024,
        "카카오 이미지는 5MB 이하여야 합니다.".to_owned(),
    );
}

#[cfg(test)]
mod tests;
