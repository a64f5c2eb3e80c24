//! Background jobs (DESIGN.md §4): `PENDING → PROCESSING → COMPLETED | FAILED`, progress 0..=100.

use chrono::{DateTime, Utc};

use super::ids::{EventId, JobId, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobType {
    AiRecommendation,
    ImageGeneration,
}

impl JobType {
    pub fn code(self) -> &'static str {
        match self {
            JobType::AiRecommendation => "AI_RECOMMENDATION",
            JobType::ImageGeneration => "IMAGE_GENERATION",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        [JobType::AiRecommendation, JobType::ImageGeneration]
            .into_iter()
            .find(|t| t.code() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobStatus {
    Pending,
    Processing,
    Completed,
    Failed,
}

impl JobStatus {
    pub fn code(self) -> &'static str {
        match self {
            JobStatus::Pending => "PENDING",
            JobStatus::Processing => "PROCESSING",
            JobStatus::Completed => "COMPLETED",
            JobStatus::Failed => "FAILED",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        [
            JobStatus::Pending,
            JobStatus::Processing,
            JobStatus::Completed,
            JobStatus::Failed,
        ]
        .into_iter()
        .find(|t| t.code() == s)
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
    pub job_type: JobType,
    pub status: JobStatus,
    pub progress: u8,
    /// How many times the job's message has been delivered to a worker.
    pub deliveries: u32,
    pub request: serde_json::Value,
    pub result_key: Option<String>,
    /// Korean, for the owner: what went wrong and what to do.
    pub error_message: Option<String>,
    /// Korean, for the owner: how the result was made (e.g. a fallback was used).
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl Job {
    pub fn new(
        owner: UserId,
        event_id: EventId,
        job_type: JobType,
        request: serde_json::Value,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            id: JobId::new(),
            owner,
            event_id,
            job_type,
            status: JobStatus::Pending,
            progress: 0,
            deliveries: 0,
            request,
            result_key: None,
            error_message: None,
            note: None,
            created_at: now,
            updated_at: now,
            finished_at: None,
        }
    }
}
