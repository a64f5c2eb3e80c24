//! Customers taking part: the public event page, the entry (validated, sealed, tagged, written
//! by group commit in `intake`), the owner's masked participant list, and the destruction of
//! personal data on time (`purge`).

pub mod intake;

use intake::WriteError;
mod page;
mod participants;
mod purge;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::json;
use tracing::instrument;

use super::{AppError, Kind, Missing, Problem, Services, draws};
use crate::domain::analytics;
use crate::domain::calendar::seoul_date;
use crate::domain::draw;
use crate::domain::entrant::{EntrantName, MobilePhone, Receipt};
use crate::domain::entry::{EntrySource, EntryWindow};
use crate::domain::korean::spoken_date;
use crate::domain::{EventId, MessageType, OutboxMessage};
use crate::ports::{EntryGate, Existing, NewEntry, Personal};

pub use page::{PublicEvent, poster_png, public_event};
pub(crate) use participants::open;
pub use participants::{Participant, all_participants, participants};
pub use purge::purge;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error("entries not open yet")]
    NotYetOpen {
        opens: chrono::NaiveDate,
        this_year: i32,
    },
    #[error("entries closed")]
    Closed,
    #[error("already entered")]
    AlreadyEntered,
    #[error("privacy consent missing")]
    PrivacyConsentRequired,
    #[error("age not confirmed")]
    AgeConfirmationRequired,
    #[error("idempotency key reused for another entry")]
    IdempotencyKeyReused,
    #[error("too many entries at once")]
    Busy,
}

impl EntryError {
    pub fn problem(&self) -> Problem {
        let (kind, code, message) = match self {
            EntryError::NotYetOpen { opens, this_year } => (
                Kind::Conflict,
                "ENTRY_001",
                format!(
                    "아직 응모 기간이 아닙니다. {}부터 참여할 수 있습니다.",
                    spoken_date(*opens, *this_year)
                ),
            ),
            EntryError::Closed => (
                Kind::Conflict,
                "ENTRY_002",
                "응모가 마감된 이벤트입니다.".to_owned(),
            ),
            EntryError::AlreadyEntered => (
                Kind::Conflict,
                "ENTRY_003",
                "이미 참여하셨습니다. 휴대전화 번호 하나로 한 번만 응모할 수 있습니다.".to_owned(),
            ),
            EntryError::PrivacyConsentRequired => (
                Kind::Unprocessable,
                "ENTRY_004",
                "개인정보 수집·이용에 동의해야 응모할 수 있습니다.".to_owned(),
            ),
            EntryError::AgeConfirmationRequired => (
                Kind::Unprocessable,
                "ENTRY_005",
                "만 14세 이상만 응모할 수 있습니다.".to_owned(),
            ),
            EntryError::IdempotencyKeyReused => (
                Kind::Unprocessable,
                "ENTRY_006",
                "같은 Idempotency-Key로 다른 응모를 보낼 수 없습니다. 새 키로 보내 주세요."
                    .to_owned(),
            ),
            EntryError::Busy => (
                Kind::Unavailable,
                "ENTRY_007",
                "지금 응모가 몰리고 있습니다. 잠시 후 다시 시도해 주세요.".to_owned(),
            ),
        };
        let retry_after = (*self == EntryError::Busy).then_some(1);
        Problem {
            retry_after,
            ..Problem::new(kind, code, message)
        }
    }
}

/// What a customer sends to enter, already parsed.
#[derive(Debug, Clone)]
pub struct EntryForm {
    pub name: EntrantName,
    pub phone: MobilePhone,
    pub agree_privacy: bool,
    pub age_over_14: bool,
    pub agree_marketing: bool,
    pub source: Option<EntrySource>,
    pub idempotency_key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entered {
    pub receipt: Receipt,
    pub entered_at: DateTime<Utc>,
}

/// The associated data that binds a sealed value to its entry.
pub(crate) fn aad(what: &str, event: EventId, receipt: &Receipt) -> Vec<u8> {
    format!("{what}|{event}|{receipt}").into_bytes()
}

/// Enters `form` into the event: 201's `Entered`, the original one for a retried idempotency
/// key, or why not.
#[instrument(skip_all, fields(event_id = %event_id))]
pub async fn enter(s: &Services, event_id: EventId, form: EntryForm) -> Result<Entered, AppError> {
    if !form.agree_privacy {
        return Err(EntryError::PrivacyConsentRequired.into());
    }
    if !form.age_over_14 {
        return Err(EntryError::AgeConfirmationRequired.into());
    }
    let gate = open_gate(s, event_id, false).await?;
    let tag_key = match &gate.tag_key_id {
        Some(k) => k.clone(),
        None => draws::ensure_seed(s, event_id).await?.tag_key_id,
    };
    let e164 = form.phone.e164();
    let phone_tag = s
        .tags
        .tag(&tag_key, format!("phone|{event_id}|{e164}").as_bytes())?;
    let owner_tag = s
        .tags
        .tag(&tag_key, format!("owner|{}|{e164}", gate.owner).as_bytes())?;
    for _ in 0..3 {
        let entry = new_entry(s, &form, event_id, &tag_key, &phone_tag, &owner_tag);
        let entered = Entered {
            receipt: entry.receipt.clone(),
            entered_at: entry.entered_at,
        };
        let written = match s.intake.write(entry).await {
            Ok(w) => w,
            Err(WriteError::Busy) => return Err(EntryError::Busy.into()),
            Err(WriteError::Store(e)) => return Err(e.into()),
        };
        if written {
            tracing::info!("entry written");
            return Ok(entered);
        }
        let existing = (s.store)
            .entry_conflicts(event_id, &phone_tag, form.idempotency_key.as_deref())
            .await?;
        if let Some(answer) = already_there(&existing, &phone_tag, form.idempotency_key.as_deref())
        {
            return answer;
        }
        // Nothing collided: the event stopped taking entries (this says so), or (once in 2^50)
        // the receipt did and the next round draws another.
        open_gate(s, event_id, true).await?;
    }
    Err(AppError::Internal(anyhow::anyhow!(
        "entry not written after three receipts"
    )))
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

fn new_entry(
    s: &Services,
    form: &EntryForm,
    event_id: EventId,
    tag_key: &str,
    phone_tag: &str,
    owner_tag: &str,
) -> NewEntry {
    let receipt = Receipt::generate();
    let name = s.personal.seal(
        form.name.as_str().as_bytes(),
        &aad("entry-name", event_id, &receipt),
    );
    let phone = s.personal.seal(
        form.phone.e164().as_bytes(),
        &aad("entry-phone", event_id, &receipt),
    );
    NewEntry {
        event_id,
        leaf: draw::leaf(&event_id.to_string(), receipt.as_str()),
        receipt,
        source: form.source,
        agree_marketing: form.agree_marketing,
        entered_at: s.clock.now(),
        idempotency_key: form.idempotency_key.clone(),
        personal: Personal {
            phone_tag: phone_tag.to_owned(),
            owner_tag: owner_tag.to_owned(),
            tag_key_id: tag_key.to_owned(),
            name,
            phone,
        },
    }
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
    by_event
        .into_iter()
        .map(|(event, list)| {
            let mut by_source: BTreeMap<&str, u32> = BTreeMap::new();
            let mut buckets: BTreeMap<(&str, DateTime<Utc>), u32> = BTreeMap::new();
            for e in &list {
                let source = analytics::source_code(e.source);
                *by_source.entry(source).or_default() += 1;
                *buckets
                    .entry((source, analytics::seoul_hour(e.entered_at)))
                    .or_default() += 1;
            }
            let buckets: Vec<_> = (buckets.into_iter())
                .map(|((source, hour), count)| json!({"source": source, "hour": hour, "count": count}))
                .collect();
            let first = list.iter().map(|e| e.entered_at).min();
            let last = list
                .iter()
                .map(|e| e.entered_at)
                .max()
                .unwrap_or_else(Utc::now);
            let data = json!({
                "count": list.len(),
                "bySource": by_source,
                // Per source and Seoul hour: the analytics rollups are exact.
                "buckets": buckets,
                "marketingConsents": list.iter().filter(|e| e.agree_marketing).count(),
                "firstEnteredAt": first,
                "lastEnteredAt": last,
            });
            OutboxMessage::new(MessageType::ParticipantRegistered, event, data, last)
        })
        .collect()
}
