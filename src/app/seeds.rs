//! Each published event's draw seed: drawn and sealed in the publish transaction, its SHA-256
//! published as the commitment, opened only by the draw; and the key the event's entries are
//! tagged with, fixed at publish too.

use chrono::{DateTime, Utc};

use super::{AppError, Services};
use crate::domain::EventId;
use crate::domain::draw::Seed;
use crate::ports::SeedRecord;

fn aad(event: EventId) -> Vec<u8> {
    format!("draw-seed|{event}").into_bytes()
}

/// A new seed for `event`, sealed, with its commitment and the event's tag key.
pub fn record(s: &Services, event: EventId, now: DateTime<Utc>) -> SeedRecord {
    let seed = Seed::generate();
    SeedRecord {
        event_id: event,
        commitment: seed.commitment(),
        sealed: s.personal.seal(seed.bytes(), &aad(event)),
        tag_key_id: s.tags.current_key().to_owned(),
        committed_at: now,
    }
}

/// The event's seed record; an event published before seeds were committed gets one now.
pub async fn ensure(s: &Services, event: EventId) -> Result<SeedRecord, AppError> {
    let fresh = record(s, event, s.clock.now());
    Ok(s.store.ensure_draw_seed(&fresh).await?)
}

/// The record's seed, opened (the draw's).
pub fn open(s: &Services, record: &SeedRecord) -> Result<Vec<u8>, AppError> {
    Ok(s.personal.open(&record.sealed, &aad(record.event_id))?)
}
