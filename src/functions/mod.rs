//! Non-HTTP functions: the Functions host invokes them with `POST /<function-name>` and an
//! invocation payload (`{"Data":…,"Metadata":…}`); locally the same unit of work is run by an
//! in-process scheduler. Each function here has its `functions/<name>/function.json`.

pub mod invocation;
pub mod scheduler;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;

use crate::app::{Services, housekeeping};
use invocation::{Invocation, InvocationResponse, TimerInfo};

/// Every non-HTTP function the binary serves, by folder name.
pub const INVOCATION_FUNCTIONS: &[&str] = &[EVENTS_AUTO_END];

/// Timer: ends the events whose last day has passed (00:00 Asia/Seoul = `0 0 15 * * *` UTC).
pub const EVENTS_AUTO_END: &str = "events-auto-end";

pub fn routes() -> Router<Services> {
    Router::new().route(&format!("/{EVENTS_AUTO_END}"), post(events_auto_end))
}

async fn events_auto_end(
    State(s): State<Services>,
    body: Bytes,
) -> (StatusCode, InvocationResponse) {
    let timer = match Invocation::parse(&body).and_then(|inv| inv.timer("timer")) {
        Ok(t) => t,
        Err(e) => {
            // A payload we cannot read will not get better on a retry (timers do not retry).
            tracing::error!(error = %e, "unreadable timer invocation");
            return (
                StatusCode::BAD_REQUEST,
                InvocationResponse::log(format!("invalid invocation: {e}")),
            );
        }
    };
    run_housekeeping(&s, timer).await
}

async fn run_housekeeping(s: &Services, timer: TimerInfo) -> (StatusCode, InvocationResponse) {
    if timer.is_past_due {
        tracing::warn!("timer is past due: running now");
    }
    match housekeeping::run(s).await {
        Ok(report) => (StatusCode::OK, InvocationResponse::log(report.to_string())),
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "housekeeping failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                InvocationResponse::log("housekeeping failed; see the function logs".to_owned()),
            )
        }
    }
}
