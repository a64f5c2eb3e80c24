//! Where every message goes. The outbox relay (locally) and the Service Bus–triggered functions
//! (in Azure) hand a delivered message here; it reads the envelope as its typed `Message` and
//! calls the area that consumes it — each job type's registered worker, the distribution
//! worker, the analytics read model for the topic's domain events — and says what the delivery
//! came to. No area imports this module or the relay: they return their own outcomes.

use std::fmt;

use chrono::Duration;
use futures::FutureExt;

use super::jobs::{self, JobOutcome, Worker};
use super::{AppError, Services, analytics, distribution, images, recommendations};
use crate::domain::Destination;
use crate::domain::job::{JobFailure, JobStatus, JobType};
use crate::domain::messages::{Envelope, Message};
use crate::ports::Completion;

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
    /// The message is not one this consumer reads (or not one of ours at all).
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

/// The delay before delivery `n + 1`: 1 s, 2 s, 4 s, … at most 60 s (the local relay's,
/// and how long a Service Bus trigger waits before abandoning a message).
pub fn backoff(deliveries: u32) -> Duration {
    Duration::seconds(1i64 << deliveries.saturating_sub(1).min(6)).min(Duration::seconds(60))
}

/// The worker of each job type: the one registry of what runs a job.
fn worker(t: JobType) -> Worker {
    match t {
        JobType::AiRecommendation => {
            |s, job, event, n| recommendations::run(s, job, event, n).boxed()
        }
        JobType::ImageGeneration => |s, job, event, n| images::run(s, job, event, n).boxed(),
    }
}

/// One delivery (counted from 1) of a message that arrived at `destination`. The message's
/// type decides what runs: a job message runs its job whichever queue it came through; the
/// topic's domain events go to its one subscription, the analytics read model.
pub async fn deliver(
    s: &Services,
    destination: Destination,
    payload: &serde_json::Value,
    delivery: u32,
) -> Outcome {
    let Some(envelope) = Envelope::read(payload) else {
        return Outcome::Done(Settled::Unreadable);
    };
    match (destination, &envelope.message) {
        (Destination::Topic(_), _) => applied(analytics::deliver(s, &envelope).await),
        (
            Destination::Queue(_),
            Message::AiRecommendationRequested(j) | Message::ImageGenerationRequested(j),
        ) => job(jobs::deliver(s, j.job_id, delivery, worker).await),
        (Destination::Queue(_), Message::DistributionRequested(d)) => {
            let delivered = distribution::deliver(s, d.distribution_id).await;
            distributed(delivered, delivery)
        }
        (Destination::Queue(_), _) => Outcome::Done(Settled::Unreadable),
    }
}

/// A message that will not be delivered again: a job's fails with a message the owner can
/// act on; anything else is only logged by the caller.
pub async fn dead_letter(s: &Services, payload: &serde_json::Value) -> Result<(), AppError> {
    match Envelope::read(payload).map(|e| e.message) {
        Some(Message::AiRecommendationRequested(j) | Message::ImageGenerationRequested(j)) => {
            jobs::dead_letter(s, j.job_id).await
        }
        _ => Ok(()),
    }
}

fn job(outcome: JobOutcome) -> Outcome {
    Outcome::Done(match outcome {
        JobOutcome::Stored(n) => Settled::Stored(n),
        JobOutcome::Unwritten(c) => Settled::Unwritten(c),
        JobOutcome::AlreadyFinished(status) => Settled::AlreadyFinished(status),
        JobOutcome::UnknownJob => Settled::UnknownJob,
        JobOutcome::Failed(why) => Settled::Failed(why),
        JobOutcome::Retry(why) => return Outcome::Retry(why),
    })
}

fn distributed(delivered: Result<distribution::Delivered, AppError>, delivery: u32) -> Outcome {
    match delivered {
        Ok(distribution::Delivered::Attempted { attempted, open }) => {
            Outcome::Done(Settled::Distributed { attempted, open })
        }
        Ok(distribution::Delivered::UnknownDistribution) => {
            Outcome::Done(Settled::UnknownDistribution)
        }
        Err(e) => {
            // Every post write is guarded: running the whole message again is safe.
            tracing::error!(error = format!("{e:#}"), delivery, "distribution failed");
            Outcome::Retry("internal error; will retry".to_owned())
        }
    }
}

fn applied(applied: Result<analytics::Applied, AppError>) -> Outcome {
    match applied {
        Ok(analytics::Applied::Fresh) => Outcome::Done(Settled::Applied(true)),
        Ok(analytics::Applied::Again) => Outcome::Done(Settled::Applied(false)),
        Ok(analytics::Applied::Ignored) => Outcome::Done(Settled::Unreadable),
        Err(e) => Outcome::Retry(e.to_string()),
    }
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
