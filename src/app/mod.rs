//! Use cases: one module per area, named as in every other layer (`http/X.rs`, `app/X.rs`,
//! `adapters/sql/X.rs`). They orchestrate domain rules and ports, and know nothing of HTTP.

pub mod analytics;
pub mod auth;
pub mod channels;
pub mod distribution;
pub mod draws;
pub mod entries;
pub mod events;
pub mod images;
pub mod jobs;
pub mod limits;
pub mod outbox;
pub mod recommendations;
pub mod users;

use std::sync::Arc;

use serde_json::{Value, json};

use crate::domain::entry::Retention;
use crate::domain::publishing::PublishProblem;
use crate::domain::throttle::ThrottlePolicy;
use crate::domain::{EventError, FieldError};
use crate::ports::{
    Blobs, Channels, Clock, CryptoError, MessageSender, Painter, PasswordHasher, Recommender,
    Store, StoreError, Tagger, TokenService, Vault,
};

pub use analytics::AnalyticsError;
pub use auth::AuthError;
pub use channels::ChannelError;
pub use distribution::DistributionError;
pub use draws::DrawError;
pub use entries::EntryError;

/// Everything the use cases need, chosen once at start-up.
#[derive(Clone)]
pub struct Services {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub tokens: Arc<dyn TokenService>,
    pub passwords: Arc<dyn PasswordHasher>,
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
    /// Seals channel secrets at rest.
    pub vault: Arc<dyn Vault>,
    /// The channels' clients (and the local sandbox).
    pub channels: Channels,
    /// Where the service is reached from outside: OAuth callbacks and event links start here.
    pub public_base_url: String,
    pub distribution: distribution::Policy,
    /// Seals customers' names and phone numbers, and draw seeds.
    pub personal: Arc<dyn Vault>,
    /// Tags phone numbers (one entry per phone; earlier winners).
    pub tags: Arc<dyn Tagger>,
    /// The entry hot path's group commit.
    pub intake: Arc<entries::intake::Intake>,
    pub limits: Arc<limits::ClientLimits>,
    pub retention: Retention,
    /// Costly jobs one owner may start per day.
    pub job_quota: crate::domain::job::DailyQuota,
    /// Requests come through API Management, which names the caller's address in
    /// `X-Client-Address` (in Azure); otherwise the connection's peer is the caller.
    pub trust_client_address_header: bool,
    /// The day's visitor key and recent dashboards.
    pub analytics: Arc<analytics::Caches>,
    /// QR codes and the shop's printable card.
    pub printer: Arc<dyn crate::ports::Printer>,
}

/// 32 random bytes as hex: OAuth states, receipts' secrets, seeds.
pub fn random_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What can go wrong in a use case. Each area's errors describe themselves as a `Problem`.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("invalid field")]
    Invalid(#[from] FieldError),
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
    Job(#[from] jobs::JobError),
    #[error("draw")]
    Draw(#[from] DrawError),
    #[error("analytics")]
    Analytics(#[from] AnalyticsError),
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

/// The kind of a failure, whatever the protocol (`http::error` maps it to a status).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Invalid,
    Unauthenticated,
    NotFound,
    Conflict,
    Unprocessable,
    TooManyRequests,
    /// An outside service did not answer: try again later.
    Unavailable,
    Internal,
}

/// A failure as a client sees it: its kind, a stable code, a Korean message, details.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub kind: Kind,
    pub code: &'static str,
    pub message: String,
    pub details: Option<Value>,
    /// Seconds the client should wait before trying again.
    pub retry_after: Option<i64>,
}

impl Problem {
    pub fn new(kind: Kind, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            kind,
            code,
            message: message.into(),
            details: None,
            retry_after: None,
        }
    }

    pub fn with_details(self, details: Value) -> Self {
        Self {
            details: Some(details),
            ..self
        }
    }
}

/// Something looked up that does not exist (or is not the owner's: never said apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    Event,
    Job,
    Recommendation,
    Image,
    Channel,
    Link,
}

impl Missing {
    fn problem(self) -> Problem {
        let (code, message) = match self {
            Missing::Event => ("EVENT_003", "이벤트를 찾을 수 없습니다."),
            Missing::Job => ("JOB_001", "작업을 찾을 수 없습니다."),
            Missing::Recommendation => (
                "REC_001",
                "이 이벤트의 추천안을 찾을 수 없습니다. 추천안 목록을 다시 불러와 주세요.",
            ),
            Missing::Image => (
                "IMG_001",
                "이 이벤트의 이미지를 찾을 수 없습니다. 이미지 목록을 다시 불러와 주세요.",
            ),
            Missing::Link => (
                "LINK_001",
                "링크를 찾을 수 없습니다. 받은 주소를 다시 확인해 주세요.",
            ),
            Missing::Channel => (
                "CHANNEL_009",
                "알 수 없는 채널입니다. INSTAGRAM, NAVER, KAKAO, URIDONGNETV, GINITV, RINGOBIZ 중 하나를 쓰세요.",
            ),
        };
        Problem::new(Kind::NotFound, code, message)
    }
}

impl AppError {
    pub fn problem(&self) -> Problem {
        match self {
            AppError::Invalid(e) => field_problem(e),
            AppError::Auth(e) => e.problem(),
            AppError::Event(e) => events::problem(e),
            AppError::Channel(e) => e.problem(),
            AppError::Distribution(e) => e.problem(),
            AppError::Entry(e) => e.problem(),
            AppError::Job(e) => e.problem(),
            AppError::Draw(e) => e.problem(),
            AppError::Analytics(e) => e.problem(),
            AppError::NotReadyToPublish(problems) => distribution::not_ready(problems),
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

/// An invalid field: `REQ_002`, except the two fields whose codes predate it.
fn field_problem(e: &FieldError) -> Problem {
    let code = match e.field {
        "objective" => "EVENT_001",
        "channels" => "EVENT_006",
        _ => "REQ_002",
    };
    Problem::new(Kind::Invalid, code, e.message()).with_details(json!({ "field": e.field }))
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
