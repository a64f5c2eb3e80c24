//! Draws: the seed committed at publish, the one draw of an ENDED event ("em-draw-v1"), the
//! owner's view with full contact data of winners and alternates (each reveal logged), the
//! public proof, and replacing a winner with the next alternate.

use std::collections::HashSet;

use tracing::instrument;

use super::{AppError, Missing, Services, events, personal, seeds};
use crate::domain::draw::{self, DrawInput, Excluded, PREVIOUS_WINNER, Proof, Replacement, Seed};
use crate::domain::field::{FieldError, FieldProblem};
use crate::domain::messages::{Message, WinnersDrawn};
pub use crate::domain::refusals::DrawError;
use crate::domain::{Event, EventAction, EventId, EventStatus, OutboxMessage, UserId};
use crate::ports::{NewDraw, SourceFilter, StoreError, StoredEntry};

/// What the owner asks for. The counts were fixed when the event was published (its notice
/// states them); a request may repeat them, never change them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DrawRequest {
    pub winner_count: Option<u32>,
    pub alternate_count: Option<u32>,
    pub exclude_previous_winners: bool,
}

mod reveal;

pub(crate) use reveal::public_summary;
use reveal::reveal;
pub use reveal::{OwnerDraw, PublicDraw, Revealed, owner_draw};

pub const MAX_WINNERS: u32 = 1000;
pub use crate::domain::mechanic::MAX_ALTERNATES;

impl DrawRequest {
    pub fn parse(
        winners: Option<i64>,
        alternates: Option<i64>,
        exclude: bool,
    ) -> Result<Self, FieldError> {
        let count = |field, raw: i64, min: i64, max: u32| {
            u32::try_from(raw)
                .ok()
                .filter(|v| i64::from(*v) >= min && *v <= max)
                .ok_or(FieldError::new(
                    field,
                    FieldProblem::OutOfRange {
                        min,
                        max: i64::from(max),
                    },
                ))
        };
        Ok(Self {
            winner_count: (winners.map(|w| count("winnerCount", w, 1, MAX_WINNERS))).transpose()?,
            alternate_count: (alternates.map(|a| count("alternateCount", a, 0, MAX_ALTERNATES)))
                .transpose()?,
            exclude_previous_winners: exclude,
        })
    }
}

/// A replacement's reason: one of `REPLACEMENT_REASONS`' codes.
pub fn parse_reason(raw: &str) -> Result<String, FieldError> {
    let code = raw.trim();
    match crate::domain::draw::REPLACEMENT_REASONS
        .iter()
        .any(|(c, _)| *c == code)
    {
        true => Ok(code.to_owned()),
        false => Err(FieldError::new(
            "reason",
            FieldProblem::UnknownValue {
                allowed: "UNREACHABLE, DECLINED, INELIGIBLE",
            },
        )),
    }
}

#[instrument(skip_all, fields(user_id = %owner, event_id = %event_id))]
pub async fn draw(
    s: &Services,
    owner: UserId,
    event_id: EventId,
    req: DrawRequest,
) -> Result<OwnerDraw, AppError> {
    let event = events::get(s, owner, event_id).await?;
    event.status.check(EventAction::Draw)?;
    let (winner_count, alternate_count) = fixed_counts(&event, req)?;
    if s.store.draw_of_event(event.id).await?.is_some() {
        return Err(DrawError::AlreadyDrawn.into());
    }
    let record = match s.store.draw_seed(event.id).await? {
        Some(r) => r,
        None => seeds::ensure(s, event.id).await?,
    };
    let seed = seeds::open(s, &record)?;
    let seed =
        Seed::from_bytes(&seed).ok_or_else(|| anyhow::anyhow!("sealed seed is not 32 bytes"))?;
    s.store.entries_settled().await?;
    let all = s.store.all_entries(event.id, SourceFilter::All).await?;
    if all.iter().any(|e| e.personal.is_none()) {
        return Err(DrawError::DataDestroyed.into());
    }
    let excluded = if req.exclude_previous_winners {
        previous_winners(s, &event, &all).await?
    } else {
        Vec::new()
    };
    if all.len() <= excluded.len() {
        return Err(DrawError::NoEntrants.into());
    }
    let proof = draw::draw(DrawInput {
        event_id: event.id.to_string(),
        seed,
        leaves: all.iter().map(|e| e.leaf.clone()).collect(),
        excluded,
        winner_count,
        alternate_count,
        drawn_at: s.clock.now(),
    });
    save(s, owner, &event, &proof).await?;
    tracing::info!(winners = proof.winners.len(), "winners drawn");
    reveal(s, owner, &event, proof).await
}

/// The counts the event's notice states; a request that names others is refused.
fn fixed_counts(event: &Event, req: DrawRequest) -> Result<(u32, u32), DrawError> {
    let (winners, alternates) = (event.mechanic.as_ref())
        .and_then(crate::domain::mechanic::Mechanic::draw_counts)
        .ok_or(DrawError::NoDrawStated)?;
    let differs = |asked: Option<u32>, fixed: u32| asked.is_some_and(|a| a != fixed);
    if differs(req.winner_count, winners) || differs(req.alternate_count, alternates) {
        return Err(DrawError::CountsFixed {
            winners,
            alternates,
        });
    }
    Ok((winners, alternates))
}

async fn save(s: &Services, owner: UserId, event: &Event, proof: &Proof) -> Result<(), AppError> {
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let drawn = WinnersDrawn {
        owner_id: owner,
        winners: count(proof.winners.len()),
        alternates: count(proof.alternates.len()),
        entrants: count(proof.sorted_leaves.len()),
        excluded: count(proof.excluded.len()),
        drawn_at: proof.drawn_at,
    };
    let message = OutboxMessage::new(event.id, Message::WinnersDrawn(drawn), proof.drawn_at);
    let saved = s.store.save_draw(NewDraw {
        event_id: event.id,
        proof,
        drawn_by: owner,
        message: &message,
    });
    match saved.await {
        Ok(()) => {
            s.relay_kick.notify_one();
            s.memo.public_page_changed(event.id);
            Ok(())
        }
        Err(StoreError::Duplicate) => Err(DrawError::AlreadyDrawn.into()),
        Err(e) => Err(e.into()),
    }
}

/// This event's entries whose phone won an earlier event of the same owner (compared by the
/// owner-scoped tag; a winner tagged under an older key is tagged again from their phone).
async fn previous_winners(
    s: &Services,
    event: &Event,
    all: &[StoredEntry],
) -> Result<Vec<Excluded>, AppError> {
    let Some(key) = all
        .iter()
        .find_map(|e| e.personal.as_ref().map(|p| p.tag_key_id.clone()))
    else {
        return Ok(Vec::new());
    };
    let mut tags = HashSet::new();
    for w in s.store.previous_winners(event.owner, event.id).await? {
        match &w.personal {
            Some(p) if p.tag_key_id == key => {
                tags.insert(p.owner_tag.clone());
            }
            Some(_) => {
                if let Some((_, phone)) = personal::open(s, &w)? {
                    let message = format!("owner|{}|{}", event.owner, phone.e164());
                    tags.insert(s.tags.tag(&key, message.as_bytes())?);
                }
            }
            None => {}
        }
    }
    Ok(all
        .iter()
        .filter(|e| {
            e.personal
                .as_ref()
                .is_some_and(|p| tags.contains(&p.owner_tag))
        })
        .map(|e| Excluded {
            leaf: e.leaf.clone(),
            reason: PREVIOUS_WINNER.to_owned(),
        })
        .collect())
}

/// Replaces the winner at `rank` with the next alternate; the record grows, nothing is edited.
#[instrument(skip_all, fields(user_id = %owner, event_id = %event_id, rank))]
pub async fn replace(
    s: &Services,
    owner: UserId,
    event_id: EventId,
    rank: i64,
    reason: String,
) -> Result<OwnerDraw, AppError> {
    let (event, proof) = reveal::drawn(s, owner, event_id).await?;
    if let Some(deadline) = proof.contact_deadline()
        && s.clock.now() < deadline
    {
        let local = deadline.with_timezone(&crate::domain::calendar::seoul());
        let deadline = local.format("%-m월 %-d일 %H:%M").to_string();
        return Err(DrawError::BeforeContactDeadline { deadline }.into());
    }
    let winners = proof.current_winners();
    let slot = usize::try_from(rank)
        .ok()
        .filter(|r| (1..=winners.len()).contains(r))
        .ok_or(DrawError::NoSuchWinner {
            winners: winners.len(),
        })?;
    let next = proof.next_alternate().ok_or(DrawError::NoAlternateLeft)?;
    let replacement = Replacement {
        rank: u32::try_from(slot).unwrap_or(u32::MAX),
        replaced_leaf: winners[slot - 1].clone(),
        replacement_leaf: next.clone(),
        reason,
        replaced_at: s.clock.now(),
    };
    let seq = u32::try_from(proof.replacements.len() + 1).unwrap_or(u32::MAX);
    match s
        .store
        .append_replacement(event.id, seq, &replacement, owner)
        .await
    {
        Ok(()) => {}
        Err(StoreError::Duplicate) => return Err(AppError::ConcurrentModification),
        Err(e) => return Err(e.into()),
    }
    s.memo.public_page_changed(event_id);
    tracing::info!("winner replaced by the next alternate");
    owner_draw(s, owner, event_id).await
}

/// The public proof of a PUBLISHED or ENDED event's draw.
pub async fn proof(s: &Services, event_id: EventId) -> Result<Proof, AppError> {
    let event = s.store.event_by_id(event_id).await?;
    if event.is_none_or(|e| e.status == EventStatus::Draft) {
        return Err(AppError::NotFound(Missing::Event));
    }
    Ok(s.store
        .draw_of_event(event_id)
        .await?
        .ok_or(DrawError::NotDrawn)?)
}
