//! Draws: `/api/events/{eventId}/draws` (the owner draws once, sees winners and alternates in
//! full, replaces a winner with the next alternate) and `/api/public/events/{eventId}/draw`
//! (the proof anyone can recompute).

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, AuthUser, EventIdPath, ReadQuota};
use crate::app::draws::{self, DrawRequest, OwnerDraw, Revealed};
use crate::app::{AppError, Services};
use crate::domain::draw::{Proof, Replacement};
use crate::domain::entry::EntrySource;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DrawBody {
    /// Optional: the winners the event's notice states (its GIVEAWAY mechanic); another number
    /// is refused (DRAW_008).
    #[schema(example = 3)]
    pub winner_count: Option<i64>,
    /// Optional: the alternates the notice states (as many as the winners, at most 100); they
    /// step in, in order, when a winner is replaced.
    #[schema(example = 3)]
    pub alternate_count: Option<i64>,
    /// Leave out entrants who won an earlier event of this shop (default false).
    pub exclude_previous_winners: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReplaceBody {
    /// The winner's place (1-based) to give to the next alternate.
    #[schema(example = 1)]
    pub rank: i64,
    /// Why (public, on the proof page): `UNREACHABLE` (no answer by the contact deadline),
    /// `DECLINED` (the winner does not want the prize) or `INELIGIBLE` (an entry that broke the
    /// rules).
    #[schema(example = "UNREACHABLE")]
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RevealedResponse {
    pub rank: usize,
    pub receipt: String,
    pub leaf: String,
    /// In full for a winner, for the owner only (each view is logged); masked for an alternate
    /// until a replacement makes them a winner; `null` once destroyed.
    pub name: Option<String>,
    #[schema(example = "010-2345-6789")]
    pub phone: Option<String>,
    /// An alternate's contact data, masked.
    pub masked: bool,
    pub channel: Option<EntrySource>,
    pub entered_at: DateTime<Utc>,
}

impl From<Revealed> for RevealedResponse {
    fn from(r: Revealed) -> Self {
        Self {
            rank: r.rank,
            receipt: r.receipt.to_string(),
            leaf: r.leaf,
            name: r.name,
            phone: r.phone,
            masked: r.masked,
            channel: r.source,
            entered_at: r.entered_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TaxNoticeResponse {
    pub prize_value: i64,
    /// 22 % withheld per winner.
    pub withholding: i64,
    /// The cost of paying the tax for the winner instead.
    pub grossed_up_tax: i64,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OwnerDrawResponse {
    pub drawn_at: DateTime<Utc>,
    /// The winners now (replacements applied).
    pub winners: Vec<RevealedResponse>,
    /// Alternates not promoted yet, in order.
    pub alternates: Vec<RevealedResponse>,
    pub replacements: Vec<Replacement>,
    pub entrants: usize,
    pub excluded: usize,
    /// Set when a prize is worth more than ₩50,000.
    pub tax_notice: Option<TaxNoticeResponse>,
    pub proof_path: String,
    pub message: String,
}

impl From<OwnerDraw> for OwnerDrawResponse {
    fn from(d: OwnerDraw) -> Self {
        Self {
            drawn_at: d.proof.drawn_at,
            winners: d.winners.into_iter().map(Into::into).collect(),
            alternates: d.alternates.into_iter().map(Into::into).collect(),
            replacements: d.proof.replacements.clone(),
            entrants: d.proof.sorted_leaves.len(),
            excluded: d.proof.excluded.len(),
            tax_notice: d.tax.map(|t| TaxNoticeResponse {
                prize_value: t.prize_value,
                withholding: t.withholding,
                grossed_up_tax: t.grossed_up_tax,
                message: t.message,
            }),
            proof_path: format!("/api/public/events/{}/draw", d.proof.event_id),
            message: "당첨자에게 한 명씩 연락해 주세요. 배송에 필요한 정보는 당첨자에게만, 추첨 뒤에 받습니다. 연락처는 열람할 때마다 기록됩니다.".to_owned(),
        }
    }
}

#[utoipa::path(post, path = "/api/events/{eventId}/draws", operation_id = "draws-create",
    tag = "participation", security(("bearer" = [])), params(("eventId" = uuid::Uuid, Path)),
    request_body = DrawBody,
    responses((status = 201, body = OwnerDrawResponse),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "EVENT_004 종료 전, DRAW_001 이미 추첨, DRAW_002 응모자 없음, DRAW_006 정보 파기됨, DRAW_007 추첨 공지 없음"),
        (status = 422, body = ErrorBody, description = "DRAW_008 공지와 다른 인원")))]
pub async fn draw(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
    ApiJson(body): ApiJson<DrawBody>,
) -> Result<(StatusCode, axum::Json<OwnerDrawResponse>), ApiError> {
    let req = DrawRequest::parse(
        body.winner_count,
        body.alternate_count,
        body.exclude_previous_winners.unwrap_or(false),
    )
    .map_err(AppError::from)?;
    let drawn = draws::draw(&s, me, id, req).await?;
    Ok((StatusCode::CREATED, axum::Json(drawn.into())))
}

#[utoipa::path(get, path = "/api/events/{eventId}/draws", operation_id = "draws-get",
    tag = "participation", security(("bearer" = [])), params(("eventId" = uuid::Uuid, Path)),
    responses((status = 200, body = OwnerDrawResponse), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "DRAW_003 아직 추첨 전")))]
pub async fn owner_draw(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
) -> Result<axum::Json<OwnerDrawResponse>, ApiError> {
    Ok(axum::Json(draws::owner_draw(&s, me, id).await?.into()))
}

#[utoipa::path(post, path = "/api/events/{eventId}/draws/replace", operation_id = "draws-replace",
    tag = "participation", security(("bearer" = [])), params(("eventId" = uuid::Uuid, Path)),
    request_body = ReplaceBody,
    responses((status = 200, body = OwnerDrawResponse), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "DRAW_004 남은 예비 당첨자 없음, DRAW_009 연락 기한(추첨 후 7일) 전"),
        (status = 422, body = ErrorBody, description = "DRAW_005 그 순위의 당첨자 없음")))]
pub async fn replace(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
    ApiJson(body): ApiJson<ReplaceBody>,
) -> Result<axum::Json<OwnerDrawResponse>, ApiError> {
    let reason = draws::parse_reason(&body.reason).map_err(AppError::from)?;
    let d = draws::replace(&s, me, id, body.rank, reason).await?;
    Ok(axum::Json(d.into()))
}

#[utoipa::path(get, path = "/api/public/events/{eventId}/draw", operation_id = "public-draw-get",
    tag = "participation", params(("eventId" = uuid::Uuid, Path)),
    responses((status = 200, body = Proof, description = "em-draw-v1 증명: docs/draw.md"),
        (status = 404, body = ErrorBody, description = "EVENT_003, DRAW_003 아직 추첨 전"),
        (status = 429, body = ErrorBody)))]
pub async fn proof(
    State(s): State<Services>,
    _: ReadQuota,
    EventIdPath(id): EventIdPath,
) -> Result<axum::Json<Proof>, ApiError> {
    Ok(axum::Json(draws::proof(&s, id).await?))
}
