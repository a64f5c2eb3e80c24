//! The draw's seed record of an event.

use crate::adapters::sql::tx::{Tx, tx_execute};
use crate::adapters::sql::{SqlStore, execute};
use crate::ports::{SeedRecord, StoreError};

/// Inserts a seed record unless the event has one (events published before seeds existed).
pub(super) async fn insert_seed_unless_there(
    store: &SqlStore,
    r: &SeedRecord,
) -> Result<u64, StoreError> {
    execute!(
        store,
        "INSERT INTO draw_seeds (event_id, commitment, seed_key_id, seed_sealed, tag_key_id, \
         committed_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        r.event_id.0,
        &r.commitment,
        &r.sealed.key_id,
        &r.sealed.bytes,
        &r.tag_key_id,
        r.committed_at,
    )
}

/// Inserts the seed record inside the caller's transaction (publishing).
pub(crate) async fn insert_seed(tx: &mut Tx, r: &SeedRecord) -> Result<(), StoreError> {
    tx_execute!(
        tx,
        "INSERT INTO draw_seeds (event_id, commitment, seed_key_id, seed_sealed, tag_key_id, \
         committed_at) VALUES ($1, $2, $3, $4, $5, $6)",
        r.event_id.0,
        &r.commitment,
        &r.sealed.key_id,
        &r.sealed.bytes,
        &r.tag_key_id,
        r.committed_at,
    )
    .map(|_| ())
}
