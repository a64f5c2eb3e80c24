//! Starting background jobs and reading their state. A job row and the message that runs it are
//! written in one transaction (outbox); the relay is woken right after the commit.

use chrono::{DateTime, Utc};
use serde_json::json;
use tracing::instrument;

use super::{AppError, Services, events};
use crate::domain::job::{Job, JobType};
use crate::domain::{EventAction, EventId, JobId, MessageId, OutboxMessage, UserId};

/// Queues of DESIGN.md §6.
pub const AI_RECOMMENDATION_QUEUE: &str = "ai-recommendation-jobs";

/// Message types.
pub const AI_RECOMMENDATION_REQUESTED: &str = "AiRecommendationRequested";

/// `{id, type, occurredAt, eventId, data}`; the id is also the Service Bus MessageId.
pub fn envelope(
    destination: &str,
    message_type: &str,
    event: EventId,
    data: serde_json::Value,
    now: DateTime<Utc>,
) -> OutboxMessage {
    let id = MessageId::new();
    OutboxMessage {
        id,
        destination: destination.to_owned(),
        message_type: message_type.to_owned(),
        payload: json!({
            "id": id,
            "type": message_type,
            "occurredAt": now,
            "eventId": event,
            "data": data,
        }),
        attempts: 0,
        created_at: now,
    }
}

#[instrument(skip_all, fields(user_id = %owner, event_id = %event_id))]
pub async fn request_recommendations(
    s: &Services,
    owner: UserId,
    event_id: EventId,
) -> Result<Job, AppError> {
    let event = events::get(s, owner, event_id).await?;
    event.status.check(EventAction::Recommend)?;
    let now = s.clock.now();
    let job = Job::new(owner, event.id, JobType::AiRecommendation, json!({}), now);
    let message = envelope(
        AI_RECOMMENDATION_QUEUE,
        AI_RECOMMENDATION_REQUESTED,
        event.id,
        json!({ "jobId": job.id }),
        now,
    );
    s.store.insert_job(&job, &message).await?;
    s.relay_kick.notify_one();
    tracing::info!(job_id = %job.id, "recommendation job queued");
    Ok(job)
}

pub async fn get(s: &Services, owner: UserId, id: JobId) -> Result<Job, AppError> {
    s.store
        .job_of_owner(owner, id)
        .await?
        .ok_or(AppError::JobNotFound)
}
