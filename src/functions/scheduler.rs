//! Local mode plays the timer triggers in process: housekeeping once at start-up (the machine may
//! have been off at midnight), then every day at 00:00 in Seoul. In Azure the `events-auto-end`
//! timer trigger does this instead.

use crate::app::{Services, housekeeping, outbox, workers};
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
            // Each pass is its own task: a panic in one delivery ends the pass, not the relay.
            let s = services.clone();
            let pass = tokio::spawn(async move {
                outbox::relay(&s).await?;
                workers::fail_stale_jobs(&s).await
            });
            match pass.await {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::error!(error = format!("{e:#}"), "outbox relay failed"),
                Err(e) => tracing::error!(error = %e, "outbox relay pass panicked"),
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
