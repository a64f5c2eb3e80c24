//! What the analytics use cases keep: tracked links, the day's visitor key and visits (keyed
//! hashes only), the read model the domain events feed, redemptions at the counter, and the
//! channels' own statistics.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::store::StoreError;
use crate::domain::analytics::{Change, Tally, VisitKind};
use crate::domain::entry::EntrySource;
use crate::domain::promotion::{IndustryKind, PromotionType};
use crate::domain::{Channel, EventId, MessageId, OutboxMessage, UserId};

/// A tracked link: `/r/{code}` counts a click and leads to the public page with `source`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub code: String,
    pub event_id: EventId,
    pub source: EntrySource,
    pub created_at: DateTime<Utc>,
}

/// A view or click by a visitor (a keyed hash under the day's key), on a Seoul day.
#[derive(Debug, Clone)]
pub struct Visit {
    pub event_id: EventId,
    pub day: NaiveDate,
    pub kind: VisitKind,
    /// A source code (`INSTAGRAM`, `STORE`, `DIRECT`, …).
    pub source: &'static str,
    pub visitor: String,
    pub at: DateTime<Utc>,
}

/// What a visit was new as: this kind on this source today, and a visitor of the event today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub first_of_kind: bool,
    pub first_visit: bool,
}

/// The messages announcing what a batch of visits counted new (written with them, in one
/// transaction): given each visit that counted something and what.
pub type Announcement<'a> = &'a (dyn Fn(&[(&Visit, Counted)]) -> Vec<OutboxMessage> + Sync);

/// One event's totals in the read model; `version` moves with every change.
#[derive(Debug, Clone, PartialEq)]
pub struct Totals {
    pub version: i64,
    pub tally: Tally,
    pub redemptions: i64,
    pub average_spend: Option<i64>,
    pub published_at: Option<DateTime<Utc>>,
    pub distribution: Option<serde_json::Value>,
    pub winners: Option<i64>,
    pub drawn_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// The platform's averages over other events of one trade and promotion type.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Averages {
    pub events: i64,
    pub entries: Option<f64>,
    pub conversion: Option<f64>,
    pub cost_per_entry: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Redemption {
    pub event_id: EventId,
    pub count: i64,
    pub average_spend: Option<i64>,
    pub recorded_at: DateTime<Utc>,
    /// The client's key: the same key again records nothing more.
    pub idempotency_key: Option<String>,
}

/// A published post whose channel reports statistics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedPost {
    pub event_id: EventId,
    pub owner: UserId,
    pub channel: Channel,
    pub external_id: String,
}

/// A channel's statistics of one post as last collected, and the last failure.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredStats {
    pub channel: Channel,
    pub stats: Option<serde_json::Value>,
    pub collected_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub attempted_at: DateTime<Utc>,
}

#[async_trait]
pub trait AnalyticsStore: Send + Sync {
    /// Adds the links an event lacks; a code already taken or a source that has one is skipped.
    async fn insert_links(&self, links: &[Link]) -> Result<(), StoreError>;
    async fn links_of_event(&self, event: EventId) -> Result<Vec<Link>, StoreError>;
    async fn link(&self, code: &str) -> Result<Option<Link>, StoreError>;
    /// The key of `day`: `candidate` unless another instance stored one first. Keys older than
    /// the day before are deleted.
    async fn visitor_key(&self, day: NaiveDate, candidate: &[u8]) -> Result<Vec<u8>, StoreError>;
    /// Counts a batch of visits in one transaction, each once per visitor, kind, source and
    /// day, with the announcement of what was new; what each visit counted, in order.
    async fn record_visits(
        &self,
        visits: &[Visit],
        announce: Announcement<'_>,
    ) -> Result<Vec<Counted>, StoreError>;
    /// Forgets visits of days before `day` (their keys are gone; they can no longer repeat).
    async fn forget_visits(&self, before: NaiveDate) -> Result<u64, StoreError>;

    /// Applies one message's changes once: `false` when that message was applied before.
    async fn apply_analytics(
        &self,
        message: MessageId,
        event: EventId,
        changes: &[Change],
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    async fn analytics_totals(&self, event: EventId) -> Result<Option<Totals>, StoreError>;
    /// Per source, the whole event.
    async fn analytics_sources(&self, event: EventId) -> Result<Vec<(String, Tally)>, StoreError>;
    /// Per hour (every source together), in order.
    async fn analytics_hours(
        &self,
        event: EventId,
    ) -> Result<Vec<(DateTime<Utc>, Tally)>, StoreError>;
    async fn platform_averages(
        &self,
        kind: IndustryKind,
        promotion: PromotionType,
        except: EventId,
    ) -> Result<Averages, StoreError>;

    /// Records a redemption and its rollup; a key already used records nothing (the totals).
    async fn record_redemption(&self, r: &Redemption) -> Result<Totals, StoreError>;

    async fn published_posts(&self, since: DateTime<Utc>)
    -> Result<Vec<PublishedPost>, StoreError>;
    async fn save_channel_stats(
        &self,
        event: EventId,
        stats: &StoredStats,
    ) -> Result<(), StoreError>;
    async fn channel_stats(&self, event: EventId) -> Result<Vec<StoredStats>, StoreError>;
}
