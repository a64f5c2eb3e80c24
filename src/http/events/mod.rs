//! `/api/events*`: the owner's events.

mod edit;

pub(crate) use edit::event_edit_request;

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiQuery, AuthUser, EventIdPath, nullable};
use crate::app::events::ShopOverride;
use crate::app::{AppError, Services, events};
use crate::domain::field::text;
use crate::domain::mechanic::Mechanic;
use crate::domain::{Channel, Event, EventEdit, EventStatus, FieldError, Objective, PageRequest};

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventResponse {
    pub event_id: uuid::Uuid,
    pub objective: Objective,
    #[schema(example = "신규 고객 유치")]
    pub objective_label: &'static str,
    pub status: EventStatus,
    #[schema(example = "작성 중")]
    pub status_label: &'static str,
    pub store_name: String,
    pub industry: String,
    pub address: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub prize: Option<String>,
    /// What one prize is worth (KRW); above ₩50,000 the draw tells the owner about withholding.
    pub prize_value: Option<i64>,
    /// Budget in KRW.
    pub budget: Option<i64>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub channels: Vec<Channel>,
    /// How the promotion runs at the counter; fixed once published.
    pub mechanic: Option<Mechanic>,
    /// The mechanic's rules in Korean, as the public notice says them.
    pub terms: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
}

impl From<Event> for EventResponse {
    fn from(e: Event) -> Self {
        Self {
            event_id: e.id.0,
            objective: e.objective,
            objective_label: e.objective.label(),
            status: e.status,
            status_label: e.status.label(),
            store_name: e.shop.name,
            industry: e.shop.industry,
            address: e.shop.address,
            name: e.name,
            description: e.description,
            prize: e.prize,
            prize_value: e.prize_value,
            budget: e.budget,
            start_date: e.start_date,
            end_date: e.end_date,
            channels: e.channels,
            terms: (e.mechanic.as_ref())
                .map(|m| m.terms(crate::domain::calendar::seoul_date(e.updated_at)))
                .unwrap_or_default(),
            mechanic: e.mechanic,
            created_at: e.created_at,
            updated_at: e.updated_at,
            published_at: e.published_at,
            ended_at: e.ended_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateFromObjectiveRequest {
    /// A code (`NEW_CUSTOMERS`, `REVISIT`, `SALES`, `AWARENESS`) or its Korean label.
    #[schema(example = "신규 고객 유치")]
    pub objective: String,
    /// Defaults to the shop in the owner's profile.
    pub store_name: Option<String>,
    pub industry: Option<String>,
    pub address: Option<String>,
}

#[utoipa::path(post, path = "/api/events/objectives", operation_id = "events-create", tag = "events",
    security(("bearer" = [])), request_body = CreateFromObjectiveRequest,
    responses(
        (status = 201, body = EventResponse, description = "DRAFT 이벤트 생성"),
        (status = 400, body = ErrorBody, description = "EVENT_001 알 수 없는 목적"),
        (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "EVENT_002 매장 정보 없음"),
    ))]
pub async fn create_from_objective(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    ApiJson(body): ApiJson<CreateFromObjectiveRequest>,
) -> Result<(StatusCode, axum::Json<EventResponse>), ApiError> {
    let parse = || -> Result<_, FieldError> {
        Ok((
            Objective::parse(&body.objective)?,
            ShopOverride {
                name: body
                    .store_name
                    .as_deref()
                    .map(|v| text("storeName", v, 100))
                    .transpose()?,
                industry: body
                    .industry
                    .as_deref()
                    .map(|v| text("industry", v, 50))
                    .transpose()?,
                address: body
                    .address
                    .as_deref()
                    .map(|v| text("address", v, 200))
                    .transpose()?,
            },
        ))
    };
    let (objective, store) = parse().map_err(AppError::from)?;
    let event = events::create_from_objective(&s, me, objective, store).await?;
    Ok((StatusCode::CREATED, axum::Json(event.into())))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    #[param(value_type = Option<EventStatus>)]
    pub status: Option<String>,
    /// 1-based page number (default 1).
    pub page: Option<i64>,
    /// Page size, 1–100 (default 20).
    pub size: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventPage {
    pub items: Vec<EventResponse>,
    pub page: u32,
    pub size: u32,
    pub total: u64,
}

#[utoipa::path(get, path = "/api/events", operation_id = "events-list", tag = "events",
    security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = EventPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<axum::Json<EventPage>, ApiError> {
    let parse = || -> Result<_, FieldError> {
        Ok((
            // `?status=` (empty) means no filter, as in a form with nothing chosen.
            q.status
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(EventStatus::parse)
                .transpose()?,
            PageRequest::parse(q.page, q.size)?,
        ))
    };
    let (status, page) = parse().map_err(|e| ApiError::query(&e))?;
    let found = events::list(&s, me, status, page).await?;
    Ok(axum::Json(EventPage {
        items: found.items.into_iter().map(Into::into).collect(),
        page: found.page,
        size: found.size,
        total: found.total,
    }))
}

#[utoipa::path(get, path = "/api/events/{eventId}", operation_id = "events-get", tag = "events",
    security(("bearer" = [])), params(("eventId" = uuid::Uuid, Path)),
    responses((status = 200, body = EventResponse), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
) -> Result<axum::Json<EventResponse>, ApiError> {
    Ok(axum::Json(events::get(&s, me, id).await?.into()))
}

event_edit_request!(
    /// Absent fields are kept; `null` clears a field.
    pub struct EditEventRequest {}
);

#[utoipa::path(put, path = "/api/events/{eventId}", operation_id = "events-update", tag = "events",
    security(("bearer" = [])), params(("eventId" = uuid::Uuid, Path)), request_body = EditEventRequest,
    responses(
        (status = 200, body = EventResponse),
        (status = 400, body = ErrorBody, description = "REQ_002 잘못된 값, EVENT_005 잘못된 기간"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "EVENT_004 DRAFT가 아님"),
    ))]
pub async fn update(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
    ApiJson(body): ApiJson<EditEventRequest>,
) -> Result<axum::Json<EventResponse>, ApiError> {
    let edit = body.edit()?;
    Ok(axum::Json(events::edit(&s, me, id, edit).await?.into()))
}

#[utoipa::path(delete, path = "/api/events/{eventId}", operation_id = "events-delete", tag = "events",
    security(("bearer" = [])), params(("eventId" = uuid::Uuid, Path)),
    responses((status = 204, description = "삭제됨"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
) -> Result<StatusCode, ApiError> {
    events::delete(&s, me, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(put, path = "/api/events/{eventId}/promotion", operation_id = "events-promotion", tag = "events",
    security(("bearer" = [])), params(("eventId" = uuid::Uuid, Path)), request_body = Mechanic,
    responses(
        (status = 200, body = EventResponse),
        (status = 400, body = ErrorBody, description = "REQ_002: details.problems에 모든 문제"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "EVENT_004 게시한 뒤에는 바꿀 수 없음"),
    ))]
pub async fn set_promotion(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
    ApiJson(body): ApiJson<Mechanic>,
) -> Result<axum::Json<EventResponse>, ApiError> {
    Ok(axum::Json(
        events::set_mechanic(&s, me, id, body).await?.into(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChannelsRequest {
    /// Any of `INSTAGRAM`, `NAVER`, `KAKAO`, `URIDONGNETV`, `GINITV`, `RINGOBIZ`.
    #[schema(value_type = Vec<Channel>, example = json!(["INSTAGRAM", "KAKAO", "GINITV"]))]
    pub channels: Vec<String>,
}

#[utoipa::path(put, path = "/api/events/{eventId}/channels", operation_id = "events-channels", tag = "events",
    security(("bearer" = [])), params(("eventId" = uuid::Uuid, Path)), request_body = ChannelsRequest,
    responses(
        (status = 200, body = EventResponse),
        (status = 400, body = ErrorBody, description = "EVENT_006 알 수 없는 채널"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
    ))]
pub async fn set_channels(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
    ApiJson(body): ApiJson<ChannelsRequest>,
) -> Result<axum::Json<EventResponse>, ApiError> {
    let channels = Channel::parse_set(&body.channels).map_err(AppError::from)?;
    Ok(axum::Json(
        events::set_channels(&s, me, id, channels).await?.into(),
    ))
}

#[utoipa::path(post, path = "/api/events/{eventId}/end", operation_id = "events-end", tag = "events",
    security(("bearer" = [])), params(("eventId" = uuid::Uuid, Path)),
    responses((status = 200, body = EventResponse), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "EVENT_004 진행 중인 이벤트만 종료 가능")))]
pub async fn end(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
) -> Result<axum::Json<EventResponse>, ApiError> {
    Ok(axum::Json(events::end(&s, me, id).await?.into()))
}
