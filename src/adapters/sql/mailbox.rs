//! Mailed links' tokens (migration 0012): kept as hashes, used up once by one `UPDATE`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::tx::tx_execute;
use super::{SqlStore, db_error, execute, on_pool};
use crate::domain::UserId;
use crate::domain::mailbox::{MailPurpose, MailToken};
use crate::ports::{MailTokenStore, StoreError};

#[async_trait]
impl MailTokenStore for SqlStore {
    async fn save_mail_token(&self, t: &MailToken) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        // Earlier links stop working; rows that can no longer be used go.
        tx_execute!(
            &mut tx,
            "UPDATE mail_tokens SET used_at = $1 \
             WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL",
            t.created_at,
            t.user.0,
            t.purpose.code(),
        )?;
        tx_execute!(
            &mut tx,
            "DELETE FROM mail_tokens WHERE user_id = $1 AND expires_at < $2",
            t.user.0,
            t.created_at - chrono::Duration::days(1),
        )?;
        tx_execute!(
            &mut tx,
            "INSERT INTO mail_tokens (token_hash, user_id, purpose, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
            &t.hash,
            t.user.0,
            t.purpose.code(),
            t.created_at,
            t.expires_at,
        )?;
        tx.commit().await
    }

    async fn mail_tokens_since(
        &self,
        id: UserId,
        purpose: MailPurpose,
        since: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        on_pool!(self, |p| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM mail_tokens \
                 WHERE user_id = $1 AND purpose = $2 AND created_at >= $3",
            )
            .bind(id.0)
            .bind(purpose.code())
            .bind(since)
            .fetch_one(p)
            .await
        })
        .map_err(db_error)
    }

    async fn mail_token_owner(
        &self,
        purpose: MailPurpose,
        hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<UserId>, StoreError> {
        let found: Option<Uuid> = on_pool!(self, |p| {
            sqlx::query_scalar(
                "SELECT user_id FROM mail_tokens WHERE token_hash = $1 AND purpose = $2 \
                 AND used_at IS NULL AND expires_at > $3",
            )
            .bind(hash)
            .bind(purpose.code())
            .bind(now)
            .fetch_optional(p)
            .await
        })
        .map_err(db_error)?;
        Ok(found.map(UserId))
    }

    async fn take_mail_token(
        &self,
        purpose: MailPurpose,
        hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<UserId>, StoreError> {
        // One statement: of two requests with the same link, one gets the owner.
        let found: Option<Uuid> = on_pool!(self, |p| {
            sqlx::query_scalar(
                "UPDATE mail_tokens SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 \
                 AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
            )
            .bind(now)
            .bind(hash)
            .bind(purpose.code())
            .fetch_optional(p)
            .await
        })
        .map_err(db_error)?;
        Ok(found.map(UserId))
    }

    async fn mark_email_verified(&self, id: UserId, now: DateTime<Utc>) -> Result<(), StoreError> {
        execute!(
            self,
            "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1) WHERE id = $2",
            now,
            id.0,
        )?;
        Ok(())
    }
}
