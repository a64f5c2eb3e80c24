//! The distribution worker: every due post of a distribution is claimed (atomically: a message
//! delivered twice, or two instances at once, never post twice) and sent in parallel, one
//! channel's failure never touching another's; then its outcome is written, guarded by the
//! attempt that claimed it.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::Value;
use tracing::instrument;

use super::outcome::settle;
use super::{Services, by_id};
use crate::app::{AppError, channels};
use crate::domain::connection::Connection;
use crate::domain::distribution::{ChannelPost, ChannelStatus, FailureKind};
use crate::domain::messages::{ChannelOutcome, DistributionCompleted, Message};
use crate::domain::post::PostContent;
use crate::domain::{Channel, DistributionId, OutboxMessage};
use crate::ports::{ChannelClient, Checkpoints, OAuthError, Outgoing, Posted};

/// What one delivery of a `DistributionRequested` message came to. Every post write is
/// guarded by the attempt that claimed it: running the whole message again is safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivered {
    /// The due posts were attempted; this many are still to go.
    Attempted {
        attempted: usize,
        open: usize,
    },
    UnknownDistribution,
}

/// One delivery of a `DistributionRequested` message.
pub async fn deliver(s: &Services, id: DistributionId) -> Result<Delivered, AppError> {
    run(s, id).await
}

/// Attempts every due post of the distribution, in parallel.
#[instrument(skip_all, fields(distribution_id = %id))]
pub(super) async fn run(s: &Services, id: DistributionId) -> Result<Delivered, AppError> {
    let Some(d) = s.store.distribution_by_id(id).await? else {
        return Ok(Delivered::UnknownDistribution);
    };
    let now = s.clock.now();
    let due: Vec<Channel> = d
        .channels
        .iter()
        .filter(|p| is_due(p, now))
        .map(|p| p.channel)
        .collect();
    let attempts = due.iter().map(|&channel| attempt(s, id, channel));
    for result in futures::future::join_all(attempts).await {
        result?;
    }
    let open = announce_if_final(s, id).await?;
    Ok(Delivered::Attempted {
        attempted: due.len(),
        open,
    })
}

fn is_due(p: &ChannelPost, now: DateTime<Utc>) -> bool {
    matches!(p.status, ChannelStatus::Pending | ChannelStatus::Scheduled)
        && p.next_attempt_at.is_none_or(|t| t <= now)
}

/// Claims one post and sends it; nothing when another worker holds it or it is not due.
async fn attempt(s: &Services, id: DistributionId, channel: Channel) -> Result<(), AppError> {
    let now = s.clock.now();
    let lease = now + s.distribution.lease;
    let Some(post) = s.store.claim_post(id, channel, now, lease).await? else {
        return Ok(());
    };
    let target = Target::of(s, &post).await?;
    let posted = tokio::select! {
        posted = send(s, &post, &target) => posted?,
        never = hold(s, &post) => match never {},
    };
    if let (Posted::NeedsReconnect { detail }, Some(c)) = (&posted, &target.connection) {
        s.store
            .mark_needs_reconnect(c.owner, channel, detail, s.clock.now())
            .await?;
    }
    let settled = settle(&post, &posted, s.clock.now());
    let written = (s.store)
        .update_post(&settled, ChannelStatus::InProgress, post.attempts)
        .await?;
    // The sweep took it for abandoned meanwhile: what this attempt knows for sure still counts.
    if !written && matches!(settled.status, ChannelStatus::Published) {
        (s.store)
            .update_post(&settled, ChannelStatus::Unknown, post.attempts)
            .await?;
    }
    tracing::info!(channel = %channel, status = settled.status.code(), "post attempted");
    Ok(())
}

/// Renews the attempt's lease every third of it for as long as the attempt runs, so no attempt
/// outlives its lease however long the channel takes (Instagram's polling, slow answers) and the
/// sweep never starts a second one beside it; a worker that dies stops renewing, and its post is
/// taken up one lease later.
async fn hold(s: &Services, post: &ChannelPost) -> std::convert::Infallible {
    let every = (s.distribution.lease / 3)
        .to_std()
        .unwrap_or_default()
        .max(std::time::Duration::from_millis(200));
    loop {
        tokio::time::sleep(every).await;
        let until = s.clock.now() + s.distribution.lease;
        let renewed = (s.store)
            .renew_lease(post.distribution_id, post.channel, post.attempts, until)
            .await;
        if !matches!(renewed, Ok(true)) {
            tracing::warn!(channel = %post.channel, "the attempt's lease could not be renewed");
        }
    }
}

/// Where a post goes: the owner's connection and its channel's client, or the sandbox.
pub(super) struct Target {
    pub(super) connection: Option<Connection>,
    pub(super) client: Option<std::sync::Arc<dyn ChannelClient>>,
    pub(super) content: PostContent,
}

impl Target {
    pub(super) async fn of(s: &Services, post: &ChannelPost) -> Result<Self, AppError> {
        let content = post.content.clone();
        let owner = s.store.event_by_id(post.event_id).await?.map(|e| e.owner);
        let connection = match owner {
            Some(owner) => channels::connections(s, owner)
                .await?
                .into_iter()
                .find(|c| c.channel == post.channel),
            None => None,
        };
        let client = match &connection {
            Some(_) => s.channels.client(post.channel).cloned(),
            None => s.channels.sandbox.clone(),
        };
        Ok(Self {
            connection,
            client,
            content,
        })
    }
}

/// Records the checkpoints of one attempt.
struct AttemptCheckpoints<'a> {
    s: &'a Services,
    post: &'a ChannelPost,
}

#[async_trait]
impl Checkpoints for AttemptCheckpoints<'_> {
    async fn save(&self, step: Value) -> anyhow::Result<()> {
        let p = self.post;
        let held = (self.s.store)
            .save_checkpoint(p.distribution_id, p.channel, p.attempts, &step)
            .await?;
        anyhow::ensure!(held, "the attempt no longer holds the post");
        Ok(())
    }
}

/// Sends the post; a refused token is refreshed once (it was not posted) and the post sent
/// again.
async fn send(s: &Services, post: &ChannelPost, target: &Target) -> Result<Posted, AppError> {
    let Some(client) = &target.client else {
        return Ok(Posted::Failed {
            kind: FailureKind::NotConfigured,
            detail: "no client for this channel".to_owned(),
        });
    };
    let mut connection = target.connection.clone();
    if let Some(c) = &connection
        && c.token_expires_at.is_some_and(|t| t <= s.clock.now())
    {
        connection = refreshed(s, client.as_ref(), c).await?;
    }
    let image = image_bytes(s, &target.content).await;
    let posted = post_once(
        s,
        client.as_ref(),
        post,
        target,
        connection.as_ref(),
        image.as_deref(),
    )
    .await;
    let (Posted::NeedsReconnect { .. }, Some(c)) = (&posted, &connection) else {
        return Ok(posted);
    };
    let Some(fresh) = refreshed(s, client.as_ref(), c).await? else {
        return Ok(posted);
    };
    Ok(post_once(
        s,
        client.as_ref(),
        post,
        target,
        Some(&fresh),
        image.as_deref(),
    )
    .await)
}

async fn post_once(
    s: &Services,
    client: &dyn ChannelClient,
    post: &ChannelPost,
    target: &Target,
    connection: Option<&Connection>,
    image: Option<&[u8]>,
) -> Posted {
    let out = Outgoing {
        channel: post.channel,
        post: &target.content,
        secret: connection.map(|c| &c.secret),
        idempotency_key: &idempotency_key(post),
        image,
        checkpoint: post.checkpoint.as_ref(),
        now: s.clock.now(),
    };
    client.post(&out, &AttemptCheckpoints { s, post }).await
}

/// Stable for this channel of this distribution, whatever the attempt.
pub(super) fn idempotency_key(post: &ChannelPost) -> String {
    format!(
        "{}-{}",
        post.distribution_id.0.simple(),
        post.channel.code().to_lowercase()
    )
}

/// The image's bytes for the channels that upload it; `None` when there is no image or it
/// cannot be read (the channel's rules then refuse the post).
pub(super) async fn image_bytes(s: &Services, content: &PostContent) -> Option<Vec<u8>> {
    let image = content.image.as_ref()?;
    s.blobs.get(&image.blob_key).await.ok()
}

/// The connection with a fresh token, or `None` when the provider refused (reconnect).
async fn refreshed(
    s: &Services,
    client: &dyn ChannelClient,
    c: &Connection,
) -> Result<Option<Connection>, AppError> {
    match client.refresh(&c.secret).await {
        Ok(grant) => Ok(Some(channels::refresh_with(s, c, grant).await?)),
        Err(OAuthError::Refused(why) | OAuthError::Unavailable(why)) => {
            tracing::warn!(reason = %why, "token refresh failed");
            Ok(None)
        }
        Err(OAuthError::Unsupported) => Ok(None),
    }
}

/// Announces, once, a distribution whose every channel has an outcome; returns how many
/// channels are still open.
pub(super) async fn announce_if_final(s: &Services, id: DistributionId) -> Result<usize, AppError> {
    let d = by_id(s, id).await?;
    let status = d.status();
    let open = d.channels.iter().filter(|p| !p.status.is_settled()).count();
    if !status.is_final() {
        return Ok(open);
    }
    let channels = (d.channels.iter())
        .map(|p| ChannelOutcome {
            channel: p.channel,
            status: p.status,
            url: p.url.clone(),
        })
        .collect();
    let completed = DistributionCompleted {
        distribution_id: d.id,
        status,
        channels,
    };
    let now = s.clock.now();
    let message = OutboxMessage::new(d.event_id, Message::DistributionCompleted(completed), now);
    if s.store.announce_completion(d.id, &message, now).await? {
        s.relay_kick.notify_one();
        tracing::info!(status = status.code(), "distribution completed");
    }
    Ok(open)
}
