//! What travels through the outbox: the queues and their message types, by the names
//! `functions/*/function.json` and `bicep/` use (held together by `tests/bicep.rs`), and the
//! envelope every message carries.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{EventId, MessageId};

mod contracts;

pub use contracts::{
    Bucket, ChannelOutcome, DistributionCompleted, DistributionRequested, EventPublished,
    JobRequested, ParticipantRegistered, PassActed, ReviewDecided, VisitBucket, VisitRecorded,
    VisitsCounted, WinnersDrawn,
};

/// A Service Bus queue: work for one worker. Its name is the one in function.json and Bicep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Queue {
    AiRecommendationJobs,
    ImageGenerationJobs,
    DistributionJobs,
}

impl Queue {
    pub const ALL: [Queue; 3] = [
        Queue::AiRecommendationJobs,
        Queue::ImageGenerationJobs,
        Queue::DistributionJobs,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Queue::AiRecommendationJobs => "ai-recommendation-jobs",
            Queue::ImageGenerationJobs => "image-generation-jobs",
            Queue::DistributionJobs => "distribution-jobs",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|q| q.name() == name)
    }
}

/// A Service Bus topic: news for whoever subscribes. Its name is the one in Bicep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// Domain events (`EventPublished`, `DistributionCompleted`, …).
    EventDomainEvents,
}

impl Topic {
    pub const ALL: [Topic; 1] = [Topic::EventDomainEvents];

    pub fn name(self) -> &'static str {
        match self {
            Topic::EventDomainEvents => "event-domain-events",
        }
    }
}

/// Where a message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Destination {
    Queue(Queue),
    Topic(Topic),
}

impl Destination {
    pub fn name(self) -> &'static str {
        match self {
            Destination::Queue(q) => q.name(),
            Destination::Topic(t) => t.name(),
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Queue::parse(name).map(Destination::Queue).or_else(|| {
            Topic::ALL
                .into_iter()
                .find(|t| t.name() == name)
                .map(Destination::Topic)
        })
    }
}

/// The `type` of a message's envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageType {
    AiRecommendationRequested,
    ImageGenerationRequested,
    DistributionRequested,
    EventPublished,
    DistributionCompleted,
    ParticipantRegistered,
    WinnersDrawn,
    /// A view or click counted for the first time today (analytics; older messages).
    VisitRecorded,
    /// The views and clicks of one batch that counted something new (analytics).
    VisitsCounted,
    /// The counter used, stamped or rewarded a pass, or took that back.
    PassActed,
    /// The owner decided about a photo review.
    ReviewDecided,
}

impl MessageType {
    pub const ALL: [MessageType; 11] = [
        MessageType::AiRecommendationRequested,
        MessageType::ImageGenerationRequested,
        MessageType::DistributionRequested,
        MessageType::EventPublished,
        MessageType::DistributionCompleted,
        MessageType::ParticipantRegistered,
        MessageType::WinnersDrawn,
        MessageType::VisitRecorded,
        MessageType::VisitsCounted,
        MessageType::PassActed,
        MessageType::ReviewDecided,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MessageType::AiRecommendationRequested => "AiRecommendationRequested",
            MessageType::ImageGenerationRequested => "ImageGenerationRequested",
            MessageType::DistributionRequested => "DistributionRequested",
            MessageType::EventPublished => "EventPublished",
            MessageType::DistributionCompleted => "DistributionCompleted",
            MessageType::ParticipantRegistered => "ParticipantRegistered",
            MessageType::WinnersDrawn => "WinnersDrawn",
            MessageType::VisitRecorded => "VisitRecorded",
            MessageType::VisitsCounted => "VisitsCounted",
            MessageType::PassActed => "PassActed",
            MessageType::ReviewDecided => "ReviewDecided",
        }
    }

    /// Where messages of this type go.
    pub fn destination(self) -> Destination {
        match self {
            MessageType::AiRecommendationRequested => {
                Destination::Queue(Queue::AiRecommendationJobs)
            }
            MessageType::ImageGenerationRequested => Destination::Queue(Queue::ImageGenerationJobs),
            MessageType::DistributionRequested => Destination::Queue(Queue::DistributionJobs),
            MessageType::EventPublished
            | MessageType::DistributionCompleted
            | MessageType::ParticipantRegistered
            | MessageType::WinnersDrawn
            | MessageType::VisitRecorded
            | MessageType::VisitsCounted
            | MessageType::PassActed
            | MessageType::ReviewDecided => Destination::Topic(Topic::EventDomainEvents),
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// Every message, with its data: one contract for whoever writes it and whoever reads it. On the
/// wire it is the envelope's `type` and `data` (`Envelope`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum Message {
    AiRecommendationRequested(JobRequested),
    ImageGenerationRequested(JobRequested),
    DistributionRequested(DistributionRequested),
    EventPublished(EventPublished),
    DistributionCompleted(DistributionCompleted),
    ParticipantRegistered(ParticipantRegistered),
    WinnersDrawn(WinnersDrawn),
    VisitRecorded(VisitRecorded),
    VisitsCounted(VisitsCounted),
    PassActed(PassActed),
    ReviewDecided(ReviewDecided),
}

impl Message {
    pub fn message_type(&self) -> MessageType {
        match self {
            Message::AiRecommendationRequested(_) => MessageType::AiRecommendationRequested,
            Message::ImageGenerationRequested(_) => MessageType::ImageGenerationRequested,
            Message::DistributionRequested(_) => MessageType::DistributionRequested,
            Message::EventPublished(_) => MessageType::EventPublished,
            Message::DistributionCompleted(_) => MessageType::DistributionCompleted,
            Message::ParticipantRegistered(_) => MessageType::ParticipantRegistered,
            Message::WinnersDrawn(_) => MessageType::WinnersDrawn,
            Message::VisitRecorded(_) => MessageType::VisitRecorded,
            Message::VisitsCounted(_) => MessageType::VisitsCounted,
            Message::PassActed(_) => MessageType::PassActed,
            Message::ReviewDecided(_) => MessageType::ReviewDecided,
        }
    }
}

/// The envelope of every message: `{id, type, occurredAt, eventId, data}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope {
    pub id: MessageId,
    #[serde(flatten)]
    pub message: Message,
    pub occurred_at: DateTime<Utc>,
    pub event_id: EventId,
}

impl Envelope {
    /// A message as it travels; `None` when it is not one of ours (dropped as unreadable).
    pub fn read(payload: &serde_json::Value) -> Option<Self> {
        Self::deserialize(payload).ok()
    }
}

/// A message written in the same transaction as the change it announces; a relay delivers it
/// (docs/architecture.md, "Messages").
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxMessage {
    pub id: MessageId,
    pub destination: Destination,
    pub message_type: MessageType,
    /// The envelope as it travels (`Envelope`, serialised once).
    pub payload: serde_json::Value,
    /// Delivery attempts so far.
    pub attempts: u32,
    pub created_at: DateTime<Utc>,
}

impl OutboxMessage {
    /// A new message for `event` in its envelope, to its type's destination; the id is also the
    /// Service Bus `MessageId`, so a message sent twice is dropped by duplicate detection.
    pub fn new(event: EventId, message: Message, now: DateTime<Utc>) -> Self {
        let id = MessageId::new();
        let message_type = message.message_type();
        let envelope = Envelope {
            id,
            message,
            occurred_at: now,
            event_id: event,
        };
        Self {
            id,
            destination: message_type.destination(),
            message_type,
            #[allow(clippy::expect_used)] // plain data with string keys always serialises
            payload: serde_json::to_value(&envelope).expect("a message serialises"),
            attempts: 0,
            created_at: now,
        }
    }
}

#[cfg(test)]
mod tests;
