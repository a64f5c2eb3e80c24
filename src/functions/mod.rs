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

use crate::app::jobs::{AI_RECOMMENDATION_QUEUE, IMAGE_GENERATION_QUEUE};
use crate::app::workers::{self, Outcome};
use crate::app::{Services, housekeeping, outbox};
use invocation::{Invocation, InvocationResponse, TimerInfo};

/// Every non-HTTP function the binary serves, by folder name.
pub const INVOCATION_FUNCTIONS: &[&str] = &[
    EVENTS_AUTO_END,
    OUTBOX_RELAY,
    AI_RECOMMENDATION_WORKER,
    IMAGE_GENERATION_WORKER,
];

/// Timer: ends the events whose last day has passed (00:00 Asia/Seoul = `0 0 15 * * *` UTC).
pub const EVENTS_AUTO_END: &str = "events-auto-end";
/// Timer: delivers outbox messages an instance left behind (after-commit delivery is the norm).
pub const OUTBOX_RELAY: &str = "outbox-relay";
/// Service Bus queue `ai-recommendation-jobs`: runs one recommendation job.
pub const AI_RECOMMENDATION_WORKER: &str = "ai-recommendation-worker";
/// Service Bus queue `image-generation-jobs`: renders one job's posters.
pub const IMAGE_GENERATION_WORKER: &str = "image-generation-worker";

pub fn routes() -> Router<Services> {
    Router::new()
        .route(&format!("/{EVENTS_AUTO_END}"), post(events_auto_end))
        .route(&format!("/{OUTBOX_RELAY}"), post(outbox_relay))
        .route(
            &format!("/{AI_RECOMMENDATION_WORKER}"),
            post(ai_recommendation_worker),
        )
        .route(
            &format!("/{IMAGE_GENERATION_WORKER}"),
            post(image_generation_worker),
        )
}

async fn outbox_relay(State(s): State<Services>, body: Bytes) -> (StatusCode, InvocationResponse) {
    if let Err(e) = Invocation::parse(&body).and_then(|inv| inv.timer("timer")) {
        return (
            StatusCode::BAD_REQUEST,
            InvocationResponse::log(format!("invalid invocation: {e}")),
        );
    }
    let relayed = match outbox::relay(&s).await {
        Ok(report) => workers::fail_stale_jobs(&s).await.map(|_| report),
        Err(e) => Err(e),
    };
    match relayed {
        Ok(report) => (StatusCode::OK, InvocationResponse::log(report.to_string())),
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "outbox relay failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                InvocationResponse::log("outbox relay failed; see the function logs".to_owned()),
            )
        }
    }
}

async fn ai_recommendation_worker(
    State(s): State<Services>,
    body: Bytes,
) -> (StatusCode, InvocationResponse) {
    service_bus_delivery(&s, AI_RECOMMENDATION_QUEUE, &body).await
}

async fn image_generation_worker(
    State(s): State<Services>,
    body: Bytes,
) -> (StatusCode, InvocationResponse) {
    service_bus_delivery(&s, IMAGE_GENERATION_QUEUE, &body).await
}

/// One Service Bus delivery. 2xx completes the message; non-2xx abandons it, and Service Bus
/// redelivers with `DeliveryCount + 1` (dead-lettering after the queue's maxDeliveryCount).
async fn service_bus_delivery(
    s: &Services,
    queue: &str,
    body: &[u8],
) -> (StatusCode, InvocationResponse) {
    let delivery = match Invocation::parse(body).and_then(|inv| inv.service_bus("message")) {
        Ok(d) => d,
        Err(e) => {
            // DESIGN §8.1: 400 for an unreadable payload. Service Bus retries it and then
            // dead-letters it; a job behind it is failed by the stale-job sweep.
            tracing::error!(error = %e, "unreadable Service Bus invocation");
            return (
                StatusCode::BAD_REQUEST,
                InvocationResponse::log(format!("invalid invocation: {e}")),
            );
        }
    };
    tracing::info!(
        message_id = delivery.message_id.as_deref().unwrap_or("-"),
        delivery_count = delivery.delivery_count,
        "job message received"
    );
    match workers::dispatch(s, queue, &delivery.body, delivery.delivery_count).await {
        Outcome::Done(what) => (StatusCode::OK, InvocationResponse::log(what)),
        Outcome::Retry(why) => {
            // Service Bus redelivers an abandoned message at once; waiting here (the lock lasts
            // 5 minutes) gives a passing outage time to pass, as the local relay's backoff does.
            tokio::time::sleep(
                outbox::backoff(delivery.delivery_count)
                    .to_std()
                    .unwrap_or_default(),
            )
            .await;
            (
                StatusCode::SERVICE_UNAVAILABLE,
                InvocationResponse::log(format!("retry: {why}")),
            )
        }
    }
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
