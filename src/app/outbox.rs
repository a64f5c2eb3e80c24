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

use super::jobs::{self, Outcome, Settled};
use super::{AppError, Services};
use crate::domain::OutboxMessage;

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
        let due = s.store.due_messages(s.clock.now(), BATCH).await?;
        let mut progressed = false;
        for msg in due {
            progressed |= relay_one(s, &msg, &mut report).await?;
        }
        if !progressed {
            return Ok(report);
        }
    }
}

/// Claims one message and delivers it; `false` when another relay had claimed it.
async fn relay_one(
    s: &Services,
    msg: &OutboxMessage,
    report: &mut RelayReport,
) -> Result<bool, AppError> {
    let now = s.clock.now();
    let lease = now + Duration::minutes(LEASE_MINUTES);
    let Some(delivery) = s.store.claim_message(msg.id, now, lease).await? else {
        return Ok(false);
    };
    let outcome = match &s.sender {
        // Published: Service Bus delivers it to the worker function from now on.
        Some(sender) => match sender.send(msg).await {
            Ok(()) => Outcome::Done(Settled::Sent(msg.destination)),
            Err(e) => Outcome::Retry(e.to_string()),
        },
        None => jobs::deliver(s, &msg.payload, delivery).await,
    };
    let now = s.clock.now();
    match outcome {
        Outcome::Done(settled) => {
            tracing::info!(message_id = %msg.id, delivery, "{settled}");
            s.store.mark_delivered(msg.id, now).await?;
            report.delivered += 1;
        }
        Outcome::Retry(why) if delivery >= s.max_deliveries => {
            tracing::error!(message_id = %msg.id, delivery, reason = %why, "dead-lettered");
            // The job first: if failing it fails, the message is retried, not lost.
            jobs::dead_letter(s, &msg.payload).await?;
            s.store.mark_dead(msg.id, now, &why).await?;
            report.dead += 1;
        }
        Outcome::Retry(why) => {
            let again = now + backoff(delivery);
            s.store.mark_retry(msg.id, again, &why).await?;
            report.retried += 1;
        }
    }
    Ok(true)
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
