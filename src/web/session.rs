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
/// When the session ends, for the console's warning (readable by the page's script).
pub const SESSION_ENDS: &str = "em_session_ends";

pub use crate::inbound::cookies::{cookie, set_cookie};

/// The signed-in owner of a console page, and the CSRF token of their session.
pub struct Owner {
    pub id: UserId,
    pub csrf: String,
}

/// No signed-in owner: not signed in (to the login page), or the check itself could not be
/// made (the database is down: a Korean 503 page, never a false "signed out").
pub enum SignIn {
    /// To the login page, which comes back to this page (`next`) once the owner is in.
    Needed(Option<String>),
    Unavailable(String),
}

impl IntoResponse for SignIn {
    fn into_response(self) -> Response {
        match self {
            SignIn::Needed(next) => Redirect::to(&login_url(next.as_deref())).into_response(),
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
        let needed = || SignIn::Needed(page_asked_for(parts, &s.public_base_url));
        let token = (cookie(&parts.headers, SESSION).ok_or_else(needed))?.to_owned();
        let v = auth::session(s, &token).await.map_err(|e| {
            let p = e.problem();
            match p.kind {
                crate::app::Kind::Unauthenticated => needed(),
                _ => SignIn::Unavailable(p.message),
            }
        })?;
        // The session's, not the token's: a renewed token (`renew`) keeps the forms already on
        // the owner's pages valid.
        let csrf = csrf_of(
            s,
            &format!("session|{}|{}|{}", v.user, v.version, v.started_at),
        );
        Ok(Owner { id: v.user, csrf })
    }
}

/// The page to come back to after logging in: the one asked for (a GET), or the page whose form
/// was sent (a POST: its `Referer`, when it is ours).
fn page_asked_for(parts: &Parts, public_base_url: &str) -> Option<String> {
    if parts.method == axum::http::Method::GET {
        return local_path(parts.uri.path_and_query()?.as_str());
    }
    let referer = (parts.headers.get(axum::http::header::REFERER)?)
        .to_str()
        .ok()?;
    let url = url::Url::parse(referer).ok()?;
    let authority = |u: &url::Url| {
        u.host_str().map(|h| match u.port() {
            Some(p) => format!("{h}:{p}"),
            None => h.to_owned(),
        })
    };
    // Ours: the host the request names, or the public address (behind the Functions host and
    // API Management, the request's own Host may be another).
    let host = (parts.headers.get(axum::http::header::HOST)).and_then(|h| h.to_str().ok());
    let public = url::Url::parse(public_base_url)
        .ok()
        .and_then(|u| authority(&u));
    let from = authority(&url);
    if from.is_none() || (from.as_deref() != host && from != public) {
        return None;
    }
    let path = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    local_path(&path)
}

/// A path on this site to send the browser to, or `None` (another site, `//host`, a backslash,
/// control characters, the login and logout pages themselves).
pub fn local_path(raw: &str) -> Option<String> {
    let ok = raw.starts_with('/')
        && !raw.starts_with("//")
        && raw.len() <= 512
        && !raw.contains('\\')
        && !raw.chars().any(char::is_control)
        && !["/login", "/logout", "/signup"]
            .iter()
            .any(|p| raw.starts_with(p));
    ok.then(|| raw.to_owned())
}

/// The login page, coming back to `next` (when it is a page of ours).
pub fn login_url(next: Option<&str>) -> String {
    match next.and_then(local_path) {
        Some(next) => {
            let next: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
            format!("/login?next={next}")
        }
        None => "/login".to_owned(),
    }
}

/// The cookies of a signed-in browser: the session (HttpOnly) and, for the page's script that
/// warns before the session ends, when it ends (Unix seconds; not a secret).
pub fn session_cookies(
    s: &Services,
    token: &str,
    expires_in: i64,
) -> [(axum::http::HeaderName, String); 2] {
    let ends = s.clock.now().timestamp() + expires_in;
    // It outlives the session by a day, so the page can still say the session has ended.
    let (name, mut ends_cookie) =
        set_cookie(s, SESSION_ENDS, &ends.to_string(), expires_in + 86_400);
    ends_cookie = ends_cookie.replace("; HttpOnly", "");
    [
        set_cookie(s, SESSION, token, expires_in),
        (name, ends_cookie),
    ]
}

/// Renews a console session once half of its token's life is gone (`auth::renew`): every page
/// an owner opens keeps them signed in, until the session's own end.
pub async fn renew(
    axum::extract::State(s): axum::extract::State<Services>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let token = cookie(req.headers(), SESSION).map(str::to_owned);
    let mut res = next.run(req).await;
    let Some(token) = token else {
        return res;
    };
    let set_by_page = (res.headers().get_all(axum::http::header::SET_COOKIE).iter())
        .any(|v| v.as_bytes().starts_with(format!("{SESSION}=").as_bytes()));
    if set_by_page {
        return res;
    }
    if let Ok(Some(fresh)) = auth::renew(&s, &token).await {
        for (name, value) in session_cookies(&s, &fresh.token, fresh.expires_in) {
            if let Ok(v) = axum::http::HeaderValue::from_str(&value) {
                res.headers_mut().append(name, v);
            }
        }
    }
    res
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
