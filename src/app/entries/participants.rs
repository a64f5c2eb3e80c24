//! The owner's participants, masked with the one rule (`홍*동`, `010-****-5678`).

use chrono::{DateTime, Utc};

use crate::app::{AppError, Services, events, personal};
use crate::domain::entrant::Receipt;
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

fn masked(s: &Services, e: StoredEntry) -> Result<Participant, AppError> {
    let opened = personal::open(s, &e)?;
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
