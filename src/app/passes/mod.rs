//! Customers' passes: made with their entry (`issue`), shown to the customer (`view`), found
//! again by phone and receipt (`find`), used at the counter (`counter`), and reviewed
//! (`reviews`). A pass's code is a keyed hash of its event and receipt under the event's tag
//! key (fixed at publish): the service can show it again, the database alone cannot.

mod counter;
mod reviews;

use chrono::{DateTime, NaiveDate, Utc};
use tracing::instrument;

use super::{AppError, EntryError, Missing, PassError, Services, personal, seeds};
use crate::domain::calendar::seoul_date;
use crate::domain::entrant::{MobilePhone, Receipt};
use crate::domain::mechanic::{Mechanic, Unlock};
use crate::domain::pass::{InviteCode, Pass, PassCode, Standing};
use crate::domain::{Event, EventId, EventStatus};
use crate::ports::NewPass;

pub use counter::{Asked, Counter, act, undo};
pub use reviews::{decide, review_url, reviews, submit_review};

/// `HMAC(event's tag key, what|event|receipt)` as bytes.
fn keyed(
    s: &Services,
    key: &str,
    what: &str,
    event: EventId,
    receipt: &Receipt,
) -> Result<Vec<u8>, AppError> {
    let hex = (s.tags).tag(key, format!("{what}|{event}|{receipt}").as_bytes())?;
    hex::decode(hex).map_err(|e| AppError::Internal(e.into()))
}

pub fn code_of(
    s: &Services,
    key: &str,
    event: EventId,
    receipt: &Receipt,
) -> Result<PassCode, AppError> {
    Ok(PassCode::from_bytes(&keyed(
        s, key, "pass", event, receipt,
    )?))
}

fn invite_of(
    s: &Services,
    key: &str,
    event: EventId,
    receipt: &Receipt,
) -> Result<InviteCode, AppError> {
    Ok(InviteCode::from_bytes(&keyed(
        s, key, "invite", event, receipt,
    )?))
}

/// The pass a join through `invite` counts for: never the joining phone's own.
#[derive(Debug, Clone)]
pub struct Referral {
    inviter: Receipt,
    credit: bool,
}

/// Reads the invite code a friend joined with (`None`: not a referral, or a code that is not
/// this event's — the friend still joins, no one is credited).
pub async fn referral(
    s: &Services,
    event: EventId,
    mechanic: &Mechanic,
    invite: Option<&InviteCode>,
    phone_tag: &str,
) -> Result<Option<Referral>, AppError> {
    let (Mechanic::Referral { unlock, .. }, Some(invite)) = (mechanic, invite) else {
        return Ok(None);
    };
    let Some((inviter, inviter_tag)) = s.store.pass_by_invite(event, invite.as_str()).await? else {
        return Ok(None);
    };
    if inviter_tag.as_deref() == Some(phone_tag) {
        return Err(EntryError::SelfReferral.into());
    }
    Ok(Some(Referral {
        inviter: inviter.receipt,
        credit: *unlock == Unlock::FriendJoined,
    }))
}

/// The pass a new entry gets (its code and invite code made from its receipt).
pub fn issue(
    s: &Services,
    mechanic: &Mechanic,
    key: &str,
    event: EventId,
    receipt: &Receipt,
    now: DateTime<Utc>,
    referral: Option<&Referral>,
) -> Result<NewPass, AppError> {
    let invite = match mechanic {
        Mechanic::Referral { .. } => Some(invite_of(s, key, event, receipt)?.as_str().to_owned()),
        _ => None,
    };
    Ok(NewPass {
        code_hash: code_of(s, key, event, receipt)?.lookup(),
        invite,
        referred_by: referral.map(|r| r.inviter.clone()),
        credit_inviter: referral.is_some_and(|r| r.credit),
        last_day: mechanic.validity().map(|v| v.last_day(seoul_date(now))),
    })
}

/// A pass as its holder (or the counter) sees it.
#[derive(Debug, Clone)]
pub struct PassView {
    pub pass: Pass,
    pub code: PassCode,
    pub event: Event,
    pub mechanic: Mechanic,
    pub standing: Standing,
    /// The pass's own invite link (referrals).
    pub invite_url: Option<String>,
    pub today: NaiveDate,
}

/// The pass of `code`, if it is one.
#[instrument(skip_all)]
pub async fn view(s: &Services, code: &PassCode) -> Result<PassView, AppError> {
    let pass = (s.store.pass_by_code(&code.lookup()).await?).ok_or(PassError::NotFound)?;
    view_of(s, pass, code.clone()).await
}

async fn view_of(s: &Services, pass: Pass, code: PassCode) -> Result<PassView, AppError> {
    let event = (s.store.event_by_id(pass.event_id).await?)
        .filter(|e| e.status != EventStatus::Draft)
        .ok_or(PassError::NotFound)?;
    let mechanic = event.mechanic.clone().ok_or(PassError::NotFound)?;
    let now = s.clock.now();
    let invite_url = match &mechanic {
        Mechanic::Referral { .. } => {
            let key = seeds::ensure(s, event.id).await?.tag_key_id;
            let invite = invite_of(s, &key, event.id, &pass.receipt)?;
            Some(format!(
                "{}/e/{}?ref={}",
                s.public_base_url,
                event.id,
                invite.as_str()
            ))
        }
        _ => None,
    };
    Ok(PassView {
        standing: pass.standing(&mechanic, now),
        pass,
        code,
        event,
        mechanic,
        invite_url,
        today: seoul_date(now),
    })
}

/// The customer's own pass again, from the phone they entered with and their receipt.
#[instrument(skip_all, fields(event_id = %event))]
pub async fn find(
    s: &Services,
    event: EventId,
    phone: &MobilePhone,
    receipt: &Receipt,
) -> Result<PassView, AppError> {
    let found = s
        .store
        .event_by_id(event)
        .await?
        .filter(|e| e.status != EventStatus::Draft);
    let event = found.ok_or(AppError::NotFound(Missing::Event))?;
    let key = seeds::ensure(s, event.id).await?.tag_key_id;
    let tags = personal::tags(s, &key, event.id, event.owner, phone)?;
    let pass = (s
        .store
        .pass_by_phone(event.id, &tags.event, receipt)
        .await?)
        .ok_or(PassError::NotFound)?;
    let code = code_of(s, &key, event.id, &pass.receipt)?;
    view_of(s, pass, code).await
}

/// How many first-come passes are left (`None`: no cap, or no passes).
pub async fn left(s: &Services, event: EventId) -> Result<Option<u32>, AppError> {
    Ok(match s.store.pass_count(event).await? {
        Some((Some(cap), issued)) => Some(cap.saturating_sub(issued)),
        _ => None,
    })
}

/// The URL of a pass's page (the link a customer keeps; also the QR code's, with `/c/`).
pub fn pass_url(s: &Services, code: &PassCode) -> String {
    format!("{}/p/{}", s.public_base_url, code.as_str())
}

/// What the counter opens when it scans the pass's QR code.
pub fn counter_url(s: &Services, code: &PassCode) -> String {
    format!("{}/c/{}", s.public_base_url, code.as_str())
}
