//! A channel that reviews a post after accepting it (KT's partner reviews every order before it
//! airs): where the review stands, read again until it is final.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The review status of an accepted post. A rejection is not one of them: it makes the post
/// FAILED with the channel's reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Review {
    Received,
    Reviewing,
    Scheduled,
    OnAir,
    Ended,
}

impl Review {
    pub const ALL: [Review; 5] = [
        Review::Received,
        Review::Reviewing,
        Review::Scheduled,
        Review::OnAir,
        Review::Ended,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Review::Received => "RECEIVED",
            Review::Reviewing => "REVIEWING",
            Review::Scheduled => "SCHEDULED",
            Review::OnAir => "ON_AIR",
            Review::Ended => "ENDED",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Passed review: nothing more to read.
    pub fn is_final(self) -> bool {
        matches!(self, Review::Scheduled | Review::OnAir | Review::Ended)
    }

    /// What the owner reads, with what happens next.
    pub fn said(self, label: &str) -> String {
        match self {
            Review::Received | Review::Reviewing => format!(
                "{label}에 주문이 접수되어 심사 중입니다. 심사 결과를 자동으로 확인해 여기에 알려 드립니다."
            ),
            Review::Scheduled => format!("{label} 심사를 통과해 방송이 예약되었습니다."),
            Review::OnAir => format!("{label}에서 방송 중입니다."),
            Review::Ended => format!("{label} 방송이 끝났습니다."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_only_passed_reviews_are_final() {
        for r in Review::ALL {
            assert_eq!(Review::parse(r.code()), Some(r));
        }
        assert!(!Review::Reviewing.is_final() && Review::OnAir.is_final());
    }
}
