//! What a draw shows: the owner's view with full contact data of the winners (each reveal
//! logged, never the data) and the unused alternates masked — an alternate's data is shown only
//! once a replacement makes them a winner — and the public winners' list, masked.

use chrono::{DateTime, Utc};

use super::DrawError;
use crate::app::{AppError, Services, events, personal};
use crate::domain::draw::Proof;
use crate::domain::entrant::{EntrantName, MobilePhone, Receipt};
use crate::domain::entry::{EntrySource, TaxNotice};
use crate::domain::{Event, EventId, UserId};
use crate::ports::{Access, StoredEntry};

/// An entry named by the draw, with the owner's full view of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revealed {
    /// Winner's place or alternate's order, 1-based.
    pub rank: usize,
    pub receipt: Receipt,
    pub leaf: String,
    /// Full name and `010-1234-5678` for a winner, masked for an alternate (`masked`);
    /// `None` once destroyed.
    pub name: Option<String>,
    pub phone: Option<String>,
    pub masked: bool,
    pub source: Option<EntrySource>,
    pub entered_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct OwnerDraw {
    pub proof: Proof,
    /// The winners now (replacements applied).
    pub winners: Vec<Revealed>,
    /// Alternates not promoted yet, in order.
    pub alternates: Vec<Revealed>,
    pub tax: Option<TaxNotice>,
}

/// The owner's view: winners and remaining alternates with full contact data; each reveal is
/// logged (who, which entry, when; never the data).
pub(super) async fn reveal(
    s: &Services,
    owner: UserId,
    event: &Event,
    proof: Proof,
) -> Result<OwnerDraw, AppError> {
    let winners = proof.current_winners();
    let used = proof.replacements.len();
    let alternates: Vec<String> = proof.alternates.iter().skip(used).cloned().collect();
    let named: Vec<String> = winners.iter().chain(&alternates).cloned().collect();
    let found = s.store.entries_by_leaf(event.id, &named).await?;
    let now = s.clock.now();
    let mut accesses = Vec::new();
    // Winners in full (each reveal logged); alternates masked until one is promoted.
    let mut show = |leaves: &[String], full: bool| -> Result<Vec<Revealed>, AppError> {
        let mut out = Vec::new();
        for (i, leaf) in leaves.iter().enumerate() {
            let Some(e) = found.iter().find(|e| e.leaf == *leaf) else {
                continue;
            };
            let opened = personal::open(s, e)?;
            if opened.is_some() && full {
                accesses.push(Access {
                    user_id: owner,
                    event_id: event.id,
                    receipt: e.receipt.clone(),
                    purpose: "DRAW_RESULT",
                    at: now,
                });
            }
            out.push(shown(i + 1, e, leaf, opened.as_ref(), full));
        }
        Ok(out)
    };
    let (winners, alternates) = (show(&winners, true)?, show(&alternates, false)?);
    if !accesses.is_empty() {
        s.store.log_access(&accesses).await?;
    }
    Ok(OwnerDraw {
        proof,
        winners,
        alternates,
        tax: TaxNotice::for_prize(event.prize_value),
    })
}

/// One named entry: in full (a winner) or masked (an alternate).
fn shown(
    rank: usize,
    e: &StoredEntry,
    leaf: &str,
    opened: Option<&(EntrantName, MobilePhone)>,
    full: bool,
) -> Revealed {
    Revealed {
        rank,
        receipt: e.receipt.clone(),
        leaf: leaf.to_owned(),
        name: opened.map(|(n, _)| {
            if full {
                n.as_str().to_owned()
            } else {
                n.masked()
            }
        }),
        phone: opened.map(|(_, p)| if full { p.formatted() } else { p.masked() }),
        masked: !full,
        source: e.source,
        entered_at: e.entered_at,
    }
}

/// The owner's draw, with contact data.
pub async fn owner_draw(
    s: &Services,
    owner: UserId,
    event_id: EventId,
) -> Result<OwnerDraw, AppError> {
    let (event, proof) = drawn(s, owner, event_id).await?;
    reveal(s, owner, &event, proof).await
}

/// The owner's event and its draw (with replacements).
pub(super) async fn drawn(
    s: &Services,
    owner: UserId,
    event_id: EventId,
) -> Result<(Event, Proof), AppError> {
    let event = events::get(s, owner, event_id).await?;
    let proof = (s.store.draw_of_event(event.id).await?).ok_or(DrawError::NotDrawn)?;
    Ok((event, proof))
}

/// The public winners' list: masked with the one rule, recognisable only by the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicDraw {
    pub drawn_at: DateTime<Utc>,
    /// (place, masked name, masked phone); `None`s once destroyed.
    pub winners: Vec<(usize, Option<String>, Option<String>)>,
}

pub(crate) async fn public_summary(
    s: &Services,
    event_id: EventId,
) -> Result<Option<PublicDraw>, AppError> {
    let Some(proof) = s.store.draw_of_event(event_id).await? else {
        return Ok(None);
    };
    let winners = proof.current_winners();
    let found = s.store.entries_by_leaf(event_id, &winners).await?;
    let mut listed = Vec::new();
    for (i, leaf) in winners.iter().enumerate() {
        let opened = match found.iter().find(|e| e.leaf == *leaf) {
            Some(e) => personal::open(s, e)?,
            None => None,
        };
        listed.push((
            i + 1,
            opened.as_ref().map(|(n, _)| n.masked()),
            opened.as_ref().map(|(_, p)| p.masked()),
        ));
    }
    Ok(Some(PublicDraw {
        drawn_at: proof.drawn_at,
        winners: listed,
    }))
}
