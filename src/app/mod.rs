//! Use cases: one module per area, named as in every other layer (`http/X.rs`, `app/X.rs`,
//! `adapters/sql/X.rs`). They orchestrate domain rules and ports, and know nothing of HTTP.
//!
//! The areas import one another in one direction only (`tests/layers.rs` fails on a cycle):
//! `delivery` routes every message to the area that consumes it, and the shared pieces every
//! area uses — `Services`, `AppError`, the group commit (`intake`), the rate limits and the
//! memo — import no area.

pub mod analytics;
pub mod auth;
pub mod channels;
pub mod counter;
pub mod delivery;
pub mod distribution;
pub mod draws;
pub mod entries;
mod error;
pub mod events;
pub mod images;
pub mod intake;
pub mod jobs;
pub mod limits;
pub mod mailbox;
pub mod memo;
pub mod outbox;
pub mod passes;
pub mod personal;
pub mod recommendations;
pub mod seeds;
mod services;
pub mod sessions;
pub mod users;
pub mod visits;

pub use crate::domain::refusals::{
    AnalyticsError, AuthError, ChannelError, DistributionError, DrawError, EntryError, JobError,
    Kind, Missing, PassError, Problem,
};
pub use error::AppError;
pub use services::Services;

/// 32 random bytes as hex: OAuth states, receipts' secrets, seeds.
pub fn random_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}
