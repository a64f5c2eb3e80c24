//! The channels posts go to. One client per channel, each speaking its channel's protocol;
//! the app drives them through this trait and never retries a post blindly.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::domain::Channel;
use crate::domain::connection::ChannelSecret;
use crate::domain::distribution::{FailureKind, Review};
use crate::domain::post::PostContent;

/// One post to send.
pub struct Outgoing<'a> {
    pub channel: Channel,
    pub post: &'a PostContent,
    /// The owner's connection; `None` for the sandbox.
    pub secret: Option<&'a ChannelSecret>,
    /// Stable for this channel of this event: the channel drops a repeat (Kakao, KT).
    pub idempotency_key: &'a str,
    /// The image's bytes, for channels that upload it (Naver, Kakao).
    pub image: Option<&'a [u8]>,
    /// Where an earlier, interrupted attempt stopped (e.g. Instagram's container id).
    pub checkpoint: Option<&'a Value>,
    pub now: DateTime<Utc>,
}

/// What became of a post.
#[derive(Debug, Clone, PartialEq)]
pub enum Posted {
    Published {
        external_id: String,
        url: Option<String>,
    },
    /// Accepted by a channel that reviews it before it runs (KT): published, under review.
    Accepted { external_id: String, review: Review },
    /// Local only: written to the sandbox, nothing sent.
    Sandbox { path: String },
    /// Accepted for later (Kakao's night rule): send again at `at`.
    Scheduled { at: DateTime<Utc>, detail: String },
    /// Not sent: the channel's limit; try again at `retry_at`.
    RateLimited {
        retry_at: DateTime<Utc>,
        detail: String,
    },
    /// Not sent.
    Failed { kind: FailureKind, detail: String },
    /// Not sent: the token was refused.
    NeedsReconnect { detail: String },
    /// Maybe sent: the outcome is not known (a timeout after sending, a lost answer).
    Unknown { detail: String },
}

/// What a read found about an interrupted or unknown post.
#[derive(Debug, Clone, PartialEq)]
pub enum Reconciled {
    Published {
        external_id: String,
        url: Option<String>,
    },
    /// Sending again cannot post twice: it certainly was not posted, or the channel drops a
    /// repeat of the same idempotency key.
    SendAgain,
    /// The channel holds the post and is reviewing it (or passed it).
    Accepted { external_id: String, review: Review },
    /// The channel holds the post but refused it later (KT's review rejected the order): the
    /// outcome, a failure.
    Refused(Posted),
    /// The channel cannot tell (no read API, or the read failed).
    StillUnknown(String),
}

/// Where an attempt records how far it got, before each irreversible step.
#[async_trait]
pub trait Checkpoints: Send + Sync {
    async fn save(&self, step: Value) -> anyhow::Result<()>;
}

/// What an OAuth login gave.
#[derive(Debug, Clone)]
pub struct Grant {
    pub secret: ChannelSecret,
    pub label: Option<String>,
    /// How long the access token lives, from now.
    pub expires_in: Option<chrono::Duration>,
}

#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    /// The provider refused the code or token: the owner must log in again.
    #[error("refused: {0}")]
    Refused(String),
    #[error("unavailable: {0}")]
    Unavailable(String),
    #[error("this channel does not connect by OAuth or is not configured")]
    Unsupported,
}

#[async_trait]
pub trait ChannelClient: Send + Sync {
    /// Sends the post. Implementations retry only what the channel makes safe to repeat, and
    /// save a checkpoint before any step that cannot be undone.
    async fn post(&self, out: &Outgoing<'_>, progress: &dyn Checkpoints) -> Posted;

    /// Finds out whether an interrupted or unknown post went out, by reading the channel.
    async fn reconcile(&self, out: &Outgoing<'_>) -> Reconciled;

    /// The provider's login page for an OAuth channel.
    fn authorize_url(&self, _state: &str, _redirect_uri: &str) -> Option<String> {
        None
    }

    async fn exchange_code(&self, _code: &str, _redirect_uri: &str) -> Result<Grant, OAuthError> {
        Err(OAuthError::Unsupported)
    }

    /// Whether the channel accepts keys an owner entered, before they are saved
    /// (`Refused`: they are wrong; `Unavailable`: the channel did not answer).
    async fn verify(&self, _secret: &ChannelSecret) -> Result<(), OAuthError> {
        Ok(())
    }

    /// A fresh token for a connection that has one.
    async fn refresh(&self, _secret: &ChannelSecret) -> Result<Grant, OAuthError> {
        Err(OAuthError::Unsupported)
    }

    /// The channel's own statistics of a published post (`external_id` as `post` returned
    /// it); `Ok(None)` for a channel that reports none, `Err` when the channel did not answer.
    async fn stats(
        &self,
        _secret: Option<&ChannelSecret>,
        _external_id: &str,
    ) -> Result<Option<Value>, String> {
        Ok(None)
    }
}

/// The client of each channel that is configured on this platform, and the sandbox (local
/// mode only) that stands in for unconnected channels.
#[derive(Clone, Default)]
pub struct Channels {
    clients: Vec<(Channel, Arc<dyn ChannelClient>)>,
    pub sandbox: Option<Arc<dyn ChannelClient>>,
}

impl Channels {
    pub fn new(sandbox: Option<Arc<dyn ChannelClient>>) -> Self {
        Self {
            clients: Vec::new(),
            sandbox,
        }
    }

    pub fn with(mut self, channel: Channel, client: Arc<dyn ChannelClient>) -> Self {
        self.clients.retain(|(c, _)| *c != channel);
        self.clients.push((channel, client));
        self
    }

    /// The channel's own client; `None` when the platform has no endpoint for it.
    pub fn client(&self, channel: Channel) -> Option<&Arc<dyn ChannelClient>> {
        self.clients
            .iter()
            .find(|(c, _)| *c == channel)
            .map(|(_, client)| client)
    }
}
