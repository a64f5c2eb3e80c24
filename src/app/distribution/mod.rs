//! Publishing an event and distributing it to its channels: the pre-publish checks, the one
//! transaction that publishes (the event, its distribution, the worker's message and the
//! `EventPublished` domain event), the owner's view, retry and confirmation. The worker and the
//! sweep are in `attempt` and `sweep`.

mod attempt;
mod compose;
mod outcome;
mod sweep;

use chrono::{DateTime, Utc};
use tracing::instrument;

use super::{AppError, Missing, Services, events};
use crate::domain::connection::Connection;
use crate::domain::distribution::{ChannelPost, ChannelStatus, Distribution, FailureKind};
use crate::domain::messages::{DistributionRequested, EventPublished, Message};
use crate::domain::post::PostContent;
use crate::domain::{Channel, DistributionId, Event, EventId, OutboxMessage, UserId};
use crate::ports::StoreError;

pub use crate::domain::distribution::Policy;
pub use crate::domain::refusals::DistributionError;
pub use attempt::{Delivered, deliver};
pub use compose::checks;
pub use sweep::{SweepReport, sweep};

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
        requested(event.id, id, now),
        OutboxMessage::new(event.id, Message::EventPublished(published(&event)), now),
    ];
    let seed = super::seeds::record(s, event.id, now);
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
    s.memo.public_page_changed(event.id);
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
    posts: Vec<(Channel, PostContent)>,
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
        review: None,
        updated_at: now,
    };
    Distribution {
        id,
        event_id: event.id,
        created_at: now,
        channels: posts.into_iter().map(post).collect(),
    }
}

/// The `EventPublished` domain event.
fn published(event: &Event) -> EventPublished {
    EventPublished {
        owner_id: event.owner,
        channels: event.channels.clone(),
        published_at: event.published_at,
        start_date: event.start_date,
        end_date: event.end_date,
        objective: event.objective,
        promotion_type: event.promotion_type,
        industry_kind: crate::domain::promotion::IndustryKind::of(&event.shop.industry),
    }
}

/// The message that has the worker attempt the distribution's due posts.
fn requested(event: EventId, id: DistributionId, now: DateTime<Utc>) -> OutboxMessage {
    let requested = DistributionRequested {
        distribution_id: id,
    };
    OutboxMessage::new(event, Message::DistributionRequested(requested), now)
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
        if retryable(post, &connected, now)
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

/// Whether the owner may send the post again: a retryable failure, or a post that waited for
/// a reconnect once the channel is connected again (never a published or unknown post).
pub fn retryable(post: &ChannelPost, connected: &[Connection], now: DateTime<Utc>) -> bool {
    match post.status {
        ChannelStatus::Failed => post.failure.is_some_and(FailureKind::is_retryable),
        ChannelStatus::NeedsReconnect => {
            (connected.iter()).any(|c| c.channel == post.channel && c.is_usable(now))
        }
        _ => false,
    }
}

/// The post, due again now.
fn again(post: &ChannelPost, now: chrono::DateTime<chrono::Utc>) -> ChannelPost {
    ChannelPost {
        status: ChannelStatus::Pending,
        failure: None,
        message: Some("곧 다시 보냅니다.".to_owned()),
        next_attempt_at: None,
        lease_until: None,
        updated_at: now,
        ..post.clone()
    }
}

async fn wake_worker(s: &Services, d: &Distribution) -> Result<(), AppError> {
    let message = requested(d.event_id, d.id, s.clock.now());
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
