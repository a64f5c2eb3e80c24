//! The `auth` area's table: failed-login counters, one row per throttled key. Counting is a
//! single atomic upsert.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{SqlStore, db_error, execute, on_pool};
use crate::ports::{LoginThrottleStore, StoreError};

#[async_trait]
impl LoginThrottleStore for SqlStore {
    async fn record_login_attempt(
        &self,
        key: &str,
        now: DateTime<Utc>,
        window_start: DateTime<Utc>,
    ) -> Result<(u32, u32), StoreError> {
        let (failures, rounds): (i64, i64) = on_pool!(self, |p| {
            sqlx::query_as(
                "INSERT INTO login_failures (key, failures, window_start_ms, locked_until_ms) \
                 VALUES ($1, 1, $2, NULL) \
                 ON CONFLICT (key) DO UPDATE SET \
                   failures = CASE WHEN login_failures.window_start_ms < $3 THEN 1 \
                                   ELSE login_failures.failures + 1 END, \
                   window_start_ms = CASE WHEN login_failures.window_start_ms < $3 THEN $2 \
                                          ELSE login_failures.window_start_ms END \
                 RETURNING CAST(failures AS BIGINT), CAST(lock_rounds AS BIGINT)",
            )
            .bind(key)
            .bind(now.timestamp_millis())
            .bind(window_start.timestamp_millis())
            .fetch_one(p)
            .await
        })
        .map_err(db_error)?;
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        Ok((count(failures), count(rounds)))
    }

    async fn lock_login(&self, key: &str, until: DateTime<Utc>) -> Result<(), StoreError> {
        on_pool!(self, |p| {
            // Counting restarts when the lock ends: the attempts that caused it are paid for; the
            // next round, if any, lasts longer.
            sqlx::query(
                "UPDATE login_failures SET locked_until_ms = $1, failures = 0, \
                 window_start_ms = $1, lock_rounds = lock_rounds + 1 WHERE key = $2",
            )
            .bind(until.timestamp_millis())
            .bind(key)
            .execute(p)
            .await
            .map(|_| ())
        })
        .map_err(db_error)
    }

    async fn login_locked_until(&self, key: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        let ms: Option<Option<i64>> = on_pool!(self, |p| {
            sqlx::query_scalar("SELECT locked_until_ms FROM login_failures WHERE key = $1")
                .bind(key)
                .fetch_optional(p)
                .await
        })
        .map_err(db_error)?;
        Ok(ms.flatten().and_then(DateTime::from_timestamp_millis))
    }

    async fn purge_login_failures(
        &self,
        before: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        execute!(
            self,
            "DELETE FROM login_failures WHERE window_start_ms < $1 \
                 AND (locked_until_ms IS NULL OR locked_until_ms < $2)",
            before.timestamp_millis(),
            now.timestamp_millis(),
        )
    }

    async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        execute!(self, "DELETE FROM login_failures WHERE key = $1", key,).map(|_| ())
    }
}
