//! The owner's `/api/events/{eventId}/participants`, masked, and the same as a CSV for Excel.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::Services;
use crate::app::entries::{self, Participant};
use crate::domain::PageRequest;
use crate::domain::entry::EntrySource;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{ApiQuery, AuthUser, EventIdPath};
use crate::ports::EntryRole;
use crate::ports::SourceFilter;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ParticipantsQuery {
    pub page: Option<i64>,
    pub size: Option<i64>,
    /// A channel code, STORE, or DIRECT (no source).
    pub channel: Option<String>,
}

fn filter_of(channel: Option<&str>) -> Result<SourceFilter, ApiError> {
    match channel.map(str::trim) {
        None | Some("") => Ok(SourceFilter::All),
        Some(c) if c.eq_ignore_ascii_case("DIRECT") => Ok(SourceFilter::Direct),
        Some(c) => EntrySource::parse(c)
            .map(SourceFilter::Only)
            .map_err(|e| ApiError::query(&e)),
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantResponse {
    pub receipt: String,
    /// Masked (`홍*동`); `null` once destroyed.
    pub name: Option<String>,
    /// Masked (`010-****-5678`); `null` once destroyed.
    pub phone: Option<String>,
    pub channel: Option<EntrySource>,
    pub channel_label: &'static str,
    pub agree_marketing: bool,
    pub entered_at: DateTime<Utc>,
    /// What the draw made of the entry, once drawn.
    pub result: Option<EntryRole>,
    /// Name and phone were destroyed (retention passed).
    pub destroyed: bool,
}

impl From<Participant> for ParticipantResponse {
    fn from(p: Participant) -> Self {
        Self {
            receipt: p.receipt.to_string(),
            destroyed: p.name.is_none(),
            name: p.name,
            phone: p.phone,
            channel: p.source,
            channel_label: p.source.map_or("직접 방문", EntrySource::label),
            agree_marketing: p.agree_marketing,
            entered_at: p.entered_at,
            result: p.role,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantPage {
    pub items: Vec<ParticipantResponse>,
    pub page: u32,
    pub size: u32,
    pub total: u64,
}

#[utoipa::path(get, path = "/api/events/{eventId}/participants", operation_id = "participants-list",
    tag = "participation", security(("bearer" = [])),
    params(("eventId" = uuid::Uuid, Path), ParticipantsQuery),
    responses((status = 200, body = ParticipantPage, description = "최신순, 마스킹"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
    ApiQuery(q): ApiQuery<ParticipantsQuery>,
) -> Result<axum::Json<ParticipantPage>, ApiError> {
    let page = PageRequest::parse(q.page, q.size).map_err(|e| ApiError::query(&e))?;
    let filter = filter_of(q.channel.as_deref())?;
    let found = entries::participants(&s, me, id, filter, page).await?;
    Ok(axum::Json(ParticipantPage {
        items: found.items.into_iter().map(Into::into).collect(),
        page: found.page,
        size: found.size,
        total: found.total,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CsvQuery {
    /// A channel code, STORE, or DIRECT (no source).
    pub channel: Option<String>,
}

#[utoipa::path(get, path = "/api/events/{eventId}/participants.csv", operation_id = "participants-csv",
    tag = "participation", security(("bearer" = [])),
    params(("eventId" = uuid::Uuid, Path), CsvQuery),
    responses((status = 200, content_type = "text/csv", body = String,
            description = "UTF-8(BOM) CSV, 마스킹, 수식으로 읽힐 셀은 무력화"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn csv_download(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
    ApiQuery(q): ApiQuery<CsvQuery>,
) -> Result<Response, ApiError> {
    let filter = filter_of(q.channel.as_deref())?;
    let (event, all) = entries::all_participants(&s, me, id, filter).await?;
    let body = crate::inbound::csv::participants(all);
    let disposition = format!(
        "attachment; filename=\"participants-{}.csv\"; filename*=UTF-8''{}",
        event.id,
        utf8_percent("참여자.csv")
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

fn utf8_percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
