//! The one API error type. Use-case errors describe themselves (`app::Problem`: kind, stable
//! code, Korean message); the request-shape errors below do the same next to their variants.
//! Here a problem's kind becomes an HTTP status. Internal causes are logged once, inside the
//! request's span, and never sent to the client.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::app::{AppError, Kind, Problem};

tokio::task_local! {
    /// The current request's id, set by the request-context middleware.
    pub static REQUEST_ID: String;
}

pub fn current_request_id() -> String {
    REQUEST_ID
        .try_with(Clone::clone)
        .unwrap_or_else(|_| "-".to_owned())
}

/// `{"code","message","details?","requestId"}`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `EVENT_001`.
    pub code: &'static str,
    /// Korean, for people.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
    /// Quote it when asking for help: it finds the request in the logs.
    pub request_id: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    App(#[from] AppError),
    #[error("malformed JSON")]
    MalformedJson { reason: String },
    #[error("invalid body field")]
    InvalidBody { field: String, reason: String },
    #[error("body too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("invalid query")]
    InvalidQuery { field: String, reason: String },
    #[error("invalid header")]
    InvalidHeader { header: &'static str },
    #[error("missing token")]
    MissingToken,
    #[error("no such route")]
    RouteNotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("request timed out")]
    Timeout,
}

impl From<crate::app::AuthError> for ApiError {
    fn from(e: crate::app::AuthError) -> Self {
        ApiError::App(e.into())
    }
}

impl ApiError {
    /// A query parameter that parsed but is not acceptable.
    pub fn query(e: &crate::domain::FieldError) -> Self {
        ApiError::InvalidQuery {
            field: e.field.to_owned(),
            reason: e.message(),
        }
    }

    pub fn problem(&self) -> Problem {
        use Kind::*;
        match self {
            ApiError::App(e) => e.problem(),
            ApiError::MalformedJson { reason } => {
                Problem::new(Invalid, "REQ_001", "요청 본문이 올바른 JSON이 아닙니다.")
                    .with_details(json!({ "reason": reason }))
            }
            ApiError::InvalidBody { field, reason } => {
                let message = if field.is_empty() {
                    "요청 본문의 형식이 올바르지 않습니다.".to_owned()
                } else {
                    format!("요청 본문의 '{field}' 값이 올바르지 않습니다.")
                };
                Problem::new(Invalid, "REQ_002", message)
                    .with_details(json!({ "field": field, "reason": reason }))
            }
            ApiError::PayloadTooLarge => {
                Problem::new(Invalid, "REQ_003", "요청 본문이 너무 큽니다.")
            }
            ApiError::UnsupportedMediaType => Problem::new(
                Invalid,
                "REQ_004",
                "Content-Type은 application/json이어야 합니다.",
            ),
            ApiError::InvalidQuery { field, reason } => {
                Problem::new(Invalid, "REQ_005", "쿼리 매개변수가 올바르지 않습니다.")
                    .with_details(json!({ "field": field, "reason": reason }))
            }
            ApiError::InvalidHeader { header } => Problem::new(
                Invalid,
                "REQ_006",
                format!("{header} 헤더 값이 올바르지 않습니다. 1~200자의 영문, 숫자, 기호로 보내 주세요."),
            )
            .with_details(json!({ "header": header })),
            ApiError::MissingToken => Problem::new(
                Unauthenticated,
                "AUTH_001",
                "로그인이 필요합니다. Authorization: Bearer <토큰> 헤더를 보내 주세요.",
            ),
            ApiError::RouteNotFound => {
                Problem::new(NotFound, "COMMON_404", "요청한 주소를 찾을 수 없습니다.")
            }
            ApiError::MethodNotAllowed => Problem::new(
                Invalid,
                "COMMON_405",
                "이 주소에서 지원하지 않는 HTTP 메서드입니다.",
            ),
            ApiError::Timeout => Problem::new(
                Internal,
                "COMMON_503",
                "요청 처리 시간이 초과되었습니다. 잠시 후 다시 시도해 주세요.",
            ),
        }
    }

    /// The status: the problem's kind, except where HTTP has a more precise one.
    fn status(&self, problem: &Problem) -> StatusCode {
        match self {
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Timeout => StatusCode::SERVICE_UNAVAILABLE,
            _ => status_of(problem.kind),
        }
    }

    /// For responses produced outside our handlers (axum's own 405, a timeout layer…).
    pub fn for_bare_status(status: StatusCode) -> Option<Self> {
        match status {
            StatusCode::NOT_FOUND => Some(ApiError::RouteNotFound),
            StatusCode::METHOD_NOT_ALLOWED => Some(ApiError::MethodNotAllowed),
            StatusCode::PAYLOAD_TOO_LARGE => Some(ApiError::PayloadTooLarge),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Some(ApiError::UnsupportedMediaType),
            StatusCode::REQUEST_TIMEOUT | StatusCode::SERVICE_UNAVAILABLE => {
                Some(ApiError::Timeout)
            }
            StatusCode::INTERNAL_SERVER_ERROR => Some(ApiError::App(AppError::Internal(
                anyhow::anyhow!("unhandled failure outside a handler"),
            ))),
            StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => {
                Some(ApiError::InvalidBody {
                    field: String::new(),
                    reason: "invalid request".to_owned(),
                })
            }
            _ => None,
        }
    }

    pub fn response_with_id(&self, request_id: String) -> Response {
        let problem = self.problem();
        let status = self.status(&problem);
        if let ApiError::App(AppError::Internal(cause)) = self {
            let error = format!("{cause:#}");
            tracing::error!(code = problem.code, error, "request failed");
        } else {
            let status = status.as_u16();
            tracing::info!(code = problem.code, status, "request refused");
        }
        let retry_after = problem.retry_after;
        let body = ErrorBody {
            code: problem.code,
            message: problem.message,
            details: problem.details,
            request_id,
        };
        let mut res = (status, axum::Json(body)).into_response();
        let headers = res.headers_mut();
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(v) = retry_after.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
            headers.insert(header::RETRY_AFTER, v);
        }
        res
    }
}

/// The HTTP status of each kind of problem.
pub fn status_of(kind: Kind) -> StatusCode {
    match kind {
        Kind::Invalid => StatusCode::BAD_REQUEST,
        Kind::Unauthenticated => StatusCode::UNAUTHORIZED,
        Kind::NotFound => StatusCode::NOT_FOUND,
        Kind::Conflict => StatusCode::CONFLICT,
        Kind::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
        Kind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
        Kind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Kind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.response_with_id(current_request_id())
    }
}

#[cfg(test)]
mod tests;
