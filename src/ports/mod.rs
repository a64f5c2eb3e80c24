//! The traits the use cases need from the outside world, one file per concern. Implementations
//! live in `adapters/` and are chosen once, in `startup`.

mod ai;
mod auth;
mod outbound;
mod store;

pub use ai::{
    Painted, Painter, PainterError, PosterSpec, RecommendationInput, Recommended, Recommender,
    RecommenderError,
};
pub use auth::{IssuedToken, PasswordHasher, TokenService, VerifiedToken};
pub use outbound::{BlobError, Blobs, MessageSender, SendError};
pub use store::{
    Completion, EventStore, ImageStore, JobStore, LoginThrottleStore, OutboxStore,
    RecommendationStore, Store, StoreError, UserStore,
};

use chrono::{DateTime, Utc};

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
