//! Distribution: an event's posts to its channels, one state machine per channel, and the
//! overall status derived from them.
//!
//! ```text
//! PENDING ──claim──▶ IN_PROGRESS ──▶ PUBLISHED (external id, URL) · SANDBOX (local)
//!    ▲                    │        ──▶ SCHEDULED (Kakao's night rule: sent at 08:00) ──▶ PENDING
//!    │                    │        ──▶ FAILED (retryable: rate limit, transient; or permanent)
//!    │                    │        ──▶ NEEDS_RECONNECT (token expired or revoked)
//!    │                    └───────▶ UNKNOWN (sent, outcome not known; or the worker died)
//!    └── retry (owner) ◀── FAILED retryable · reconciled "not posted" ◀── UNKNOWN
//! ```
//!
//! UNKNOWN is never retried blindly: it is reconciled by a read where the channel has one, or
//! the owner confirms what they see.

use chrono::{DateTime, Utc};

use super::channel::Channel;
use super::ids::{DistributionId, EventId};

/// One channel's state.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ChannelStatus {
    Pending,
    InProgress,
    Published,
    /// Local mode only: written to the sandbox folder, nothing was sent anywhere.
    Sandbox,
    Scheduled,
    Failed,
    NeedsReconnect,
    Unknown,
}

impl ChannelStatus {
    pub const ALL: [ChannelStatus; 8] = [
        ChannelStatus::Pending,
        ChannelStatus::InProgress,
        ChannelStatus::Published,
        ChannelStatus::Sandbox,
        ChannelStatus::Scheduled,
        ChannelStatus::Failed,
        ChannelStatus::NeedsReconnect,
        ChannelStatus::Unknown,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ChannelStatus::Pending => "PENDING",
            ChannelStatus::InProgress => "IN_PROGRESS",
            ChannelStatus::Published => "PUBLISHED",
            ChannelStatus::Sandbox => "SANDBOX",
            ChannelStatus::Scheduled => "SCHEDULED",
            ChannelStatus::Failed => "FAILED",
            ChannelStatus::NeedsReconnect => "NEEDS_RECONNECT",
            ChannelStatus::Unknown => "UNKNOWN",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ChannelStatus::Pending => "대기",
            ChannelStatus::InProgress => "게시 중",
            ChannelStatus::Published => "게시 완료",
            ChannelStatus::Sandbox => "샌드박스 기록(실제 게시 아님)",
            ChannelStatus::Scheduled => "예약됨",
            ChannelStatus::Failed => "실패",
            ChannelStatus::NeedsReconnect => "재연결 필요",
            ChannelStatus::Unknown => "확인 필요",
        }
    }

    /// What happens in this state when the attempt left no words of its own (a post not yet
    /// tried, or being sent).
    pub fn said(self) -> &'static str {
        match self {
            ChannelStatus::Pending => "곧 보냅니다. 이 화면에서 결과를 알려 드립니다.",
            ChannelStatus::InProgress => "지금 보내는 중입니다.",
            ChannelStatus::Published => "게시했습니다.",
            ChannelStatus::Sandbox => {
                "로컬 샌드박스에 기록만 했습니다. 실제로 게시되지 않았습니다."
            }
            ChannelStatus::Scheduled => "예약해 두었습니다. 정한 시각에 보냅니다.",
            ChannelStatus::Failed => "게시하지 못했습니다.",
            ChannelStatus::NeedsReconnect => "채널을 다시 연결한 뒤 다시 시도해 주세요.",
            ChannelStatus::Unknown => {
                "게시되었는지 확인하지 못했습니다. 채널에서 확인한 뒤 알려 주세요."
            }
        }
    }

    /// Nothing more happens without the owner (or a reconciliation) doing something.
    pub fn is_settled(self) -> bool {
        matches!(
            self,
            ChannelStatus::Published
                | ChannelStatus::Sandbox
                | ChannelStatus::Failed
                | ChannelStatus::NeedsReconnect
                | ChannelStatus::Unknown
        )
    }
}

/// Why a channel failed, in the owner's terms.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FailureKind {
    /// The channel's rate limit or quota; it is tried again at `next_attempt_at`.
    RateLimited,
    /// A passing error (5xx, timeout before anything was sent, the circuit open).
    Transient,
    /// The channel refused the content (format, size, policy).
    Rejected,
    /// The account cannot post (blocked channel, board not writable, no such account).
    Account,
    /// The channel is not set up on this platform (no dealer or partner endpoint configured).
    NotConfigured,
}

impl FailureKind {
    pub const ALL: [FailureKind; 5] = [
        FailureKind::RateLimited,
        FailureKind::Transient,
        FailureKind::Rejected,
        FailureKind::Account,
        FailureKind::NotConfigured,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FailureKind::RateLimited => "RATE_LIMITED",
            FailureKind::Transient => "TRANSIENT",
            FailureKind::Rejected => "REJECTED",
            FailureKind::Account => "ACCOUNT",
            FailureKind::NotConfigured => "NOT_CONFIGURED",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The owner may retry it (nothing about the post has to change first).
    pub fn is_retryable(self) -> bool {
        matches!(self, FailureKind::RateLimited | FailureKind::Transient)
    }
}

/// The overall status of a distribution.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OverallStatus {
    Pending,
    InProgress,
    Completed,
    PartialFailure,
    Failed,
    /// A channel needs the owner: an UNKNOWN post to confirm, or an account to reconnect.
    NeedsAttention,
}

impl OverallStatus {
    pub fn code(self) -> &'static str {
        match self {
            OverallStatus::Pending => "PENDING",
            OverallStatus::InProgress => "IN_PROGRESS",
            OverallStatus::Completed => "COMPLETED",
            OverallStatus::PartialFailure => "PARTIAL_FAILURE",
            OverallStatus::Failed => "FAILED",
            OverallStatus::NeedsAttention => "NEEDS_ATTENTION",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OverallStatus::Pending => "대기",
            OverallStatus::InProgress => "진행 중",
            OverallStatus::Completed => "완료",
            OverallStatus::PartialFailure => "일부 실패",
            OverallStatus::Failed => "실패",
            OverallStatus::NeedsAttention => "확인 필요",
        }
    }

    /// From the channels' states: still moving, needing the owner, or an outcome.
    pub fn of(states: &[ChannelStatus]) -> Self {
        use ChannelStatus as C;
        if states.iter().all(|s| *s == C::Pending) {
            return OverallStatus::Pending;
        }
        if states.iter().any(|s| !s.is_settled()) {
            return OverallStatus::InProgress;
        }
        if states
            .iter()
            .any(|s| matches!(s, C::Unknown | C::NeedsReconnect))
        {
            return OverallStatus::NeedsAttention;
        }
        let done = |s: &C| matches!(s, C::Published | C::Sandbox);
        match states.iter().filter(|s| done(s)).count() {
            n if n == states.len() => OverallStatus::Completed,
            0 => OverallStatus::Failed,
            _ => OverallStatus::PartialFailure,
        }
    }

    /// Every channel has an outcome the system will not change by itself.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            OverallStatus::Completed | OverallStatus::PartialFailure | OverallStatus::Failed
        )
    }
}

mod review;

pub use review::Review;

/// One channel's post of a distribution, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelPost {
    pub distribution_id: DistributionId,
    pub event_id: EventId,
    pub channel: Channel,
    pub status: ChannelStatus,
    pub attempts: u32,
    /// What is posted, fixed at publish time (`post::PostContent` as JSON).
    pub content: super::post::PostContent,
    /// The channel's id of the post (media id, article id, request id, order id).
    pub external_id: Option<String>,
    pub url: Option<String>,
    pub failure: Option<FailureKind>,
    /// What happened and what to do, for the owner (Korean).
    pub message: Option<String>,
    /// The step an attempt reached before it stopped (e.g. Instagram's container id), so that
    /// an interrupted attempt can be reconciled.
    pub checkpoint: Option<serde_json::Value>,
    /// Not to be tried before this (a rate limit, the Kakao night rule).
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// An attempt in progress holds the post until then.
    pub lease_until: Option<DateTime<Utc>>,
    /// A channel that reviews accepted posts (KT): the last review status read.
    pub review: Option<Review>,
    pub updated_at: DateTime<Utc>,
}

impl ChannelPost {
    /// What the owner reads: what happened and what happens next (the state's own words when
    /// no attempt left any).
    pub fn words(&self) -> String {
        (self.message.clone()).unwrap_or_else(|| self.status.said().to_owned())
    }
}

/// A distribution: every channel of one published event.
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    pub id: DistributionId,
    pub event_id: EventId,
    pub created_at: DateTime<Utc>,
    pub channels: Vec<ChannelPost>,
}

impl Distribution {
    /// The overall status; posts waiting after an attempt (a rate limit) count as in progress.
    pub fn status(&self) -> OverallStatus {
        let states: Vec<ChannelStatus> = self.channels.iter().map(|c| c.status).collect();
        let attempted = self.channels.iter().any(|c| c.attempts > 0);
        match OverallStatus::of(&states) {
            OverallStatus::Pending if attempted => OverallStatus::InProgress,
            status => status,
        }
    }
}

/// How long an attempt may hold a post, and how often UNKNOWN posts are looked at again.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Longer than the longest attempt (Instagram may take minutes to process an image).
    pub lease: chrono::Duration,
    pub reconcile_every: chrono::Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            lease: chrono::Duration::minutes(10),
            reconcile_every: chrono::Duration::minutes(5),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ChannelStatus::*;
    use super::*;

    #[test]
    fn the_overall_status_follows_the_channels() {
        let cases: &[(&[ChannelStatus], OverallStatus)] = &[
            (&[Pending, Pending], OverallStatus::Pending),
            (&[Published, InProgress], OverallStatus::InProgress),
            (&[Published, Scheduled], OverallStatus::InProgress),
            (&[Published, Sandbox], OverallStatus::Completed),
            (&[Published, Failed], OverallStatus::PartialFailure),
            (&[Failed, Failed], OverallStatus::Failed),
            (&[Published, Unknown], OverallStatus::NeedsAttention),
            (&[NeedsReconnect, Failed], OverallStatus::NeedsAttention),
        ];
        for (states, want) in cases {
            assert_eq!(OverallStatus::of(states), *want, "{states:?}");
        }
        for s in ChannelStatus::ALL {
            assert_eq!(ChannelStatus::parse(s.code()), Some(s));
        }
        for k in FailureKind::ALL {
            assert_eq!(FailureKind::parse(k.code()), Some(k));
        }
        assert!(FailureKind::RateLimited.is_retryable());
        assert!(!FailureKind::Rejected.is_retryable());
    }
}
