//! The analytics' refusals.

use super::{Kind, Problem};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AnalyticsError {
    #[error("the event is not published")]
    NotPublished,
}

impl AnalyticsError {
    pub fn problem(&self) -> Problem {
        match self {
            AnalyticsError::NotPublished => Problem::new(
                Kind::Conflict,
                "ANALYTICS_001",
                "아직 게시하지 않은 이벤트입니다. 게시하면 채널별 링크와 성과가 만들어집니다.",
            ),
        }
    }
}
