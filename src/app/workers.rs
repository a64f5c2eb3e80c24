//! Units of work for job messages. The in-process relay and the Service Bus–triggered functions
//! are thin shells around `dispatch`. Idempotent: a job that is finished is never touched again,
//! and results are written together with the job's completion.

use tracing::instrument;

use super::jobs::AI_RECOMMENDATION_QUEUE;
use super::{AppError, Services};
use crate::domain::calendar::seoul_date;
use crate::domain::job::Job;
use crate::domain::promotion::{IndustryKind, Recommendation};
use crate::domain::{JobId, RecommendationId};
use crate::ports::{RecommendationInput, RecommenderError};

/// What a delivery of a message came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done with this message (including "nothing to do" and "failed for good, job marked").
    Done(String),
    /// Deliver it again later (Service Bus: answer non-2xx).
    Retry(String),
}

/// The job id in a job message's envelope (`data.jobId`).
pub fn job_id_of(payload: &serde_json::Value) -> Option<JobId> {
    payload.get("data")?.get("jobId")?.as_str()?.parse().ok()
}

/// Runs one delivery of `payload` from `destination`. `delivery` counts from 1.
pub async fn dispatch(
    s: &Services,
    destination: &str,
    payload: &serde_json::Value,
    delivery: u32,
) -> Outcome {
    let Some(job_id) = job_id_of(payload) else {
        return Outcome::Done("not a job message: dropped".to_owned());
    };
    let result = match destination {
        AI_RECOMMENDATION_QUEUE => recommendation_job(s, job_id, delivery).await,
        other => return Outcome::Done(format!("no worker for '{other}': dropped")),
    };
    result.unwrap_or_else(|e| {
        tracing::error!(error = format!("{e:#}"), "job delivery failed");
        Outcome::Retry("internal error; will retry".to_owned())
    })
}

/// A message that will not be delivered again: its job fails with a message the owner can act on.
pub async fn dead_letter(s: &Services, payload: &serde_json::Value) -> Result<(), AppError> {
    if let Some(job_id) = job_id_of(payload) {
        s.store
            .fail_job(
                job_id,
                "작업을 여러 번 시도했지만 완료하지 못했습니다. 잠시 후 다시 요청해 주세요.",
                s.clock.now(),
            )
            .await?;
    }
    Ok(())
}

#[instrument(skip_all, fields(job_id = %job_id, delivery))]
async fn recommendation_job(
    s: &Services,
    job_id: JobId,
    delivery: u32,
) -> Result<Outcome, AppError> {
    let now = s.clock.now();
    let Some(job) = s.store.start_job_delivery(job_id, now).await? else {
        return Ok(Outcome::Done("unknown job: dropped".to_owned()));
    };
    if job.status.is_finished() {
        return Ok(Outcome::Done(format!("job already {}", job.status.code())));
    }
    let Some(event) = s.store.event_by_id(job.event_id).await? else {
        s.store
            .fail_job(job.id, "이벤트가 삭제되어 추천을 만들 수 없습니다.", now)
            .await?;
        return Ok(Outcome::Done("event deleted: job failed".to_owned()));
    };
    let kind = IndustryKind::of(&event.store.industry);
    let history = s.store.promotion_history(kind, event.objective).await?;
    s.store.set_job_progress(job.id, 30, s.clock.now()).await?;
    let input = RecommendationInput {
        objective: event.objective,
        store: event.store.clone(),
        period: event.period().map(|p| (p.start(), p.end())),
        budget: event.budget,
        today: seoul_date(now),
        history,
    };
    let recommended = match s.recommender.recommend(&input).await {
        Ok(r) => r,
        Err(RecommenderError::Retryable(why)) => {
            return give_up_or_retry(s, &job, delivery, &why).await;
        }
    };
    s.store.set_job_progress(job.id, 80, s.clock.now()).await?;
    let done_at = s.clock.now();
    let recommendations: Vec<Recommendation> = recommended
        .plans
        .into_iter()
        .zip(1u8..)
        .map(|(plan, rank)| Recommendation {
            id: RecommendationId::new(),
            event_id: event.id,
            job_id: job.id,
            rank,
            plan,
            selected: false,
            created_at: done_at,
        })
        .collect();
    let stored = s
        .store
        .complete_recommendation_job(&job, &recommendations, recommended.note.as_deref(), done_at)
        .await?;
    Ok(Outcome::Done(if stored {
        "3 recommendations stored".to_owned()
    } else {
        "job finished meanwhile: nothing changed".to_owned()
    }))
}

async fn give_up_or_retry(
    s: &Services,
    job: &Job,
    delivery: u32,
    why: &str,
) -> Result<Outcome, AppError> {
    if delivery >= s.max_deliveries {
        s.store
            .fail_job(
                job.id,
                "AI 추천 서비스가 응답하지 않아 추천을 만들지 못했습니다. 잠시 후 다시 요청해 주세요.",
                s.clock.now(),
            )
            .await?;
        return Ok(Outcome::Done(format!(
            "gave up after {delivery} deliveries: {why}"
        )));
    }
    tracing::warn!(delivery, reason = why, "retrying later");
    Ok(Outcome::Retry(why.to_owned()))
}
