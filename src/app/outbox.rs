//! The outbox relay.
//!
//! The relay delivers due outbox messages, each claimed first so two relays (after a commit,
//! and the `outbox-relay` timer) never deliver one at once. With a Service Bus sender (Azure),
//! delivering means publishing: Service Bus then runs the worker function. Without one
//! (locally), the relay hands it to `delivery` itself, with Service Bus semantics —
//! at-least-once, a delivery count, a growing delay between deliveries, and dead-lettering after
//! `max_deliveries` (a job then fails with a message for the owner).

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::Duration;
use tracing::instrument;

use super::delivery::{self, Outcome, Settled};
use super::{AppError, Services};
use crate::domain::OutboxMessage;
use crate::domain::messages::{Destination, Queue};
use crate::ports::Backend;

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

/// What became of one relayed message.
enum Relayed {
    Delivered,
    Retried,
    Dead,
}

/// Messages one relay pass delivers at once on PostgreSQL (each its own claim and
/// transactions); SQLite has one writer, so there they go one after another.
const CONCURRENCY: usize = 8;
/// Distributions delivered at once, on either store, in their own lane: a channel that takes
/// its time (Instagram's polling) never holds up another shop's plan or posters. Their writes
/// are short (guarded single statements, and the completion's one small transaction), so
/// SQLite's busy timeout serialises them.
const DISTRIBUTIONS_AT_ONCE: usize = 4;
/// How long an idle lane waits before looking again while the other lane is still busy.
const IDLE_LOOK_MS: u64 = 100;

/// The relay's two lanes: distributions, and every other message.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lane {
    Distributions,
    Others,
}

const DISTRIBUTIONS: Destination = Destination::Queue(Queue::DistributionJobs);

#[instrument(skip_all)]
pub async fn relay(s: &Services) -> Result<RelayReport, AppError> {
    let others_at_once = match s.store.backend() {
        Backend::Postgres => CONCURRENCY,
        Backend::Sqlite => 1,
    };
    let mut report = RelayReport::default();
    // Until nothing is due: a lane's deliveries write messages for the other lane.
    loop {
        let busy = [AtomicBool::new(false), AtomicBool::new(false)];
        let (distributions, others) = futures::join!(
            lane(
                s,
                Lane::Distributions,
                DISTRIBUTIONS_AT_ONCE,
                &busy[0],
                &busy[1]
            ),
            lane(s, Lane::Others, others_at_once, &busy[1], &busy[0]),
        );
        let mut progressed = false;
        for r in [distributions?, others?] {
            progressed |= r.delivered + r.retried + r.dead > 0;
            report.delivered += r.delivered;
            report.retried += r.retried;
            report.dead += r.dead;
        }
        if !progressed {
            return Ok(report);
        }
    }
}

/// Delivers the lane's due messages until none are left while the other lane is idle too (an
/// idle lane looks again every `IDLE_LOOK_MS` while the other one delivers).
async fn lane(
    s: &Services,
    lane: Lane,
    at_once: usize,
    mine: &AtomicBool,
    other: &AtomicBool,
) -> Result<RelayReport, AppError> {
    let mut report = RelayReport::default();
    loop {
        // Read before the query: what an idle lane wrote is committed before it said so.
        let other_idle = !other.load(Ordering::Acquire);
        let distributions = lane == Lane::Distributions;
        let due = (s.store)
            .due_messages_in(s.clock.now(), BATCH, DISTRIBUTIONS, distributions)
            .await?;
        let due: Vec<&OutboxMessage> = due.iter().collect();
        let progressed = if due.is_empty() {
            false
        } else {
            mine.store(true, Ordering::Release);
            let delivered = deliver_all(s, &due, at_once, &mut report).await;
            mine.store(false, Ordering::Release);
            delivered? // false: all claimed by another relay
        };
        if progressed {
            continue;
        }
        if other_idle {
            return Ok(report);
        }
        tokio::time::sleep(std::time::Duration::from_millis(IDLE_LOOK_MS)).await;
    }
}

/// Delivers `due`, `at_once` at a time; whether any was delivered, retried or dead-lettered.
async fn deliver_all(
    s: &Services,
    due: &[&OutboxMessage],
    at_once: usize,
    report: &mut RelayReport,
) -> Result<bool, AppError> {
    use futures::StreamExt;
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
    Ok(progressed)
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
        None => delivery::deliver(s, msg.destination, &msg.payload, delivery).await,
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
            delivery::dead_letter(s, &msg.payload).await?;
            s.store.mark_dead(msg.id, now, &why).await?;
            Relayed::Dead
        }
        Outcome::Retry(why) => {
            let again = now + delivery::backoff(delivery);
            s.store.mark_retry(msg.id, again, &why).await?;
            Relayed::Retried
        }
    }))
}
