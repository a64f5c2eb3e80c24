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

use std::sync::atomic::{AtomicBool, Ordering};

use super::resilience::{Try, http, may_have_sent, retry_after, retrying, url_with};
use super::verdict::Verdict;
use crate::config::Secret;
use crate::domain::Channel;
use crate::domain::connection::{ChannelSecret, is_path_key};
use crate::domain::distribution::{FailureKind, Review};
use crate::domain::poster::spoken_length;
use crate::ports::{ChannelClient, Checkpoints, OAuthError, Outgoing, Posted, Reconciled};

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
        url_with(&self.base, &["v1", "accounts", account, "orders", key])
    }

    /// The order of our key: `Some` (what it is: published, under review, or rejected), `None`
    /// when the partner has none, `Err` when that cannot be told.
    async fn read_order(&self, out: &Outgoing<'_>) -> Result<Option<Posted>, String> {
        let (account, pin) = account(out.secret).ok_or("no KT partner account")?;
        let url = self.order_url(account, out.idempotency_key);
        let res = (self.request(reqwest::Method::GET, &url, pin).send().await)
            .map_err(|e| e.to_string())?;
        match res.status().as_u16() {
            200 => {
                let body: Value =
                    (res.json().await).map_err(|e| format!("unreadable order: {e}"))?;
                if body["orderId"].as_str().is_none_or(str::is_empty) {
                    return Err("an order without an id".to_owned());
                }
                Ok(Some(order_state(&body)))
            }
            404 => Ok(None),
            s => Err(format!("status query HTTP {s}")),
        }
    }

    /// A request to the partner with the platform's key and the shop's account PIN.
    fn request(&self, method: reqwest::Method, url: &str, pin: &str) -> reqwest::RequestBuilder {
        (self.http.request(method, url))
            .bearer_auth(self.key.expose())
            .header("X-Account-Pin", pin)
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

/// The shop's account id and PIN.
fn account(secret: Option<&ChannelSecret>) -> Option<(&str, &str)> {
    match secret? {
        // The shape is checked again: an id stored before the rule must not reach the URL.
        ChannelSecret::KtPartner {
            account_id,
            account_pin,
        } if is_path_key(account_id) => Some((account_id, account_pin)),
        _ => None,
    }
}

/// What the partner's answer to an order means (a 5xx, a timeout, an unreadable success: may
/// have arrived, and the order key makes a repeat safe, so it is tried again).
async fn answer(res: reqwest::Response, now: chrono::DateTime<chrono::Utc>) -> Try<Posted, String> {
    let status = res.status().as_u16();
    let after = retry_after(res.headers());
    if let Some(v) = Verdict::by_status(res.status(), res.headers()) {
        return match v {
            Verdict::Unclear(why) => Try::Again { error: why, after },
            clear => Try::Done(clear.posted()),
        };
    }
    let Ok(body) = res.json::<Value>().await else {
        return Try::Again {
            error: format!("HTTP {status}, unreadable answer"),
            after,
        };
    };
    let code = body["error"]["code"].as_str().unwrap_or_default();
    let detail = format!(
        "KT partner {status} {code}: {}",
        body["error"]["message"].as_str().unwrap_or_default()
    );
    Try::Done(match status {
        200..=299 => match Verdict::made(body["orderId"].as_str(), None) {
            Verdict::Made { .. } => order_state(&body),
            unclear => unclear.posted(),
        },
        429 => Posted::RateLimited {
            retry_at: now
                + chrono::Duration::from_std(after.unwrap_or(Duration::from_secs(300)))
                    .unwrap_or_default(),
            detail,
        },
        // "Already exists": maybe our own order, made by a try whose answer was lost.
        409 => Posted::Unknown { detail },
        404 if code == "ACCOUNT_NOT_FOUND" => Posted::NeedsReconnect { detail },
        403 => failed(FailureKind::Account, detail),
        401 => failed(FailureKind::NotConfigured, detail),
        _ => failed(FailureKind::Rejected, detail),
    })
}

fn failed(kind: FailureKind, detail: String) -> Posted {
    Posted::Failed { kind, detail }
}

/// An order the partner holds, by its review status: rejected in review is a refusal with
/// KT's reason; any other status is an order KT has (received, reviewing, scheduled, on air).
fn order_state(body: &Value) -> Posted {
    let id = body["orderId"].as_str().unwrap_or_default().to_owned();
    match body["status"].as_str() {
        Some("REJECTED") => Posted::Failed {
            kind: FailureKind::Rejected,
            detail: format!(
                "KT review rejected order {id}: {}",
                body["reason"].as_str().unwrap_or("no reason given")
            ),
        },
        Some(status) => match Review::parse(status) {
            Some(review) => Posted::Accepted {
                external_id: id,
                review,
            },
            None => Posted::Published {
                external_id: id,
                url: None,
            },
        },
        None => Posted::Published {
            external_id: id,
            url: None,
        },
    }
}

#[async_trait]
impl ChannelClient for KtPartner {
    async fn post(&self, out: &Outgoing<'_>, progress: &dyn Checkpoints) -> Posted {
        let Some((account, pin)) = account(out.secret) else {
            return failed(FailureKind::Account, "no KT partner account".to_owned());
        };
        if progress
            .save(json!({ "orderKey": out.idempotency_key }))
            .await
            .is_err()
        {
            let detail = "the attempt lost its hold on the post".to_owned();
            return failed(FailureKind::Transient, detail);
        }
        let order = self.order(out);
        let url = self.order_url(account, out.idempotency_key);
        let reached = AtomicBool::new(false);
        let sent = retrying(3, || async {
            let req = self.request(reqwest::Method::PUT, &url, pin).json(&order);
            match req.send().await {
                Err(e) => {
                    reached.fetch_or(may_have_sent(&e), Ordering::Relaxed);
                    Try::Again {
                        error: e.to_string(),
                        after: None,
                    }
                }
                Ok(res) => {
                    reached.fetch_or(!res.status().is_client_error(), Ordering::Relaxed);
                    answer(res, out.now).await
                }
            }
        })
        .await;
        match sent {
            // 409 for our own key: the order is read back and settles it.
            Ok(Posted::Unknown { detail }) => match self.read_order(out).await {
                Ok(Some(order)) => order,
                // The order under our key could not be read: whether it is ours is not known.
                Ok(None) | Err(_) => Posted::Unknown { detail },
            },
            Ok(posted) => posted,
            // Tries used up: an order may have arrived; the status query will tell.
            Err(why) if reached.load(Ordering::Relaxed) => Posted::Unknown { detail: why },
            Err(why) => failed(
                FailureKind::Transient,
                format!("not sent (no connection): {why}"),
            ),
        }
    }

    /// `GET /v1/accounts/{id}` with the account PIN: the partner confirms the shop holds the
    /// account (any shop could otherwise type another shop's id and order ads on it).
    async fn verify(&self, secret: &ChannelSecret) -> Result<(), OAuthError> {
        let (account, pin) = account(Some(secret)).ok_or(OAuthError::Unsupported)?;
        let url = url_with(&self.base, &["v1", "accounts", account]);
        let res = (self.request(reqwest::Method::GET, &url, pin).send().await)
            .map_err(|e| OAuthError::Unavailable(e.to_string()))?;
        match res.status().as_u16() {
            200 => Ok(()),
            403 | 404 => Err(OAuthError::Refused(format!("HTTP {}", res.status()))),
            s => Err(OAuthError::Unavailable(format!("HTTP {s}"))),
        }
    }

    /// `GET …/orders/{key}`: the order and its review status, or 404 (never accepted: the key
    /// makes a new order safe).
    async fn reconcile(&self, out: &Outgoing<'_>) -> Reconciled {
        match self.read_order(out).await {
            Ok(Some(Posted::Published { external_id, url })) => {
                Reconciled::Published { external_id, url }
            }
            Ok(Some(Posted::Accepted {
                external_id,
                review,
            })) => Reconciled::Accepted {
                external_id,
                review,
            },
            Ok(Some(refused)) => Reconciled::Refused(refused),
            Ok(None) => Reconciled::SendAgain,
            Err(why) => Reconciled::StillUnknown(why),
        }
    }
}
