//! Inbound HTML: the owner's console and the customers' pages, rendered by the binary from
//! templates checked at compile time (askama) — plain forms and links, so every page works
//! without JavaScript; the dashboard's charts are the only script (Chart.js, vendored). Each
//! page is one function (`pages::pages()`: its name, method and route, the same in `functions/`, the
//! OpenAPI document API Management imports, and the router), held together by
//! `tests/functions_manifest.rs`.

pub mod analytics;
pub mod auth;
pub mod channels;
pub mod confirm;
pub mod counter;
pub mod distribution;
pub mod draws;
pub mod entries;
pub mod events;
pub mod extract;
pub mod form;
pub mod images;
pub mod mailbox;
pub mod pages;
pub mod participants;
pub mod passes;
pub mod recommendations;
pub mod reviews;
pub mod session;
pub mod users;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::MethodRouter;

use crate::app::{AppError, Kind, Services};

/// The wizard's steps, as the progress list shows them.
pub const STEPS: &[&str] = &["목표", "기획안", "다듬기", "포스터", "채널", "검토·게시"];

/// What every page may load: its own styles, scripts and images (posters may come from Blob
/// Storage), nothing inline, no framing.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' https: data: blob:; connect-src 'self'; form-action 'self'; base-uri 'none'; \
     frame-ancestors 'none'";

pub fn routes(s: &Services) -> Router<Services> {
    let mut router: Router<Services> = Router::new();
    let mut by_route: Vec<(&str, MethodRouter<Services>)> = Vec::new();
    for (_, _, route, handler) in pages::pages() {
        match by_route.iter_mut().find(|(r, _)| *r == route) {
            Some((_, existing)) => *existing = std::mem::take(existing).merge(handler),
            None => by_route.push((route, handler)),
        }
    }
    for (route, handler) in by_route {
        router = router.route(&format!("/{route}"), handler);
    }
    router
        .layer(axum::middleware::from_fn_with_state(
            s.clone(),
            session::renew,
        ))
        .layer(axum::middleware::from_fn(security_headers))
}

async fn security_headers(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let mut res = as_page(next.run(req).await);
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    res
}

/// An answer no page made itself — axum refusing a form that does not parse, a method the
/// route does not take, a body over the limit — shown as a page for its status. (A use case's
/// refusal never gets here: each page renders it, typed, with `failed`.)
fn as_page(res: Response) -> Response {
    let status = res.status();
    let html = (res.headers().get(header::CONTENT_TYPE))
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html || !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let (heading, text) = match status {
        StatusCode::NOT_FOUND => ("페이지를 찾을 수 없습니다", "주소를 다시 확인해 주세요."),
        StatusCode::METHOD_NOT_ALLOWED => (
            "요청을 처리할 수 없습니다",
            "이 주소에서는 할 수 없는 요청입니다. 처음 화면에서 다시 시작해 주세요.",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ("요청을 처리할 수 없습니다", "보낸 내용이 너무 큽니다."),
        s if s.is_client_error() => (
            "입력을 확인해 주세요",
            "보낸 양식을 읽을 수 없습니다. 페이지를 새로 고친 뒤 다시 보내 주세요.",
        ),
        _ => (
            "잠시 후 다시 시도해 주세요",
            "일시적인 오류가 발생했습니다. 잠시 후 다시 시도해 주세요.",
        ),
    };
    message(status, heading, text)
}

/// A rendered page, or a plain Korean error page if rendering failed.
pub(crate) fn html(status: StatusCode, page: Result<String, askama::Error>) -> Response {
    match page {
        Ok(body) => (status, [(header::CACHE_CONTROL, "no-store")], Html(body)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "page not rendered");
            let body = "<!doctype html><html lang=\"ko\"><title>오류</title><p>일시적인 오류가 발생했습니다. 잠시 후 다시 시도해 주세요.</p></html>";
            (StatusCode::INTERNAL_SERVER_ERROR, Html(body)).into_response()
        }
    }
}

#[derive(askama::Template)]
#[template(path = "message.html")]
pub(crate) struct Message<'a> {
    pub heading: &'a str,
    pub message: &'a str,
}

pub(crate) fn message(status: StatusCode, heading: &str, message: &str) -> Response {
    use askama::Template;
    html(status, Message { heading, message }.render())
}

/// The status a page answers a refusal with.
pub(crate) fn status_of(e: &AppError) -> StatusCode {
    match e.problem().kind {
        Kind::Unauthenticated => StatusCode::UNAUTHORIZED,
        Kind::NotFound => StatusCode::NOT_FOUND,
        Kind::Invalid => StatusCode::BAD_REQUEST,
        Kind::Conflict => StatusCode::CONFLICT,
        Kind::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
        Kind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
        Kind::Unavailable | Kind::Internal => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// A use case's refusal as a page: signed out → the login page; otherwise its Korean message,
/// with the status of its kind (and `Retry-After` when it says when to come back).
pub(crate) fn failed(e: &AppError) -> Response {
    let p = e.problem();
    let status = status_of(e);
    let heading = match p.kind {
        Kind::Unauthenticated => return Redirect::to("/login").into_response(),
        Kind::NotFound => "찾을 수 없습니다",
        Kind::Invalid => "입력을 확인해 주세요",
        Kind::Conflict => "지금은 할 수 없습니다",
        Kind::Unprocessable => "먼저 할 일이 있습니다",
        Kind::TooManyRequests | Kind::Unavailable | Kind::Internal => "잠시 후 다시 시도해 주세요",
    };
    let mut page = message(status, heading, &p.message);
    let retry = p
        .retry_after
        .and_then(|s| HeaderValue::from_str(&s.to_string()).ok());
    if let Some(v) = retry {
        page.headers_mut().insert(header::RETRY_AFTER, v);
    }
    page
}

static SITE_CSS: &str = include_str!("../../assets/web/site.css");
static CONSOLE_CSS: &str = include_str!("../../assets/web/console.css");
static CONSOLE_JS: &str = include_str!("../../assets/web/console.js");
static CHART_JS: &str = include_str!("../../assets/web/vendor/chart-4.6.1.umd.min.js");
static ICON_SVG: &str = include_str!("../../assets/web/icon.svg");

pub(super) async fn asset(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    let (body, kind) = match file.as_str() {
        "site.css" => (SITE_CSS, "text/css; charset=utf-8"),
        "console.css" => (CONSOLE_CSS, "text/css; charset=utf-8"),
        "console.js" => (CONSOLE_JS, "text/javascript; charset=utf-8"),
        "chart.js" => (CHART_JS, "text/javascript; charset=utf-8"),
        "icon.svg" => (ICON_SVG, "image/svg+xml"),
        _ => {
            return message(
                StatusCode::NOT_FOUND,
                "페이지를 찾을 수 없습니다",
                "주소를 다시 확인해 주세요.",
            );
        }
    };
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}
