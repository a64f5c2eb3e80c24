//! The data of each message type, shared by the producer and every consumer: a field that
//! drifts does not compile. The JSON is the wire form (`camelCase`), unchanged since the first
//! messages were queued (`messages/tests.rs` reads the recorded ones).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::analytics::VisitKind;
use crate::domain::distribution::{ChannelStatus, OverallStatus};
use crate::domain::ids::{DistributionId, JobId, UserId};
use crate::domain::pass::Act;
use crate::domain::promotion::{IndustryKind, PromotionType};
use crate::domain::{Channel, Objective};

/// A job to run (`AiRecommendationRequested`, `ImageGenerationRequested`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobRequested {
    pub job_id: JobId,
}

/// A distribution's due posts to attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DistributionRequested {
    pub distribution_id: DistributionId,
}

/// An event went out: what the platform history and the read model need of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventPublished {
    pub owner_id: UserId,
    pub channels: Vec<Channel>,
    pub published_at: Option<DateTime<Utc>>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub objective: Objective,
    pub promotion_type: Option<PromotionType>,
    pub industry_kind: IndustryKind,
}

/// Every channel of a distribution has an outcome (written once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DistributionCompleted {
    pub distribution_id: DistributionId,
    pub status: OverallStatus,
    pub channels: Vec<ChannelOutcome>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelOutcome {
    pub channel: Channel,
    pub status: ChannelStatus,
    pub url: Option<String>,
}

/// Entries committed in one batch for one event: counts only, no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantRegistered {
    pub count: i64,
    /// Per source code (`INSTAGRAM`, …, `STORE`, `DIRECT`).
    pub by_source: BTreeMap<String, i64>,
    /// Per source and Seoul hour, so the hourly rollups are exact (older messages have none:
    /// they count at their last entry's hour).
    #[serde(default)]
    pub buckets: Vec<Bucket>,
    pub marketing_consents: i64,
    pub first_entered_at: Option<DateTime<Utc>>,
    pub last_entered_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bucket {
    pub source: String,
    /// The start of the Seoul hour the entries fell in.
    pub hour: DateTime<Utc>,
    pub count: i64,
    /// Of those, friends who joined through an invite link, and those who count for their
    /// inviter at once (left out when none: older messages read as none).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub invited: i64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub credited: i64,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// An event's one draw happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WinnersDrawn {
    pub owner_id: UserId,
    pub winners: i64,
    pub alternates: i64,
    pub entrants: i64,
    pub excluded: i64,
    pub drawn_at: DateTime<Utc>,
}

/// A view or a click counted something new today (no address, no hash travels).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VisitRecorded {
    pub kind: VisitKind,
    pub source: String,
    /// The visitor's first of this kind today, for this event.
    pub first_of_kind: bool,
    /// The visitor's first visit of any kind today, for this event.
    pub first_visit: bool,
    pub at: DateTime<Utc>,
}

/// Views and clicks one batch counted new for one event, per source and Seoul hour (no
/// address, no hash travels). Each counts what `VisitRecorded` would have counted one by one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VisitsCounted {
    pub buckets: Vec<VisitBucket>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VisitBucket {
    pub source: String,
    /// The start of the Seoul hour the visits fell in.
    pub hour: DateTime<Utc>,
    /// Visitors whose first view (click) of this source today it was.
    pub views: i64,
    pub clicks: i64,
    /// Visitors whose first visit of the event today it was.
    pub visitors: i64,
}

/// The counter did something with a pass (or took it back): what, for which source, and what
/// the customer spent when the counter typed it. No pass code or receipt travels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PassActed {
    pub act: Act,
    pub source: String,
    pub spend: Option<i64>,
    /// This message takes an earlier act back.
    pub undone: bool,
    /// A friend's first use that credited (or uncredited) the pass that invited them.
    pub credits_inviter: bool,
    pub at: DateTime<Utc>,
}

/// The owner approved or rejected a photo review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewDecided {
    pub approved: bool,
    pub source: String,
    pub at: DateTime<Utc>,
}
