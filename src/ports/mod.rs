//! The traits the use cases need from the outside world, one file per concern. Implementations
//! live in `adapters/` and are chosen once, in `startup`.

mod ai;
mod analytics;
mod auth;
mod channels;
mod crypto;
mod mail;
mod outbound;
mod participation;
mod passes;
mod publishing;
mod store;

pub use ai::{
    CardSpec, Painted, Painter, PainterError, PosterSpec, Printer, RecommendationInput,
    Recommended, Recommender, RecommenderError,
};
pub use analytics::{
    AnalyticsStore, Announcement, Averages, Counted, Link, PublishedPost, Redemption, StoredStats,
    Totals, Visit,
};
pub use auth::{IssuedToken, PasswordHasher, TokenService, VerifiedToken};
pub use channels::{
    ChannelClient, Channels, Checkpoints, Grant, OAuthError, Outgoing, Posted, Reconciled,
};
pub use crypto::{CryptoError, Sealed, Tagger, Vault};
pub use mail::{Mail, MailError, MailTokenStore, Mailer};
pub use outbound::{BlobError, Blobs, MessageSender, SendError};
pub use participation::{
    Access, Announce, DrawStore, EntryGate, EntryRole, EntryStore, Existing, NewDraw, NewEntry,
    Personal, SeedRecord, SourceFilter, StoredEntry,
};
pub use passes::{Inserted, NewPass, PassAction, PassChange, PassStore, ReviewDecision};
pub use store::{
    Backend, ChannelStore, Completion, DistributionStore, EventStore, ImageStore, JobStore,
    LoginThrottleStore, OutboxStore, RecommendationStore, SessionFeed, SessionNews, Store,
    StoreError, StoredConnection, UserStore,
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
