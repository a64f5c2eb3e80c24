//! `/api/auth/*` and `/api/users/me*`.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, AuthUser, nullable};
use crate::app::{Services, auth, users};
use crate::domain::{
    Email, FieldError, FieldProblem, OwnerName, Phone, PlainPassword, ProfileUpdate, StoreInfo,
    User,
};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StoreBody {
    #[schema(example = "카페 봄날")]
    pub name: String,
    #[schema(example = "카페")]
    pub industry: String,
    #[schema(example = "서울특별시 마포구 양화로 45")]
    pub address: String,
}

impl TryFrom<StoreBody> for StoreInfo {
    type Error = FieldError;
    fn try_from(b: StoreBody) -> Result<Self, Self::Error> {
        StoreInfo::parse(&b.name, &b.industry, &b.address)
    }
}

// No `Debug` on bodies that carry a password: they can never end up in a log by accident.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignupRequest {
    #[schema(example = "owner@cafe-bom.kr")]
    pub email: String,
    /// 8–128 characters, letters and digits.
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
            email: Email::parse(&r.email)?,
            password: PlainPassword::parse("password", &r.password)?,
            name: OwnerName::parse(&r.name)?,
            phone: r.phone.as_deref().map(Phone::parse).transpose()?,
            store: r.store.map(StoreInfo::try_from).transpose()?,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StoreResponse {
    pub store_id: uuid::Uuid,
    pub name: String,
    pub industry: String,
    pub address: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserResponse {
    pub user_id: uuid::Uuid,
    pub email: String,
    pub name: String,
    pub phone: Option<String>,
    pub store: Option<StoreResponse>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<User> for UserResponse {
    fn from(u: User) -> Self {
        Self {
            user_id: u.id.0,
            email: u.email.as_str().to_owned(),
            name: u.name.as_str().to_owned(),
            phone: u.phone.map(|p| p.as_str().to_owned()),
            store: u.store.map(|s| StoreResponse {
                store_id: s.id.0,
                name: s.info.name,
                industry: s.info.industry,
                address: s.info.address,
            }),
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

#[utoipa::path(post, path = "/api/auth/signup", operation_id = "auth-signup", tag = "auth",
    request_body = SignupRequest,
    responses(
        (status = 201, body = UserResponse, description = "가입 완료"),
        (status = 400, body = ErrorBody), (status = 409, body = ErrorBody, description = "AUTH_004 이미 가입된 이메일"),
    ))]
pub async fn signup(
    State(s): State<Services>,
    ApiJson(body): ApiJson<SignupRequest>,
) -> Result<(StatusCode, axum::Json<UserResponse>), ApiError> {
    let cmd = auth::Signup::try_from(body).map_err(crate::app::AppError::from)?;
    let user = auth::signup(&s, cmd).await?;
    Ok((StatusCode::CREATED, axum::Json(user.into())))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
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
        (status = 429, body = ErrorBody, description = "AUTH_005 로그인 시도 초과"),
    ))]
pub async fn login(
    State(s): State<Services>,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<axum::Json<LoginResponse>, ApiError> {
    // A malformed email cannot belong to an account: answer exactly as for a wrong password.
    let (Ok(email), Ok(password)) = (
        Email::parse(&body.email),
        PlainPassword::for_login(&body.password),
    ) else {
        return Err(crate::app::AppError::InvalidCredentials.into());
    };
    let done = auth::login(&s, email, password).await?;
    Ok(axum::Json(LoginResponse {
        access_token: done.access_token,
        token_type: "Bearer",
        expires_in: done.expires_in,
        user: done.user.into(),
    }))
}

#[utoipa::path(get, path = "/api/users/me", operation_id = "users-me-get", tag = "users",
    security(("bearer" = [])),
    responses((status = 200, body = UserResponse), (status = 401, body = ErrorBody)))]
pub async fn get_me(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
) -> Result<axum::Json<UserResponse>, ApiError> {
    Ok(axum::Json(users::me(&s, me).await?.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateMeRequest {
    /// Cannot be removed (`null` is refused).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub name: Option<Option<String>>,
    /// `null` removes the phone number.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, nullable)]
    pub phone: Option<Option<String>>,
    /// Replaces the shop info (all three fields); `null` removes the shop (events keep theirs).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<StoreBody>, nullable)]
    pub store: Option<Option<StoreBody>>,
}

impl TryFrom<UpdateMeRequest> for ProfileUpdate {
    type Error = FieldError;
    fn try_from(r: UpdateMeRequest) -> Result<Self, Self::Error> {
        Ok(ProfileUpdate {
            name: match r.name {
                None => None,
                Some(None) => return Err(FieldError::new("name", FieldProblem::Missing)),
                Some(Some(n)) => Some(OwnerName::parse(&n)?),
            },
            phone: r
                .phone
                .map(|p| p.as_deref().map(Phone::parse).transpose())
                .transpose()?,
            store: r
                .store
                .map(|s| s.map(StoreInfo::try_from).transpose())
                .transpose()?,
        })
    }
}

#[utoipa::path(put, path = "/api/users/me", operation_id = "users-me-update", tag = "users",
    security(("bearer" = [])), request_body = UpdateMeRequest,
    responses((status = 200, body = UserResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn update_me(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    ApiJson(body): ApiJson<UpdateMeRequest>,
) -> Result<axum::Json<UserResponse>, ApiError> {
    let update = ProfileUpdate::try_from(body).map_err(crate::app::AppError::from)?;
    Ok(axum::Json(users::update_me(&s, me, update).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

#[utoipa::path(put, path = "/api/users/me/password", operation_id = "users-me-password", tag = "users",
    security(("bearer" = [])), request_body = ChangePasswordRequest,
    responses((status = 204, description = "변경 완료"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn change_password(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    ApiJson(body): ApiJson<ChangePasswordRequest>,
) -> Result<StatusCode, ApiError> {
    let current = PlainPassword::for_login(&body.current_password)
        .map_err(|_| crate::app::AppError::WrongCurrentPassword)?;
    let new = PlainPassword::parse("newPassword", &body.new_password)
        .map_err(crate::app::AppError::from)?;
    auth::change_password(&s, me, current, new).await?;
    Ok(StatusCode::NO_CONTENT)
}
