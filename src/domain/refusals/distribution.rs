//! Distribution: the refusals.

use super::{Kind, Problem};
use crate::domain::Channel;
use crate::domain::korean::{Particle, with};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DistributionError {
    #[error("not published")]
    NotPublished,
    #[error("nothing to retry")]
    NothingToRetry,
    #[error("the post is not waiting for a confirmation")]
    NotUnknown(Channel),
    #[error("the channel is not one of the event's")]
    NotDistributedTo(Channel),
}

impl DistributionError {
    pub fn problem(&self) -> Problem {
        match self {
            DistributionError::NotPublished => Problem::new(
                Kind::NotFound,
                "DIST_001",
                "아직 배포되지 않은 이벤트입니다.",
            ),
            DistributionError::NothingToRetry => Problem::new(
                Kind::Conflict,
                "DIST_002",
                "다시 시도할 채널이 없습니다. 게시 완료, 확인 필요, 진행 중인 채널은 재시도하지 않습니다.",
            ),
            DistributionError::NotUnknown(c) => Problem::new(
                Kind::Conflict,
                "DIST_003",
                format!(
                    "{} 확인이 필요한 상태가 아닙니다.",
                    with(c.label(), Particle::Eun)
                ),
            ),
            DistributionError::NotDistributedTo(c) => Problem::new(
                Kind::NotFound,
                "DIST_004",
                format!("이 이벤트는 {}에 배포되지 않았습니다.", c.label()),
            ),
        }
    }
}
