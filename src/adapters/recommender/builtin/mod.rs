//! The built-in recommender: no network, Korean output, deterministic for the same inputs.
//!
//! It scores every promotion type for the owner's objective and industry, adds what fits the
//! season and the Korean holidays and commercial days around the period, and what drew the most
//! entries on this platform before (same industry kind and objective), then writes three plans
//! of the three best, different types.

use async_trait::async_trait;
use chrono::Duration;

use crate::domain::Objective;
mod facts;
mod writing;

use crate::domain::korean_calendar::{Season, next_occasion, occasions_between};
use crate::domain::promotion::{IndustryKind, Plan, PromotionStats, PromotionType as P};
use crate::ports::{RecommendationInput, Recommended, Recommender, RecommenderError};
use writing::write_plan;

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

/// The three plans. Pure: the same input always gives the same plans.
pub fn recommend(input: &RecommendationInput) -> [Plan; 3] {
    let kind = IndustryKind::of(&input.shop.industry);
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

#[cfg(test)]
mod tests {
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
