//! Jobs: the refusals (costly work is bounded).

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{Kind, Problem};
use crate::domain::job::JobType;

/// Costly work is bounded: one running job of a type per event, and a daily number per owner.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    #[error("a job of this type is running for the event")]
    AlreadyRunning(JobType),
    #[error("the owner's daily quota is used up")]
    DailyQuota {
        job_type: JobType,
        limit: u32,
        resets_at: DateTime<Utc>,
        retry_after: i64,
    },
}

impl JobError {
    pub fn problem(&self) -> Problem {
        match self {
            JobError::AlreadyRunning(t) => Problem::new(
                Kind::Conflict,
                "JOB_002",
                format!("이 이벤트의 {} 작업이 아직 진행 중입니다. 끝난 뒤에 다시 요청해 주세요.", t.label()),
            ),
            JobError::DailyQuota { job_type, limit, resets_at, retry_after } => Problem {
                retry_after: Some(*retry_after),
                ..Problem::new(
                    Kind::TooManyRequests,
                    "JOB_003",
                    format!(
                        "오늘 요청할 수 있는 {} 작업 {limit}회를 모두 썼습니다. 내일 0시(한국 시간)에 다시 요청할 수 있습니다.",
                        job_type.label()
                    ),
                )
                .with_details(json!({ "limit": limit, "resetsAt": resets_at }))
            },
        }
    }
}
