//! The channels' own statistics of published posts: the last values collected are kept when a
//! later collection fails, with that failure and its time.

use chrono::{DateTime, Utc};
use sqlx::types::Json;
use uuid::Uuid;

use super::super::{SqlStore, corrupt, db_error, execute, on_pool};
use crate::domain::{Channel, EventId, UserId};
use crate::ports::{PublishedPost, StoreError, StoredStats};

/// The channels that report statistics of a post.
const REPORTING: &str = "('INSTAGRAM', 'KAKAO')";

type StatsRow = (
    String,
    Option<Json<serde_json::Value>>,
    Option<DateTime<Utc>>,
    Option<String>,
    DateTime<Utc>,
);

impl SqlStore {
    pub(super) async fn published_posts_impl(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<PublishedPost>, StoreError> {
        let sql = format!(
            "SELECT p.event_id, e.user_id, p.channel, p.external_id FROM distribution_posts p \
             JOIN events e ON e.id = p.event_id WHERE p.status = 'PUBLISHED' \
             AND p.external_id IS NOT NULL AND p.channel IN {REPORTING} \
             AND (e.status = 'PUBLISHED' OR e.ended_at >= $1) ORDER BY p.event_id, p.channel"
        );
        let rows: Vec<(Uuid, Uuid, String, String)> = on_pool!(self, |p| sqlx::query_as(&sql)
            .bind(since)
            .fetch_all(p)
            .await)
        .map_err(db_error)?;
        rows.into_iter()
            .map(|(event, owner, channel, external_id)| {
                Ok(PublishedPost {
                    event_id: EventId(event),
                    owner: UserId(owner),
                    channel: Channel::parse(&channel)
                        .map_err(|_| corrupt("distribution_posts.channel"))?,
                    external_id,
                })
            })
            .collect()
    }

    pub(super) async fn save_stats_impl(
        &self,
        event: EventId,
        s: &StoredStats,
    ) -> Result<(), StoreError> {
        execute!(
            self,
            "INSERT INTO channel_stats (event_id, channel, stats, collected_at, last_error, \
             attempted_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id, channel) \
             DO UPDATE SET stats = COALESCE(excluded.stats, channel_stats.stats), \
             collected_at = COALESCE(excluded.collected_at, channel_stats.collected_at), \
             last_error = excluded.last_error, attempted_at = excluded.attempted_at",
            event.0,
            s.channel.code(),
            s.stats.as_ref().map(Json),
            s.collected_at,
            &s.last_error,
            s.attempted_at
        )?;
        // A new version: the dashboard's cached parts are read again.
        execute!(
            self,
            "UPDATE analytics_events SET version = version + 1 WHERE event_id = $1",
            event.0
        )
        .map(|_| ())
    }

    pub(super) async fn stats_impl(&self, event: EventId) -> Result<Vec<StoredStats>, StoreError> {
        let rows: Vec<StatsRow> = on_pool!(self, |p| sqlx::query_as(
            "SELECT channel, stats, collected_at, last_error, attempted_at FROM channel_stats \
             WHERE event_id = $1 ORDER BY channel"
        )
        .bind(event.0)
        .fetch_all(p)
        .await)
        .map_err(db_error)?;
        rows.into_iter()
            .map(|(channel, stats, collected_at, last_error, attempted_at)| {
                Ok(StoredStats {
                    channel: Channel::parse(&channel)
                        .map_err(|_| corrupt("channel_stats.channel"))?,
                    stats: stats.map(|j| j.0),
                    collected_at,
                    last_error,
                    attempted_at,
                })
            })
            .collect()
    }
}
