//! `/api/auth/*`: sign-up, login and logout.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, AuthUser, LoginQuota, SignupQuota};
use super::users::{StoreBody, UserResponse};
use crate::app::{AppError, AuthError, Services, auth};
use crate::domain::{Email, FieldError, OwnerName, Phone, PlainPassword, ShopInfo};
use crate::inbound::Client;

// No `Debug` on bodies that carry a password: they can never end up in a log by accident.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignupRequest {
    #[schema(example = "owner@cafe-bom.kr")]
    pub email: String,
    /// 8–128 characters, letters and digits.
    #[schema(example = "secret123")]
    pub password: String,
    #[schema(example = "김봄")]
    pub name: String,
    #[schema(example = "010-1234-5678")]
    pub phone: Option<String>,
    /// The shop; may be added later with `PUT /api/users/me`.
    pub store: Option<StoreBody>,
}

impl TryFrom<SignupRequest> for auth::Signup {
    type Error = FieldError;
    fn try_from(r: SignupRequest) -> Result<Self, Self::Error> {
        Ok(auth::Signup {
            email: Email::parse_new(&r.email)?,
            password: PlainPassword::parse("password", &r.password)?,
            name: OwnerName::parse(&r.name)?,
            phone: r.phone.as_deref().map(Phone::parse).transpose()?,
            shop: r.store.map(ShopInfo::try_from).transpose()?,
        })
    }
}

#[utoipa::path(post, path = "/api/auth/signup", operation_id = "auth-signup", tag = "auth",
    request_body = SignupRequest,
    responses(
        (status = 201, body = UserResponse, description = "가입 완료 (주소 확인 메일을 보냄)"),
        (status = 400, body = ErrorBody), (status = 409, body = ErrorBody, description = "AUTH_004 이미 가입된 이메일"),
        (status = 429, body = ErrorBody, description = "RATE_001 한 주소에서 가입 시도 초과 (Retry-After)"),
    ))]
pub async fn signup(
    State(s): State<Services>,
    _: SignupQuota,
    ApiJson(body): ApiJson<SignupRequest>,
) -> Result<(StatusCode, axum::Json<UserResponse>), ApiError> {
    let cmd = auth::Signup::try_from(body).map_err(AppError::from)?;
    let user = auth::signup(&s, cmd).await?;
    if let Err(e) = crate::app::mailbox::send_verification(&s, &user).await {
        tracing::warn!(
            error = format!("{e:#}"),
            "verification mail not sent at sign-up"
        );
    }
    Ok((StatusCode::CREATED, axum::Json(user.into())))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(example = "owner@cafe-bom.kr")]
    pub email: String,
    #[schema(example = "secret123")]
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoginResponse {
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the token expires.
    pub expires_in: i64,
    pub user: UserResponse,
}

#[utoipa::path(post, path = "/api/auth/login", operation_id = "auth-login", tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, body = LoginResponse),
        (status = 401, body = ErrorBody, description = "AUTH_003 이메일 또는 비밀번호 불일치"),
        (status = 429, body = ErrorBody, description = "AUTH_005 로그인 시도 초과, RATE_001 한 주소에서 요청 초과 (Retry-After)"),
    ))]
pub async fn login(
    State(s): State<Services>,
    _: LoginQuota,
    client: Client,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<axum::Json<LoginResponse>, ApiError> {
    // A malformed email cannot belong to an account: answer exactly as for a wrong password.
    let (Ok(email), Ok(password)) = (
        Email::parse(&body.email),
        PlainPassword::for_login(&body.password),
    ) else {
        return Err(AuthError::InvalidCredentials.into());
    };
    let done = auth::login(&s, email, password, &client.address).await?;
    Ok(axum::Json(LoginResponse {
        access_token: done.access_token,
        token_type: "Bearer",
        expires_in: done.expires_in,
        user: done.user.into(),
    }))
}

#[utoipa::path(post, path = "/api/auth/logout", operation_id = "auth-logout", tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "이 계정의 모든 토큰이 더 이상 쓰이지 않습니다"),
        (status = 401, body = ErrorBody),
    ))]
pub async fn logout(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
) -> Result<StatusCode, ApiError> {
    auth::logout(&s, me).await?;
    Ok(StatusCode::NO_CONTENT)
}
