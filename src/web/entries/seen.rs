//! The page as everyone gets it: the same bytes with a validator (`304` to a client that holds
//! them), and the beacon that counts its views however it was served.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use super::super::extract::{EventPath, over_limit};
use super::{PageQuery, failed, source_of};
use crate::app::Services;
use crate::app::analytics::links;
use crate::app::entries::{self, Rendered};
use crate::app::limits::Limit;
use crate::inbound::Client;

/// How long a browser or API Management may serve the page without asking again.
const PAGE_CACHE: &str = "public, max-age=10";

/// A rendered page, or `304 Not Modified` to a client that holds these bytes already.
pub(super) fn shared(headers: &HeaderMap, r: &Rendered) -> Response {
    let holds = (headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok()))
    .is_some_and(|tags| {
        tags.split(',')
            .any(|t| t.trim() == r.etag || t.trim() == "*")
    });
    let validators = [
        (header::CACHE_CONTROL, PAGE_CACHE.to_owned()),
        (header::ETAG, r.etag.clone()),
    ];
    if holds {
        return (StatusCode::NOT_MODIFIED, validators).into_response();
    }
    (StatusCode::OK, validators, Html(r.body.clone())).into_response()
}

/// The 1×1 transparent GIF the page loads: loading it counts the view (once per visitor, link
/// source and Seoul day). Never cached; `503` when the view could not be stored.
pub async fn seen(
    State(s): State<Services>,
    client: Client,
    EventPath(id): EventPath,
    Query(q): Query<PageQuery>,
) -> Response {
    const GIF: &[u8] = &[
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff,
        0x21, 0xf9, 4, 1, 0, 0, 0, 0, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3b,
    ];
    if let Some(refused) = over_limit(&s, &client, Limit::Reads) {
        return refused;
    }
    // Only a page that is there counts (from this instance's copy: no query per view).
    if let Err(e) = entries::public_copy(&s, id).await {
        return failed(&e);
    }
    let status = match links::viewed(&s, id, source_of(q.c.as_deref()), &client.visitor()).await {
        true => StatusCode::OK,
        false => StatusCode::SERVICE_UNAVAILABLE,
    };
    let headers = [
        (header::CONTENT_TYPE, "image/gif"),
        (header::CACHE_CONTROL, "no-store"),
    ];
    (status, headers, GIF).into_response()
}
