//! The one rule for a call that may make a post, used by every channel client:
//!
//! **an irreversible call whose answer is not a clear refusal is UNKNOWN, and UNKNOWN is settled
//! only by reading the channel (or by the owner).**
//!
//! A clear refusal is an answer the channel gives *instead of* acting: a 4xx (not 408, a
//! timeout) with a meaning the adapter knows, a documented refusal code inside a 2xx, a redirect
//! to a login page, or a request that never connected. Everything else after the request may
//! have arrived — a 5xx whatever its body says, a 2xx that is unreadable or names nothing, an
//! unexpected redirect, a timeout — may have made the post: it is UNKNOWN, and no client sends
//! it again unless the channel itself drops repeats (an idempotency key).

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::resilience::may_have_sent;
use crate::domain::distribution::FailureKind;
use crate::ports::Posted;

/// What the answer to a call that may make a post means.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The channel made the post and names it.
    Made {
        external_id: String,
        url: Option<String>,
    },
    /// The channel did not act, and says so (or nothing was sent): this outcome.
    Refused(Posted),
    /// Maybe made: why it is not known.
    Unclear(String),
}

impl Verdict {
    /// A success answer: made, if it names the post; a success that names nothing proves
    /// nothing about which post exists, so it is unclear (and reconciled by a read).
    pub fn made(id: Option<&str>, url: Option<String>) -> Verdict {
        match id.map(str::trim) {
            Some(id) if !id.is_empty() => Verdict::Made {
                external_id: id.to_owned(),
                url,
            },
            _ => Verdict::Unclear("a success answer that names no post".to_owned()),
        }
    }

    /// A request that failed before an answer: never sent (refused connection) or unclear.
    pub fn failed_request(e: &reqwest::Error) -> Verdict {
        if may_have_sent(e) {
            Verdict::Unclear(format!("no answer: {e}"))
        } else {
            Verdict::Refused(Posted::Failed {
                kind: FailureKind::Transient,
                detail: format!("not sent (no connection): {e}"),
            })
        }
    }

    /// The statuses no body can turn into a refusal: `Some(Unclear)` for a 5xx, a 408 and a
    /// redirect that is not to a login page; `Some(Refused(NeedsReconnect))` for a redirect to a
    /// login page; `None` when the adapter reads the answer (2xx and the other 4xx).
    pub fn by_status(status: StatusCode, headers: &HeaderMap) -> Option<Verdict> {
        if status.is_redirection() {
            let to = headers
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            return Some(if is_login(to) {
                Verdict::Refused(Posted::NeedsReconnect {
                    detail: format!("HTTP {status}: redirected to a login page"),
                })
            } else {
                Verdict::Unclear(format!("HTTP {status}: an unexpected redirect to {to:?}"))
            });
        }
        let unclear = status.is_server_error()
            || status == StatusCode::REQUEST_TIMEOUT
            || status.is_informational();
        unclear.then(|| Verdict::Unclear(format!("HTTP {status}")))
    }

    /// The post's outcome.
    pub fn posted(self) -> Posted {
        match self {
            Verdict::Made { external_id, url } => Posted::Published { external_id, url },
            Verdict::Refused(p) => p,
            Verdict::Unclear(detail) => Posted::Unknown { detail },
        }
    }
}

/// Whether a redirect goes to a sign-in page (the token was not accepted).
fn is_login(location: &str) -> bool {
    let l = location.to_ascii_lowercase();
    ["login", "signin", "oauth", "nidlogin", "/auth"]
        .iter()
        .any(|w| l.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn location(to: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(reqwest::header::LOCATION, to.parse().unwrap());
        h
    }

    #[test]
    fn only_a_clear_refusal_is_a_failure() {
        let none = HeaderMap::new();
        for status in [500, 502, 503, 504, 408] {
            let s = StatusCode::from_u16(status).unwrap();
            assert!(
                matches!(Verdict::by_status(s, &none), Some(Verdict::Unclear(_))),
                "{status}"
            );
        }
        for status in [200, 201, 400, 401, 403, 404, 409, 429] {
            let s = StatusCode::from_u16(status).unwrap();
            assert_eq!(Verdict::by_status(s, &none), None, "{status}");
        }
        let login = location("https://nid.naver.com/nidlogin.login?mode=form");
        assert!(matches!(
            Verdict::by_status(StatusCode::FOUND, &login),
            Some(Verdict::Refused(Posted::NeedsReconnect { .. }))
        ));
        let elsewhere = location("https://cafe.naver.com/moved");
        assert!(matches!(
            Verdict::by_status(StatusCode::FOUND, &elsewhere),
            Some(Verdict::Unclear(_))
        ));
        assert!(matches!(Verdict::made(Some(""), None), Verdict::Unclear(_)));
        assert!(matches!(Verdict::made(None, None), Verdict::Unclear(_)));
        assert!(matches!(
            Verdict::made(Some("m1"), None).posted(),
            Posted::Published { .. }
        ));
    }
}
