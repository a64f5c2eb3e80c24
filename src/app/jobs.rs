//! Starting background jobs and reading their state. A job row and the message that runs it are
//! written in one transaction (outbox); the relay is woken right after the commit.

use chrono::{DateTime, Utc};
use serde_json::json;
use tracing::instrument;

use super::{AppError, Services, events};
use crate::domain::job::{Job, JobType};
use crate::domain::poster::PosterStyle;
use crate::domain::{Channel, EventAction, EventId, JobId, MessageId, OutboxMessage, UserId};

/// Queues of DESIGN.md §6.
pub const AI_RECOMMENDATION_QUEUE: &str = "ai-recommendation-jobs";
pub const IMAGE_GENERATION_QUEUE: &str = "image-generation-jobs";

/// Message types.
pub const AI_RECOMMENDATION_REQUESTED: &str = "AiRecommendationRequested";
pub const IMAGE_GENERATION_REQUESTED: &str = "ImageGenerationRequested";

/// The platforms images are made for when the owner has chosen no channels yet.
pub const DEFAULT_IMAGE_PLATFORMS: [Channel; 3] =
    [Channel::Instagram, Channel::Naver, Channel::Kakao];

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

/// Starts rendering `styles` (default: all three) for `platforms` (default: the event's
/// channels, or Instagram, Naver and Kakao when none are chosen yet).
#[instrument(skip_all, fields(user_id = %owner, event_id = %event_id))]
pub async fn request_images(
    s: &Services,
    owner: UserId,
    event_id: EventId,
    platforms: Option<Vec<Channel>>,
    styles: Option<Vec<PosterStyle>>,
) -> Result<Job, AppError> {
    let event = events::get(s, owner, event_id).await?;
    event.status.check(EventAction::GenerateImages)?;
    let platforms = match platforms.filter(|p| !p.is_empty()) {
        Some(p) => p,
        None if !event.channels.is_empty() => event.channels.clone(),
        None => DEFAULT_IMAGE_PLATFORMS.to_vec(),
    };
    let mut styles = styles
        .filter(|s| !s.is_empty())
        .unwrap_or(PosterStyle::ALL.to_vec());
    styles.sort();
    styles.dedup();
    let now = s.clock.now();
    let request = json!({
        "platforms": platforms.iter().map(|c| c.code()).collect::<Vec<_>>(),
        "styles": styles.iter().map(|st| st.code()).collect::<Vec<_>>(),
    });
    let job = Job::new(owner, event.id, JobType::ImageGeneration, request, now);
    let message = envelope(
        IMAGE_GENERATION_QUEUE,
        IMAGE_GENERATION_REQUESTED,
        event.id,
        json!({ "jobId": job.id }),
        now,
    );
    s.store.insert_job(&job, &message).await?;
    s.relay_kick.notify_one();
    tracing::info!(job_id = %job.id, "image job queued");
    Ok(job)
}

pub async fn get(s: &Services, owner: UserId, id: JobId) -> Result<Job, AppError> {
    s.store
        .job_of_owner(owner, id)
        .await?
        .ok_or(AppError::JobNotFound)
}
