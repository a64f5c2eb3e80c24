//! `/api/events/{eventId}/images…`: request posters, list them with working URLs, select one.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody};
use super::extract::{AuthUser, EventIdPath, ImageIdPath, JsonOrDefault};
use super::jobs::{JobAccepted, accepted};
use crate::app::{AppError, Services, images};
use crate::domain::poster::{Image, ImageContent, PosterStyle};
use crate::domain::{Channel, FieldError};
use crate::ports::Blobs;

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImagesRequest {
    /// Channel codes; default: the event's channels (or INSTAGRAM, NAVER, KAKAO). RINGOBIZ gets
    /// a ringback-tone script instead of an image.
    #[schema(value_type = Option<Vec<Channel>>, example = json!(["INSTAGRAM", "KAKAO"]))]
    pub platforms: Option<Vec<String>>,
    /// BOLD (강렬한), SOFT (부드러운), SPLIT (모던); default: all three.
    #[schema(value_type = Option<Vec<PosterStyle>>, example = json!(["BOLD", "SOFT", "SPLIT"]))]
    pub styles: Option<Vec<String>>,
}

#[utoipa::path(post, path = "/api/events/{eventId}/images", operation_id = "events-images-create",
    tag = "images", security(("bearer" = [])), params(("eventId" = uuid::Uuid, Path)),
    request_body(content = ImagesRequest, description = "생략하면 기본값"),
    responses((status = 202, body = JobAccepted, description = "이미지 생성 작업 시작"),
        (status = 400, body = ErrorBody, description = "EVENT_006 / REQ_002"), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "EVENT_004 DRAFT가 아님")))]
pub async fn request_images(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
    JsonOrDefault(body): JsonOrDefault<ImagesRequest>,
) -> Result<(StatusCode, axum::Json<JobAccepted>), ApiError> {
    let parse = || -> Result<_, FieldError> {
        Ok((
            body.platforms
                .as_deref()
                .map(Channel::parse_set)
                .transpose()?,
            body.styles
                .as_deref()
                .map(|v| {
                    v.iter()
                        .map(|s| PosterStyle::parse(s))
                        .collect::<Result<Vec<_>, _>>()
                })
                .transpose()?,
        ))
    };
    let (platforms, styles) = parse().map_err(AppError::from)?;
    Ok(accepted(
        &images::request(&s, me, id, platforms, styles).await?,
    ))
}

/// What an image is: a poster, or RINGOBIZ's script.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ImageKind {
    Image,
    Script,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImageResponse {
    pub image_id: uuid::Uuid,
    pub platform: Channel,
    /// `IMAGE` (a PNG at `url`) or `SCRIPT` (RINGOBIZ: text to be read aloud, in `script`).
    pub kind: ImageKind,
    pub style: Option<PosterStyle>,
    pub style_label: Option<&'static str>,
    pub url: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub script: Option<String>,
    pub selected: bool,
    pub created_at: DateTime<Utc>,
}

fn response(i: Image, blobs: &dyn Blobs) -> ImageResponse {
    let mut r = ImageResponse {
        image_id: i.id.0,
        platform: i.platform,
        kind: ImageKind::Image,
        style: None,
        style_label: None,
        url: None,
        width: None,
        height: None,
        script: None,
        selected: i.selected,
        created_at: i.created_at,
    };
    match i.content {
        ImageContent::Poster {
            style,
            blob_key,
            width,
            height,
        } => {
            r.style = Some(style);
            r.style_label = Some(style.label());
            r.url = Some(blobs.url(&blob_key));
            r.width = Some(width);
            r.height = Some(height);
        }
        ImageContent::Script(text) => {
            r.kind = ImageKind::Script;
            r.script = Some(text);
        }
    }
    r
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImageList {
    pub event_id: uuid::Uuid,
    pub items: Vec<ImageResponse>,
}

#[utoipa::path(get, path = "/api/events/{eventId}/images", operation_id = "events-images-list",
    tag = "images", security(("bearer" = [])), params(("eventId" = uuid::Uuid, Path)),
    responses((status = 200, body = ImageList), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_images(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
) -> Result<axum::Json<ImageList>, ApiError> {
    let items = images::list(&s, me, id).await?;
    Ok(axum::Json(ImageList {
        event_id: id.0,
        items: items
            .into_iter()
            .map(|i| response(i, s.blobs.as_ref()))
            .collect(),
    }))
}

#[utoipa::path(put, path = "/api/events/{eventId}/images/{imageId}/select", operation_id = "events-images-select",
    tag = "images", security(("bearer" = [])),
    params(("eventId" = uuid::Uuid, Path), ("imageId" = uuid::Uuid, Path)),
    responses((status = 200, body = ImageResponse, description = "선택됨 (이벤트당 하나)"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody, description = "EVENT_003 / IMG_001"),
        (status = 409, body = ErrorBody, description = "EVENT_004 DRAFT가 아님")))]
pub async fn select_image(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
    ImageIdPath(image): ImageIdPath,
) -> Result<axum::Json<ImageResponse>, ApiError> {
    let chosen = images::select(&s, me, id, image).await?;
    Ok(axum::Json(response(chosen, s.blobs.as_ref())))
}
