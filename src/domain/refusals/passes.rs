//! Passes at the counter and their reviews: the refusals, in words a clerk can say to a
//! customer.

use chrono::{DateTime, Datelike, FixedOffset, Timelike, Utc};

use super::{Kind, Problem};
use crate::domain::calendar::seoul;
use crate::domain::korean;
use crate::domain::pass::Act;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PassError {
    #[error("no such pass")]
    NotFound,
    #[error("another shop's pass")]
    ForeignShop,
    #[error("used already")]
    AlreadyUsed,
    #[error("expired")]
    Expired { last_day: String },
    #[error("outside the time sale's window")]
    OutsideWindow { window: String },
    #[error("stamped too recently")]
    TooSoon { next: DateTime<Utc> },
    #[error("the card is full")]
    CardFull,
    #[error("the stamp goal is not reached")]
    GoalNotReached { stamps: u32, goal: u32 },
    #[error("the review is not approved")]
    ReviewNotApproved,
    #[error("no friend credited yet")]
    NoFriendYet,
    #[error("nothing to use on this pass")]
    NothingToUse,
    #[error("a draw entry, not a pass")]
    DrawEntry,
    #[error("this act is not one of this pass's")]
    NotThisPass { act: Act },
    #[error("too late to undo")]
    UndoTooLate { minutes: i64 },
    #[error("nothing to undo")]
    NothingToUndo,
    #[error("the inviter has used the reward this act unlocked")]
    UndoUnlocked,
    #[error("changed meanwhile")]
    Changed,
    #[error("not a photo review promotion, or reviewed already")]
    ReviewClosed,
    #[error("no counter PIN set")]
    NoPin,
    #[error("too many wrong PINs")]
    TooManyGuesses { retry_after_secs: i64 },
    #[error("wrong PIN")]
    WrongPin,
}

impl PassError {
    pub fn problem(&self) -> Problem {
        let (kind, code, message) = self.at_the_counter().unwrap_or_else(|| self.otherwise());
        let retry_after = match self {
            PassError::TooManyGuesses { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        };
        Problem {
            retry_after,
            ..Problem::new(kind, code, message)
        }
    }

    /// What a clerk reads when an act is refused.
    fn at_the_counter(&self) -> Option<(Kind, &'static str, String)> {
        use Kind::*;
        Some(match self {
            PassError::NotFound => (
                NotFound,
                "PASS_001",
                "쿠폰을 찾을 수 없습니다. 쿠폰 번호나 QR 코드를 다시 확인해 주세요.".to_owned(),
            ),
            PassError::ForeignShop => (
                NotFound,
                "PASS_002",
                "우리 매장의 쿠폰이 아닙니다.".to_owned(),
            ),
            PassError::AlreadyUsed => (
                Conflict,
                "PASS_003",
                "이미 사용됨: 이 쿠폰은 더 쓸 수 없습니다.".to_owned(),
            ),
            PassError::Expired { last_day } => (
                Conflict,
                "PASS_004",
                format!("사용 기한({last_day})이 지난 쿠폰입니다."),
            ),
            PassError::OutsideWindow { window } => (
                Conflict,
                "PASS_005",
                format!("지금은 쓸 수 없는 시간입니다. {window}에만 쓸 수 있습니다."),
            ),
            PassError::TooSoon { next } => (
                Conflict,
                "PASS_006",
                format!(
                    "스탬프는 방문마다 한 번만 찍을 수 있습니다. {} 이후에 다시 찍어 주세요.",
                    moment(next.with_timezone(&seoul()))
                ),
            ),
            PassError::CardFull => (
                Conflict,
                "PASS_007",
                "스탬프를 다 모았습니다. 보상을 드려 주세요.".to_owned(),
            ),
            PassError::GoalNotReached { stamps, goal } => (
                Conflict,
                "PASS_008",
                format!("아직 스탬프가 모자랍니다({stamps}/{goal})."),
            ),
            PassError::ReviewNotApproved => (
                Conflict,
                "PASS_009",
                "후기를 아직 승인하지 않았습니다. 승인한 뒤에 보상을 드릴 수 있습니다.".to_owned(),
            ),
            PassError::NoFriendYet => (
                Conflict,
                "PASS_010",
                "아직 보상을 받을 친구 초대가 없습니다.".to_owned(),
            ),
            _ => return None,
        })
    }

    fn otherwise(&self) -> (Kind, &'static str, String) {
        use Kind::*;
        match self {
            PassError::NothingToUse => (
                Conflict,
                "PASS_011",
                "초대받아 참여한 분의 쿠폰이 아닙니다. 친구를 초대하면 보상을 받을 수 있습니다."
                    .to_owned(),
            ),
            PassError::DrawEntry => (
                Conflict,
                "PASS_012",
                "추첨 이벤트 응모권입니다. 매장에서 쓰는 쿠폰이 아닙니다.".to_owned(),
            ),
            PassError::NotThisPass { act } => (
                Conflict,
                "PASS_013",
                format!(
                    "이 쿠폰에서는 {} 할 수 없습니다.",
                    korean::with(&format!("'{}'", act.label()), korean::Particle::Eul)
                ),
            ),
            PassError::UndoTooLate { minutes } => (
                Conflict,
                "PASS_014",
                format!("처리한 지 {minutes}분이 지나 되돌릴 수 없습니다."),
            ),
            PassError::NothingToUndo => {
                (Conflict, "PASS_015", "되돌릴 처리가 없습니다.".to_owned())
            }
            PassError::UndoUnlocked => (
                Conflict,
                "PASS_016",
                "이 사용으로 초대한 분이 이미 보상을 받아 되돌릴 수 없습니다.".to_owned(),
            ),
            PassError::Changed => (
                Conflict,
                "PASS_017",
                "다른 기기에서 방금 처리했습니다. 화면을 새로 고쳐 확인해 주세요.".to_owned(),
            ),
            PassError::ReviewClosed => (
                Conflict,
                "PASS_018",
                "지금은 후기를 남기거나 바꿀 수 없습니다.".to_owned(),
            ),
            _ => self.of_the_pin(),
        }
    }

    /// The counter PIN's refusals.
    fn of_the_pin(&self) -> (Kind, &'static str, String) {
        use Kind::*;
        match self {
            PassError::NoPin => (
                Unprocessable,
                "PASS_019",
                "매장 PIN이 아직 없습니다. 사장님이 내 정보에서 카운터 PIN을 정해 주세요."
                    .to_owned(),
            ),
            PassError::WrongPin => (
                Unauthenticated,
                "PASS_020",
                "PIN이 맞지 않습니다.".to_owned(),
            ),
            PassError::TooManyGuesses { retry_after_secs } => (
                TooManyRequests,
                "PASS_021",
                format!(
                    "PIN을 여러 번 틀려 잠시 막아 두었습니다. {}분 후에 다시 넣어 주세요.",
                    (retry_after_secs + 59) / 60
                ),
            ),
            _ => (Internal, "PASS_000", String::new()),
        }
    }
}

/// "12월 7일 15시", "12월 7일 15시 30분": a moment as it is said, without zero padding.
fn moment(at: DateTime<FixedOffset>) -> String {
    let hour = format!("{}월 {}일 {}시", at.month(), at.day(), at.hour());
    match at.minute() {
        0 => hour,
        m => format!("{hour} {m}분"),
    }
}
