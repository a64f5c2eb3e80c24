//! The facts a plan is written from: its period, the region, the rewards and their values,
//! and the expected participation.

use chrono::{Duration, NaiveDate};

use crate::domain::korean_calendar::{Occasion, Season};
use crate::domain::promotion::{IndustryKind, PromotionStats, PromotionType as P};
use crate::ports::RecommendationInput;

/// The period the plans are for: the owner's if set; else leading up to the next occasion
/// that fits; else a week from today.
fn plan_period(
    input: &RecommendationInput,
    t: P,
    occasion: Option<&Occasion>,
) -> (NaiveDate, NaiveDate) {
    if let Some(p) = input.period {
        return p;
    }
    let days = match t {
        P::TimeSale => 3,
        P::LimitedMenu => 21,
        P::StampCard => 30,
        _ => 14,
    };
    match occasion {
        Some(o) => {
            let start = (o.date - Duration::days(days - 1)).max(input.today + Duration::days(1));
            (start, o.date)
        }
        None => {
            let start = input.today + Duration::days(7);
            (start, start + Duration::days(days - 1))
        }
    }
}

fn region(address: &str) -> (String, Option<String>) {
    let mut parts = address.split_whitespace();
    let city = parts.next().unwrap_or("").to_owned();
    let short = ["특별시", "광역시", "특별자치시", "특별자치도", "도", "시"]
        .iter()
        .find_map(|suffix| city.strip_suffix(suffix).filter(|s| !s.is_empty()))
        .map_or(city.clone(), str::to_owned);
    let district = parts
        .find(|p| p.ends_with('구') || p.ends_with('군') || p.ends_with('시'))
        .map(str::to_owned);
    (short, district)
}

fn region_factor(city: &str) -> f64 {
    match city {
        "서울" => 1.3,
        "부산" | "인천" | "대구" | "대전" | "광주" | "울산" | "세종" => 1.1,
        _ => 1.0,
    }
}

/// (small reward, its value in KRW), (headline prize, its value in KRW)
fn rewards(kind: IndustryKind) -> ((&'static str, i64), (&'static str, i64)) {
    match kind {
        IndustryKind::Cafe => (
            ("아메리카노 1잔", 4_500),
            ("1만원 음료 교환권 + 시즌 디저트", 15_000),
        ),
        IndustryKind::Restaurant => (("사이드 메뉴 1개", 5_000), ("3만원 식사권", 30_000)),
        IndustryKind::Beauty => (
            ("두피·헤어 트리트먼트", 15_000),
            ("시술 50% 할인권", 40_000),
        ),
        IndustryKind::Academy => (
            ("무료 체험 수업 1회", 20_000),
            ("1개월 수강료 30% 할인", 60_000),
        ),
        IndustryKind::Retail => (("5천원 할인 쿠폰", 5_000), ("3만원 상품권", 30_000)),
    }
}

fn base_participants(kind: IndustryKind) -> f64 {
    match kind {
        IndustryKind::Cafe => 120.0,
        IndustryKind::Restaurant => 100.0,
        IndustryKind::Beauty => 40.0,
        IndustryKind::Academy => 25.0,
        IndustryKind::Retail => 80.0,
    }
}

fn type_factor(t: P) -> f64 {
    match t {
        P::Giveaway => 1.6,
        P::PhotoReview => 1.3,
        P::DiscountCoupon => 1.2,
        P::TimeSale => 1.1,
        P::FirstVisitGift | P::StampCard => 0.9,
        P::Referral => 0.8,
        P::LimitedMenu | P::BundleDeal => 1.0,
    }
}

/// What every sentence of a plan draws on.
pub(super) struct Facts<'a> {
    pub(super) input: &'a RecommendationInput,
    pub(super) t: P,
    pub(super) season: Season,
    pub(super) occasion: Option<&'a Occasion>,
    pub(super) store: &'a str,
    pub(super) city: String,
    pub(super) place: String,
    pub(super) small: (&'static str, i64),
    pub(super) big: (&'static str, i64),
    pub(super) start: NaiveDate,
    pub(super) end: NaiveDate,
    pub(super) days: i64,
    /// "크리스마스 맞이" or "겨울 시즌".
    pub(super) moment: String,
    pub(super) history: Option<&'a PromotionStats>,
    pub(super) expected: u32,
}

pub(super) fn facts<'a>(
    input: &'a RecommendationInput,
    kind: IndustryKind,
    season: Season,
    occasion: Option<&'a Occasion>,
    t: P,
) -> Facts<'a> {
    let (city, district) = region(&input.shop.address);
    let (small, big) = rewards(kind);
    let (start, end) = plan_period(input, t, occasion);
    let days = (end - start).num_days() + 1;
    let history = input
        .history
        .iter()
        .find(|s| s.promotion_type == t && s.events > 0);
    #[allow(clippy::cast_precision_loss)]
    let mut expected = base_participants(kind)
        * type_factor(t)
        * region_factor(&city)
        * ((days as f64) / 14.0).sqrt();
    if let Some(h) = history {
        expected = (expected + h.average_entries) / 2.0;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let expected = expected.round().max(5.0) as u32;
    Facts {
        input,
        t,
        season,
        occasion,
        store: &input.shop.name,
        place: district.unwrap_or_else(|| city.clone()),
        city,
        small,
        big,
        start,
        end,
        days,
        moment: occasion.map_or_else(
            || format!("{} 시즌", season.label()),
            |o| format!("{} 맞이", o.name),
        ),
        history,
        expected,
    }
}
