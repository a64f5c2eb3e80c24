//! The stores of the publishing areas: channel connections (`channels`) and distributions
//! (`distribution`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::crypto::Sealed;
use super::store::StoreError;
use crate::domain::distribution::{ChannelPost, ChannelStatus, Distribution};
use crate::domain::{Channel, DistributionId, Event, EventId, OutboxMessage, UserId};

/// A channel connection as stored: its secret sealed (`ports::Vault`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredConnection {
    pub owner: UserId,
    pub channel: Channel,
    pub label: Option<String>,
    pub sealed: Sealed,
    pub token_expires_at: Option<DateTime<Utc>>,
    pub needs_reconnect: bool,
    pub last_error: Option<String>,
    pub connected_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[async_trait]
pub trait ChannelStore: Send + Sync {
    /// Inserts or replaces the owner's connection to its channel.
    async fn save_connection(&self, c: &StoredConnection) -> Result<(), StoreError>;
    async fn connections_of(&self, owner: UserId) -> Result<Vec<StoredConnection>, StoreError>;
    /// `false` when there was none.
    async fn delete_connection(&self, owner: UserId, channel: Channel) -> Result<bool, StoreError>;
    /// The token was refused: the owner must connect again.
    async fn mark_needs_reconnect(
        &self,
        owner: UserId,
        channel: Channel,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Connections of `channel` whose token expires before `before` and that still work.
    async fn connections_expiring(
        &self,
        channel: Channel,
        before: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<StoredConnection>, StoreError>;
    /// Remembers an OAuth `state` (only its hash) for the owner who started the login.
    async fn save_oauth_state(
        &self,
        state_hash: &str,
        owner: UserId,
        channel: Channel,
        params: &serde_json::Value,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Takes a state once (it is deleted); `None` when unknown, used or expired.
    async fn take_oauth_state(
        &self,
        state_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(UserId, Channel, serde_json::Value)>, StoreError>;
}

#[async_trait]
pub trait DistributionStore: Send + Sync {
    /// Saves the event as it now is (PUBLISHED, against the version it was read at), the
    /// distribution with its channel posts, the draw's sealed seed, and the messages, in one
    /// transaction. `Conflict` when the event changed meanwhile or was published already.
    async fn publish_event(
        &self,
        event: &Event,
        distribution: &Distribution,
        seed: &super::SeedRecord,
        messages: &[OutboxMessage],
    ) -> Result<(), StoreError>;
    async fn distribution_of_event(
        &self,
        event: EventId,
    ) -> Result<Option<Distribution>, StoreError>;
    async fn distribution_by_id(
        &self,
        id: DistributionId,
    ) -> Result<Option<Distribution>, StoreError>;
    /// Takes a post that is due (PENDING or SCHEDULED, `next_attempt_at` passed) for an attempt:
    /// IN_PROGRESS until `lease_until`, the attempt counted. `None` when it is not due or another
    /// worker took it.
    async fn claim_post(
        &self,
        id: DistributionId,
        channel: Channel,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Option<ChannelPost>, StoreError>;
    /// Records how far attempt `attempt` got; `false` when the attempt no longer holds the post.
    async fn save_checkpoint(
        &self,
        id: DistributionId,
        channel: Channel,
        attempt: u32,
        checkpoint: &serde_json::Value,
    ) -> Result<bool, StoreError>;
    /// Extends attempt `attempt`'s lease on the post to `until` while it runs; `false` when
    /// the attempt no longer holds the post.
    async fn renew_lease(
        &self,
        id: DistributionId,
        channel: Channel,
        attempt: u32,
        until: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    /// Writes `post` (UNKNOWN) over an IN_PROGRESS post of attempt `attempt` whose lease ran
    /// out before `now`; `false` when the attempt renewed its lease or settled it meanwhile.
    async fn abandon_post(
        &self,
        post: &ChannelPost,
        attempt: u32,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    /// Writes `post`'s new state if it is still `from` at attempt `attempt` (so a late or
    /// repeated writer changes nothing); `false` otherwise.
    async fn update_post(
        &self,
        post: &ChannelPost,
        from: ChannelStatus,
        attempt: u32,
    ) -> Result<bool, StoreError>;
    /// Posts due for an attempt, oldest first: `(distribution, channel)`.
    async fn due_posts(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<(DistributionId, Channel)>, StoreError>;
    /// IN_PROGRESS posts whose attempt's lease has run out (its worker stopped).
    async fn abandoned_posts(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<ChannelPost>, StoreError>;
    /// PUBLISHED posts whose channel's review is not final, looked at before `before`.
    async fn reviewing_posts(
        &self,
        before: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<ChannelPost>, StoreError>;
    /// UNKNOWN posts last looked at before `before`.
    async fn unknown_posts(
        &self,
        before: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<ChannelPost>, StoreError>;
    /// Records, once, that the distribution's outcome was announced, with the message that
    /// announces it, in one transaction. `false` when it was announced already.
    async fn announce_completion(
        &self,
        id: DistributionId,
        message: &OutboxMessage,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
}
