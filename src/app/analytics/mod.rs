//! Results an owner can act on. Tracked links and the visits they bring (`links`), the read
//! model fed by domain events (`deliver`: the `analytics-worker`), the dashboard built from it
//! (`dashboard`), redemptions at the counter, and the channels' own statistics (`stats`).

pub mod dashboard;
pub mod links;
pub mod stats;

use chrono::{DateTime, Utc};
use serde_json::Value;
use tracing::instrument;

use super::{AppError, Services, events};
use crate::domain::analytics::{Change, Increment, Tally, VisitKind, seoul_hour};
use crate::domain::field::IdempotencyKey;
use crate::domain::messages::{
    Bucket, DistributionCompleted, Envelope, Message, ParticipantRegistered, PassActed,
    VisitBucket, VisitRecorded,
};
use crate::domain::pass::Act;
use crate::domain::{EventId, EventStatus, FieldError, FieldProblem, UserId};
use crate::ports::{Redemption, Totals};

pub use crate::domain::refusals::AnalyticsError;
pub use dashboard::Dashboard;
pub use links::Visitor;

/// The owner's event, once it has been published (a draft has no links and no results).
pub(crate) async fn published_event(
    s: &Services,
    owner: UserId,
    event_id: EventId,
) -> Result<crate::domain::Event, AppError> {
    let event = events::get(s, owner, event_id).await?;
    if event.status == EventStatus::Draft {
        return Err(AnalyticsError::NotPublished.into());
    }
    Ok(event)
}

/// What applying a domain event to the read model came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// Applied now.
    Fresh,
    /// Applied before (a second delivery): nothing changed.
    Again,
    /// Not a domain event the read model reads, or of an event that is gone: dropped.
    Ignored,
}

/// One delivery of a domain event to the read model (`analytics-worker`). Applying a message
/// a second time changes nothing: its id is recorded with its changes, in one transaction.
#[instrument(skip_all)]
pub async fn deliver(s: &Services, envelope: &Envelope) -> Result<Applied, AppError> {
    let Some(change) = change_of(&envelope.message, envelope.occurred_at) else {
        return Ok(Applied::Ignored);
    };
    if s.store.event_by_id(envelope.event_id).await?.is_none() {
        return Ok(Applied::Ignored);
    }
    let now = s.clock.now();
    let fresh = (s.store)
        .apply_analytics(envelope.id, envelope.event_id, &[change], now)
        .await?;
    Ok(if fresh {
        Applied::Fresh
    } else {
        Applied::Again
    })
}

/// What a domain event changes in the read model (`None`: nothing; jobs are not its news).
fn change_of(message: &Message, occurred: DateTime<Utc>) -> Option<Change> {
    Some(match message {
        Message::ParticipantRegistered(p) => Change::Counts(entries(p)),
        Message::VisitRecorded(v) => Change::Counts(vec![visit(v)]),
        Message::VisitsCounted(v) => Change::Counts(v.buckets.iter().map(visits).collect()),
        Message::EventPublished(p) => Change::Published {
            at: p.published_at.unwrap_or(occurred),
        },
        Message::DistributionCompleted(d) => Change::Distributed(outcomes(d)),
        Message::WinnersDrawn(w) => Change::Drawn {
            winners: w.winners,
            at: w.drawn_at,
        },
        Message::PassActed(a) => Change::Counts(vec![acted(a)]),
        Message::ReviewDecided(r) if r.approved => Change::Counts(vec![Increment {
            source: r.source.clone(),
            hour: seoul_hour(r.at),
            tally: Tally {
                approved: 1,
                ..Tally::default()
            },
        }]),
        Message::AiRecommendationRequested(_)
        | Message::ImageGenerationRequested(_)
        | Message::DistributionRequested(_)
        | Message::ReviewDecided(_) => return None,
    })
}

/// Entries per source and Seoul hour (a message from before `buckets` counts its sources at its
/// last entry's hour).
fn entries(p: &ParticipantRegistered) -> Vec<Increment> {
    let inc = |b: Bucket| Increment {
        source: b.source,
        hour: b.hour,
        tally: Tally {
            entries: b.count,
            invited: b.invited,
            credited: b.credited,
            ..Tally::default()
        },
    };
    if !p.buckets.is_empty() {
        return p.buckets.iter().cloned().map(inc).collect();
    }
    let hour = seoul_hour(p.last_entered_at);
    (p.by_source.iter())
        .map(|(source, n)| {
            inc(Bucket {
                source: source.clone(),
                hour,
                count: *n,
                invited: 0,
                credited: 0,
            })
        })
        .collect()
}

fn visit(v: &VisitRecorded) -> Increment {
    let one = |yes: bool| i64::from(yes);
    Increment {
        source: v.source.clone(),
        hour: seoul_hour(v.at),
        tally: Tally {
            views: one(v.first_of_kind && v.kind == VisitKind::View),
            clicks: one(v.first_of_kind && v.kind == VisitKind::Click),
            visitors: one(v.first_visit),
            ..Tally::default()
        },
    }
}

fn visits(b: &VisitBucket) -> Increment {
    Increment {
        source: b.source.clone(),
        hour: b.hour,
        tally: Tally {
            views: b.views,
            clicks: b.clicks,
            visitors: b.visitors,
            ..Tally::default()
        },
    }
}

/// A counter's act in its source's hour; its undoing takes the same counts back.
fn acted(a: &PassActed) -> Increment {
    let sign = if a.undone { -1 } else { 1 };
    let spent = a.spend.is_some() && a.act != Act::Stamp;
    Increment {
        source: a.source.clone(),
        hour: seoul_hour(a.at),
        tally: Tally {
            redeemed: sign * i64::from(a.act != Act::Stamp),
            stamps: sign * i64::from(a.act == Act::Stamp),
            spend: sign * a.spend.filter(|_| spent).unwrap_or(0),
            spent: sign * i64::from(spent),
            credited: sign * i64::from(a.credits_inviter),
            ..Tally::default()
        },
    }
}

/// `{"INSTAGRAM":"PUBLISHED",…}` from a `DistributionCompleted`.
fn outcomes(d: &DistributionCompleted) -> Value {
    let map = (d.channels.iter())
        .map(|c| (c.channel.code().to_owned(), Value::from(c.status.code())))
        .collect::<serde_json::Map<_, _>>();
    Value::Object(map)
}

/// What the owner says happened at the counter: visits or coupons redeemed, and what such a
/// customer spends on average (kept for the next time when left out).
#[derive(Debug, Clone, Copy)]
pub struct RedemptionForm {
    pub count: i64,
    pub average_spend: Option<i64>,
}

/// A recording and the client's key for it (a retry with the same key records nothing more).
pub struct Recording {
    pub form: RedemptionForm,
    pub idempotency_key: Option<IdempotencyKey>,
}

pub const MAX_REDEMPTIONS: i64 = 10_000;
pub const MAX_AVERAGE_SPEND: i64 = 10_000_000;

impl RedemptionForm {
    pub fn new(count: Option<i64>, average_spend: Option<i64>) -> Result<Self, FieldError> {
        let count = count.unwrap_or(1);
        if !(1..=MAX_REDEMPTIONS).contains(&count) {
            return Err(FieldError::new(
                "count",
                FieldProblem::OutOfRange {
                    min: 1,
                    max: MAX_REDEMPTIONS,
                },
            ));
        }
        if average_spend.is_some_and(|v| !(0..=MAX_AVERAGE_SPEND).contains(&v)) {
            return Err(FieldError::new(
                "averageSpend",
                FieldProblem::OutOfRange {
                    min: 0,
                    max: MAX_AVERAGE_SPEND,
                },
            ));
        }
        Ok(Self {
            count,
            average_spend,
        })
    }
}

#[instrument(skip_all, fields(user_id = %owner, event_id = %event_id))]
pub async fn redeem(
    s: &Services,
    owner: UserId,
    event_id: EventId,
    recording: Recording,
) -> Result<Totals, AppError> {
    let event = published_event(s, owner, event_id).await?;
    let r = Redemption {
        event_id: event.id,
        count: recording.form.count,
        average_spend: recording.form.average_spend,
        recorded_at: s.clock.now(),
        idempotency_key: recording.idempotency_key.map(|k| k.as_str().to_owned()),
    };
    Ok(s.store.record_redemption(&r).await?)
}
