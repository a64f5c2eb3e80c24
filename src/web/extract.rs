//! What the pages read from a request besides their forms: ids in the path (anything that is
//! not one is a "not found" page, like an id that does not exist or is not the owner's), and
//! the public pages' rate limits, refused as pages.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::Response;

use super::failed;
use crate::app::limits::Limit;
use crate::app::{AppError, Missing, PassError, Services};
use crate::domain::EventId;
use crate::domain::pass::PassCode;
use crate::inbound::{Client, path_param};

/// `{eventId}` in the path.
pub struct EventPath(pub EventId);

impl<S: Send + Sync> FromRequestParts<S> for EventPath {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        (path_param(parts, "eventId").await)
            .map(EventPath)
            .ok_or_else(|| failed(&AppError::NotFound(Missing::Event)))
    }
}

/// `{code}` of a pass in the path; anything not shaped like one is no pass of ours.
pub struct PassPath(pub PassCode);

impl<S: Send + Sync> FromRequestParts<S> for PassPath {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        (path_param(parts, "code").await)
            .map(PassPath)
            .ok_or_else(|| failed(&AppError::Pass(PassError::NotFound)))
    }
}

/// `{channel}` in the path, as written (the page decides what an unknown one means).
pub struct ChannelCode(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ChannelCode {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        (path_param(parts, "channel").await)
            .map(ChannelCode)
            .ok_or_else(|| failed(&AppError::NotFound(Missing::Channel)))
    }
}

/// A "try again later" page when the caller is over `limit`; `None` when admitted.
pub fn over_limit(s: &Services, client: &Client, limit: Limit) -> Option<Response> {
    client.admit(s, limit).err().map(|e| failed(&e))
}
