//! The Graph API's answers: what an error means, and calls retried while they fail
//! transiently (reads, and container creation, which posts nothing).

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::Instagram;
use crate::adapters::channels::resilience::{Try, may_have_sent, retrying};
use crate::domain::distribution::FailureKind;
use crate::ports::Posted;

/// A Graph API answer that is not a success.
#[derive(Debug)]
pub(super) enum GraphError {
    /// The Graph error body (`{"error":{"code","error_subcode","message",…}}`).
    Api {
        status: u16,
        code: i64,
        subcode: i64,
        message: String,
        transient: bool,
    },
    /// No answer, or not one we understand; `sent` when the request may have arrived.
    Transport { why: String, sent: bool },
}

impl Instagram {
    pub(super) async fn call(&self, req: reqwest::RequestBuilder) -> Result<Value, GraphError> {
        let res = req.send().await.map_err(|e| GraphError::Transport {
            sent: may_have_sent(&e),
            why: e.to_string(),
        })?;
        let status = res.status();
        let body: Value = res.json().await.map_err(|e| GraphError::Transport {
            why: format!("HTTP {status}, unreadable body: {e}"),
            sent: true,
        })?;
        match body.get("error") {
            None if status.is_success() => Ok(body),
            None => Err(GraphError::Transport {
                why: format!("HTTP {status}"),
                sent: true,
            }),
            Some(e) => Err(GraphError::Api {
                status: status.as_u16(),
                code: e["code"].as_i64().unwrap_or(0),
                subcode: e["error_subcode"].as_i64().unwrap_or(0),
                message: e["message"].as_str().unwrap_or_default().to_owned(),
                transient: e["is_transient"].as_bool().unwrap_or(false),
            }),
        }
    }

    /// A call that is safe to repeat, retried while it fails transiently.
    pub(super) async fn repeatable(
        &self,
        req: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<Value, GraphError> {
        let outcome = retrying(3, || async {
            match self.call(req()).await {
                Ok(v) => Try::Done(Ok(v)),
                Err(e) if is_transient(&e) => Try::Again {
                    error: e,
                    after: None,
                },
                Err(e) => Try::Done(Err(e)),
            }
        })
        .await;
        outcome.and_then(|r| r)
    }

    pub(super) async fn read(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<Value, GraphError> {
        self.repeatable(|| self.http.get(self.url(path)).query(query))
            .await
    }
}

impl GraphError {
    /// Whether this answer to a write clearly says nothing was done: a Graph error sent with a
    /// 4xx (not 408) that is not transient. A 5xx is never a refusal, whatever its code says
    /// (Meta's code 1 and 2 come with a 500 after the post was sometimes made).
    pub(super) fn refuses(&self) -> bool {
        match self {
            GraphError::Api {
                status,
                code,
                transient,
                ..
            } => {
                (400..500).contains(status)
                    && *status != 408
                    && !*transient
                    && !matches!(code, -2..=2)
            }
            GraphError::Transport { .. } => false,
        }
    }
}

fn is_transient(e: &GraphError) -> bool {
    match e {
        GraphError::Api {
            code, transient, ..
        } => *transient || matches!(code, -1 | -2 | 2),
        GraphError::Transport { .. } => true,
    }
}

/// What a Graph error means for a post that was certainly not published by this call.
pub(super) fn failure(e: &GraphError, now: DateTime<Utc>) -> Posted {
    let GraphError::Api {
        code,
        subcode,
        message,
        transient,
        ..
    } = e
    else {
        let why = format!("{e:?}");
        return Posted::Failed {
            kind: FailureKind::Transient,
            detail: why,
        };
    };
    let detail = format!("Instagram {code}/{subcode}: {message}");
    match (code, subcode) {
        (190, _) => Posted::NeedsReconnect { detail },
        (4 | 17 | 32 | 613, _) | (9, 2_207_042) => Posted::RateLimited {
            retry_at: now + chrono::Duration::hours(1),
            detail,
        },
        (36000 | 36001 | 36003 | 36004, _) | (_, 2_207_004 | 2_207_005 | 2_207_009 | 2_207_010) => {
            Posted::Failed {
                kind: FailureKind::Rejected,
                detail,
            }
        }
        _ if *transient || matches!(code, -1 | -2 | 2 | 24 | 9007 | 9004) => Posted::Failed {
            kind: FailureKind::Transient,
            detail,
        },
        _ => Posted::Failed {
            kind: FailureKind::Rejected,
            detail,
        },
    }
}
