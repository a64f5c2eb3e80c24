//! Promotional images and ringback scripts of an event.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::jobs::{Guard, finish_job, guard_results, settle_unwritten};
use super::{SqlStore, corrupt, db_error, on_pool};
use crate::domain::job::Job;
use crate::domain::poster::{Image, ImageContent, PosterStyle};
use crate::domain::{Channel, EventId, ImageId, JobId};
use crate::ports::{ImageStore, StoreError};

#[derive(sqlx::FromRow)]
struct ImageRow {
    id: Uuid,
    event_id: Uuid,
    job_id: Uuid,
    platform: String,
    style: Option<String>,
    kind: String,
    blob_key: Option<String>,
    width: Option<i32>,
    height: Option<i32>,
    script: Option<String>,
    selected: bool,
    created_at: DateTime<Utc>,
}

impl TryFrom<ImageRow> for Image {
    type Error = StoreError;
    fn try_from(r: ImageRow) -> Result<Self, StoreError> {
        let content = match (
            r.kind.as_str(),
            r.style,
            r.blob_key,
            r.width,
            r.height,
            r.script,
        ) {
            ("IMAGE", Some(style), Some(blob_key), Some(w), Some(h), _) => ImageContent::Poster {
                style: PosterStyle::parse(&style).map_err(|_| corrupt("image style"))?,
                blob_key,
                width: u32::try_from(w).map_err(|_| corrupt("width"))?,
                height: u32::try_from(h).map_err(|_| corrupt("height"))?,
            },
            ("SCRIPT", _, _, _, _, Some(script)) => ImageContent::Script(script),
            _ => return Err(corrupt("image row")),
        };
        Ok(Image {
            id: ImageId(r.id),
            event_id: EventId(r.event_id),
            job_id: JobId(r.job_id),
            platform: Channel::parse(&r.platform).map_err(|_| corrupt("platform"))?,
            content,
            selected: r.selected,
            created_at: r.created_at,
        })
    }
}

#[async_trait]
impl ImageStore for SqlStore {
    async fn complete_image_job(
        &self,
        job: &Job,
        images: &[Image],
        note: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        on_pool!(self, |p| {
            let mut tx = p.begin().await.map_err(db_error)?;
            let guard = guard_results!(tx, job);
            if !matches!(guard, Guard::Write) {
                settle_unwritten!(tx, job, guard, now)?;
                tx.commit().await.map_err(db_error)?;
                return Ok(false);
            }
            if !finish_job!(&mut *tx, job, format!("images/{}", job.event_id), note, now)? {
                return Ok(false);
            }
            sqlx::query("DELETE FROM images WHERE event_id = $1")
                .bind(job.event_id.0)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            for i in images {
                let (kind, style, key, w, h, script) = match &i.content {
                    ImageContent::Poster {
                        style,
                        blob_key,
                        width,
                        height,
                    } => (
                        "IMAGE",
                        Some(style.code()),
                        Some(blob_key.as_str()),
                        i32::try_from(*width).ok(),
                        i32::try_from(*height).ok(),
                        None,
                    ),
                    ImageContent::Script(s) => ("SCRIPT", None, None, None, None, Some(s.as_str())),
                };
                sqlx::query(
                    "INSERT INTO images (id, event_id, job_id, platform, style, kind, blob_key, \
                     width, height, script, selected, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                )
                .bind(i.id.0)
                .bind(i.event_id.0)
                .bind(i.job_id.0)
                .bind(i.platform.code())
                .bind(style)
                .bind(kind)
                .bind(key)
                .bind(w)
                .bind(h)
                .bind(script)
                .bind(i.selected)
                .bind(i.created_at)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            }
            tx.commit().await.map_err(db_error)?;
            Ok(true)
        })
    }

    async fn images_of_event(&self, event: EventId) -> Result<Vec<Image>, StoreError> {
        let rows: Vec<ImageRow> = on_pool!(self, |p| {
            sqlx::query_as(
                "SELECT id, event_id, job_id, platform, style, kind, blob_key, width, height, \
                 script, selected, created_at FROM images WHERE event_id = $1 \
                 ORDER BY platform, style, id",
            )
            .bind(event.0)
            .fetch_all(p)
            .await
        })
        .map_err(db_error)?;
        rows.into_iter().map(Image::try_from).collect()
    }

    async fn select_image(&self, event: EventId, image: ImageId) -> Result<bool, StoreError> {
        on_pool!(self, |p| {
            let mut tx = p.begin().await.map_err(db_error)?;
            sqlx::query("UPDATE images SET selected = $1 WHERE event_id = $2 AND selected = $3")
                .bind(false)
                .bind(event.0)
                .bind(true)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            let found =
                sqlx::query("UPDATE images SET selected = $1 WHERE id = $2 AND event_id = $3")
                    .bind(true)
                    .bind(image.0)
                    .bind(event.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?
                    .rows_affected();
            if found != 1 {
                return Ok(false);
            }
            tx.commit().await.map_err(db_error)?;
            Ok(true)
        })
    }
}
