//! What each area refuses, and how a refusal reads to a client: its kind (which each door turns
//! into a status: HTTP for the API, a page for the console), a stable code and a Korean
//! message. One file per area, named as in every other layer; the errors stay next to their
//! descriptions.

mod analytics;
mod auth;
mod channels;
mod distribution;
mod draws;
mod entries;
mod jobs;
mod passes;

use serde_json::{Value, json};

use super::channel::Channel;
use super::event::EventError;
use super::field::FieldError;
use super::publishing::PublishProblem;

pub use analytics::AnalyticsError;
pub use auth::AuthError;
pub use channels::ChannelError;
pub use distribution::DistributionError;
pub use draws::DrawError;
pub use entries::EntryError;
pub use jobs::JobError;
pub use passes::PassError;

/// The kind of a failure, whatever the protocol (each door maps it to its own answer).
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
    pub fn problem(self) -> Problem {
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

/// An invalid field: `REQ_002`, except the two fields whose codes predate it.
pub fn field_problem(e: &FieldError) -> Problem {
    let code = match e.field {
        "objective" => "EVENT_001",
        "channels" => "EVENT_006",
        _ => "REQ_002",
    };
    Problem::new(Kind::Invalid, code, e.message()).with_details(json!({ "field": e.field }))
}

/// Every problem of a form at once: `REQ_002` naming the first field (as one problem does) and
/// listing all of them in `details.problems`.
pub fn fields_problem(all: &[FieldError]) -> Problem {
    let listed: Vec<_> = (all.iter())
        .map(|e| json!({"field": e.field, "message": e.message()}))
        .collect();
    let message = match all {
        [one] => one.message(),
        _ => format!(
            "입력을 확인해 주세요({}개 항목): {}",
            all.len(),
            all.iter()
                .map(FieldError::message)
                .collect::<Vec<_>>()
                .join(" ")
        ),
    };
    let first = all.first().map(|e| e.field).unwrap_or_default();
    Problem::new(Kind::Invalid, "REQ_002", message)
        .with_details(json!({ "field": first, "problems": listed }))
}

/// How the event rules' refusals reach a client.
pub fn event_problem(e: &EventError) -> Problem {
    match e {
        EventError::NotAllowed { status, .. } => {
            Problem::new(Kind::Conflict, "EVENT_004", e.message())
                .with_details(json!({ "status": status.code() }))
        }
        EventError::EndBeforeStart | EventError::PeriodTooLong => {
            Problem::new(Kind::Invalid, "EVENT_005", e.message())
        }
        EventError::NotReadyToPublish { missing } => {
            Problem::new(Kind::Unprocessable, "EVENT_008", e.message())
                .with_details(json!({ "missing": missing }))
        }
    }
}

/// 422 with every unmet precondition of publishing.
pub fn not_ready(problems: &[PublishProblem]) -> Problem {
    let listed: Vec<_> = problems
        .iter()
        .map(|p| json!({"code": p.code(), "channel": p.channel().map(Channel::code), "message": p.message()}))
        .collect();
    let message = format!(
        "배포하기 전에 해결할 항목이 {}개 있습니다: {}",
        problems.len(),
        problems
            .iter()
            .map(PublishProblem::message)
            .collect::<Vec<_>>()
            .join(" ")
    );
    Problem::new(Kind::Unprocessable, "EVENT_008", message)
        .with_details(json!({ "problems": listed }))
}
