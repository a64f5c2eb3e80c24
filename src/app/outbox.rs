//! The outbox relay, and what a delivery of a message comes to.
//!
//! The relay delivers due outbox messages, each claimed first so two relays (after a commit,
//! and the `outbox-relay` timer) never deliver one at once. With a Service Bus sender (Azure),
//! delivering means publishing: Service Bus then runs the worker function. Without one
//! (locally), the relay runs the worker itself (`deliver`), with Service Bus semantics —
//! at-least-once, a delivery count, a growing delay between deliveries, and dead-lettering after
//! `max_deliveries` (a job then fails with a message for the owner).

use std::fmt;

use chrono::Duration;
use tracing::instrument;

use super::{AppError, Services, analytics, distribution, jobs};
use crate::domain::job::{JobFailure, JobStatus};
use crate::domain::{Destination, OutboxMessage, Queue};
use crate::ports::Completion;

/// How long a claimed message is hidden from other relays (an AI job may take minutes).
const LEASE_MINUTES: i64 = 10;
const BATCH: i64 = 20;

/// What a delivery of a message came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done with this message.
    Done(Settled),
    /// Deliver it again later (Service Bus: answer non-2xx), for this reason.
    Retry(String),
}

/// How a message was settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settled {
    /// The job completed with this many results.
    Stored(usize),
    /// The job finished, its results not written (the event changed meanwhile).
    Unwritten(Completion),
    AlreadyFinished(JobStatus),
    UnknownJob,
    /// The job failed for good, with this message for the owner.
    Failed(JobFailure),
    /// A distribution's due posts were attempted; this many are still to go.
    Distributed {
        attempted: usize,
        open: usize,
    },
    UnknownDistribution,
    /// The message has no id this worker understands.
    Unreadable,
    /// A domain event applied to the analytics read model (`false`: it had been before).
    Applied(bool),
    /// Published to Service Bus, whose trigger runs it from now on.
    Sent(Destination),
}

impl fmt::Display for Settled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Settled::Stored(n) => write!(f, "{n} result(s) stored"),
            Settled::Unwritten(why) => write!(f, "job finished, results not written: {why:?}"),
            Settled::AlreadyFinished(status) => write!(f, "job already {}", status.code()),
            Settled::UnknownJob => f.write_str("unknown job: dropped"),
            Settled::Failed(why) => write!(f, "job failed: {why:?}"),
            Settled::Distributed { attempted, open } => {
                write!(f, "{attempted} post(s) attempted, {open} still open")
            }
            Settled::UnknownDistribution => f.write_str("unknown distribution: dropped"),
            Settled::Unreadable => f.write_str("not a message this worker reads: dropped"),
            Settled::Applied(true) => f.write_str("applied to the analytics"),
            Settled::Applied(false) => f.write_str("already applied to the analytics: dropped"),
            Settled::Sent(to) => write!(f, "sent to {}", to.name()),
        }
    }
}

/// One delivery of a message to what consumes it. `delivery` counts from 1.
pub async fn deliver(
    s: &Services,
    destination: Destination,
    payload: &serde_json::Value,
    delivery: u32,
) -> Outcome {
    match destination {
        Destination::Queue(Queue::DistributionJobs) => {
            distribution::deliver(s, payload, delivery).await
        }
        Destination::Queue(Queue::AiRecommendationJobs | Queue::ImageGenerationJobs) => {
            jobs::deliver(s, payload, delivery).await
        }
        // The topic's one subscription, `analytics`, played in process.
        Destination::Topic(_) => analytics::deliver(s, payload, delivery).await,
    }
}

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

/// What became of one relayed message.
enum Relayed {
    Delivered,
    Retried,
    Dead,
}

/// Messages one relay pass delivers at once on PostgreSQL (each its own claim and
/// transactions); SQLite has one writer, so there they go one after another.
const CONCURRENCY: usize = 8;

#[instrument(skip_all)]
pub async fn relay(s: &Services) -> Result<RelayReport, AppError> {
    use futures::StreamExt;
    let at_once = if s.store.backend() == "postgres" {
        CONCURRENCY
    } else {
        1
    };
    let mut report = RelayReport::default();
    loop {
        let due = s.store.due_messages(s.clock.now(), BATCH).await?;
        // Boxed first: a stream of closures over `&Services` would not be `Send` for every
        // lifetime the compiler has to prove.
        let calls: Vec<futures::future::BoxFuture<'_, Result<Option<Relayed>, AppError>>> = due
            .iter()
            .map(|msg| Box::pin(relay_one(s, msg)) as _)
            .collect();
        let passes: Vec<Result<Option<Relayed>, AppError>> = futures::stream::iter(calls)
            .buffer_unordered(at_once)
            .collect()
            .await;
        let mut progressed = false;
        for pass in passes {
            match pass? {
                Some(Relayed::Delivered) => report.delivered += 1,
                Some(Relayed::Retried) => report.retried += 1,
                Some(Relayed::Dead) => report.dead += 1,
                None => continue,
            }
            progressed = true;
        }
        if !progressed {
            return Ok(report);
        }
    }
}

/// Claims one message and delivers it; `None` when another relay had claimed it.
async fn relay_one(s: &Services, msg: &OutboxMessage) -> Result<Option<Relayed>, AppError> {
    let now = s.clock.now();
    let lease = now + Duration::minutes(LEASE_MINUTES);
    let Some(delivery) = s.store.claim_message(msg.id, now, lease).await? else {
        return Ok(None);
    };
    let outcome = match &s.sender {
        // Published: Service Bus delivers it to the worker function from now on.
        Some(sender) => match sender.send(msg).await {
            Ok(()) => Outcome::Done(Settled::Sent(msg.destination)),
            Err(e) => Outcome::Retry(e.to_string()),
        },
        None => deliver(s, msg.destination, &msg.payload, delivery).await,
    };
    let now = s.clock.now();
    Ok(Some(match outcome {
        Outcome::Done(settled) => {
            tracing::info!(message_id = %msg.id, delivery, "{settled}");
            s.store.mark_delivered(msg.id, now).await?;
            Relayed::Delivered
        }
        Outcome::Retry(why) if delivery >= s.max_deliveries => {
            tracing::error!(message_id = %msg.id, delivery, reason = %why, "dead-lettered");
            // The job first: if failing it fails, the message is retried, not lost.
            jobs::dead_letter(s, &msg.payload).await?;
            s.store.mark_dead(msg.id, now, &why).await?;
            Relayed::Dead
        }
        Outcome::Retry(why) => {
            let again = now + backoff(delivery);
            s.store.mark_retry(msg.id, again, &why).await?;
            Relayed::Retried
        }
    }))
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
