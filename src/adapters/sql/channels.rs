//! Channel connections (their secrets stay sealed here) and OAuth login states.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::types::Json;
use uuid::Uuid;

use super::{SqlStore, corrupt, db_error, execute, on_pool};
use crate::domain::{Channel, UserId};
use crate::ports::{ChannelStore, Sealed, StoreError, StoredConnection};

const COLUMNS: &str = "user_id, channel, label, secret_key_id, secret_sealed, token_expires_at, \
     needs_reconnect, last_error, connected_at, updated_at";

#[derive(sqlx::FromRow)]
struct Row {
    user_id: Uuid,
    channel: String,
    label: Option<String>,
    secret_key_id: String,
    secret_sealed: Vec<u8>,
    token_expires_at: Option<DateTime<Utc>>,
    needs_reconnect: bool,
    last_error: Option<String>,
    connected_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<Row> for StoredConnection {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<Self, StoreError> {
        Ok(StoredConnection {
            owner: UserId(r.user_id),
            channel: Channel::parse(&r.channel).map_err(|_| corrupt("channel"))?,
            label: r.label,
            sealed: Sealed {
                key_id: r.secret_key_id,
                bytes: r.secret_sealed,
            },
            token_expires_at: r.token_expires_at,
            needs_reconnect: r.needs_reconnect,
            last_error: r.last_error,
            connected_at: r.connected_at,
            updated_at: r.updated_at,
        })
    }
}

#[async_trait]
impl ChannelStore for SqlStore {
    async fn save_connection(&self, c: &StoredConnection) -> Result<(), StoreError> {
        let sql = format!(
            "INSERT INTO channel_connections ({COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (user_id, channel) DO UPDATE SET label = excluded.label, \
             secret_key_id = excluded.secret_key_id, secret_sealed = excluded.secret_sealed, \
             token_expires_at = excluded.token_expires_at, \
             needs_reconnect = excluded.needs_reconnect, last_error = excluded.last_error, \
             connected_at = excluded.connected_at, updated_at = excluded.updated_at"
        );
        execute!(
            self,
            &sql,
            c.owner.0,
            c.channel.code(),
            &c.label,
            &c.sealed.key_id,
            &c.sealed.bytes,
            c.token_expires_at,
            c.needs_reconnect,
            &c.last_error,
            c.connected_at,
            c.updated_at,
        )
        .map(|_| ())
    }

    async fn connections_of(&self, owner: UserId) -> Result<Vec<StoredConnection>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM channel_connections WHERE user_id = $1");
        let rows: Vec<Row> = on_pool!(self, |p| sqlx::query_as(&sql)
            .bind(owner.0)
            .fetch_all(p)
            .await)
        .map_err(db_error)?;
        rows.into_iter().map(StoredConnection::try_from).collect()
    }

    async fn delete_connection(&self, owner: UserId, channel: Channel) -> Result<bool, StoreError> {
        let sql = "DELETE FROM channel_connections WHERE user_id = $1 AND channel = $2";
        Ok(execute!(self, sql, owner.0, channel.code())? == 1)
    }

    async fn mark_needs_reconnect(
        &self,
        owner: UserId,
        channel: Channel,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE channel_connections SET needs_reconnect = $1, last_error = $2, \
                   updated_at = $3 WHERE user_id = $4 AND channel = $5";
        execute!(self, sql, true, error, now, owner.0, channel.code()).map(|_| ())
    }

    async fn connections_expiring(
        &self,
        channel: Channel,
        before: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<StoredConnection>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM channel_connections WHERE channel = $1 \
             AND token_expires_at < $2 AND needs_reconnect = $3 \
             ORDER BY token_expires_at LIMIT $4"
        );
        let rows: Vec<Row> = on_pool!(self, |p| sqlx::query_as(&sql)
            .bind(channel.code())
            .bind(before)
            .bind(false)
            .bind(limit)
            .fetch_all(p)
            .await)
        .map_err(db_error)?;
        rows.into_iter().map(StoredConnection::try_from).collect()
    }

    async fn save_oauth_state(
        &self,
        state_hash: &str,
        owner: UserId,
        channel: Channel,
        params: &serde_json::Value,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO oauth_states (state_hash, user_id, channel, params, expires_at) \
                   VALUES ($1, $2, $3, $4, $5)";
        let params = Json(params);
        execute!(
            self,
            sql,
            state_hash,
            owner.0,
            channel.code(),
            params,
            expires_at
        )
        .map(|_| ())
    }

    async fn take_oauth_state(
        &self,
        state_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(UserId, Channel, serde_json::Value)>, StoreError> {
        // Deleting is taking: a state works once, however many callbacks race for it.
        let taken: Option<(Uuid, String, Json<serde_json::Value>, DateTime<Utc>)> =
            on_pool!(self, |p| sqlx::query_as(
                "DELETE FROM oauth_states WHERE state_hash = $1 \
                 RETURNING user_id, channel, params, expires_at"
            )
            .bind(state_hash)
            .fetch_optional(p)
            .await)
            .map_err(db_error)?;
        let Some((owner, channel, params, expires_at)) = taken else {
            return Ok(None);
        };
        if expires_at <= now {
            return Ok(None);
        }
        let channel = Channel::parse(&channel).map_err(|_| corrupt("channel"))?;
        Ok(Some((UserId(owner), channel, params.0)))
    }
}
