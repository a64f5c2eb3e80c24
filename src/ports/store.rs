//! The database port: what the use cases keep, one trait per area. `adapters/sql` implements
//! them all for SQLite and PostgreSQL.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

pub use super::participation::{DrawStore, EntryStore};
pub use super::publishing::{ChannelStore, DistributionStore, StoredConnection};
use crate::domain::Destination;
use crate::domain::job::{Job, JobType};
use crate::domain::poster::Image;
use crate::domain::promotion::{IndustryKind, PromotionStats, Recommendation};
use crate::domain::{
    Credentials, Email, Event, EventId, EventStatus, ImageId, JobId, MessageId, Objective,
    OutboxMessage, Page, PageRequest, ProfileUpdate, RecommendationId, User, UserId,
};

/// Failures a store can report. Constraint violations are translated into the variants the
/// use cases care about, once per backend; everything else is `Unavailable`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("duplicate value for a unique key")]
    Duplicate,
    #[error("the row changed since it was read")]
    Conflict,
    #[error("store unavailable")]
    Unavailable(#[source] anyhow::Error),
}

/// What became of a job's results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completion {
    /// Written, and the job completed, in one transaction.
    Stored,
    /// The job had finished already (a second delivery): nothing changed.
    AlreadyFinished,
    /// The event is no longer a DRAFT (or is gone): nothing was written.
    EventNotDraft,
    /// A newer job of the same kind has completed for the event: nothing was written.
    Superseded,
}

#[async_trait]
pub trait UserStore: Send + Sync {
    /// Inserts the user (and the store, if any). `Duplicate` when the email is taken.
    async fn insert_user(&self, user: &User, password_hash: &str) -> Result<(), StoreError>;
    async fn credentials_by_email(&self, email: &Email) -> Result<Option<Credentials>, StoreError>;
    async fn credentials_by_id(&self, id: UserId) -> Result<Option<Credentials>, StoreError>;
    async fn update_profile(
        &self,
        id: UserId,
        update: &ProfileUpdate,
        now: DateTime<Utc>,
    ) -> Result<Option<User>, StoreError>;
    /// The shop's phone for customers, when its owner gave one.
    async fn shop_phone(
        &self,
        shop: crate::domain::ShopId,
    ) -> Result<Option<crate::domain::contact::ShopPhone>, StoreError>;
    /// The version every token of the user must carry (`None` when the user does not exist).
    async fn token_version(&self, id: UserId) -> Result<Option<i64>, StoreError>;
    /// Ends every session: tokens issued so far no longer match (logout). `false` if no user.
    async fn end_sessions(&self, id: UserId, now: DateTime<Utc>) -> Result<bool, StoreError>;
    /// Changes the password and ends every session.
    async fn update_password_hash(
        &self,
        id: UserId,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    /// News of the sessions any instance ends (a logout, a password change, a removed owner),
    /// or `None` when no other instance shares this database (SQLite: one process).
    fn session_feed(&self) -> Option<Box<dyn SessionFeed>>;
}

/// What `SessionFeed::next` heard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionNews {
    /// Listening (again): from now on every ended session is heard.
    Listening,
    /// Every earlier token of this owner is void.
    Ended(UserId),
    /// The feed was cut: what ended meanwhile was not heard.
    Interrupted,
}

/// Every instance's ended sessions, as they commit.
#[async_trait]
pub trait SessionFeed: Send {
    async fn next(&mut self) -> SessionNews;
}

#[async_trait]
pub trait EventStore: Send + Sync {
    async fn insert_event(&self, event: &Event) -> Result<(), StoreError>;
    /// `None` when the event does not exist *or belongs to another owner*.
    async fn event_of_owner(&self, owner: UserId, id: EventId)
    -> Result<Option<Event>, StoreError>;
    /// Newest first.
    async fn list_events(
        &self,
        owner: UserId,
        status: Option<EventStatus>,
        page: PageRequest,
    ) -> Result<Page<Event>, StoreError>;
    /// Writes all mutable fields of an event that was read at `event.version`, and returns it
    /// with the bumped version. `Conflict` if someone else saved it in between.
    async fn save_event(&self, event: &Event) -> Result<Event, StoreError>;
    /// Deletes the event if it is still at `version` and a DRAFT. `Conflict` otherwise.
    async fn delete_event(&self, event: &Event) -> Result<(), StoreError>;
    /// PUBLISHED events of every owner whose last day is before `today`, oldest first.
    async fn published_events_ending_before(
        &self,
        today: NaiveDate,
        limit: i64,
    ) -> Result<Vec<Event>, StoreError>;
}

#[async_trait]
pub trait LoginThrottleStore: Send + Sync {
    /// Counts one attempt for `key` (atomically, before the password is checked, so parallel
    /// guesses are counted too) and returns the count in the window that started no earlier
    /// than `window_start`, and how many lock rounds the key has had.
    async fn record_login_attempt(
        &self,
        key: &str,
        now: DateTime<Utc>,
        window_start: DateTime<Utc>,
    ) -> Result<(u32, u32), StoreError>;
    /// Locks `key` until `until` and counts the round; counting starts again from zero when the
    /// lock ends.
    async fn lock_login(&self, key: &str, until: DateTime<Utc>) -> Result<(), StoreError>;
    async fn login_locked_until(&self, key: &str) -> Result<Option<DateTime<Utc>>, StoreError>;
    async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError>;
    /// Forgets counters whose window started before `before` and that are not locked at `now`
    /// (the rows for mistyped or unknown emails would otherwise pile up). Returns how many.
    async fn purge_login_failures(
        &self,
        before: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError>;
}

#[async_trait]
pub trait JobStore: Send + Sync {
    /// The job and the message that will run it, in one transaction.
    async fn insert_job(&self, job: &Job, message: &OutboxMessage) -> Result<(), StoreError>;
    /// Saves the event (as `save_event`: `Conflict` if it changed since it was read) and
    /// inserts the job and its message, in one transaction: a step that changes the event and
    /// starts its work is all or nothing.
    async fn save_event_with_job(
        &self,
        event: &Event,
        job: &Job,
        message: &OutboxMessage,
    ) -> Result<Event, StoreError>;
    async fn job_of_owner(&self, owner: UserId, id: JobId) -> Result<Option<Job>, StoreError>;
    /// How many jobs of `job_type` the owner started since `since`.
    async fn jobs_created_since(
        &self,
        owner: UserId,
        job_type: JobType,
        since: DateTime<Utc>,
    ) -> Result<u32, StoreError>;
    /// Counts a delivery and moves an unfinished job to PROCESSING (progress at least 10).
    /// Returns the job as it now is; a finished job is returned unchanged.
    async fn start_job_delivery(
        &self,
        id: JobId,
        now: DateTime<Utc>,
    ) -> Result<Option<Job>, StoreError>;
    async fn set_job_progress(
        &self,
        id: JobId,
        progress: u8,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Replaces the event's recommendations with these and completes the job, in one
    /// transaction, when the job is unfinished, the event a DRAFT and no newer job has completed.
    async fn complete_recommendation_job(
        &self,
        job: &Job,
        recommendations: &[Recommendation],
        note: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Completion, StoreError>;
    /// Completes an unfinished job without results, with a note. `false` if already finished.
    async fn complete_job(
        &self,
        id: JobId,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    /// Fails every unfinished job not touched since `updated_before` (a worker that died, a
    /// message lost to a dead-letter queue nobody reads). Returns how many.
    async fn fail_stale_jobs(
        &self,
        updated_before: DateTime<Utc>,
        message: &str,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError>;
    /// Marks an unfinished job FAILED with a message for the owner. `false` if already finished.
    async fn fail_job(
        &self,
        id: JobId,
        message: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
}

#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Undelivered messages due at `now`, oldest first.
    async fn due_messages(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<OutboxMessage>, StoreError>;
    /// The same, only those to `destination` (`to`) or only those to any other (`!to`): the
    /// relay's lanes, each with its own limit.
    async fn due_messages_in(
        &self,
        now: DateTime<Utc>,
        limit: i64,
        destination: Destination,
        to: bool,
    ) -> Result<Vec<OutboxMessage>, StoreError>;
    /// Takes a due message for `lease` (so that two relays never deliver it at once) and counts
    /// the attempt in the same statement; returns the attempt number, or `None` if another relay
    /// took it or it is no longer due. A relay that crashes after the claim still used up an
    /// attempt, so a message that keeps crashing its relay is dead-lettered in the end.
    async fn claim_message(
        &self,
        id: MessageId,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Option<u32>, StoreError>;
    /// A message on its own (the change it announces was written before, idempotently).
    async fn enqueue(&self, message: &OutboxMessage) -> Result<(), StoreError>;
    async fn mark_delivered(&self, id: MessageId, now: DateTime<Utc>) -> Result<(), StoreError>;
    /// Makes a claimed message due again at `available_at` (its attempt was counted by the claim).
    async fn mark_retry(
        &self,
        id: MessageId,
        available_at: DateTime<Utc>,
        error: &str,
    ) -> Result<(), StoreError>;
    async fn mark_dead(
        &self,
        id: MessageId,
        now: DateTime<Utc>,
        error: &str,
    ) -> Result<(), StoreError>;
}

#[async_trait]
pub trait ImageStore: Send + Sync {
    /// Replaces the event's images with these and completes the job, in one transaction, under
    /// the same conditions as `complete_recommendation_job`.
    async fn complete_image_job(
        &self,
        job: &Job,
        images: &[Image],
        note: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Completion, StoreError>;
    async fn images_of_event(&self, event: EventId) -> Result<Vec<Image>, StoreError>;
    /// Selects one image of the event (and no other). `false` if it is not one of the event's.
    async fn select_image(&self, event: EventId, image: ImageId) -> Result<bool, StoreError>;
}

#[async_trait]
pub trait RecommendationStore: Send + Sync {
    async fn recommendations_of_event(
        &self,
        event: EventId,
    ) -> Result<Vec<Recommendation>, StoreError>;
    /// Selects one recommendation (and no other) and saves the event with the plan applied, in
    /// one transaction. `Conflict` if the event changed since it was read; `Ok(None)` if the
    /// recommendation is not one of the event's.
    async fn select_recommendation(
        &self,
        event: &Event,
        recommendation: RecommendationId,
    ) -> Result<Option<Event>, StoreError>;
    /// What ENDED events of this industry kind and objective drew, per promotion type.
    async fn promotion_history(
        &self,
        kind: IndustryKind,
        objective: Objective,
    ) -> Result<Vec<PromotionStats>, StoreError>;
    /// Any owner's event, for workers (which act on a job, not for a request).
    async fn event_by_id(&self, id: EventId) -> Result<Option<Event>, StoreError>;
}

/// The database a store keeps its rows in. What differs between them is how much work may run
/// at once: SQLite has one writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Everything the app keeps. `adapters/sql` is the one implementation, on either backend.
#[async_trait]
pub trait Store:
    UserStore
    + super::MailTokenStore
    + EventStore
    + LoginThrottleStore
    + JobStore
    + OutboxStore
    + RecommendationStore
    + ImageStore
    + ChannelStore
    + DistributionStore
    + EntryStore
    + DrawStore
    + super::AnalyticsStore
    + super::PassStore
{
    /// Cheap round trip, for readiness checks.
    async fn ping(&self) -> Result<(), StoreError>;
    fn backend(&self) -> Backend;
}
