//! The outbox relay: delivers due outbox messages, each claimed first so two relays (after a
//! commit, and the `outbox-relay` timer) never deliver one at once.
//!
//! With a Service Bus sender (Azure), delivering means publishing: Service Bus then runs the
//! worker function. Without one (locally), the relay runs the worker itself, with Service Bus
//! semantics — at-least-once, a delivery count, a growing delay between deliveries, and
//! dead-lettering after `max_deliveries` (the job then fails with a message for the owner).

use std::fmt;

use chrono::Duration;
use tracing::instrument;

use super::workers::{self, Outcome};
use super::{AppError, Services};

/// How long a claimed message is hidden from other relays (an AI job may take minutes).
const LEASE_MINUTES: i64 = 10;
const BATCH: i64 = 20;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct RelayReport {
    pub delivered: usize,
    pub retried: usize,
    pub dead: usize,
}

impl fmt::Display for RelayReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "delivered {}, to retry {}, dead-lettered {}",
            self.delivered, self.retried, self.dead
        )
    }
}

/// The delay before delivery `n + 1`: 1 s, 2 s, 4 s, … at most 60 s.
pub fn backoff(deliveries: u32) -> Duration {
    Duration::seconds(1i64 << deliveries.saturating_sub(1).min(6)).min(Duration::seconds(60))
}

#[instrument(skip_all)]
pub async fn relay(s: &Services) -> Result<RelayReport, AppError> {
    let mut report = RelayReport::default();
    loop {
        let now = s.clock.now();
        let due = s.store.due_messages(now, BATCH).await?;
        if due.is_empty() {
            break;
        }
        let mut progressed = false;
        for msg in due {
            let now = s.clock.now();
            let Some(delivery) = s
                .store
                .claim_message(msg.id, now, now + Duration::minutes(LEASE_MINUTES))
                .await?
            else {
                continue;
            };
            progressed = true;
            let outcome = match &s.sender {
                // Published: Service Bus delivers it to the worker function from now on.
                Some(sender) => match sender.send(&msg).await {
                    Ok(()) => Outcome::Done(format!("sent to {}", msg.destination)),
                    Err(e) => Outcome::Retry(e.to_string()),
                },
                None => workers::dispatch(s, &msg.destination, &msg.payload, delivery).await,
            };
            let now = s.clock.now();
            match outcome {
                Outcome::Done(what) => {
                    tracing::info!(message_id = %msg.id, delivery, "{what}");
                    s.store.mark_delivered(msg.id, now).await?;
                    report.delivered += 1;
                }
                Outcome::Retry(why) if delivery >= s.max_deliveries => {
                    tracing::error!(message_id = %msg.id, delivery, reason = %why, "dead-lettered");
                    // The job first: if failing it fails, the message is retried, not lost.
                    workers::dead_letter(s, &msg.payload).await?;
                    s.store.mark_dead(msg.id, now, &why).await?;
                    report.dead += 1;
                }
                Outcome::Retry(why) => {
                    s.store
                        .mark_retry(msg.id, now + backoff(delivery), &why)
                        .await?;
                    report.retried += 1;
                }
            }
        }
        if !progressed {
            break;
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_a_minute() {
        let secs: Vec<i64> = (1..=9).map(|n| backoff(n).num_seconds()).collect();
        assert_eq!(secs, vec![1, 2, 4, 8, 16, 32, 60, 60, 60]);
    }
}
