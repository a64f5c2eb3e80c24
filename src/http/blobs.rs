//! `GET /blobs/{*key}`: locally stored images, served by the binary itself (local mode; in
//! Azure, channels and browsers fetch them from Blob Storage).

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::adapters::local_blobs::{LocalBlobs, content_type_of};

pub fn routes(blobs: LocalBlobs) -> Router {
    Router::new()
        .route("/blobs/{*key}", get(serve))
        .with_state(blobs)
}

async fn serve(State(blobs): State<LocalBlobs>, Path(key): Path<String>) -> Response {
    match blobs.read(&key).await {
        Some(bytes) => (
            [
                (header::CONTENT_TYPE, content_type_of(&key)),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
