//! The customer's pass (`/p/{code}`): what they get, its state (ready, used, expired, stamps
//! 3/5, invited 2), the QR code the counter scans, the rules, a referral's invite link, a photo
//! review's address form — a mobile page with no script. And finding it again by phone and
//! receipt (`/e/{eventId}/pass`).

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::extract::{EventPath, PassPath, over_limit};
use super::form::Errors;
use super::{failed, html};
use crate::app::limits::Limit;
use crate::app::passes::{self, PassView};
use crate::app::{AppError, Services, entries};
use crate::domain::entrant::{MobilePhone, Receipt};
use crate::domain::korean::spoken_date;
use crate::domain::mechanic::Mechanic;
use crate::domain::pass::{PassStatus, ReviewState};
use crate::inbound::Client;

#[derive(Template)]
#[template(path = "pass.html")]
struct PassPage {
    code: String,
    grouped: String,
    event_id: String,
    shop: String,
    headline: String,
    status: &'static str,
    line: String,
    stamps: Option<(u32, u32)>,
    show_qr: bool,
    terms: Vec<String>,
    last_day: Option<String>,
    invite_url: Option<String>,
    invited: u32,
    review_open: bool,
    review_url: String,
    error: Option<String>,
}

fn pass_page(v: &PassView, typed: Option<&str>, error: Option<String>) -> PassPage {
    let year = chrono::Datelike::year(&v.today);
    let stamps = match &v.mechanic {
        Mechanic::StampCard { goal, .. } => Some((v.pass.stamps, u32::from(*goal))),
        _ => None,
    };
    let review_open = matches!(v.mechanic, Mechanic::PhotoReview { .. })
        && matches!(
            v.pass.review.as_ref().map(|r| &r.state),
            None | Some(ReviewState::Pending | ReviewState::Rejected { .. })
        );
    let kept = v
        .pass
        .review
        .as_ref()
        .map(|r| r.url.clone())
        .unwrap_or_default();
    PassPage {
        code: v.code.as_str().to_owned(),
        grouped: v.code.grouped(),
        event_id: v.event.id.to_string(),
        shop: v.event.shop.name.clone(),
        headline: v.mechanic.headline(),
        status: v.standing.status.code(),
        line: v.standing.line.clone(),
        stamps,
        show_qr: !matches!(v.standing.status, PassStatus::Used | PassStatus::Expired),
        terms: v.mechanic.terms(v.today),
        last_day: v.pass.last_day.map(|d| spoken_date(d, year)),
        invite_url: v.invite_url.clone(),
        invited: v.pass.invited,
        review_open,
        review_url: typed.map_or(kept, str::to_owned),
        error,
    }
}

pub async fn page(State(s): State<Services>, client: Client, PassPath(code): PassPath) -> Response {
    if let Some(refused) = over_limit(&s, &client, Limit::Reads) {
        return refused;
    }
    match passes::view(&s, &code).await {
        Ok(v) => html(StatusCode::OK, pass_page(&v, None, None).render()),
        Err(e) => failed(&e),
    }
}

/// The pass's QR code: the counter's page for it, which only the shop's counter can act on.
pub async fn qr(State(s): State<Services>, PassPath(code): PassPath) -> Response {
    if let Err(e) = passes::view(&s, &code).await {
        return failed(&e);
    }
    match s.printer.qr_svg(&passes::counter_url(&s, &code)) {
        Ok(svg) => (
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (header::CACHE_CONTROL, "private, max-age=3600"),
            ],
            svg,
        )
            .into_response(),
        Err(e) => failed(&AppError::Internal(e.into())),
    }
}

#[derive(Debug, Deserialize)]
pub struct ReviewForm {
    pub url: String,
}

pub async fn review(
    State(s): State<Services>,
    client: Client,
    PassPath(code): PassPath,
    axum::Form(f): axum::Form<ReviewForm>,
) -> Response {
    if let Some(refused) = over_limit(&s, &client, Limit::Entries) {
        return refused;
    }
    match passes::submit_review(&s, &code, &f.url).await {
        Ok(_) => Redirect::to(&format!("/p/{}", code.as_str())).into_response(),
        Err(AppError::Invalid(e)) => match passes::view(&s, &code).await {
            Ok(v) => html(
                StatusCode::BAD_REQUEST,
                pass_page(&v, Some(&f.url), Some(e.message())).render(),
            ),
            Err(e) => failed(&e),
        },
        Err(e) => failed(&e),
    }
}

#[derive(Template)]
#[template(path = "pass_find.html")]
struct FindPage {
    event_id: String,
    title: String,
    phone: String,
    receipt: String,
    errors: Errors,
}

async fn find_page(
    s: &Services,
    id: crate::domain::EventId,
    f: FindForm,
    errors: Errors,
) -> Response {
    match entries::public_event(s, id).await {
        Ok(p) => {
            let page = FindPage {
                event_id: id.to_string(),
                title: p.event.name.unwrap_or_default(),
                phone: f.phone,
                receipt: f.receipt,
                errors: errors.clone(),
            };
            let status = if errors.is_empty() {
                StatusCode::OK
            } else {
                StatusCode::BAD_REQUEST
            };
            html(status, page.render())
        }
        Err(e) => failed(&e),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct FindForm {
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub receipt: String,
}

pub async fn find_form(State(s): State<Services>, EventPath(id): EventPath) -> Response {
    find_page(&s, id, FindForm::default(), Errors::default()).await
}

pub async fn find(
    State(s): State<Services>,
    client: Client,
    EventPath(id): EventPath,
    axum::Form(f): axum::Form<FindForm>,
) -> Response {
    if let Some(refused) = over_limit(&s, &client, Limit::Entries) {
        return refused;
    }
    let mut errors = Errors::default();
    let phone = MobilePhone::parse(&f.phone).map_err(|e| errors.add("phone", e.message()));
    let receipt = Receipt::parse(&f.receipt).map_err(|e| errors.add("receipt", e.message()));
    let (Ok(phone), Ok(receipt)) = (phone, receipt) else {
        return find_page(&s, id, f, errors).await;
    };
    match passes::find(&s, id, &phone, &receipt).await {
        Ok(v) => Redirect::to(&format!("/p/{}", v.code.as_str())).into_response(),
        Err(AppError::Pass(_)) => {
            let not =
                "그 휴대폰 번호와 참여 번호로 받은 쿠폰이 없습니다. 두 번호를 다시 확인해 주세요.";
            find_page(&s, id, f, Errors::general(not)).await
        }
        Err(e) => failed(&e),
    }
}
