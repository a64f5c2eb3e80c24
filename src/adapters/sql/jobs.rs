//! Jobs, created together with the outbox message that runs them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::types::Json;
use uuid::Uuid;

use super::tx::{Tx, complete_with, finish_job, insert_outbox, save_event, tx_execute};
use super::{SqlStore, corrupt, db_error, execute, on_pool};
use crate::domain::job::{Job, JobRequest, JobStatus, JobType};
use crate::domain::promotion::Recommendation;
use crate::domain::{Event, EventId, JobId, OutboxMessage, UserId};
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

/// Inserts the job and the message that runs it.
async fn insert_job(tx: &mut Tx, job: &Job, message: &OutboxMessage) -> Result<(), StoreError> {
    let sql = format!(
        "INSERT INTO jobs ({JOB_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
         $11, $12, $13, $14)"
    );
    tx_execute!(
        tx,
        &sql,
        job.id.0,
        job.owner.0,
        job.event_id.0,
        job.job_type().code(),
        job.status.code(),
        i32::from(job.progress),
        i32::try_from(job.deliveries).unwrap_or(i32::MAX),
        Json(job.request.to_json()),
        &job.result_key,
        &job.error_message,
        &job.note,
        job.created_at,
        job.updated_at,
        job.finished_at,
    )?;
    insert_outbox(tx, message).await
}

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
        let mut tx = self.begin().await?;
        insert_job(&mut tx, job, message).await?;
        tx.commit().await
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
        complete_with(self, job, "recommendations", note, now, async |tx| {
            for r in recommendations {
                tx_execute!(
                    tx,
                    "INSERT INTO recommendations (id, event_id, job_id, rank, promotion_type, \
                     plan, selected, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    r.id.0,
                    r.event_id.0,
                    r.job_id.0,
                    i32::from(r.rank),
                    r.plan.promotion_type.code(),
                    Json(&r.plan),
                    r.selected,
                    r.created_at,
                )?;
            }
            Ok(())
        })
        .await
    }

    async fn save_event_with_job(
        &self,
        event: &Event,
        job: &Job,
        message: &OutboxMessage,
    ) -> Result<Event, StoreError> {
        let mut tx = self.begin().await?;
        let saved = save_event(&mut tx, event).await?;
        insert_job(&mut tx, job, message).await?;
        tx.commit().await?;
        Ok(saved)
    }

    async fn complete_job(
        &self,
        id: JobId,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let finished = finish_job(&mut tx, id, None, Some(note), now).await?;
        tx.commit().await?;
        Ok(finished)
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
