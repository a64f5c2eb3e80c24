//! Inbound HTML: the owner's console and the customers' pages, rendered by the binary from
//! templates checked at compile time (askama) — plain forms and links, so every page works
//! without JavaScript; the dashboard's charts are the only script (Chart.js, vendored). Each
//! page is one function (`pages::pages()`: its name, method and route, the same in `functions/`, the
//! OpenAPI document API Management imports, and the router), held together by
//! `tests/functions_manifest.rs`.

pub mod analytics;
pub mod auth;
pub mod channels;
pub mod distribution;
pub mod draws;
pub mod entries;
pub mod events;
pub mod form;
pub mod images;
pub mod pages;
pub mod participants;
pub mod recommendations;
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

pub fn routes() -> Router<Services> {
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
    router.layer(axum::middleware::from_fn(security_headers))
}

/// `GET /`: a browser goes to the console; anything else (the Functions host's probe) gets the
/// liveness answer.
pub fn wants_page(headers: &axum::http::HeaderMap) -> bool {
    (headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()))
        .is_some_and(|a| a.contains("text/html"))
}

pub fn to_console() -> Response {
    Redirect::to("/home").into_response()
}

async fn security_headers(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let mut res = as_page(next.run(req).await).await;
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

/// A refusal that came as the API's JSON error (a rate limit, an id that is not one, a body
/// that does not parse) shown as a page with the same Korean message and status.
async fn as_page(res: Response) -> Response {
    let json = (res.headers().get(header::CONTENT_TYPE))
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json || !(res.status().is_client_error() || res.status().is_server_error()) {
        return res;
    }
    let status = res.status();
    let retry = res.headers().get(header::RETRY_AFTER).cloned();
    let body = axum::body::to_bytes(res.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let said: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let text = said["message"]
        .as_str()
        .unwrap_or("요청을 처리할 수 없습니다.");
    let heading = match status {
        StatusCode::NOT_FOUND => "페이지를 찾을 수 없습니다",
        StatusCode::TOO_MANY_REQUESTS => "잠시 후 다시 시도해 주세요",
        _ => "요청을 처리할 수 없습니다",
    };
    let mut page = message(status, heading, text);
    if let Some(v) = retry {
        page.headers_mut().insert(header::RETRY_AFTER, v);
    }
    page
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

/// A use case's refusal as a page: signed out → the login page; otherwise its Korean message.
pub(crate) fn failed(e: &AppError) -> Response {
    let p = e.problem();
    let (status, heading) = match p.kind {
        Kind::Unauthenticated => return Redirect::to("/login").into_response(),
        Kind::NotFound => (StatusCode::NOT_FOUND, "찾을 수 없습니다"),
        Kind::Invalid => (StatusCode::BAD_REQUEST, "입력을 확인해 주세요"),
        Kind::Conflict => (StatusCode::CONFLICT, "지금은 할 수 없습니다"),
        Kind::Unprocessable => (StatusCode::UNPROCESSABLE_ENTITY, "먼저 할 일이 있습니다"),
        Kind::TooManyRequests => (StatusCode::TOO_MANY_REQUESTS, "잠시 후 다시 시도해 주세요"),
        Kind::Unavailable | Kind::Internal => (
            StatusCode::SERVICE_UNAVAILABLE,
            "잠시 후 다시 시도해 주세요",
        ),
    };
    message(status, heading, &p.message)
}

static SITE_CSS: &str = include_str!("../../assets/web/site.css");
static CONSOLE_CSS: &str = include_str!("../../assets/web/console.css");
static CONSOLE_JS: &str = include_str!("../../assets/web/console.js");
static CHART_JS: &str = include_str!("../../assets/web/vendor/chart-4.6.1.umd.min.js");

pub(super) async fn asset(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    let (body, kind) = match file.as_str() {
        "site.css" => (SITE_CSS, "text/css; charset=utf-8"),
        "console.css" => (CONSOLE_CSS, "text/css; charset=utf-8"),
        "console.js" => (CONSOLE_JS, "text/javascript; charset=utf-8"),
        "chart.js" => (CHART_JS, "text/javascript; charset=utf-8"),
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
