//! The local sandbox: on the embedded defaults, a channel that is not connected "publishes" by
//! writing the post under `DATA_DIR/sandbox/<channel>/`, and says so — its status is SANDBOX,
//! never PUBLISHED. Nothing leaves the machine. Azure has no sandbox.

use std::path::PathBuf;

use async_trait::async_trait;
use serde_json::json;

use crate::domain::distribution::FailureKind;
use crate::ports::{ChannelClient, Checkpoints, Outgoing, Posted, Reconciled};

pub struct Sandbox {
    root: PathBuf,
}

impl Sandbox {
    pub fn new(root: PathBuf) -> Self {
        Self { root }
    }
}

#[async_trait]
impl ChannelClient for Sandbox {
    async fn post(&self, out: &Outgoing<'_>, _progress: &dyn Checkpoints) -> Posted {
        let dir = self.root.join(out.channel.code().to_lowercase());
        let path = dir.join(format!("{}.json", out.idempotency_key));
        let record = json!({
            "sandbox": true,
            "note": "로컬 샌드박스: 실제 채널에는 아무것도 게시되지 않았습니다.",
            "channel": out.channel.code(),
            "writtenAt": out.now,
            "post": out.post,
        });
        let written = async {
            tokio::fs::create_dir_all(&dir).await?;
            let text = serde_json::to_string_pretty(&record).unwrap_or_default();
            // Same key, same file: a repeat rewrites it instead of adding another.
            tokio::fs::write(&path, text).await
        };
        match written.await {
            Ok(()) => Posted::Sandbox {
                path: path.display().to_string(),
            },
            Err(e) => Posted::Failed {
                kind: FailureKind::Transient,
                detail: format!("sandbox write: {e}"),
            },
        }
    }

    async fn reconcile(&self, _out: &Outgoing<'_>) -> Reconciled {
        // Writing the same file again is harmless.
        Reconciled::SendAgain
    }
}
