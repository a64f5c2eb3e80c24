//! Writing a batch of entries in the caller's transaction, each only while its event is
//! PUBLISHED (checked in the same statement).

use std::collections::HashSet;

use uuid::Uuid;

use crate::adapters::sql::{SqlStore, db_error};
use crate::domain::entry::EntrySource;
use crate::ports::{NewEntry, StoreError};

const INSERT_PG: &str = "INSERT INTO entries (event_id, receipt, leaf, channel, agree_marketing, \
     entered_at, idempotency_key, phone_tag, owner_tag, tag_key_id, data_key_id, name_sealed, \
     phone_sealed) \
     SELECT * FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bool[], \
     $6::timestamptz[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], \
     $12::bytea[], $13::bytea[]) \
     AS u (event_id, receipt, leaf, channel, agree_marketing, entered_at, idempotency_key, \
     phone_tag, owner_tag, tag_key_id, data_key_id, name_sealed, phone_sealed) \
     WHERE u.event_id IN (SELECT id FROM events WHERE id = ANY($1) AND status = 'PUBLISHED') \
     ON CONFLICT DO NOTHING RETURNING event_id, receipt";

const INSERT_SQLITE: &str = "INSERT INTO entries (event_id, receipt, leaf, channel, \
     agree_marketing, entered_at, idempotency_key, phone_tag, owner_tag, tag_key_id, \
     data_key_id, name_sealed, phone_sealed) \
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 \
     WHERE EXISTS (SELECT 1 FROM events WHERE id = $1 AND status = 'PUBLISHED') \
     ON CONFLICT DO NOTHING";

impl SqlStore {
    /// PostgreSQL: the whole batch in one statement; the keys of the rows written.
    pub(super) async fn insert_batch_pg(
        tx: &mut sqlx::PgConnection,
        entries: &[NewEntry],
    ) -> Result<HashSet<(Uuid, String)>, StoreError> {
        let col = |f: &dyn Fn(&NewEntry) -> Option<String>| -> Vec<Option<String>> {
            entries.iter().map(f).collect()
        };
        let rows: Vec<(Uuid, String)> = sqlx::query_as(INSERT_PG)
            .bind(entries.iter().map(|e| e.event_id.0).collect::<Vec<_>>())
            .bind(col(&|e| Some(e.receipt.as_str().to_owned())))
            .bind(col(&|e| Some(e.leaf.clone())))
            .bind(col(&|e| e.source.map(|s| s.code().to_owned())))
            .bind(
                entries
                    .iter()
                    .map(|e| e.agree_marketing)
                    .collect::<Vec<_>>(),
            )
            .bind(entries.iter().map(|e| e.entered_at).collect::<Vec<_>>())
            .bind(col(&|e| e.idempotency_key.clone()))
            .bind(col(&|e| Some(e.personal.phone_tag.clone())))
            .bind(col(&|e| Some(e.personal.owner_tag.clone())))
            .bind(col(&|e| Some(e.personal.tag_key_id.clone())))
            .bind(col(&|e| Some(e.personal.name.key_id.clone())))
            .bind(
                entries
                    .iter()
                    .map(|e| e.personal.name.bytes.clone())
                    .collect::<Vec<_>>(),
            )
            .bind(
                entries
                    .iter()
                    .map(|e| e.personal.phone.bytes.clone())
                    .collect::<Vec<_>>(),
            )
            .fetch_all(&mut *tx)
            .await
            .map_err(db_error)?;
        Ok(rows.into_iter().collect())
    }

    /// SQLite: one prepared statement per entry, in the caller's transaction.
    pub(super) async fn insert_batch_sqlite(
        tx: &mut sqlx::SqliteConnection,
        entries: &[NewEntry],
    ) -> Result<HashSet<(Uuid, String)>, StoreError> {
        let mut written = HashSet::new();
        for e in entries {
            let n = sqlx::query(INSERT_SQLITE)
                .bind(e.event_id.0)
                .bind(e.receipt.as_str())
                .bind(&e.leaf)
                .bind(e.source.map(EntrySource::code))
                .bind(e.agree_marketing)
                .bind(e.entered_at)
                .bind(&e.idempotency_key)
                .bind(&e.personal.phone_tag)
                .bind(&e.personal.owner_tag)
                .bind(&e.personal.tag_key_id)
                .bind(&e.personal.name.key_id)
                .bind(&e.personal.name.bytes)
                .bind(&e.personal.phone.bytes)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?
                .rows_affected();
            if n == 1 {
                written.insert((e.event_id.0, e.receipt.as_str().to_owned()));
            }
        }
        Ok(written)
    }
}
