//! KT's local channels — 우리동네TV (local TV), 지니TV (IPTV), 링고비즈 (ringback-tone ads) — through
//! **our** partner contract (docs/kt-partner-contract.md): KT publishes no API for them, so this
//! client speaks the contract we wrote, which awaits KT's own specification.
//!
//! An order is `PUT …/orders/{orderKey}` with our idempotency key as the order key: repeating it
//! is safe, so lost answers are retried and an interrupted order is reconciled with
//! `GET …/orders/{orderKey}`.

use std::time::Duration;

use async_trait::async_trait;
use serde_json::{Value, json};
use url::Url;

use super::resilience::{Try, http, retry_after, retrying};
use crate::config::Secret;
use crate::domain::Channel;
use crate::domain::connection::ChannelSecret;
use crate::domain::distribution::FailureKind;
use crate::domain::poster::spoken_length;
use crate::ports::{ChannelClient, Checkpoints, Outgoing, Posted, Reconciled};

pub struct KtPartner {
    http: reqwest::Client,
    base: Url,
    key: Secret<String>,
    channel: Channel,
}

impl KtPartner {
    pub fn new(
        channel: Channel,
        base: Url,
        key: Secret<String>,
        timeout: Duration,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            http: http(timeout)?,
            base,
            key,
            channel,
        })
    }

    fn order_url(&self, account: &str, key: &str) -> String {
        let base = self.base.as_str().trim_end_matches('/');
        format!("{base}/v1/accounts/{account}/orders/{key}")
    }

    fn order(&self, out: &Outgoing<'_>) -> Value {
        let media = match (&out.post.image, self.channel) {
            (_, Channel::RingoBiz) => json!({
                "kind": "SCRIPT",
                "text": out.post.text,
                // About 5 syllables a second.
                "seconds": spoken_length(&out.post.text).div_ceil(5),
            }),
            (Some(image), _) => json!({
                "kind": "IMAGE", "url": image.url, "width": image.width, "height": image.height,
                "contentType": image.content_type,
            }),
            (None, _) => Value::Null,
        };
        json!({
            "channel": self.channel.code(),
            "title": out.post.title,
            "caption": out.post.text,
            "startsOn": out.post.starts_on,
            "endsOn": out.post.ends_on,
            "link": out.post.link,
            "advertiser": {"shopName": out.post.shop_name},
            "media": media,
        })
    }
}

fn account(secret: Option<&ChannelSecret>) -> Option<&str> {
    match secret? {
        ChannelSecret::KtPartner { account_id } => Some(account_id),
        _ => None,
    }
}

/// What the partner's answer to an order means.
async fn answer(res: reqwest::Response, now: chrono::DateTime<chrono::Utc>) -> Try<Posted, String> {
    let status = res.status().as_u16();
    let after = retry_after(res.headers());
    let body: Value = res.json().await.unwrap_or(Value::Null);
    let code = body["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let detail = format!(
        "KT partner {status} {code}: {}",
        body["error"]["message"].as_str().unwrap_or_default()
    );
    let done = |p| Try::Done(p);
    match status {
        200 | 201 => done(Posted::Published {
            external_id: body["orderId"].as_str().unwrap_or_default().to_owned(),
            url: None,
        }),
        429 => done(Posted::RateLimited {
            retry_at: now
                + chrono::Duration::from_std(after.unwrap_or(Duration::from_secs(300)))
                    .unwrap_or_default(),
            detail,
        }),
        500.. => Try::Again {
            error: detail,
            after,
        },
        404 if code == "ACCOUNT_NOT_FOUND" => done(Posted::NeedsReconnect { detail }),
        403 => done(Posted::Failed {
            kind: FailureKind::Account,
            detail,
        }),
        401 => done(Posted::Failed {
            kind: FailureKind::NotConfigured,
            detail,
        }),
        _ => done(Posted::Failed {
            kind: FailureKind::Rejected,
            detail,
        }),
    }
}

#[async_trait]
impl ChannelClient for KtPartner {
    async fn post(&self, out: &Outgoing<'_>, progress: &dyn Checkpoints) -> Posted {
        let Some(account) = account(out.secret) else {
            return Posted::Failed {
                kind: FailureKind::Account,
                detail: "no KT partner account".to_owned(),
            };
        };
        if progress
            .save(json!({ "orderKey": out.idempotency_key }))
            .await
            .is_err()
        {
            return Posted::Failed {
                kind: FailureKind::Transient,
                detail: "the attempt lost its hold on the post".to_owned(),
            };
        }
        let order = self.order(out);
        let url = self.order_url(account, out.idempotency_key);
        let sent = retrying(3, || async {
            let req = self
                .http
                .put(&url)
                .bearer_auth(self.key.expose())
                .json(&order);
            match req.send().await {
                Err(e) => Try::Again {
                    error: e.to_string(),
                    after: None,
                },
                Ok(res) => answer(res, out.now).await,
            }
        })
        .await;
        // Retries used up: an order may have arrived; the status query will tell.
        sent.unwrap_or_else(|why| Posted::Unknown { detail: why })
    }

    async fn reconcile(&self, out: &Outgoing<'_>) -> Reconciled {
        let Some(account) = account(out.secret) else {
            return Reconciled::StillUnknown("no KT partner account".to_owned());
        };
        let url = self.order_url(account, out.idempotency_key);
        let res = match self
            .http
            .get(&url)
            .bearer_auth(self.key.expose())
            .send()
            .await
        {
            Ok(res) => res,
            Err(e) => return Reconciled::StillUnknown(e.to_string()),
        };
        match res.status().as_u16() {
            200 => {
                let body: Value = res.json().await.unwrap_or(Value::Null);
                Reconciled::Published {
                    external_id: body["orderId"].as_str().unwrap_or_default().to_owned(),
                    url: None,
                }
            }
            // No such order: it never arrived, and the key makes a new one safe anyway.
            404 => Reconciled::SendAgain,
            s => Reconciled::StillUnknown(format!("status query HTTP {s}")),
        }
    }
}
