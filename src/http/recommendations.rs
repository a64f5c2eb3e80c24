//! `/api/events/{eventId}/ai-recommendations` and `/api/events/{eventId}/recommendations`: the
//! AI plans of an event.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody};
use super::events::{EventResponse, event_edit_request};
use super::extract::{ApiJson, AuthUser, EventIdPath, nullable};
use super::jobs::{JobAccepted, accepted};
use crate::app::{Services, recommendations};
use crate::domain::mechanic::Mechanic;
use crate::domain::promotion::{PromotionType, Recommendation};
use crate::domain::{EventEdit, RecommendationId};

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
    Ok(accepted(&recommendations::request(&s, me, id).await?))
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecommendationResponse {
    pub recommendation_id: uuid::Uuid,
    /// 1–3, best first.
    pub rank: u8,
    pub selected: bool,
    pub promotion_type: PromotionType,
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
    /// How it would run at the counter (the owner may change it before publishing).
    pub mechanic: Option<Mechanic>,
    pub created_at: DateTime<Utc>,
}

impl From<Recommendation> for RecommendationResponse {
    fn from(r: Recommendation) -> Self {
        let p = r.plan;
        Self {
            recommendation_id: r.id.0,
            rank: r.rank,
            selected: r.selected,
            promotion_type: p.promotion_type,
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
            mechanic: p.mechanic,
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

event_edit_request!(
    /// The plan to select, and the owner's changes to it: the fields of
    /// `PUT /api/events/{eventId}`; absent fields come from the plan.
    pub struct SelectRecommendationRequest {
        pub recommendation_id: uuid::Uuid,
    }
);

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
    let edits = body.edit()?;
    let chosen = RecommendationId(body.recommendation_id);
    let (event, chosen) = recommendations::select(&s, me, id, chosen, edits).await?;
    Ok(axum::Json(SelectedRecommendation {
        event: event.into(),
        recommendation: chosen.into(),
    }))
}
