//! Results: the owner's `/api/events/{eventId}/analytics` dashboard, `/redemptions` at the
//! counter, the tracked `/links` with their QR codes and the shop's printable card, and `/r/{code}`
//! (a tracked link: counts the click, then the public page).

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, AuthUser, EventIdPath, IdempotencyKeyHeader};
use crate::app::analytics::{self, Recording, RedemptionForm, links};
use crate::app::{AppError, Missing, Services};
use crate::domain::entry::EntrySource;
use crate::ports::Link;

pub mod dashboard;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LinkResponse {
    /// A channel, or STORE (the shop's QR code).
    pub channel: EntrySource,
    #[schema(example = "인스타그램")]
    pub channel_label: &'static str,
    #[schema(example = "Kx7pQ2mZ")]
    pub code: String,
    /// What the channel's post carries; opening it counts a click.
    #[schema(example = "https://events.example.com/r/Kx7pQ2mZ")]
    pub url: String,
    /// The link as a QR code (PNG, SVG).
    pub qr_png: String,
    pub qr_svg: String,
    /// STORE only: the printable A6 counter card (poster, event name, QR code).
    pub card: Option<String>,
}

fn link_response(s: &Services, l: &Link) -> LinkResponse {
    let base = format!("/api/events/{}/links/{}", l.event_id, l.source.code());
    LinkResponse {
        channel: l.source,
        channel_label: l.source.label(),
        url: links::link_url(s, l),
        code: l.code.clone(),
        qr_png: format!("{base}/qr.png"),
        qr_svg: format!("{base}/qr.svg"),
        card: (l.source == EntrySource::Store).then(|| format!("{base}/card.png")),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LinksResponse {
    pub items: Vec<LinkResponse>,
}

#[utoipa::path(get, path = "/api/events/{eventId}/links", operation_id = "links-list",
    tag = "analytics", security(("bearer" = [])), params(("eventId" = uuid::Uuid, Path)),
    responses((status = 200, body = LinksResponse),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "ANALYTICS_001 아직 게시하지 않음")))]
pub async fn list_links(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
) -> Result<axum::Json<LinksResponse>, ApiError> {
    let all = links::links(&s, me, id).await?;
    let items = all.iter().map(|l| link_response(&s, l)).collect();
    Ok(axum::Json(LinksResponse { items }))
}

/// `/api/events/{eventId}/links/{channel}/…`
#[derive(Debug, Deserialize)]
pub struct LinkPath {
    pub channel: String,
}

/// The `{channel}` of a link path: a channel code or STORE; anything else is no such link.
fn source(raw: &str) -> Result<EntrySource, ApiError> {
    EntrySource::parse(raw).map_err(|_| ApiError::App(AppError::NotFound(Missing::Link)))
}

fn image(content_type: &'static str, body: Vec<u8>, file: String) -> Response {
    let disposition = format!("inline; filename=\"{file}\"");
    let headers = [
        (header::CONTENT_TYPE, content_type.to_owned()),
        (header::CONTENT_DISPOSITION, disposition),
    ];
    (headers, body).into_response()
}

/// The owner's link of the path's channel: its code and where it leads people.
async fn link_for(
    s: &Services,
    owner: crate::domain::UserId,
    event: crate::domain::EventId,
    path: &LinkPath,
) -> Result<(String, String), ApiError> {
    let (_, link) = links::link_of(s, owner, event, source(&path.channel)?).await?;
    Ok((link.code.clone(), links::link_url(s, &link)))
}

fn painted(e: crate::ports::PainterError) -> ApiError {
    ApiError::App(AppError::Internal(e.into()))
}

#[utoipa::path(get, path = "/api/events/{eventId}/links/{channel}/qr.png", operation_id = "links-qr-png",
    tag = "analytics", security(("bearer" = [])),
    params(("eventId" = uuid::Uuid, Path), ("channel" = String, Path, description = "채널 코드 또는 STORE")),
    responses((status = 200, content_type = "image/png", body = Vec<u8>),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn qr_png(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
    Path(path): Path<LinkPath>,
) -> Result<Response, ApiError> {
    let (code, url) = link_for(&s, me, id, &path).await?;
    let png = s.printer.qr_png(&url).map_err(painted)?;
    Ok(image("image/png", png, format!("qr-{code}.png")))
}

#[utoipa::path(get, path = "/api/events/{eventId}/links/{channel}/qr.svg", operation_id = "links-qr-svg",
    tag = "analytics", security(("bearer" = [])),
    params(("eventId" = uuid::Uuid, Path), ("channel" = String, Path, description = "채널 코드 또는 STORE")),
    responses((status = 200, content_type = "image/svg+xml", body = String),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn qr_svg(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
    Path(path): Path<LinkPath>,
) -> Result<Response, ApiError> {
    let (code, url) = link_for(&s, me, id, &path).await?;
    let svg = s.printer.qr_svg(&url).map_err(painted)?;
    Ok(image(
        "image/svg+xml",
        svg.into_bytes(),
        format!("qr-{code}.svg"),
    ))
}

#[utoipa::path(get, path = "/api/events/{eventId}/links/{channel}/card.png", operation_id = "links-card",
    tag = "analytics", security(("bearer" = [])),
    params(("eventId" = uuid::Uuid, Path), ("channel" = String, Path, description = "STORE (매장 카드)")),
    responses((status = 200, content_type = "image/png", body = Vec<u8>,
            description = "A6(105×148mm) 300dpi 인쇄용 카드: 포스터, 이벤트 이름, QR 코드"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn card(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
    Path(path): Path<LinkPath>,
) -> Result<Response, ApiError> {
    if source(&path.channel)? != EntrySource::Store {
        return Err(AppError::NotFound(Missing::Link).into());
    }
    let (link, png) = links::store_card(&s, me, id).await?;
    Ok(image("image/png", png, format!("card-{}.png", link.code)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RedemptionRequest {
    /// Visits or coupons redeemed at the counter (1 when left out).
    #[schema(example = 3)]
    pub count: Option<i64>,
    /// What such a customer spends on average, in KRW (kept until changed).
    #[schema(example = 12000)]
    pub average_spend: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RedemptionResponse {
    pub redemptions: i64,
    pub average_spend: Option<i64>,
}

#[utoipa::path(post, path = "/api/events/{eventId}/redemptions", operation_id = "redemptions-create",
    tag = "analytics", security(("bearer" = [])), params(("eventId" = uuid::Uuid, Path),
        ("Idempotency-Key" = Option<String>, Header, description = "같은 기록을 다시 보낼 때 같은 키: 한 번만 기록됩니다")),
    request_body = RedemptionRequest,
    responses((status = 201, body = RedemptionResponse),
        (status = 400, body = ErrorBody, description = "REQ_002 count 1–10000, averageSpend 0–10000000"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "ANALYTICS_001 아직 게시하지 않음")))]
pub async fn redeem(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
    IdempotencyKeyHeader(key): IdempotencyKeyHeader,
    ApiJson(body): ApiJson<RedemptionRequest>,
) -> Result<(StatusCode, axum::Json<RedemptionResponse>), ApiError> {
    let form = RedemptionForm::new(body.count, body.average_spend).map_err(AppError::from)?;
    let recording = Recording {
        form,
        idempotency_key: key,
    };
    let totals = analytics::redeem(&s, me, id, recording).await?;
    let answer = RedemptionResponse {
        redemptions: totals.redemptions,
        average_spend: totals.average_spend,
    };
    Ok((StatusCode::CREATED, axum::Json(answer)))
}
