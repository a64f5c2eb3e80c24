//! `/api/channels*`: the owner's six channel connections (never their secrets), connected by
//! the provider's login (Instagram, Naver) or by keys (Kakao's dealer, KT's partner).

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiQuery, AuthUser, ChannelPath};
use crate::app::channels::{self, ChannelView};
use crate::app::{AppError, ChannelError, Services};
use crate::domain::Channel;
use crate::domain::connection::{ChannelSecret, connects_by_oauth};
use crate::domain::field::{FieldError, FieldProblem};
use crate::inbound::cookies;

/// How a channel is connected.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ConnectsBy {
    Oauth,
    Keys,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChannelResponse {
    pub channel: Channel,
    #[schema(example = "인스타그램")]
    pub channel_label: &'static str,
    /// Log in at the provider, or enter the keys once.
    pub connects_by: ConnectsBy,
    pub connected: bool,
    /// What the owner recognises: `@account`, the sender profile, the partner account.
    pub account_label: Option<String>,
    pub token_expires_at: Option<DateTime<Utc>>,
    /// The token expired or was refused: connect again.
    pub needs_reconnect: bool,
    pub last_error: Option<String>,
    /// This platform can post to the channel (its API is configured).
    pub available: bool,
    /// Not connected, publishing would write to the local sandbox (local mode only).
    pub sandbox: bool,
}

impl From<ChannelView> for ChannelResponse {
    fn from(v: ChannelView) -> Self {
        Self {
            channel: v.channel,
            channel_label: v.channel.label(),
            connects_by: if connects_by_oauth(v.channel) {
                ConnectsBy::Oauth
            } else {
                ConnectsBy::Keys
            },
            connected: v.connected,
            account_label: v.label,
            token_expires_at: v.token_expires_at,
            needs_reconnect: v.needs_reconnect,
            last_error: v.last_error,
            available: v.available,
            sandbox: v.sandbox,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelList {
    pub items: Vec<ChannelResponse>,
}

#[utoipa::path(get, path = "/api/channels", operation_id = "channels-list", tag = "channels",
    security(("bearer" = [])),
    responses((status = 200, body = ChannelList), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
) -> Result<axum::Json<ChannelList>, ApiError> {
    let items = channels::list(&s, me).await?;
    Ok(axum::Json(ChannelList {
        items: items.into_iter().map(Into::into).collect(),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct StartQuery {
    /// NAVER: the cafe posts go to (its club id).
    pub club_id: Option<String>,
    /// NAVER: the board of that cafe (its menu id).
    pub menu_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OAuthStart {
    /// The provider's login page (also in `Location`).
    pub authorize_url: String,
}

#[utoipa::path(get, path = "/api/channels/{channel}/oauth/start", operation_id = "channels-oauth-start",
    tag = "channels", security(("bearer" = [])),
    params(("channel" = String, Path, description = "INSTAGRAM or NAVER"), StartQuery),
    responses((status = 302, body = OAuthStart, description = "제공자 로그인 화면으로 이동"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "CHANNEL_004 이 플랫폼에서 연결할 수 없음")))]
pub async fn oauth_start(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    ChannelPath(channel): ChannelPath,
    ApiQuery(q): ApiQuery<StartQuery>,
) -> Result<Response, ApiError> {
    let params = naver_board(channel, &q)?;
    let started = channels::start_oauth(&s, me, channel, params).await?;
    let url = started.url.clone();
    let body = axum::Json(OAuthStart {
        authorize_url: url.clone(),
    });
    let bound = cookies::oauth_binding(&s, channel, &started);
    Ok((StatusCode::FOUND, [(header::LOCATION, url), bound], body).into_response())
}

/// Naver posts to a cafe board the owner names when starting the login.
fn naver_board(channel: Channel, q: &StartQuery) -> Result<serde_json::Value, ApiError> {
    if channel != Channel::Naver {
        return Ok(json!({}));
    }
    let id = |field: &'static str, v: &Option<String>| {
        let v = v.as_deref().map(str::trim).unwrap_or_default();
        if v.is_empty() || !v.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(ApiError::query(&FieldError::new(
                field,
                FieldProblem::Missing,
            )));
        }
        Ok(v.to_owned())
    };
    Ok(json!({"clubId": id("clubId", &q.club_id)?, "menuId": id("menuId", &q.menu_id)?}))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallbackQuery {
    pub code: Option<String>,
    pub state: Option<String>,
    /// Set by the provider when the owner declined.
    pub error: Option<String>,
}

#[utoipa::path(get, path = "/api/channels/{channel}/oauth/callback", operation_id = "channels-oauth-callback",
    tag = "channels", params(("channel" = String, Path), CallbackQuery),
    responses((status = 200, body = ChannelResponse, description = "연결됨"),
        (status = 400, body = ErrorBody, description = "CHANNEL_005 만료된 로그인, CHANNEL_006 거부")))]
pub async fn oauth_callback(
    State(s): State<Services>,
    ChannelPath(channel): ChannelPath,
    headers: axum::http::HeaderMap,
    ApiQuery(q): ApiQuery<CallbackQuery>,
) -> Result<Response, ApiError> {
    let (Some(code), Some(state), None) = (&q.code, &q.state, &q.error) else {
        return Err(AppError::from(ChannelError::Refused(channel)).into());
    };
    let browser = cookies::cookie(&headers, &channels::browser_cookie(channel));
    let (view, back) = channels::finish_oauth(&s, channel, state, code, browser).await?;
    // Started from the console: back to the page it came from.
    if let Some(path) = back {
        return Ok((StatusCode::FOUND, [(header::LOCATION, path)]).into_response());
    }
    Ok(axum::Json(ChannelResponse::from(view)).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConnectRequest {
    /// KAKAO: the dealer's app key.
    pub app_key: Option<String>,
    /// KAKAO: the dealer's secret key.
    pub secret_key: Option<String>,
    /// KAKAO: the channel's sender key.
    pub sender_key: Option<String>,
    /// URIDONGNETV, GINITV, RINGOBIZ: the shop's KT partner account id.
    #[schema(example = "shop-000123")]
    pub partner_account_id: Option<String>,
    /// URIDONGNETV, GINITV, RINGOBIZ: the account PIN the partner gave the shop (4–12 digits),
    /// checked with the partner before the connection is saved.
    #[schema(example = "2468")]
    pub partner_account_pin: Option<String>,
}

impl ConnectRequest {
    fn secret(&self, channel: Channel) -> Result<ChannelSecret, FieldError> {
        let need = |field: &'static str, v: &Option<String>| {
            v.clone()
                .ok_or(FieldError::new(field, FieldProblem::Missing))
        };
        match channel {
            Channel::Kakao => ChannelSecret::kakao(
                &need("appKey", &self.app_key)?,
                &need("secretKey", &self.secret_key)?,
                &need("senderKey", &self.sender_key)?,
            ),
            _ => ChannelSecret::kt_partner(
                &need("partnerAccountId", &self.partner_account_id)?,
                &need("partnerAccountPin", &self.partner_account_pin)?,
            ),
        }
    }
}

#[utoipa::path(put, path = "/api/channels/{channel}/connection", operation_id = "channels-connect",
    tag = "channels", security(("bearer" = [])), params(("channel" = String, Path)),
    request_body = ConnectRequest,
    responses((status = 200, body = ChannelResponse), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
pub async fn connect(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    ChannelPath(channel): ChannelPath,
    ApiJson(body): ApiJson<ConnectRequest>,
) -> Result<axum::Json<ChannelResponse>, ApiError> {
    if connects_by_oauth(channel) {
        return Err(AppError::from(ChannelError::UsesOAuth(channel)).into());
    }
    let secret = body.secret(channel).map_err(AppError::from)?;
    let view = channels::connect_with_keys(&s, me, channel, secret).await?;
    Ok(axum::Json(view.into()))
}

#[utoipa::path(delete, path = "/api/channels/{channel}/connection", operation_id = "channels-disconnect",
    tag = "channels", security(("bearer" = [])), params(("channel" = String, Path)),
    responses((status = 204, description = "연결 해제됨"), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn disconnect(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    ChannelPath(channel): ChannelPath,
) -> Result<StatusCode, ApiError> {
    channels::disconnect(&s, me, channel).await?;
    Ok(StatusCode::NO_CONTENT)
}
