//! The built-in recommender's plans: shape, the calendar, history, budget, and the grid of
//! trades × objectives × months × history × budget held to `domain::plan_check`.

use super::*;
use crate::domain::ShopInfo;
use chrono::NaiveDate;
use std::collections::HashSet;

fn input(objective: Objective, industry: &str, today: &str) -> RecommendationInput {
    RecommendationInput {
        objective,
        shop: ShopInfo::parse("카페 봄날", industry, "서울특별시 마포구 양화로 45").unwrap(),
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
                assert!((4..=5).contains(&p.hashtags.len()), "{:?}", p.hashtags);
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

/// At least ten trades, as owners write them.
const TRADES: [&str; 14] = [
    "카페",
    "베이커리",
    "한식 음식점",
    "치킨집",
    "미용실",
    "네일샵",
    "피부관리실",
    "영어 학원",
    "피아노 교습소",
    "헬스장",
    "필라테스",
    "꽃집",
    "옷가게",
    "세탁소",
];

fn seeded_history() -> Vec<PromotionStats> {
    [
        (P::Giveaway, 12, 300.0),
        (P::Referral, 4, 40.0),
        (P::StampCard, 9, 80.0),
    ]
    .into_iter()
    .map(|(promotion_type, events, average_entries)| PromotionStats {
        promotion_type,
        events,
        average_entries,
    })
    .collect()
}

/// The total the owner's notes write out ("합계 123,000원").
fn written_total(description: &str) -> Option<i64> {
    let after = description.split("합계 ").nth(1)?;
    let digits: String = after
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .collect();
    digits.replace(',', "").parse().ok()
}

fn check_grid_cell(i: &RecommendationInput) {
    let plans = recommend(i);
    let shop = &i.shop;
    let owner = [
        shop.name.as_str(),
        shop.industry.as_str(),
        shop.address.as_str(),
    ];
    let trade = crate::domain::trade::Trade::of(&shop.industry);
    let problems = crate::domain::plan_check::check_plans(&plans, trade, &owner, i.budget);
    assert!(
        problems.is_empty(),
        "{} {:?} {}: {problems:?}\n{plans:#?}",
        shop.industry,
        i.objective,
        i.today
    );
    for p in &plans {
        // The costs add up in the owner's notes, and never reach what customers read.
        assert_eq!(
            written_total(&p.reason),
            Some(p.estimated_cost),
            "{}",
            p.reason
        );
        for text in [&p.name, &p.description, &p.prize, &p.ad_copy] {
            assert!(!crate::domain::audience::has_owner_costs(text), "{text}");
        }
        assert!(p.estimated_cost > 0 && p.expected_participants > 0);
        assert!(p.reason.contains("마포구"), "a local fact: {}", p.reason);
        let moment = p.reason.contains("월 ")
            || ["봄", "여름", "가을", "겨울"]
                .iter()
                .any(|s| p.reason.contains(s));
        assert!(moment, "a season or a dated occasion: {}", p.reason);
        assert!(p.ad_copy.starts_with("(광고)"));
        assert!(
            !p.ad_copy.contains("2026-") && !p.reason.contains("2026-"),
            "dates said in words"
        );
    }
}

#[test]
fn every_trade_objective_month_history_and_budget_clears_the_bar() {
    for industry in TRADES {
        let shop =
            ShopInfo::parse("우리 동네 가게", industry, "서울특별시 마포구 양화로 45").unwrap();
        for objective in Objective::ALL {
            for month in 1..=12 {
                for history in [vec![], seeded_history()] {
                    for budget in [None, Some(150_000), Some(1_000_000)] {
                        let i = RecommendationInput {
                            objective,
                            shop: shop.clone(),
                            period: None,
                            budget,
                            today: NaiveDate::from_ymd_opt(2026, month, 8).unwrap(),
                            history: history.clone(),
                        };
                        check_grid_cell(&i);
                    }
                }
            }
        }
    }
}

#[test]
fn the_bar_catches_what_the_old_plans_did() {
    // What a hair salon was offered before: hedged particles, a menu, a coupon without a rate.
    let mut bad = recommend(&input(Objective::Revisit, "미용실", "2026-12-01"));
    bad[0].description = "두피·헤어 트리트먼트을(를) 드립니다.".into();
    let coupon = (bad.iter_mut())
        .find(|p| p.promotion_type == P::DiscountCoupon)
        .unwrap();
    coupon.name = "기간 한정 메뉴".into();
    coupon.description = "다음에 오시면 혜택을 드립니다.".into();
    coupon.prize = "할인 쿠폰".into();
    bad[2].prize = "할인 쿠폰".into();
    let trade = crate::domain::trade::Trade::Hair;
    let problems = crate::domain::plan_check::check_plans(&bad, trade, &[], None);
    use crate::domain::plan_check::PlanProblem as Pp;
    assert!(
        problems.iter().any(|p| matches!(p, Pp::Hedged { .. })),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| matches!(p, Pp::Foreign { word: "메뉴", .. }))
    );
    assert!(problems.iter().any(|p| matches!(p, Pp::Repeated("prize"))));
    assert!(problems.iter().any(|p| matches!(p, Pp::Mechanics { .. })));
}

/// Hashtags and audiences use the places Koreans search by: the 동 and station when the address
/// gives them, the province as it is shortened, never a cut-off name or "#…기타".
#[test]
fn places_are_named_as_people_search_them() {
    let at = |industry: &str, address: &str| {
        let mut i = input(Objective::Awareness, industry, "2026-11-21");
        i.shop = ShopInfo::parse("봄날", industry, address).unwrap();
        recommend(&i)
    };
    let tags = |plans: &[Plan]| {
        plans
            .iter()
            .flat_map(|p| p.hashtags.clone())
            .collect::<Vec<_>>()
    };
    let dong = tags(&at("카페", "서울특별시 마포구 양화로 45 (서교동)"));
    assert!(dong.contains(&"#서교동카페".to_owned()), "{dong:?}");
    let station = tags(&at("카페", "서울 강남구 강남대로 396 강남역 2번 출구"));
    assert!(station.contains(&"#강남역카페".to_owned()), "{station:?}");
    let other = tags(&at("기타", "세종특별자치시 한누리대로 2130"));
    assert!(
        other.contains(&"#세종가게".to_owned()) && !other.iter().any(|t| t.contains("기타")),
        "{other:?}"
    );
    for plan in at("꽃집", "전라남도 순천시 연향동 1") {
        let text = format!(
            "{} {} {:?}",
            plan.target_audience, plan.reason, plan.hashtags
        );
        assert!(
            !text.contains("전라남 ") && text.contains("순천시"),
            "{text}"
        );
    }
    for plan in at("헬스장", "역 앞 상가 1층") {
        let text = format!("{} {:?}", plan.target_audience, plan.hashtags);
        assert!(!text.contains("#역") && !text.starts_with("역 "), "{text}");
        assert!(plan.hashtags.contains(&"#헬스장".to_owned()), "{text}");
    }
}
