//! What runs once a day at 00:00 in Seoul: events whose last day has passed end by themselves,
//! and stale login counters are forgotten. Idempotent: running it twice changes nothing more.

use std::fmt;

use tracing::instrument;

use super::{AppError, Services};
use crate::domain::calendar::seoul_date;
use crate::ports::StoreError;

const BATCH: i64 = 200;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub ended: usize,
    /// Changed by someone else between reading and saving; the next run looks again.
    pub skipped: usize,
    pub purged_login_counters: u64,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ended {} event(s), skipped {}, purged {} login counter(s)",
            self.ended, self.skipped, self.purged_login_counters
        )
    }
}

#[instrument(skip_all)]
pub async fn run(s: &Services) -> Result<Report, AppError> {
    let now = s.clock.now();
    let today = seoul_date(now);
    let mut report = Report::default();
    loop {
        let due = s.store.published_events_ending_before(today, BATCH).await?;
        let full_batch = i64::try_from(due.len()).unwrap_or(i64::MAX) == BATCH;
        let mut progressed = false;
        for mut event in due {
            if !event.is_over(today) || event.end(now).is_err() {
                report.skipped += 1;
                continue;
            }
            match s.store.save_event(&event).await {
                Ok(_) => {
                    report.ended += 1;
                    progressed = true;
                    tracing::info!(event_id = %event.id, "event ended by itself");
                }
                Err(StoreError::Conflict) => report.skipped += 1,
                Err(e) => return Err(e.into()),
            }
        }
        if !(full_batch && progressed) {
            break;
        }
    }
    report.purged_login_counters = s
        .store
        .purge_login_failures(now - s.login_throttle.window, now)
        .await?;
    tracing::info!(%report, "housekeeping done");
    Ok(report)
}
