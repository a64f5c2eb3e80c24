//! What a customer sends to enter, read once for every door: the API's JSON body and the
//! page's form give the same fields, and get the same problems (the page shows each next to its
//! field, the API answers the first).

use crate::app::AppError;
use crate::domain::entrant::{EntrantName, MobilePhone};
use crate::domain::entry::EntrySource;
use crate::domain::field::IdempotencyKey;
use crate::domain::pass::InviteCode;
use crate::domain::refusals::EntryError;

/// The form as typed.
#[derive(Debug, Clone, Default)]
pub struct EntryFields<'a> {
    pub name: &'a str,
    pub phone: &'a str,
    pub agree_privacy: bool,
    pub age_over_14: bool,
    pub agree_marketing: bool,
    /// The tracked link's source (a channel code or `STORE`).
    pub channel: Option<&'a str>,
    pub idempotency_key: Option<IdempotencyKey>,
    /// The invite code of the link a friend joined through (`?ref=`).
    pub invite: Option<&'a str>,
}

/// An entry that may be made: a valid name and phone, the privacy consent given and the age
/// confirmed (nothing else can be built).
#[derive(Debug, Clone)]
pub struct EntryForm {
    pub name: EntrantName,
    pub phone: MobilePhone,
    pub agree_marketing: bool,
    pub source: Option<EntrySource>,
    idempotency_key: Option<IdempotencyKey>,
    /// A code that is not one is dropped: the friend still joins.
    pub invite: Option<InviteCode>,
}

impl EntryForm {
    /// The form, or every problem with it in the order the form reads: name, phone, channel,
    /// then the consents.
    pub fn parse(f: EntryFields<'_>) -> Result<Self, Vec<AppError>> {
        let mut problems: Vec<AppError> = Vec::new();
        let name = EntrantName::parse(f.name).map_err(|e| problems.push(e.into()));
        let phone = MobilePhone::parse(f.phone).map_err(|e| problems.push(e.into()));
        let source =
            (f.channel.map(EntrySource::parse).transpose()).map_err(|e| problems.push(e.into()));
        if !f.agree_privacy {
            problems.push(EntryError::PrivacyConsentRequired.into());
        }
        if !f.age_over_14 {
            problems.push(EntryError::AgeConfirmationRequired.into());
        }
        match (name, phone, source) {
            (Ok(name), Ok(phone), Ok(source)) if problems.is_empty() => Ok(Self {
                name,
                phone,
                agree_marketing: f.agree_marketing,
                source,
                idempotency_key: f.idempotency_key,
                invite: f.invite.and_then(InviteCode::parse),
            }),
            _ => Err(problems),
        }
    }

    pub fn key(&self) -> Option<&str> {
        self.idempotency_key.as_ref().map(IdempotencyKey::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_is_named_in_the_forms_order() {
        let all_wrong = EntryFields {
            name: "",
            phone: "011-1234-5678",
            channel: Some("TIKTOK"),
            ..EntryFields::default()
        };
        let problems = EntryForm::parse(all_wrong).err().unwrap_or_default();
        let codes: Vec<&str> = problems.iter().map(|p| p.problem().code).collect();
        assert_eq!(
            codes,
            ["REQ_002", "REQ_002", "REQ_002", "ENTRY_004", "ENTRY_005"]
        );
        let right = EntryFields {
            name: "홍길동",
            phone: "010-2345-6789",
            agree_privacy: true,
            age_over_14: true,
            ..EntryFields::default()
        };
        assert!(EntryForm::parse(right).is_ok());
    }
}
