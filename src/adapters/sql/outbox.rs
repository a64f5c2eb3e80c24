//! The transactional outbox: rows written with the change they announce, delivered by a relay.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::types::Json;
use uuid::Uuid;

use super::tx::insert_outbox;
use super::{SqlStore, corrupt, db_error, execute, on_pool};
use crate::domain::{Destination, MessageId, MessageType, OutboxMessage};
use crate::ports::{OutboxStore, StoreError};

#[derive(sqlx::FromRow)]
struct OutboxRow {
    id: Uuid,
    destination: String,
    message_type: String,
    payload: Json<serde_json::Value>,
    attempts: i32,
    created_at: DateTime<Utc>,
}

fn messages(rows: Vec<OutboxRow>) -> Result<Vec<OutboxMessage>, StoreError> {
    rows.into_iter()
        .map(|r| {
            Ok(OutboxMessage {
                id: MessageId(r.id),
                destination: Destination::parse(&r.destination)
                    .ok_or_else(|| corrupt("destination"))?,
                message_type: MessageType::parse(&r.message_type)
                    .ok_or_else(|| corrupt("message_type"))?,
                payload: r.payload.0,
                attempts: u32::try_from(r.attempts).map_err(|_| corrupt("attempts"))?,
                created_at: r.created_at,
            })
        })
        .collect()
}

#[async_trait]
impl OutboxStore for SqlStore {
    async fn due_messages(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        let rows: Vec<OutboxRow> = on_pool!(self, |p| {
            sqlx::query_as(
                "SELECT id, destination, message_type, payload, attempts, created_at FROM outbox \
                 WHERE delivered_at IS NULL AND dead_at IS NULL AND available_at <= $1 \
                 ORDER BY available_at, id LIMIT $2",
            )
            .bind(now)
            .bind(limit)
            .fetch_all(p)
            .await
        })
        .map_err(db_error)?;
        messages(rows)
    }

    async fn due_messages_in(
        &self,
        now: DateTime<Utc>,
        limit: i64,
        destination: Destination,
        to: bool,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        let rows: Vec<OutboxRow> = on_pool!(self, |p| {
            sqlx::query_as(
                "SELECT id, destination, message_type, payload, attempts, created_at FROM outbox \
                 WHERE delivered_at IS NULL AND dead_at IS NULL AND available_at <= $1 \
                 AND (destination = $3) = $4 ORDER BY available_at, id LIMIT $2",
            )
            .bind(now)
            .bind(limit)
            .bind(destination.name())
            .bind(to)
            .fetch_all(p)
            .await
        })
        .map_err(db_error)?;
        messages(rows)
    }

    async fn claim_message(
        &self,
        id: MessageId,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Option<u32>, StoreError> {
        let attempts: Option<i32> = on_pool!(self, |p| {
            sqlx::query_scalar(
                "UPDATE outbox SET available_at = $1, attempts = attempts + 1 \
                 WHERE id = $2 AND delivered_at IS NULL AND dead_at IS NULL AND available_at <= $3 \
                 RETURNING attempts",
            )
            .bind(lease_until)
            .bind(id.0)
            .bind(now)
            .fetch_optional(p)
            .await
        })
        .map_err(db_error)?;
        Ok(attempts.map(|a| u32::try_from(a).unwrap_or(u32::MAX)))
    }

    async fn enqueue(&self, message: &OutboxMessage) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        insert_outbox(&mut tx, message).await?;
        tx.commit().await
    }

    async fn mark_delivered(&self, id: MessageId, now: DateTime<Utc>) -> Result<(), StoreError> {
        execute!(
            self,
            "UPDATE outbox SET delivered_at = $1 WHERE id = $2",
            now,
            id.0,
        )
        .map(|_| ())
    }

    async fn mark_retry(
        &self,
        id: MessageId,
        available_at: DateTime<Utc>,
        error: &str,
    ) -> Result<(), StoreError> {
        execute!(
            self,
            "UPDATE outbox SET available_at = $1, last_error = $2 WHERE id = $3",
            available_at,
            error,
            id.0,
        )
        .map(|_| ())
    }

    async fn mark_dead(
        &self,
        id: MessageId,
        now: DateTime<Utc>,
        error: &str,
    ) -> Result<(), StoreError> {
        execute!(
            self,
            "UPDATE outbox SET dead_at = $1, last_error = $2 WHERE id = $3",
            now,
            error,
            id.0,
        )
        .map(|_| ())
    }
}
