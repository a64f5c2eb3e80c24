//! `/api/events/{eventId}/publish` and `/api/events/{eventId}/distribution*`: publishing, and
//! what became of each channel's post.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody};
use super::events::EventResponse;
use super::extract::{ApiJson, AuthUser, ChannelPath, EventIdPath};
use crate::app::{AppError, Services, distribution};
use crate::domain::Channel;
use crate::domain::distribution::OverallStatus;
use crate::domain::distribution::{ChannelPost, ChannelStatus, Distribution, FailureKind, Review};
use crate::domain::field::{FieldError, FieldProblem};

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PostResponse {
    pub channel: Channel,
    pub channel_label: &'static str,
    pub status: ChannelStatus,
    pub status_label: &'static str,
    pub attempts: u32,
    /// The channel's id of the post (media, article, request, order; the file for SANDBOX).
    pub external_id: Option<String>,
    /// Where the post can be seen, when the channel says.
    pub url: Option<String>,
    pub failure: Option<FailureKind>,
    /// `POST …/distribution/retry` would send it again.
    pub retryable: bool,
    /// UNKNOWN: the owner should look and confirm (`POST …/distribution/{channel}/confirm`).
    pub needs_confirmation: bool,
    /// Korean: what happened and what happens next (always present: a state's own words when
    /// no attempt left any).
    pub message: String,
    /// A channel that reviews accepted posts (KT): where the review stands; read again until
    /// it is final (a rejection makes the post FAILED).
    pub review: Option<Review>,
    /// Not tried again before this (a rate limit, Kakao's 08:00).
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl From<&ChannelPost> for PostResponse {
    fn from(p: &ChannelPost) -> Self {
        Self {
            channel: p.channel,
            channel_label: p.channel.label(),
            status: p.status,
            status_label: p.status.label(),
            attempts: p.attempts,
            external_id: p.external_id.clone(),
            url: p.url.clone(),
            failure: p.failure,
            retryable: p.status == ChannelStatus::Failed
                && p.failure.is_some_and(FailureKind::is_retryable),
            needs_confirmation: p.status == ChannelStatus::Unknown,
            message: p.words(),
            review: p.review,
            next_attempt_at: p.next_attempt_at,
            updated_at: p.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DistributionResponse {
    pub distribution_id: uuid::Uuid,
    pub event_id: uuid::Uuid,
    pub status: OverallStatus,
    pub status_label: &'static str,
    pub channels: Vec<PostResponse>,
    pub created_at: DateTime<Utc>,
}

impl From<&Distribution> for DistributionResponse {
    fn from(d: &Distribution) -> Self {
        let status = d.status();
        Self {
            distribution_id: d.id.0,
            event_id: d.event_id.0,
            status,
            status_label: status.label(),
            channels: d.channels.iter().map(Into::into).collect(),
            created_at: d.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Published {
    pub event: EventResponse,
    pub distribution: DistributionResponse,
}

#[utoipa::path(post, path = "/api/events/{eventId}/publish", operation_id = "events-publish",
    tag = "distribution", security(("bearer" = [])), params(("eventId" = uuid::Uuid, Path)),
    responses((status = 200, body = Published, description = "배포 시작: 채널별 상태는 distribution에서"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "EVENT_004 이미 배포됨"),
        (status = 422, body = ErrorBody, description = "EVENT_008 배포 전 해결할 항목 (details.problems에 모두)")))]
pub async fn publish(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
) -> Result<axum::Json<Published>, ApiError> {
    let (event, d) = distribution::publish(&s, me, id).await?;
    Ok(axum::Json(Published {
        distribution: (&d).into(),
        event: event.into(),
    }))
}

#[utoipa::path(get, path = "/api/events/{eventId}/distribution", operation_id = "events-distribution-get",
    tag = "distribution", security(("bearer" = [])), params(("eventId" = uuid::Uuid, Path)),
    responses((status = 200, body = DistributionResponse), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "EVENT_003 / DIST_001 아직 배포되지 않음")))]
pub async fn get(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
) -> Result<axum::Json<DistributionResponse>, ApiError> {
    Ok(axum::Json((&distribution::get(&s, me, id).await?).into()))
}

#[utoipa::path(post, path = "/api/events/{eventId}/distribution/retry", operation_id = "events-distribution-retry",
    tag = "distribution", security(("bearer" = [])), params(("eventId" = uuid::Uuid, Path)),
    responses((status = 202, body = DistributionResponse, description = "재시도 가능한 채널만 다시 보냄"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "DIST_002 다시 시도할 채널 없음")))]
pub async fn retry(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
) -> Result<(StatusCode, axum::Json<DistributionResponse>), ApiError> {
    let d = distribution::retry(&s, me, id).await?;
    Ok((StatusCode::ACCEPTED, axum::Json((&d).into())))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfirmRequest {
    /// What the owner saw on the channel: the post is there (`true`) or not (`false`).
    pub posted: bool,
    /// The post's address, if the owner has it.
    #[schema(example = "https://cafe.naver.com/mycafe/123")]
    pub url: Option<String>,
}

#[utoipa::path(post, path = "/api/events/{eventId}/distribution/{channel}/confirm",
    operation_id = "events-distribution-confirm", tag = "distribution", security(("bearer" = [])),
    params(("eventId" = uuid::Uuid, Path), ("channel" = String, Path)), request_body = ConfirmRequest,
    responses((status = 200, body = DistributionResponse), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "DIST_003 확인이 필요한 상태가 아님")))]
pub async fn confirm(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
    ChannelPath(channel): ChannelPath,
    ApiJson(body): ApiJson<ConfirmRequest>,
) -> Result<axum::Json<DistributionResponse>, ApiError> {
    let url = match body.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) if u.starts_with("https://") || u.starts_with("http://") => Some(u.to_owned()),
        Some(_) => {
            let e = FieldError::new(
                "url",
                FieldProblem::InvalidFormat {
                    expected: "https://…",
                },
            );
            return Err(AppError::from(e).into());
        }
        None => None,
    };
    let d = distribution::confirm(&s, me, id, channel, body.posted, url).await?;
    Ok(axum::Json((&d).into()))
}
