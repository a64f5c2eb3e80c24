//! Local mode plays the timer triggers in process: housekeeping once at start-up (the machine may
//! have been off at midnight), then every day at 00:00 in Seoul. In Azure the `events-auto-end`
//! timer trigger does this instead.

use crate::app::{Services, housekeeping, outbox};
use crate::domain::calendar::next_seoul_midnight;

/// Delivers outbox messages: right after a commit (woken), and every second for retries that
/// have become due.
pub fn spawn_relay(services: Services) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::select! {
                () = services.relay_kick.notified() => {},
                () = tokio::time::sleep(std::time::Duration::from_secs(1)) => {},
            }
            if let Err(e) = outbox::relay(&services).await {
                tracing::error!(error = format!("{e:#}"), "outbox relay failed");
            }
        }
    })
}

pub fn spawn(services: Services) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(e) = housekeeping::run(&services).await {
                tracing::error!(error = format!("{e:#}"), "housekeeping failed");
            }
            let now = services.clock.now();
            let wait = (next_seoul_midnight(now) - now)
                .to_std()
                .unwrap_or(std::time::Duration::from_secs(60));
            tokio::time::sleep(wait).await;
        }
    })
}
