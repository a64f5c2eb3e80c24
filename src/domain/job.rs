//! Background jobs: `PENDING → PROCESSING → COMPLETED | FAILED`, progress 0..=100. What a job
//! was asked to do is a typed `JobRequest`; what the owner reads when it fails or was made
//! another way is a `JobFailure` or a `JobNote`, each with its Korean sentence next to it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::channel::Channel;
use super::ids::{EventId, JobId, UserId};
use super::messages::{JobRequested, Message};
use super::poster::PosterStyle;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum JobType {
    AiRecommendation,
    ImageGeneration,
}

impl JobType {
    pub const ALL: [JobType; 2] = [JobType::AiRecommendation, JobType::ImageGeneration];

    pub fn code(self) -> &'static str {
        match self {
            JobType::AiRecommendation => "AI_RECOMMENDATION",
            JobType::ImageGeneration => "IMAGE_GENERATION",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == s)
    }

    /// What the owner calls it.
    pub fn label(self) -> &'static str {
        match self {
            JobType::AiRecommendation => "AI 기획안",
            JobType::ImageGeneration => "포스터",
        }
    }

    /// The message that runs a job of this type.
    pub fn message(self, job_id: JobId) -> Message {
        let job = JobRequested { job_id };
        match self {
            JobType::AiRecommendation => Message::AiRecommendationRequested(job),
            JobType::ImageGeneration => Message::ImageGenerationRequested(job),
        }
    }
}

/// Jobs of each type one owner may start per day (Asia/Seoul).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyQuota {
    pub recommendations: u32,
    pub images: u32,
}

impl DailyQuota {
    pub fn of(self, t: JobType) -> u32 {
        match t {
            JobType::AiRecommendation => self.recommendations,
            JobType::ImageGeneration => self.images,
        }
    }
}

/// What a job was asked to do. Stored as JSON next to the job type (`{}` for plans,
/// `{"platforms":[…],"styles":[…]}` for images).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobRequest {
    AiRecommendation,
    ImageGeneration(ImageRequest),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageRequest {
    pub platforms: Vec<Channel>,
    pub styles: Vec<PosterStyle>,
}

impl JobRequest {
    pub fn job_type(&self) -> JobType {
        match self {
            JobRequest::AiRecommendation => JobType::AiRecommendation,
            JobRequest::ImageGeneration(_) => JobType::ImageGeneration,
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        match self {
            JobRequest::AiRecommendation => serde_json::json!({}),
            JobRequest::ImageGeneration(r) => serde_json::json!(r),
        }
    }

    /// Reads a stored request back; `None` when it does not fit its type.
    pub fn from_json(job_type: JobType, value: serde_json::Value) -> Option<Self> {
        match job_type {
            JobType::AiRecommendation => Some(JobRequest::AiRecommendation),
            JobType::ImageGeneration => serde_json::from_value(value)
                .ok()
                .map(JobRequest::ImageGeneration),
        }
    }
}

/// Why a job failed, as the owner reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobFailure {
    /// The event was deleted before the job ran.
    EventDeleted,
    /// The event was published (or deleted) before the results could be saved.
    EventNotDraft,
    RecommenderUnavailable,
    ImagesFailed,
    /// Our own failure, on the last delivery.
    Internal,
    /// Every delivery was used up (the message was dead-lettered).
    Exhausted,
    /// Nothing happened for too long (a worker died, a message was lost).
    Stale,
}

impl JobFailure {
    pub fn message(self) -> &'static str {
        match self {
            JobFailure::EventDeleted => "이벤트가 삭제되어 작업을 진행할 수 없습니다.",
            JobFailure::EventNotDraft => {
                "이벤트가 이미 배포되었거나 삭제되어 결과를 저장하지 않았습니다."
            }
            JobFailure::RecommenderUnavailable => {
                "AI 추천 서비스가 응답하지 않아 추천을 만들지 못했습니다. 잠시 후 다시 요청해 주세요."
            }
            JobFailure::ImagesFailed => {
                "이미지를 만들거나 저장하지 못했습니다. 잠시 후 이미지 생성을 다시 요청해 주세요."
            }
            JobFailure::Internal => {
                "일시적인 오류로 작업을 완료하지 못했습니다. 잠시 후 다시 요청해 주세요."
            }
            JobFailure::Exhausted => {
                "작업을 여러 번 시도했지만 완료하지 못했습니다. 잠시 후 다시 요청해 주세요."
            }
            JobFailure::Stale => "작업이 너무 오래 진행되지 않아 중단했습니다. 다시 요청해 주세요.",
        }
    }
}

/// How a completed job's result was made, when not the usual way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobNote {
    /// Azure OpenAI failed or answered badly: the built-in recommender made the plans.
    RecommenderFallback,
    /// The AI background could not be made: the built-in design was used.
    ImageFallback,
    /// A newer job of the same kind completed first: this one's results were not kept.
    Superseded,
}

impl JobNote {
    pub fn message(self) -> &'static str {
        match self {
            JobNote::RecommenderFallback => {
                "AI 서비스가 응답하지 않거나 올바르지 않은 답을 보내 기본 추천 엔진으로 만들었습니다."
            }
            JobNote::ImageFallback => "AI 배경 이미지를 만들지 못해 기본 디자인으로 만들었습니다.",
            JobNote::Superseded => {
                "더 최근에 요청한 결과가 이미 있어 이 결과는 저장하지 않았습니다."
            }
        }
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum JobStatus {
    Pending,
    Processing,
    Completed,
    Failed,
}

impl JobStatus {
    pub const ALL: [JobStatus; 4] = [
        JobStatus::Pending,
        JobStatus::Processing,
        JobStatus::Completed,
        JobStatus::Failed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            JobStatus::Pending => "PENDING",
            JobStatus::Processing => "PROCESSING",
            JobStatus::Completed => "COMPLETED",
            JobStatus::Failed => "FAILED",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == s)
    }

    /// Finished jobs never change again: a redelivered message finds one and does nothing.
    pub fn is_finished(self) -> bool {
        matches!(self, JobStatus::Completed | JobStatus::Failed)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: JobId,
    pub owner: UserId,
    pub event_id: EventId,
    pub request: JobRequest,
    pub status: JobStatus,
    pub progress: u8,
    /// How many times the job's message has been delivered to a worker.
    pub deliveries: u32,
    pub result_key: Option<String>,
    /// Korean, for the owner: what went wrong and what to do (a `JobFailure`'s message).
    pub error_message: Option<String>,
    /// Korean, for the owner: how the result was made (a `JobNote`'s message).
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl Job {
    pub fn new(owner: UserId, event_id: EventId, request: JobRequest, now: DateTime<Utc>) -> Self {
        Self {
            id: JobId::new(),
            owner,
            event_id,
            request,
            status: JobStatus::Pending,
            progress: 0,
            deliveries: 0,
            result_key: None,
            error_message: None,
            note: None,
            created_at: now,
            updated_at: now,
            finished_at: None,
        }
    }

    pub fn job_type(&self) -> JobType {
        self.request.job_type()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_round_trip_through_their_stored_json() {
        let images = JobRequest::ImageGeneration(ImageRequest {
            platforms: vec![Channel::Instagram, Channel::GiniTv],
            styles: vec![PosterStyle::Bold],
        });
        let stored = images.to_json();
        assert_eq!(
            stored,
            serde_json::json!({"platforms": ["INSTAGRAM", "GINITV"], "styles": ["BOLD"]})
        );
        assert_eq!(
            JobRequest::from_json(JobType::ImageGeneration, stored),
            Some(images)
        );
        assert_eq!(
            JobRequest::from_json(JobType::AiRecommendation, serde_json::json!({})),
            Some(JobRequest::AiRecommendation)
        );
        assert_eq!(
            JobRequest::from_json(JobType::ImageGeneration, serde_json::json!({})),
            None
        );
        for t in JobType::ALL {
            assert_eq!(JobType::from_code(t.code()), Some(t));
        }
    }
}
