//! Distributions and their posts. Every change of a post is an UPDATE guarded by the status and
//! attempt its writer read, so a redelivery or two workers never post twice or clobber a post.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::types::Json;
use uuid::Uuid;

use super::entries::insert_seed;
use super::tx::{Tx, insert_outbox, save_event, tx_execute};
use super::{SqlStore, db_error, execute, on_pool};
use crate::domain::distribution::{ChannelPost, ChannelStatus, Distribution, FailureKind, Review};
use crate::domain::{Channel, DistributionId, Event, EventId, OutboxMessage};
use crate::ports::{DistributionStore, SeedRecord, StoreError};

mod rows;

use rows::{POST_COLUMNS, PostRow, posts};

/// Inserts one post inside the caller's transaction.
async fn insert_post(tx: &mut Tx, p: &ChannelPost) -> Result<(), StoreError> {
    let sql = format!(
        "INSERT INTO distribution_posts ({POST_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, \
         $7, $8, $9, $10, $11, $12, $13, $14, $15)"
    );
    tx_execute!(
        tx,
        &sql,
        p.distribution_id.0,
        p.event_id.0,
        p.channel.code(),
        p.status.code(),
        i32::try_from(p.attempts).unwrap_or(i32::MAX),
        Json(&p.content),
        &p.external_id,
        &p.url,
        p.failure.map(FailureKind::code),
        &p.message,
        p.checkpoint.as_ref().map(Json),
        p.next_attempt_at,
        p.lease_until,
        p.updated_at,
        p.review.map(Review::code),
    )
    .map(|_| ())
}

impl SqlStore {
    async fn posts_where(&self, clause: &str, id: Uuid) -> Result<Vec<ChannelPost>, StoreError> {
        let sql = format!(
            "SELECT {POST_COLUMNS} FROM distribution_posts WHERE {clause} ORDER BY channel"
        );
        let rows: Vec<PostRow> =
            on_pool!(self, |p| sqlx::query_as(&sql).bind(id).fetch_all(p).await)
                .map_err(db_error)?;
        posts(rows)
    }

    async fn distribution_where(
        &self,
        clause: &str,
        id: Uuid,
    ) -> Result<Option<Distribution>, StoreError> {
        let sql = format!("SELECT id, event_id, created_at FROM distributions WHERE {clause}");
        let row: Option<(Uuid, Uuid, DateTime<Utc>)> = on_pool!(self, |p| sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(p)
            .await)
        .map_err(db_error)?;
        let Some((id, event_id, created_at)) = row else {
            return Ok(None);
        };
        Ok(Some(Distribution {
            id: DistributionId(id),
            event_id: EventId(event_id),
            created_at,
            channels: self.posts_where("distribution_id = $1", id).await?,
        }))
    }

    async fn posts_query(
        &self,
        sql: &str,
        at: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<ChannelPost>, StoreError> {
        let rows: Vec<PostRow> = on_pool!(self, |p| sqlx::query_as(sql)
            .bind(at)
            .bind(limit)
            .fetch_all(p)
            .await)
        .map_err(db_error)?;
        posts(rows)
    }
}

#[async_trait]
impl DistributionStore for SqlStore {
    async fn publish_event(
        &self,
        event: &Event,
        d: &Distribution,
        seed: &SeedRecord,
        messages: &[OutboxMessage],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        save_event(&mut tx, event).await?;
        tx_execute!(
            &mut tx,
            "INSERT INTO distributions (id, event_id, created_at) VALUES ($1, $2, $3)",
            d.id.0,
            d.event_id.0,
            d.created_at,
        )?;
        for post in &d.channels {
            insert_post(&mut tx, post).await?;
        }
        insert_seed(&mut tx, seed, false).await?;
        if let Some(m) = event.mechanic.as_ref().filter(|m| m.gives_pass()) {
            super::passes::insert_pass_count(&mut tx, event.id, m.cap()).await?;
        }
        for m in messages {
            insert_outbox(&mut tx, m).await?;
        }
        tx.commit().await
    }

    async fn distribution_of_event(
        &self,
        event: EventId,
    ) -> Result<Option<Distribution>, StoreError> {
        self.distribution_where("event_id = $1", event.0).await
    }

    async fn distribution_by_id(
        &self,
        id: DistributionId,
    ) -> Result<Option<Distribution>, StoreError> {
        self.distribution_where("id = $1", id.0).await
    }

    async fn claim_post(
        &self,
        id: DistributionId,
        channel: Channel,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Option<ChannelPost>, StoreError> {
        let sql = format!(
            "UPDATE distribution_posts SET status = 'IN_PROGRESS', attempts = attempts + 1, \
             lease_until = $1, updated_at = $2 \
             WHERE distribution_id = $3 AND channel = $4 AND status IN ('PENDING', 'SCHEDULED') \
             AND (next_attempt_at IS NULL OR next_attempt_at <= $2) RETURNING {POST_COLUMNS}"
        );
        let row: Option<PostRow> = on_pool!(self, |p| sqlx::query_as(&sql)
            .bind(lease_until)
            .bind(now)
            .bind(id.0)
            .bind(channel.code())
            .fetch_optional(p)
            .await)
        .map_err(db_error)?;
        row.map(ChannelPost::try_from).transpose()
    }

    async fn save_checkpoint(
        &self,
        id: DistributionId,
        channel: Channel,
        attempt: u32,
        checkpoint: &serde_json::Value,
    ) -> Result<bool, StoreError> {
        let sql = "UPDATE distribution_posts SET checkpoint = $1 WHERE distribution_id = $2 \
                   AND channel = $3 AND status = 'IN_PROGRESS' AND attempts = $4";
        let attempt = i32::try_from(attempt).unwrap_or(i32::MAX);
        let updated = execute!(self, sql, Json(checkpoint), id.0, channel.code(), attempt)?;
        Ok(updated == 1)
    }

    async fn renew_lease(
        &self,
        id: DistributionId,
        channel: Channel,
        attempt: u32,
        until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let sql = "UPDATE distribution_posts SET lease_until = $1 WHERE distribution_id = $2 \
                   AND channel = $3 AND status = 'IN_PROGRESS' AND attempts = $4";
        let attempt = i32::try_from(attempt).unwrap_or(i32::MAX);
        let updated = execute!(self, sql, until, id.0, channel.code(), attempt)?;
        Ok(updated == 1)
    }

    async fn abandon_post(
        &self,
        p: &ChannelPost,
        attempt: u32,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let sql = "UPDATE distribution_posts SET status = $1, message = $2, lease_until = NULL, \
                   updated_at = $3 WHERE distribution_id = $4 AND channel = $5 \
                   AND status = 'IN_PROGRESS' AND attempts = $6 AND lease_until < $3";
        let attempt = i32::try_from(attempt).unwrap_or(i32::MAX);
        let id = p.distribution_id.0;
        let updated = execute!(
            self,
            sql,
            p.status.code(),
            &p.message,
            now,
            id,
            p.channel.code(),
            attempt
        )?;
        Ok(updated == 1)
    }

    async fn update_post(
        &self,
        p: &ChannelPost,
        from: ChannelStatus,
        attempt: u32,
    ) -> Result<bool, StoreError> {
        // The checkpoint is written only by the attempt itself (`save_checkpoint`): a writer
        // holding an older copy of the post (the claimed one, read before the attempt saved a
        // new container) never puts an old checkpoint back.
        let sql = "UPDATE distribution_posts SET status = $1, external_id = $2, url = $3, \
                   failure = $4, message = $5, next_attempt_at = $6, \
                   lease_until = $7, updated_at = $8, review = $9 \
                   WHERE distribution_id = $10 AND channel = $11 AND status = $12 \
                   AND attempts = $13";
        let updated = execute!(
            self,
            sql,
            p.status.code(),
            &p.external_id,
            &p.url,
            p.failure.map(FailureKind::code),
            &p.message,
            p.next_attempt_at,
            p.lease_until,
            p.updated_at,
            p.review.map(Review::code),
            p.distribution_id.0,
            p.channel.code(),
            from.code(),
            i32::try_from(attempt).unwrap_or(i32::MAX),
        )?;
        Ok(updated == 1)
    }

    async fn due_posts(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<(DistributionId, Channel)>, StoreError> {
        let sql = format!(
            "SELECT {POST_COLUMNS} FROM distribution_posts \
             WHERE status IN ('PENDING', 'SCHEDULED') \
             AND (next_attempt_at IS NULL OR next_attempt_at <= $1) \
             ORDER BY updated_at LIMIT $2"
        );
        let due = self.posts_query(&sql, now, limit).await?;
        Ok(due
            .into_iter()
            .map(|p| (p.distribution_id, p.channel))
            .collect())
    }

    async fn abandoned_posts(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<ChannelPost>, StoreError> {
        let sql = format!(
            "SELECT {POST_COLUMNS} FROM distribution_posts \
             WHERE status = 'IN_PROGRESS' AND lease_until < $1 ORDER BY lease_until LIMIT $2"
        );
        self.posts_query(&sql, now, limit).await
    }

    async fn unknown_posts(
        &self,
        before: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<ChannelPost>, StoreError> {
        let sql = format!(
            "SELECT {POST_COLUMNS} FROM distribution_posts \
             WHERE status = 'UNKNOWN' AND updated_at < $1 ORDER BY updated_at LIMIT $2"
        );
        self.posts_query(&sql, before, limit).await
    }

    async fn reviewing_posts(
        &self,
        before: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<ChannelPost>, StoreError> {
        let sql = format!(
            "SELECT {POST_COLUMNS} FROM distribution_posts WHERE status = 'PUBLISHED' \
             AND review IN ('RECEIVED', 'REVIEWING') AND updated_at < $1 \
             ORDER BY updated_at LIMIT $2"
        );
        self.posts_query(&sql, before, limit).await
    }

    async fn announce_completion(
        &self,
        id: DistributionId,
        message: &OutboxMessage,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let first = tx_execute!(
            &mut tx,
            "UPDATE distributions SET announced_at = $1 WHERE id = $2 AND announced_at IS NULL",
            now,
            id.0,
        )?;
        if first != 1 {
            return Ok(false);
        }
        insert_outbox(&mut tx, message).await?;
        tx.commit().await?;
        Ok(true)
    }
}
