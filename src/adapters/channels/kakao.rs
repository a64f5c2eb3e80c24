//! Kakao: a Brand Message (image bubble with a link button) to the shop's channel friends,
//! through a certified dealer (NHN Cloud's API shape; FriendTalk ended on 2025-12-31).
//!
//! The image is uploaded first (safe to repeat), then the message is sent with the
//! `X-NC-API-IDEMPOTENCY-KEY` header, so a send whose answer was lost is simply sent again: a
//! repeat within 10 minutes answers `-1005`, which means the first was accepted. Between 20:50
//! and 08:00 (KST) advertising may not be sent: the post is scheduled for 08:00, not failed.
//! An accepted message is not yet delivered; delivery results are read later.

mod results;
mod send;

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use serde_json::{Value, json};
use url::Url;

use super::resilience::{http, retry_after, url_with};
use crate::domain::calendar::seoul;
use crate::domain::connection::ChannelSecret;
use crate::domain::distribution::FailureKind;
use crate::ports::{ChannelClient, Checkpoints, OAuthError, Outgoing, Posted, Reconciled};

/// Rounds of sending one post (each up to three tries with the same key) before an unknown
/// outcome is left to the owner.
const MAX_SENDS: u32 = 3;

/// How long the dealer's list may take to show an accepted send.
const LIST_LAG: chrono::Duration = chrono::Duration::minutes(2);
/// The dealer drops a repeat of an idempotency key for this long after the first send.
const KEY_WINDOW: chrono::Duration = chrono::Duration::minutes(10);

/// The send's checkpoint: when it was first and last sent, how many rounds, the uploaded image.
struct Sending {
    first: DateTime<Utc>,
    last: DateTime<Utc>,
    sends: u32,
    image_url: String,
}

impl Sending {
    fn read(checkpoint: Option<&Value>) -> Option<Sending> {
        let c = checkpoint?;
        let at = |k: &str| c[k].as_str().and_then(|t| t.parse::<DateTime<Utc>>().ok());
        let last = at("lastSentAt").or_else(|| at("sentAt"))?;
        Some(Sending {
            first: at("sentAt").unwrap_or(last),
            last,
            sends: c["sends"]
                .as_u64()
                .map_or(1, |n| u32::try_from(n).unwrap_or(u32::MAX)),
            image_url: c["imageUrl"].as_str().unwrap_or_default().to_owned(),
        })
    }

    /// The checkpoint of one more round, after `previous`.
    fn after(previous: Option<&Value>, now: DateTime<Utc>, image_url: &str) -> Sending {
        match Sending::read(previous) {
            Some(p) => Sending {
                last: now,
                sends: p.sends + 1,
                image_url: image_url.to_owned(),
                ..p
            },
            None => Sending {
                first: now,
                last: now,
                sends: 1,
                image_url: image_url.to_owned(),
            },
        }
    }

    fn json(&self) -> Value {
        json!({"sentAt": self.first, "lastSentAt": self.last, "sends": self.sends, "imageUrl": self.image_url})
    }
}

pub struct Kakao {
    http: reqwest::Client,
    base: Url,
}

struct Keys<'a> {
    app_key: &'a str,
    secret_key: &'a str,
    sender_key: &'a str,
}

/// The next moment Kakao lets advertising through, if `now` is in the night (20:50–08:00 KST).
pub fn night_until(now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let time = now.with_timezone(&seoul()).time();
    let start = NaiveTime::from_hms_opt(20, 50, 0)?;
    let end = NaiveTime::from_hms_opt(8, 0, 0)?;
    (time >= start || time < end).then(|| next_morning(now))
}

/// The next 08:00 in Seoul after `now`.
pub fn next_morning(now: DateTime<Utc>) -> DateTime<Utc> {
    let local = now.with_timezone(&seoul());
    let eight = NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default();
    let day = if local.time() < eight {
        local.date_naive()
    } else {
        local.date_naive() + chrono::Days::new(1)
    };
    seoul()
        .from_local_datetime(&day.and_time(eight))
        .single()
        .map_or(now + chrono::Duration::hours(12), |t| t.with_timezone(&Utc))
}

/// A dealer answer: `header.resultCode`, 0 when it went through.
enum Answer {
    Ok(Value),
    Code(i64, String),
    Http(u16, Option<Duration>),
    /// A 2xx whose body cannot be read (not JSON, not UTF-8: some dealers answer in EUC-KR):
    /// the dealer may have accepted it.
    Unreadable(u16),
}

impl Kakao {
    pub fn new(base: Url, timeout: Duration) -> anyhow::Result<Self> {
        Ok(Self {
            http: http(timeout)?,
            base,
        })
    }

    /// `…/brand-message/v1.0/appkeys/{appKey}/{path…}`, each piece its own path segment.
    fn url(&self, keys: &Keys, path: &[&str]) -> String {
        let mut segments = vec!["brand-message", "v1.0", "appkeys", keys.app_key];
        segments.extend_from_slice(path);
        url_with(&self.base, &segments)
    }

    async fn read(res: reqwest::Response) -> Answer {
        let status = res.status().as_u16();
        let after = retry_after(res.headers());
        let body = res.bytes().await.ok();
        let body: Option<Value> = body.and_then(|b| serde_json::from_slice(&b).ok());
        let Some(body) = body else {
            return if status < 300 {
                Answer::Unreadable(status)
            } else {
                Answer::Http(status, after)
            };
        };
        // The keys refused: whatever code the body carries, the owner must enter them again.
        if matches!(status, 401 | 403 | 429) || status >= 500 {
            return Answer::Http(status, after);
        }
        match body["header"]["resultCode"].as_i64() {
            Some(0) if status < 300 => Answer::Ok(body),
            Some(c) => Answer::Code(
                c,
                body["header"]["resultMessage"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            ),
            None if status < 300 => Answer::Unreadable(status),
            None => Answer::Http(status, after),
        }
    }
}

fn keys(secret: Option<&ChannelSecret>) -> Option<Keys<'_>> {
    match secret? {
        ChannelSecret::Kakao {
            app_key,
            secret_key,
            sender_key,
        } => Some(Keys {
            app_key,
            secret_key,
            sender_key,
        }),
        _ => None,
    }
}

impl Kakao {
    /// Before a new round of a post sent before: `Some` outcome when it must not be sent now
    /// (the list shows it sent; or the list cannot tell yet and the key no longer drops a
    /// repeat), `None` when sending is safe.
    async fn before_resending(
        &self,
        keys: &Keys<'_>,
        out: &Outgoing<'_>,
        earlier: &Sending,
    ) -> Option<Posted> {
        let key_holds = out.now - earlier.first < KEY_WINDOW;
        let found = results::find_request(self, keys, out.idempotency_key, earlier.first, out.now);
        match found.await {
            Ok(Some(request_id)) => Some(Posted::Published {
                external_id: request_id,
                url: None,
            }),
            Ok(None) if key_holds || out.now - earlier.last >= LIST_LAG => None,
            Ok(None) => Some(Posted::Unknown {
                detail: "the dealer's list may not show the last send yet".to_owned(),
            }),
            Err(_) if key_holds => None,
            Err(why) => Some(Posted::Unknown { detail: why }),
        }
    }
}

#[async_trait]
impl ChannelClient for Kakao {
    async fn post(&self, out: &Outgoing<'_>, progress: &dyn Checkpoints) -> Posted {
        let Some(keys) = keys(out.secret) else {
            return Posted::Failed {
                kind: FailureKind::Account,
                detail: "no Kakao connection".to_owned(),
            };
        };
        if let Some(morning) = night_until(out.now) {
            return Posted::Scheduled {
                at: morning,
                detail: "night (20:50–08:00 KST)".to_owned(),
            };
        }
        let Some(image) = out.image else {
            return Posted::Failed {
                kind: FailureKind::Rejected,
                detail: "no image".to_owned(),
            };
        };
        // An earlier round may have been accepted: the dealer's list says so before anything
        // is sent again.
        if let Some(earlier) = Sending::read(out.checkpoint)
            && let Some(settled) = self.before_resending(&keys, out, &earlier).await
        {
            return settled;
        }
        // One upload per post: an image the dealer already holds is used again.
        let uploaded = out.checkpoint.and_then(|c| c["imageUrl"].as_str());
        let image_url = match uploaded {
            Some(url) => url.to_owned(),
            None => match self.upload(&keys, image).await {
                Ok(url) => url,
                Err(stop) => return stop,
            },
        };
        let sending = Sending::after(out.checkpoint, out.now, &image_url);
        if progress.save(sending.json()).await.is_err() {
            return Posted::Failed {
                kind: FailureKind::Transient,
                detail: "the attempt lost its hold on the post".to_owned(),
            };
        }
        self.send(&keys, out, &image_url).await
    }

    /// Settled by reading the dealer's message list by the grouping key (the idempotency key):
    /// found → sent; not there → sent again with the same key, at most `MAX_SENDS` times and
    /// only once the list has had a minute to show it; otherwise it waits for the owner.
    async fn reconcile(&self, out: &Outgoing<'_>) -> Reconciled {
        let Some(sending) = Sending::read(out.checkpoint) else {
            return Reconciled::SendAgain; // stopped before the send
        };
        let Some(keys) = keys(out.secret) else {
            return Reconciled::StillUnknown("no Kakao connection".to_owned());
        };
        let found = results::find_request(self, &keys, out.idempotency_key, sending.first, out.now);
        match found.await {
            Ok(Some(request_id)) => Reconciled::Published {
                external_id: request_id,
                url: None,
            },
            Ok(None) if sending.sends >= MAX_SENDS => Reconciled::StillUnknown(format!(
                "not in the dealer's list after {} sends",
                sending.sends
            )),
            Ok(None) if out.now - sending.last < LIST_LAG => {
                Reconciled::StillUnknown("the dealer's list may not show it yet".to_owned())
            }
            Ok(None) => Reconciled::SendAgain,
            Err(why) => Reconciled::StillUnknown(why),
        }
    }

    /// The sender profile, read with the keys: a refusal means they are wrong.
    async fn verify(&self, secret: &ChannelSecret) -> Result<(), OAuthError> {
        let keys = keys(Some(secret)).ok_or(OAuthError::Unsupported)?;
        let url = self.url(&keys, &["senders", keys.sender_key]);
        let req = self.http.get(url).header("X-Secret-Key", keys.secret_key);
        let res = (req.send().await).map_err(|e| OAuthError::Unavailable(e.to_string()))?;
        match Self::read(res).await {
            Answer::Ok(_) => Ok(()),
            Answer::Http(s, _) if s >= 500 || s == 429 => {
                Err(OAuthError::Unavailable(format!("HTTP {s}")))
            }
            Answer::Unreadable(s) => Err(OAuthError::Unavailable(format!("HTTP {s}, unreadable"))),
            Answer::Http(s, _) => Err(OAuthError::Refused(format!("HTTP {s}"))),
            Answer::Code(c, m) => Err(OAuthError::Refused(format!("{c}: {m}"))),
        }
    }

    async fn stats(
        &self,
        secret: Option<&ChannelSecret>,
        request_id: &str,
    ) -> Result<Option<Value>, String> {
        results::read(self, secret, request_id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_night_rule_in_seoul() {
        // 20:49 KST is still day; 20:50 and 03:00 KST wait until 08:00 KST.
        assert_eq!(night_until(utc("2026-12-01T11:49:00Z")), None);
        assert_eq!(
            night_until(utc("2026-12-01T11:50:00Z")),
            Some(utc("2026-12-01T23:00:00Z"))
        );
        assert_eq!(
            night_until(utc("2026-12-01T18:00:00Z")),
            Some(utc("2026-12-01T23:00:00Z"))
        );
        assert_eq!(night_until(utc("2026-12-01T23:00:00Z")), None);
    }
}
