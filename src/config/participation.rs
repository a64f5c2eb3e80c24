//! Entries and draws: the two keys that protect customers' data (sealing and tagging, kept
//! apart), and how long personal data is kept (`domain::entry::Retention`,
//! docs/participation.md).

use std::path::Path;
use std::time::Duration;

use super::channels::key_ring;
use super::reader::Reader;
use super::values::{KeyRingSettings, Mode};
use crate::domain::entry::Retention;

#[derive(Debug, Clone)]
pub struct ParticipationSettings {
    /// Seals entrants' names and phone numbers, and draw seeds (AES-256-GCM).
    pub personal_data_keys: KeyRingSettings,
    /// Tags phone numbers (HMAC-SHA256) for one-entry-per-phone and earlier winners.
    pub phone_hmac_keys: KeyRingSettings,
    pub retention: Retention,
    /// Locally, how often the purge runs (Azure: the participants-purge timer, hourly).
    pub local_purge: Duration,
}

pub(super) fn participation(r: &mut Reader, mode: Mode, data_dir: &Path) -> ParticipationSettings {
    let personal_data_keys = key_ring(r, "PERSONAL_DATA_KEYS", mode, data_dir);
    let phone_hmac_keys = key_ring(r, "PHONE_HMAC_KEYS", mode, data_dir);
    let shared = personal_data_keys
        .keys
        .iter()
        .any(|(_, a)| (phone_hmac_keys.keys.iter()).any(|(_, b)| a.expose() == b.expose()));
    if shared {
        r.problem(
            "PHONE_HMAC_KEYS",
            "PERSONAL_DATA_KEYS와 다른 키여야 합니다 (암호화 키와 태그 키를 나눠 둡니다)",
        );
    }
    // 0 means "at the next purge" (a demonstration, or a shop that wants nothing kept).
    let days = |r: &mut Reader, name: &str, default: i64| {
        chrono::Duration::days(r.number(name, default, 0, 3650))
    };
    let retention = Retention {
        non_winners: chrono::Duration::hours(r.number("NON_WINNER_RETENTION_HOURS", 24i64, 0, 120)),
        alternates: days(r, "ALTERNATE_RETENTION_DAYS", 14),
        winners: days(r, "WINNER_RETENTION_DAYS", 30),
        undrawn: days(r, "UNDRAWN_RETENTION_DAYS", 30),
        marketing: days(r, "MARKETING_CONSENT_DAYS", 365),
    };
    ParticipationSettings {
        personal_data_keys,
        phone_hmac_keys,
        retention,
        local_purge: Duration::from_secs(r.number("LOCAL_PURGE_SECONDS", 3600u64, 1, 86_400)),
    }
}
