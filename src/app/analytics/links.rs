//! Tracked links (`/r/{code}`, one per channel and one for the shop's QR code) and the visits
//! they bring. A visitor is a keyed hash of their address and browser under the Seoul day's
//! random key: counted once per day, never stored in clear, and unlinkable across days once the
//! key is deleted (the day after).

use std::sync::Arc;

use chrono::NaiveDate;
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;

use super::{AppError, Services, published_event};
use crate::app::Missing;
use crate::domain::analytics::{VisitKind, is_link_code, source_code};
use crate::domain::calendar::seoul_date;
use crate::domain::entry::EntrySource;
use crate::domain::{Event, EventId, UserId};
use crate::ports::{Link, Visit};

/// Who opened a page: their address and browser, never kept as such.
#[derive(Debug, Clone)]
pub struct Visitor {
    pub address: String,
    pub agent: String,
}

/// The sources an event's links are for: its channels, then the shop's QR code.
fn sources(event: &Event) -> Vec<EntrySource> {
    let channels = event.channels.iter().map(|&c| EntrySource::Channel(c));
    channels.chain([EntrySource::Store]).collect()
}

fn new_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    (0..8)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect()
}

/// The event's links, made for the sources that have none yet (a code that happens to be taken
/// is drawn again).
pub async fn ensure_links(s: &Services, event: &Event) -> Result<Vec<Link>, AppError> {
    let mut links = s.store.links_of_event(event.id).await?;
    for _ in 0..4 {
        let now = s.clock.now();
        let missing: Vec<Link> = (sources(event).into_iter())
            .filter(|src| !links.iter().any(|l| l.source == *src))
            .map(|source| Link {
                code: new_code(),
                event_id: event.id,
                source,
                created_at: now,
            })
            .collect();
        if missing.is_empty() {
            break;
        }
        s.store.insert_links(&missing).await?;
        links = s.store.links_of_event(event.id).await?;
    }
    Ok(links)
}

/// Where a link leads people from outside.
pub fn link_url(s: &Services, link: &Link) -> String {
    format!("{}/r/{}", s.public_base_url, link.code)
}

/// The owner's links of a published event, one per channel and the shop's.
pub async fn links(s: &Services, owner: UserId, event_id: EventId) -> Result<Vec<Link>, AppError> {
    let event = published_event(s, owner, event_id).await?;
    ensure_links(s, &event).await
}

/// The owner's link of one source.
pub async fn link_of(
    s: &Services,
    owner: UserId,
    event_id: EventId,
    source: EntrySource,
) -> Result<(Event, Link), AppError> {
    let event = published_event(s, owner, event_id).await?;
    let link = (ensure_links(s, &event).await?.into_iter())
        .find(|l| l.source == source)
        .ok_or(AppError::NotFound(Missing::Link))?;
    Ok((event, link))
}

/// The shop's printable A6 card: the selected poster, the event's name, the STORE link's QR code.
pub async fn store_card(
    s: &Services,
    owner: UserId,
    event_id: EventId,
) -> Result<(Link, Vec<u8>), AppError> {
    let (event, link) = link_of(s, owner, event_id, EntrySource::Store).await?;
    let spec = crate::ports::CardSpec {
        poster_png: crate::app::images::poster_png(s, &event).await?,
        title: event.name.clone().unwrap_or_default(),
        shop: event.shop.name.clone(),
        link: link_url(s, &link),
    };
    let png = (s.printer.card(spec).await).map_err(|e| AppError::Internal(e.into()))?;
    Ok((link, png))
}

/// Follows a tracked link: counts the click, and names the event and source to show.
pub async fn follow(s: &Services, code: &str, visitor: &Visitor) -> Result<Link, AppError> {
    let link = match is_link_code(code) {
        true => s.store.link(code).await?,
        false => None,
    };
    let link = link.ok_or(AppError::NotFound(Missing::Link))?;
    count(
        s,
        link.event_id,
        Some(link.source),
        VisitKind::Click,
        visitor,
    )
    .await;
    Ok(link)
}

/// Counts a view of an event's public page: `true` once stored (or already counted today).
pub async fn viewed(
    s: &Services,
    event: EventId,
    source: Option<EntrySource>,
    who: &Visitor,
) -> bool {
    count(s, event, source, VisitKind::View, who).await
}

/// Counts a visit with the next batch (`visits`): `true` once stored. A failure is logged.
async fn count(
    s: &Services,
    event_id: EventId,
    source: Option<EntrySource>,
    kind: VisitKind,
    who: &Visitor,
) -> bool {
    let at = s.clock.now();
    let day = seoul_date(at);
    let key = match day_key(s, day).await {
        Ok(key) => key,
        Err(e) => {
            tracing::warn!(error = format!("{e:#?}"), %event_id, "a visit was not counted");
            return false;
        }
    };
    let visit = Visit {
        event_id,
        day,
        kind,
        source: source_code(source),
        visitor: visitor_hash(&key, who),
        at,
    };
    // The relay is not woken: its every-second pass takes the batch's messages (as entries').
    s.visits.count(visit).await
}

/// The Seoul day's visitor key (one per day for every instance: the first one stored wins).
async fn day_key(s: &Services, day: NaiveDate) -> Result<Vec<u8>, AppError> {
    let what = "visitor-key";
    let fresh_for = std::time::Duration::from_secs(48 * 3600);
    if let Some(key) = s.memo.get::<Vec<u8>>(what, &day.to_string(), 0, fresh_for) {
        return Ok(key.to_vec());
    }
    let candidate: [u8; 32] = rand::random();
    let key = s.store.visitor_key(day, &candidate).await?;
    s.memo.put(what, &day.to_string(), 0, Arc::new(key.clone()));
    Ok(key)
}

fn visitor_hash(key: &[u8], who: &Visitor) -> String {
    #[allow(clippy::expect_used)] // HMAC takes a key of any length
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(who.address.as_bytes());
    mac.update(b"\n");
    mac.update(who.agent.as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

/// Forgets the visits of days whose key is gone (run by the statistics timer).
pub async fn forget_old_visits(s: &Services) -> Result<u64, AppError> {
    let yesterday = seoul_date(s.clock.now()) - chrono::Duration::days(1);
    Ok(s.store.forget_visits(yesterday).await?)
}
