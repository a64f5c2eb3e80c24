//! The publishing steps after the quota check: a container that is ready (or proof that the
//! post already exists), and `media_publish`, the one irreversible call.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::graph::{GraphError, failure};
use super::{Instagram, lost_hold};
use crate::adapters::channels::verdict::Verdict;
use crate::domain::distribution::FailureKind;
use crate::ports::{Checkpoints, Outgoing, Posted};

impl Instagram {
    /// A FINISHED container for the post: the one an earlier attempt made, when it is still
    /// usable, or a new one (checkpointed before it is waited for). A saved container that is
    /// PUBLISHED proves the post exists: it is never replaced (`Err(Published)`).
    pub(super) async fn ready_container(
        &self,
        out: &Outgoing<'_>,
        user: &str,
        token: &str,
        reuse: Option<&str>,
        progress: &dyn Checkpoints,
    ) -> Result<String, Posted> {
        if let Some(id) = reuse {
            match self.wait_until_ready(id, token).await {
                Ok(code) if code == "FINISHED" => return Ok(id.to_owned()),
                Ok(code) if code == "PUBLISHED" => {
                    return Err(self.published(user, token, id, out).await);
                }
                Ok(_) => {} // EXPIRED, ERROR, still IN_PROGRESS: a new container
                // Unreadable: it may have been published. UNKNOWN, read again by the sweep;
                // nothing new is made until it reads.
                Err(e) => {
                    return Err(Posted::Unknown {
                        detail: format!("the saved container {id} could not be read: {e:?}"),
                    });
                }
            }
        }
        let id = (self.container(out, user, token).await).map_err(|e| failure(&e, out.now))?;
        if progress.save(json!({ "container": id })).await.is_err() {
            return Err(lost_hold());
        }
        match self.wait_until_ready(&id, token).await {
            Ok(code) if code == "FINISHED" => Ok(id),
            Ok(code) => Err(Posted::Failed {
                kind: if code == "ERROR" {
                    FailureKind::Rejected
                } else {
                    FailureKind::Transient
                },
                detail: format!("container {code}"),
            }),
            Err(e) => Err(failure(&e, out.now)),
        }
    }

    /// The post of a PUBLISHED container, found in the account's listing by its caption.
    pub(super) async fn published(
        &self,
        user: &str,
        token: &str,
        container: &str,
        out: &Outgoing<'_>,
    ) -> Posted {
        let since = out
            .checkpoint
            .and_then(|c| c["at"].as_str())
            .and_then(|t| t.parse::<DateTime<Utc>>().ok());
        match self.find_media(user, token, &out.post.text, since).await {
            Some((id, url)) => Posted::Published {
                external_id: id,
                url,
            },
            None => Posted::Published {
                external_id: format!("container:{container}"),
                url: None,
            },
        }
    }

    /// The irreversible step: sent once, never retried. Only a clear refusal fails it; any
    /// other answer is UNKNOWN (`verdict`), settled by reading the container.
    pub(super) async fn media_publish(
        &self,
        container: &str,
        user: &str,
        token: &str,
        now: DateTime<Utc>,
    ) -> Posted {
        let form = [("creation_id", container), ("access_token", token)];
        let req = self
            .http
            .post(self.url(&format!("{user}/media_publish")))
            .form(&form);
        let verdict = match self.call(req).await {
            Ok(v) => Verdict::made(v["id"].as_str(), None),
            Err(GraphError::Transport { why, sent: true }) => Verdict::Unclear(why),
            Err(e @ GraphError::Api { .. }) if !e.refuses() => Verdict::Unclear(format!("{e:?}")),
            Err(e) => Verdict::Refused(failure(&e, now)),
        };
        match verdict {
            Verdict::Made { external_id, .. } => {
                let url = self.permalink(&external_id, token).await;
                Posted::Published { external_id, url }
            }
            other => other.posted(),
        }
    }
}
