//! The public page of an event: what customers see before entering.

use super::super::draws;
use crate::app::analytics::{Visitor, links};
use crate::app::{AppError, Missing, Services, passes, seeds};
use crate::domain::calendar::seoul_date;
use crate::domain::entry::EntrySource;
use crate::domain::entry::{EntryWindow, Gives, Notice};
use crate::domain::{Event, EventId, EventStatus};
use crate::ports::SeedRecord;

/// The public page of a PUBLISHED or ENDED event.
#[derive(Debug, Clone)]
pub struct PublicEvent {
    pub event: Event,
    pub window: EntryWindow,
    pub notice: Notice,
    pub poster_url: Option<String>,
    pub seed: SeedRecord,
    pub draw: Option<draws::PublicDraw>,
    /// First-come passes still to give (`None`: no cap, or no passes).
    pub left: Option<u32>,
}

pub async fn public_event(s: &Services, event_id: EventId) -> Result<PublicEvent, AppError> {
    let event = (s.store.event_by_id(event_id).await?)
        .filter(|e| e.status != EventStatus::Draft)
        .ok_or(AppError::NotFound(Missing::Event))?;
    let today = seoul_date(s.clock.now());
    let window = EntryWindow::of(&event, today).ok_or(AppError::NotFound(Missing::Event))?;
    let images = s.store.images_of_event(event.id).await?;
    let poster_url = (images.iter().find(|i| i.selected))
        .and_then(|i| i.content.blob_key())
        .map(|key| s.blobs.url(key));
    let seed = match s.store.draw_seed(event.id).await? {
        Some(seed) => seed,
        None => seeds::ensure(s, event.id).await?,
    };
    Ok(PublicEvent {
        notice: Notice::new(&event.shop.name, &s.retention, gives(&event)),
        draw: draws::public_summary(s, event.id).await?,
        left: passes::left(s, event.id).await?,
        event,
        window,
        poster_url,
        seed,
    })
}

/// A customer opens the public page (from a tracked link's `source`, or directly): the page,
/// and the view counted for that source (best effort: a count that fails never hides the page).
pub async fn view(
    s: &Services,
    event_id: EventId,
    source: Option<EntrySource>,
    who: &Visitor,
) -> Result<PublicEvent, AppError> {
    let page = public_event(s, event_id).await?;
    links::viewed(s, event_id, source, who).await;
    Ok(page)
}

/// What joining the event is: a pass used at the counter, or an entry to a draw.
fn gives(event: &crate::domain::Event) -> Gives {
    match &event.mechanic {
        Some(m) if m.gives_pass() => Gives::Pass,
        _ => Gives::DrawEntry,
    }
}
