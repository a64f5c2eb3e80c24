//! Issuing passes with the entries of a batch, first come within each event's cap.

use std::collections::{BTreeMap, HashSet};

use uuid::Uuid;

use crate::adapters::sql::db_error;
use crate::adapters::sql::tx::{Tx, on_tx, tx_execute};
use crate::domain::EventId;
use crate::domain::entrant::Receipt;
use crate::domain::entry::EntrySource;
use crate::ports::{NewEntry, StoreError};

/// How many of `wanted` passes the event may still issue; counts them in the same statement.
async fn grant(tx: &mut Tx, event: Uuid, wanted: i64) -> Result<Option<i64>, StoreError> {
    let granted: Option<i64> = on_tx!(tx, |c| sqlx::query_scalar(
        "UPDATE pass_counts SET \
         last_grant = CASE WHEN cap IS NULL OR cap - issued >= $2 THEN $2 \
             WHEN cap > issued THEN cap - issued ELSE 0 END, \
         issued = issued + CASE WHEN cap IS NULL OR cap - issued >= $2 THEN $2 \
             WHEN cap > issued THEN cap - issued ELSE 0 END \
         WHERE event_id = $1 RETURNING CAST(last_grant AS BIGINT)"
    )
    .bind(event)
    .bind(wanted)
    .fetch_optional(c)
    .await)
    .map_err(db_error)?;
    Ok(granted)
}

/// Gives the entries just written their passes, first come within each event's cap; returns
/// the entries that did not get one (the caller's transaction does not keep them).
pub(crate) async fn issue(
    tx: &mut Tx,
    written: &[&NewEntry],
) -> Result<HashSet<(Uuid, String)>, StoreError> {
    let mut by_event: BTreeMap<Uuid, Vec<&NewEntry>> = BTreeMap::new();
    for e in written.iter().filter(|e| e.pass.is_some()) {
        by_event.entry(e.event_id.0).or_default().push(e);
    }
    let mut sold_out = HashSet::new();
    for (event, list) in by_event {
        let wanted = i64::try_from(list.len()).unwrap_or(i64::MAX);
        let granted = grant(tx, event, wanted).await?.unwrap_or(wanted);
        let keep = usize::try_from(granted.max(0)).unwrap_or(0);
        for e in &list[keep.min(list.len())..] {
            let receipt = e.receipt.as_str();
            tx_execute!(
                tx,
                "DELETE FROM entries WHERE event_id = $1 AND receipt = $2",
                event,
                receipt
            )?;
            sold_out.insert((event, receipt.to_owned()));
        }
        for e in &list[..keep.min(list.len())] {
            insert_pass(tx, e).await?;
        }
    }
    Ok(sold_out)
}

async fn insert_pass(tx: &mut Tx, e: &NewEntry) -> Result<(), StoreError> {
    let Some(p) = &e.pass else { return Ok(()) };
    tx_execute!(
        tx,
        "INSERT INTO passes (event_id, receipt, code_hash, invite, referred_by, channel, \
         issued_at, last_day) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        e.event_id.0,
        e.receipt.as_str(),
        &p.code_hash,
        &p.invite,
        p.referred_by.as_ref().map(Receipt::as_str),
        e.source.map(EntrySource::code),
        e.entered_at,
        p.last_day,
    )?;
    if let Some(inviter) = &p.referred_by {
        tx_execute!(
            tx,
            "UPDATE passes SET invited = invited + 1, credited = credited + $1, \
             version = version + 1 WHERE event_id = $2 AND receipt = $3",
            i32::from(p.credit_inviter),
            e.event_id.0,
            inviter.as_str(),
        )?;
    }
    Ok(())
}

/// Inserts the event's pass count at publish: its cap, none issued.
pub(crate) async fn insert_pass_count(
    tx: &mut Tx,
    event: EventId,
    cap: Option<u32>,
) -> Result<(), StoreError> {
    tx_execute!(
        tx,
        "INSERT INTO pass_counts (event_id, cap, issued, last_grant) VALUES ($1, $2, 0, 0)",
        event.0,
        cap.map(|c| i32::try_from(c).unwrap_or(i32::MAX)),
    )
    .map(|_| ())
}
