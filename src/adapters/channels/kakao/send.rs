//! The image upload and the send, and what the dealer's answers mean (`verdict`: only a clear
//! refusal fails a send; an answer that may have been an acceptance is sent again with the same
//! idempotency key, and UNKNOWN when the tries run out while one may have arrived).

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::{Value, json};

use super::{Answer, Kakao, Keys, next_morning};
use crate::adapters::channels::resilience::{Try, may_have_sent, retrying};
use crate::adapters::channels::verdict::Verdict;
use crate::domain::distribution::FailureKind;
use crate::ports::{Outgoing, Posted};

impl Kakao {
    /// Uploads the image (safe to repeat): its URL at the dealer.
    pub(super) async fn upload(&self, keys: &Keys<'_>, image: &[u8]) -> Result<String, Posted> {
        let url = self.url(keys, &["images"]);
        let upload = retrying(3, || async {
            let part = reqwest::multipart::Part::bytes(image.to_vec())
                .file_name("poster.png")
                .mime_str("image/png");
            let Ok(part) = part else {
                return Try::Done(Err(refused("image part".to_owned())));
            };
            let form = reqwest::multipart::Form::new().part("image", part);
            let req = self.http.post(&url).header("X-Secret-Key", keys.secret_key);
            match req.multipart(form).send().await {
                Err(e) => again(e.to_string(), None),
                Ok(res) => match Self::read(res).await {
                    Answer::Ok(v) => Try::Done(Ok(v["image"]["imageUrl"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned())),
                    Answer::Http(s, after) if s == 429 || s >= 500 => {
                        again(format!("HTTP {s}"), after)
                    }
                    Answer::Unreadable(s) => again(format!("HTTP {s}, unreadable answer"), None),
                    Answer::Http(401 | 403, _) => Try::Done(Err(keys_refused())),
                    Answer::Http(s, _) => {
                        Try::Done(Err(refused(format!("image upload: HTTP {s}"))))
                    }
                    Answer::Code(c, m) => {
                        Try::Done(Err(refused(format!("image upload refused: {c}: {m}"))))
                    }
                },
            }
        })
        .await;
        match upload {
            Ok(Ok(url)) if !url.is_empty() => Ok(url),
            Ok(Ok(_)) => Err(refused("image upload: no URL in the answer".to_owned())),
            Ok(Err(stop)) => Err(stop),
            Err(why) => Err(Posted::Failed {
                kind: FailureKind::Transient,
                detail: format!("image upload: {why}"),
            }),
        }
    }

    pub(super) fn message(keys: &Keys<'_>, out: &Outgoing<'_>, image_url: &str) -> Value {
        let link = &out.post.link;
        json!({
            "senderKey": keys.sender_key,
            // The idempotency key again, so the dealer's message list can be read by it.
            "senderGroupingKey": out.idempotency_key,
            "chatBubbleType": "IMAGE",
            "adFlag": true,
            "content": out.post.text,
            "image": {"imageUrl": image_url, "imageLink": link},
            "buttons": [{"name": out.post.button.clone().unwrap_or_default(), "type": "WL", "linkMo": link, "linkPc": link}],
            // The shop's own channel friends: the dealer resolves them (no phone numbers here).
            "recipientList": [{"targeting": "I"}],
        })
    }

    /// Sends the message, again after an answer that may have been an acceptance (the key
    /// makes that safe); UNKNOWN when the tries run out and one of them may have arrived.
    pub(super) async fn send(
        &self,
        keys: &Keys<'_>,
        out: &Outgoing<'_>,
        image_url: &str,
    ) -> Posted {
        let body = Self::message(keys, out, image_url);
        let url = self.url(keys, &["freestyle-messages"]);
        let reached = AtomicBool::new(false);
        let sent = retrying(3, || async {
            let req = self
                .http
                .post(&url)
                .header("X-Secret-Key", keys.secret_key)
                .header("X-NC-API-IDEMPOTENCY-KEY", out.idempotency_key)
                .json(&body);
            let res = match req.send().await {
                Ok(res) => res,
                Err(e) => {
                    reached.fetch_or(may_have_sent(&e), Ordering::Relaxed);
                    return again(e.to_string(), None);
                }
            };
            let after = crate::adapters::channels::resilience::retry_after(res.headers());
            match Verdict::by_status(res.status(), res.headers()) {
                Some(Verdict::Unclear(why)) => {
                    reached.store(true, Ordering::Relaxed);
                    return again(why, after);
                }
                Some(clear) => return Try::Done(clear.posted()),
                None => {}
            }
            match Self::read(res).await {
                Answer::Unreadable(s) => {
                    reached.store(true, Ordering::Relaxed);
                    again(format!("HTTP {s}, unreadable answer"), None)
                }
                answer => Try::Done(outcome(answer, out)),
            }
        })
        .await;
        let reached = reached.load(Ordering::Relaxed);
        match sent {
            Ok(posted @ Posted::Published { .. }) => posted,
            // An earlier try may have been accepted: a later refusal, a rate limit or the night
            // rule does not undo it.
            Ok(later) if reached => Posted::Unknown {
                detail: format!("after an unclear try: {later:?}"),
            },
            Ok(posted) => posted,
            Err(why) if reached => Posted::Unknown { detail: why },
            Err(why) => Posted::Failed {
                kind: FailureKind::Transient,
                detail: format!("not sent (no connection): {why}"),
            },
        }
    }
}

fn again<T>(error: String, after: Option<Duration>) -> Try<T, String> {
    Try::Again { error, after }
}

/// What the dealer's readable answer to a send means.
fn outcome(answer: Answer, out: &Outgoing<'_>) -> Posted {
    match answer {
        Answer::Ok(v) => Verdict::made(v["message"]["requestId"].as_str(), None).posted(),
        // A repeat of a key that was accepted within the last 10 minutes: sent, under a request
        // id the repeat does not say (found later by the grouping key).
        Answer::Code(-1005, _) => Posted::Published {
            external_id: format!("group:{}", out.idempotency_key),
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
        // The dealer's own API errors (negative codes) refuse the request; Kakao's result
        // codes not listed above (3005: sent, receipt not confirmed) do not say nothing was sent.
        Answer::Code(c, m) if c < 0 => refused(format!("{c}: {m}")),
        Answer::Code(c, m) => Posted::Unknown {
            detail: format!("result code {c}: {m}"),
        },
        Answer::Http(401 | 403, _) => keys_refused(),
        Answer::Http(429, after) => Posted::RateLimited {
            retry_at: out.now
                + chrono::Duration::from_std(after.unwrap_or(Duration::from_secs(60)))
                    .unwrap_or_default(),
            detail: "HTTP 429".to_owned(),
        },
        Answer::Http(s, _) => refused(format!("HTTP {s}")),
        Answer::Unreadable(s) => Posted::Unknown {
            detail: format!("HTTP {s}, unreadable answer"),
        },
    }
}

fn keys_refused() -> Posted {
    Posted::NeedsReconnect {
        detail: "the dealer refused the keys".to_owned(),
    }
}

fn refused(detail: String) -> Posted {
    Posted::Failed {
        kind: FailureKind::Rejected,
        detail,
    }
}
