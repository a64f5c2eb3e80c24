//! A post's row and its columns.

use chrono::{DateTime, Utc};
use sqlx::types::Json;
use uuid::Uuid;

use super::super::corrupt;
use crate::domain::distribution::{ChannelPost, ChannelStatus, FailureKind, Review};
use crate::domain::post::PostContent;
use crate::domain::{Channel, DistributionId, EventId};
use crate::ports::StoreError;

pub(super) const POST_COLUMNS: &str = "distribution_id, event_id, channel, status, attempts, content, \
     external_id, url, failure, message, checkpoint, next_attempt_at, lease_until, updated_at, \
     review";

#[derive(sqlx::FromRow)]
pub(super) struct PostRow {
    distribution_id: Uuid,
    event_id: Uuid,
    channel: String,
    status: String,
    attempts: i32,
    content: Json<PostContent>,
    external_id: Option<String>,
    url: Option<String>,
    failure: Option<String>,
    message: Option<String>,
    checkpoint: Option<Json<serde_json::Value>>,
    next_attempt_at: Option<DateTime<Utc>>,
    lease_until: Option<DateTime<Utc>>,
    updated_at: DateTime<Utc>,
    review: Option<String>,
}

impl TryFrom<PostRow> for ChannelPost {
    type Error = StoreError;
    fn try_from(r: PostRow) -> Result<Self, StoreError> {
        let failure = match r.failure {
            None => None,
            Some(code) => Some(FailureKind::parse(&code).ok_or_else(|| corrupt("failure"))?),
        };
        Ok(ChannelPost {
            distribution_id: DistributionId(r.distribution_id),
            event_id: EventId(r.event_id),
            channel: Channel::parse(&r.channel).map_err(|_| corrupt("channel"))?,
            status: ChannelStatus::parse(&r.status).ok_or_else(|| corrupt("post status"))?,
            attempts: u32::try_from(r.attempts).map_err(|_| corrupt("attempts"))?,
            content: r.content.0,
            external_id: r.external_id,
            url: r.url,
            failure,
            message: r.message,
            checkpoint: r.checkpoint.map(|c| c.0),
            next_attempt_at: r.next_attempt_at,
            lease_until: r.lease_until,
            review: match r.review {
                None => None,
                Some(code) => Some(Review::parse(&code).ok_or_else(|| corrupt("review"))?),
            },
            updated_at: r.updated_at,
        })
    }
}

/// The posts in the channels' own order (Instagram first).
pub(super) fn posts(rows: Vec<PostRow>) -> Result<Vec<ChannelPost>, StoreError> {
    let mut posts: Vec<ChannelPost> = rows
        .into_iter()
        .map(ChannelPost::try_from)
        .collect::<Result<_, _>>()?;
    posts.sort_by_key(|p| p.channel);
    Ok(posts)
}
