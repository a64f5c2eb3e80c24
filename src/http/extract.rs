//! Extractors that turn every malformed request into our error shape (never axum's defaults,
//! which answer 422 with plain text).

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use super::error::ApiError;
use crate::app::limits::Limit;
use crate::app::{AppError, AuthError, Missing, PassError, Services, auth};
use crate::domain::field::IdempotencyKey;
use crate::domain::pass::PassCode;
use crate::domain::{Channel, EventId, ImageId, JobId, UserId};
use crate::inbound::{Client, path_param};

/// A JSON body: `application/json`, within the body limit, well-formed, matching `T` exactly
/// (DTOs deny unknown fields).
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|mime| {
                let mime = mime.trim().to_ascii_lowercase();
                mime == "application/json" || mime.ends_with("+json")
            })
            .unwrap_or(false);
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::MalformedJson {
                    reason: "body could not be read".to_owned(),
                }
            }
        })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Like `ApiJson`, but an empty body (no body at all) means `T::default()`.
pub struct JsonOrDefault<T>(pub T);

impl<S, T> FromRequest<S> for JsonOrDefault<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Default,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let empty = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() == "0")
            || (req.headers().get(header::CONTENT_LENGTH).is_none()
                && req.headers().get(header::TRANSFER_ENCODING).is_none());
        if empty {
            return Ok(Self(T::default()));
        }
        ApiJson::<T>::from_request(req, state)
            .await
            .map(|ApiJson(v)| Self(v))
    }
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::MalformedJson {
            reason: "empty body".to_owned(),
        });
    }
    // Syntax first, so that `{} trailing` is malformed JSON rather than a missing field.
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes).map_err(|e| {
        ApiError::MalformedJson {
            reason: e.to_string(),
        }
    })?;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let reason = inner.to_string();
        // serde reports a missing field at its parent's path; name the field itself.
        let missing = reason
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next());
        let field = match (path.as_str(), missing) {
            (".", Some(name)) => name.to_owned(),
            (parent, Some(name)) => format!("{parent}.{name}"),
            (".", None) => String::new(),
            (p, None) => p.to_owned(),
        };
        ApiError::InvalidBody { field, reason }
    })?;
    Ok(value)
}

/// Query parameters; a value of the wrong type is a 400 with our shape.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| ApiQuery(v))
            .map_err(|r| ApiError::InvalidQuery {
                field: String::new(),
                reason: r.body_text(),
            })
    }
}

/// The authenticated owner, from `Authorization: Bearer <jwt>`; the app decides whether the
/// token stands for anyone.
pub struct AuthUser(pub UserId);

impl FromRequestParts<Services> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, s: &Services) -> Result<Self, ApiError> {
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or(ApiError::MissingToken)?;
        let invalid = || ApiError::from(AuthError::Unauthenticated);
        let value = value.to_str().map_err(|_| invalid())?.trim();
        let (scheme, token) = value.split_once(' ').ok_or_else(invalid)?;
        if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
            return Err(invalid());
        }
        Ok(AuthUser(auth::authenticate(s, token.trim()).await?))
    }
}

/// Marks a public route: one call taken from the caller's address's budget, or 429.
macro_rules! quota {
    ($(#[$doc:meta])* $name:ident, $limit:expr) => {
        $(#[$doc])*
        pub struct $name;

        impl FromRequestParts<Services> for $name {
            type Rejection = ApiError;

            async fn from_request_parts(parts: &mut Parts, s: &Services) -> Result<Self, ApiError> {
                let Ok(client) = Client::from_request_parts(parts, s).await;
                client.admit(s, $limit).map(|()| $name).map_err(ApiError::App)
            }
        }
    };
}

quota!(
    /// Entries from one address.
    EntryQuota, Limit::Entries
);
quota!(
    /// Public page and proof reads from one address.
    ReadQuota, Limit::Reads
);
quota!(
    /// Logins from one address.
    LoginQuota, Limit::Logins
);
quota!(
    /// Sign-ups from one address.
    SignupQuota, Limit::Signups
);

/// `Idempotency-Key`: a client's own key for one entry, so that retrying after a lost answer
/// gets the original answer. 1–200 visible ASCII characters.
pub struct IdempotencyKeyHeader(pub Option<IdempotencyKey>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKeyHeader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let Some(value) = parts.headers.get("idempotency-key") else {
            return Ok(Self(None));
        };
        let key = value
            .to_str()
            .ok()
            .and_then(|k| IdempotencyKey::parse(k).ok());
        match key {
            Some(k) => Ok(Self(Some(k))),
            None => Err(ApiError::InvalidHeader {
                header: "Idempotency-Key",
            }),
        }
    }
}

/// Extractors for an id in the path. Anything that is not an id cannot be one of ours: 404,
/// like an id that does not exist or is not the owner's.
macro_rules! path_id {
    ($(#[$doc:meta])* $extractor:ident($id:ty), $param:literal, $missing:expr) => {
        $(#[$doc])*
        pub struct $extractor(pub $id);

        impl<S: Send + Sync> FromRequestParts<S> for $extractor {
            type Rejection = ApiError;

            async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
                let _ = state;
                path_param(parts, $param)
                    .await
                    .map($extractor)
                    .ok_or(ApiError::App($missing))
            }
        }
    };
}

path_id!(
    /// `{eventId}` in the path.
    EventIdPath(EventId), "eventId", AppError::NotFound(Missing::Event)
);
path_id!(
    /// `{imageId}` in the path.
    ImageIdPath(ImageId), "imageId", AppError::NotFound(Missing::Image)
);
path_id!(
    /// `{jobId}` in the path.
    JobIdPath(JobId), "jobId", AppError::NotFound(Missing::Job)
);
path_id!(
    /// `{channel}` in the path: a channel code, any case.
    ChannelPath(Channel), "channel", AppError::NotFound(Missing::Channel)
);
path_id!(
    /// `{code}` of a pass in the path; anything not shaped like one is no pass of ours.
    PassCodePath(PassCode), "code", AppError::Pass(PassError::NotFound)
);

/// For optional fields where `null` means "clear" and absence means "keep":
/// use with `#[serde(default, deserialize_with = "nullable")]` on an `Option<Option<T>>`.
pub fn nullable<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}
