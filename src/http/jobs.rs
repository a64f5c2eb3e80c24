//! `/api/jobs/{jobId}` and `/api/events/{eventId}/ai-recommendations|recommendations`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody};
use super::events::{EditEventRequest, EventResponse};
use super::extract::{ApiJson, AuthUser, EventIdPath, parse_json};
use crate::app::{AppError, Services, jobs, recommendations};
use crate::domain::job::Job;
use crate::domain::promotion::Recommendation;
use crate::domain::{EventEdit, JobId};

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JobResponse {
    pub job_id: uuid::Uuid,
    #[schema(example = "AI_RECOMMENDATION")]
    pub job_type: &'static str,
    #[schema(example = "PROCESSING")]
    pub status: &'static str,
    /// 0–100.
    pub progress: u8,
    pub event_id: uuid::Uuid,
    pub result_key: Option<String>,
    /// Korean: what went wrong and what to do.
    pub error_message: Option<String>,
    /// Korean: how the result was made (e.g. a fallback was used).
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Job> for JobResponse {
    fn from(j: Job) -> Self {
        Self {
            job_id: j.id.0,
            job_type: j.job_type.code(),
            status: j.status.code(),
            progress: j.progress,
            event_id: j.event_id.0,
            result_key: j.result_key,
            error_message: j.error_message,
            note: j.note,
            created_at: j.created_at,
            updated_at: j.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JobAccepted {
    pub job_id: uuid::Uuid,
    #[schema(example = "PENDING")]
    pub status: &'static str,
}

#[utoipa::path(get, path = "/api/jobs/{jobId}", operation_id = "jobs-get", tag = "jobs",
    security(("bearer" = [])), params(("jobId" = uuid::Uuid, Path)),
    responses((status = 200, body = JobResponse), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "JOB_001")))]
pub async fn get_job(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    Path(raw): Path<String>,
) -> Result<axum::Json<JobResponse>, ApiError> {
    let id: JobId = raw.parse().map_err(|_| AppError::JobNotFound)?;
    Ok(axum::Json(jobs::get(&s, me, id).await?.into()))
}

#[utoipa::path(post, path = "/api/events/{eventId}/ai-recommendations", operation_id = "events-recommend",
    tag = "recommendations", security(("bearer" = [])), params(("eventId" = uuid::Uuid, Path)),
    responses((status = 202, body = JobAccepted, description = "추천 작업 시작; GET /api/jobs/{jobId}로 진행률 확인"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "EVENT_004 DRAFT가 아님")))]
pub async fn request_recommendations(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
) -> Result<(StatusCode, axum::Json<JobAccepted>), ApiError> {
    let job = jobs::request_recommendations(&s, me, id).await?;
    Ok((
        StatusCode::ACCEPTED,
        axum::Json(JobAccepted {
            job_id: job.id.0,
            status: job.status.code(),
        }),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecommendationResponse {
    pub recommendation_id: uuid::Uuid,
    /// 1–3, best first.
    pub rank: u8,
    pub selected: bool,
    #[schema(example = "STAMP_CARD")]
    pub promotion_type: &'static str,
    #[schema(example = "스탬프 적립")]
    pub promotion_type_label: &'static str,
    pub name: String,
    pub description: String,
    pub prize: String,
    pub target_audience: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub expected_participants: u32,
    /// KRW.
    pub estimated_cost: i64,
    pub hashtags: Vec<String>,
    /// 왜 지금 이 이벤트인가.
    pub reason: String,
    /// Starts with "(광고)".
    pub ad_copy: String,
    pub created_at: DateTime<Utc>,
}

impl From<Recommendation> for RecommendationResponse {
    fn from(r: Recommendation) -> Self {
        let p = r.plan;
        Self {
            recommendation_id: r.id.0,
            rank: r.rank,
            selected: r.selected,
            promotion_type: p.promotion_type.code(),
            promotion_type_label: p.promotion_type.label(),
            name: p.name,
            description: p.description,
            prize: p.prize,
            target_audience: p.target_audience,
            start_date: p.start_date,
            end_date: p.end_date,
            expected_participants: p.expected_participants,
            estimated_cost: p.estimated_cost,
            hashtags: p.hashtags,
            reason: p.reason,
            ad_copy: p.ad_copy,
            created_at: r.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecommendationList {
    pub event_id: uuid::Uuid,
    /// Empty until a recommendation job has completed.
    pub items: Vec<RecommendationResponse>,
}

#[utoipa::path(get, path = "/api/events/{eventId}/recommendations", operation_id = "events-recommendations-get",
    tag = "recommendations", security(("bearer" = [])), params(("eventId" = uuid::Uuid, Path)),
    responses((status = 200, body = RecommendationList), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_recommendations(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
) -> Result<axum::Json<RecommendationList>, ApiError> {
    let items = recommendations::list(&s, me, id).await?;
    Ok(axum::Json(RecommendationList {
        event_id: id.0,
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// The plan to select, and the owner's changes to it (absent fields come from the plan).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SelectRecommendationRequest {
    pub recommendation_id: uuid::Uuid,
    /// The fields of `PUT /api/events/{eventId}`. Captured as a map and then read strictly:
    /// `serde(flatten)` would otherwise let unknown fields through.
    #[serde(flatten)]
    #[schema(value_type = EditEventRequest)]
    pub edits: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SelectedRecommendation {
    pub event: EventResponse,
    pub recommendation: RecommendationResponse,
}

#[utoipa::path(put, path = "/api/events/{eventId}/recommendations", operation_id = "events-recommendations-select",
    tag = "recommendations", security(("bearer" = [])), params(("eventId" = uuid::Uuid, Path)),
    request_body = SelectRecommendationRequest,
    responses((status = 200, body = SelectedRecommendation, description = "선택한 추천안과 수정 사항이 이벤트에 반영됨"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "EVENT_003 / REC_001"),
        (status = 409, body = ErrorBody, description = "EVENT_004 DRAFT가 아님")))]
pub async fn select_recommendation(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
    ApiJson(body): ApiJson<SelectRecommendationRequest>,
) -> Result<axum::Json<SelectedRecommendation>, ApiError> {
    let edits: EditEventRequest = parse_json(&serde_json::to_vec(&body.edits).unwrap_or_default())?;
    let edits = EventEdit::try_from(edits).map_err(AppError::from)?;
    let (event, chosen) = recommendations::select(
        &s,
        me,
        id,
        crate::domain::RecommendationId(body.recommendation_id),
        edits,
    )
    .await?;
    Ok(axum::Json(SelectedRecommendation {
        event: event.into(),
        recommendation: chosen.into(),
    }))
}
