//! Passes: the customer's (`/api/public/passes/{code}`, finding it again, adding a review), the
//! counter's acts on them (`/api/passes/{code}/acts`, `…/undo`, the owner's token), and the
//! owner's review decisions (`/api/events/{eventId}/reviews*`).

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, AuthUser, EntryQuota, EventIdPath, PassCodePath, ReadQuota};
use crate::app::passes::{self, Counter, PassView};
use crate::app::{AppError, Services};
use crate::domain::entrant::{MobilePhone, Receipt};
use crate::domain::mechanic::Mechanic;
use crate::domain::pass::{Act, Pass, PassStatus, ReviewState};

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReviewResponse {
    pub url: String,
    #[schema(example = "PENDING")]
    pub state: &'static str,
    /// Why it was rejected (REJECTED only).
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
}

/// A pass as its holder sees it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PassResponse {
    /// 16 characters of Crockford base32 (80 bits): the pass itself. Keep it private.
    pub code: String,
    /// The pass's page.
    pub url: String,
    /// What its QR code opens: the shop's counter page for this pass.
    pub counter_url: String,
    pub event_id: uuid::Uuid,
    pub event_name: Option<String>,
    pub shop: String,
    pub receipt: String,
    pub mechanic: Mechanic,
    /// What the customer gets, in one line.
    pub headline: String,
    /// The rules, in Korean sentences.
    pub terms: Vec<String>,
    pub status: PassStatus,
    pub status_line: String,
    /// What the counter may do with it now.
    pub can: Vec<Act>,
    pub uses: u32,
    pub stamps: u32,
    pub rewards_left: u32,
    pub invited: u32,
    pub credited: u32,
    pub last_day: Option<NaiveDate>,
    /// A referral pass's own invite link.
    pub invite_url: Option<String>,
    pub review: Option<ReviewResponse>,
    pub issued_at: DateTime<Utc>,
    /// Moves on with every act: a counter sends the one it read with its act.
    pub version: i64,
}

fn review(p: &Pass) -> Option<ReviewResponse> {
    p.review.as_ref().map(|r| {
        let (state, reason) = match &r.state {
            ReviewState::Pending => ("PENDING", None),
            ReviewState::Approved => ("APPROVED", None),
            ReviewState::Rejected { reason } => ("REJECTED", Some(reason.clone())),
        };
        ReviewResponse {
            url: r.url.clone(),
            state,
            reason,
            at: r.at,
        }
    })
}

pub fn pass_response(s: &Services, v: PassView) -> PassResponse {
    let p = &v.pass;
    PassResponse {
        url: passes::pass_url(s, &v.code),
        counter_url: passes::counter_url(s, &v.code),
        code: v.code.as_str().to_owned(),
        event_id: v.event.id.0,
        event_name: v.event.name.clone(),
        shop: v.event.shop.name.clone(),
        receipt: p.receipt.to_string(),
        headline: v.mechanic.headline(),
        terms: v.mechanic.terms(v.today),
        status: v.standing.status,
        status_line: v.standing.line.clone(),
        can: v.standing.can.clone(),
        uses: p.uses,
        stamps: p.stamps,
        rewards_left: p.rewards_left(&v.mechanic),
        invited: p.invited,
        credited: p.credited,
        last_day: p.last_day,
        review: review(p),
        issued_at: p.issued_at,
        version: p.version,
        invite_url: v.invite_url.clone(),
        mechanic: v.mechanic,
    }
}

#[utoipa::path(get, path = "/api/public/passes/{code}", operation_id = "public-passes-get",
    tag = "passes", params(("code" = String, Path, description = "쿠폰 번호 (16자리)")),
    responses((status = 200, body = PassResponse),
        (status = 404, body = ErrorBody, description = "PASS_001 없는 쿠폰"),
        (status = 429, body = ErrorBody, description = "RATE_001 (Retry-After)")))]
pub async fn get(
    State(s): State<Services>,
    _: ReadQuota,
    PassCodePath(code): PassCodePath,
) -> Result<axum::Json<PassResponse>, ApiError> {
    let v = passes::view(&s, &code).await?;
    Ok(axum::Json(pass_response(&s, v)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FindRequest {
    /// The phone the customer joined with.
    #[schema(example = "010-2345-6789")]
    pub phone: String,
    /// The receipt shown when they joined.
    #[schema(example = "7Z3K9QH2MA")]
    pub receipt: String,
}

#[utoipa::path(post, path = "/api/public/events/{eventId}/passes/find", operation_id = "public-passes-find",
    tag = "passes", params(("eventId" = uuid::Uuid, Path)), request_body = FindRequest,
    responses((status = 200, body = PassResponse),
        (status = 400, body = ErrorBody, description = "REQ_002 전화번호·응모 번호 형식"),
        (status = 404, body = ErrorBody, description = "PASS_001 그 번호와 응모 번호의 쿠폰이 없음"),
        (status = 429, body = ErrorBody, description = "RATE_001 (Retry-After)")))]
pub async fn find(
    State(s): State<Services>,
    _: EntryQuota,
    EventIdPath(id): EventIdPath,
    ApiJson(body): ApiJson<FindRequest>,
) -> Result<axum::Json<PassResponse>, ApiError> {
    let phone = MobilePhone::parse(&body.phone).map_err(AppError::from)?;
    let receipt = Receipt::parse(&body.receipt).map_err(AppError::from)?;
    let v = passes::find(&s, id, &phone, &receipt).await?;
    Ok(axum::Json(pass_response(&s, v)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReviewRequest {
    /// The public address of the post (Instagram, Naver blog or place review).
    #[schema(example = "https://www.instagram.com/p/C0aBcDeFgHi/")]
    pub url: String,
}

#[utoipa::path(put, path = "/api/public/passes/{code}/review", operation_id = "public-passes-review",
    tag = "passes", params(("code" = String, Path)), request_body = ReviewRequest,
    responses((status = 200, body = PassResponse),
        (status = 400, body = ErrorBody, description = "REQ_002 후기 주소가 아님"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "PASS_018 후기를 받지 않음"),
        (status = 429, body = ErrorBody)))]
pub async fn submit_review(
    State(s): State<Services>,
    _: EntryQuota,
    PassCodePath(code): PassCodePath,
    ApiJson(body): ApiJson<ReviewRequest>,
) -> Result<axum::Json<PassResponse>, ApiError> {
    let v = passes::submit_review(&s, &code, &body.url).await?;
    Ok(axum::Json(pass_response(&s, v)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActRequest {
    pub act: Act,
    /// What the customer spent (KRW), for the results; optional.
    #[schema(example = 18000)]
    pub spend: Option<i64>,
    /// The pass's `version` as the counter last read it: if the pass changed since (another
    /// device, a double tap), nothing is done and the answer says what it is now.
    pub version: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActResponse {
    pub act: Act,
    /// What to hand over or apply ("결제 금액 20% 할인", "스탬프 3/5", "아메리카노 1잔").
    pub give: String,
    /// What the counter is asked to do, as the counter page says it ("결제 금액 20% 할인해
    /// 주세요", "아메리카노 1잔을 드려 주세요").
    pub ask: String,
    pub pass: PassResponse,
}

#[utoipa::path(post, path = "/api/passes/{code}/acts", operation_id = "passes-act",
    tag = "passes", security(("bearer" = [])), params(("code" = String, Path)),
    request_body = ActRequest,
    responses((status = 201, body = ActResponse),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "PASS_001 없는 쿠폰, PASS_002 다른 매장의 쿠폰"),
        (status = 409, body = ErrorBody, description = "PASS_003 이미 사용됨, PASS_004 기한 지남, PASS_005 시간 외, PASS_006 스탬프 간격, …")))]
pub async fn act(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    PassCodePath(code): PassCodePath,
    ApiJson(body): ApiJson<ActRequest>,
) -> Result<(StatusCode, axum::Json<ActResponse>), ApiError> {
    let counter = Counter {
        owner: me,
        by_pin: false,
    };
    let asked = passes::Asked {
        act: body.act,
        spend: body.spend,
        seen: body.version,
    };
    let done = passes::act(&s, &counter, &code, asked).await?;
    let answer = ActResponse {
        act: done.act,
        give: done.give,
        ask: done.ask,
        pass: pass_response(&s, done.view),
    };
    Ok((StatusCode::CREATED, axum::Json(answer)))
}

#[utoipa::path(post, path = "/api/passes/{code}/undo", operation_id = "passes-undo",
    tag = "passes", security(("bearer" = [])), params(("code" = String, Path)),
    responses((status = 200, body = PassResponse), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "PASS_014 시간 지남, PASS_015 되돌릴 것 없음")))]
pub async fn undo(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    PassCodePath(code): PassCodePath,
) -> Result<axum::Json<PassResponse>, ApiError> {
    let counter = Counter {
        owner: me,
        by_pin: false,
    };
    let done = passes::undo(&s, &counter, &code).await?;
    Ok(axum::Json(pass_response(&s, done.view)))
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReviewItem {
    pub receipt: String,
    pub channel: Option<crate::domain::entry::EntrySource>,
    pub review: ReviewResponse,
    pub rewards: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewList {
    pub items: Vec<ReviewItem>,
}

#[utoipa::path(get, path = "/api/events/{eventId}/reviews", operation_id = "reviews-list",
    tag = "passes", security(("bearer" = [])), params(("eventId" = uuid::Uuid, Path)),
    responses((status = 200, body = ReviewList), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list_reviews(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
) -> Result<axum::Json<ReviewList>, ApiError> {
    let found = passes::reviews(&s, me, id).await?;
    let items = (found.into_iter())
        .filter_map(|p| {
            Some(ReviewItem {
                review: review(&p)?,
                receipt: p.receipt.to_string(),
                channel: p.source,
                rewards: p.rewards,
            })
        })
        .collect();
    Ok(axum::Json(ReviewList { items }))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewPath {
    #[serde(rename = "eventId")]
    pub _event_id: String,
    pub receipt: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DecideRequest {
    pub approve: bool,
    /// Why not (required to reject; the customer reads it).
    pub reason: Option<String>,
}

#[utoipa::path(put, path = "/api/events/{eventId}/reviews/{receipt}", operation_id = "reviews-decide",
    tag = "passes", security(("bearer" = [])),
    params(("eventId" = uuid::Uuid, Path), ("receipt" = String, Path)),
    request_body = DecideRequest,
    responses((status = 200, body = ReviewItem), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "PASS_018 기다리는 후기가 아님")))]
pub async fn decide(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
    axum::extract::Path(path): axum::extract::Path<ReviewPath>,
    ApiJson(body): ApiJson<DecideRequest>,
) -> Result<axum::Json<ReviewItem>, ApiError> {
    let receipt = Receipt::parse(&path.receipt)
        .map_err(|_| AppError::from(crate::app::PassError::NotFound))?;
    let p = passes::decide(&s, me, id, &receipt, body.approve, body.reason.as_deref()).await?;
    let item = ReviewItem {
        review: review(&p).ok_or_else(|| AppError::Internal(anyhow::anyhow!("no review")))?,
        receipt: p.receipt.to_string(),
        channel: p.source,
        rewards: p.rewards,
    };
    Ok(axum::Json(item))
}
