//! The customer's event page (`/e/{eventId}`, reached through a tracked link with `?c=` or
//! directly): the event, the consents as the law asks (nothing ticked in advance), the form,
//! and the receipt once entered. Opening it counts a view for the link's channel.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::form::Errors;
use super::{html, message};
use crate::app::entries::{self, EntryForm, PublicEvent};
use crate::app::{AppError, Kind, Services, analytics};
use crate::domain::entrant::{EntrantName, MobilePhone};
use crate::domain::entry::{EntrySource, EntryWindow};
use crate::http::extract::{EntryQuota, EventIdPath, ReadQuota, VisitorOf};

#[derive(Template)]
#[template(path = "event.html")]
struct EventPage {
    event_id: String,
    title: String,
    shop: String,
    address: String,
    period: String,
    prize: Option<String>,
    description: Option<String>,
    poster: Option<String>,
    window: &'static str,
    open: bool,
    channel: String,
    key: String,
    name: String,
    phone: String,
    privacy: String,
    age: String,
    marketing: String,
    commitment: String,
    errors: Errors,
}

#[derive(Template)]
#[template(path = "entered.html")]
struct EnteredPage {
    event_id: String,
    title: String,
    receipt: String,
}

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    /// The tracked link's source (`INSTAGRAM`, `STORE`, …).
    pub c: Option<String>,
}

fn source_of(raw: Option<&str>) -> Option<EntrySource> {
    raw.and_then(|c| EntrySource::parse(c).ok())
}

fn event_page(p: PublicEvent, source: Option<EntrySource>, errors: Errors) -> EventPage {
    let e = p.event;
    let period = match (e.start_date, e.end_date) {
        (Some(a), Some(b)) => format!("{} ~ {}", a.format("%Y.%m.%d"), b.format("%Y.%m.%d")),
        _ => "기간 한정".to_owned(),
    };
    EventPage {
        event_id: e.id.to_string(),
        title: e.name.unwrap_or_else(|| format!("{} 이벤트", e.shop.name)),
        address: e.shop.address,
        shop: e.shop.name,
        period,
        prize: e.prize,
        description: e.description,
        poster: p.poster_url,
        window: p.window.label(),
        open: p.window == EntryWindow::Open,
        channel: source.map(EntrySource::code).unwrap_or_default().to_owned(),
        key: crate::app::random_token(),
        name: String::new(),
        phone: String::new(),
        privacy: p.notice.privacy,
        age: p.notice.age,
        marketing: p.notice.marketing,
        commitment: p.seed.commitment,
        errors,
    }
}

fn not_found() -> Response {
    message(
        StatusCode::NOT_FOUND,
        "이벤트를 찾을 수 없습니다",
        "주소를 다시 확인해 주세요. 이벤트가 아직 시작되지 않았거나 삭제되었을 수 있습니다.",
    )
}

/// A refusal as a page: an event that is not there gets the customer's own wording.
fn failed(e: &AppError) -> Response {
    match e.problem().kind {
        Kind::NotFound => not_found(),
        _ => super::failed(e),
    }
}

pub async fn page(
    State(s): State<Services>,
    _: ReadQuota,
    VisitorOf(who): VisitorOf,
    EventIdPath(id): EventIdPath,
    Query(q): Query<PageQuery>,
) -> Response {
    let source = source_of(q.c.as_deref());
    match entries::public_event(&s, id).await {
        Ok(p) => {
            analytics::links::viewed(&s, id, source, &who).await;
            html(
                StatusCode::OK,
                event_page(p, source, Errors::default()).render(),
            )
        }
        Err(e) => failed(&e),
    }
}

/// The form as the browser sends it (unticked boxes are absent).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryFormBody {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub agree_privacy: Option<String>,
    pub age_over_14: Option<String>,
    pub agree_marketing: Option<String>,
    pub channel: Option<String>,
    pub key: Option<String>,
}

fn ticked(v: &Option<String>) -> bool {
    v.as_deref() == Some("true")
}

/// The form, or every problem with it at once, each next to its field.
fn read_form(b: &EntryFormBody) -> Result<EntryForm, Errors> {
    let mut errors = Errors::default();
    let name = EntrantName::parse(b.name.as_deref().unwrap_or_default())
        .map_err(|e| errors.add("name", e.message()))
        .ok();
    let phone = MobilePhone::parse(b.phone.as_deref().unwrap_or_default())
        .map_err(|e| errors.add("phone", e.message()))
        .ok();
    if !ticked(&b.agree_privacy) {
        errors.add(
            "privacy",
            "개인정보 수집·이용에 동의해야 응모할 수 있습니다.",
        );
    }
    if !ticked(&b.age_over_14) {
        errors.add("age", "만 14세 이상만 응모할 수 있습니다.");
    }
    match (name, phone) {
        (Some(name), Some(phone)) if errors.is_empty() => Ok(EntryForm {
            name,
            phone,
            agree_privacy: true,
            age_over_14: true,
            agree_marketing: ticked(&b.agree_marketing),
            source: source_of(b.channel.as_deref()),
            idempotency_key: (b.key.as_deref())
                .filter(|k| {
                    (1..=200).contains(&k.len()) && k.bytes().all(|c| c.is_ascii_alphanumeric())
                })
                .map(str::to_owned),
        }),
        _ => Err(errors),
    }
}

/// Where an entry's refusal is shown.
fn placed(e: &AppError) -> Errors {
    let p = e.problem();
    let field = match p.code {
        "ENTRY_003" => "phone",
        "ENTRY_004" => "privacy",
        "ENTRY_005" => "age",
        _ => "general",
    };
    let mut errors = Errors::default();
    errors.add(field, p.message);
    errors
}

pub async fn enter(
    State(s): State<Services>,
    _: EntryQuota,
    EventIdPath(id): EventIdPath,
    axum::Form(body): axum::Form<EntryFormBody>,
) -> Response {
    let page = match entries::public_event(&s, id).await {
        Ok(p) => p,
        Err(e) => return failed(&e),
    };
    let source = source_of(body.channel.as_deref());
    let refused = |errors: Errors, page: PublicEvent| {
        let mut again = event_page(page, source, errors);
        again.name = body.name.clone().unwrap_or_default();
        again.phone = body.phone.clone().unwrap_or_default();
        html(StatusCode::BAD_REQUEST, again.render())
    };
    let form = match read_form(&body) {
        Ok(f) => f,
        Err(errors) => return refused(errors, page),
    };
    match entries::enter(&s, id, form).await {
        Ok(entered) => {
            let done = EnteredPage {
                event_id: id.to_string(),
                title: page.event.name.clone().unwrap_or_default(),
                receipt: entered.receipt.to_string(),
            };
            html(StatusCode::CREATED, done.render())
        }
        Err(e) if matches!(e.problem().kind, Kind::Unavailable | Kind::Internal) => failed(&e),
        Err(e) => refused(placed(&e), page),
    }
}
