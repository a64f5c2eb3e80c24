//! Entries: the hot path writes a whole batch in one transaction (PostgreSQL: one prepared
//! `INSERT … SELECT FROM UNNEST` for any batch size; SQLite: one prepared single-row INSERT per
//! entry, one fsync per batch). An entry is written only while its event is PUBLISHED, checked
//! in the same statement; a draw first waits for batches in flight (`entries_settled`), so its
//! list of entries is final.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

mod insert;
mod purge;
mod row;
mod seeds;

pub(crate) use row::{EntryRow, entry_columns, stored};

pub(crate) use seeds::insert_seed;

use super::tx::{Tx, insert_outbox};
use super::{Pool, SqlStore, corrupt, db_error, on_pool};
use crate::domain::entrant::Receipt;
use crate::domain::entry::Retention;
use crate::domain::mechanic::Mechanic;
use crate::domain::{EventId, EventStatus, Page, PageRequest, UserId};
use crate::ports::{
    Announce, EntryGate, EntryStore, Existing, Inserted, NewEntry, Sealed, SeedRecord,
    SourceFilter, StoreError, StoredEntry,
};

/// The WHERE clause of a list and the channel it binds as `$2` (if any).
fn filter_clause(filter: SourceFilter) -> (&'static str, Option<&'static str>) {
    match filter {
        SourceFilter::All => ("event_id = $1", None),
        SourceFilter::Only(s) => ("event_id = $1 AND channel = $2", Some(s.code())),
        SourceFilter::Direct => ("event_id = $1 AND channel IS NULL", None),
    }
}

impl SqlStore {
    async fn query_entries(
        &self,
        sql: &str,
        event: EventId,
        channel: Option<&str>,
        page: Option<PageRequest>,
    ) -> Result<Vec<StoredEntry>, StoreError> {
        let rows: Vec<EntryRow> = on_pool!(self, |p| {
            let mut q = sqlx::query_as(sql).bind(event.0);
            if let Some(c) = channel {
                q = q.bind(c);
            }
            if let Some(page) = page {
                q = q.bind(page.limit()).bind(page.offset());
            }
            q.fetch_all(p).await
        })
        .map_err(db_error)?;
        stored(rows)
    }
}

#[async_trait]
impl EntryStore for SqlStore {
    async fn entry_gate(&self, event: EventId) -> Result<Option<EntryGate>, StoreError> {
        type Row = (
            Uuid,
            String,
            Option<chrono::NaiveDate>,
            Option<chrono::NaiveDate>,
            Option<String>,
            Option<sqlx::types::Json<Mechanic>>,
        );
        let sql = "SELECT e.user_id, e.status, e.start_date, e.end_date, s.tag_key_id, e.mechanic \
                   FROM events e LEFT JOIN draw_seeds s ON s.event_id = e.id WHERE e.id = $1";
        let row: Option<Row> = on_pool!(self, |p| sqlx::query_as(sql)
            .bind(event.0)
            .fetch_optional(p)
            .await)
        .map_err(db_error)?;
        row.map(|(owner, status, start, end, tag_key_id, mechanic)| {
            Ok(EntryGate {
                event_id: event,
                owner: UserId(owner),
                status: EventStatus::parse(&status).map_err(|_| corrupt("status"))?,
                start,
                end,
                tag_key_id,
                mechanic: mechanic.map(|m| m.0),
            })
        })
        .transpose()
    }

    async fn ensure_draw_seed(&self, r: &SeedRecord) -> Result<SeedRecord, StoreError> {
        let mut tx = self.begin().await?;
        insert_seed(&mut tx, r, true).await?;
        tx.commit().await?;
        self.draw_seed(r.event_id)
            .await?
            .ok_or_else(|| corrupt("draw seed"))
    }

    async fn draw_seed(&self, event: EventId) -> Result<Option<SeedRecord>, StoreError> {
        type Row = (String, String, Vec<u8>, String, DateTime<Utc>);
        let sql = "SELECT commitment, seed_key_id, seed_sealed, tag_key_id, committed_at \
                   FROM draw_seeds WHERE event_id = $1";
        let row: Option<Row> = on_pool!(self, |p| sqlx::query_as(sql)
            .bind(event.0)
            .fetch_optional(p)
            .await)
        .map_err(db_error)?;
        Ok(row.map(
            |(commitment, key_id, bytes, tag_key_id, committed_at)| SeedRecord {
                event_id: event,
                commitment,
                sealed: Sealed { key_id, bytes },
                tag_key_id,
                committed_at,
            },
        ))
    }

    async fn insert_entries(
        &self,
        entries: &[NewEntry],
        announce: &Announce,
    ) -> Result<Vec<Inserted>, StoreError> {
        let mut tx = self.begin().await?;
        // Each backend its own statement: one prepared batch on PostgreSQL, a row at a time on
        // SQLite's single writer.
        let written = match &mut tx {
            Tx::Postgres(t) => Self::insert_batch_pg(t, entries).await?,
            Tx::Sqlite(t) => Self::insert_batch_sqlite(t, entries).await?,
        };
        let key = |e: &NewEntry| (e.event_id.0, e.receipt.as_str().to_owned());
        let inserted: Vec<&NewEntry> = (entries.iter())
            .filter(|e| written.contains(&key(e)))
            .collect();
        // First come within each event's cap: the entries past it are not kept.
        let sold_out = super::passes::issue(&mut tx, &inserted).await?;
        let flags: Vec<Inserted> = (entries.iter())
            .map(
                |e| match (written.contains(&key(e)), sold_out.contains(&key(e))) {
                    (true, false) => Inserted::Written,
                    (true, true) => Inserted::SoldOut,
                    (false, _) => Inserted::Collided,
                },
            )
            .collect();
        let new: Vec<&NewEntry> = (entries.iter().zip(&flags))
            .filter(|(_, w)| **w == Inserted::Written)
            .map(|(e, _)| e)
            .collect();
        if !new.is_empty() {
            for m in announce(&new) {
                insert_outbox(&mut tx, &m).await?;
            }
        }
        tx.commit().await?;
        Ok(flags)
    }

    async fn entry_conflicts(
        &self,
        event: EventId,
        phone_tag: &str,
        idempotency_key: Option<&str>,
    ) -> Result<Vec<Existing>, StoreError> {
        type Row = (String, DateTime<Utc>, Option<String>, Option<String>);
        let sql = "SELECT receipt, entered_at, phone_tag, idempotency_key FROM entries \
                   WHERE event_id = $1 AND (phone_tag = $2 OR idempotency_key = $3)";
        let rows: Vec<Row> = on_pool!(self, |p| sqlx::query_as(sql)
            .bind(event.0)
            .bind(phone_tag)
            .bind(idempotency_key)
            .fetch_all(p)
            .await)
        .map_err(db_error)?;
        Ok(rows
            .into_iter()
            .map(
                |(receipt, entered_at, phone_tag, idempotency_key)| Existing {
                    receipt: Receipt::from_trusted(receipt),
                    entered_at,
                    phone_tag,
                    idempotency_key,
                },
            )
            .collect())
    }

    async fn entries_page(
        &self,
        event: EventId,
        filter: SourceFilter,
        page: PageRequest,
    ) -> Result<Page<StoredEntry>, StoreError> {
        let (clause, channel) = filter_clause(filter);
        let count = format!("SELECT COUNT(*) FROM entries WHERE {clause}");
        let total: i64 = on_pool!(self, |p| {
            let mut q = sqlx::query_scalar(&count).bind(event.0);
            if let Some(c) = channel {
                q = q.bind(c);
            }
            q.fetch_one(p).await
        })
        .map_err(db_error)?;
        let (limit, offset) = if channel.is_some() {
            ("$3", "$4")
        } else {
            ("$2", "$3")
        };
        let sql = format!(
            "SELECT {} FROM entries WHERE {clause} \
             ORDER BY entered_at DESC, receipt DESC LIMIT {limit} OFFSET {offset}",
            entry_columns("")
        );
        let items = self.query_entries(&sql, event, channel, Some(page)).await?;
        Ok(Page {
            items,
            page: page.page,
            size: page.size,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    async fn all_entries(
        &self,
        event: EventId,
        filter: SourceFilter,
    ) -> Result<Vec<StoredEntry>, StoreError> {
        let (clause, channel) = filter_clause(filter);
        let sql = format!(
            "SELECT {} FROM entries WHERE {clause} ORDER BY entered_at DESC, receipt DESC",
            entry_columns("")
        );
        self.query_entries(&sql, event, channel, None).await
    }

    async fn entries_by_leaf(
        &self,
        event: EventId,
        leaves: &[String],
    ) -> Result<Vec<StoredEntry>, StoreError> {
        if leaves.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (0..leaves.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT {} FROM entries WHERE event_id = $1 AND leaf IN ({})",
            entry_columns(""),
            marks.join(", ")
        );
        let rows: Vec<EntryRow> = on_pool!(self, |p| {
            let mut q = sqlx::query_as(&sql).bind(event.0);
            for l in leaves {
                q = q.bind(l);
            }
            q.fetch_all(p).await
        })
        .map_err(db_error)?;
        stored(rows)
    }

    async fn destroy_personal_data(
        &self,
        retention: &Retention,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let destroyed = purge::destroy(self, retention, now).await?;
        if destroyed > 0
            && let Pool::Sqlite(p) = &self.pool
        {
            // secure_delete zeroes what was overwritten; the checkpoint takes the old pages out
            // of the write-ahead log.
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(p)
                .await
                .map_err(db_error)?;
        }
        Ok(destroyed)
    }
}
