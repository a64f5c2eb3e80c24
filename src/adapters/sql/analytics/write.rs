//! Writing one message's changes to the rollups: per event × source × Seoul hour, per event ×
//! source, and per event, inside the transaction that records the message.

use chrono::{DateTime, Utc};
use sqlx::types::Json;
use uuid::Uuid;

use super::model::EventDelta;
use crate::adapters::sql::tx::{Tx, tx_execute};
use crate::domain::analytics::{Increment, Tally};
use crate::ports::StoreError;

const ADD_HOUR: &str = "INSERT INTO analytics_hourly (event_id, hour, source, views, visitors, \
     clicks, entries, redeemed, stamps, spend, spent, invited, credited, approved) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
     ON CONFLICT (event_id, hour, source) \
     DO UPDATE SET views = analytics_hourly.views + excluded.views, \
     visitors = analytics_hourly.visitors + excluded.visitors, \
     clicks = analytics_hourly.clicks + excluded.clicks, \
     entries = analytics_hourly.entries + excluded.entries, \
     redeemed = analytics_hourly.redeemed + excluded.redeemed, \
     stamps = analytics_hourly.stamps + excluded.stamps, \
     spend = analytics_hourly.spend + excluded.spend, \
     spent = analytics_hourly.spent + excluded.spent, \
     invited = analytics_hourly.invited + excluded.invited, \
     credited = analytics_hourly.credited + excluded.credited, \
     approved = analytics_hourly.approved + excluded.approved";

const ADD_SOURCE: &str = "INSERT INTO analytics_channels (event_id, source, views, visitors, \
     clicks, entries, redeemed, stamps, spend, spent, invited, credited, approved) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
     ON CONFLICT (event_id, source) \
     DO UPDATE SET views = analytics_channels.views + excluded.views, \
     visitors = analytics_channels.visitors + excluded.visitors, \
     clicks = analytics_channels.clicks + excluded.clicks, \
     entries = analytics_channels.entries + excluded.entries, \
     redeemed = analytics_channels.redeemed + excluded.redeemed, \
     stamps = analytics_channels.stamps + excluded.stamps, \
     spend = analytics_channels.spend + excluded.spend, \
     spent = analytics_channels.spent + excluded.spent, \
     invited = analytics_channels.invited + excluded.invited, \
     credited = analytics_channels.credited + excluded.credited, \
     approved = analytics_channels.approved + excluded.approved";

const ENSURE_EVENT: &str = "INSERT INTO analytics_events (event_id, updated_at) VALUES ($1, $2) \
     ON CONFLICT (event_id) DO NOTHING";

const TOUCH_EVENT: &str = "UPDATE analytics_events SET views = views + $2, \
     visitors = visitors + $3, clicks = clicks + $4, entries = entries + $5, \
     published_at = COALESCE($6, published_at), distribution = COALESCE($7, distribution), \
     winners = COALESCE($8, winners), drawn_at = COALESCE($9, drawn_at), \
     redemptions = redemptions + $10, average_spend = COALESCE($11, average_spend), \
     version = version + 1, updated_at = $12, redeemed = redeemed + $13, stamps = stamps + $14, \
     spend = spend + $15, spent = spent + $16, invited = invited + $17, \
     credited = credited + $18, approved = approved + $19 WHERE event_id = $1";

/// Writes one message's changes inside the transaction that records it.
pub(super) async fn write_changes(
    tx: &mut Tx,
    event: Uuid,
    incs: &[&Increment],
    d: &EventDelta,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx_execute!(tx, ENSURE_EVENT, event, now)?;
    for i in incs {
        let t = i.tally;
        tx_execute!(
            tx, ADD_HOUR, event, i.hour, &i.source, t.views, t.visitors, t.clicks, t.entries,
            t.redeemed, t.stamps, t.spend, t.spent, t.invited, t.credited, t.approved
        )?;
    }
    let mut by_source = std::collections::BTreeMap::<&str, Tally>::new();
    for i in incs {
        by_source.entry(i.source.as_str()).or_default().add(i.tally);
    }
    for (source, t) in by_source {
        tx_execute!(
            tx, ADD_SOURCE, event, source, t.views, t.visitors, t.clicks, t.entries, t.redeemed,
            t.stamps, t.spend, t.spent, t.invited, t.credited, t.approved
        )?;
    }
    tx_execute!(
        tx,
        TOUCH_EVENT,
        event,
        d.tally.views,
        d.tally.visitors,
        d.tally.clicks,
        d.tally.entries,
        d.published_at,
        d.distribution.as_ref().map(Json),
        d.winners,
        d.drawn_at,
        d.redemptions,
        d.average_spend,
        now,
        d.tally.redeemed,
        d.tally.stamps,
        d.tally.spend,
        d.tally.spent,
        d.tally.invited,
        d.tally.credited,
        d.tally.approved,
    )
    .map(|_| ())
}
