//! An entry's row: its columns, and the stored entry it reads as (personal data only while
//! kept).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::adapters::sql::corrupt;
use crate::domain::EventId;
use crate::domain::entrant::Receipt;
use crate::domain::entry::EntrySource;
use crate::ports::{EntryRole, Personal, Sealed, StoreError, StoredEntry};

pub(crate) fn entry_columns(prefix: &str) -> String {
    [
        "event_id",
        "receipt",
        "leaf",
        "channel",
        "agree_marketing",
        "entered_at",
        "phone_tag",
        "owner_tag",
        "tag_key_id",
        "data_key_id",
        "name_sealed",
        "phone_sealed",
        "role",
    ]
    .map(|c| format!("{prefix}{c}"))
    .join(", ")
}

#[derive(sqlx::FromRow)]
pub(crate) struct EntryRow {
    event_id: Uuid,
    receipt: String,
    leaf: String,
    channel: Option<String>,
    agree_marketing: bool,
    entered_at: DateTime<Utc>,
    phone_tag: Option<String>,
    owner_tag: Option<String>,
    tag_key_id: Option<String>,
    data_key_id: Option<String>,
    name_sealed: Option<Vec<u8>>,
    phone_sealed: Option<Vec<u8>>,
    role: Option<String>,
}

impl TryFrom<EntryRow> for StoredEntry {
    type Error = StoreError;

    fn try_from(r: EntryRow) -> Result<Self, StoreError> {
        let source = match r.channel {
            None => None,
            Some(code) => Some(EntrySource::parse(&code).map_err(|_| corrupt("entry channel"))?),
        };
        let role = match r.role {
            None => None,
            Some(code) => Some(EntryRole::parse(&code).ok_or_else(|| corrupt("entry role"))?),
        };
        let data_key_id = r.data_key_id;
        let personal = match (r.phone_tag, r.owner_tag, r.tag_key_id, &data_key_id) {
            (Some(phone_tag), Some(owner_tag), Some(tag_key_id), Some(key)) => {
                let sealed = |bytes: Option<Vec<u8>>| {
                    bytes
                        .map(|bytes| Sealed {
                            key_id: key.clone(),
                            bytes,
                        })
                        .ok_or_else(|| corrupt("sealed entry"))
                };
                Some(Personal {
                    phone_tag,
                    owner_tag,
                    tag_key_id,
                    name: sealed(r.name_sealed)?,
                    phone: sealed(r.phone_sealed)?,
                })
            }
            _ => None,
        };
        Ok(StoredEntry {
            event_id: EventId(r.event_id),
            receipt: Receipt::from_trusted(r.receipt),
            leaf: r.leaf,
            source,
            agree_marketing: r.agree_marketing,
            entered_at: r.entered_at,
            role,
            personal,
            data_key_id,
        })
    }
}

pub(crate) fn stored(rows: Vec<EntryRow>) -> Result<Vec<StoredEntry>, StoreError> {
    rows.into_iter().map(StoredEntry::try_from).collect()
}
