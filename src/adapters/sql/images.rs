//! Promotional images and ringback scripts of an event.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::tx::{complete_with, tx_execute};
use super::{SqlStore, corrupt, db_error, on_pool};
use crate::domain::job::Job;
use crate::domain::poster::{Image, ImageContent, PosterStyle};
use crate::domain::{Channel, EventId, ImageId, JobId};
use crate::ports::{Completion, ImageStore, StoreError};

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
    painted_text: Option<String>,
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
            painted_text: r.painted_text,
        })
    }
}

const INSERT_IMAGE: &str = "INSERT INTO images (id, event_id, job_id, platform, style, kind, \
     blob_key, width, height, script, selected, created_at, painted_text) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";

/// The columns that depend on what an image holds: a poster or a script.
struct Columns<'a> {
    kind: &'static str,
    style: Option<&'static str>,
    blob_key: Option<&'a str>,
    width: Option<i32>,
    height: Option<i32>,
    script: Option<&'a str>,
}

impl<'a> Columns<'a> {
    fn of(image: &'a Image) -> Self {
        match &image.content {
            ImageContent::Poster {
                style,
                blob_key,
                width,
                height,
            } => Self {
                kind: "IMAGE",
                style: Some(style.code()),
                blob_key: Some(blob_key),
                width: i32::try_from(*width).ok(),
                height: i32::try_from(*height).ok(),
                script: None,
            },
            ImageContent::Script(s) => Self {
                kind: "SCRIPT",
                style: None,
                blob_key: None,
                width: None,
                height: None,
                script: Some(s),
            },
        }
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
    ) -> Result<Completion, StoreError> {
        complete_with(self, job, "images", note, now, async |tx| {
            for i in images {
                let c = Columns::of(i);
                tx_execute!(
                    tx,
                    INSERT_IMAGE,
                    i.id.0,
                    i.event_id.0,
                    i.job_id.0,
                    i.platform.code(),
                    c.style,
                    c.kind,
                    c.blob_key,
                    c.width,
                    c.height,
                    c.script,
                    i.selected,
                    i.created_at,
                    &i.painted_text,
                )?;
            }
            Ok(())
        })
        .await
    }

    async fn images_of_event(&self, event: EventId) -> Result<Vec<Image>, StoreError> {
        let rows: Vec<ImageRow> = on_pool!(self, |p| {
            sqlx::query_as(
                "SELECT id, event_id, job_id, platform, style, kind, blob_key, width, height, \
                 script, selected, created_at, painted_text FROM images WHERE event_id = $1 \
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
