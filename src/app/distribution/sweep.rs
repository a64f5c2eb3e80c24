//! The sweep (the `distribution-sweep` timer; locally a loop): posts whose worker stopped
//! mid-attempt become UNKNOWN and are reconciled by a read; UNKNOWN posts are looked at again;
//! due posts (a rate limit passed, Kakao's 08:00, a reconciled "send again") are sent; tokens
//! about to expire are refreshed.

use std::collections::BTreeSet;
use std::fmt;

use tracing::instrument;

use super::attempt::{Target, idempotency_key, image_bytes, run};
use super::outcome::{reconciled, unknown};
use super::{Services, announce};
use crate::app::{AppError, channels};
use crate::domain::distribution::{ChannelPost, ChannelStatus};
use crate::ports::{Outgoing, Reconciled};

const BATCH: i64 = 100;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub abandoned: usize,
    pub reconciled: usize,
    pub distributions: usize,
    pub refreshed: usize,
    /// Reviews read (KT's orders after they were accepted).
    pub reviewed: usize,
}

impl fmt::Display for SweepReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} abandoned post(s), {} reconciled, {} review(s) read, {} distribution(s) run, \
             {} token(s) refreshed",
            self.abandoned, self.reconciled, self.reviewed, self.distributions, self.refreshed
        )
    }
}

#[instrument(skip_all)]
pub async fn sweep(s: &Services) -> Result<SweepReport, AppError> {
    let mut report = SweepReport::default();
    let now = s.clock.now();
    for post in s.store.abandoned_posts(now, BATCH).await? {
        // Its worker stopped: whether it posted is not known until the channel is read.
        let stopped = unknown(ChannelPost {
            lease_until: None,
            updated_at: now,
            ..post.clone()
        });
        // Only if its lease is still over now (the list above may be minutes old by now).
        if (s.store)
            .abandon_post(&stopped, post.attempts, s.clock.now())
            .await?
        {
            report.abandoned += 1;
            report.reconciled += usize::from(reconcile(s, &stopped).await?);
        }
    }
    let looked_at_before = now - s.distribution.reconcile_every;
    for post in s.store.unknown_posts(looked_at_before, BATCH).await? {
        report.reconciled += usize::from(reconcile(s, &post).await?);
    }
    for post in s.store.reviewing_posts(looked_at_before, BATCH).await? {
        report.reviewed += usize::from(review(s, &post).await?);
    }
    let due: BTreeSet<_> = (s.store.due_posts(s.clock.now(), BATCH).await?)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    for id in &due {
        run(s, *id).await?;
    }
    report.distributions = due.len();
    report.refreshed = channels::refresh_expiring(s).await?;
    Ok(report)
}

/// Reads the channel about an UNKNOWN post; `true` when that settled it.
async fn reconcile(s: &Services, post: &ChannelPost) -> Result<bool, AppError> {
    let Some(read) = read(s, post).await? else {
        return Ok(false);
    };
    let (next, settled) = reconciled(post, read, s.clock.now());
    s.store
        .update_post(&next, ChannelStatus::Unknown, post.attempts)
        .await?;
    if settled {
        announce(s, post.distribution_id).await?;
    }
    Ok(settled)
}

/// Reads where a published post's review stands (KT); `true` when it moved on. A published
/// post is never sent again: an order the channel no longer finds is left as it is.
async fn review(s: &Services, post: &ChannelPost) -> Result<bool, AppError> {
    let read = match read(s, post).await? {
        Some(Reconciled::SendAgain) => Reconciled::StillUnknown("the order was not found".into()),
        Some(r) => r,
        None => return Ok(false),
    };
    let (next, _) = reconciled(post, read, s.clock.now());
    let moved = (next.status, next.review) != (post.status, post.review);
    s.store
        .update_post(&next, ChannelStatus::Published, post.attempts)
        .await?;
    Ok(moved)
}

/// What the channel says about the post; `None` without a client.
async fn read(s: &Services, post: &ChannelPost) -> Result<Option<Reconciled>, AppError> {
    let target = Target::of(s, post).await?;
    let Some(client) = &target.client else {
        return Ok(None);
    };
    let image = image_bytes(s, &target.content).await;
    let out = Outgoing {
        channel: post.channel,
        post: &target.content,
        secret: target.connection.as_ref().map(|c| &c.secret),
        idempotency_key: &idempotency_key(post),
        image: image.as_deref(),
        checkpoint: post.checkpoint.as_ref(),
        now: s.clock.now(),
    };
    Ok(Some(client.reconcile(&out).await))
}
