//! A promotion's mechanic as data: what a customer gets, how many are given first come, until
//! when, how often, in which hours, and — per kind — a stamp card's goal and gap, a referral's
//! rewards and when they unlock, a photo review's rules, a giveaway's winners. Each plan carries
//! one (the recommender fills it), the owner edits it while the event is a draft, and publishing
//! fixes it: the public notice, the pass and the counter all read this, never prose.

mod check;
mod spoken;
mod terms;
mod window;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::promotion::PromotionType;

pub use spoken::speakable;

/// The most alternates a draw names.
pub const MAX_ALTERNATES: u32 = 100;
pub use window::{Weekday, Window};

/// What a customer gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Benefit {
    /// A share of the bill, in per cent (1–90).
    Percent {
        #[schema(minimum = 1, maximum = 90)]
        rate: u8,
    },
    /// An amount off the bill, in KRW.
    Amount {
        #[schema(minimum = 100, maximum = 10_000_000)]
        won: i64,
    },
    /// Something given: its name, and what it costs the shop (KRW, for the results).
    Item {
        #[schema(example = "아메리카노 1잔")]
        name: String,
        #[schema(minimum = 0)]
        value: i64,
    },
}

/// How long a pass can be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Validity {
    /// Up to and including this Seoul date (not before the event's last day).
    Until {
        #[schema(example = "2026-12-31")]
        date: NaiveDate,
    },
    /// This many days from the day the pass was issued (that day counts as the first).
    Days {
        #[schema(minimum = 1, maximum = 366)]
        days: u16,
    },
}

/// When a referral's rewards unlock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Unlock {
    /// As soon as the friend joins through the invite link.
    FriendJoined,
    /// When the friend first uses their pass at the counter (so fake friends earn nothing).
    FriendRedeemed,
}

/// Where a photo review may be posted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReviewSite {
    Instagram,
    NaverBlog,
    NaverPlace,
}

impl ReviewSite {
    pub const ALL: [ReviewSite; 3] = [Self::Instagram, Self::NaverBlog, Self::NaverPlace];

    pub fn label(self) -> &'static str {
        match self {
            Self::Instagram => "인스타그램",
            Self::NaverBlog => "네이버 블로그",
            Self::NaverPlace => "네이버 플레이스 리뷰",
        }
    }

    /// The hosts whose addresses count as this site.
    pub fn hosts(self) -> &'static [&'static str] {
        match self {
            Self::Instagram => &["instagram.com", "www.instagram.com"],
            Self::NaverBlog => &["blog.naver.com", "m.blog.naver.com"],
            Self::NaverPlace => &["m.place.naver.com", "place.naver.com", "naver.me"],
        }
    }
}

/// The mechanic of one promotion, by kind. Field names are the API's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Mechanic {
    /// A pass with a benefit, used at the counter (`uses` times): discount coupons, first-visit
    /// gifts, bundle deals, limited menus.
    #[serde(rename_all = "camelCase")]
    Coupon {
        benefit: Benefit,
        /// First come: passes issued at most (`None`: as many as join).
        #[schema(minimum = 1)]
        cap: Option<u32>,
        validity: Validity,
        #[schema(minimum = 1, maximum = 30)]
        uses: u8,
    },
    /// A coupon usable only inside its window (Asia/Seoul).
    #[serde(rename_all = "camelCase")]
    TimeSale {
        benefit: Benefit,
        #[schema(minimum = 1)]
        cap: Option<u32>,
        window: Window,
        validity: Validity,
        #[schema(minimum = 1, maximum = 30)]
        uses: u8,
    },
    /// One stamp per visit (at most one within `min_gap_hours`); the reward at `goal`.
    #[serde(rename_all = "camelCase")]
    StampCard {
        #[schema(minimum = 2, maximum = 30)]
        goal: u8,
        reward: Benefit,
        min_gap_hours: u16,
        #[schema(minimum = 1)]
        cap: Option<u32>,
        validity: Validity,
    },
    /// Each pass carries an invite link: a friend who joins through it gets `friend`, and the
    /// inviter gets `inviter` once per friend, when `unlock` says.
    #[serde(rename_all = "camelCase")]
    Referral {
        inviter: Benefit,
        friend: Benefit,
        unlock: Unlock,
        #[schema(minimum = 1)]
        cap: Option<u32>,
        validity: Validity,
    },
    /// The customer adds their post's address; once the owner approves it, the reward.
    #[serde(rename_all = "camelCase")]
    PhotoReview {
        reward: Benefit,
        sites: Vec<ReviewSite>,
        #[schema(example = "카페봄날")]
        hashtag: String,
        #[schema(minimum = 1)]
        cap: Option<u32>,
        validity: Validity,
    },
    /// Entries, and a draw of `winners` after the end.
    #[serde(rename_all = "camelCase")]
    Giveaway {
        #[schema(minimum = 1, maximum = 1000)]
        winners: u32,
    },
}

impl Mechanic {
    /// The kind of mechanic each promotion type runs.
    pub fn fits(&self, t: PromotionType) -> bool {
        use PromotionType as P;
        matches!(
            (self, t),
            (
                Mechanic::Coupon { .. },
                P::DiscountCoupon | P::FirstVisitGift | P::BundleDeal | P::LimitedMenu
            ) | (Mechanic::TimeSale { .. }, P::TimeSale)
                | (Mechanic::StampCard { .. }, P::StampCard)
                | (Mechanic::Referral { .. }, P::Referral)
                | (Mechanic::PhotoReview { .. }, P::PhotoReview)
                | (Mechanic::Giveaway { .. }, P::Giveaway)
        )
    }

    /// The promotion type a mechanic set on its own stands for.
    pub fn default_type(&self) -> PromotionType {
        match self {
            Mechanic::Coupon { .. } => PromotionType::DiscountCoupon,
            Mechanic::TimeSale { .. } => PromotionType::TimeSale,
            Mechanic::StampCard { .. } => PromotionType::StampCard,
            Mechanic::Referral { .. } => PromotionType::Referral,
            Mechanic::PhotoReview { .. } => PromotionType::PhotoReview,
            Mechanic::Giveaway { .. } => PromotionType::Giveaway,
        }
    }

    /// First come: how many passes may be issued (`None`: no limit).
    pub fn cap(&self) -> Option<u32> {
        match self {
            Mechanic::Coupon { cap, .. }
            | Mechanic::TimeSale { cap, .. }
            | Mechanic::StampCard { cap, .. }
            | Mechanic::Referral { cap, .. }
            | Mechanic::PhotoReview { cap, .. } => *cap,
            Mechanic::Giveaway { .. } => None,
        }
    }

    pub fn validity(&self) -> Option<Validity> {
        match self {
            Mechanic::Coupon { validity, .. }
            | Mechanic::TimeSale { validity, .. }
            | Mechanic::StampCard { validity, .. }
            | Mechanic::Referral { validity, .. }
            | Mechanic::PhotoReview { validity, .. } => Some(*validity),
            Mechanic::Giveaway { .. } => None,
        }
    }

    /// A giveaway's draw, fixed when it is published and stated in its terms: the winners, and
    /// as many alternates (at most `MAX_ALTERNATES`), who step in one by one only when a
    /// winner is replaced. `None` for a promotion that draws nothing.
    pub fn draw_counts(&self) -> Option<(u32, u32)> {
        match self {
            Mechanic::Giveaway { winners } => Some((*winners, (*winners).min(MAX_ALTERNATES))),
            _ => None,
        }
    }

    /// Joining gives a pass (every kind but a giveaway, whose entrants keep a draw receipt).
    pub fn gives_pass(&self) -> bool {
        !matches!(self, Mechanic::Giveaway { .. })
    }
}

impl Validity {
    /// The last Seoul day a pass issued on `issued` can be used.
    pub fn last_day(self, issued: NaiveDate) -> NaiveDate {
        match self {
            Validity::Until { date } => date,
            Validity::Days { days } => issued + chrono::Duration::days(i64::from(days.max(1)) - 1),
        }
    }
}

#[cfg(test)]
mod tests;
