//! Results an owner can act on. Tracked links and the visits they bring (`links`), the read
//! model fed by domain events (`deliver`: the `analytics-worker`), the dashboard built from it
//! (`dashboard`), redemptions at the counter, and the channels' own statistics (`stats`).

pub mod dashboard;
pub mod links;
pub mod stats;

use chrono::{DateTime, Utc};
use serde_json::Value;
use tracing::instrument;

use super::outbox::{Outcome, Settled};
use super::{AppError, Kind, Problem, Services, events};
use crate::domain::analytics::{Change, Increment, Tally, VisitKind, seoul_hour};
use crate::domain::{EventId, EventStatus, FieldError, FieldProblem, MessageId, UserId};
use crate::ports::{Redemption, Totals};

pub use dashboard::Dashboard;
pub use links::{Caches, Visitor};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AnalyticsError {
    #[error("the event is not published")]
    NotPublished,
}

impl AnalyticsError {
    pub fn problem(&self) -> Problem {
        match self {
            AnalyticsError::NotPublished => Problem::new(
                Kind::Conflict,
                "ANALYTICS_001",
                "아직 게시하지 않은 이벤트입니다. 게시하면 채널별 링크와 성과가 만들어집니다.",
            ),
        }
    }
}

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

/// One delivery of a domain event to the read model (`analytics-worker`). Applying a message
/// a second time changes nothing: its id is recorded with its changes, in one transaction.
#[instrument(skip_all)]
pub async fn deliver(s: &Services, payload: &Value, _delivery: u32) -> Outcome {
    let Some((id, event, changes)) = read(payload) else {
        return Outcome::Done(Settled::Unreadable);
    };
    match s.store.event_by_id(event).await {
        Ok(Some(_)) => {}
        Ok(None) => return Outcome::Done(Settled::Unreadable),
        Err(e) => return Outcome::Retry(e.to_string()),
    }
    match s
        .store
        .apply_analytics(id, event, &changes, s.clock.now())
        .await
    {
        Ok(fresh) => Outcome::Done(Settled::Applied(fresh)),
        Err(e) => Outcome::Retry(e.to_string()),
    }
}

/// The envelope's id and event, and what its domain event changes.
fn read(payload: &Value) -> Option<(MessageId, EventId, Vec<Change>)> {
    let id = payload["id"].as_str()?.parse().ok()?;
    let event = payload["eventId"].as_str()?.parse().ok()?;
    let occurred: DateTime<Utc> = serde_json::from_value(payload["occurredAt"].clone()).ok()?;
    let data = &payload["data"];
    let change = match payload["type"].as_str()? {
        "ParticipantRegistered" => Change::Counts(entries(data, occurred)?),
        "VisitRecorded" => Change::Counts(vec![visit(data, occurred)?]),
        "EventPublished" => Change::Published {
            at: time(&data["publishedAt"]).unwrap_or(occurred),
        },
        "DistributionCompleted" => Change::Distributed(outcomes(data)),
        "WinnersDrawn" => Change::Drawn {
            winners: data["winners"].as_i64()?,
            at: time(&data["drawnAt"]).unwrap_or(occurred),
        },
        _ => return None,
    };
    Some((id, event, vec![change]))
}

fn time(v: &Value) -> Option<DateTime<Utc>> {
    serde_json::from_value(v.clone()).ok()
}

/// Entries per source and Seoul hour (`buckets`; a message without them counts its sources at
/// its last entry's hour).
fn entries(data: &Value, occurred: DateTime<Utc>) -> Option<Vec<Increment>> {
    let inc = |source: &str, hour, count: i64| Increment {
        source: source.to_owned(),
        hour,
        tally: Tally {
            entries: count,
            ..Tally::default()
        },
    };
    if let Some(buckets) = data["buckets"].as_array() {
        return buckets
            .iter()
            .map(|b| {
                Some(inc(
                    b["source"].as_str()?,
                    time(&b["hour"])?,
                    b["count"].as_i64()?,
                ))
            })
            .collect();
    }
    let hour = seoul_hour(time(&data["lastEnteredAt"]).unwrap_or(occurred));
    (data["bySource"].as_object()?)
        .iter()
        .map(|(source, n)| Some(inc(source, hour, n.as_i64()?)))
        .collect()
}

fn visit(data: &Value, occurred: DateTime<Utc>) -> Option<Increment> {
    let kind = VisitKind::parse(data["kind"].as_str()?)?;
    let first = data["firstOfKind"].as_bool()?;
    let one = |yes: bool| i64::from(yes);
    Some(Increment {
        source: data["source"].as_str()?.to_owned(),
        hour: seoul_hour(time(&data["at"]).unwrap_or(occurred)),
        tally: Tally {
            views: one(first && kind == VisitKind::View),
            clicks: one(first && kind == VisitKind::Click),
            visitors: one(data["firstVisit"].as_bool()?),
            entries: 0,
        },
    })
}

/// `{"INSTAGRAM":"PUBLISHED",…}` from a `DistributionCompleted`.
fn outcomes(data: &Value) -> Value {
    let map = (data["channels"].as_array().into_iter().flatten())
        .filter_map(|c| Some((c["channel"].as_str()?.to_owned(), c["status"].clone())))
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
    pub idempotency_key: Option<String>,
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
        idempotency_key: recording.idempotency_key,
    };
    Ok(s.store.record_redemption(&r).await?)
}
