//! Promotion types, the shop's industry as the recommender sees it, and an event plan.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PromotionType {
    DiscountCoupon,
    StampCard,
    PhotoReview,
    Referral,
    LimitedMenu,
    Giveaway,
    FirstVisitGift,
    BundleDeal,
    TimeSale,
}

impl PromotionType {
    pub const ALL: [PromotionType; 9] = [
        PromotionType::DiscountCoupon,
        PromotionType::StampCard,
        PromotionType::PhotoReview,
        PromotionType::Referral,
        PromotionType::LimitedMenu,
        PromotionType::Giveaway,
        PromotionType::FirstVisitGift,
        PromotionType::BundleDeal,
        PromotionType::TimeSale,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PromotionType::DiscountCoupon => "DISCOUNT_COUPON",
            PromotionType::StampCard => "STAMP_CARD",
            PromotionType::PhotoReview => "PHOTO_REVIEW",
            PromotionType::Referral => "REFERRAL",
            PromotionType::LimitedMenu => "LIMITED_MENU",
            PromotionType::Giveaway => "GIVEAWAY",
            PromotionType::FirstVisitGift => "FIRST_VISIT_GIFT",
            PromotionType::BundleDeal => "BUNDLE_DEAL",
            PromotionType::TimeSale => "TIME_SALE",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PromotionType::DiscountCoupon => "할인 쿠폰",
            PromotionType::StampCard => "스탬프 적립",
            PromotionType::PhotoReview => "SNS 인증샷 리뷰 이벤트",
            PromotionType::Referral => "친구 추천 이벤트",
            PromotionType::LimitedMenu => "기간 한정 메뉴",
            PromotionType::Giveaway => "경품 추첨 이벤트",
            PromotionType::FirstVisitGift => "첫 방문 사은품",
            PromotionType::BundleDeal => "1+1·세트 할인",
            PromotionType::TimeSale => "타임 세일",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == s)
    }
}

/// How the platform history groups shops (`trade::Trade` is the finer reading).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum IndustryKind {
    Cafe,
    Restaurant,
    Beauty,
    Academy,
    Fitness,
    Retail,
    Other,
}

impl IndustryKind {
    pub fn of(industry: &str) -> Self {
        super::trade::Trade::of(industry).kind()
    }

    pub fn code(self) -> &'static str {
        match self {
            IndustryKind::Cafe => "CAFE",
            IndustryKind::Restaurant => "RESTAURANT",
            IndustryKind::Beauty => "BEAUTY",
            IndustryKind::Academy => "ACADEMY",
            IndustryKind::Fitness => "FITNESS",
            IndustryKind::Retail => "RETAIL",
            IndustryKind::Other => "OTHER",
        }
    }

    pub const ALL: [IndustryKind; 7] = [
        IndustryKind::Cafe,
        IndustryKind::Restaurant,
        IndustryKind::Beauty,
        IndustryKind::Academy,
        IndustryKind::Fitness,
        IndustryKind::Retail,
        IndustryKind::Other,
    ];

    /// Every free-text industry that reads as this kind shares one history: the history is
    /// stored per kind code.
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// One proposed event plan. Stored as JSON; field names are the API's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub promotion_type: PromotionType,
    pub name: String,
    pub description: String,
    pub prize: String,
    pub target_audience: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub expected_participants: u32,
    /// KRW.
    pub estimated_cost: i64,
    pub hashtags: Vec<String>,
    /// "왜 지금 이 이벤트인가": one paragraph.
    pub reason: String,
    /// Copy for channel messages; starts with "(광고)" as Korean law requires for advertising
    /// messages (정보통신망법 제50조).
    pub ad_copy: String,
    /// How it runs at the counter, as data (plans stored before mechanics existed have none).
    #[serde(default)]
    pub mechanic: Option<super::mechanic::Mechanic>,
}

/// A stored plan of an event.
#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation {
    pub id: super::ids::RecommendationId,
    pub event_id: super::ids::EventId,
    pub job_id: super::ids::JobId,
    /// 1..=3, best first.
    pub rank: u8,
    pub plan: Plan,
    pub selected: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// What past events of one industry kind and objective drew, per promotion type.
#[derive(Debug, Clone, PartialEq)]
pub struct PromotionStats {
    pub promotion_type: PromotionType,
    pub events: u32,
    pub average_entries: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn industries_are_read_from_free_text() {
        assert_eq!(IndustryKind::of("카페"), IndustryKind::Cafe);
        assert_eq!(IndustryKind::of("동네 베이커리 카페"), IndustryKind::Cafe);
        assert_eq!(IndustryKind::of("미용실"), IndustryKind::Beauty);
        assert_eq!(IndustryKind::of("영어 학원"), IndustryKind::Academy);
        assert_eq!(IndustryKind::of("한식 음식점"), IndustryKind::Restaurant);
        assert_eq!(IndustryKind::of("꽃집"), IndustryKind::Retail);
        assert_eq!(IndustryKind::of("헬스장"), IndustryKind::Fitness);
        assert_eq!(IndustryKind::of("세탁소"), IndustryKind::Other);
        for k in IndustryKind::ALL {
            assert_eq!(IndustryKind::from_code(k.code()), Some(k));
        }
        for t in PromotionType::ALL {
            assert_eq!(PromotionType::from_code(t.code()), Some(t));
        }
    }
}
