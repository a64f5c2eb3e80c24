//! Use cases: one module per area. They orchestrate domain rules and ports, and know nothing of
//! HTTP.

pub mod auth;
pub mod events;
pub mod housekeeping;
pub mod images;
pub mod jobs;
pub mod outbox;
pub mod recommendations;
pub mod tokens;
pub mod users;
pub mod workers;

use std::sync::Arc;

use crate::adapters::password::Passwords;
use crate::domain::throttle::ThrottlePolicy;
use crate::domain::{EventError, FieldError};
use crate::ports::{Blobs, Clock, MessageSender, Painter, Recommender, Store, StoreError};

pub use tokens::Tokens;

/// Everything the use cases need, chosen once at start-up.
#[derive(Clone)]
pub struct Services {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub tokens: Tokens,
    pub passwords: Passwords,
    pub login_throttle: ThrottlePolicy,
    pub recommender: Arc<dyn Recommender>,
    pub painter: Arc<dyn Painter>,
    pub blobs: Arc<dyn Blobs>,
    /// Deliveries of one job message before it is dead-lettered (= Service Bus maxDeliveryCount).
    pub max_deliveries: u32,
    /// Where outbox messages are published (Service Bus); `None`: delivered in process.
    pub sender: Option<Arc<dyn MessageSender>>,
    /// Wakes the in-process relay right after a commit that wrote outbox messages.
    pub relay_kick: Arc<tokio::sync::Notify>,
}

/// What can go wrong in a use case. The HTTP layer maps each variant to a status and a code.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("invalid field")]
    Invalid(#[from] FieldError),
    #[error("email already registered")]
    EmailTaken,
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("too many failed logins")]
    TooManyLoginAttempts { retry_after_secs: i64 },
    #[error("current password does not match")]
    WrongCurrentPassword,
    #[error("not authenticated")]
    Unauthenticated,
    #[error("event not found")]
    EventNotFound,
    #[error("event rule")]
    Event(#[from] EventError),
    #[error("store info missing")]
    StoreInfoMissing { missing: Vec<&'static str> },
    #[error("concurrent modification")]
    ConcurrentModification,
    #[error("job not found")]
    JobNotFound,
    #[error("recommendation not found")]
    RecommendationNotFound,
    #[error("image not found")]
    ImageNotFound,
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict => AppError::ConcurrentModification,
            StoreError::Duplicate => {
                AppError::Internal(anyhow::anyhow!("unexpected unique violation"))
            }
            StoreError::Unavailable(cause) => AppError::Internal(cause),
        }
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        AppError::Internal(e)
    }
}
