//! The owner's browser session: the access token in an HttpOnly, SameSite=Lax cookie (Secure
//! over HTTPS)
//! (the JSON API keeps its bearer tokens), and a CSRF token every form carries. Signed-in forms
//! carry an HMAC of the session (another session's token is refused); the sign-up and login
//! forms, before any session, carry a random value that must equal their own cookie.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use crate::app::{Services, auth};
use crate::domain::UserId;

pub const SESSION: &str = "em_session";
pub const PRE_SESSION: &str = "em_form";

pub use crate::inbound::cookies::{cookie, set_cookie};

/// The signed-in owner of a console page, and the CSRF token of their session.
pub struct Owner {
    pub id: UserId,
    pub csrf: String,
}

/// No signed-in owner: not signed in (to the login page), or the check itself could not be
/// made (the database is down: a Korean 503 page, never a false "signed out").
pub enum SignIn {
    Needed,
    Unavailable(String),
}

impl IntoResponse for SignIn {
    fn into_response(self) -> Response {
        match self {
            SignIn::Needed => Redirect::to("/login").into_response(),
            SignIn::Unavailable(why) => super::message(
                StatusCode::SERVICE_UNAVAILABLE,
                "잠시 후 다시 시도해 주세요",
                &why,
            ),
        }
    }
}

/// `HMAC(tag key, "csrf|" + session token)`: only this session's pages know it.
pub fn csrf_of(s: &Services, token: &str) -> String {
    let key = s.tags.current_key().to_owned();
    (s.tags.tag(&key, format!("csrf|{token}").as_bytes())).unwrap_or_default()
}

impl FromRequestParts<Services> for Owner {
    type Rejection = SignIn;

    async fn from_request_parts(parts: &mut Parts, s: &Services) -> Result<Self, SignIn> {
        let token = (cookie(&parts.headers, SESSION).ok_or(SignIn::Needed))?.to_owned();
        let id = auth::authenticate(s, &token).await.map_err(|e| {
            let p = e.problem();
            match p.kind {
                crate::app::Kind::Unauthenticated => SignIn::Needed,
                _ => SignIn::Unavailable(p.message),
            }
        })?;
        let csrf = csrf_of(s, &token);
        Ok(Owner { id, csrf })
    }
}

impl Owner {
    /// The form's token is this session's, or the form is refused (403).
    pub fn check(&self, sent: &str) -> Result<(), Refused> {
        match !sent.is_empty() && constant_eq(sent, &self.csrf) {
            true => Ok(()),
            false => Err(Refused),
        }
    }
}

/// A page with a form before any session (sign-up, login, the counter's PIN): a fresh value in
/// the form and in its cookie.
pub fn pre_session(
    s: &Services,
    headers: &HeaderMap,
    status: StatusCode,
    render: impl FnOnce(String) -> Result<String, askama::Error>,
) -> Response {
    // The value already in the browser stays (a second tab, the back button); else a new one.
    let kept = cookie(headers, PRE_SESSION)
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()));
    let value = kept.map_or_else(crate::app::random_token, str::to_owned);
    let cookie = set_cookie(s, PRE_SESSION, &value, 3600);
    ([cookie], super::html(status, render(value))).into_response()
}

/// The sign-up and login forms: their hidden value must equal their cookie.
pub fn check_pre_session(headers: &HeaderMap, sent: &str) -> Result<(), Refused> {
    match cookie(headers, PRE_SESSION) {
        Some(c) if !sent.is_empty() && constant_eq(c, sent) => Ok(()),
        _ => Err(Refused),
    }
}

/// A form without this session's CSRF token: 403.
pub struct Refused;

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        super::message(
            StatusCode::FORBIDDEN,
            "요청을 처리할 수 없습니다",
            "페이지가 오래되었거나 다른 곳에서 보낸 요청입니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.",
        )
    }
}

/// The two values are the same, compared in constant time.
pub fn same(a: &str, b: &str) -> bool {
    constant_eq(a, b)
}

fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
