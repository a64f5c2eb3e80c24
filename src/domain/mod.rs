//! Types and rules, no I/O. Everything here can only hold valid values.

pub mod calendar;
pub mod channel;
pub mod event;
pub mod field;
pub mod ids;
pub mod job;
pub mod korean_calendar;
pub mod lifecycle;
pub mod objective;
pub mod owner;
pub mod paging;
pub mod poster;
pub mod promotion;
pub mod throttle;
pub mod user;

pub use channel::Channel;
pub use event::{Event, EventAction, EventEdit, EventError, EventPeriod, EventStatus};
pub use field::{FieldError, FieldProblem};
pub use ids::{EventId, ImageId, JobId, MessageId, RecommendationId, StoreId, UserId};
pub use objective::Objective;
pub use owner::{Email, OwnerName, Phone, PlainPassword, StoreInfo};
pub use paging::{Page, PageRequest};
pub use user::{Credentials, ProfileUpdate, Store, User};

/// A message written in the same transaction as the change it announces (DESIGN.md §6).
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxMessage {
    pub id: MessageId,
    /// A queue or topic name of DESIGN.md §6.
    pub destination: String,
    pub message_type: String,
    /// The envelope `{id, type, occurredAt, eventId, data}`.
    pub payload: serde_json::Value,
    /// Delivery attempts so far.
    pub attempts: u32,
    pub created_at: chrono::DateTime<chrono::Utc>,
}
