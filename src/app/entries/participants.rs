//! The owner's participants, masked with the one rule (`홍*동`, `010-****-5678`), and opening an
//! entry's sealed name and phone.

use chrono::{DateTime, Utc};

use super::aad;
use crate::app::{AppError, Services, events};
use crate::domain::entrant::{EntrantName, MobilePhone, Receipt};
use crate::domain::entry::EntrySource;
use crate::domain::{Event, EventId, Page, PageRequest, UserId};
use crate::ports::{EntryRole, SourceFilter, StoredEntry};

/// An entry as the owner's list shows it: masked with the one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub receipt: Receipt,
    /// `None` once destroyed.
    pub name: Option<String>,
    pub phone: Option<String>,
    pub source: Option<EntrySource>,
    pub agree_marketing: bool,
    pub entered_at: DateTime<Utc>,
    pub role: Option<EntryRole>,
}

/// Opens an entry's name and phone (`None` once destroyed).
pub(crate) fn open(
    s: &Services,
    e: &StoredEntry,
) -> Result<Option<(EntrantName, MobilePhone)>, AppError> {
    let Some(p) = &e.personal else {
        return Ok(None);
    };
    let name = s
        .personal
        .open(&p.name, &aad("entry-name", e.event_id, &e.receipt))?;
    let phone = s
        .personal
        .open(&p.phone, &aad("entry-phone", e.event_id, &e.receipt))?;
    let name = String::from_utf8(name).map_err(|_| anyhow::anyhow!("sealed name is not UTF-8"))?;
    let phone = std::str::from_utf8(&phone)
        .ok()
        .and_then(MobilePhone::from_e164)
        .ok_or_else(|| anyhow::anyhow!("sealed phone is not E.164"))?;
    Ok(Some((EntrantName::from_trusted(name), phone)))
}

fn masked(s: &Services, e: StoredEntry) -> Result<Participant, AppError> {
    let opened = open(s, &e)?;
    Ok(Participant {
        name: opened.as_ref().map(|(n, _)| n.masked()),
        phone: opened.as_ref().map(|(_, p)| p.masked()),
        receipt: e.receipt,
        source: e.source,
        agree_marketing: e.agree_marketing,
        entered_at: e.entered_at,
        role: e.role,
    })
}

/// The owner's participants, newest first, masked.
pub async fn participants(
    s: &Services,
    owner: UserId,
    event_id: EventId,
    filter: SourceFilter,
    page: PageRequest,
) -> Result<Page<Participant>, AppError> {
    let event = events::get(s, owner, event_id).await?;
    let found = s.store.entries_page(event.id, filter, page).await?;
    Ok(Page {
        items: (found.items.into_iter())
            .map(|e| masked(s, e))
            .collect::<Result<_, _>>()?,
        page: found.page,
        size: found.size,
        total: found.total,
    })
}

/// Every participant, masked (the CSV download).
pub async fn all_participants(
    s: &Services,
    owner: UserId,
    event_id: EventId,
    filter: SourceFilter,
) -> Result<(Event, Vec<Participant>), AppError> {
    let event = events::get(s, owner, event_id).await?;
    let all = s.store.all_entries(event.id, filter).await?;
    let masked = all
        .into_iter()
        .map(|e| masked(s, e))
        .collect::<Result<_, _>>()?;
    Ok((event, masked))
}
