//! Connecting by the provider's login (OAuth authorization code): a one-time `state` bound to
//! the owner who started and to the browser they started in, the code exchanged for tokens, and
//! tokens refreshed before they expire.

use chrono::Duration;
use serde_json::Value;
use sha2::{Digest, Sha256};
use tracing::instrument;

use super::{
    ChannelError, ChannelView, OAUTH_STATE_MINUTES, REFRESH_AHEAD_DAYS, open, save, seal, view,
};
use crate::app::{AppError, Services};
use crate::domain::connection::{ChannelSecret, Connection, connects_by_oauth};
use crate::domain::{Channel, UserId};
use crate::ports::{Grant, OAuthError};

fn state_hash(state: &str) -> String {
    hex::encode(Sha256::digest(state.as_bytes()))
}

fn redirect_uri(s: &Services, channel: Channel) -> String {
    let code = channel.code().to_lowercase();
    format!("{}/api/channels/{code}/oauth/callback", s.public_base_url)
}

/// A login started: the provider's page, and the nonce the starting browser keeps (in a
/// cookie) so that only that browser can finish it.
#[derive(Debug, Clone)]
pub struct OAuthStarted {
    pub url: String,
    pub browser: String,
}

/// The cookie that binds a login of `channel` to the browser that started it.
pub fn browser_cookie(channel: Channel) -> String {
    format!("em_oauth_{}", channel.code().to_lowercase())
}

/// Starts an OAuth login: the provider's page, with a one-time `state` bound to this owner and
/// to the starting browser (a nonce whose hash the state keeps). Neither Instagram Login nor
/// Naver Login offers PKCE, so the browser binding is what stops a login link opened in someone
/// else's browser from connecting their account to this shop.
/// `params` carry what the login itself does not give (Naver's cafe board).
#[instrument(skip_all, fields(user_id = %owner, channel = %channel))]
pub async fn start_oauth(
    s: &Services,
    owner: UserId,
    channel: Channel,
    mut params: Value,
) -> Result<OAuthStarted, AppError> {
    if !connects_by_oauth(channel) {
        return Err(ChannelError::UsesKeys(channel).into());
    }
    let client = s
        .channels
        .client(channel)
        .ok_or(ChannelError::NotAvailable(channel))?;
    let state = crate::app::random_token();
    let browser = crate::app::random_token();
    params["browser"] = Value::String(state_hash(&browser));
    let expires = s.clock.now() + Duration::minutes(OAUTH_STATE_MINUTES);
    (s.store)
        .save_oauth_state(&state_hash(&state), owner, channel, &params, expires)
        .await?;
    let url = (client.authorize_url(&state, &redirect_uri(s, channel)))
        .ok_or(ChannelError::NotAvailable(channel))?;
    Ok(OAuthStarted { url, browser })
}

/// The provider sent the owner back with a code: exchange it and keep the connection — only
/// in the browser that started the login (`browser`: its cookie's nonce).
#[instrument(skip_all, fields(channel = %channel))]
pub async fn finish_oauth(
    s: &Services,
    channel: Channel,
    state: &str,
    code: &str,
    browser: Option<&str>,
) -> Result<(ChannelView, Option<String>), AppError> {
    let now = s.clock.now();
    let (owner, stored_channel, params) = (s.store.take_oauth_state(&state_hash(state), now))
        .await?
        .ok_or(ChannelError::LoginExpired)?;
    if stored_channel != channel {
        return Err(ChannelError::LoginExpired.into());
    }
    let started_here = browser.map(state_hash);
    if started_here.is_none() || params["browser"].as_str() != started_here.as_deref() {
        tracing::warn!(channel = %channel, "a login finished in another browser");
        return Err(ChannelError::OtherBrowser(channel).into());
    }
    let client = (s.channels.client(channel)).ok_or(ChannelError::NotAvailable(channel))?;
    let grant = (client.exchange_code(code, &redirect_uri(s, channel)).await)
        .map_err(|e| oauth_error(channel, e))?;
    let secret = with_params(grant.secret, &params);
    let expires_at = grant.expires_in.map(|d| s.clock.now() + d);
    save(s, owner, channel, secret, grant.label, expires_at).await?;
    tracing::info!(user_id = %owner, "channel connected");
    Ok((view(s, owner, channel).await?, return_to(&params)))
}

/// Where the console asked to come back to after the login (a console path, nothing else).
pub fn return_to(params: &Value) -> Option<String> {
    (params["returnTo"].as_str())
        .filter(|p| p.starts_with("/events/") && !p.contains("//") && !p.contains('\\'))
        .map(str::to_owned)
}

fn oauth_error(channel: Channel, e: OAuthError) -> AppError {
    match e {
        OAuthError::Refused(_) => ChannelError::Refused(channel).into(),
        OAuthError::Unavailable(why) => {
            tracing::warn!(reason = %why, "OAuth provider unavailable");
            ChannelError::ProviderDown(channel).into()
        }
        OAuthError::Unsupported => ChannelError::NotAvailable(channel).into(),
    }
}

/// Naver's login gives tokens; the board posts go to was chosen when the login started.
fn with_params(secret: ChannelSecret, params: &Value) -> ChannelSecret {
    match secret {
        ChannelSecret::Naver {
            access_token,
            refresh_token,
            ..
        } => ChannelSecret::Naver {
            access_token,
            refresh_token,
            club_id: params["clubId"].as_str().unwrap_or_default().to_owned(),
            menu_id: params["menuId"].as_str().unwrap_or_default().to_owned(),
        },
        other => other,
    }
}

/// Refreshes the OAuth tokens that expire within a week (Instagram's long-lived tokens last 60
/// days and can be refreshed while valid). Returns how many were refreshed.
#[instrument(skip_all)]
pub async fn refresh_expiring(s: &Services) -> Result<usize, AppError> {
    let now = s.clock.now();
    let mut refreshed = 0;
    for channel in [Channel::Instagram] {
        let Some(client) = s.channels.client(channel) else {
            continue;
        };
        let soon = now + Duration::days(REFRESH_AHEAD_DAYS);
        for stored in s.store.connections_expiring(channel, soon, 50).await? {
            let c = open(s, stored)?;
            match client.refresh(&c.secret).await {
                Ok(grant) => {
                    refresh_with(s, &c, grant).await?;
                    refreshed += 1;
                }
                Err(e) => tracing::warn!(error = %e, "token refresh failed"),
            }
        }
    }
    Ok(refreshed)
}

/// Keeps a refreshed token.
pub(crate) async fn refresh_with(
    s: &Services,
    c: &Connection,
    grant: Grant,
) -> Result<Connection, AppError> {
    let refreshed = Connection {
        secret: grant.secret,
        token_expires_at: grant.expires_in.map(|d| s.clock.now() + d),
        label: grant.label.or_else(|| c.label.clone()),
        updated_at: s.clock.now(),
        ..c.clone()
    };
    s.store.save_connection(&seal(s, &refreshed)).await?;
    Ok(refreshed)
}
