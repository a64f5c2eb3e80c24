//! Instagram: the Graph API's content publishing for one image (Instagram Login).
//!
//! quota check → media container from the poster's public JPEG URL (checkpointed) → poll the
//! container until FINISHED → checkpoint → `media_publish` (never retried) → permalink (best
//! effort). A publish whose answer is lost is reconciled by reading the container: PUBLISHED
//! means it went out, and the media is found in the account's listing by its caption.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;

mod graph;
mod insights;
mod oauth;
mod publish;

use super::resilience::http;
use crate::config::InstagramSettings;
use crate::domain::connection::ChannelSecret;
use crate::domain::distribution::FailureKind;
use crate::ports::{ChannelClient, Checkpoints, Grant, OAuthError, Outgoing, Posted, Reconciled};
use graph::{GraphError, failure};

pub struct Instagram {
    http: reqwest::Client,
    s: InstagramSettings,
}

impl Instagram {
    pub fn new(s: InstagramSettings, timeout: Duration) -> anyhow::Result<Self> {
        Ok(Self {
            http: http(timeout)?,
            s,
        })
    }

    fn url(&self, path: &str) -> String {
        let base = self.s.api_base.as_str().trim_end_matches('/');
        format!("{base}/{}/{path}", self.s.api_version)
    }
}

fn token(secret: Option<&ChannelSecret>) -> Option<(&str, &str)> {
    match secret? {
        ChannelSecret::Instagram {
            user_id,
            access_token,
        } => Some((user_id, access_token)),
        _ => None,
    }
}

fn not_connected() -> Posted {
    Posted::Failed {
        kind: FailureKind::Account,
        detail: "no Instagram connection".to_owned(),
    }
}

impl Instagram {
    /// `Some(outcome)` when the account may not publish now.
    async fn quota(&self, user: &str, token: &str, now: DateTime<Utc>) -> Option<Posted> {
        let path = format!("{user}/content_publishing_limit");
        let query = [("fields", "quota_usage,config"), ("access_token", token)];
        match self.read(&path, &query).await {
            Ok(v) => {
                let usage = v["data"][0]["quota_usage"].as_i64().unwrap_or(0);
                let total = v["data"][0]["config"]["quota_total"]
                    .as_i64()
                    .unwrap_or(i64::MAX);
                (usage >= total).then(|| Posted::RateLimited {
                    retry_at: now + chrono::Duration::hours(1),
                    detail: format!("publishing quota used: {usage}/{total}"),
                })
            }
            Err(e) => Some(failure(&e, now)),
        }
    }

    /// A new container for the post's image and caption (not a post: safe to repeat).
    async fn container(
        &self,
        out: &Outgoing<'_>,
        user: &str,
        token: &str,
    ) -> Result<String, GraphError> {
        let image = out
            .post
            .image
            .as_ref()
            .map(|i| i.url.as_str())
            .unwrap_or_default();
        let form = [
            ("image_url", image),
            ("caption", out.post.text.as_str()),
            ("access_token", token),
        ];
        let url = self.url(&format!("{user}/media"));
        let made = self.repeatable(|| self.http.post(&url).form(&form)).await?;
        match made["id"].as_str() {
            Some(id) if !id.is_empty() => Ok(id.to_owned()),
            _ => Err(GraphError::Transport {
                why: "container without id".to_owned(),
                sent: true,
            }),
        }
    }

    /// Waits until the container is FINISHED; its final status otherwise.
    async fn wait_until_ready(&self, container: &str, token: &str) -> Result<String, GraphError> {
        let started = tokio::time::Instant::now();
        loop {
            let query = [("fields", "status_code,status"), ("access_token", token)];
            let status = self.read(container, &query).await?;
            let code = status["status_code"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if code != "IN_PROGRESS" || started.elapsed() >= self.s.poll_for {
                return Ok(code);
            }
            tokio::time::sleep(self.s.poll_every).await;
        }
    }

    async fn permalink(&self, media: &str, token: &str) -> Option<String> {
        let query = [("fields", "permalink"), ("access_token", token)];
        let v = self.read(media, &query).await.ok()?;
        v["permalink"].as_str().map(str::to_owned)
    }

    async fn publish(&self, out: &Outgoing<'_>, progress: &dyn Checkpoints) -> Posted {
        let Some((user, token)) = token(out.secret) else {
            return not_connected();
        };
        if let Some(stop) = self.quota(user, token, out.now).await {
            return stop;
        }
        let reuse = out.checkpoint.and_then(|c| c["container"].as_str());
        let container = match self
            .ready_container(out, user, token, reuse, progress)
            .await
        {
            Ok(id) => id,
            Err(stop) => return stop,
        };
        let publishing = json!({ "container": container, "publishing": true, "at": out.now });
        if progress.save(publishing).await.is_err() {
            return lost_hold();
        }
        self.media_publish(&container, user, token, out.now).await
    }
}

/// The attempt lost its hold on the post (its lease ran out): stop before sending anything.
fn lost_hold() -> Posted {
    Posted::Failed {
        kind: FailureKind::Transient,
        detail: "the attempt lost its hold on the post".to_owned(),
    }
}

#[async_trait]
impl ChannelClient for Instagram {
    async fn post(&self, out: &Outgoing<'_>, progress: &dyn Checkpoints) -> Posted {
        self.publish(out, progress).await
    }

    async fn reconcile(&self, out: &Outgoing<'_>) -> Reconciled {
        let Some(container) = out.checkpoint.and_then(|c| c["container"].as_str()) else {
            return Reconciled::SendAgain; // no container: nothing can have been published
        };
        let Some((user, token)) = token(out.secret) else {
            return Reconciled::StillUnknown("no Instagram connection".to_owned());
        };
        let query = [("fields", "status_code,status"), ("access_token", token)];
        let status = match self.read(container, &query).await {
            Ok(v) => v["status_code"].as_str().unwrap_or_default().to_owned(),
            Err(e) => return Reconciled::StillUnknown(format!("container unreadable: {e:?}")),
        };
        match status.as_str() {
            "PUBLISHED" => {}
            // The container says it was not published.
            "FINISHED" | "IN_PROGRESS" | "ERROR" | "EXPIRED" => return Reconciled::SendAgain,
            other => return Reconciled::StillUnknown(format!("container status {other:?}")),
        }
        match self.published(user, token, container, out).await {
            Posted::Published { external_id, url } => Reconciled::Published { external_id, url },
            other => Reconciled::StillUnknown(format!("{other:?}")),
        }
    }

    fn authorize_url(&self, state: &str, redirect_uri: &str) -> Option<String> {
        let (app_id, _) = self.s.app.as_ref()?;
        let mut url = self.s.oauth_base.join("oauth/authorize").ok()?;
        url.query_pairs_mut()
            .append_pair("client_id", app_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("response_type", "code")
            .append_pair(
                "scope",
                "instagram_business_basic,instagram_business_content_publish",
            )
            .append_pair("state", state);
        Some(url.into())
    }

    async fn exchange_code(&self, code: &str, redirect_uri: &str) -> Result<Grant, OAuthError> {
        oauth::exchange(self, code, redirect_uri).await
    }

    async fn refresh(&self, secret: &ChannelSecret) -> Result<Grant, OAuthError> {
        oauth::refresh(self, secret).await
    }

    async fn stats(
        &self,
        secret: Option<&ChannelSecret>,
        media: &str,
    ) -> Result<Option<serde_json::Value>, String> {
        insights::read(self, secret, media).await.map(Some)
    }
}

impl Instagram {
    /// The published media, by its caption, in the account's listing around the publish time
    /// (never "the latest item": another post may have come in between).
    async fn find_media(
        &self,
        user: &str,
        token: &str,
        caption: &str,
        since: Option<DateTime<Utc>>,
    ) -> Option<(String, Option<String>)> {
        let since = since.map(|t| (t - chrono::Duration::minutes(10)).timestamp().to_string());
        let mut query = vec![
            ("fields", "id,caption,timestamp,permalink"),
            ("access_token", token),
        ];
        if let Some(s) = &since {
            query.push(("since", s));
        }
        let listing = self.read(&format!("{user}/media"), &query).await.ok()?;
        let found = listing["data"]
            .as_array()?
            .iter()
            .find(|m| m["caption"].as_str() == Some(caption))?;
        let id = found["id"].as_str()?.to_owned();
        Some((id, found["permalink"].as_str().map(str::to_owned)))
    }

    pub(super) fn settings(&self) -> &InstagramSettings {
        &self.s
    }

    pub(super) fn client(&self) -> &reqwest::Client {
        &self.http
    }
}
