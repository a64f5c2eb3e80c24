//! Background jobs: starting one (the job row and the message that runs it, in one transaction),
//! reading one, and running one delivery of a job with the steps every worker shares. Which
//! worker runs a job type is not known here: `app::delivery` registers them. Idempotent: a
//! finished job is never touched again, and results are written together with the job's
//! completion.

use futures::future::BoxFuture;
use tracing::instrument;

use super::{AppError, Missing, Services};
use crate::domain::calendar::next_seoul_midnight;
use crate::domain::job::{Job, JobFailure, JobNote, JobRequest, JobStatus, JobType};
use crate::domain::{Event, JobId, OutboxMessage, UserId};
use crate::ports::{Completion, StoreError};

pub use crate::domain::refusals::JobError;

/// What one delivery of a job came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    /// The job completed with this many results.
    Stored(usize),
    /// The job finished, its results not written (the event changed meanwhile).
    Unwritten(Completion),
    AlreadyFinished(JobStatus),
    UnknownJob,
    /// The job failed for good, with this message for the owner.
    Failed(JobFailure),
    /// Deliver it again later, for this reason.
    Retry(String),
}

/// A job type's worker: runs one delivery (counted from 1) of a job for its event.
pub type Worker = for<'a> fn(
    &'a Services,
    &'a Job,
    &'a Event,
    u32,
) -> BoxFuture<'a, Result<JobOutcome, AppError>>;

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
pub async fn enqueue(s: &Services, event: &Event, request: JobRequest) -> Result<Job, AppError> {
    Ok(start(s, event, request, false).await?.1)
}

/// Saves `event` (changed by the caller, read at its version) and starts the job, in one
/// transaction: both happen or neither.
pub async fn enqueue_saving(
    s: &Services,
    event: &Event,
    request: JobRequest,
) -> Result<(Event, Job), AppError> {
    start(s, event, request, true).await
}

async fn start(
    s: &Services,
    event: &Event,
    request: JobRequest,
    save: bool,
) -> Result<(Event, Job), AppError> {
    let now = s.clock.now();
    let job = Job::new(event.owner, event.id, request, now);
    let job_type = job.job_type();
    within_quota(s, event.owner, job_type).await?;
    let message = OutboxMessage::new(event.id, job_type.message(job.id), now);
    let written = match save {
        true => s.store.save_event_with_job(event, &job, &message).await,
        false => (s.store.insert_job(&job, &message).await).map(|()| event.clone()),
    };
    let saved = match written {
        Ok(saved) => saved,
        // The index that allows one running job per event and type.
        Err(StoreError::Duplicate) => return Err(JobError::AlreadyRunning(job_type).into()),
        Err(e) => return Err(e.into()),
    };
    s.relay_kick.notify_one();
    tracing::info!(job_id = %job.id, job_type = job_type.code(), "job queued");
    Ok((saved, job))
}

pub async fn get(s: &Services, owner: UserId, id: JobId) -> Result<Job, AppError> {
    s.store
        .job_of_owner(owner, id)
        .await?
        .ok_or(AppError::NotFound(Missing::Job))
}

/// Runs one delivery of a job with its type's worker (`delivery` counts from 1).
pub async fn deliver(
    s: &Services,
    job_id: JobId,
    delivery: u32,
    worker: fn(JobType) -> Worker,
) -> JobOutcome {
    let run = async {
        match begin(s, job_id).await? {
            Begun::Settled(outcome) => Ok(outcome),
            Begun::Run(run) => worker(run.0.job_type())(s, &run.0, &run.1, delivery).await,
        }
    };
    match run.await {
        Ok(outcome) => outcome,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), delivery, "job delivery failed");
            on_internal_failure(s, job_id, delivery).await
        }
    }
}

/// Our own failure: retried, except on the last delivery, when the job fails now (best effort;
/// the stale-job sweep catches it if even this fails).
async fn on_internal_failure(s: &Services, job_id: JobId, delivery: u32) -> JobOutcome {
    let failure = JobFailure::Internal;
    if delivery >= s.max_deliveries
        && s.store
            .fail_job(job_id, failure.message(), s.clock.now())
            .await
            .is_ok()
    {
        return JobOutcome::Failed(failure);
    }
    JobOutcome::Retry("internal error; will retry".to_owned())
}

/// Where a delivery starts.
enum Begun {
    /// Run this job for this event.
    Run(Box<(Job, Event)>),
    /// Nothing to run.
    Settled(JobOutcome),
}

/// The step every job delivery starts with: count the delivery (moving the job to PROCESSING),
/// and find the job's event. A finished job, an unknown one, or one whose event is gone is
/// settled here.
async fn begin(s: &Services, job_id: JobId) -> Result<Begun, AppError> {
    let now = s.clock.now();
    let Some(job) = s.store.start_job_delivery(job_id, now).await? else {
        return Ok(Begun::Settled(JobOutcome::UnknownJob));
    };
    if job.status.is_finished() {
        return Ok(Begun::Settled(JobOutcome::AlreadyFinished(job.status)));
    }
    match s.store.event_by_id(job.event_id).await? {
        Some(event) => Ok(Begun::Run(Box::new((job, event)))),
        None => fail(s, &job, JobFailure::EventDeleted)
            .await
            .map(Begun::Settled),
    }
}

async fn fail(s: &Services, job: &Job, failure: JobFailure) -> Result<JobOutcome, AppError> {
    s.store
        .fail_job(job.id, failure.message(), s.clock.now())
        .await?;
    Ok(JobOutcome::Failed(failure))
}

/// An outside service failed: try again later, or, on the last delivery, fail the job.
pub async fn give_up_or_retry(
    s: &Services,
    job: &Job,
    delivery: u32,
    why: &str,
    failure: JobFailure,
) -> Result<JobOutcome, AppError> {
    if delivery >= s.max_deliveries {
        tracing::warn!(delivery, reason = why, "giving up");
        return fail(s, job, failure).await;
    }
    tracing::warn!(delivery, reason = why, "retrying later");
    Ok(JobOutcome::Retry(why.to_owned()))
}

/// What the store's completion means for the job: results stored, or a job that finishes
/// without them (failed when the event is no longer a draft, noted when superseded).
pub async fn settle(
    s: &Services,
    job: &Job,
    completion: Completion,
    results: usize,
) -> Result<JobOutcome, AppError> {
    Ok(match completion {
        Completion::Stored => JobOutcome::Stored(results),
        Completion::AlreadyFinished => JobOutcome::AlreadyFinished(JobStatus::Completed),
        Completion::EventNotDraft => {
            fail(s, job, JobFailure::EventNotDraft).await?;
            JobOutcome::Unwritten(completion)
        }
        Completion::Superseded => {
            let note = JobNote::Superseded.message();
            s.store.complete_job(job.id, note, s.clock.now()).await?;
            JobOutcome::Unwritten(completion)
        }
    })
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
pub async fn dead_letter(s: &Services, job_id: JobId) -> Result<(), AppError> {
    let failure = JobFailure::Exhausted;
    s.store
        .fail_job(job_id, failure.message(), s.clock.now())
        .await?;
    Ok(())
}
