//! A customer's pass: what joining a promotion gives (every kind but a giveaway, whose entrants
//! keep their draw receipt). Its code is unguessable (80 bits) and is all the counter needs; the
//! pass holds no name or phone (those stay sealed on the entry). What the counter may do with it
//! — use it, stamp it, give its reward — is decided here, from the event's mechanic, so every
//! door and both stores follow one rule.

mod code;
mod counter;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::EventId;
use super::calendar::seoul_date;
use super::entrant::Receipt;
use super::entry::EntrySource;
use super::mechanic::Mechanic;

pub use code::{InviteCode, PassCode};
pub use counter::{Act, Acted, UNDO_MINUTES};

/// A photo review's state, once the customer has added its address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewState {
    Pending,
    Approved,
    Rejected { reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub url: String,
    pub state: ReviewState,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pass {
    pub event_id: EventId,
    pub receipt: Receipt,
    pub source: Option<EntrySource>,
    pub issued_at: DateTime<Utc>,
    /// The last Seoul day it can be used (from the mechanic's validity at issue).
    pub last_day: Option<NaiveDate>,
    /// Times used at the counter (a coupon, a friend's benefit).
    pub uses: u32,
    pub stamps: u32,
    pub last_stamp_at: Option<DateTime<Utc>>,
    /// Rewards given: a stamp card's, an inviter's (one per credited friend), a review's.
    pub rewards: u32,
    /// Friends who joined through this pass's invite link, and those whose join counts.
    pub invited: u32,
    pub credited: u32,
    /// The pass whose invite link this one joined through.
    pub referred_by: Option<Receipt>,
    pub review: Option<Review>,
    /// When the last act left nothing more to do with it (used up, its reward given): from then
    /// the entry's personal data is kept only as long as a non-winner's (docs/participation.md).
    pub settled_at: Option<DateTime<Utc>>,
    /// Moves on with every change: two counters tapping at once, one wins.
    pub version: i64,
}

/// What a pass is, as the customer and the counter see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PassStatus {
    /// Can be used now.
    Ready,
    /// Used as often as it may be.
    Used,
    /// Past its last day.
    Expired,
    /// A stamp card short of its goal.
    Collecting,
    /// A reward is waiting at the counter.
    RewardReady,
    /// A referral pass with nothing to use yet: invite friends.
    Inviting,
    /// A photo review promotion, no address added yet.
    ReviewNeeded,
    ReviewPending,
    ReviewRejected,
}

impl PassStatus {
    pub fn code(self) -> &'static str {
        match self {
            PassStatus::Ready => "READY",
            PassStatus::Used => "USED",
            PassStatus::Expired => "EXPIRED",
            PassStatus::Collecting => "COLLECTING",
            PassStatus::RewardReady => "REWARD_READY",
            PassStatus::Inviting => "INVITING",
            PassStatus::ReviewNeeded => "REVIEW_NEEDED",
            PassStatus::ReviewPending => "REVIEW_PENDING",
            PassStatus::ReviewRejected => "REVIEW_REJECTED",
        }
    }
}

/// A pass's standing at `now`: its status, a Korean line for it, and what the counter may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub status: PassStatus,
    pub line: String,
    pub can: Vec<Act>,
}

impl Pass {
    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        self.last_day.is_some_and(|d| seoul_date(now) > d)
    }

    /// Rewards earned and not given yet.
    pub fn rewards_left(&self, m: &Mechanic) -> u32 {
        let earned = match m {
            Mechanic::StampCard { goal, .. } => u32::from(self.stamps >= u32::from(*goal)),
            Mechanic::Referral { .. } => self.credited,
            Mechanic::PhotoReview { .. } => u32::from(matches!(
                self.review.as_ref().map(|r| &r.state),
                Some(ReviewState::Approved)
            )),
            _ => 0,
        };
        earned.saturating_sub(self.rewards)
    }

    pub fn standing(&self, m: &Mechanic, now: DateTime<Utc>) -> Standing {
        let can: Vec<Act> = (Act::ALL.into_iter())
            .filter(|a| self.check(m, *a, now).is_ok())
            .collect();
        let (status, line) = self.status(m, now, &can);
        Standing { status, line, can }
    }
}
