//! Taking part: `/api/public/events/{eventId}` (the page customers see) and its `entries`, and
//! the owner's `/api/events/{eventId}/participants` (masked, and as a CSV for Excel:
//! `participants`).

pub mod participants;

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiQuery, EntryQuota, EventIdPath, IdempotencyKeyHeader, ReadQuota};
use crate::app::entries::{self, EntryFields, EntryForm, PublicEvent};
use crate::app::{AppError, Services};
use crate::domain::EventStatus;
use crate::domain::draw::VERSION;
use crate::domain::entry::{EntrySource, EntryStatus};
use crate::domain::field::IdempotencyKey;
use crate::domain::korean::{self, Particle};
use crate::domain::mechanic::Mechanic;
use crate::inbound::Client;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EntryWindowResponse {
    pub status: EntryStatus,
    #[schema(example = "응모 중")]
    pub status_label: &'static str,
    /// When entries open (NOT_YET_OPEN only).
    pub opens_on: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NoticeResponse {
    /// [필수] 개인정보 수집·이용: purpose, items, retention, the right to refuse.
    pub privacy: String,
    /// [필수] 나이 확인: 만 14세 이상 (주류를 파는 가게는 만 19세 이상).
    pub age: String,
    /// [선택] 마케팅 정보 수신: never a condition for entering.
    pub marketing: String,
    /// What to know before entering: the announcement, the prize's tax, the age rule of a shop
    /// that serves alcohol, a rewarded review's disclosure.
    pub before: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MaskedWinner {
    pub rank: usize,
    #[schema(example = "홍*동")]
    pub name: Option<String>,
    #[schema(example = "010-****-5678")]
    pub phone: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PublicDrawInfo {
    #[schema(example = "em-draw-v1")]
    pub version: &'static str,
    /// `hex(SHA-256(seed))`, fixed when the event was published.
    pub commitment: String,
    pub committed_at: DateTime<Utc>,
    pub drawn: bool,
    pub drawn_at: Option<DateTime<Utc>>,
    /// Where the proof is, once drawn (`event-marketing verify-draw <url>` checks it).
    pub proof_path: String,
    /// Winners now, masked.
    pub winners: Vec<MaskedWinner>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PublicShop {
    pub name: String,
    pub address: String,
    /// Where customers ask (문의처), when the owner gave the shop's phone.
    pub phone: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PublicEventResponse {
    pub event_id: uuid::Uuid,
    /// PUBLISHED or ENDED.
    pub status: EventStatus,
    pub name: Option<String>,
    pub description: Option<String>,
    pub prize: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub shop: PublicShop,
    pub poster_url: Option<String>,
    pub entry: EntryWindowResponse,
    pub notice: NoticeResponse,
    pub draw: PublicDrawInfo,
    /// What joining gives and its rules (`null` for an event without a mechanic).
    pub promotion: Option<PromotionInfo>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PromotionInfo {
    pub mechanic: Mechanic,
    pub headline: String,
    pub terms: Vec<String>,
    /// First-come passes still to give (`null` when there is no cap).
    pub left: Option<u32>,
}

impl From<PublicEvent> for PublicEventResponse {
    fn from(p: PublicEvent) -> Self {
        let e = p.event;
        let opens_on = match p.window {
            crate::domain::entry::EntryWindow::NotYetOpen { opens } => Some(opens),
            _ => None,
        };
        let winners = (p.draw.as_ref().map(|d| d.winners.clone()))
            .unwrap_or_default()
            .into_iter()
            .map(|(rank, name, phone)| MaskedWinner { rank, name, phone })
            .collect();
        let today = crate::domain::calendar::seoul_date(e.updated_at.max(chrono::Utc::now()));
        let promotion = e.mechanic.clone().map(|m| PromotionInfo {
            headline: m.headline(),
            terms: m.terms(today),
            left: p.left,
            mechanic: m,
        });
        Self {
            draw: PublicDrawInfo {
                version: VERSION,
                commitment: p.seed.commitment,
                committed_at: p.seed.committed_at,
                drawn: p.draw.is_some(),
                drawn_at: p.draw.map(|d| d.drawn_at),
                proof_path: format!("/api/public/events/{}/draw", e.id),
                winners,
            },
            event_id: e.id.0,
            status: e.status,
            name: e.name,
            description: e.description,
            prize: e.prize,
            start_date: e.start_date,
            end_date: e.end_date,
            shop: PublicShop {
                name: e.shop.name,
                address: e.shop.address,
                phone: p.contact,
            },
            poster_url: p.poster_url,
            entry: EntryWindowResponse {
                status: p.window.status(),
                status_label: p.window.label(),
                opens_on,
            },
            notice: NoticeResponse {
                privacy: p.notice.privacy,
                age: p.notice.age,
                marketing: p.notice.marketing,
                before: p.notice.before,
            },
            promotion,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PublicEventQuery {
    /// The tracked link's source the visitor came from (a channel code or STORE): the view is
    /// counted for it. Anything else counts as a direct visit.
    pub channel: Option<String>,
}

#[utoipa::path(get, path = "/api/public/events/{eventId}", operation_id = "public-events-get",
    tag = "participation", params(("eventId" = uuid::Uuid, Path), PublicEventQuery),
    responses((status = 200, body = PublicEventResponse),
        (status = 404, body = ErrorBody, description = "EVENT_003 없거나 아직 배포되지 않음"),
        (status = 429, body = ErrorBody, description = "RATE_001 (Retry-After)")))]
pub async fn public_event(
    State(s): State<Services>,
    _: ReadQuota,
    client: Client,
    EventIdPath(id): EventIdPath,
    ApiQuery(q): ApiQuery<PublicEventQuery>,
) -> Result<axum::Json<PublicEventResponse>, ApiError> {
    let source = q
        .channel
        .as_deref()
        .and_then(|c| EntrySource::parse(c).ok());
    let page = entries::view(&s, id, source, &client.visitor()).await?;
    Ok(axum::Json(page.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EntryRequest {
    #[schema(example = "홍길동")]
    pub name: Option<String>,
    /// 010 mobile numbers; `+82`, full-width digits and separators are accepted.
    #[schema(example = "010-2345-6789")]
    pub phone: Option<String>,
    /// Must be `true` (the notice's privacy consent).
    #[schema(example = true)]
    pub agree_privacy: Option<bool>,
    /// Must be `true`: the entrant confirms the age the notice states (`notice.age`: 14, or 19
    /// where the shop sells alcohol).
    #[schema(example = true)]
    pub age_over_14: Option<bool>,
    /// Optional; never a condition for entering.
    pub agree_marketing: Option<bool>,
    /// Where the customer came from (the tracked link's channel, or STORE for the shop's QR).
    #[schema(value_type = Option<EntrySource>, example = "INSTAGRAM")]
    pub channel: Option<String>,
    /// The invite code of a friend's referral link (`?ref=` of the event page), if any.
    pub invite: Option<String>,
}

impl EntryRequest {
    /// The form, or its first problem (the page shows them all; an API client fixes one at a
    /// time, as before).
    fn form(&self, idempotency_key: Option<IdempotencyKey>) -> Result<EntryForm, AppError> {
        let fields = EntryFields {
            name: self.name.as_deref().unwrap_or_default(),
            phone: self.phone.as_deref().unwrap_or_default(),
            agree_privacy: self.agree_privacy.unwrap_or(false),
            age_over_14: self.age_over_14.unwrap_or(false),
            agree_marketing: self.agree_marketing.unwrap_or(false),
            channel: self.channel.as_deref(),
            idempotency_key,
            invite: self.invite.as_deref(),
        };
        EntryForm::parse(fields).map_err(|mut problems| problems.remove(0))
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EnteredResponse {
    /// Shown once: the entrant's code to check the draw with.
    #[schema(example = "7Z3K9QH2MA")]
    pub receipt: String,
    pub entered_at: DateTime<Utc>,
    pub message: String,
    /// The pass joining gave (its code is shown once here; the receipt and phone find it again).
    pub pass: Option<EnteredPass>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EnteredPass {
    pub code: String,
    pub url: String,
}

#[utoipa::path(post, path = "/api/public/events/{eventId}/entries", operation_id = "public-entries-create",
    tag = "participation", params(("eventId" = uuid::Uuid, Path),
        ("Idempotency-Key" = Option<String>, Header, description = "같은 응모를 다시 보낼 때 같은 키: 처음 응답을 그대로 돌려받습니다")),
    request_body = EntryRequest,
    responses((status = 201, body = EnteredResponse),
        (status = 400, body = ErrorBody, description = "REQ_002 이름·전화번호·채널 형식"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "ENTRY_001 응모 전, ENTRY_002 마감, ENTRY_003 이미 참여"),
        (status = 422, body = ErrorBody, description = "ENTRY_004 개인정보 동의 필요, ENTRY_005 만 14세 미만, ENTRY_006 키 재사용"),
        (status = 429, body = ErrorBody, description = "RATE_001 (Retry-After)"),
        (status = 503, body = ErrorBody, description = "ENTRY_007 응모가 몰림 (Retry-After: 1), 같은 Idempotency-Key로 다시")))]
pub async fn enter(
    State(s): State<Services>,
    _: EntryQuota,
    EventIdPath(id): EventIdPath,
    IdempotencyKeyHeader(key): IdempotencyKeyHeader,
    ApiJson(body): ApiJson<EntryRequest>,
) -> Result<(StatusCode, axum::Json<EnteredResponse>), ApiError> {
    let form = body.form(key)?;
    let entered = entries::enter(&s, id, form).await?;
    let receipt = entered.receipt.to_string();
    let message = match &entered.pass {
        Some(_) => format!(
            "참여가 완료되었습니다. 혜택 페이지 링크를 보관해 주세요. 잃어버리면 전화번호와 참여 번호 {}{} 다시 찾을 수 있습니다.",
            receipt,
            korean::particle_for(&receipt, Particle::Euro)
        ),
        None => format!(
            "응모가 완료되었습니다. 응모 번호 {}{} 보관해 주세요. 추첨 결과를 확인할 때 필요합니다.",
            receipt,
            korean::particle_for(&receipt, Particle::Eul)
        ),
    };
    let pass = entered.pass.as_ref().map(|code| EnteredPass {
        code: code.as_str().to_owned(),
        url: crate::app::passes::pass_url(&s, code),
    });
    Ok((
        StatusCode::CREATED,
        axum::Json(EnteredResponse {
            receipt,
            entered_at: entered.entered_at,
            message,
            pass,
        }),
    ))
}
