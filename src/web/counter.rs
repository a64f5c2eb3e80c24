//! The counter (`/c/{code}`): what staff see when they scan a pass's QR code with a phone. It
//! needs a counter session — the owner's console session, or the shop's counter PIN (a session
//! that can only act on this shop's passes) — and then one tap uses, stamps or rewards the pass,
//! says what to hand over, and can be taken back for a few minutes. A code can be typed at `/c`.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::extract::PassPath;
use super::form::{CsrfOnly, PinForm};
use super::session::{self, SESSION};
use super::{failed, html};
use crate::app::passes::{self, Counter, PassView};
use crate::app::{AppError, Kind, PassError, Services, auth, counter};
use crate::domain::mechanic::Mechanic;
use crate::domain::pass::{Act, PassCode, UNDO_MINUTES};
use crate::inbound::Client;

/// The counter PIN session's cookie.
pub const COUNTER: &str = "em_counter";

#[derive(Template)]
#[template(path = "counter.html")]
struct CounterPage {
    shop: String,
    by_pin: bool,
    code: String,
    grouped: String,
    receipt: String,
    headline: String,
    status: &'static str,
    line: String,
    stamps: Option<(u32, u32)>,
    acts: Vec<(&'static str, &'static str)>,
    terms: Vec<String>,
    csrf: String,
    given: Option<String>,
    refusal: Option<String>,
    undo: bool,
    undo_minutes: i64,
    version: i64,
}

/// Who is at this browser's counter, and the CSRF token of that session: the owner's console
/// session first, else a PIN session. `None`: neither.
async fn counter_of(
    s: &Services,
    headers: &HeaderMap,
) -> Result<Option<(Counter, String)>, AppError> {
    let signed_out = |e: &AppError| e.problem().kind == Kind::Unauthenticated;
    if let Some(token) = session::cookie(headers, SESSION) {
        match auth::authenticate(s, token).await {
            Ok(owner) => {
                let c = Counter {
                    owner,
                    by_pin: false,
                };
                return Ok(Some((c, session::csrf_of(s, token))));
            }
            Err(e) if signed_out(&e) => {}
            Err(e) => return Err(e),
        }
    }
    let Some(value) = session::cookie(headers, COUNTER) else {
        return Ok(None);
    };
    match counter::session(s, value).await {
        Ok(c) => Ok(Some((c, session::csrf_of(s, value)))),
        Err(e) if signed_out(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// What the counter page shows after an act (or a refusal of one).
#[derive(Default)]
struct Said {
    given: Option<String>,
    refusal: Option<String>,
    undo: bool,
}

fn counter_page(v: &PassView, c: &Counter, csrf: String, said: Said) -> Response {
    let stamps = match &v.mechanic {
        Mechanic::StampCard { goal, .. } => Some((v.pass.stamps, u32::from(*goal))),
        _ => None,
    };
    let page = CounterPage {
        shop: v.event.shop.name.clone(),
        by_pin: c.by_pin,
        code: v.code.as_str().to_owned(),
        grouped: v.code.grouped(),
        receipt: v.pass.receipt.to_string(),
        headline: v.mechanic.headline(),
        status: v.standing.status.code(),
        line: v.standing.line.clone(),
        stamps,
        acts: (v.standing.can.iter())
            .map(|a| (a.code(), a.label()))
            .collect(),
        terms: v.mechanic.terms(v.today),
        csrf,
        undo_minutes: UNDO_MINUTES,
        version: v.pass.version,
        undo: said.undo,
        given: said.given,
        refusal: said.refusal.clone(),
    };
    let status = if said.refusal.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    html(status, page.render())
}

#[derive(Template)]
#[template(path = "counter_pin.html")]
struct PinPage<'a> {
    shop: &'a str,
    code: &'a str,
    csrf: String,
    error: Option<String>,
}

fn pin_page(
    s: &Services,
    headers: &HeaderMap,
    v: &PassView,
    status: StatusCode,
    error: Option<String>,
) -> Response {
    session::pre_session(s, headers, status, |csrf| {
        let page = PinPage {
            shop: &v.event.shop.name,
            code: v.code.as_str(),
            csrf,
            error,
        };
        page.render()
    })
}

pub async fn page(
    State(s): State<Services>,
    headers: HeaderMap,
    PassPath(code): PassPath,
) -> Response {
    let v = match passes::view(&s, &code).await {
        Ok(v) => v,
        Err(e) => return failed(&e),
    };
    match counter_of(&s, &headers).await {
        Ok(Some((c, _))) if c.owner != v.event.owner => failed(&PassError::ForeignShop.into()),
        Ok(Some((c, csrf))) => counter_page(&v, &c, csrf, Said::default()),
        Ok(None) => pin_page(&s, &headers, &v, StatusCode::OK, None),
        Err(e) => failed(&e),
    }
}

pub async fn pin(
    State(s): State<Services>,
    client: Client,
    headers: HeaderMap,
    PassPath(code): PassPath,
    axum::Form(f): axum::Form<PinForm>,
) -> Response {
    if let Err(refused) = session::check_pre_session(&headers, &f.csrf) {
        return refused.into_response();
    }
    let v = match passes::view(&s, &code).await {
        Ok(v) => v,
        Err(e) => return failed(&e),
    };
    match counter::open(&s, v.event.owner, &f.pin, &client.address).await {
        Ok(value) => {
            let max_age = counter::SESSION_HOURS * 3600;
            let cookie = session::set_cookie(&s, COUNTER, &value, max_age);
            ([cookie], Redirect::to(&format!("/c/{}", code.as_str()))).into_response()
        }
        Err(e @ AppError::Pass(_)) => {
            let status = super::status_of(&e);
            pin_page(&s, &headers, &v, status, Some(e.problem().message))
        }
        Err(e) => failed(&e),
    }
}

#[derive(Debug, Deserialize)]
pub struct ActForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub act: String,
    #[serde(default)]
    pub spend: String,
    /// The pass's version the page showed (a double tap, or another phone meanwhile, acts once).
    #[serde(default)]
    pub version: String,
}

/// One counter request: its session and CSRF checked, then `run`, shown as the counter page.
async fn at_counter(
    s: &Services,
    headers: &HeaderMap,
    code: &PassCode,
    csrf: &str,
    run: impl AsyncFnOnce(&Counter) -> Result<(PassView, Said), AppError>,
) -> Response {
    let (c, token) = match counter_of(s, headers).await {
        Ok(Some(found)) => found,
        Ok(None) => return Redirect::to(&format!("/c/{}", code.as_str())).into_response(),
        Err(e) => return failed(&e),
    };
    if csrf.is_empty() || !session::same(csrf, &token) {
        return session::Refused.into_response();
    }
    match run(&c).await {
        Ok((v, said)) => counter_page(&v, &c, token, said),
        Err(e @ AppError::Pass(_)) | Err(e @ AppError::Invalid(_)) => {
            match passes::view(s, code).await {
                Ok(v) if v.event.owner == c.owner => {
                    let said = Said {
                        refusal: Some(e.problem().message),
                        ..Said::default()
                    };
                    counter_page(&v, &c, token, said)
                }
                Ok(_) => failed(&PassError::ForeignShop.into()),
                Err(e) => failed(&e),
            }
        }
        Err(e) => failed(&e),
    }
}

pub async fn act(
    State(s): State<Services>,
    headers: HeaderMap,
    PassPath(code): PassPath,
    axum::Form(f): axum::Form<ActForm>,
) -> Response {
    let Some(act) = Act::parse(&f.act) else {
        return failed(&PassError::NothingToUse.into());
    };
    let spend = f.spend.trim().replace(',', "");
    let spend = (!spend.is_empty()).then(|| spend.parse::<i64>().unwrap_or(-1));
    at_counter(&s, &headers, &code, &f.csrf, async |c| {
        let asked = passes::Asked {
            act,
            spend,
            seen: f.version.trim().parse().ok(),
        };
        let done = passes::act(&s, c, &code, asked).await?;
        let given = match act {
            Act::Stamp => format!("스탬프를 찍었습니다: {}", done.give),
            _ => format!("처리했습니다. {}", done.ask),
        };
        let said = Said {
            given: Some(given),
            undo: true,
            ..Said::default()
        };
        Ok((done.view, said))
    })
    .await
}

pub async fn undo(
    State(s): State<Services>,
    headers: HeaderMap,
    PassPath(code): PassPath,
    axum::Form(f): axum::Form<CsrfOnly>,
) -> Response {
    at_counter(&s, &headers, &code, &f.csrf, async |c| {
        let done = passes::undo(&s, c, &code).await?;
        let said = Said {
            given: Some(format!("'{}' 처리를 되돌렸습니다.", done.act.label())),
            ..Said::default()
        };
        Ok((done.view, said))
    })
    .await
}

#[derive(Template)]
#[template(path = "counter_code.html")]
struct CodePage {
    typed: String,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct CodeQuery {
    pub code: Option<String>,
}

/// `/c`: a code typed by hand goes to its counter page.
pub async fn code(Query(q): Query<CodeQuery>) -> Response {
    let typed = q.code.unwrap_or_default();
    if typed.trim().is_empty() {
        return html(StatusCode::OK, CodePage { typed, error: None }.render());
    }
    match PassCode::parse(&typed) {
        Ok(code) => Redirect::to(&format!("/c/{}", code.as_str())).into_response(),
        Err(e) => {
            let page = CodePage {
                typed,
                error: Some(e.message()),
            };
            html(StatusCode::BAD_REQUEST, page.render())
        }
    }
}
