//! The one API error type: it owns the mapping to HTTP status, stable code and Korean message.
//! Internal causes are logged once, inside the request's span, and never sent to the client.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::AppError;
use crate::domain::EventError;

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
    #[error("missing token")]
    MissingToken,
    #[error("invalid token")]
    InvalidToken,
    #[error("no such route")]
    RouteNotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("request timed out")]
    Timeout,
}

struct Mapped {
    status: StatusCode,
    code: &'static str,
    message: String,
    details: Option<serde_json::Value>,
}

fn mapped(status: StatusCode, code: &'static str, message: impl Into<String>) -> Mapped {
    Mapped {
        status,
        code,
        message: message.into(),
        details: None,
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

    fn map(&self) -> Mapped {
        use serde_json::json;
        match self {
            ApiError::App(e) => map_app(e),
            ApiError::MalformedJson { reason } => Mapped {
                details: Some(json!({ "reason": reason })),
                ..mapped(
                    StatusCode::BAD_REQUEST,
                    "REQ_001",
                    "요청 본문이 올바른 JSON이 아닙니다.",
                )
            },
            ApiError::InvalidBody { field, reason } => Mapped {
                details: Some(json!({ "field": field, "reason": reason })),
                ..mapped(
                    StatusCode::BAD_REQUEST,
                    "REQ_002",
                    if field.is_empty() {
                        "요청 본문의 형식이 올바르지 않습니다.".to_owned()
                    } else {
                        format!("요청 본문의 '{field}' 값이 올바르지 않습니다.")
                    },
                )
            },
            ApiError::PayloadTooLarge => mapped(
                StatusCode::PAYLOAD_TOO_LARGE,
                "REQ_003",
                "요청 본문이 너무 큽니다.",
            ),
            ApiError::UnsupportedMediaType => mapped(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "REQ_004",
                "Content-Type은 application/json이어야 합니다.",
            ),
            ApiError::InvalidQuery { field, reason } => Mapped {
                details: Some(json!({ "field": field, "reason": reason })),
                ..mapped(
                    StatusCode::BAD_REQUEST,
                    "REQ_005",
                    "쿼리 매개변수가 올바르지 않습니다.",
                )
            },
            ApiError::MissingToken => mapped(
                StatusCode::UNAUTHORIZED,
                "AUTH_001",
                "로그인이 필요합니다. Authorization: Bearer <토큰> 헤더를 보내 주세요.",
            ),
            ApiError::InvalidToken => mapped(
                StatusCode::UNAUTHORIZED,
                "AUTH_002",
                "인증 토큰이 유효하지 않거나 만료되었습니다. 다시 로그인해 주세요.",
            ),
            ApiError::RouteNotFound => mapped(
                StatusCode::NOT_FOUND,
                "COMMON_404",
                "요청한 주소를 찾을 수 없습니다.",
            ),
            ApiError::MethodNotAllowed => mapped(
                StatusCode::METHOD_NOT_ALLOWED,
                "COMMON_405",
                "이 주소에서 지원하지 않는 HTTP 메서드입니다.",
            ),
            ApiError::Timeout => mapped(
                StatusCode::SERVICE_UNAVAILABLE,
                "COMMON_503",
                "요청 처리 시간이 초과되었습니다. 잠시 후 다시 시도해 주세요.",
            ),
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
        let m = self.map();
        if let ApiError::App(AppError::Internal(cause)) = self {
            tracing::error!(
                code = m.code,
                error = format!("{cause:#}"),
                "request failed"
            );
        } else {
            tracing::info!(code = m.code, status = m.status.as_u16(), "request refused");
        }
        let body = ErrorBody {
            code: m.code,
            message: m.message,
            details: m.details,
            request_id,
        };
        let mut res = (m.status, axum::Json(body)).into_response();
        match self {
            ApiError::MissingToken | ApiError::InvalidToken => {
                res.headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            ApiError::App(AppError::TooManyLoginAttempts { retry_after_secs }) => {
                if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                    res.headers_mut().insert(header::RETRY_AFTER, v);
                }
            }
            _ => {}
        }
        res
    }
}

fn map_app(e: &AppError) -> Mapped {
    use serde_json::json;
    match e {
        AppError::Invalid(fe) => {
            let code = match fe.field {
                "objective" => "EVENT_001",
                "channels" => "EVENT_006",
                _ => "REQ_002",
            };
            Mapped {
                details: Some(json!({ "field": fe.field })),
                ..mapped(StatusCode::BAD_REQUEST, code, fe.message())
            }
        }
        AppError::EmailTaken => mapped(
            StatusCode::CONFLICT,
            "AUTH_004",
            "이미 가입된 이메일입니다.",
        ),
        AppError::InvalidCredentials => mapped(
            StatusCode::UNAUTHORIZED,
            "AUTH_003",
            "이메일 또는 비밀번호가 올바르지 않습니다.",
        ),
        AppError::TooManyLoginAttempts { retry_after_secs } => Mapped {
            details: Some(json!({ "retryAfterSeconds": retry_after_secs })),
            ..mapped(
                StatusCode::TOO_MANY_REQUESTS,
                "AUTH_005",
                "로그인 시도가 너무 많습니다. 잠시 후 다시 시도해 주세요.",
            )
        },
        AppError::WrongCurrentPassword => mapped(
            StatusCode::BAD_REQUEST,
            "AUTH_006",
            "현재 비밀번호가 일치하지 않습니다.",
        ),
        AppError::Unauthenticated => mapped(
            StatusCode::UNAUTHORIZED,
            "AUTH_002",
            "인증 토큰이 유효하지 않거나 만료되었습니다. 다시 로그인해 주세요.",
        ),
        AppError::EventNotFound => mapped(
            StatusCode::NOT_FOUND,
            "EVENT_003",
            "이벤트를 찾을 수 없습니다.",
        ),
        AppError::Event(ev) => {
            let (status, code) = match ev {
                EventError::NotAllowed { .. } => (StatusCode::CONFLICT, "EVENT_004"),
                EventError::EndBeforeStart | EventError::PeriodTooLong => {
                    (StatusCode::BAD_REQUEST, "EVENT_005")
                }
                EventError::NotReadyToPublish { .. } => {
                    (StatusCode::UNPROCESSABLE_ENTITY, "EVENT_008")
                }
            };
            let details = match ev {
                EventError::NotAllowed { status, .. } => Some(json!({ "status": status.code() })),
                EventError::NotReadyToPublish { missing } => Some(json!({ "missing": missing })),
                _ => None,
            };
            Mapped {
                details,
                ..mapped(status, code, ev.message())
            }
        }
        AppError::StoreInfoMissing { missing } => Mapped {
            details: Some(json!({ "missing": missing })),
            ..mapped(
                StatusCode::UNPROCESSABLE_ENTITY,
                "EVENT_002",
                "매장 정보가 없습니다. 내 정보에 매장을 등록하거나 요청에 매장명, 업종, 주소를 함께 보내 주세요.",
            )
        },
        AppError::ImageNotFound => mapped(
            StatusCode::NOT_FOUND,
            "IMG_001",
            "이 이벤트의 이미지를 찾을 수 없습니다. 이미지 목록을 다시 불러와 주세요.",
        ),
        AppError::JobNotFound => {
            mapped(StatusCode::NOT_FOUND, "JOB_001", "작업을 찾을 수 없습니다.")
        }
        AppError::RecommendationNotFound => mapped(
            StatusCode::NOT_FOUND,
            "REC_001",
            "이 이벤트의 추천안을 찾을 수 없습니다. 추천안 목록을 다시 불러와 주세요.",
        ),
        AppError::ConcurrentModification => mapped(
            StatusCode::CONFLICT,
            "EVENT_007",
            "다른 요청이 먼저 이벤트를 변경했습니다. 새로고침 후 다시 시도해 주세요.",
        ),
        AppError::Internal(_) => mapped(
            StatusCode::INTERNAL_SERVER_ERROR,
            "COMMON_500",
            "일시적인 오류가 발생했습니다. 잠시 후 다시 시도해 주세요.",
        ),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.response_with_id(current_request_id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{EventAction, EventStatus, FieldError, FieldProblem};

    fn status_and_code(e: ApiError) -> (u16, &'static str) {
        let m = e.map();
        (m.status.as_u16(), m.code)
    }

    #[test]
    fn the_code_table_of_design_8_1() {
        let field = |f: &'static str| {
            ApiError::App(AppError::Invalid(FieldError::new(f, FieldProblem::Empty)))
        };
        let cases = [
            (field("objective"), (400, "EVENT_001")),
            (field("channels"), (400, "EVENT_006")),
            (field("name"), (400, "REQ_002")),
            (
                ApiError::App(AppError::StoreInfoMissing { missing: vec![] }),
                (422, "EVENT_002"),
            ),
            (ApiError::App(AppError::EventNotFound), (404, "EVENT_003")),
            (
                ApiError::App(AppError::Event(EventError::NotAllowed {
                    status: EventStatus::Published,
                    action: EventAction::Edit,
                })),
                (409, "EVENT_004"),
            ),
            (
                ApiError::App(AppError::Event(EventError::EndBeforeStart)),
                (400, "EVENT_005"),
            ),
            (
                ApiError::App(AppError::ConcurrentModification),
                (409, "EVENT_007"),
            ),
            (
                ApiError::App(AppError::Event(EventError::NotReadyToPublish {
                    missing: vec![],
                })),
                (422, "EVENT_008"),
            ),
            (ApiError::App(AppError::EmailTaken), (409, "AUTH_004")),
            (
                ApiError::App(AppError::InvalidCredentials),
                (401, "AUTH_003"),
            ),
            (
                ApiError::App(AppError::TooManyLoginAttempts {
                    retry_after_secs: 1,
                }),
                (429, "AUTH_005"),
            ),
            (
                ApiError::App(AppError::WrongCurrentPassword),
                (400, "AUTH_006"),
            ),
            (ApiError::MissingToken, (401, "AUTH_001")),
            (ApiError::InvalidToken, (401, "AUTH_002")),
            (ApiError::PayloadTooLarge, (413, "REQ_003")),
            (ApiError::UnsupportedMediaType, (415, "REQ_004")),
            (
                ApiError::App(AppError::Internal(anyhow::anyhow!("db down"))),
                (500, "COMMON_500"),
            ),
        ];
        for (err, want) in cases {
            assert_eq!(status_and_code(err), want);
        }
    }

    #[test]
    fn internal_causes_never_reach_the_body() {
        let res = ApiError::App(AppError::Internal(anyhow::anyhow!(
            "password=hunter2 in SQL"
        )))
        .response_with_id("r-1".to_owned());
        let body = futures_body(res);
        assert!(!body.contains("hunter2"), "{body}");
        assert!(
            body.contains("COMMON_500") && body.contains("r-1"),
            "{body}"
        );
    }

    fn futures_body(res: Response) -> String {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        let bytes = rt
            .block_on(axum::body::to_bytes(res.into_body(), usize::MAX))
            .expect("body");
        String::from_utf8(bytes.to_vec()).expect("utf-8")
    }
}
