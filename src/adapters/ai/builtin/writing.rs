//! Writing one plan: period, rewards, expected participants, cost, and the Korean text.

use chrono::{Duration, NaiveDate};

use crate::domain::Objective;
use crate::domain::korean_calendar::{Occasion, Season};
use crate::domain::promotion::{IndustryKind, Plan, PromotionType as P};
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

pub(super) fn write_plan(
    input: &RecommendationInput,
    kind: IndustryKind,
    season: Season,
    occasion: Option<&Occasion>,
    t: P,
) -> Plan {
    let store = &input.store.name;
    let (city, district) = region(&input.store.address);
    let place = district.clone().unwrap_or_else(|| city.clone());
    let ((small, small_value), (big, big_value)) = rewards(kind);
    let (start, end) = plan_period(input, t, occasion);
    let days = (end - start).num_days() + 1;
    let moment = occasion.map_or_else(
        || format!("{} 시즌", season.label()),
        |o| format!("{} 맞이", o.name),
    );

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
    let n = i64::from(expected);

    let (name, description, prize, cost) = match t {
        P::DiscountCoupon => (
            format!("{moment} {store} 할인 쿠폰 이벤트"),
            format!(
                "이벤트 페이지에서 응모한 고객에게 다음 방문 때 쓸 수 있는 {small}을(를) 드립니다. 쿠폰은 {end}까지 사용할 수 있습니다."
            ),
            small.to_owned(),
            n * 4 / 10 * small_value,
        ),
        P::StampCard => (
            format!("{moment} {store} 스탬프 2배 적립"),
            format!(
                "기간 중 방문할 때마다 스탬프를 두 배로 찍어 드리고, 5개를 모으면 {small}을(를) 드립니다."
            ),
            small.to_owned(),
            n * 3 / 10 * small_value,
        ),
        P::PhotoReview => (
            format!("{moment} {store} 인증샷 이벤트"),
            format!(
                "매장 사진을 #{} 해시태그와 함께 SNS에 올리고 응모하면 전원 {small}, 추첨으로 3명에게 {big}을(를) 드립니다.",
                store.replace(' ', "")
            ),
            format!("전원 {small} + 추첨 3명 {big}"),
            n / 2 * small_value + 3 * big_value,
        ),
        P::Referral => (
            format!("{moment} {store} 친구 추천 이벤트"),
            format!(
                "친구와 함께 오거나 추천 링크로 친구가 응모하면 두 사람 모두에게 {small}을(를) 드립니다."
            ),
            format!("추천한 사람·추천받은 사람 모두 {small}"),
            n * small_value,
        ),
        P::LimitedMenu => (
            format!("{moment} {store} 기간 한정 메뉴"),
            format!(
                "{} 분위기를 담은 한정 메뉴를 {days}일 동안만 선보이고, 응모 고객 중 10명에게 {small}을(를) 드립니다.",
                moment
            ),
            format!("추첨 10명 {small}"),
            50_000 + 10 * small_value,
        ),
        P::Giveaway => (
            format!("{moment} {store} 경품 추첨"),
            format!(
                "이벤트 페이지에서 응모하면 추첨으로 5명에게 {big}을(를) 드립니다. 당첨자는 공정한 추첨으로 뽑고 결과를 공개합니다."
            ),
            format!("추첨 5명 {big}"),
            5 * big_value,
        ),
        P::FirstVisitGift => (
            format!("{moment} {store} 첫 방문 선물"),
            format!("처음 방문해 응모한 고객 모두에게 {small}을(를) 드립니다."),
            format!("첫 방문 고객 전원 {small}"),
            n * small_value,
        ),
        P::BundleDeal => (
            format!("{moment} {store} 1+1 세트 이벤트"),
            format!(
                "기간 중 인기 메뉴·상품을 1+1 또는 세트 할인으로 제공하고, 응모 고객 중 3명에게 {big}을(를) 드립니다."
            ),
            format!("1+1 혜택 + 추첨 3명 {big}"),
            n / 2 * small_value + 3 * big_value,
        ),
        P::TimeSale => (
            format!("{moment} {store} 타임 세일"),
            format!(
                "{days}일 동안 손님이 적은 시간대(오후 2~5시)에 30% 할인하고, 응모 고객에게 {small}을(를) 추가로 드립니다."
            ),
            format!("30% 할인 + {small}"),
            n * 3 / 10 * small_value,
        ),
    };
    let cost = cost + 30_000; // posters, QR stands
    let (estimated_cost, budget_note) = match input.budget {
        Some(b) if cost > b => (b, format!(" 예산 {b}원에 맞춰 혜택 수량을 한정하세요.")),
        _ => (cost, String::new()),
    };

    let target_audience = match input.objective {
        Objective::NewCustomers => {
            format!("{place} 인근 직장인·주민 중 아직 방문하지 않은 잠재 고객")
        }
        Objective::Revisit => "최근 3개월 안에 방문한 단골·재방문 가능 고객".to_owned(),
        Objective::Sales => format!("객단가를 높일 수 있는 기존 고객과 {place} 유동 인구"),
        Objective::Awareness => format!("{city} 지역에서 SNS를 즐겨 쓰는 20~30대"),
    };
    let occasion_reason = occasion.map_or_else(
        || {
            format!(
                "{} 시즌에는 {}이(가) 자연스러운 방문 계기가 됩니다.",
                season.label(),
                t.label()
            )
        },
        |o| {
            let kind = match o.kind {
                crate::domain::korean_calendar::OccasionKind::PublicHoliday => "공휴일",
                crate::domain::korean_calendar::OccasionKind::CommercialDay => "기념일",
            };
            format!(
                "{}({kind}, {})을 앞두고 {}에 대한 관심이 높아지는 때입니다.",
                o.name,
                o.date,
                t.label()
            )
        },
    );
    let history_reason = match history {
        Some(h) => format!(
            " 이 플랫폼에서 같은 업종·같은 목표로 진행된 {}건의 {} 이벤트는 평균 {:.0}명이 참여했습니다.",
            h.events,
            t.label(),
            h.average_entries
        ),
        None if input.history.iter().any(|s| s.events > 0) => String::new(),
        None => {
            " 같은 업종의 지난 이벤트 기록이 아직 없어 업종별 기본 성과를 기준으로 예상했습니다."
                .to_owned()
        }
    };
    let reason = format!(
        "{occasion_reason} '{}' 목표에는 {}이(가) 잘 맞고, {} 업종에서 부담 없이 운영할 수 있습니다.{history_reason} {place} 상권을 기준으로 약 {expected}명의 참여를 예상합니다.{budget_note}",
        input.objective.label(),
        t.label(),
        input.store.industry,
    );
    let tag = |s: &str| format!("#{}", s.replace(' ', ""));
    let hashtags = vec![
        tag(store),
        tag(&format!("{place}{}", input.store.industry)),
        tag(t.label().split('·').next().unwrap_or(t.label())),
        tag(&format!(
            "{}이벤트",
            occasion.map_or(season.label(), |o| o.name)
        )),
    ];
    let ad_copy = format!(
        "(광고) [{store}] {name} | {start} ~ {end} | {prize} | 자세한 내용과 응모는 링크에서 확인하세요."
    );
    Plan {
        promotion_type: t,
        name,
        description,
        prize,
        target_audience,
        start_date: start,
        end_date: end,
        expected_participants: expected,
        estimated_cost,
        hashtags,
        reason,
        ad_copy,
    }
}
