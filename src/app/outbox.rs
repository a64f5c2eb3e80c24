//! The outbox relay.
//!
//! The relay delivers due outbox messages, each claimed first so two relays (after a commit,
//! and the `outbox-relay` timer) never deliver one at once. With a Service Bus sender (Azure),
//! delivering means publishing: Service Bus then runs the worker function. Without one
//! (locally), the relay hands it to `delivery` itself, with Service Bus semantics —
//! at-least-once, a delivery count, a growing delay between deliveries, and dead-lettering after
//! `max_deliveries` (a job then fails with a message for the owner).

use std::fmt;

use chrono::Duration;
use tracing::instrument;

use super::delivery::{self, Outcome, Settled};
use super::{AppError, Services};
use crate::domain::OutboxMessage;
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

#[instrument(skip_all)]
pub async fn relay(s: &Services) -> Result<RelayReport, AppError> {
    use futures::StreamExt;
    let at_once = match s.store.backend() {
        Backend::Postgres => CONCURRENCY,
        Backend::Sqlite => 1,
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
