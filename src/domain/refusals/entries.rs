//! Entries: the refusals.

use super::{Kind, Problem};
use crate::domain::korean::spoken_date;

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
    #[error("the first-come passes are gone")]
    SoldOut,
    #[error("invited by one's own pass")]
    SelfReferral,
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
                "이 이벤트에 적힌 나이 조건(만 14세 이상, 주류를 파는 가게는 만 19세 이상)을 확인해야 참여할 수 있습니다.".to_owned(),
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
            EntryError::SoldOut => (
                Kind::Conflict,
                "ENTRY_008",
                "선착순 수량이 모두 나갔습니다. 다음 이벤트에 참여해 주세요.".to_owned(),
            ),
            EntryError::SelfReferral => (
                Kind::Unprocessable,
                "ENTRY_009",
                "내 초대 링크로는 내 번호를 초대할 수 없습니다. 친구에게 링크를 보내 주세요."
                    .to_owned(),
            ),
        };
        let retry_after = (*self == EntryError::Busy).then_some(1);
        Problem {
            retry_after,
            ..Problem::new(kind, code, message)
        }
    }
}
