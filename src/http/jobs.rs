//! `/api/jobs/{jobId}`: a background job's progress, and the answer every job-starting route
//! gives.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody};
use super::extract::{AuthUser, JobIdPath};
use crate::app::{Services, jobs};
use crate::domain::job::{Job, JobStatus, JobType};

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JobResponse {
    pub job_id: uuid::Uuid,
    pub job_type: JobType,
    pub status: JobStatus,
    /// 0–100.
    pub progress: u8,
    pub event_id: uuid::Uuid,
    pub result_key: Option<String>,
    /// Korean: what went wrong and what to do.
    pub error_message: Option<String>,
    /// Korean: how the result was made (e.g. a fallback was used).
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Job> for JobResponse {
    fn from(j: Job) -> Self {
        Self {
            job_id: j.id.0,
            job_type: j.job_type(),
            status: j.status,
            progress: j.progress,
            event_id: j.event_id.0,
            result_key: j.result_key,
            error_message: j.error_message,
            note: j.note,
            created_at: j.created_at,
            updated_at: j.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JobAccepted {
    pub job_id: uuid::Uuid,
    pub status: JobStatus,
}

/// 202 with the new job's id: the client follows it at `GET /api/jobs/{jobId}`.
pub fn accepted(job: &Job) -> (StatusCode, axum::Json<JobAccepted>) {
    (
        StatusCode::ACCEPTED,
        axum::Json(JobAccepted {
            job_id: job.id.0,
            status: job.status,
        }),
    )
}

#[utoipa::path(get, path = "/api/jobs/{jobId}", operation_id = "jobs-get", tag = "jobs",
    security(("bearer" = [])), params(("jobId" = uuid::Uuid, Path)),
    responses((status = 200, body = JobResponse), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "JOB_001")))]
pub async fn get_job(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    JobIdPath(id): JobIdPath,
) -> Result<axum::Json<JobResponse>, ApiError> {
    Ok(axum::Json(jobs::get(&s, me, id).await?.into()))
}
