//! What the entries and draws use cases keep: entries with their sealed personal data and keyed
//! tags, the seed committed at publish, draws with their append-only replacements, and the log
//! of reveals.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::crypto::Sealed;
use super::store::StoreError;
use crate::domain::draw::{Proof, Replacement};
use crate::domain::entrant::Receipt;
use crate::domain::entry::{EntrySource, Retention};
use crate::domain::{EventId, EventStatus, OutboxMessage, Page, PageRequest, UserId};

/// The seed of an event's draw, sealed, with its public commitment and the HMAC key the
/// event's entries are tagged with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedRecord {
    pub event_id: EventId,
    pub commitment: String,
    pub sealed: Sealed,
    pub tag_key_id: String,
    pub committed_at: DateTime<Utc>,
}

/// What deciding about an entry needs to know of its event (cached briefly on the hot path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryGate {
    pub event_id: EventId,
    pub owner: UserId,
    pub status: EventStatus,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    /// `None` for an event published before draws were committed at publish.
    pub tag_key_id: Option<String>,
    /// The promotion's mechanic, fixed at publish (`None` for an event without one).
    pub mechanic: Option<crate::domain::mechanic::Mechanic>,
}

/// A customer's name and phone, sealed, and the keyed tags of the phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Personal {
    /// `HMAC(key, "phone|" + eventId + "|" + e164)`: one entry per phone per event.
    pub phone_tag: String,
    /// `HMAC(key, "owner|" + ownerId + "|" + e164)`: earlier winners of the same owner.
    pub owner_tag: String,
    pub tag_key_id: String,
    pub name: Sealed,
    pub phone: Sealed,
}

/// An entry to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub event_id: EventId,
    pub receipt: Receipt,
    pub leaf: String,
    pub source: Option<EntrySource>,
    pub agree_marketing: bool,
    pub entered_at: DateTime<Utc>,
    pub idempotency_key: Option<String>,
    pub personal: Personal,
    /// The pass joining gives (none for a giveaway's draw entry).
    pub pass: Option<super::passes::NewPass>,
}

/// An entry already there that a new one ran into (same phone, or same idempotency key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existing {
    pub receipt: Receipt,
    pub entered_at: DateTime<Utc>,
    pub phone_tag: Option<String>,
    pub idempotency_key: Option<String>,
}

/// What the draw made of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EntryRole {
    Winner,
    Alternate,
    Replaced,
}

impl EntryRole {
    pub fn code(self) -> &'static str {
        match self {
            EntryRole::Winner => "WINNER",
            EntryRole::Alternate => "ALTERNATE",
            EntryRole::Replaced => "REPLACED",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Winner, Self::Alternate, Self::Replaced]
            .into_iter()
            .find(|r| r.code() == code)
    }
}

/// An entry as stored; `personal` is `None` once destroyed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry {
    pub event_id: EventId,
    pub receipt: Receipt,
    pub leaf: String,
    pub source: Option<EntrySource>,
    pub agree_marketing: bool,
    pub entered_at: DateTime<Utc>,
    pub role: Option<EntryRole>,
    pub personal: Option<Personal>,
    pub data_key_id: Option<String>,
}

/// Which entries a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFilter {
    All,
    /// Entries that came through this source.
    Only(EntrySource),
    /// Entries that named no source.
    Direct,
}

/// A reveal of one entry's contact data (the data itself is never logged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub user_id: UserId,
    pub event_id: EventId,
    pub receipt: Receipt,
    pub purpose: &'static str,
    pub at: DateTime<Utc>,
}

/// Makes the messages that announce the entries just written.
pub type Announce = dyn Fn(&[&NewEntry]) -> Vec<OutboxMessage> + Send + Sync;

/// A new draw: its proof, who won, and the `WinnersDrawn` message, in one transaction.
pub struct NewDraw<'a> {
    pub event_id: EventId,
    pub proof: &'a Proof,
    pub drawn_by: UserId,
    pub message: &'a OutboxMessage,
}

#[async_trait]
pub trait EntryStore: Send + Sync {
    async fn entry_gate(&self, event: EventId) -> Result<Option<EntryGate>, StoreError>;
    /// The event's seed record, inserting `record` first if it has none (events published
    /// before seeds were committed at publish get theirs on first use).
    async fn ensure_draw_seed(&self, record: &SeedRecord) -> Result<SeedRecord, StoreError>;
    async fn draw_seed(&self, event: EventId) -> Result<Option<SeedRecord>, StoreError>;
    /// Writes the entries whose event is still PUBLISHED and that collide with nothing (phone,
    /// idempotency key, receipt) with their passes — no more than the event's first-come cap
    /// allows, however many batches write at once — and the messages `announce` makes of those
    /// written, in one transaction. Returns what became of each entry.
    async fn insert_entries(
        &self,
        entries: &[NewEntry],
        announce: &Announce,
    ) -> Result<Vec<super::passes::Inserted>, StoreError>;
    /// The entries of `event` with this phone tag or this idempotency key.
    async fn entry_conflicts(
        &self,
        event: EventId,
        phone_tag: &str,
        idempotency_key: Option<&str>,
    ) -> Result<Vec<Existing>, StoreError>;
    /// Newest first.
    async fn entries_page(
        &self,
        event: EventId,
        filter: SourceFilter,
        page: PageRequest,
    ) -> Result<Page<StoredEntry>, StoreError>;
    /// Every entry of the event, newest first (the CSV download and the draw).
    async fn all_entries(
        &self,
        event: EventId,
        filter: SourceFilter,
    ) -> Result<Vec<StoredEntry>, StoreError>;
    async fn entries_by_leaf(
        &self,
        event: EventId,
        leaves: &[String],
    ) -> Result<Vec<StoredEntry>, StoreError>;
    /// Destroys the personal data `retention` no longer allows to keep; returns how many
    /// entries lost theirs.
    async fn destroy_personal_data(
        &self,
        retention: &Retention,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError>;
}

#[async_trait]
pub trait DrawStore: Send + Sync {
    /// Waits until every entry batch already writing has committed. An insert only writes while
    /// its event is PUBLISHED, so once the event is ENDED and this returns, its entries are final.
    async fn entries_settled(&self) -> Result<(), StoreError>;
    /// The owner's winners of other events whose data is still kept.
    async fn previous_winners(
        &self,
        owner: UserId,
        except: EventId,
    ) -> Result<Vec<StoredEntry>, StoreError>;
    /// Stores the draw, marks winners and alternates, and writes the message, in one
    /// transaction. `Duplicate` if the event was drawn already.
    async fn save_draw(&self, draw: NewDraw<'_>) -> Result<(), StoreError>;
    /// The draw with its replacements in order.
    async fn draw_of_event(&self, event: EventId) -> Result<Option<Proof>, StoreError>;
    /// Appends replacement number `seq` (1-based) and moves the roles, in one transaction.
    /// `Duplicate` if another replacement took that number first.
    async fn append_replacement(
        &self,
        event: EventId,
        seq: u32,
        replacement: &Replacement,
        by: UserId,
    ) -> Result<(), StoreError>;
    async fn log_access(&self, accesses: &[Access]) -> Result<(), StoreError>;
}
