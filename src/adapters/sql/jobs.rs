//! Jobs, created together with the outbox message that runs them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::types::Json;
use uuid::Uuid;

use super::{SqlStore, corrupt, db_error, execute, on_pool};
use crate::domain::job::{Job, JobRequest, JobStatus, JobType};
use crate::domain::promotion::Recommendation;
use crate::domain::{EventId, JobId, OutboxMessage, UserId};
use crate::ports::{Completion, JobStore, StoreError};

const JOB_COLUMNS: &str = "id, user_id, event_id, job_type, status, progress, deliveries, \
     request, result_key, error_message, note, created_at, updated_at, finished_at";

#[derive(sqlx::FromRow)]
struct JobRow {
    id: Uuid,
    user_id: Uuid,
    event_id: Uuid,
    job_type: String,
    status: String,
    progress: i32,
    deliveries: i32,
    request: Json<serde_json::Value>,
    result_key: Option<String>,
    error_message: Option<String>,
    note: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
}

impl TryFrom<JobRow> for Job {
    type Error = StoreError;
    fn try_from(r: JobRow) -> Result<Self, StoreError> {
        let job_type = JobType::from_code(&r.job_type).ok_or_else(|| corrupt("job_type"))?;
        Ok(Job {
            id: JobId(r.id),
            owner: UserId(r.user_id),
            event_id: EventId(r.event_id),
            request: JobRequest::from_json(job_type, r.request.0)
                .ok_or_else(|| corrupt("job request"))?,
            status: JobStatus::from_code(&r.status).ok_or_else(|| corrupt("job status"))?,
            progress: u8::try_from(r.progress).map_err(|_| corrupt("progress"))?,
            deliveries: u32::try_from(r.deliveries).map_err(|_| corrupt("deliveries"))?,
            result_key: r.result_key,
            error_message: r.error_message,
            note: r.note,
            created_at: r.created_at,
            updated_at: r.updated_at,
            finished_at: r.finished_at,
        })
    }
}

/// Completes a job inside the caller's transaction, guarded by its status: `Ok(false)` when it
/// was already finished. Finishing first makes a second delivery a no-op even when two
/// deliveries race: only one of them can move the job out of PROCESSING.
macro_rules! finish_job {
    ($conn:expr, $id:expr, $result_key:expr, $note:expr, $now:expr) => {
        sqlx::query(
            "UPDATE jobs SET status = 'COMPLETED', progress = 100, result_key = $1, note = $2, \
             updated_at = $3, finished_at = $3 \
             WHERE id = $4 AND status IN ('PENDING', 'PROCESSING')",
        )
        .bind($result_key)
        .bind($note)
        .bind($now)
        .bind($id.0)
        .execute($conn)
        .await
        .map(|r| r.rows_affected() == 1)
        .map_err($crate::adapters::sql::db_error)
    };
}
pub(crate) use finish_job;

/// Checks, inside the caller's transaction, that a job's results may replace the event's:
/// `Some(why not)` when the event is no longer a DRAFT or a newer job of the same kind has
/// completed. The no-op UPDATE takes the event's row lock (PostgreSQL), so two completions for
/// one event run one after the other instead of both deleting and both inserting.
macro_rules! refuse_results {
    ($tx:expr, $job:expr) => {{
        let draft =
            sqlx::query("UPDATE events SET version = version WHERE id = $1 AND status = 'DRAFT'")
                .bind($job.event_id.0)
                .execute(&mut *$tx)
                .await
                .map_err($crate::adapters::sql::db_error)?
                .rows_affected();
        let newer: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM jobs WHERE event_id = $1 AND job_type = $2 \
             AND status = 'COMPLETED' AND created_at > $3",
        )
        .bind($job.event_id.0)
        .bind($job.job_type().code())
        .bind($job.created_at)
        .fetch_one(&mut *$tx)
        .await
        .map_err($crate::adapters::sql::db_error)?;
        if draft != 1 {
            Some($crate::ports::Completion::EventNotDraft)
        } else if newer > 0 {
            Some($crate::ports::Completion::Superseded)
        } else {
            None
        }
    }};
}
pub(crate) use refuse_results;

/// Completes `$job` and replaces the event's rows of `$table` with what `$insert` writes, in
/// one transaction, unless the results are refused (`refuse_results!`) or the job had finished.
/// The result key is `<table>/<event id>`.
macro_rules! complete_with {
    ($self:expr, $job:expr, $table:literal, $note:expr, $now:expr, |$tx:ident| $insert:block) => {
        $crate::adapters::sql::on_pool!($self, |p| {
            let mut $tx = p.begin().await.map_err($crate::adapters::sql::db_error)?;
            if let Some(refused) = $crate::adapters::sql::jobs::refuse_results!($tx, $job) {
                return Ok(refused);
            }
            let key = format!("{}/{}", $table, $job.event_id);
            if !$crate::adapters::sql::jobs::finish_job!(&mut *$tx, $job.id, Some(key), $note, $now)? {
                return Ok($crate::ports::Completion::AlreadyFinished);
            }
            sqlx::query(concat!("DELETE FROM ", $table, " WHERE event_id = $1"))
                .bind($job.event_id.0)
                .execute(&mut *$tx)
                .await
                .map_err($crate::adapters::sql::db_error)?;
            $insert
            $tx.commit().await.map_err($crate::adapters::sql::db_error)?;
            Ok($crate::ports::Completion::Stored)
        })
    };
}
pub(crate) use complete_with;

/// Inserts an outbox row with the given executor (inside the caller's transaction).
macro_rules! insert_outbox {
    ($conn:expr, $m:expr) => {
        sqlx::query(
            "INSERT INTO outbox (id, destination, message_type, payload, attempts, available_at, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind($m.id.0)
        .bind($m.destination.name())
        .bind($m.message_type.code())
        .bind(sqlx::types::Json(&$m.payload))
        .bind(i32::try_from($m.attempts).unwrap_or(i32::MAX))
        .bind($m.created_at)
        .execute($conn)
        .await
    };
}
pub(crate) use insert_outbox;

impl SqlStore {
    async fn job(&self, id: JobId) -> Result<Option<Job>, StoreError> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1");
        let row: Option<JobRow> = on_pool!(self, |p| sqlx::query_as(&sql)
            .bind(id.0)
            .fetch_optional(p)
            .await)
        .map_err(db_error)?;
        row.map(Job::try_from).transpose()
    }
}

#[async_trait]
impl JobStore for SqlStore {
    async fn insert_job(&self, job: &Job, message: &OutboxMessage) -> Result<(), StoreError> {
        let sql = format!(
            "INSERT INTO jobs ({JOB_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
             $11, $12, $13, $14)"
        );
        on_pool!(self, |p| {
            let mut tx = p.begin().await.map_err(db_error)?;
            sqlx::query(&sql)
                .bind(job.id.0)
                .bind(job.owner.0)
                .bind(job.event_id.0)
                .bind(job.job_type().code())
                .bind(job.status.code())
                .bind(i32::from(job.progress))
                .bind(i32::try_from(job.deliveries).unwrap_or(i32::MAX))
                .bind(Json(job.request.to_json()))
                .bind(&job.result_key)
                .bind(&job.error_message)
                .bind(&job.note)
                .bind(job.created_at)
                .bind(job.updated_at)
                .bind(job.finished_at)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            insert_outbox!(&mut *tx, message).map_err(db_error)?;
            tx.commit().await.map_err(db_error)
        })
    }

    async fn jobs_created_since(
        &self,
        owner: UserId,
        job_type: JobType,
        since: DateTime<Utc>,
    ) -> Result<u32, StoreError> {
        let n: i64 = on_pool!(self, |p| {
            sqlx::query_scalar(
            "SELECT COUNT(*) FROM jobs WHERE user_id = $1 AND job_type = $2 AND created_at >= $3"
        )
        .bind(owner.0)
        .bind(job_type.code())
        .bind(since)
        .fetch_one(p)
        .await
        })
        .map_err(db_error)?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    async fn job_of_owner(&self, owner: UserId, id: JobId) -> Result<Option<Job>, StoreError> {
        Ok(self.job(id).await?.filter(|j| j.owner == owner))
    }

    async fn start_job_delivery(
        &self,
        id: JobId,
        now: DateTime<Utc>,
    ) -> Result<Option<Job>, StoreError> {
        execute!(
            self,
            "UPDATE jobs SET deliveries = deliveries + 1, status = 'PROCESSING', \
                 progress = CASE WHEN progress < 10 THEN 10 ELSE progress END, updated_at = $1 \
                 WHERE id = $2 AND status IN ('PENDING', 'PROCESSING')",
            now,
            id.0,
        )
        .map(|_| ())?;
        self.job(id).await
    }

    async fn set_job_progress(
        &self,
        id: JobId,
        progress: u8,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        execute!(
            self,
            "UPDATE jobs SET progress = $1, updated_at = $2 \
                 WHERE id = $3 AND status = 'PROCESSING' AND progress < $1",
            i32::from(progress.min(99)),
            now,
            id.0,
        )
        .map(|_| ())
    }

    async fn complete_recommendation_job(
        &self,
        job: &Job,
        recommendations: &[Recommendation],
        note: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Completion, StoreError> {
        complete_with!(self, job, "recommendations", note, now, |tx| {
            for r in recommendations {
                sqlx::query(
                    "INSERT INTO recommendations (id, event_id, job_id, rank, promotion_type, \
                     plan, selected, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(r.id.0)
                .bind(r.event_id.0)
                .bind(r.job_id.0)
                .bind(i32::from(r.rank))
                .bind(r.plan.promotion_type.code())
                .bind(Json(&r.plan))
                .bind(r.selected)
                .bind(r.created_at)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            }
        })
    }

    async fn complete_job(
        &self,
        id: JobId,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        on_pool!(self, |p| finish_job!(
            p,
            id,
            None::<String>,
            Some(note),
            now
        ))
    }

    async fn fail_stale_jobs(
        &self,
        updated_before: DateTime<Utc>,
        message: &str,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        execute!(
            self,
            "UPDATE jobs SET status = 'FAILED', error_message = $1, updated_at = $2, \
                 finished_at = $2 WHERE status IN ('PENDING', 'PROCESSING') AND updated_at < $3",
            message,
            now,
            updated_before,
        )
    }

    async fn fail_job(
        &self,
        id: JobId,
        message: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let affected = execute!(
            self,
            "UPDATE jobs SET status = 'FAILED', error_message = $1, updated_at = $2, \
                 finished_at = $2 WHERE id = $3 AND status IN ('PENDING', 'PROCESSING')",
            message,
            now,
            id.0,
        )?;
        Ok(affected == 1)
    }
}
