//! Types and rules, no I/O. Everything here can only hold valid values.

pub mod analytics;
pub mod audience;
pub mod calendar;
pub mod channel;
pub mod connection;
pub mod contact;
pub mod crockford;
pub mod distribution;
pub mod draw;
pub mod entrant;
pub mod entry;
pub mod event;
pub mod field;
pub mod ids;
pub mod job;
pub mod korean;
pub mod korean_calendar;
pub mod lifecycle;
pub mod mailbox;
pub mod mechanic;
pub mod messages;
pub mod objective;
pub mod owner;
pub mod paging;
pub mod pass;
pub mod place;
pub mod plan_check;
pub mod post;
pub mod poster;
pub mod promotion;
pub mod publishing;
pub mod refusals;
pub mod said_dates;
pub mod throttle;
pub mod trade;
pub mod user;

pub use channel::Channel;
pub use event::{Event, EventAction, EventEdit, EventError, EventPeriod, EventStatus};
pub use field::{FieldError, FieldProblem};
pub use ids::{
    DistributionId, EventId, ImageId, JobId, MessageId, RecommendationId, ShopId, UserId,
};
pub use messages::{Destination, MessageType, OutboxMessage, Queue, Topic};
pub use objective::Objective;
pub use owner::{Email, OwnerName, Phone, PlainPassword, ShopInfo};
pub use paging::{Page, PageRequest};
pub use user::{Credentials, ProfileUpdate, Shop, User};
