//! The owner's dashboard, read from the rollups (never a count over entries per request). What
//! changes only with the read model's version is cached per event for a short while; every
//! request still reads the event's totals, so a new entry shows at once.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use tracing::instrument;

use super::{AppError, Services, links, published_event};
use crate::domain::analytics::{
    DIRECT, Estimate, Measured, Tally, cost_per_entry, estimate, event_cost, measured, seoul_day,
};
use crate::domain::entry::EntrySource;
use crate::domain::promotion::IndustryKind;
use crate::domain::{Event, EventId, UserId};
use crate::ports::{Averages, Link, StoredStats, Totals};

/// How long a cached part may serve requests while the version does not move.
const FRESH_FOR: Duration = Duration::from_secs(30);

/// Everything the dashboard shows.
#[derive(Debug, Clone)]
pub struct Dashboard {
    pub event: Event,
    pub totals: Totals,
    pub parts: Arc<Parts>,
}

impl Dashboard {
    /// What the event cost (`domain::analytics::event_cost`).
    pub fn cost(&self) -> Option<i64> {
        let e = &self.event;
        event_cost(e.budget, e.prize_value, self.totals.winners.unwrap_or(0))
    }

    pub fn cost_per_entry(&self) -> Option<f64> {
        cost_per_entry(self.cost(), self.totals.tally.entries)
    }

    /// Revenue and ROI from the redemptions recorded at the counter.
    pub fn estimate(&self) -> Estimate {
        let t = &self.totals;
        estimate(t.redemptions, t.average_spend, self.cost())
    }

    /// What the counter measured for the event (`None` revenue before the first redemption).
    pub fn measured(&self) -> Measured {
        let t = &self.totals;
        measured(&t.tally, self.gives_passes(), t.average_spend, self.cost())
    }

    /// Whether joining gives a pass (every promotion but a giveaway's draw entry).
    fn gives_passes(&self) -> bool {
        (self.event.mechanic.as_ref()).is_some_and(|m| m.gives_pass())
    }

    /// What the counter measured for one source, its revenue from the event's average spend.
    pub fn measured_of(&self, source: &str, t: &Tally) -> Measured {
        let event = &self.totals.tally;
        let average = (event.spent > 0).then(|| event.spend / event.spent);
        let average = average.or(self.totals.average_spend);
        measured(t, self.gives_passes(), average, self.share(source))
    }

    /// A source's share of the event's cost: shared equally by its channels and the shop's QR
    /// code (posting costs nothing per channel); none for any other source.
    fn share(&self, source: &str) -> Option<i64> {
        let sharing = (self.event.channels.iter().map(|c| c.code()))
            .chain([EntrySource::Store.code()])
            .collect::<Vec<_>>();
        if !sharing.contains(&source) {
            return None;
        }
        self.cost().map(|c| c / sharing.len() as i64)
    }

    /// A source's cost per entry: its share of the cost over the entries it brought.
    pub fn cost_per_entry_of(&self, source: &str, entries: i64) -> Option<f64> {
        cost_per_entry(self.share(source), entries)
    }
}

/// What is read besides the totals.
#[derive(Debug, Clone)]
pub struct Parts {
    /// Per source, the event's channels first, then the shop's QR code and direct visits.
    pub sources: Vec<(String, Tally)>,
    pub hours: Vec<(DateTime<Utc>, Tally)>,
    pub days: Vec<(NaiveDate, Tally)>,
    pub links: Vec<Link>,
    pub stats: Vec<StoredStats>,
    /// Other events of the same trade and promotion type.
    pub averages: Averages,
}

#[instrument(skip_all, fields(user_id = %owner, event_id = %event_id))]
pub async fn dashboard(
    s: &Services,
    owner: UserId,
    event_id: EventId,
) -> Result<Dashboard, AppError> {
    let event = published_event(s, owner, event_id).await?;
    let mut totals = (s.store.analytics_totals(event.id).await?).unwrap_or_else(|| empty(s));
    totals.tally = totals.tally.shown();
    let key = event.id.to_string();
    let parts = match (s.memo).get::<Parts>("dashboard", &key, totals.version, FRESH_FOR) {
        Some(parts) => parts,
        None => {
            let parts = Arc::new(parts(s, &event).await?);
            s.memo.put("dashboard", &key, totals.version, parts.clone());
            parts
        }
    };
    Ok(Dashboard {
        event,
        totals,
        parts,
    })
}

/// The totals of an event no message has reached yet.
fn empty(s: &Services) -> Totals {
    Totals {
        version: -1,
        tally: Tally::default(),
        redemptions: 0,
        average_spend: None,
        published_at: None,
        distribution: None,
        winners: None,
        drawn_at: None,
        updated_at: s.clock.now(),
    }
}

async fn parts(s: &Services, event: &Event) -> Result<Parts, AppError> {
    let hours = s.store.analytics_hours(event.id).await?;
    let averages = match event.promotion_type {
        Some(p) => {
            let kind = IndustryKind::of(&event.shop.industry);
            s.store.platform_averages(kind, p, event.id).await?
        }
        None => Averages::default(),
    };
    let shown = |rows: Vec<(String, Tally)>| rows.into_iter().map(|(k, t)| (k, t.shown()));
    let sources = shown(s.store.analytics_sources(event.id).await?).collect();
    let hours: Vec<_> = hours.into_iter().map(|(h, t)| (h, t.shown())).collect();
    Ok(Parts {
        sources: in_order(event, sources),
        days: by_day(&hours),
        hours,
        links: links::ensure_links(s, event).await?,
        stats: s.store.channel_stats(event.id).await?,
        averages,
    })
}

/// Every channel of the event, the shop's QR code and direct visits (zeros where nothing came),
/// then any other source that brought something.
fn in_order(event: &Event, mut found: Vec<(String, Tally)>) -> Vec<(String, Tally)> {
    let wanted = (event.channels.iter().map(|c| c.code()))
        .chain([EntrySource::Store.code(), DIRECT])
        .map(str::to_owned);
    let mut out: Vec<(String, Tally)> = wanted
        .map(|code| {
            let at = found.iter().position(|(s, _)| *s == code);
            let tally = at.map(|i| found.remove(i).1).unwrap_or_default();
            (code, tally)
        })
        .collect();
    out.append(&mut found);
    out
}

fn by_day(hours: &[(DateTime<Utc>, Tally)]) -> Vec<(NaiveDate, Tally)> {
    let mut days: Vec<(NaiveDate, Tally)> = Vec::new();
    for (hour, t) in hours {
        let day = seoul_day(*hour);
        match days.last_mut() {
            Some((d, sum)) if *d == day => sum.add(*t),
            _ => days.push((day, *t)),
        }
    }
    days
}
