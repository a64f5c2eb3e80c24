//! The built-in recommender: no network, Korean output, deterministic for the same inputs.
//!
//! It scores every promotion type for the owner's objective and industry, adds what fits the
//! season and the Korean holidays and commercial days around the period, and what drew the most
//! entries on this platform before (same industry kind and objective), then writes three plans
//! of the three best, different types.

use async_trait::async_trait;
use chrono::{Duration, NaiveDate};

use crate::domain::Objective;
use crate::domain::korean_calendar::{Occasion, Season, next_occasion, occasions_between};
use crate::domain::promotion::{IndustryKind, Plan, PromotionStats, PromotionType as P};
use crate::ports::{RecommendationInput, Recommended, Recommender, RecommenderError};

pub struct BuiltinRecommender;

#[async_trait]
impl Recommender for BuiltinRecommender {
    async fn recommend(
        &self,
        input: &RecommendationInput,
    ) -> Result<Recommended, RecommenderError> {
        Ok(Recommended {
            plans: recommend(input).to_vec(),
            note: None,
        })
    }
}

fn base_score(objective: Objective, t: P) -> i32 {
    use Objective as O;
    let table: &[(P, i32)] = match objective {
        O::NewCustomers => &[
            (P::FirstVisitGift, 9),
            (P::Referral, 8),
            (P::PhotoReview, 7),
            (P::DiscountCoupon, 7),
            (P::Giveaway, 6),
            (P::BundleDeal, 5),
            (P::TimeSale, 4),
            (P::LimitedMenu, 4),
            (P::StampCard, 2),
        ],
        O::Revisit => &[
            (P::StampCard, 9),
            (P::DiscountCoupon, 7),
            (P::LimitedMenu, 6),
            (P::BundleDeal, 5),
            (P::PhotoReview, 4),
            (P::TimeSale, 4),
            (P::Giveaway, 4),
            (P::Referral, 3),
            (P::FirstVisitGift, 1),
        ],
        O::Sales => &[
            (P::BundleDeal, 9),
            (P::TimeSale, 8),
            (P::LimitedMenu, 7),
            (P::DiscountCoupon, 6),
            (P::StampCard, 4),
            (P::Giveaway, 4),
            (P::PhotoReview, 3),
            (P::Referral, 3),
            (P::FirstVisitGift, 2),
        ],
        O::Awareness => &[
            (P::PhotoReview, 9),
            (P::Giveaway, 8),
            (P::Referral, 7),
            (P::LimitedMenu, 5),
            (P::FirstVisitGift, 4),
            (P::DiscountCoupon, 4),
            (P::BundleDeal, 3),
            (P::TimeSale, 2),
            (P::StampCard, 1),
        ],
    };
    table.iter().find(|(p, _)| *p == t).map_or(0, |(_, s)| *s)
}

fn industry_adjustment(kind: IndustryKind, t: P) -> i32 {
    use IndustryKind as I;
    match (kind, t) {
        (I::Cafe, P::StampCard | P::LimitedMenu) => 2,
        (I::Cafe, P::PhotoReview) => 1,
        (I::Restaurant, P::BundleDeal) => 2,
        (I::Restaurant, P::TimeSale | P::LimitedMenu) => 1,
        (I::Beauty, P::FirstVisitGift | P::Referral) => 2,
        (I::Beauty, P::TimeSale) => -2,
        (I::Beauty, P::BundleDeal | P::LimitedMenu) => -1,
        (I::Academy, P::Referral) => 3,
        (I::Academy, P::FirstVisitGift) => 1,
        (I::Academy, P::LimitedMenu) => -5,
        (I::Academy, P::TimeSale) => -4,
        (I::Academy, P::BundleDeal) => -2,
        (I::Academy, P::StampCard) => -1,
        (I::Retail, P::DiscountCoupon | P::Giveaway) => 1,
        (I::Retail, P::LimitedMenu) => -2,
        _ => 0,
    }
}

fn season_adjustment(season: Season, kind: IndustryKind, t: P) -> i32 {
    match (season, t) {
        (Season::Summer, P::TimeSale) => 1,
        (Season::Summer, P::LimitedMenu) if kind == IndustryKind::Cafe => 1,
        (Season::Winter, P::Giveaway) => 1,
        (Season::Spring, P::PhotoReview) => 1,
        _ => 0,
    }
}

/// Platform history: the types that drew the most entries get +4, +2, +1 (what worked here before
/// outweighs a one-point difference in the general tables).
fn history_adjustment(history: &[PromotionStats], t: P) -> i32 {
    let mut ranked: Vec<&PromotionStats> = history.iter().filter(|s| s.events > 0).collect();
    ranked.sort_by(|a, b| {
        b.average_entries
            .total_cmp(&a.average_entries)
            .then(a.promotion_type.cmp(&b.promotion_type))
    });
    ranked
        .iter()
        .take(3)
        .position(|s| s.promotion_type == t)
        .map_or(0, |i| [4, 2, 1][i])
}

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

/// The three plans. Pure: the same input always gives the same plans.
pub fn recommend(input: &RecommendationInput) -> [Plan; 3] {
    let kind = IndustryKind::of(&input.store.industry);
    let reference = input
        .period
        .map_or(input.today + Duration::days(7), |(s, _)| s);
    let season = Season::of(reference);
    let occasion = match input.period {
        Some((s, e)) => occasions_between(s - Duration::days(7), e)
            .into_iter()
            .find(|o| !o.fits.is_empty()),
        None => next_occasion(input.today),
    };
    let mut scored: Vec<(i32, P)> = P::ALL
        .into_iter()
        .map(|t| {
            let occasion_fit = occasion.as_ref().is_some_and(|o| o.fits.contains(&t));
            let score = base_score(input.objective, t)
                + industry_adjustment(kind, t)
                + season_adjustment(season, kind, t)
                + if occasion_fit { 2 } else { 0 }
                + history_adjustment(&input.history, t);
            (score, t)
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let pick = |i: usize| write_plan(input, kind, season, occasion.as_ref(), scored[i].1);
    [pick(0), pick(1), pick(2)]
}

fn write_plan(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::StoreInfo;
    use std::collections::HashSet;

    fn input(objective: Objective, industry: &str, today: &str) -> RecommendationInput {
        RecommendationInput {
            objective,
            store: StoreInfo::parse("카페 봄날", industry, "서울특별시 마포구 양화로 45").unwrap(),
            period: None,
            budget: None,
            today: NaiveDate::parse_from_str(today, "%Y-%m-%d").unwrap(),
            history: vec![],
        }
    }

    #[test]
    fn three_different_types_in_korean_with_reasons_and_the_ad_label() {
        for objective in Objective::ALL {
            for industry in ["카페", "한식 음식점", "미용실", "영어 학원", "꽃집"] {
                let plans = recommend(&input(objective, industry, "2026-11-21"));
                let types: HashSet<_> = plans.iter().map(|p| p.promotion_type).collect();
                assert_eq!(types.len(), 3, "{objective:?} {industry}");
                for p in &plans {
                    assert!(p.ad_copy.starts_with("(광고)"), "{}", p.ad_copy);
                    assert!(p.reason.chars().any(|c| ('가'..='힣').contains(&c)));
                    assert!(p.start_date <= p.end_date);
                    assert!(p.expected_participants > 0 && p.estimated_cost > 0);
                    assert_eq!(p.hashtags.len(), 4);
                }
            }
        }
    }

    #[test]
    fn deterministic() {
        let i = input(Objective::Revisit, "카페", "2026-11-21");
        assert_eq!(recommend(&i), recommend(&i));
    }

    #[test]
    fn the_season_and_holidays_shape_the_plans() {
        // Late November: 크리스마스 is the next occasion; plans lead up to it.
        let plans = recommend(&input(Objective::Awareness, "카페", "2026-11-21"));
        assert!(plans[0].name.contains("크리스마스"), "{}", plans[0].name);
        assert_eq!(plans[0].end_date.to_string(), "2026-12-25");
        // Early September 2026: 추석 (9/25, lunar) is ahead.
        let plans = recommend(&input(Objective::Sales, "한식 음식점", "2026-09-01"));
        assert!(
            plans.iter().any(|p| p.reason.contains("추석")),
            "{:?}",
            plans[0].reason
        );
        assert_eq!(plans[0].promotion_type, P::BundleDeal);
    }

    #[test]
    fn the_objective_and_industry_matter() {
        let academy = recommend(&input(Objective::NewCustomers, "영어 학원", "2026-06-10"));
        assert_eq!(academy[0].promotion_type, P::Referral);
        assert!(academy.iter().all(|p| p.promotion_type != P::LimitedMenu));
        let revisit = recommend(&input(Objective::Revisit, "카페", "2026-06-10"));
        assert_eq!(revisit[0].promotion_type, P::StampCard);
    }

    #[test]
    fn platform_history_moves_a_type_up() {
        let plain = input(Objective::Revisit, "카페", "2026-06-10");
        let before: Vec<P> = recommend(&plain).iter().map(|p| p.promotion_type).collect();
        assert!(!before.contains(&P::Giveaway), "{before:?}");
        let mut seeded = plain.clone();
        seeded.history = vec![
            PromotionStats {
                promotion_type: P::Giveaway,
                events: 12,
                average_entries: 480.0,
            },
            PromotionStats {
                promotion_type: P::StampCard,
                events: 30,
                average_entries: 90.0,
            },
        ];
        let after = recommend(&seeded);
        let giveaway = after
            .iter()
            .find(|p| p.promotion_type == P::Giveaway)
            .expect("history lifts it");
        assert!(giveaway.reason.contains("12건"), "{}", giveaway.reason);
        assert!(
            giveaway.expected_participants > 200,
            "blends in the history: {}",
            giveaway.expected_participants
        );
    }

    #[test]
    fn the_owners_period_and_budget_are_respected() {
        let mut i = input(Objective::Sales, "카페", "2026-06-10");
        let s = NaiveDate::parse_from_str("2026-07-01", "%Y-%m-%d").unwrap();
        let e = NaiveDate::parse_from_str("2026-07-10", "%Y-%m-%d").unwrap();
        i.period = Some((s, e));
        i.budget = Some(50_000);
        for p in recommend(&i) {
            assert_eq!((p.start_date, p.end_date), (s, e));
            assert!(p.estimated_cost <= 50_000);
        }
    }
}
