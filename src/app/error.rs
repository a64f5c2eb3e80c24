//! The error every use case returns. Each area's refusals describe themselves
//! (`domain::refusals`); what is left here is how they come together, and the failures no area
//! owns (not found, a concurrent change, our own).

use serde_json::json;

use crate::domain::publishing::PublishProblem;
use crate::domain::refusals::{
    AnalyticsError, AuthError, ChannelError, DistributionError, DrawError, EntryError, JobError,
    Kind, Missing, PassError, Problem, event_problem, field_problem, fields_problem, not_ready,
};
use crate::domain::{EventError, FieldError};
use crate::ports::{CryptoError, StoreError};

/// What can go wrong in a use case. Each area's errors describe themselves as a `Problem`.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("invalid field")]
    Invalid(#[from] FieldError),
    /// Every problem of a form or body at once (never empty).
    #[error("invalid fields")]
    Invalids(Vec<FieldError>),
    #[error("authentication")]
    Auth(#[from] AuthError),
    #[error("event rule")]
    Event(#[from] EventError),
    #[error("channel connection")]
    Channel(#[from] ChannelError),
    #[error("distribution")]
    Distribution(#[from] DistributionError),
    #[error("entry")]
    Entry(#[from] EntryError),
    #[error("job")]
    Job(#[from] JobError),
    #[error("draw")]
    Draw(#[from] DrawError),
    #[error("analytics")]
    Analytics(#[from] AnalyticsError),
    #[error("pass")]
    Pass(#[from] PassError),
    #[error("not ready to publish")]
    NotReadyToPublish(Vec<PublishProblem>),
    #[error("{0:?} not found")]
    NotFound(Missing),
    #[error("shop info missing")]
    ShopInfoMissing { missing: Vec<&'static str> },
    #[error("concurrent modification")]
    ConcurrentModification,
    /// Too many calls from one client address (`limits`).
    #[error("rate limited")]
    RateLimited { retry_after: u64 },
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl AppError {
    /// Every problem of a form or body: one is `Invalid`, as before; more are `Invalids`.
    pub fn fields(mut all: Vec<FieldError>) -> Self {
        match all.len() {
            1 => AppError::Invalid(all.remove(0)),
            _ => AppError::Invalids(all),
        }
    }

    pub fn problem(&self) -> Problem {
        match self {
            AppError::Invalid(e) => field_problem(e),
            AppError::Invalids(all) => fields_problem(all),
            AppError::Auth(e) => e.problem(),
            AppError::Event(e) => event_problem(e),
            AppError::Channel(e) => e.problem(),
            AppError::Distribution(e) => e.problem(),
            AppError::Entry(e) => e.problem(),
            AppError::Job(e) => e.problem(),
            AppError::Draw(e) => e.problem(),
            AppError::Analytics(e) => e.problem(),
            AppError::Pass(e) => e.problem(),
            AppError::NotReadyToPublish(problems) => not_ready(problems),
            AppError::NotFound(what) => what.problem(),
            AppError::ShopInfoMissing { missing } => Problem::new(
                Kind::Unprocessable,
                "EVENT_002",
                "매장 정보가 없습니다. 내 정보에 매장을 등록하거나 요청에 매장명, 업종, 주소를 함께 보내 주세요.",
            )
            .with_details(json!({ "missing": missing })),
            AppError::RateLimited { retry_after } => Problem {
                retry_after: i64::try_from(*retry_after).ok(),
                ..Problem::new(
                    Kind::TooManyRequests,
                    "RATE_001",
                    format!("요청이 너무 많습니다. {retry_after}초 뒤에 다시 시도해 주세요."),
                )
            },
            AppError::ConcurrentModification => Problem::new(
                Kind::Conflict,
                "EVENT_007",
                "다른 요청이 먼저 이벤트를 변경했습니다. 새로고침 후 다시 시도해 주세요.",
            ),
            AppError::Internal(_) => Problem::new(
                Kind::Internal,
                "COMMON_500",
                "일시적인 오류가 발생했습니다. 잠시 후 다시 시도해 주세요.",
            ),
        }
    }
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

/// A sealed value that does not open is our failure (a key removed too early, a row changed by
/// hand), never the client's.
impl From<CryptoError> for AppError {
    fn from(e: CryptoError) -> Self {
        AppError::Internal(e.into())
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        AppError::Internal(e)
    }
}
