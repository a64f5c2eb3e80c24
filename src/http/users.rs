//! `/api/users/me*`: the owner's profile and password.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, AuthUser, nullable};
use crate::app::{AppError, AuthError, Services, users};
use crate::domain::contact::ShopPhone;
use crate::domain::{
    FieldError, FieldProblem, OwnerName, Phone, PlainPassword, ProfileUpdate, ShopInfo, User,
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

impl TryFrom<StoreBody> for ShopInfo {
    type Error = FieldError;
    fn try_from(b: StoreBody) -> Result<Self, Self::Error> {
        ShopInfo::parse(&b.name, &b.industry, &b.address)
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StoreResponse {
    pub store_id: uuid::Uuid,
    pub name: String,
    pub industry: String,
    pub address: String,
    /// The shop's phone for customers (the event page's 문의처), when given.
    pub phone: Option<String>,
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
            store: u.shop.map(|s| StoreResponse {
                store_id: s.id.0,
                name: s.info.name,
                industry: s.info.industry,
                address: s.info.address,
                phone: s.phone.map(|p| p.as_str().to_owned()),
            }),
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
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
    #[schema(value_type = Option<String>, example = "김봄")]
    pub name: Option<Option<String>>,
    /// `null` removes the phone number.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, nullable, example = "010-1234-5678")]
    pub phone: Option<Option<String>>,
    /// Replaces the shop info (all three fields); `null` removes the shop (events keep theirs).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<StoreBody>, nullable)]
    pub store: Option<Option<StoreBody>>,
    /// The shop's phone for customers (shown on event pages as 문의처); `null` removes it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, nullable, example = "02-123-4567")]
    pub shop_phone: Option<Option<String>>,
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
            shop: r
                .store
                .map(|s| s.map(ShopInfo::try_from).transpose())
                .transpose()?,
            shop_phone: (r.shop_phone)
                .map(|p| p.as_deref().map(ShopPhone::parse).transpose())
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
    let update = ProfileUpdate::try_from(body).map_err(AppError::from)?;
    Ok(axum::Json(users::update_me(&s, me, update).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChangePasswordRequest {
    #[schema(example = "secret123")]
    pub current_password: String,
    /// 8–128 characters, letters and digits.
    #[schema(example = "new-secret-456")]
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
        .map_err(|_| AuthError::WrongCurrentPassword)?;
    let new = PlainPassword::parse("newPassword", &body.new_password).map_err(AppError::from)?;
    users::change_password(&s, me, current, new).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CounterPinRequest {
    /// Six digits. Staff use it to redeem and stamp passes at the counter, and nothing else.
    #[schema(example = "482913")]
    pub pin: String,
}

#[utoipa::path(put, path = "/api/users/me/counter-pin", operation_id = "users-counter-pin", tag = "users",
    security(("bearer" = [])), request_body = CounterPinRequest,
    responses((status = 204, description = "설정 완료: 이전 카운터 세션은 끝남"),
        (status = 400, body = ErrorBody, description = "REQ_002 숫자 6자리가 아님"),
        (status = 401, body = ErrorBody)))]
pub async fn set_counter_pin(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    ApiJson(body): ApiJson<CounterPinRequest>,
) -> Result<StatusCode, ApiError> {
    crate::app::counter::set_pin(&s, me, &body.pin).await?;
    Ok(StatusCode::NO_CONTENT)
}
