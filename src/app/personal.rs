//! Customers' personal data: their name and phone sealed at rest (bound to their entry), the
//! keyed tags that find one phone again without keeping it (one entry per phone per event; an
//! earlier winner of the same shop), and opening them again where the law allows (the owner's
//! masked lists, winners' contact data).

use super::{AppError, Services};
use crate::domain::entrant::{EntrantName, MobilePhone, Receipt};
use crate::domain::{EventId, UserId};
use crate::ports::{Sealed, StoredEntry};

/// The associated data that binds a sealed value to its entry.
fn aad(what: &str, event: EventId, receipt: &Receipt) -> Vec<u8> {
    format!("{what}|{event}|{receipt}").into_bytes()
}

/// A customer's name and phone, sealed for the entry `receipt` of `event`.
pub fn seal(
    s: &Services,
    event: EventId,
    receipt: &Receipt,
    name: &EntrantName,
    phone: &MobilePhone,
) -> (Sealed, Sealed) {
    let name = (s.personal).seal(name.as_str().as_bytes(), &aad("entry-name", event, receipt));
    let phone = (s.personal).seal(phone.e164().as_bytes(), &aad("entry-phone", event, receipt));
    (name, phone)
}

/// A phone's tags under the event's key: one per event (one entry per phone) and one per
/// owner (an earlier winner of the same shop).
pub struct PhoneTags {
    pub event: String,
    pub owner: String,
}

pub fn tags(
    s: &Services,
    key: &str,
    event: EventId,
    owner: UserId,
    phone: &MobilePhone,
) -> Result<PhoneTags, AppError> {
    let e164 = phone.e164();
    Ok(PhoneTags {
        event: s
            .tags
            .tag(key, format!("phone|{event}|{e164}").as_bytes())?,
        owner: s
            .tags
            .tag(key, format!("owner|{owner}|{e164}").as_bytes())?,
    })
}

/// Opens an entry's name and phone (`None` once destroyed).
pub fn open(s: &Services, e: &StoredEntry) -> Result<Option<(EntrantName, MobilePhone)>, AppError> {
    let Some(p) = &e.personal else {
        return Ok(None);
    };
    let name = (s.personal).open(&p.name, &aad("entry-name", e.event_id, &e.receipt))?;
    let phone = (s.personal).open(&p.phone, &aad("entry-phone", e.event_id, &e.receipt))?;
    let name = String::from_utf8(name).map_err(|_| anyhow::anyhow!("sealed name is not UTF-8"))?;
    let phone = std::str::from_utf8(&phone)
        .ok()
        .and_then(MobilePhone::from_e164)
        .ok_or_else(|| anyhow::anyhow!("sealed phone is not E.164"))?;
    Ok(Some((EntrantName::from_trusted(name), phone)))
}
