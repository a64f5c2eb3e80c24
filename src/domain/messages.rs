//! What travels through the outbox: the queues and their message types, by the names
//! `functions/*/function.json` and `bicep/` use (held together by `tests/bicep.rs`), and the
//! envelope every message carries.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::ids::{EventId, MessageId};

/// A Service Bus queue. Its name is the one in function.json and Bicep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Queue {
    AiRecommendationJobs,
    ImageGenerationJobs,
}

impl Queue {
    pub const ALL: [Queue; 2] = [Queue::AiRecommendationJobs, Queue::ImageGenerationJobs];

    pub fn name(self) -> &'static str {
        match self {
            Queue::AiRecommendationJobs => "ai-recommendation-jobs",
            Queue::ImageGenerationJobs => "image-generation-jobs",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|q| q.name() == name)
    }
}

/// The `type` of a message's envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageType {
    AiRecommendationRequested,
    ImageGenerationRequested,
}

impl MessageType {
    pub const ALL: [MessageType; 2] = [
        MessageType::AiRecommendationRequested,
        MessageType::ImageGenerationRequested,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MessageType::AiRecommendationRequested => "AiRecommendationRequested",
            MessageType::ImageGenerationRequested => "ImageGenerationRequested",
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
    pub destination: Queue,
    pub message_type: MessageType,
    /// The envelope `{id, type, occurredAt, eventId, data}`.
    pub payload: serde_json::Value,
    /// Delivery attempts so far.
    pub attempts: u32,
    pub created_at: DateTime<Utc>,
}

impl OutboxMessage {
    /// A new message in the envelope `{id, type, occurredAt, eventId, data}`; the id is also the
    /// Service Bus `MessageId`, so a message sent twice is dropped by duplicate detection.
    pub fn new(
        destination: Queue,
        message_type: MessageType,
        event: EventId,
        data: serde_json::Value,
        now: DateTime<Utc>,
    ) -> Self {
        let id = MessageId::new();
        Self {
            id,
            destination,
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
            assert_eq!(Queue::parse(q.name()), Some(q));
        }
        for t in MessageType::ALL {
            assert_eq!(MessageType::parse(t.code()), Some(t));
        }
        let m = OutboxMessage::new(
            Queue::ImageGenerationJobs,
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
