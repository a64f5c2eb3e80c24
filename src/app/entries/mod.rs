//! Customers taking part: the public event page, the entry (validated, sealed, tagged, written
//! by the group commit, `app::intake`), the owner's masked participant list, and the destruction of
//! personal data on time (`purge`).

mod form;
mod page;
mod participants;
mod purge;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use tracing::instrument;

use super::intake::WriteError;
use super::{AppError, Missing, Services, passes, personal, seeds};
use crate::domain::analytics;
use crate::domain::calendar::seoul_date;
use crate::domain::draw;
use crate::domain::entrant::Receipt;
use crate::domain::entry::EntryWindow;
use crate::domain::mechanic::Mechanic;
use crate::domain::messages::{Bucket, Message, ParticipantRegistered};
use crate::domain::pass::PassCode;
use crate::domain::{EventId, OutboxMessage};
use crate::ports::{EntryGate, Existing, Inserted, NewEntry, Personal};

pub use crate::domain::refusals::EntryError;
pub use form::{EntryFields, EntryForm};
pub use page::{PublicCopy, PublicEvent, Rendered, public_copy, public_event, view};
pub use participants::{Participant, all_participants, participants};
pub use purge::purge;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entered {
    pub receipt: Receipt,
    pub entered_at: DateTime<Utc>,
    /// The pass joining gave (none for a giveaway's draw entry).
    pub pass: Option<PassCode>,
}

/// What every attempt of one entry shares: its event's key and the phone's tags, and the
/// promotion it joins.
struct Joining<'a> {
    event: EventId,
    key: String,
    phone_tag: String,
    owner_tag: String,
    mechanic: Option<&'a Mechanic>,
    referral: Option<passes::Referral>,
}

/// Enters `form` into the event — with the pass its promotion gives — : 201's `Entered`, the
/// original one for a retried idempotency key, or why not.
#[instrument(skip_all, fields(event_id = %event_id))]
pub async fn enter(s: &Services, event_id: EventId, form: EntryForm) -> Result<Entered, AppError> {
    let gate = open_gate(s, event_id, false).await?;
    let joining = joining(s, &gate, &form).await?;
    let mechanic = joining.mechanic;
    for _ in 0..3 {
        let entry = new_entry(s, &form, &joining)?;
        let pass = (entry.pass.as_ref())
            .map(|_| passes::code_of(s, &joining.key, event_id, &entry.receipt))
            .transpose()?;
        let entered = Entered {
            receipt: entry.receipt.clone(),
            entered_at: entry.entered_at,
            pass,
        };
        let written = match s.intake.write(entry).await {
            Ok(w) => w,
            Err(WriteError::Busy) => return Err(EntryError::Busy.into()),
            Err(WriteError::Store(e)) => return Err(e.into()),
        };
        match written {
            Inserted::Written => {
                tracing::info!("entry written");
                if mechanic.is_some() {
                    // The page tells how many first-come passes are left.
                    s.memo.public_page_changed(event_id);
                }
                return Ok(entered);
            }
            Inserted::SoldOut => {
                s.memo.public_page_changed(event_id);
                return Err(EntryError::SoldOut.into());
            }
            Inserted::Collided => {}
        }
        let existing = (s.store)
            .entry_conflicts(event_id, &joining.phone_tag, form.key())
            .await?;
        if let Some(answer) = already_there(&existing, &joining.phone_tag, form.key()) {
            return answer.map(|e| Entered {
                pass: (mechanic.is_some())
                    .then(|| passes::code_of(s, &joining.key, event_id, &e.receipt).ok())
                    .flatten(),
                ..e
            });
        }
        // Nothing collided: the event stopped taking entries (this says so), or (once in 2^50)
        // the receipt did and the next round draws another.
        open_gate(s, event_id, true).await?;
    }
    Err(AppError::Internal(anyhow::anyhow!(
        "entry not written after three receipts"
    )))
}

/// What every attempt of an entry shares, and the referral it joins through (never the
/// phone's own invite).
async fn joining<'a>(
    s: &Services,
    gate: &'a EntryGate,
    form: &EntryForm,
) -> Result<Joining<'a>, AppError> {
    let event = gate.event_id;
    let key = match &gate.tag_key_id {
        Some(k) => k.clone(),
        None => seeds::ensure(s, event).await?.tag_key_id,
    };
    let tags = personal::tags(s, &key, event, gate.owner, &form.phone)?;
    let mechanic = gate.mechanic.as_ref().filter(|m| m.gives_pass());
    let referral = match mechanic {
        Some(m) => passes::referral(s, event, m, form.invite.as_ref(), &tags.event).await?,
        None => None,
    };
    Ok(Joining {
        event,
        key,
        phone_tag: tags.event,
        owner_tag: tags.owner,
        mechanic,
        referral,
    })
}

/// The event's gate if it takes entries now, else why not.
async fn open_gate(s: &Services, event_id: EventId, fresh: bool) -> Result<EntryGate, AppError> {
    let gate = if fresh {
        s.intake.fresh_gate(&*s.store, event_id).await?
    } else {
        s.intake.gate(&*s.store, event_id).await?
    };
    let gate = gate.ok_or(AppError::NotFound(Missing::Event))?;
    let now = s.clock.now();
    let today = seoul_date(now);
    match EntryWindow::at(gate.status, gate.start, gate.end, today) {
        None => Err(AppError::NotFound(Missing::Event)),
        Some(EntryWindow::Open) => Ok(gate),
        Some(EntryWindow::Closed) => Err(EntryError::Closed.into()),
        Some(EntryWindow::NotYetOpen { opens }) => Err(EntryError::NotYetOpen {
            opens,
            this_year: chrono::Datelike::year(&today),
        }
        .into()),
    }
}

fn new_entry(s: &Services, form: &EntryForm, j: &Joining<'_>) -> Result<NewEntry, AppError> {
    let receipt = Receipt::generate();
    let now = s.clock.now();
    let (name, phone) = personal::seal(s, j.event, &receipt, &form.name, &form.phone);
    let pass = (j.mechanic)
        .map(|m| passes::issue(s, m, &j.key, j.event, &receipt, now, j.referral.as_ref()))
        .transpose()?;
    Ok(NewEntry {
        event_id: j.event,
        leaf: draw::leaf(&j.event.to_string(), receipt.as_str()),
        receipt,
        source: form.source,
        agree_marketing: form.agree_marketing,
        entered_at: now,
        idempotency_key: form.key().map(str::to_owned),
        personal: Personal {
            phone_tag: j.phone_tag.clone(),
            owner_tag: j.owner_tag.clone(),
            tag_key_id: j.key.clone(),
            name,
            phone,
        },
        pass,
    })
}

/// What an entry that was not written ran into: the same request retried (its original
/// answer), the same phone (409), or the key used for another phone (422).
fn already_there(
    existing: &[Existing],
    phone_tag: &str,
    key: Option<&str>,
) -> Option<Result<Entered, AppError>> {
    let same_key = |e: &Existing| key.is_some() && e.idempotency_key.as_deref() == key;
    if let Some(e) = existing
        .iter()
        .find(|e| e.phone_tag.as_deref() == Some(phone_tag))
    {
        return Some(if same_key(e) {
            Ok(Entered {
                receipt: e.receipt.clone(),
                entered_at: e.entered_at,
                pass: None,
            })
        } else {
            Err(EntryError::AlreadyEntered.into())
        });
    }
    existing
        .iter()
        .any(same_key)
        .then(|| Err(EntryError::IdempotencyKeyReused.into()))
}

/// The `ParticipantRegistered` messages for entries just written: one per event, with counts
/// only (no personal data travels).
pub fn announce(entries: &[&NewEntry]) -> Vec<OutboxMessage> {
    let mut by_event: BTreeMap<EventId, Vec<&NewEntry>> = BTreeMap::new();
    for e in entries {
        by_event.entry(e.event_id).or_default().push(e);
    }
    (by_event.into_iter())
        .map(|(event, list)| {
            let registered = registered(&list);
            let at = registered.last_entered_at;
            OutboxMessage::new(event, Message::ParticipantRegistered(registered), at)
        })
        .collect()
}

/// One event's entries of a batch, counted per source and per source and Seoul hour (so the
/// analytics rollups are exact).
fn registered(list: &[&NewEntry]) -> ParticipantRegistered {
    let mut by_source: BTreeMap<String, i64> = BTreeMap::new();
    let mut buckets: BTreeMap<(&str, DateTime<Utc>), [i64; 3]> = BTreeMap::new();
    for e in list {
        let source = analytics::source_code(e.source);
        *by_source.entry(source.to_owned()).or_default() += 1;
        let b = (buckets.entry((source, analytics::seoul_hour(e.entered_at)))).or_default();
        let pass = e.pass.as_ref();
        b[0] += 1;
        b[1] += i64::from(pass.is_some_and(|p| p.referred_by.is_some()));
        b[2] += i64::from(pass.is_some_and(|p| p.credit_inviter));
    }
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    ParticipantRegistered {
        count: count(list.len()),
        by_source,
        buckets: (buckets.into_iter())
            .map(|((source, hour), [count, invited, credited])| Bucket {
                source: source.to_owned(),
                hour,
                count,
                invited,
                credited,
            })
            .collect(),
        marketing_consents: count(list.iter().filter(|e| e.agree_marketing).count()),
        first_entered_at: list.iter().map(|e| e.entered_at).min(),
        last_entered_at: (list.iter().map(|e| e.entered_at).max()).unwrap_or_else(Utc::now),
    }
}
