//! Types and rules, no I/O. Everything here can only hold valid values.

pub mod calendar;
pub mod channel;
pub mod event;
pub mod field;
pub mod ids;
pub mod objective;
pub mod owner;
pub mod paging;
pub mod throttle;
pub mod user;

pub use channel::Channel;
pub use event::{Event, EventAction, EventEdit, EventError, EventPeriod, EventStatus};
pub use field::{FieldError, FieldProblem};
pub use ids::{EventId, StoreId, UserId};
pub use objective::Objective;
pub use owner::{Email, OwnerName, Phone, PlainPassword, StoreInfo};
pub use paging::{Page, PageRequest};
pub use user::{Credentials, ProfileUpdate, Store, User};
