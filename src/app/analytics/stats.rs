//! The channels' own statistics of published posts (Instagram's reach, likes and comments;
//! Kakao's delivery counts), collected by the `channel-stats` timer. A channel that is down
//! leaves the last values in place with the failure and its time; each client's circuit breaker
//! keeps a dead channel from being called again and again.

use std::fmt;

use chrono::Duration;
use tracing::instrument;

use super::{AppError, Services, links};
use crate::ports::{PublishedPost, StoredStats};

/// Posts of events that ended longer ago than this are no longer read.
const AFTER_END_DAYS: i64 = 7;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct StatsReport {
    pub collected: usize,
    pub failed: usize,
    pub visits_forgotten: u64,
}

impl fmt::Display for StatsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "statistics collected for {} post(s), {} failed; {} old visit row(s) forgotten",
            self.collected, self.failed, self.visits_forgotten
        )
    }
}

#[instrument(skip_all)]
pub async fn collect(s: &Services) -> Result<StatsReport, AppError> {
    let since = s.clock.now() - Duration::days(AFTER_END_DAYS);
    let mut report = StatsReport::default();
    for post in s.store.published_posts(since).await? {
        match collect_one(s, &post).await? {
            true => report.collected += 1,
            false => report.failed += 1,
        }
    }
    report.visits_forgotten = links::forget_old_visits(s).await?;
    Ok(report)
}

/// Reads one post's statistics and keeps them; `false` when the channel did not answer.
async fn collect_one(s: &Services, post: &PublishedPost) -> Result<bool, AppError> {
    let Some(client) = s.channels.client(post.channel) else {
        return Ok(true);
    };
    let connections = super::super::channels::connections(s, post.owner).await?;
    let secret = (connections.iter())
        .find(|c| c.channel == post.channel)
        .map(|c| &c.secret);
    let now = s.clock.now();
    let read = client.stats(secret, &post.external_id).await;
    let ok = read.is_ok();
    let stored = match read {
        Ok(None) => return Ok(true),
        Ok(Some(stats)) => StoredStats {
            channel: post.channel,
            stats: Some(stats),
            collected_at: Some(now),
            last_error: None,
            attempted_at: now,
        },
        Err(why) => {
            tracing::warn!(channel = post.channel.code(), reason = %why, "statistics not read");
            StoredStats {
                channel: post.channel,
                stats: None,
                collected_at: None,
                last_error: Some(why),
                attempted_at: now,
            }
        }
    };
    s.store.save_channel_stats(post.event_id, &stored).await?;
    Ok(ok)
}
