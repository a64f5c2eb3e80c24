//! The built-in recommender: no network, Korean output, deterministic for the same inputs.
//!
//! It reads the shop's trade (`domain::trade`), scores every promotion that makes sense for it by
//! the owner's objective, the season and the Korean holidays and commercial days around the
//! period, and what drew the most entries on this platform before (same industry kind and
//! objective), then writes three plans of the three best, different types that fit the budget.

use async_trait::async_trait;
use chrono::Duration;

use crate::domain::Objective;
mod facts;
mod offers;
mod writing;

use crate::domain::korean_calendar::{Season, next_occasion, occasions_between};
use crate::domain::promotion::{IndustryKind, Plan, PromotionStats, PromotionType as P};
use crate::domain::trade::Trade;
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
        (I::Beauty, P::BundleDeal) => -1,
        (I::Academy, P::Referral) => 3,
        (I::Academy, P::FirstVisitGift) => 1,
        (I::Academy, P::BundleDeal) => -2,
        (I::Fitness, P::FirstVisitGift | P::Referral) => 2,
        (I::Fitness, P::StampCard) => 1,
        (I::Retail, P::DiscountCoupon | P::Giveaway) => 1,
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
    let trade = Trade::of(&input.shop.industry);
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
    let mut scored: Vec<(i32, P)> = (trade.profile().allowed.iter())
        .map(|&t| {
            let occasion_fit = occasion.as_ref().is_some_and(|o| o.fits.contains(&t));
            let score = base_score(input.objective, t)
                + industry_adjustment(trade.kind(), t)
                + season_adjustment(season, trade.kind(), t)
                + if occasion_fit { 2 } else { 0 }
                + history_adjustment(&input.history, t);
            (score, t)
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let plans = scored
        .iter()
        .map(|(_, t)| write_plan(input, trade, season, occasion.as_ref(), *t));
    // The best plans within the owner's budget; others only when too few fit it.
    let (mut fit, over): (Vec<Plan>, Vec<Plan>) =
        plans.partition(|p| input.budget.is_none_or(|b| p.estimated_cost <= b));
    fit.extend(over);
    fit.truncate(3);
    #[allow(clippy::expect_used)]
    // every trade allows five promotions or more (domain::trade tests it)
    let best: [Plan; 3] = fit.try_into().expect("three plans");
    best
}

#[cfg(test)]
mod tests;
