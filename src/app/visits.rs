//! Views and clicks, counted off the page's path: group commit, as entries are (`app::intake`).
//! A request hands its visit to one batcher task and waits; the batcher writes everything queued
//! (up to `MAX_BATCH`) in one transaction with one `VisitsCounted` message per event, and answers
//! each request only once that transaction committed. So a count that was answered is stored, a
//! shutdown loses nothing (the server finishes the requests in flight, which wait for their
//! commit), and a repeat is counted once (the visit's key in `visits` decides, in the database).

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, oneshot};

use super::intake::batches;

use crate::domain::analytics::{VisitKind, seoul_hour};
use crate::domain::messages::{Message, VisitBucket, VisitsCounted};
use crate::domain::{EventId, OutboxMessage};
use crate::ports::{Counted, Store, Visit};

/// Visits written in one transaction at most.
pub const MAX_BATCH: usize = 1024;
/// Visits waiting for a transaction at most: past this a visit is not counted (and says so).
pub const QUEUE: usize = 8 * MAX_BATCH;

struct Pending {
    visit: Visit,
    done: oneshot::Sender<bool>,
}

pub struct Visits {
    tx: mpsc::Sender<Pending>,
}

impl Visits {
    /// Starts the batcher: `writers` transactions in flight at most (SQLite has one writer).
    pub fn start(store: Arc<dyn Store>, writers: usize) -> Self {
        let (tx, rx) = mpsc::channel(QUEUE);
        tokio::spawn(batches(rx, writers, MAX_BATCH, move |batch| {
            let store = store.clone();
            async move { commit(&*store, batch).await }
        }));
        Self { tx }
    }

    /// Counts a visit with the next batch: `true` once committed, `false` when it was not (the
    /// queue was full or the batch failed; logged).
    pub async fn count(&self, visit: Visit) -> bool {
        let (done, answer) = oneshot::channel();
        if self.tx.try_send(Pending { visit, done }).is_err() {
            tracing::warn!("a visit was not counted: too many waiting");
            return false;
        }
        answer.await.unwrap_or(false)
    }
}

async fn commit(store: &dyn Store, batch: Vec<Pending>) {
    let (visits, waiting): (Vec<Visit>, Vec<oneshot::Sender<bool>>) =
        batch.into_iter().map(|p| (p.visit, p.done)).unzip();
    let counted = store.record_visits(&visits, &announce).await;
    if let Err(e) = &counted {
        let error = format!("{e:#}");
        tracing::error!(error, visits = visits.len(), "visit batch failed");
    }
    let ok = counted.is_ok();
    for done in waiting {
        let _ = done.send(ok);
    }
}

/// One `VisitsCounted` per event of the batch: what its visits counted new, per source and
/// Seoul hour.
fn announce(new: &[(&Visit, Counted)]) -> Vec<OutboxMessage> {
    type Hour = (String, DateTime<Utc>);
    let mut by_event: BTreeMap<EventId, BTreeMap<Hour, [i64; 3]>> = BTreeMap::new();
    let mut last: BTreeMap<EventId, DateTime<Utc>> = BTreeMap::new();
    for (v, c) in new {
        let hour = (v.source.to_owned(), seoul_hour(v.at));
        let n = by_event
            .entry(v.event_id)
            .or_default()
            .entry(hour)
            .or_default();
        n[0] += i64::from(c.first_of_kind && v.kind == VisitKind::View);
        n[1] += i64::from(c.first_of_kind && v.kind == VisitKind::Click);
        n[2] += i64::from(c.first_visit);
        let at = last.entry(v.event_id).or_insert(v.at);
        *at = (*at).max(v.at);
    }
    (by_event.into_iter())
        .map(|(event, hours)| {
            let buckets = (hours.into_iter())
                .map(|((source, hour), [views, clicks, visitors])| VisitBucket {
                    source,
                    hour,
                    views,
                    clicks,
                    visitors,
                })
                .collect();
            let at = last.get(&event).copied().unwrap_or_else(Utc::now);
            OutboxMessage::new(event, Message::VisitsCounted(VisitsCounted { buckets }), at)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn visit(event: EventId, kind: VisitKind, source: &'static str, minute: u32) -> Visit {
        let at = Utc.with_ymd_and_hms(2026, 12, 7, 5, minute, 0).unwrap();
        Visit {
            event_id: event,
            day: at.date_naive(),
            kind,
            source,
            visitor: format!("v{minute}"),
            at,
        }
    }

    #[test]
    fn a_batch_is_one_message_per_event_with_what_each_visit_counted_new() {
        let (a, b) = (EventId::new(), EventId::new());
        let visits = [
            visit(a, VisitKind::View, "INSTAGRAM", 1),
            visit(a, VisitKind::View, "INSTAGRAM", 2),
            visit(a, VisitKind::Click, "INSTAGRAM", 3),
            visit(b, VisitKind::View, "DIRECT", 4),
        ];
        let new = |first_of_kind, first_visit| Counted {
            first_of_kind,
            first_visit,
        };
        let counted = [
            (&visits[0], new(true, true)),
            (&visits[1], new(true, false)),
            (&visits[2], new(false, true)),
            (&visits[3], new(true, true)),
        ];
        let messages = announce(&counted);
        assert_eq!(messages.len(), 2);
        let of_a = (messages.iter())
            .find(|m| m.payload["eventId"] == a.to_string())
            .map(|m| m.payload["data"]["buckets"].clone());
        let only = &of_a
            .as_ref()
            .and_then(|b| b.as_array().cloned())
            .unwrap_or_default();
        assert_eq!(
            only.len(),
            1,
            "one bucket for one source and hour: {of_a:?}"
        );
        let only = &only[0];
        assert_eq!(
            (&only["views"], &only["clicks"], &only["visitors"]),
            (&2.into(), &0.into(), &2.into())
        );
        assert_eq!(only["source"], "INSTAGRAM");
    }
}
