//! What the passes and the counter keep: each pass (written with its entry, in the entries'
//! group commit), what the counter did with it, its photo review, and the shop's counter PIN.
//! Every change of a pass is guarded by the version it was read at, so two counters tapping the
//! same pass at once change it once.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::store::StoreError;
use crate::domain::entrant::Receipt;
use crate::domain::pass::{Act, Pass};
use crate::domain::{EventId, OutboxMessage, UserId};

/// A pass to write with its entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPass {
    /// SHA-256 of the pass code (`PassCode::lookup`).
    pub code_hash: String,
    /// The code of its invite link (referrals only).
    pub invite: Option<String>,
    /// The pass whose invite link it joined through.
    pub referred_by: Option<Receipt>,
    /// That pass's friend counts from this join (a referral that unlocks on joining).
    pub credit_inviter: bool,
    pub last_day: Option<NaiveDate>,
}

/// What became of an entry handed to `insert_entries`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inserted {
    Written,
    /// Not written: it ran into an entry already there (or its event stopped taking entries).
    Collided,
    /// Not written: the first-come passes were gone.
    SoldOut,
}

/// One act of the counter, to record with the pass it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassAction {
    pub id: uuid::Uuid,
    pub event_id: EventId,
    pub receipt: Receipt,
    pub act: Act,
    pub at: DateTime<Utc>,
    pub by_counter: bool,
    /// What the customer spent, when the counter typed it (KRW).
    pub spend: Option<i64>,
    pub undone_at: Option<DateTime<Utc>>,
}

/// A pass as it now is (its `version` one past `read_version`), the act that changed it, the
/// pass whose friend count moves with it (+1, or −1 when undone), and the message announcing
/// it — written together, only if the pass is still at `read_version`.
pub struct PassChange<'a> {
    pub pass: &'a Pass,
    pub read_version: i64,
    pub action: &'a PassAction,
    pub undo: bool,
    pub inviter: Option<&'a Receipt>,
    pub message: &'a OutboxMessage,
}

/// A review decided by the owner.
pub struct ReviewDecision<'a> {
    pub pass: &'a Pass,
    pub read_version: i64,
    pub message: Option<&'a OutboxMessage>,
}

#[async_trait]
pub trait PassStore: Send + Sync {
    /// How many passes the event has issued, and its cap (`None` when it issues none).
    async fn pass_count(&self, event: EventId) -> Result<Option<(Option<u32>, u32)>, StoreError>;
    async fn pass_by_code(&self, code_hash: &str) -> Result<Option<Pass>, StoreError>;
    async fn pass_of_entry(
        &self,
        event: EventId,
        receipt: &Receipt,
    ) -> Result<Option<Pass>, StoreError>;
    /// The pass of this invite code, and its entry's phone tag (a friend must be another phone).
    async fn pass_by_invite(
        &self,
        event: EventId,
        invite: &str,
    ) -> Result<Option<(Pass, Option<String>)>, StoreError>;
    /// The pass of the entry with this phone tag and receipt (a customer finding theirs again).
    async fn pass_by_phone(
        &self,
        event: EventId,
        phone_tag: &str,
        receipt: &Receipt,
    ) -> Result<Option<Pass>, StoreError>;
    /// Writes a counter's act (or its undoing). `false` when the pass changed since it was read.
    async fn change_pass(&self, change: PassChange<'_>) -> Result<bool, StoreError>;
    /// The pass's last act not taken back.
    async fn last_action(
        &self,
        event: EventId,
        receipt: &Receipt,
    ) -> Result<Option<PassAction>, StoreError>;
    /// Saves a pass's review (its address, or the owner's decision). `false` when it changed.
    async fn save_review(&self, decision: ReviewDecision<'_>) -> Result<bool, StoreError>;
    /// The event's passes with a review, waiting ones first.
    async fn reviews(&self, event: EventId) -> Result<Vec<Pass>, StoreError>;
    /// Sets the owner's counter PIN (its argon2 hash); returns its new version.
    async fn set_counter_pin(
        &self,
        owner: UserId,
        pin_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError>;
    /// The owner's counter PIN hash and version.
    async fn counter_pin(&self, owner: UserId) -> Result<Option<(String, i64)>, StoreError>;
}
