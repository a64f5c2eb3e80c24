//! The owner's channel connections: listed (never with their secrets), connected by OAuth
//! (Instagram, Naver) or by keys entered once (Kakao's dealer, KT's partner), disconnected, and
//! kept fresh (tokens refreshed before they expire). Secrets are sealed before they are stored.

mod oauth;

use chrono::{DateTime, Utc};
use tracing::instrument;

pub(crate) use oauth::refresh_with;
pub use oauth::{OAuthStarted, browser_cookie, finish_oauth, refresh_expiring, start_oauth};

use super::{AppError, Services};
use crate::domain::connection::{ChannelSecret, Connection, connects_by_oauth};
pub use crate::domain::refusals::ChannelError;
use crate::domain::{Channel, UserId};
use crate::ports::{OAuthError, StoredConnection};

/// How long a login page may take before its `state` expires.
pub const OAUTH_STATE_MINUTES: i64 = 10;
/// Tokens expiring sooner than this are refreshed by the sweep.
const REFRESH_AHEAD_DAYS: i64 = 7;

/// One channel as the owner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelView {
    pub channel: Channel,
    pub connected: bool,
    pub label: Option<String>,
    pub token_expires_at: Option<DateTime<Utc>>,
    pub needs_reconnect: bool,
    pub last_error: Option<String>,
    /// The platform can post to it (its endpoint is configured).
    pub available: bool,
    /// Unconnected, it would publish to the local sandbox.
    pub sandbox: bool,
}

fn aad(owner: UserId, channel: Channel) -> Vec<u8> {
    format!("channel-connection|{owner}|{}", channel.code()).into_bytes()
}

pub(super) fn seal(s: &Services, c: &Connection) -> StoredConnection {
    #[allow(clippy::expect_used)] // a ChannelSecret always serialises
    let plaintext = serde_json::to_vec(&c.secret).expect("secret as JSON");
    StoredConnection {
        owner: c.owner,
        channel: c.channel,
        label: c.label.clone(),
        sealed: s.vault.seal(&plaintext, &aad(c.owner, c.channel)),
        token_expires_at: c.token_expires_at,
        needs_reconnect: c.needs_reconnect,
        last_error: c.last_error.clone(),
        connected_at: c.connected_at,
        updated_at: c.updated_at,
    }
}

pub(super) fn open(s: &Services, stored: StoredConnection) -> Result<Connection, AppError> {
    let plaintext = (s.vault)
        .open(&stored.sealed, &aad(stored.owner, stored.channel))
        .map_err(|e| AppError::Internal(e.into()))?;
    let secret: ChannelSecret =
        serde_json::from_slice(&plaintext).map_err(|e| AppError::Internal(e.into()))?;
    Ok(Connection {
        owner: stored.owner,
        channel: stored.channel,
        label: stored.label,
        secret,
        token_expires_at: stored.token_expires_at,
        needs_reconnect: stored.needs_reconnect,
        last_error: stored.last_error,
        connected_at: stored.connected_at,
        updated_at: stored.updated_at,
    })
}

/// The owner's connections, their secrets opened.
pub async fn connections(s: &Services, owner: UserId) -> Result<Vec<Connection>, AppError> {
    let stored = s.store.connections_of(owner).await?;
    stored.into_iter().map(|c| open(s, c)).collect()
}

pub async fn list(s: &Services, owner: UserId) -> Result<Vec<ChannelView>, AppError> {
    let stored = s.store.connections_of(owner).await?;
    Ok(Channel::ALL
        .into_iter()
        .map(|channel| {
            let c = stored.iter().find(|c| c.channel == channel);
            ChannelView {
                channel,
                connected: c.is_some(),
                label: c.and_then(|c| c.label.clone()),
                token_expires_at: c.and_then(|c| c.token_expires_at),
                needs_reconnect: c.is_some_and(|c| c.needs_reconnect),
                last_error: c.and_then(|c| c.last_error.clone()),
                available: s.channels.client(channel).is_some(),
                sandbox: c.is_none() && s.channels.sandbox.is_some(),
            }
        })
        .collect())
}

pub(super) async fn save(
    s: &Services,
    owner: UserId,
    channel: Channel,
    secret: ChannelSecret,
    label: Option<String>,
    token_expires_at: Option<DateTime<Utc>>,
) -> Result<(), AppError> {
    let now = s.clock.now();
    let connection = Connection {
        owner,
        channel,
        label,
        secret,
        token_expires_at,
        needs_reconnect: false,
        last_error: None,
        connected_at: now,
        updated_at: now,
    };
    Ok(s.store.save_connection(&seal(s, &connection)).await?)
}

pub(super) async fn view(
    s: &Services,
    owner: UserId,
    channel: Channel,
) -> Result<ChannelView, AppError> {
    let all = list(s, owner).await?;
    all.into_iter()
        .find(|v| v.channel == channel)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("channel missing from the list")))
}

/// Kakao's dealer keys or KT's partner account, entered once.
#[instrument(skip_all, fields(user_id = %owner, channel = %channel))]
pub async fn connect_with_keys(
    s: &Services,
    owner: UserId,
    channel: Channel,
    secret: ChannelSecret,
) -> Result<ChannelView, AppError> {
    if connects_by_oauth(channel) {
        return Err(ChannelError::UsesOAuth(channel).into());
    }
    if !secret.fits(channel) {
        return Err(ChannelError::WrongKind(channel).into());
    }
    let label = match &secret {
        ChannelSecret::Kakao { sender_key, .. } => {
            Some(format!("발신 프로필 {}", tail(sender_key)))
        }
        ChannelSecret::KtPartner { account_id, .. } => {
            Some(format!("KT 파트너 계정 {}", tail(account_id)))
        }
        _ => None,
    };
    if let Some(client) = s.channels.client(channel) {
        match client.verify(&secret).await {
            Ok(()) | Err(OAuthError::Unsupported) => {}
            Err(OAuthError::Refused(why)) => {
                tracing::info!(channel = %channel, reason = %why, "keys refused");
                return Err(ChannelError::KeysRefused(channel).into());
            }
            Err(OAuthError::Unavailable(_)) => {
                return Err(ChannelError::ProviderDown(channel).into());
            }
        }
    }
    save(s, owner, channel, secret, label, None).await?;
    view(s, owner, channel).await
}

/// The last four characters: enough to recognise a key, not enough to use it.
fn tail(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    let shown: String = chars[chars.len().saturating_sub(4)..].iter().collect();
    format!("…{shown}")
}

#[instrument(skip_all, fields(user_id = %owner, channel = %channel))]
pub async fn disconnect(s: &Services, owner: UserId, channel: Channel) -> Result<(), AppError> {
    if !s.store.delete_connection(owner, channel).await? {
        return Err(ChannelError::NotConnected(channel).into());
    }
    Ok(())
}
