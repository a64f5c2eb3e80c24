//! What may happen to an event in which state: `DRAFT → PUBLISHED → ENDED`. The whole rule set
//! is `EventStatus::allows`; `Event`'s methods ask it before they change anything.

use super::event::EventPeriod;
use super::field::{FieldError, FieldProblem};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EventStatus {
    Draft,
    Published,
    Ended,
}

/// Everything an owner (or the system) can do to an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventAction {
    Edit,
    SetChannels,
    Delete,
    Recommend,
    SelectRecommendation,
    GenerateImages,
    SelectImage,
    Publish,
    RetryDistribution,
    Enter,
    End,
    Draw,
}

impl EventStatus {
    pub fn code(self) -> &'static str {
        match self {
            EventStatus::Draft => "DRAFT",
            EventStatus::Published => "PUBLISHED",
            EventStatus::Ended => "ENDED",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EventStatus::Draft => "작성 중",
            EventStatus::Published => "진행 중",
            EventStatus::Ended => "종료",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw.trim().to_ascii_uppercase().as_str() {
            "DRAFT" => Ok(EventStatus::Draft),
            "PUBLISHED" => Ok(EventStatus::Published),
            "ENDED" => Ok(EventStatus::Ended),
            _ => Err(FieldError::new(
                "status",
                FieldProblem::UnknownValue {
                    allowed: "DRAFT, PUBLISHED, ENDED",
                },
            )),
        }
    }

    /// The complete rule set: the states in which each action is allowed. Exhaustive over the
    /// actions: a new action will not compile until someone decides where it may happen.
    pub fn allowing(action: EventAction) -> &'static [EventStatus] {
        use EventAction as A;
        match action {
            A::Edit
            | A::SetChannels
            | A::Delete
            | A::Recommend
            | A::SelectRecommendation
            | A::GenerateImages
            | A::SelectImage
            | A::Publish => &[EventStatus::Draft],
            A::RetryDistribution | A::Enter | A::End => &[EventStatus::Published],
            A::Draw => &[EventStatus::Ended],
        }
    }

    pub fn allows(self, action: EventAction) -> bool {
        Self::allowing(action).contains(&self)
    }

    pub fn check(self, action: EventAction) -> Result<(), EventError> {
        if self.allows(action) {
            Ok(())
        } else {
            Err(EventError::NotAllowed {
                status: self,
                action,
            })
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventError {
    NotAllowed {
        status: EventStatus,
        action: EventAction,
    },
    EndBeforeStart,
    PeriodTooLong,
    NotReadyToPublish {
        missing: Vec<&'static str>,
    },
}

impl EventError {
    pub fn message(&self) -> String {
        match self {
            EventError::NotAllowed { status, action } => {
                let what = match action {
                    EventAction::Edit => "수정할",
                    EventAction::SetChannels => "채널을 변경할",
                    EventAction::Delete => "삭제할",
                    EventAction::Recommend => "AI 추천을 요청할",
                    EventAction::SelectRecommendation => "추천안을 선택할",
                    EventAction::GenerateImages => "이미지를 생성할",
                    EventAction::SelectImage => "이미지를 선택할",
                    EventAction::Publish => "배포할",
                    EventAction::RetryDistribution => "배포를 재시도할",
                    EventAction::Enter => "응모할",
                    EventAction::End => "종료할",
                    EventAction::Draw => "당첨자를 추첨할",
                };
                format!("'{}' 상태의 이벤트는 {what} 수 없습니다.", status.label())
            }
            EventError::EndBeforeStart => "종료일은 시작일보다 빠를 수 없습니다.".to_owned(),
            EventError::PeriodTooLong => {
                format!("이벤트 기간은 최대 {}일입니다.", EventPeriod::MAX_DAYS)
            }
            EventError::NotReadyToPublish { missing } => {
                format!("배포하려면 다음 항목이 필요합니다: {}", missing.join(", "))
            }
        }
    }
}

impl std::fmt::Display for EventError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for EventError {}
