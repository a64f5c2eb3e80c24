//! The draw's seed record of an event.

use crate::adapters::sql::tx::{Tx, tx_execute};
use crate::ports::{SeedRecord, StoreError};

/// Inserts the seed record inside the caller's transaction: at publish (where a second one
/// would be a bug: it fails), or `if_absent` for an event published before seeds existed
/// (`0` rows when another request stored one first).
pub(crate) async fn insert_seed(
    tx: &mut Tx,
    r: &SeedRecord,
    if_absent: bool,
) -> Result<u64, StoreError> {
    let sql = format!(
        "INSERT INTO draw_seeds (event_id, commitment, seed_key_id, seed_sealed, tag_key_id, \
         committed_at) VALUES ($1, $2, $3, $4, $5, $6){}",
        if if_absent {
            " ON CONFLICT DO NOTHING"
        } else {
            ""
        }
    );
    tx_execute!(
        tx,
        &sql,
        r.event_id.0,
        &r.commitment,
        &r.sealed.key_id,
        &r.sealed.bytes,
        &r.tag_key_id,
        r.committed_at,
    )
}
