//! Background jobs: starting one (the job row and the message that runs it, in one transaction),
//! reading one, and delivering a job message to its worker with the steps every worker shares.
//! The in-process relay and the Service Bus–triggered functions are thin shells around
//! `deliver`. Idempotent: a finished job is never touched again, and results are written
//! together with the job's completion.

use serde_json::json;
use tracing::instrument;

use chrono::{DateTime, Utc};

use super::outbox::{Outcome, Settled};
use super::{AppError, Kind, Missing, Problem, Services, images, recommendations};
use crate::domain::calendar::next_seoul_midnight;
use crate::domain::job::{Job, JobFailure, JobNote, JobRequest, JobStatus, JobType};
use crate::domain::{Event, JobId, OutboxMessage, UserId};
use crate::ports::{Completion, StoreError};

/// Costly work is bounded: one running job of a type per event, and a daily number per owner.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    #[error("a job of this type is running for the event")]
    AlreadyRunning(JobType),
    #[error("the owner's daily quota is used up")]
    DailyQuota {
        job_type: JobType,
        limit: u32,
        resets_at: DateTime<Utc>,
        retry_after: i64,
    },
}

impl JobError {
    pub fn problem(&self) -> Problem {
        match self {
            JobError::AlreadyRunning(t) => Problem::new(
                Kind::Conflict,
                "JOB_002",
                format!("이 이벤트의 {} 작업이 아직 진행 중입니다. 끝난 뒤에 다시 요청해 주세요.", t.label()),
            ),
            JobError::DailyQuota { job_type, limit, resets_at, retry_after } => Problem {
                retry_after: Some(*retry_after),
                ..Problem::new(
                    Kind::TooManyRequests,
                    "JOB_003",
                    format!(
                        "오늘 요청할 수 있는 {} 작업 {limit}회를 모두 썼습니다. 내일 0시(한국 시간)에 다시 요청할 수 있습니다.",
                        job_type.label()
                    ),
                )
                .with_details(json!({ "limit": limit, "resetsAt": resets_at }))
            },
        }
    }
}

/// Refuses a job over the owner's daily quota.
async fn within_quota(s: &Services, owner: UserId, t: JobType) -> Result<(), AppError> {
    let now = s.clock.now();
    let resets_at = next_seoul_midnight(now);
    let today_start = resets_at - chrono::Duration::days(1);
    let limit = s.job_quota.of(t);
    if s.store.jobs_created_since(owner, t, today_start).await? >= limit {
        let retry_after = (resets_at - now).num_seconds().max(1);
        return Err(JobError::DailyQuota {
            job_type: t,
            limit,
            resets_at,
            retry_after,
        }
        .into());
    }
    Ok(())
}

/// Writes the job and the message that runs it, and wakes the relay.
pub(super) async fn enqueue(
    s: &Services,
    event: &Event,
    request: JobRequest,
) -> Result<Job, AppError> {
    let now = s.clock.now();
    let job = Job::new(event.owner, event.id, request, now);
    let job_type = job.job_type();
    within_quota(s, event.owner, job_type).await?;
    let message = OutboxMessage::new(
        job_type.message_type(),
        event.id,
        json!({ "jobId": job.id }),
        now,
    );
    match s.store.insert_job(&job, &message).await {
        Ok(()) => {}
        // The index that allows one running job per event and type.
        Err(StoreError::Duplicate) => return Err(JobError::AlreadyRunning(job_type).into()),
        Err(e) => return Err(e.into()),
    }
    s.relay_kick.notify_one();
    tracing::info!(job_id = %job.id, job_type = job_type.code(), "job queued");
    Ok(job)
}

pub async fn get(s: &Services, owner: UserId, id: JobId) -> Result<Job, AppError> {
    s.store
        .job_of_owner(owner, id)
        .await?
        .ok_or(AppError::NotFound(Missing::Job))
}

/// The job id in a job message's envelope (`data.jobId`).
pub fn job_id_of(payload: &serde_json::Value) -> Option<JobId> {
    payload.get("data")?.get("jobId")?.as_str()?.parse().ok()
}

/// Runs one delivery of a job message. `delivery` counts from 1. The job's type decides what
/// runs, whichever queue the message came from.
pub async fn deliver(s: &Services, payload: &serde_json::Value, delivery: u32) -> Outcome {
    let Some(job_id) = job_id_of(payload) else {
        return Outcome::Done(Settled::Unreadable);
    };
    match run(s, job_id, delivery).await {
        Ok(outcome) => outcome,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), delivery, "job delivery failed");
            on_internal_failure(s, job_id, delivery).await
        }
    }
}

async fn run(s: &Services, job_id: JobId, delivery: u32) -> Result<Outcome, AppError> {
    match begin(s, job_id).await? {
        Begun::Settled(settled) => Ok(Outcome::Done(settled)),
        Begun::Run(run) => match &run.0.request {
            JobRequest::AiRecommendation => recommendations::run(s, &run.0, &run.1, delivery).await,
            JobRequest::ImageGeneration(r) => images::run(s, &run.0, &run.1, r, delivery).await,
        },
    }
}

/// Our own failure: retried, except on the last delivery, when the job fails now (best effort;
/// the stale-job sweep catches it if even this fails).
async fn on_internal_failure(s: &Services, job_id: JobId, delivery: u32) -> Outcome {
    let failure = JobFailure::Internal;
    if delivery >= s.max_deliveries
        && s.store
            .fail_job(job_id, failure.message(), s.clock.now())
            .await
            .is_ok()
    {
        return Outcome::Done(Settled::Failed(failure));
    }
    Outcome::Retry("internal error; will retry".to_owned())
}

/// Where a delivery starts.
pub(super) enum Begun {
    /// Run this job for this event.
    Run(Box<(Job, Event)>),
    /// Nothing to run.
    Settled(Settled),
}

/// The step every job delivery starts with: count the delivery (moving the job to PROCESSING),
/// and find the job's event. A finished job, an unknown one, or one whose event is gone is
/// settled here.
pub(super) async fn begin(s: &Services, job_id: JobId) -> Result<Begun, AppError> {
    let now = s.clock.now();
    let Some(job) = s.store.start_job_delivery(job_id, now).await? else {
        return Ok(Begun::Settled(Settled::UnknownJob));
    };
    if job.status.is_finished() {
        return Ok(Begun::Settled(Settled::AlreadyFinished(job.status)));
    }
    match s.store.event_by_id(job.event_id).await? {
        Some(event) => Ok(Begun::Run(Box::new((job, event)))),
        None => fail(s, &job, JobFailure::EventDeleted)
            .await
            .map(Begun::Settled),
    }
}

async fn fail(s: &Services, job: &Job, failure: JobFailure) -> Result<Settled, AppError> {
    s.store
        .fail_job(job.id, failure.message(), s.clock.now())
        .await?;
    Ok(Settled::Failed(failure))
}

/// An outside service failed: try again later, or, on the last delivery, fail the job.
pub(super) async fn give_up_or_retry(
    s: &Services,
    job: &Job,
    delivery: u32,
    why: &str,
    failure: JobFailure,
) -> Result<Outcome, AppError> {
    if delivery >= s.max_deliveries {
        tracing::warn!(delivery, reason = why, "giving up");
        return fail(s, job, failure).await.map(Outcome::Done);
    }
    tracing::warn!(delivery, reason = why, "retrying later");
    Ok(Outcome::Retry(why.to_owned()))
}

/// What the store's completion means for the job: results stored, or a job that finishes
/// without them (failed when the event is no longer a draft, noted when superseded).
pub(super) async fn settle(
    s: &Services,
    job: &Job,
    completion: Completion,
    results: usize,
) -> Result<Outcome, AppError> {
    let settled = match completion {
        Completion::Stored => Settled::Stored(results),
        Completion::AlreadyFinished => Settled::AlreadyFinished(JobStatus::Completed),
        Completion::EventNotDraft => {
            fail(s, job, JobFailure::EventNotDraft).await?;
            Settled::Unwritten(completion)
        }
        Completion::Superseded => {
            let note = JobNote::Superseded.message();
            s.store.complete_job(job.id, note, s.clock.now()).await?;
            Settled::Unwritten(completion)
        }
    };
    Ok(Outcome::Done(settled))
}

/// Jobs untouched this long are given up (a worker died; a message was lost to a dead-letter
/// queue). An AI job takes up to 5 minutes per delivery; images a few seconds per poster.
pub const STALE_AFTER_MINUTES: i64 = 30;

/// Fails the jobs that will never finish by themselves. Run with every relay pass.
#[instrument(skip_all)]
pub async fn fail_stale(s: &Services) -> Result<u64, AppError> {
    let now = s.clock.now();
    let cutoff = now - chrono::Duration::minutes(STALE_AFTER_MINUTES);
    let failed = s
        .store
        .fail_stale_jobs(cutoff, JobFailure::Stale.message(), now)
        .await?;
    if failed > 0 {
        tracing::warn!(failed, "stale jobs failed");
    }
    Ok(failed)
}

/// A message that will not be delivered again: its job fails with a message the owner can act on.
pub async fn dead_letter(s: &Services, payload: &serde_json::Value) -> Result<(), AppError> {
    if let Some(job_id) = job_id_of(payload) {
        let failure = JobFailure::Exhausted;
        s.store
            .fail_job(job_id, failure.message(), s.clock.now())
            .await?;
    }
    Ok(())
}
