//! Destroying entrants' personal data on time (docs/participation.md): the sealed name and
//! phone, the keyed tags and the idempotency key go; the receipt, leaf, channel and time stay
//! for the draw's proof and the statistics. A customer who agreed to marketing keeps theirs until
//! the consented period ends, and never less long than the rules below allow.

use chrono::{DateTime, Utc};

use crate::adapters::sql::{SqlStore, execute};
use crate::domain::entry::Retention;
use crate::ports::StoreError;

const DESTROY: &str = "UPDATE entries SET phone_tag = NULL, owner_tag = NULL, tag_key_id = NULL, \
     data_key_id = NULL, name_sealed = NULL, phone_sealed = NULL, idempotency_key = NULL, \
     destroyed_at = $1 \
     WHERE destroyed_at IS NULL AND (agree_marketing = $2 OR entered_at <= $3) AND ";

/// Which entries each rule reaches, given its cut-off as `$4`.
const RULES: [&str; 4] = [
    // Non-winners (and replaced winners) of events drawn before the cut-off.
    "(role IS NULL OR role = 'REPLACED') \
     AND event_id IN (SELECT event_id FROM draws WHERE drawn_at <= $4)",
    "role = 'ALTERNATE' AND event_id IN (SELECT event_id FROM draws WHERE drawn_at <= $4)",
    "role = 'WINNER' AND event_id IN (SELECT event_id FROM draws WHERE drawn_at <= $4)",
    // Events that ended before the cut-off and were never drawn.
    "event_id IN (SELECT id FROM events WHERE status = 'ENDED' AND ended_at <= $4 \
     AND id NOT IN (SELECT event_id FROM draws))",
];

pub(super) async fn destroy(
    store: &SqlStore,
    retention: &Retention,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let marketing_cut = now - retention.marketing;
    let cuts = [
        now - retention.non_winners,
        now - retention.alternates,
        now - retention.winners,
        now - retention.undrawn,
    ];
    let mut destroyed = 0;
    for (rule, cut) in RULES.iter().zip(cuts) {
        let sql = format!("{DESTROY}{rule}");
        destroyed += execute!(store, &sql, now, false, marketing_cut, cut)?;
    }
    Ok(destroyed)
}
