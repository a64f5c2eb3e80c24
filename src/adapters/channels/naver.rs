//! Naver: an article on the shop's Naver Cafe board (the Blog write API closed in 2020), posted
//! with the owner's Naver Login token as multipart with UTF-8 text parts and the image.
//!
//! Naver has no idempotency key and no way to read an article back, so the write is sent once:
//! an answer that does not come leaves the post UNKNOWN until the owner looks at the board.
//! Errors arrive as HTTP 403 with `"status":"500"` and an `AP00x` code inside, or as
//! `{"errorCode","errorMessage"}` (401 `024`: the token; 429: the daily quota).

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::resilience::{http, retry_after};
use super::verdict::Verdict;
use crate::config::NaverSettings;
use crate::domain::calendar::next_seoul_midnight;
use crate::domain::connection::ChannelSecret;
use crate::domain::distribution::FailureKind;
use crate::ports::{ChannelClient, Checkpoints, Grant, OAuthError, Outgoing, Posted, Reconciled};

pub struct Naver {
    http: reqwest::Client,
    s: NaverSettings,
}

impl Naver {
    pub fn new(s: NaverSettings, timeout: Duration) -> anyhow::Result<Self> {
        Ok(Self {
            http: http(timeout)?,
            s,
        })
    }

    fn form(out: &Outgoing<'_>) -> Option<reqwest::multipart::Form> {
        let part = reqwest::multipart::Part::bytes(out.image?.to_vec())
            .file_name("poster.png")
            .mime_str("image/png")
            .ok()?;
        Some(
            reqwest::multipart::Form::new()
                .text("subject", out.post.title.clone())
                .text("content", out.post.text.clone())
                .part("image", part),
        )
    }

    async fn write(&self, out: &Outgoing<'_>, progress: &dyn Checkpoints) -> Posted {
        let Some(ChannelSecret::Naver {
            access_token,
            club_id,
            menu_id,
            ..
        }) = out.secret
        else {
            return Posted::Failed {
                kind: FailureKind::Account,
                detail: "no Naver connection".to_owned(),
            };
        };
        let Some(form) = Self::form(out) else {
            return Posted::Failed {
                kind: FailureKind::Rejected,
                detail: "no image to attach".to_owned(),
            };
        };
        let base = self.s.api_base.as_str().trim_end_matches('/');
        let url = format!("{base}/v1/cafe/{club_id}/menu/{menu_id}/articles");
        if progress
            .save(json!({ "sending": true, "at": out.now }))
            .await
            .is_err()
        {
            return Posted::Failed {
                kind: FailureKind::Transient,
                detail: "the attempt lost its hold on the post".to_owned(),
            };
        }
        let sent = self
            .http
            .post(url)
            .bearer_auth(access_token)
            .multipart(form)
            .send()
            .await;
        let res = match sent {
            Ok(res) => res,
            Err(e) => return Verdict::failed_request(&e).posted(),
        };
        match Verdict::by_status(res.status(), res.headers()) {
            Some(v) => v.posted(),
            None => answer(res, out.now).await,
        }
    }
}

/// What Naver's answer to a write means.
async fn answer(res: reqwest::Response, now: DateTime<Utc>) -> Posted {
    let status = res.status().as_u16();
    let after = retry_after(res.headers());
    let body: Value = match res.json().await {
        Ok(v) => v,
        Err(e) => {
            return Posted::Unknown {
                detail: format!("HTTP {status}, unreadable answer: {e}"),
            };
        }
    };
    let result = &body["message"]["result"];
    if (200..300).contains(&status) && body["message"]["status"] != "200" {
        // A success that is not the documented one: it may have been written.
        return Posted::Unknown {
            detail: format!("HTTP {status}, an unexpected answer"),
        };
    }
    if (200..300).contains(&status) {
        let article = (result["articleId"].as_i64().map(|n| n.to_string()))
            .or_else(|| result["articleId"].as_str().map(str::to_owned))
            .unwrap_or_default();
        let url = result["articleUrl"].as_str().map(str::to_owned);
        return Verdict::made(Some(&article), url).posted();
    }
    let code = (body["message"]["error"]["code"].as_str())
        .or_else(|| body["errorCode"].as_str())
        .unwrap_or_default()
        .to_owned();
    let message = (body["message"]["error"]["msg"].as_str())
        .or_else(|| body["errorMessage"].as_str())
        .unwrap_or_default();
    let detail = format!("Naver {status} {code}: {message}");
    match (status, code.as_str()) {
        (401, _) | (_, "024") => Posted::NeedsReconnect { detail },
        (429, _) => Posted::RateLimited {
            retry_at: rate_limit_ends(now, after, &code, message),
            detail,
        },
        (_, "AP001" | "AP005") => Posted::Failed {
            kind: FailureKind::Rejected,
            detail,
        },
        (_, "AP002" | "AP003" | "AP004" | "AP006" | "AP007" | "AP008") => Posted::Failed {
            kind: FailureKind::Account,
            detail,
        },
        _ => Posted::Failed {
            kind: FailureKind::Rejected,
            detail,
        },
    }
}

/// When a 429 ends: the `Retry-After` Naver gave; the next Seoul midnight only when the answer
/// says it is the daily quota (`010`, "quota", 한도); otherwise a minute.
fn rate_limit_ends(
    now: DateTime<Utc>,
    after: Option<Duration>,
    code: &str,
    message: &str,
) -> DateTime<Utc> {
    if let Some(after) = after {
        return now + chrono::Duration::from_std(after).unwrap_or_default();
    }
    let lower = message.to_lowercase();
    if code == "010" || lower.contains("quota") || message.contains("한도") {
        return next_seoul_midnight(now);
    }
    now + chrono::Duration::minutes(1)
}

#[async_trait]
impl ChannelClient for Naver {
    async fn post(&self, out: &Outgoing<'_>, progress: &dyn Checkpoints) -> Posted {
        self.write(out, progress).await
    }

    async fn reconcile(&self, out: &Outgoing<'_>) -> Reconciled {
        if out.checkpoint.is_some_and(|c| c["sending"] == true) {
            return Reconciled::StillUnknown("Naver has no API to read an article back".to_owned());
        }
        Reconciled::SendAgain // stopped before the write
    }

    fn authorize_url(&self, state: &str, redirect_uri: &str) -> Option<String> {
        let (client_id, _) = self.s.app.as_ref()?;
        let mut url = self.s.auth_base.join("oauth2.0/authorize").ok()?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("state", state);
        Some(url.into())
    }

    async fn exchange_code(&self, code: &str, _redirect_uri: &str) -> Result<Grant, OAuthError> {
        self.token(
            &[("grant_type", "authorization_code"), ("code", code)],
            None,
        )
        .await
    }

    async fn refresh(&self, secret: &ChannelSecret) -> Result<Grant, OAuthError> {
        let ChannelSecret::Naver { refresh_token, .. } = secret else {
            return Err(OAuthError::Unsupported);
        };
        let grant = [
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.as_str()),
        ];
        self.token(&grant, Some(secret)).await
    }
}

impl Naver {
    /// `oauth2.0/token`: a new access token (and refresh token, on a first login).
    async fn token(
        &self,
        grant: &[(&str, &str)],
        old: Option<&ChannelSecret>,
    ) -> Result<Grant, OAuthError> {
        let (client_id, client_secret) = self.s.app.as_ref().ok_or(OAuthError::Unsupported)?;
        let url = (self.s.auth_base.join("oauth2.0/token"))
            .map_err(|e| OAuthError::Unavailable(e.to_string()))?;
        let mut query = vec![
            ("client_id", client_id.as_str()),
            ("client_secret", client_secret.expose().as_str()),
        ];
        query.extend_from_slice(grant);
        let res = (self.http.post(url).query(&query).send().await)
            .map_err(|e| OAuthError::Unavailable(e.to_string()))?;
        if res.status().is_server_error() {
            return Err(OAuthError::Unavailable(format!("HTTP {}", res.status())));
        }
        let body: Value = (res.json().await).map_err(|e| OAuthError::Unavailable(e.to_string()))?;
        let Some(access) = body["access_token"]
            .as_str()
            .filter(|_| body.get("error").is_none())
        else {
            return Err(OAuthError::Refused(body["error_description"].to_string()));
        };
        // `expires_in` is a string in Naver's answers ("3600").
        let expires_in = (body["expires_in"].as_str().and_then(|s| s.parse().ok()))
            .or_else(|| body["expires_in"].as_i64())
            .unwrap_or(3600);
        let (club_id, menu_id, old_refresh) = match old {
            Some(ChannelSecret::Naver {
                club_id,
                menu_id,
                refresh_token,
                ..
            }) => (club_id.clone(), menu_id.clone(), refresh_token.clone()),
            _ => (String::new(), String::new(), String::new()),
        };
        Ok(Grant {
            secret: ChannelSecret::Naver {
                access_token: access.to_owned(),
                refresh_token: body["refresh_token"]
                    .as_str()
                    .map_or(old_refresh, str::to_owned),
                club_id,
                menu_id,
            },
            label: None,
            expires_in: Some(chrono::Duration::seconds(expires_in)),
        })
    }
}
