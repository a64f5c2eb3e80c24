//! Kakao: a Brand Message (image bubble with a link button) to the shop's channel friends,
//! through a certified dealer (NHN Cloud's API shape; FriendTalk ended on 2025-12-31).
//!
//! The image is uploaded first (safe to repeat), then the message is sent with the
//! `X-NC-API-IDEMPOTENCY-KEY` header, so a send whose answer was lost is simply sent again: a
//! repeat within 10 minutes answers `-1005`, which means the first was accepted. Between 20:50
//! and 08:00 (KST) advertising may not be sent: the post is scheduled for 08:00, not failed.
//! An accepted message is not yet delivered; delivery results are read later.

mod results;

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use serde_json::{Value, json};
use url::Url;

use super::resilience::{Try, http, may_have_sent, retry_after, retrying};
use crate::domain::calendar::seoul;
use crate::domain::connection::ChannelSecret;
use crate::domain::distribution::FailureKind;
use crate::ports::{ChannelClient, Checkpoints, Outgoing, Posted, Reconciled};

/// The dealer drops a repeat of an idempotency key for this long.
const IDEMPOTENCY_WINDOW_MINUTES: i64 = 10;

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
}

impl Kakao {
    pub fn new(base: Url, timeout: Duration) -> anyhow::Result<Self> {
        Ok(Self {
            http: http(timeout)?,
            base,
        })
    }

    fn url(&self, keys: &Keys, path: &str) -> String {
        let base = self.base.as_str().trim_end_matches('/');
        format!("{base}/brand-message/v1.0/appkeys/{}/{path}", keys.app_key)
    }

    async fn read(res: reqwest::Response) -> Answer {
        let status = res.status().as_u16();
        let after = retry_after(res.headers());
        let body: Value = match res.json().await {
            Ok(v) => v,
            Err(_) => return Answer::Http(status, after),
        };
        let code = body["header"]["resultCode"].as_i64();
        match code {
            Some(0) if status < 300 => Answer::Ok(body),
            Some(c) => Answer::Code(
                c,
                body["header"]["resultMessage"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            ),
            None => Answer::Http(status, after),
        }
    }

    /// Uploads the image (safe to repeat): its URL at the dealer.
    async fn upload(&self, keys: &Keys<'_>, image: &[u8]) -> Result<String, Posted> {
        let url = self.url(keys, "images");
        let upload = retrying(3, || async {
            let part = reqwest::multipart::Part::bytes(image.to_vec())
                .file_name("poster.png")
                .mime_str("image/png");
            let Ok(part) = part else {
                return Try::Done(Err("image part".to_owned()));
            };
            let form = reqwest::multipart::Form::new().part("image", part);
            let req = self.http.post(&url).header("X-Secret-Key", keys.secret_key);
            match req.multipart(form).send().await {
                Err(e) => Try::Again {
                    error: e.to_string(),
                    after: None,
                },
                Ok(res) => match Self::read(res).await {
                    Answer::Ok(v) => Try::Done(Ok(v["image"]["imageUrl"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned())),
                    Answer::Http(s, after) if s == 429 || s >= 500 => Try::Again {
                        error: format!("HTTP {s}"),
                        after,
                    },
                    Answer::Http(s, _) => Try::Done(Err(format!("HTTP {s}"))),
                    Answer::Code(c, m) => Try::Done(Err(format!("{c}: {m}"))),
                },
            }
        })
        .await;
        match upload {
            Ok(Ok(url)) if !url.is_empty() => Ok(url),
            Ok(Ok(_)) => Err(refused("image upload: no URL in the answer".to_owned())),
            Ok(Err(why)) => Err(refused(format!("image upload refused: {why}"))),
            Err(why) => Err(Posted::Failed {
                kind: FailureKind::Transient,
                detail: format!("image upload: {why}"),
            }),
        }
    }

    fn message(keys: &Keys<'_>, out: &Outgoing<'_>, image_url: &str) -> Value {
        let link = &out.post.link;
        json!({
            "senderKey": keys.sender_key,
            "chatBubbleType": "IMAGE",
            "adFlag": true,
            "content": out.post.text,
            "image": {"imageUrl": image_url, "imageLink": link},
            "buttons": [{"name": out.post.button.clone().unwrap_or_default(), "type": "WL", "linkMo": link, "linkPc": link}],
            // The shop's own channel friends: the dealer resolves them (no phone numbers here).
            "recipientList": [{"targeting": "I"}],
        })
    }

    /// Sends the message, again after a lost answer (the key makes it safe).
    async fn send(&self, keys: &Keys<'_>, out: &Outgoing<'_>, image_url: &str) -> Posted {
        let body = Self::message(keys, out, image_url);
        let url = self.url(keys, "freestyle-messages");
        let sent = retrying(3, || async {
            let req = self
                .http
                .post(&url)
                .header("X-Secret-Key", keys.secret_key)
                .header("X-NC-API-IDEMPOTENCY-KEY", out.idempotency_key)
                .json(&body);
            match req.send().await {
                Err(e) if may_have_sent(&e) => Try::Again {
                    error: e.to_string(),
                    after: None,
                },
                Err(e) => Try::Again {
                    error: format!("not sent: {e}"),
                    after: None,
                },
                Ok(res) => match Self::read(res).await {
                    Answer::Http(s, after) if s == 429 || s >= 500 => Try::Again {
                        error: format!("HTTP {s}"),
                        after,
                    },
                    answer => Try::Done(answer),
                },
            }
        })
        .await;
        match sent {
            Ok(answer) => outcome(answer, out),
            // Retries used up: whether one of them got through is not known.
            Err(why) => Posted::Unknown { detail: why },
        }
    }
}

/// What the dealer's answer to a send means.
fn outcome(answer: Answer, out: &Outgoing<'_>) -> Posted {
    match answer {
        Answer::Ok(v) => Posted::Published {
            external_id: v["message"]["requestId"]
                .as_str()
                .unwrap_or(out.idempotency_key)
                .to_owned(),
            url: None,
        },
        // A repeat of a key that was accepted within the last 10 minutes.
        Answer::Code(-1005, _) => Posted::Published {
            external_id: format!("idempotency:{}", out.idempotency_key),
            url: None,
        },
        Answer::Code(3022, m) => Posted::Scheduled {
            at: next_morning(out.now),
            detail: m,
        },
        Answer::Code(c @ 1021..=1025, m) => Posted::Failed {
            kind: FailureKind::Account,
            detail: format!("{c}: {m}"),
        },
        Answer::Code(c, m) => Posted::Failed {
            kind: FailureKind::Rejected,
            detail: format!("{c}: {m}"),
        },
        Answer::Http(401 | 403, _) => Posted::NeedsReconnect {
            detail: "dealer refused the keys".to_owned(),
        },
        Answer::Http(429, after) => Posted::RateLimited {
            retry_at: out.now
                + chrono::Duration::from_std(after.unwrap_or(Duration::from_secs(60)))
                    .unwrap_or_default(),
            detail: "HTTP 429".to_owned(),
        },
        Answer::Http(s, _) => Posted::Failed {
            kind: FailureKind::Rejected,
            detail: format!("HTTP {s}"),
        },
    }
}

fn refused(detail: String) -> Posted {
    Posted::Failed {
        kind: FailureKind::Rejected,
        detail,
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
        let image_url = match self.upload(&keys, image).await {
            Ok(url) => url,
            Err(stop) => return stop,
        };
        if progress.save(json!({ "sentAt": out.now })).await.is_err() {
            return Posted::Failed {
                kind: FailureKind::Transient,
                detail: "the attempt lost its hold on the post".to_owned(),
            };
        }
        self.send(&keys, out, &image_url).await
    }

    async fn reconcile(&self, out: &Outgoing<'_>) -> Reconciled {
        let sent_at = out
            .checkpoint
            .and_then(|c| c["sentAt"].as_str())
            .and_then(|t| t.parse::<DateTime<Utc>>().ok());
        match sent_at {
            None => Reconciled::SendAgain,
            // Within the window a repeat of the key is dropped: sending again is safe.
            Some(t) if out.now - t < chrono::Duration::minutes(IDEMPOTENCY_WINDOW_MINUTES) => {
                Reconciled::SendAgain
            }
            Some(_) => Reconciled::StillUnknown("the idempotency window has passed".to_owned()),
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
