//! A pass as its row carries it.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::adapters::sql::corrupt;
use crate::domain::EventId;
use crate::domain::entrant::Receipt;
use crate::domain::entry::EntrySource;
use crate::domain::pass::{Pass, Review, ReviewState};
use crate::ports::StoreError;

pub(super) const PASS_COLUMNS: &str = "p.event_id, p.receipt, p.channel, p.issued_at, p.last_day, p.uses, \
     p.stamps, p.last_stamp_at, p.rewards, p.invited, p.credited, p.referred_by, p.review_url, \
     p.review_state, p.review_reason, p.reviewed_at, p.settled_at, p.version";

#[derive(sqlx::FromRow)]
pub(super) struct PassRow {
    event_id: Uuid,
    receipt: String,
    channel: Option<String>,
    issued_at: DateTime<Utc>,
    last_day: Option<NaiveDate>,
    uses: i32,
    stamps: i32,
    last_stamp_at: Option<DateTime<Utc>>,
    rewards: i32,
    invited: i32,
    credited: i32,
    referred_by: Option<String>,
    review_url: Option<String>,
    review_state: Option<String>,
    review_reason: Option<String>,
    reviewed_at: Option<DateTime<Utc>>,
    settled_at: Option<DateTime<Utc>>,
    version: i64,
}

pub(super) fn count(v: i32) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

impl TryFrom<PassRow> for Pass {
    type Error = StoreError;

    fn try_from(r: PassRow) -> Result<Self, StoreError> {
        let review = match (r.review_url, r.review_state.as_deref(), r.reviewed_at) {
            (Some(url), Some(state), Some(at)) => Some(Review {
                url,
                state: match state {
                    "PENDING" => ReviewState::Pending,
                    "APPROVED" => ReviewState::Approved,
                    "REJECTED" => ReviewState::Rejected {
                        reason: r.review_reason.unwrap_or_default(),
                    },
                    _ => return Err(corrupt("review_state")),
                },
                at,
            }),
            _ => None,
        };
        Ok(Pass {
            event_id: EventId(r.event_id),
            receipt: Receipt::from_trusted(r.receipt),
            source: r
                .channel
                .as_deref()
                .and_then(|c| EntrySource::parse(c).ok()),
            issued_at: r.issued_at,
            last_day: r.last_day,
            uses: count(r.uses),
            stamps: count(r.stamps),
            last_stamp_at: r.last_stamp_at,
            rewards: count(r.rewards),
            invited: count(r.invited),
            credited: count(r.credited),
            referred_by: r.referred_by.map(Receipt::from_trusted),
            review,
            settled_at: r.settled_at,
            version: r.version,
        })
    }
}
