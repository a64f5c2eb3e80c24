//! Publishing an event and distributing it to its channels: the pre-publish checks, the one
//! transaction that publishes (the event, its distribution, the worker's message and the
//! `EventPublished` domain event), the owner's view, retry and confirmation. The worker and the
//! sweep are in `attempt` and `sweep`.

mod attempt;
mod compose;
mod outcome;
mod sweep;

use chrono::Duration;
use serde_json::json;
use tracing::instrument;

use super::{AppError, Kind, Missing, Problem, Services, events};
use crate::domain::distribution::{ChannelPost, ChannelStatus, Distribution, FailureKind};
use crate::domain::korean::{Particle, with};
use crate::domain::publishing::PublishProblem;
use crate::domain::{Channel, DistributionId, Event, EventId, MessageType, OutboxMessage, UserId};
use crate::ports::StoreError;

pub use attempt::deliver;
pub use compose::checks;
pub use sweep::{SweepReport, sweep};

/// How long an attempt may hold a post, and how often UNKNOWN posts are looked at again.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Longer than the longest attempt (Instagram may take minutes to process an image).
    pub lease: Duration,
    pub reconcile_every: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            lease: Duration::minutes(10),
            reconcile_every: Duration::minutes(5),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DistributionError {
    #[error("not published")]
    NotPublished,
    #[error("nothing to retry")]
    NothingToRetry,
    #[error("the post is not waiting for a confirmation")]
    NotUnknown(Channel),
    #[error("the channel is not one of the event's")]
    NotDistributedTo(Channel),
}

impl DistributionError {
    pub fn problem(&self) -> Problem {
        match self {
            DistributionError::NotPublished => Problem::new(
                Kind::NotFound,
                "DIST_001",
                "아직 배포되지 않은 이벤트입니다.",
            ),
            DistributionError::NothingToRetry => Problem::new(
                Kind::Conflict,
                "DIST_002",
                "다시 시도할 채널이 없습니다. 게시 완료, 확인 필요, 진행 중인 채널은 재시도하지 않습니다.",
            ),
            DistributionError::NotUnknown(c) => Problem::new(
                Kind::Conflict,
                "DIST_003",
                format!(
                    "{} 확인이 필요한 상태가 아닙니다.",
                    with(c.label(), Particle::Eun)
                ),
            ),
            DistributionError::NotDistributedTo(c) => Problem::new(
                Kind::NotFound,
                "DIST_004",
                format!("이 이벤트는 {}에 배포되지 않았습니다.", c.label()),
            ),
        }
    }
}

/// 422 with every unmet precondition.
pub(super) fn not_ready(problems: &[PublishProblem]) -> Problem {
    let listed: Vec<_> = problems
        .iter()
        .map(|p| json!({"code": p.code(), "channel": p.channel().map(Channel::code), "message": p.message()}))
        .collect();
    let message = format!(
        "배포하기 전에 해결할 항목이 {}개 있습니다: {}",
        problems.len(),
        problems
            .iter()
            .map(PublishProblem::message)
            .collect::<Vec<_>>()
            .join(" ")
    );
    Problem::new(Kind::Unprocessable, "EVENT_008", message)
        .with_details(json!({ "problems": listed }))
}

/// Checks everything, then publishes in one transaction and wakes the worker.
#[instrument(skip_all, fields(user_id = %owner, event_id = %event_id))]
pub async fn publish(
    s: &Services,
    owner: UserId,
    event_id: EventId,
) -> Result<(Event, Distribution), AppError> {
    let mut event = events::get(s, owner, event_id).await?;
    event.status.check(crate::domain::EventAction::Publish)?;
    let posts = compose::posts(s, &event).await?;
    let now = s.clock.now();
    event.publish(now)?;
    let distribution = new_distribution(&event, posts, now);
    let id = distribution.id;
    let messages = [
        OutboxMessage::new(
            MessageType::DistributionRequested,
            event.id,
            json!({ "distributionId": id }),
            now,
        ),
        OutboxMessage::new(
            MessageType::EventPublished,
            event.id,
            published(&event),
            now,
        ),
    ];
    let seed = super::draws::seed_record(s, event.id, now);
    match s
        .store
        .publish_event(&event, &distribution, &seed, &messages)
        .await
    {
        Ok(()) => {}
        // Published meanwhile (a double click): the first publish stands, this one starts nothing.
        Err(StoreError::Conflict | StoreError::Duplicate) => {
            return Err(AppError::ConcurrentModification);
        }
        Err(e) => return Err(e.into()),
    }
    s.relay_kick.notify_one();
    tracing::info!(distribution_id = %id, channels = distribution.channels.len(), "event published");
    Ok((
        Event {
            version: event.version + 1,
            ..event
        },
        distribution,
    ))
}

/// A distribution of one PENDING post per channel.
fn new_distribution(
    event: &Event,
    posts: Vec<(Channel, serde_json::Value)>,
    now: chrono::DateTime<chrono::Utc>,
) -> Distribution {
    let id = DistributionId::new();
    let post = |(channel, content)| ChannelPost {
        distribution_id: id,
        event_id: event.id,
        channel,
        status: ChannelStatus::Pending,
        attempts: 0,
        content,
        external_id: None,
        url: None,
        failure: None,
        message: None,
        checkpoint: None,
        next_attempt_at: None,
        lease_until: None,
        updated_at: now,
    };
    Distribution {
        id,
        event_id: event.id,
        created_at: now,
        channels: posts.into_iter().map(post).collect(),
    }
}

/// The `EventPublished` domain event's data.
fn published(event: &Event) -> serde_json::Value {
    json!({
        "ownerId": event.owner,
        "channels": event.channels.iter().map(|c| c.code()).collect::<Vec<_>>(),
        "publishedAt": event.published_at,
        "startDate": event.start_date,
        "endDate": event.end_date,
        "objective": event.objective.code(),
        "promotionType": event.promotion_type.map(|t| t.code()),
        "industryKind": crate::domain::promotion::IndustryKind::of(&event.shop.industry).code(),
    })
}

/// The owner's event's distribution.
pub async fn get(s: &Services, owner: UserId, event_id: EventId) -> Result<Distribution, AppError> {
    let event = events::get(s, owner, event_id).await?;
    s.store
        .distribution_of_event(event.id)
        .await?
        .ok_or(DistributionError::NotPublished.into())
}

/// Sends the retryable failures again (never a published or unknown post).
#[instrument(skip_all, fields(user_id = %owner, event_id = %event_id))]
pub async fn retry(
    s: &Services,
    owner: UserId,
    event_id: EventId,
) -> Result<Distribution, AppError> {
    let d = get(s, owner, event_id).await?;
    let event = events::get(s, owner, event_id).await?;
    event
        .status
        .check(crate::domain::EventAction::RetryDistribution)?;
    let connected = super::channels::connections(s, owner).await?;
    let now = s.clock.now();
    let mut retried = 0;
    for post in &d.channels {
        let retryable = match post.status {
            ChannelStatus::Failed => post.failure.is_some_and(FailureKind::is_retryable),
            // Once the owner has connected again.
            ChannelStatus::NeedsReconnect => connected
                .iter()
                .any(|c| c.channel == post.channel && c.is_usable(now)),
            _ => false,
        };
        if retryable
            && s.store
                .update_post(&again(post, now), post.status, post.attempts)
                .await?
        {
            retried += 1;
        }
    }
    if retried == 0 {
        return Err(DistributionError::NothingToRetry.into());
    }
    wake_worker(s, &d).await?;
    get(s, owner, event_id).await
}

/// The post, due again now.
fn again(post: &ChannelPost, now: chrono::DateTime<chrono::Utc>) -> ChannelPost {
    ChannelPost {
        status: ChannelStatus::Pending,
        failure: None,
        message: Some("다시 보내는 중입니다.".to_owned()),
        next_attempt_at: None,
        lease_until: None,
        updated_at: now,
        ..post.clone()
    }
}

async fn wake_worker(s: &Services, d: &Distribution) -> Result<(), AppError> {
    let message = OutboxMessage::new(
        MessageType::DistributionRequested,
        d.event_id,
        json!({ "distributionId": d.id }),
        s.clock.now(),
    );
    s.store.enqueue(&message).await?;
    s.relay_kick.notify_one();
    Ok(())
}

/// The owner looked at the channel: an UNKNOWN post is published (with its address if they
/// give it) or not (then it may be retried).
#[instrument(skip_all, fields(user_id = %owner, event_id = %event_id, channel = %channel))]
pub async fn confirm(
    s: &Services,
    owner: UserId,
    event_id: EventId,
    channel: Channel,
    posted: bool,
    url: Option<String>,
) -> Result<Distribution, AppError> {
    let d = get(s, owner, event_id).await?;
    let post = (d.channels.iter().find(|p| p.channel == channel))
        .ok_or(DistributionError::NotDistributedTo(channel))?;
    if post.status != ChannelStatus::Unknown {
        return Err(DistributionError::NotUnknown(channel).into());
    }
    let now = s.clock.now();
    let confirmed = if posted {
        ChannelPost {
            status: ChannelStatus::Published,
            url: url.or_else(|| post.url.clone()),
            message: Some("사장님이 게시된 것을 확인했습니다.".to_owned()),
            updated_at: now,
            ..post.clone()
        }
    } else {
        ChannelPost {
            status: ChannelStatus::Failed,
            failure: Some(FailureKind::Transient),
            message: Some("게시되지 않은 것으로 확인했습니다. 다시 시도할 수 있습니다.".to_owned()),
            updated_at: now,
            ..post.clone()
        }
    };
    if !s
        .store
        .update_post(&confirmed, ChannelStatus::Unknown, post.attempts)
        .await?
    {
        return Err(DistributionError::NotUnknown(channel).into());
    }
    announce(s, d.id).await?;
    get(s, owner, event_id).await
}

/// Announces the distribution if every channel has an outcome (see `attempt`).
pub(super) async fn announce(s: &Services, id: DistributionId) -> Result<(), AppError> {
    attempt::announce_if_final(s, id).await.map(|_| ())
}

/// The distribution of `id`, for workers.
pub(super) async fn by_id(s: &Services, id: DistributionId) -> Result<Distribution, AppError> {
    s.store
        .distribution_by_id(id)
        .await?
        .ok_or(AppError::NotFound(Missing::Event))
}
