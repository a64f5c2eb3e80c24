//! The customer's event page (`/e/{eventId}`, reached through a tracked link with `?c=` or
//! directly): the event, the consents as the law asks (nothing ticked in advance), the form,
//! and the receipt once entered. Opening it counts a view for the link's channel.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

mod seen;

pub use seen::seen;
use seen::shared;

use super::extract::{EventPath, over_limit};
use super::form::Errors;
use super::{html, message};
use crate::app::entries::{self, EntryFields, EntryForm, PublicEvent};
use crate::app::limits::Limit;
use crate::app::{AppError, EntryError, Kind, Services};
use crate::domain::entry::{EntrySource, EntryWindow};
use crate::domain::field::IdempotencyKey;
use crate::domain::pass::InviteCode;
use crate::inbound::Client;

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
    /// What to know before joining (`Notice::before`).
    before: Vec<String>,
    /// The shop's phone (문의처), when given.
    contact: Option<String>,
    commitment: String,
    errors: Errors,
    /// What joining gives (a pass promotion), and its rules.
    headline: Option<String>,
    terms: Vec<String>,
    left: Option<u32>,
    /// A friend's invite code the form carries on.
    invite: String,
    /// "참여하기" for a pass, "응모하기" for a draw.
    action: &'static str,
    /// Joining is an entry to a draw (no pass): the page speaks of 경품, 응모 and the draw.
    draw: bool,
}

#[derive(Template)]
#[template(path = "entered.html")]
struct EnteredPage {
    event_id: String,
    title: String,
    receipt: String,
    /// The pass's page and its code, for a pass promotion.
    pass: Option<(String, String)>,
}

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    /// The tracked link's source (`INSTAGRAM`, `STORE`, …).
    pub c: Option<String>,
    /// A friend's invite code (`?ref=`).
    #[serde(rename = "ref")]
    pub invite: Option<String>,
}

fn source_of(raw: Option<&str>) -> Option<EntrySource> {
    raw.and_then(|c| EntrySource::parse(c).ok())
}

fn event_page(p: PublicEvent, source: Option<EntrySource>, errors: Errors) -> EventPage {
    let today = crate::domain::calendar::seoul_date(chrono::Utc::now());
    let pass = e_pass(&p);
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
        window: match pass {
            Some(_) => p.window.joining_label(),
            None => p.window.label(),
        },
        channel: source.map(EntrySource::code).unwrap_or_default().to_owned(),
        key: crate::app::random_token(),
        name: String::new(),
        phone: String::new(),
        privacy: p.notice.privacy,
        before: p.notice.before,
        contact: p.contact,
        age: p.notice.age,
        marketing: p.notice.marketing,
        commitment: p.seed.commitment,
        errors,
        headline: pass.as_ref().map(|m| m.headline()),
        terms: (e.mechanic.as_ref())
            .map(|m| m.terms(today))
            .unwrap_or_default(),
        left: p.left,
        open: p.window == EntryWindow::Open && p.left != Some(0),
        invite: String::new(),
        action: if pass.is_some() {
            "참여하기"
        } else {
            "응모하기"
        },
        draw: pass.is_none(),
    }
}

/// The event's pass promotion, if joining gives a pass.
fn e_pass(p: &PublicEvent) -> Option<crate::domain::mechanic::Mechanic> {
    p.event.mechanic.clone().filter(|m| m.gives_pass())
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

/// The customer's page: the same bytes for everyone who opens the same link while this
/// instance's copy of the event is fresh (`entries::public_copy`), with a validator and a
/// short public cache life, so browsers and API Management serve repeats. Its view is counted
/// by the beacon it loads (`seen`), which a cached page loads too.
pub async fn page(
    State(s): State<Services>,
    client: Client,
    EventPath(id): EventPath,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    if let Some(refused) = over_limit(&s, &client, Limit::Reads) {
        return refused;
    }
    let source = source_of(q.c.as_deref());
    let invite = (q.invite.as_deref())
        .and_then(InviteCode::parse)
        .map_or_else(String::new, |c| c.as_str().to_owned());
    let copy = match entries::public_copy(&s, id).await {
        Ok(copy) => copy,
        Err(e) => return failed(&e),
    };
    let variant = format!(
        "{}|{invite}",
        source.map(EntrySource::code).unwrap_or_default()
    );
    let rendered = copy.rendered(&variant, || {
        let mut page = event_page(copy.page.clone(), source, Errors::default());
        page.invite = invite.clone();
        // Everyone gets these bytes, so they carry no retry key: the phone decides.
        page.key = String::new();
        page.render().unwrap_or_default()
    });
    if rendered.body.is_empty() {
        return html(
            StatusCode::OK,
            Err(askama::Error::Custom("page not rendered".into())),
        );
    }
    shared(&headers, &rendered)
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
    /// A friend's invite code (`?ref=` of the link that brought the customer).
    #[serde(rename = "ref")]
    pub invite: Option<String>,
}

fn ticked(v: &Option<String>) -> bool {
    v.as_deref() == Some("true")
}

/// The form, or every problem with it at once, each next to its field. The hidden fields the
/// page wrote itself (the link's channel, the retry key) are dropped when tampered with: the
/// customer could not fix them.
fn read_form(b: &EntryFormBody) -> Result<EntryForm, Errors> {
    let fields = EntryFields {
        name: b.name.as_deref().unwrap_or_default(),
        phone: b.phone.as_deref().unwrap_or_default(),
        agree_privacy: ticked(&b.agree_privacy),
        age_over_14: ticked(&b.age_over_14),
        agree_marketing: ticked(&b.agree_marketing),
        channel: source_of(b.channel.as_deref()).map(EntrySource::code),
        idempotency_key: (b.key.as_deref()).and_then(|k| IdempotencyKey::parse(k).ok()),
        invite: b.invite.as_deref(),
    };
    EntryForm::parse(fields).map_err(|problems| {
        let mut errors = Errors::default();
        for p in &problems {
            let (field, message) = placed(p);
            errors.add(field, message);
        }
        errors
    })
}

/// Where an entry's refusal is shown, and what it says.
fn placed(e: &AppError) -> (&'static str, String) {
    let field = match e {
        AppError::Invalid(f) if f.field == "name" => "name",
        AppError::Invalid(f) if f.field == "phone" => "phone",
        AppError::Entry(EntryError::AlreadyEntered) => "phone",
        AppError::Entry(EntryError::PrivacyConsentRequired) => "privacy",
        AppError::Entry(EntryError::AgeConfirmationRequired) => "age",
        AppError::Entry(EntryError::SelfReferral) => "phone",
        _ => "general",
    };
    (field, e.problem().message)
}

pub async fn enter(
    State(s): State<Services>,
    client: Client,
    EventPath(id): EventPath,
    axum::Form(body): axum::Form<EntryFormBody>,
) -> Response {
    if let Some(refused) = over_limit(&s, &client, Limit::Entries) {
        return refused;
    }
    let page = match entries::public_event(&s, id).await {
        Ok(p) => p,
        Err(e) => return failed(&e),
    };
    let source = source_of(body.channel.as_deref());
    let refused = |errors: Errors, page: PublicEvent| {
        let mut again = event_page(page, source, errors);
        again.name = body.name.clone().unwrap_or_default();
        again.phone = body.phone.clone().unwrap_or_default();
        again.invite = body.invite.clone().unwrap_or_default();
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
                pass: (entered.pass.as_ref()).map(|c| (format!("/p/{}", c.as_str()), c.grouped())),
            };
            html(StatusCode::CREATED, done.render())
        }
        Err(e) if matches!(e.problem().kind, Kind::Unavailable | Kind::Internal) => failed(&e),
        Err(e) => {
            let (field, message) = placed(&e);
            let mut errors = Errors::default();
            errors.add(field, message);
            refused(errors, page)
        }
    }
}
