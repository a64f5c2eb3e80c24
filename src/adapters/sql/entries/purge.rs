//! Destroying entrants' personal data on time (docs/participation.md): the sealed name and
//! phone, the keyed tags and the idempotency key go; the receipt, leaf, channel and time stay
//! for the draw's proof and the statistics. A pass used up (or its reward given) counts as a
//! non-winner from the act that settled it, an expired one from its last day — and neither
//! before its event ended; its review's address (which names the customer's account) goes with
//! the entry's data. A customer who agreed to marketing keeps theirs until
//! the consented period ends, and never less long than the rules below allow.

use chrono::{DateTime, Utc};

use crate::adapters::sql::{SqlStore, execute};
use crate::domain::calendar::seoul_date;
use crate::domain::entry::Retention;
use crate::ports::StoreError;

const DESTROY: &str = "UPDATE entries SET phone_tag = NULL, owner_tag = NULL, tag_key_id = NULL, \
     data_key_id = NULL, name_sealed = NULL, phone_sealed = NULL, idempotency_key = NULL, \
     destroyed_at = $1 \
     WHERE destroyed_at IS NULL AND (agree_marketing = $2 OR entered_at <= $3) AND ";

/// Passes with nothing more to do: settled before the cut-off `$4`, or last usable before `$5`
/// — once their event stopped taking entries before `$4` too (while it takes them, the entry's
/// phone tag is what keeps the same phone from joining again for a fresh pass).
const SETTLED_PASSES: &str = "(event_id, receipt) IN (SELECT event_id, receipt FROM passes \
     WHERE settled_at <= $4 OR last_day < $5) \
     AND event_id IN (SELECT id FROM events WHERE status = 'ENDED' AND ended_at <= $4)";

/// A destroyed entry's review address (also one added after): the state and reason stay for the
/// pass's standing.
const FORGET_REVIEWS: &str = "UPDATE passes SET review_url = '' WHERE review_url <> '' \
     AND (event_id, receipt) IN (SELECT event_id, receipt FROM entries \
     WHERE destroyed_at IS NOT NULL)";

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
    let settled_cut = now - retention.non_winners;
    let sql = format!("{DESTROY}{SETTLED_PASSES}");
    let last_day = seoul_date(settled_cut);
    destroyed += execute!(
        store,
        &sql,
        now,
        false,
        marketing_cut,
        settled_cut,
        last_day
    )?;
    execute!(store, FORGET_REVIEWS)?;
    Ok(destroyed)
}
