//! Draws: the proof as drawn (never updated; a trigger refuses it), replacements appended in
//! order (the key `(event_id, seq)` lets only one writer take each number), the roles entries
//! get, and the log of reveals.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::types::Json;
use uuid::Uuid;

use super::entries::{EntryRow, entry_columns, stored};
use super::tx::{insert_outbox, tx_execute};
use super::{Pool, SqlStore, db_error, on_pool};
use crate::domain::draw::{Proof, Replacement};
use crate::domain::{EventId, UserId};
use crate::ports::{Access, DrawStore, EntryRole, NewDraw, StoreError, StoredEntry};

const SET_ROLE: &str = "UPDATE entries SET role = $1 WHERE event_id = $2 AND leaf = $3";

#[async_trait]
impl DrawStore for SqlStore {
    async fn entries_settled(&self) -> Result<(), StoreError> {
        match &self.pool {
            // SHARE conflicts with the ROW EXCLUSIVE lock every INSERT holds until its commit, so
            // taking it waits for those in flight; a later INSERT sees the event ENDED.
            Pool::Postgres(p) => {
                let mut tx = p.begin().await.map_err(db_error)?;
                sqlx::query("LOCK TABLE entries IN SHARE MODE")
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
                tx.commit().await.map_err(db_error)
            }
            // One writer at a time: the end was written after every batch before it.
            Pool::Sqlite(_) => Ok(()),
        }
    }

    async fn previous_winners(
        &self,
        owner: UserId,
        except: EventId,
    ) -> Result<Vec<StoredEntry>, StoreError> {
        let sql = format!(
            "SELECT {} FROM entries e JOIN events v ON v.id = e.event_id \
             WHERE v.user_id = $1 AND e.event_id <> $2 AND e.role = 'WINNER' \
             AND e.destroyed_at IS NULL",
            entry_columns("e.")
        );
        let rows: Vec<EntryRow> = on_pool!(self, |p| sqlx::query_as(&sql)
            .bind(owner.0)
            .bind(except.0)
            .fetch_all(p)
            .await)
        .map_err(db_error)?;
        stored(rows)
    }

    async fn save_draw(&self, d: NewDraw<'_>) -> Result<(), StoreError> {
        let roles = (d.proof.winners.iter().map(|l| (EntryRole::Winner, l)))
            .chain(d.proof.alternates.iter().map(|l| (EntryRole::Alternate, l)));
        let mut tx = self.begin().await?;
        tx_execute!(
            &mut tx,
            "INSERT INTO draws (event_id, proof, drawn_at, drawn_by) VALUES ($1, $2, $3, $4)",
            d.event_id.0,
            Json(d.proof),
            d.proof.drawn_at,
            d.drawn_by.0,
        )?;
        for (role, leaf) in roles {
            tx_execute!(&mut tx, SET_ROLE, role.code(), d.event_id.0, leaf)?;
        }
        insert_outbox(&mut tx, d.message).await?;
        tx.commit().await
    }

    async fn draw_of_event(&self, event: EventId) -> Result<Option<Proof>, StoreError> {
        type Row = (i32, String, String, String, DateTime<Utc>);
        let proof: Option<Json<Proof>> = on_pool!(self, |p| sqlx::query_scalar(
            "SELECT proof FROM draws WHERE event_id = $1"
        )
        .bind(event.0)
        .fetch_optional(p)
        .await)
        .map_err(db_error)?;
        let Some(Json(mut proof)) = proof else {
            return Ok(None);
        };
        let rows: Vec<Row> = on_pool!(self, |p| sqlx::query_as(
            "SELECT rank, replaced_leaf, replacement_leaf, reason, replaced_at \
             FROM draw_replacements WHERE event_id = $1 ORDER BY seq"
        )
        .bind(event.0)
        .fetch_all(p)
        .await)
        .map_err(db_error)?;
        proof.replacements = rows
            .into_iter()
            .map(
                |(rank, replaced_leaf, replacement_leaf, reason, replaced_at)| Replacement {
                    rank: u32::try_from(rank).unwrap_or(0),
                    replaced_leaf,
                    replacement_leaf,
                    reason,
                    replaced_at,
                },
            )
            .collect();
        Ok(Some(proof))
    }

    async fn append_replacement(
        &self,
        event: EventId,
        seq: u32,
        r: &Replacement,
        by: UserId,
    ) -> Result<(), StoreError> {
        let moves = [
            (EntryRole::Replaced, &r.replaced_leaf),
            (EntryRole::Winner, &r.replacement_leaf),
        ];
        on_pool!(self, |p| {
            let mut tx = p.begin().await.map_err(db_error)?;
            sqlx::query(
                "INSERT INTO draw_replacements (event_id, seq, rank, replaced_leaf, \
                 replacement_leaf, reason, replaced_at, replaced_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(event.0)
            .bind(i32::try_from(seq).unwrap_or(i32::MAX))
            .bind(i32::try_from(r.rank).unwrap_or(i32::MAX))
            .bind(&r.replaced_leaf)
            .bind(&r.replacement_leaf)
            .bind(&r.reason)
            .bind(r.replaced_at)
            .bind(by.0)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
            for (role, leaf) in moves {
                sqlx::query(SET_ROLE)
                    .bind(role.code())
                    .bind(event.0)
                    .bind(leaf)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
            }
            tx.commit().await.map_err(db_error)
        })
    }

    async fn log_access(&self, accesses: &[Access]) -> Result<(), StoreError> {
        on_pool!(self, |p| {
            let mut tx = p.begin().await.map_err(db_error)?;
            for a in accesses {
                sqlx::query(
                    "INSERT INTO personal_data_access (id, user_id, event_id, receipt, purpose, \
                     accessed_at) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(Uuid::new_v4())
                .bind(a.user_id.0)
                .bind(a.event_id.0)
                .bind(a.receipt.as_str())
                .bind(a.purpose)
                .bind(a.at)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            }
            tx.commit().await.map_err(db_error)
        })
    }
}
