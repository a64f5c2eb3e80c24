//! The facts a plan is written from: its period and the dates said in words, the region, the
//! trade's profile, and the expected participation.

use chrono::{Datelike, Duration, NaiveDate};

use crate::domain::korean::spoken_date;
use crate::domain::korean_calendar::{Occasion, Season};
use crate::domain::place::Place;
use crate::domain::promotion::{PromotionStats, PromotionType as P};
use crate::domain::trade::{Profile, Trade};
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

fn region_factor(city: &str) -> f64 {
    match city {
        "서울" => 1.3,
        "부산" | "인천" | "대구" | "대전" | "광주" | "울산" | "세종" => 1.1,
        _ => 1.0,
    }
}

/// Entrants a two-week event of an average promotion draws in a mid-sized city.
fn base_participants(trade: Trade) -> f64 {
    match trade {
        Trade::Cafe | Trade::Bakery => 120.0,
        Trade::Restaurant => 100.0,
        Trade::Flower | Trade::Retail => 80.0,
        Trade::Hair | Trade::Nail | Trade::Skin => 40.0,
        Trade::Fitness => 35.0,
        Trade::Academy => 25.0,
        Trade::Other => 50.0,
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
    pub(super) profile: &'static Profile,
    pub(super) t: P,
    pub(super) season: Season,
    pub(super) occasion: Option<&'a Occasion>,
    pub(super) store: &'a str,
    pub(super) city: String,
    pub(super) place: String,
    /// The address read as places (its 동 and station for hashtags).
    pub(super) at: Place,
    pub(super) start: NaiveDate,
    pub(super) end: NaiveDate,
    pub(super) days: i64,
    /// "12월 10일", the year only when it is not this year's.
    pub(super) start_said: String,
    pub(super) end_said: String,
    /// The day after the end, when draws are held.
    pub(super) draw_date: String,
    /// Coupons can be used for a month after the end.
    pub(super) use_until_said: String,
    /// "크리스마스 맞이" or "겨울 시즌".
    pub(super) moment: String,
    pub(super) history: Option<&'a PromotionStats>,
    pub(super) expected: u32,
}

pub(super) fn facts<'a>(
    input: &'a RecommendationInput,
    trade: Trade,
    season: Season,
    occasion: Option<&'a Occasion>,
    t: P,
) -> Facts<'a> {
    let at = Place::parse(&input.shop.address);
    // An address that names no province ("역 앞 상가 1층") is just "the neighbourhood".
    let city = match at.province.as_str() {
        "" => "동네".to_owned(),
        p => p.to_owned(),
    };
    let (start, end) = plan_period(input, t, occasion);
    let days = (end - start).num_days() + 1;
    let history = (input.history.iter()).find(|s| s.promotion_type == t && s.events > 0);
    let said = |d: NaiveDate| spoken_date(d, input.today.year());
    Facts {
        input,
        profile: trade.profile(),
        t,
        season,
        occasion,
        store: &input.shop.name,
        place: match at.area() {
            "" => city.clone(),
            a => a.to_owned(),
        },
        at,
        expected: expected(trade, t, &city, days, history),
        city,
        start,
        end,
        days,
        start_said: said(start),
        end_said: said(end),
        draw_date: said(end + Duration::days(1)),
        use_until_said: said(end + Duration::days(30)),
        moment: occasion.map_or_else(
            || format!("{} 시즌", season.label()),
            |o| format!("{} 맞이", o.name),
        ),
        history,
    }
}

fn expected(trade: Trade, t: P, city: &str, days: i64, history: Option<&PromotionStats>) -> u32 {
    #[allow(clippy::cast_precision_loss)]
    let mut expected = base_participants(trade)
        * type_factor(t)
        * region_factor(city)
        * ((days as f64) / 14.0).sqrt();
    if let Some(h) = history {
        expected = (expected + h.average_entries) / 2.0;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let expected = expected.round().max(5.0) as u32;
    expected
}
