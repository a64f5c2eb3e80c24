//! Local mode plays the triggers in process: the outbox relay right after each commit (woken)
//! and every second for retries that have become due, the daily timer once at start-up (the
//! machine may have been off at midnight) and then at 00:00 in Seoul, the distribution sweep
//! every `LOCAL_SWEEP_SECONDS` and the participants purge every `LOCAL_PURGE_SECONDS`. In Azure the
//! Functions host calls the same units of work through `triggers::routes`.

use super::Timer;
use crate::app::Services;
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
            let pass = tokio::spawn(async move { Timer::OutboxRelay.run(&s).await });
            match pass.await {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::error!(error = format!("{e:#}"), "outbox relay failed"),
                Err(e) => tracing::error!(error = %e, "outbox relay pass panicked"),
            }
        }
    })
}

async fn tick(services: &Services, timer: Timer) {
    match timer.run(services).await {
        Ok(line) => tracing::info!(timer = timer.function(), "{line}"),
        Err(e) => tracing::error!(
            error = format!("{e:#}"),
            timer = timer.function(),
            "timer failed"
        ),
    }
}

/// A timer that runs every `period` (Azure runs it every minute): now, then again and again.
pub fn spawn_every(
    services: Services,
    timer: Timer,
    period: std::time::Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tick(&services, timer).await;
            tokio::time::sleep(period).await;
        }
    })
}

/// The daily timer: now, then at every 00:00 in Seoul.
pub fn spawn_daily(services: Services) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tick(&services, Timer::EventsAutoEnd).await;
            let now = services.clock.now();
            let wait = (next_seoul_midnight(now) - now)
                .to_std()
                .unwrap_or(std::time::Duration::from_secs(60));
            tokio::time::sleep(wait).await;
        }
    })
}
