//! The traits the use cases need from the outside world. Implementations live in `adapters/`
//! and are chosen once, at start-up.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::{
    Credentials, Email, Event, EventId, EventStatus, Page, PageRequest, ProfileUpdate, User, UserId,
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
    /// When the password last changed: tokens issued before it are no longer accepted.
    /// `None` when the user does not exist.
    async fn password_changed_at(&self, id: UserId) -> Result<Option<DateTime<Utc>>, StoreError>;
    async fn update_password_hash(
        &self,
        id: UserId,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
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
    /// than `window_start`.
    async fn record_login_attempt(
        &self,
        key: &str,
        now: DateTime<Utc>,
        window_start: DateTime<Utc>,
    ) -> Result<u32, StoreError>;
    /// Locks `key` until `until`; counting starts again from zero when the lock ends.
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

/// Everything the app keeps. One implementation per database backend.
#[async_trait]
pub trait Store: UserStore + EventStore + LoginThrottleStore {
    /// Cheap round trip, for readiness checks.
    async fn ping(&self) -> Result<(), StoreError>;
    fn backend(&self) -> &'static str;
}

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// Wall-clock time, truncated to microseconds so that every backend stores it exactly.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        use chrono::SubsecRound;
        Utc::now().trunc_subsecs(6)
    }
}
