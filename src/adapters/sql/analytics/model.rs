//! The read model: each message's changes applied once (its id is kept in
//! `analytics_messages` in the same transaction), rollups per event × source × Seoul hour,
//! per event × source, and per event; the redemptions; the platform's averages.

use chrono::{DateTime, Utc};
use sqlx::types::Json;
use uuid::Uuid;

use super::super::tx::{on_tx, tx_execute};
use super::super::{SqlStore, db_error, on_pool};
use super::write::write_changes;
use crate::domain::analytics::{Change, Increment, Tally};
use crate::domain::promotion::{IndustryKind, PromotionType};
use crate::domain::{EventId, MessageId};
use crate::ports::{Averages, Redemption, StoreError, Totals};

/// The counter's and the referrals' columns of a rollup, summed or not (`f` wraps each).
fn counter_columns(f: &str) -> String {
    [
        "redeemed", "stamps", "spend", "spent", "invited", "credited", "approved",
    ]
    .map(|c| format!("CAST({} AS BIGINT) AS {c}", f.replace('_', c)))
    .join(", ")
}

fn totals_sql() -> String {
    format!(
        "SELECT version, views, visitors, clicks, entries, redemptions, average_spend, \
         published_at, distribution, winners, drawn_at, updated_at, {} \
         FROM analytics_events WHERE event_id = $1",
        counter_columns("_")
    )
}

#[derive(sqlx::FromRow)]
struct TotalsRow {
    version: i64,
    redemptions: i64,
    average_spend: Option<i64>,
    published_at: Option<DateTime<Utc>>,
    distribution: Option<Json<serde_json::Value>>,
    winners: Option<i32>,
    drawn_at: Option<DateTime<Utc>>,
    updated_at: DateTime<Utc>,
    #[sqlx(flatten)]
    tally: TallyRow,
}

/// A rollup's counts, as rows carry them.
#[derive(sqlx::FromRow)]
struct TallyRow {
    views: i64,
    visitors: i64,
    clicks: i64,
    entries: i64,
    redeemed: i64,
    stamps: i64,
    spend: i64,
    spent: i64,
    invited: i64,
    credited: i64,
    approved: i64,
}

impl From<TallyRow> for Tally {
    fn from(r: TallyRow) -> Self {
        Tally {
            views: r.views,
            visitors: r.visitors,
            clicks: r.clicks,
            entries: r.entries,
            redeemed: r.redeemed,
            stamps: r.stamps,
            spend: r.spend,
            spent: r.spent,
            invited: r.invited,
            credited: r.credited,
            approved: r.approved,
        }
    }
}

/// A key (source or hour) and its counts.
#[derive(sqlx::FromRow)]
struct KeyedRow<K> {
    key: K,
    #[sqlx(flatten)]
    tally: TallyRow,
}

fn tallied<K>(r: KeyedRow<K>) -> (K, Tally) {
    (r.key, r.tally.into())
}

fn totals(r: TotalsRow) -> Totals {
    Totals {
        version: r.version,
        tally: r.tally.into(),
        redemptions: r.redemptions,
        average_spend: r.average_spend,
        published_at: r.published_at,
        distribution: r.distribution.map(|j| j.0),
        winners: r.winners.map(i64::from),
        drawn_at: r.drawn_at,
        updated_at: r.updated_at,
    }
}

/// Everything one message sets on the event's row.
#[derive(Default)]
pub(super) struct EventDelta {
    pub(super) tally: Tally,
    pub(super) published_at: Option<DateTime<Utc>>,
    pub(super) distribution: Option<serde_json::Value>,
    pub(super) winners: Option<i32>,
    pub(super) drawn_at: Option<DateTime<Utc>>,
    pub(super) redemptions: i64,
    pub(super) average_spend: Option<i64>,
}

/// The increments in a stable order (rows are locked in that order: no deadlock between two
/// messages of one event), and what the event's row gets.
fn split(changes: &[Change]) -> (Vec<&Increment>, EventDelta) {
    let mut incs = Vec::new();
    let mut d = EventDelta::default();
    for c in changes {
        match c {
            Change::Counts(list) => incs.extend(list.iter().filter(|i| !i.tally.is_empty())),
            Change::Published { at } => d.published_at = Some(*at),
            Change::Distributed(v) => d.distribution = Some(v.clone()),
            Change::Drawn { winners, at } => {
                d.winners = Some(i32::try_from(*winners).unwrap_or(i32::MAX));
                d.drawn_at = Some(*at);
            }
        }
    }
    incs.sort_by(|a, b| (a.hour, &a.source).cmp(&(b.hour, &b.source)));
    for i in &incs {
        d.tally.add(i.tally);
    }
    (incs, d)
}

impl SqlStore {
    pub(super) async fn apply_impl(
        &self,
        message: MessageId,
        event: EventId,
        changes: &[Change],
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let (incs, delta) = split(changes);
        let mut tx = self.begin().await?;
        let fresh = tx_execute!(
            &mut tx,
            "INSERT INTO analytics_messages (message_id, event_id, processed_at) \
             VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            message.0,
            event.0,
            now,
        )? > 0;
        if !fresh {
            return Ok(false);
        }
        write_changes(&mut tx, event.0, &incs, &delta, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub(super) async fn totals_impl(&self, event: EventId) -> Result<Option<Totals>, StoreError> {
        let sql = totals_sql();
        let row: Option<TotalsRow> = on_pool!(self, |p| sqlx::query_as(&sql)
            .bind(event.0)
            .fetch_optional(p)
            .await)
        .map_err(db_error)?;
        Ok(row.map(totals))
    }

    pub(super) async fn sources_impl(
        &self,
        event: EventId,
    ) -> Result<Vec<(String, Tally)>, StoreError> {
        let sql = format!(
            "SELECT source AS key, views, visitors, clicks, entries, {} \
             FROM analytics_channels WHERE event_id = $1 ORDER BY source",
            counter_columns("_")
        );
        let rows: Vec<KeyedRow<String>> = on_pool!(self, |p| sqlx::query_as(&sql)
            .bind(event.0)
            .fetch_all(p)
            .await)
        .map_err(db_error)?;
        Ok(rows.into_iter().map(tallied).collect())
    }

    pub(super) async fn hours_impl(
        &self,
        event: EventId,
    ) -> Result<Vec<(DateTime<Utc>, Tally)>, StoreError> {
        let sql = format!(
            "SELECT hour AS key, CAST(SUM(views) AS BIGINT) AS views, \
             CAST(SUM(visitors) AS BIGINT) AS visitors, CAST(SUM(clicks) AS BIGINT) AS clicks, \
             CAST(SUM(entries) AS BIGINT) AS entries, {} FROM analytics_hourly \
             WHERE event_id = $1 GROUP BY hour ORDER BY hour",
            counter_columns("SUM(_)")
        );
        let rows: Vec<KeyedRow<DateTime<Utc>>> = on_pool!(self, |p| sqlx::query_as(&sql)
            .bind(event.0)
            .fetch_all(p)
            .await)
        .map_err(db_error)?;
        Ok(rows.into_iter().map(tallied).collect())
    }

    pub(super) async fn averages_impl(
        &self,
        kind: IndustryKind,
        promotion: PromotionType,
        except: EventId,
    ) -> Result<Averages, StoreError> {
        type Row = (i64, Option<f64>, Option<f64>, Option<f64>);
        let (events, entries, conversion, cost): Row = on_pool!(self, |p| sqlx::query_as(
            "SELECT COUNT(*), CAST(AVG(a.entries) AS DOUBLE PRECISION), \
             CAST(AVG(CASE WHEN a.visitors > 0 \
                 THEN CAST(a.entries AS DOUBLE PRECISION) / a.visitors END) AS DOUBLE PRECISION), \
             CAST(AVG(CASE WHEN a.entries > 0 AND e.budget IS NOT NULL \
                 THEN CAST(e.budget AS DOUBLE PRECISION) / a.entries END) AS DOUBLE PRECISION) \
             FROM analytics_events a JOIN events e ON e.id = a.event_id \
             WHERE e.industry_kind = $1 AND e.promotion_type = $2 AND e.id <> $3 \
             AND e.status IN ('PUBLISHED', 'ENDED')"
        )
        .bind(kind.code())
        .bind(promotion.code())
        .bind(except.0)
        .fetch_one(p)
        .await)
        .map_err(db_error)?;
        Ok(Averages {
            events,
            entries,
            conversion,
            cost_per_entry: cost,
        })
    }

    pub(super) async fn redemption_impl(&self, r: &Redemption) -> Result<Totals, StoreError> {
        let delta = EventDelta {
            redemptions: r.count,
            average_spend: r.average_spend,
            ..EventDelta::default()
        };
        // An async block: `?` inside leaves the block, so a used key is answered below.
        let recorded: Result<TotalsRow, StoreError> = async {
            let mut tx = self.begin().await?;
            tx_execute!(
                &mut tx,
                "INSERT INTO redemptions (id, event_id, count, average_spend, recorded_at, \
                 idempotency_key) VALUES ($1, $2, $3, $4, $5, $6)",
                Uuid::new_v4(),
                r.event_id.0,
                i32::try_from(r.count).unwrap_or(i32::MAX),
                r.average_spend,
                r.recorded_at,
                &r.idempotency_key,
            )?;
            write_changes(&mut tx, r.event_id.0, &[], &delta, r.recorded_at).await?;
            let sql = totals_sql();
            let row: TotalsRow = on_tx!(&mut tx, |c| sqlx::query_as(&sql)
                .bind(r.event_id.0)
                .fetch_one(c)
                .await)
            .map_err(db_error)?;
            tx.commit().await?;
            Ok(row)
        }
        .await;
        match recorded {
            Ok(row) => Ok(totals(row)),
            // The same key again: recorded before, nothing more to add.
            Err(StoreError::Duplicate) => (self.totals_impl(r.event_id).await?).ok_or_else(|| {
                StoreError::Unavailable(anyhow::anyhow!("no totals after a redemption"))
            }),
            Err(e) => Err(e),
        }
    }
}
