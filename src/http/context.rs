//! Per-request context: a request id (taken from `x-request-id` when sane, else generated), one
//! tracing span with the route template, a last pass that gives every error response our JSON
//! shape (including the ones axum or tower produce on their own: 405, 413, timeouts), and the
//! headers every answer carries (`nosniff`; `no-store` on the API).

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use super::error::{ApiError, REQUEST_ID};

pub const REQUEST_ID_HEADER: &str = "x-request-id";

fn incoming_id(req: &Request) -> Option<String> {
    let v = req.headers().get(REQUEST_ID_HEADER)?.to_str().ok()?.trim();
    let sane = !v.is_empty()
        && v.len() <= 64
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    sane.then(|| v.to_owned())
}

pub async fn request_context(req: Request, next: Next) -> Response {
    let request_id = incoming_id(&req).unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let api = req.uri().path().starts_with("/api/");
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("<unmatched>", MatchedPath::as_str)
        .to_owned();
    let span = tracing::info_span!(
        "request",
        method = %req.method(),
        route = %route,
        request_id = %request_id,
    );
    let started = Instant::now();
    let id = request_id.clone();
    let mut res = REQUEST_ID
        .scope(id.clone(), async move {
            let res = next.run(req).await;
            normalise_error(res, id)
        })
        .instrument(span.clone())
        .await;
    span.in_scope(|| {
        tracing::info!(
            status = res.status().as_u16(),
            latency_ms = started.elapsed().as_millis() as u64,
            "request finished"
        );
    });
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        res.headers_mut().insert(REQUEST_ID_HEADER, v);
    }
    secure_headers(&mut res, api);
    res
}

/// Nothing is sniffed into another type; no API answer (tokens, owners' data, participants) is
/// kept by a browser or a proxy.
fn secure_headers(res: &mut Response, api: bool) {
    let headers = res.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if api {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

fn normalise_error(res: Response, request_id: String) -> Response {
    let status = res.status();
    // A JSON error is already in shape; an HTML page is a page's own answer, for a browser.
    let shaped = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.starts_with("text/html"));
    if !(status.is_client_error() || status.is_server_error()) || shaped {
        return res;
    }
    match ApiError::for_bare_status(status) {
        Some(err) => {
            let allow = res.headers().get(header::ALLOW).cloned();
            let mut out = err.response_with_id(request_id);
            if let Some(allow) = allow {
                out.headers_mut().insert(header::ALLOW, allow);
            }
            out
        }
        None => res,
    }
}
