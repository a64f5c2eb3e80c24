//! What travels through the outbox: the queues and their message types, by the names
//! `functions/*/function.json` and `bicep/` use (held together by `tests/bicep.rs`), and the
//! envelope every message carries.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::ids::{EventId, MessageId};

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
    /// A view or click counted for the first time today (analytics).
    VisitRecorded,
}

impl MessageType {
    pub const ALL: [MessageType; 8] = [
        MessageType::AiRecommendationRequested,
        MessageType::ImageGenerationRequested,
        MessageType::DistributionRequested,
        MessageType::EventPublished,
        MessageType::DistributionCompleted,
        MessageType::ParticipantRegistered,
        MessageType::WinnersDrawn,
        MessageType::VisitRecorded,
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
            | MessageType::VisitRecorded => Destination::Topic(Topic::EventDomainEvents),
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// A message written in the same transaction as the change it announces; a relay delivers it
/// (docs/architecture.md, "Messages").
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxMessage {
    pub id: MessageId,
    pub destination: Destination,
    pub message_type: MessageType,
    /// The envelope `{id, type, occurredAt, eventId, data}`.
    pub payload: serde_json::Value,
    /// Delivery attempts so far.
    pub attempts: u32,
    pub created_at: DateTime<Utc>,
}

impl OutboxMessage {
    /// A new message in the envelope `{id, type, occurredAt, eventId, data}`, to its type's
    /// destination; the id is also the Service Bus `MessageId`, so a message sent twice is
    /// dropped by duplicate detection.
    pub fn new(
        message_type: MessageType,
        event: EventId,
        data: serde_json::Value,
        now: DateTime<Utc>,
    ) -> Self {
        let id = MessageId::new();
        Self {
            id,
            destination: message_type.destination(),
            message_type,
            payload: json!({
                "id": id,
                "type": message_type.code(),
                "occurredAt": now,
                "eventId": event,
                "data": data,
            }),
            attempts: 0,
            created_at: now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_the_envelope_has_its_fields() {
        for q in Queue::ALL {
            assert_eq!(Destination::parse(q.name()), Some(Destination::Queue(q)));
        }
        for t in Topic::ALL {
            assert_eq!(Destination::parse(t.name()), Some(Destination::Topic(t)));
        }
        for t in MessageType::ALL {
            assert_eq!(MessageType::parse(t.code()), Some(t));
        }
        let m = OutboxMessage::new(
            MessageType::ImageGenerationRequested,
            EventId::new(),
            json!({"jobId": "j"}),
            Utc::now(),
        );
        assert_eq!(m.payload["id"], json!(m.id));
        assert_eq!(m.payload["type"], "ImageGenerationRequested");
        assert_eq!(m.payload["data"]["jobId"], "j");
    }
}
