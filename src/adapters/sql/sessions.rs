//! The ended-sessions feed on PostgreSQL: `LISTEN` to what the trigger of migration 0011
//! notifies at each commit that moves an owner's token version (or removes the owner). The
//! listener holds one of the pool's connections.

use async_trait::async_trait;
use sqlx::postgres::{PgListener, PgPool};
use uuid::Uuid;

use crate::domain::UserId;
use crate::ports::{SessionFeed, SessionNews};

const CHANNEL: &str = "em_sessions_ended";

pub(super) struct PgSessionFeed {
    pool: PgPool,
    listener: Option<PgListener>,
}

impl PgSessionFeed {
    pub(super) fn new(pool: PgPool) -> Self {
        Self {
            pool,
            listener: None,
        }
    }
}

async fn listen(pool: &PgPool) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

#[async_trait]
impl SessionFeed for PgSessionFeed {
    async fn next(&mut self) -> SessionNews {
        let Some(listener) = self.listener.as_mut() else {
            return match listen(&self.pool).await {
                Ok(l) => {
                    self.listener = Some(l);
                    SessionNews::Listening
                }
                Err(e) => {
                    tracing::warn!(error = %e, "not listening for ended sessions yet");
                    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                    SessionNews::Interrupted
                }
            };
        };
        loop {
            match listener.try_recv().await {
                Ok(Some(n)) => {
                    if let Ok(id) = Uuid::parse_str(n.payload()) {
                        return SessionNews::Ended(UserId(id));
                    }
                }
                // The connection was lost (or the pool closed): listen again next time.
                Ok(None) | Err(_) => {
                    self.listener = None;
                    return SessionNews::Interrupted;
                }
            }
        }
    }
}
