//! The public page of an event: what customers see before entering.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sha2::Digest;

use super::super::draws;
use crate::app::analytics::{Visitor, links};
use crate::app::{AppError, Missing, Services, passes, seeds};
use crate::domain::calendar::seoul_date;
use crate::domain::entry::EntrySource;
use crate::domain::entry::{EntryWindow, Gives, Notice, NoticeFacts};
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
    /// Where customers ask: the shop's phone, when its owner gave one (문의처).
    pub contact: Option<String>,
}

/// How long this instance trusts its copy of an event's public page. Its own changes to the
/// event forget the copy at once (`changed`); another instance's show within this.
const FRESH_FOR: Duration = Duration::from_secs(1);
const WHAT: &str = crate::app::memo::PUBLIC_PAGE;

/// The public page of an event as this instance last read it, and the forms of it rendered
/// since (per link source and invite: `rendered`).
pub struct PublicCopy {
    pub page: PublicEvent,
    rendered: Mutex<HashMap<String, Arc<Rendered>>>,
}

/// A page rendered once and sent to everyone asking within its copy's life: the same bytes,
/// the same validator.
#[derive(Debug)]
pub struct Rendered {
    pub body: String,
    /// A strong validator of `body` (its SHA-256), quoted.
    pub etag: String,
}

impl PublicCopy {
    /// The page rendered for `variant`, rendered by `render` the first time it is asked for.
    pub fn rendered(&self, variant: &str, render: impl FnOnce() -> String) -> Arc<Rendered> {
        let mut all = self.rendered.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(r) = all.get(variant) {
            return r.clone();
        }
        let body = render();
        let digest = sha2::Sha256::digest(body.as_bytes());
        let r = Arc::new(Rendered {
            etag: format!("\"{}\"", hex::encode(&digest[..16])),
            body,
        });
        if all.len() < 64 {
            all.insert(variant.to_owned(), r.clone());
        }
        r
    }
}

/// The event's public page from this instance's copy when it is fresh, else from the store.
pub async fn public_copy(s: &Services, event_id: EventId) -> Result<Arc<PublicCopy>, AppError> {
    let key = event_id.to_string();
    if let Some(copy) = s.memo.get::<PublicCopy>(WHAT, &key, 0, FRESH_FOR) {
        return Ok(copy);
    }
    let copy = Arc::new(PublicCopy {
        page: read_public_event(s, event_id).await?,
        rendered: Mutex::default(),
    });
    s.memo.put(WHAT, &key, 0, copy.clone());
    Ok(copy)
}

pub async fn public_event(s: &Services, event_id: EventId) -> Result<PublicEvent, AppError> {
    Ok(public_copy(s, event_id).await?.page.clone())
}

async fn read_public_event(s: &Services, event_id: EventId) -> Result<PublicEvent, AppError> {
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
    let contact = match event.shop_id {
        Some(shop) => (s.store.shop_phone(shop).await?).map(|p| p.as_str().to_owned()),
        None => None,
    };
    Ok(PublicEvent {
        contact,
        notice: Notice::new(&event.shop.name, &s.retention, gives(&event), facts(&event)),
        draw: draws::public_summary(s, event.id).await?,
        left: passes::left(s, event.id).await?,
        event,
        window,
        poster_url,
        seed,
    })
}

/// A client of the API reads the public page (from a tracked link's `source`, or directly):
/// the page, and the view counted for that source (best effort: a count that fails never hides
/// the page). The HTML page counts its views by its beacon instead (`web::entries::seen`).
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

/// What the event says that changes its notice.
fn facts(event: &Event) -> NoticeFacts {
    use crate::domain::mechanic::Mechanic;
    NoticeFacts {
        min_age: crate::domain::trade::Trade::min_age(&event.shop.industry),
        prize_value: event.prize_value,
        review: matches!(event.mechanic, Some(Mechanic::PhotoReview { .. })),
    }
}

/// What joining the event is: a pass used at the counter, or an entry to a draw.
fn gives(event: &crate::domain::Event) -> Gives {
    match &event.mechanic {
        Some(m) if m.gives_pass() => Gives::Pass,
        _ => Gives::DrawEntry,
    }
}
