//! Passes, what the counter did with them, their reviews, and the counter PIN. A batch of
//! entries gets its passes in the entries' own transaction (`issue`), first come within the
//! event's cap: one UPDATE grants the batch what is left, and entries past it are not kept.

mod issue;
mod row;

pub(crate) use issue::{insert_pass_count, issue};
use row::{PASS_COLUMNS, PassRow, count};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::tx::{Tx, insert_outbox, tx_execute};
use super::{SqlStore, corrupt, db_error, on_pool};
use crate::domain::EventId;
use crate::domain::UserId;
use crate::domain::entrant::Receipt;
use crate::domain::pass::{Act, Pass, ReviewState};
use crate::ports::{PassAction, PassChange, PassStore, ReviewDecision, StoreError};

impl SqlStore {
    async fn pass_where(
        &self,
        filter: &str,
        a: &str,
        b: Option<Uuid>,
    ) -> Result<Option<Pass>, StoreError> {
        let sql = format!("SELECT {PASS_COLUMNS} FROM passes p WHERE {filter}");
        let row: Option<PassRow> = on_pool!(self, |p| sqlx::query_as(&sql)
            .bind(a)
            .bind(b)
            .fetch_optional(p)
            .await)
        .map_err(db_error)?;
        row.map(Pass::try_from).transpose()
    }
}

/// Records a counter's act, or marks it taken back (`false` if it was already).
async fn record(tx: &mut Tx, a: &PassAction, undo: bool) -> Result<bool, StoreError> {
    if undo {
        let n = tx_execute!(
            tx,
            "UPDATE pass_actions SET undone_at = $1 WHERE id = $2 AND undone_at IS NULL",
            a.undone_at,
            a.id,
        )?;
        return Ok(n == 1);
    }
    tx_execute!(
        tx,
        "INSERT INTO pass_actions (id, event_id, receipt, act, at, by_counter, spend) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        a.id,
        a.event_id.0,
        a.receipt.as_str(),
        a.act.code(),
        a.at,
        a.by_counter,
        a.spend,
    )?;
    Ok(true)
}

/// Moves the inviter's friend count with a friend's first use. Taking it back must not leave
/// the inviter rewarded for nothing: it fails when every credited friend is already rewarded.
async fn credit(
    tx: &mut Tx,
    event: EventId,
    inviter: &Receipt,
    undo: bool,
) -> Result<bool, StoreError> {
    let sql = if undo {
        "UPDATE passes SET credited = credited - 1, version = version + 1 \
         WHERE event_id = $1 AND receipt = $2 AND credited > rewards"
    } else {
        "UPDATE passes SET credited = credited + 1, version = version + 1 \
         WHERE event_id = $1 AND receipt = $2"
    };
    Ok(tx_execute!(tx, sql, event.0, inviter.as_str())? == 1)
}

#[async_trait]
impl PassStore for SqlStore {
    async fn pass_count(&self, event: EventId) -> Result<Option<(Option<u32>, u32)>, StoreError> {
        let row: Option<(Option<i32>, i32)> = on_pool!(self, |p| sqlx::query_as(
            "SELECT cap, issued FROM pass_counts WHERE event_id = $1"
        )
        .bind(event.0)
        .fetch_optional(p)
        .await)
        .map_err(db_error)?;
        Ok(row.map(|(cap, issued)| (cap.map(count), count(issued))))
    }

    async fn pass_by_code(&self, code_hash: &str) -> Result<Option<Pass>, StoreError> {
        self.pass_where("p.code_hash = $1 AND $2 IS NULL", code_hash, None)
            .await
    }

    async fn pass_of_entry(
        &self,
        event: EventId,
        receipt: &Receipt,
    ) -> Result<Option<Pass>, StoreError> {
        self.pass_where(
            "p.receipt = $1 AND p.event_id = $2",
            receipt.as_str(),
            Some(event.0),
        )
        .await
    }

    async fn pass_by_invite(
        &self,
        event: EventId,
        invite: &str,
    ) -> Result<Option<(Pass, Option<String>)>, StoreError> {
        let Some(pass) = self
            .pass_where("p.invite = $1 AND p.event_id = $2", invite, Some(event.0))
            .await?
        else {
            return Ok(None);
        };
        let tag: Option<Option<String>> = on_pool!(self, |p| sqlx::query_scalar(
            "SELECT phone_tag FROM entries WHERE event_id = $1 AND receipt = $2"
        )
        .bind(event.0)
        .bind(pass.receipt.as_str())
        .fetch_optional(p)
        .await)
        .map_err(db_error)?;
        Ok(Some((pass, tag.flatten())))
    }

    async fn pass_by_phone(
        &self,
        event: EventId,
        phone_tag: &str,
        receipt: &Receipt,
    ) -> Result<Option<Pass>, StoreError> {
        let sql = format!(
            "SELECT {PASS_COLUMNS} FROM passes p JOIN entries e \
             ON e.event_id = p.event_id AND e.receipt = p.receipt \
             WHERE p.event_id = $1 AND e.phone_tag = $2 AND p.receipt = $3"
        );
        let row: Option<PassRow> = on_pool!(self, |p| sqlx::query_as(&sql)
            .bind(event.0)
            .bind(phone_tag)
            .bind(receipt.as_str())
            .fetch_optional(p)
            .await)
        .map_err(db_error)?;
        row.map(Pass::try_from).transpose()
    }

    async fn change_pass(&self, c: PassChange<'_>) -> Result<bool, StoreError> {
        let p = c.pass;
        let mut tx = self.begin().await?;
        let changed = tx_execute!(
            &mut tx,
            "UPDATE passes SET uses = $1, stamps = $2, last_stamp_at = $3, rewards = $4, \
             settled_at = $5, version = $6 WHERE event_id = $7 AND receipt = $8 AND version = $9",
            i32::try_from(p.uses).unwrap_or(i32::MAX),
            i32::try_from(p.stamps).unwrap_or(i32::MAX),
            p.last_stamp_at,
            i32::try_from(p.rewards).unwrap_or(i32::MAX),
            p.settled_at,
            p.version,
            p.event_id.0,
            p.receipt.as_str(),
            c.read_version,
        )?;
        if changed != 1 {
            return Ok(false);
        }
        if !record(&mut tx, c.action, c.undo).await? {
            return Ok(false);
        }
        if let Some(inviter) = c.inviter
            && !credit(&mut tx, p.event_id, inviter, c.undo).await?
        {
            return Ok(false);
        }
        insert_outbox(&mut tx, c.message).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn last_action(
        &self,
        event: EventId,
        receipt: &Receipt,
    ) -> Result<Option<PassAction>, StoreError> {
        type Row = (Uuid, String, DateTime<Utc>, bool, Option<i64>);
        let row: Option<Row> = on_pool!(self, |p| sqlx::query_as(
            "SELECT id, act, at, by_counter, spend FROM pass_actions \
             WHERE event_id = $1 AND receipt = $2 AND undone_at IS NULL ORDER BY at DESC LIMIT 1"
        )
        .bind(event.0)
        .bind(receipt.as_str())
        .fetch_optional(p)
        .await)
        .map_err(db_error)?;
        row.map(|(id, act, at, by_counter, spend)| {
            Ok(PassAction {
                id,
                event_id: event,
                receipt: receipt.clone(),
                act: Act::parse(&act).ok_or_else(|| corrupt("act"))?,
                at,
                by_counter,
                spend,
                undone_at: None,
            })
        })
        .transpose()
    }

    async fn save_review(&self, d: ReviewDecision<'_>) -> Result<bool, StoreError> {
        let p = d.pass;
        let (url, state, reason, at) = match &p.review {
            Some(r) => {
                let (state, reason) = match &r.state {
                    ReviewState::Pending => ("PENDING", None),
                    ReviewState::Approved => ("APPROVED", None),
                    ReviewState::Rejected { reason } => ("REJECTED", Some(reason.clone())),
                };
                (Some(r.url.clone()), Some(state), reason, Some(r.at))
            }
            None => (None, None, None, None),
        };
        let mut tx = self.begin().await?;
        let changed = tx_execute!(
            &mut tx,
            "UPDATE passes SET review_url = $1, review_state = $2, review_reason = $3, \
             reviewed_at = $4, version = $5 WHERE event_id = $6 AND receipt = $7 AND version = $8",
            url,
            state,
            reason,
            at,
            p.version,
            p.event_id.0,
            p.receipt.as_str(),
            d.read_version,
        )?;
        if changed != 1 {
            return Ok(false);
        }
        if let Some(m) = d.message {
            insert_outbox(&mut tx, m).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn reviews(&self, event: EventId) -> Result<Vec<Pass>, StoreError> {
        let sql = format!(
            "SELECT {PASS_COLUMNS} FROM passes p WHERE p.event_id = $1 \
             AND p.review_state IS NOT NULL \
             ORDER BY CASE p.review_state WHEN 'PENDING' THEN 0 ELSE 1 END, p.reviewed_at"
        );
        let rows: Vec<PassRow> = on_pool!(self, |p| sqlx::query_as(&sql)
            .bind(event.0)
            .fetch_all(p)
            .await)
        .map_err(db_error)?;
        rows.into_iter().map(Pass::try_from).collect()
    }

    async fn set_counter_pin(
        &self,
        owner: UserId,
        pin_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let version: i64 = on_pool!(self, |p| sqlx::query_scalar(
            "INSERT INTO counter_pins (user_id, pin_hash, version, updated_at) \
             VALUES ($1, $2, 1, $3) ON CONFLICT (user_id) DO UPDATE SET \
             pin_hash = excluded.pin_hash, version = counter_pins.version + 1, \
             updated_at = excluded.updated_at RETURNING version"
        )
        .bind(owner.0)
        .bind(pin_hash)
        .bind(now)
        .fetch_one(p)
        .await)
        .map_err(db_error)?;
        Ok(version)
    }

    async fn counter_pin(&self, owner: UserId) -> Result<Option<(String, i64)>, StoreError> {
        on_pool!(self, |p| sqlx::query_as(
            "SELECT pin_hash, version FROM counter_pins WHERE user_id = $1"
        )
        .bind(owner.0)
        .fetch_optional(p)
        .await)
        .map_err(db_error)
    }
}
