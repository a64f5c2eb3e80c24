//! A transaction on either backend, and the statements several operations write inside one
//! (an outbox message with its change, a job's completion with its results, an event's save).
//! Each is a function over `&mut Tx`; `on_tx!` only picks the backend's connection.

use chrono::{DateTime, Utc};

use super::{SqlStore, db_error};
use crate::domain::job::Job;
use crate::domain::{Event, JobId, OutboxMessage};
use crate::ports::{Completion, StoreError};

/// An open transaction; dropped without `commit`, it rolls back.
pub(crate) enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// Runs `$body` with `$c` bound to the transaction's connection of either backend.
macro_rules! on_tx {
    ($tx:expr, |$c:ident| $body:expr) => {
        match $tx {
            $crate::adapters::sql::tx::Tx::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            $crate::adapters::sql::tx::Tx::Postgres(t) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}
pub(crate) use on_tx;

/// Runs one statement with its parameters inside the transaction; the rows it touched.
macro_rules! tx_execute {
    ($tx:expr, $sql:expr $(, $arg:expr)* $(,)?) => {
        $crate::adapters::sql::tx::on_tx!($tx, |c| sqlx::query($sql)
            $(.bind($arg))*
            .execute(c)
            .await
            .map(|r| r.rows_affected()))
        .map_err($crate::adapters::sql::db_error)
    };
}
pub(crate) use tx_execute;

impl SqlStore {
    pub(crate) async fn begin(&self) -> Result<Tx, StoreError> {
        match &self.pool {
            super::Pool::Sqlite(p) => p.begin().await.map(Tx::Sqlite),
            super::Pool::Postgres(p) => p.begin().await.map(Tx::Postgres),
        }
        .map_err(db_error)
    }
}

impl Tx {
    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
        .map_err(db_error)
    }
}

/// Writes an outbox message inside the transaction of the change it announces.
pub(crate) async fn insert_outbox(tx: &mut Tx, m: &OutboxMessage) -> Result<(), StoreError> {
    tx_execute!(
        tx,
        "INSERT INTO outbox (id, destination, message_type, payload, attempts, available_at, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
        m.id.0,
        m.destination.name(),
        m.message_type.code(),
        sqlx::types::Json(&m.payload),
        i32::try_from(m.attempts).unwrap_or(i32::MAX),
        m.created_at,
    )
    .map(|_| ())
}

/// Completes a job, guarded by its status: `false` when it was already finished. Finishing
/// first makes a second delivery a no-op even when two deliveries race: only one of them can
/// move the job out of PROCESSING.
pub(crate) async fn finish_job(
    tx: &mut Tx,
    id: JobId,
    result_key: Option<String>,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let affected = tx_execute!(
        tx,
        "UPDATE jobs SET status = 'COMPLETED', progress = 100, result_key = $1, note = $2, \
         updated_at = $3, finished_at = $3 \
         WHERE id = $4 AND status IN ('PENDING', 'PROCESSING')",
        result_key,
        note,
        now,
        id.0,
    )?;
    Ok(affected == 1)
}

/// Whether a job's results may replace the event's: `Some(why not)` when the event is no longer
/// a DRAFT or a newer job of the same kind has completed. The no-op UPDATE takes the event's
/// row lock (PostgreSQL), so two completions for one event run one after the other instead of
/// both deleting and both inserting.
pub(crate) async fn refuse_results(
    tx: &mut Tx,
    job: &Job,
) -> Result<Option<Completion>, StoreError> {
    let draft = tx_execute!(
        tx,
        "UPDATE events SET version = version WHERE id = $1 AND status = 'DRAFT'",
        job.event_id.0,
    )?;
    let newer: i64 = on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM jobs WHERE event_id = $1 AND job_type = $2 \
         AND status = 'COMPLETED' AND created_at > $3",
    )
    .bind(job.event_id.0)
    .bind(job.job_type().code())
    .bind(job.created_at)
    .fetch_one(c)
    .await)
    .map_err(db_error)?;
    Ok(if draft != 1 {
        Some(Completion::EventNotDraft)
    } else if newer > 0 {
        Some(Completion::Superseded)
    } else {
        None
    })
}

/// Completes `job` and replaces the event's rows of `table` with what `insert` writes, in one
/// transaction, unless the results are refused or the job had finished. The result key is
/// `<table>/<event id>`.
pub(crate) async fn complete_with(
    store: &SqlStore,
    job: &Job,
    table: &'static str,
    note: Option<&str>,
    now: DateTime<Utc>,
    insert: impl AsyncFnOnce(&mut Tx) -> Result<(), StoreError>,
) -> Result<Completion, StoreError> {
    let mut tx = store.begin().await?;
    if let Some(refused) = refuse_results(&mut tx, job).await? {
        return Ok(refused);
    }
    let key = format!("{table}/{}", job.event_id);
    if !finish_job(&mut tx, job.id, Some(key), note, now).await? {
        return Ok(Completion::AlreadyFinished);
    }
    let delete = format!("DELETE FROM {table} WHERE event_id = $1");
    tx_execute!(&mut tx, &delete, job.event_id.0)?;
    insert(&mut tx).await?;
    tx.commit().await?;
    Ok(Completion::Stored)
}

/// Saves every mutable field of an event read at `e.version`: `Conflict` if someone else saved
/// it in between. Returns it with its new version.
pub(crate) async fn save_event(tx: &mut Tx, e: &Event) -> Result<Event, StoreError> {
    use super::events::{SAVE_EVENT, channel_codes, industry_kind};
    let affected = tx_execute!(
        tx,
        SAVE_EVENT,
        e.status.code(),
        &e.name,
        &e.description,
        &e.prize,
        e.budget,
        e.start_date,
        e.end_date,
        channel_codes(e),
        e.updated_at,
        e.published_at,
        e.ended_at,
        e.promotion_type.map(|t| t.code()),
        industry_kind(e),
        e.prize_value,
        e.mechanic.as_ref().map(sqlx::types::Json),
        e.id.0,
        e.owner.0,
        e.version,
        e.objective.code(),
    )?;
    if affected != 1 {
        return Err(StoreError::Conflict);
    }
    Ok(Event {
        version: e.version + 1,
        ..e.clone()
    })
}
