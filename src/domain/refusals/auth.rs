//! Signing up, logging in and tokens: the refusals.

use serde_json::json;

use super::{Kind, Problem};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
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
    #[error("mailed link used or expired")]
    LinkExpired,
    #[error("mail not sent")]
    MailUnavailable,
}

impl AuthError {
    pub fn problem(&self) -> Problem {
        match self {
            AuthError::EmailTaken => {
                Problem::new(Kind::Conflict, "AUTH_004", "이미 가입된 이메일입니다.")
            }
            AuthError::InvalidCredentials => Problem::new(
                Kind::Unauthenticated,
                "AUTH_003",
                "이메일 또는 비밀번호가 올바르지 않습니다.",
            ),
            AuthError::TooManyLoginAttempts { retry_after_secs } => Problem {
                retry_after: Some(*retry_after_secs),
                ..Problem::new(
                    Kind::TooManyRequests,
                    "AUTH_005",
                    "로그인 시도가 너무 많습니다. 잠시 후 다시 시도해 주세요.",
                )
                .with_details(json!({ "retryAfterSeconds": retry_after_secs }))
            },
            AuthError::WrongCurrentPassword => Problem::new(
                Kind::Invalid,
                "AUTH_006",
                "현재 비밀번호가 일치하지 않습니다.",
            ),
            AuthError::LinkExpired => Problem::new(
                Kind::Invalid,
                "AUTH_007",
                "링크가 만료되었거나 이미 사용되었습니다. 메일을 다시 요청해 주세요.",
            ),
            AuthError::MailUnavailable => Problem::new(
                Kind::Unavailable,
                "AUTH_008",
                "메일을 보내지 못했습니다. 잠시 후 다시 시도해 주세요.",
            ),
            AuthError::Unauthenticated => Problem::new(
                Kind::Unauthenticated,
                "AUTH_002",
                "인증 토큰이 유효하지 않거나 만료되었습니다. 다시 로그인해 주세요.",
            ),
        }
    }
}
