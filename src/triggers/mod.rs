//! Non-HTTP functions: the Functions host invokes each with `POST /<function-name>` and an
//! invocation payload (`{"Data":…,"Metadata":…}`); locally `local` plays the same triggers in
//! process. Each function here has its `functions/<name>/function.json`; the names below are
//! the folder names, and `tests/functions_manifest.rs` holds the two together.

pub mod invocation;
pub mod local;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;

use crate::app::delivery::{self, Outcome};
use crate::app::outbox;
use crate::app::{AppError, Services, analytics, auth, distribution, entries, events, jobs};
use crate::domain::{Destination, Queue, Topic};
use invocation::{Invocation, InvocationResponse};

/// The timer-triggered functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timer {
    /// 00:00 in Seoul (`0 0 15 * * *` UTC): ends the events whose last day has passed, and
    /// forgets stale login counters.
    EventsAutoEnd,
    /// Every minute: delivers outbox messages an instance left behind (after-commit delivery is
    /// the norm), and fails jobs that will never finish.
    OutboxRelay,
    /// Every minute: reconciles interrupted and unknown posts, sends due ones (rate limits that
    /// passed, Kakao's 08:00), refreshes tokens about to expire.
    DistributionSweep,
    /// Every hour: destroys customers' personal data whose retention has passed.
    ParticipantsPurge,
    /// Every 30 minutes: reads the channels' statistics of published posts, and forgets the
    /// visits of days whose visitor key is gone.
    ChannelStats,
}

impl Timer {
    pub const ALL: [Timer; 5] = [
        Timer::EventsAutoEnd,
        Timer::OutboxRelay,
        Timer::DistributionSweep,
        Timer::ParticipantsPurge,
        Timer::ChannelStats,
    ];

    pub fn function(self) -> &'static str {
        match self {
            Timer::EventsAutoEnd => "events-auto-end",
            Timer::OutboxRelay => "outbox-relay",
            Timer::DistributionSweep => "distribution-sweep",
            Timer::ParticipantsPurge => "participants-purge",
            Timer::ChannelStats => "channel-stats",
        }
    }

    /// One run; the answer is the line logged for the host.
    pub async fn run(self, s: &Services) -> Result<String, AppError> {
        match self {
            Timer::EventsAutoEnd => {
                let ended = events::end_overdue(s).await?;
                let purged = auth::forget_stale_login_counters(s).await?;
                Ok(format!("{ended}, purged {purged} login counter(s)"))
            }
            Timer::OutboxRelay => {
                let relayed = outbox::relay(s).await?;
                jobs::fail_stale(s).await?;
                Ok(relayed.to_string())
            }
            Timer::DistributionSweep => Ok(distribution::sweep(s).await?.to_string()),
            Timer::ParticipantsPurge => entries::purge(s).await,
            Timer::ChannelStats => Ok(analytics::stats::collect(s).await?.to_string()),
        }
    }
}

/// The Service Bus–triggered function that runs each queue's messages.
pub fn worker(queue: Queue) -> &'static str {
    match queue {
        Queue::AiRecommendationJobs => "ai-recommendation-worker",
        Queue::ImageGenerationJobs => "image-generation-worker",
        Queue::DistributionJobs => "distribution-worker",
    }
}

/// The Service Bus–triggered function that runs a topic's subscription, and the subscription.
pub fn subscriber(topic: Topic) -> (&'static str, &'static str) {
    match topic {
        Topic::EventDomainEvents => ("analytics-worker", "analytics"),
    }
}

/// Every non-HTTP function the binary serves, by folder name.
pub fn function_names() -> Vec<&'static str> {
    let timers = Timer::ALL.into_iter().map(Timer::function);
    let topics = Topic::ALL.into_iter().map(|t| subscriber(t).0);
    (timers.chain(Queue::ALL.into_iter().map(worker)))
        .chain(topics)
        .collect()
}

/// The routes the Functions host calls on localhost. They are reachable from the loopback
/// interface only, even when the service listens on every interface (`serve --host 0.0.0.0`).
pub fn routes() -> Router<Services> {
    let mut router = Router::new();
    for timer in Timer::ALL {
        let handler = move |State(s): State<Services>, body: Bytes| async move {
            tick(&s, timer, &body).await
        };
        router = router.route(&format!("/{}", timer.function()), post(handler));
    }
    let destinations = (Queue::ALL.into_iter())
        .map(|q| (Destination::Queue(q), worker(q)))
        .chain(
            Topic::ALL
                .into_iter()
                .map(|t| (Destination::Topic(t), subscriber(t).0)),
        );
    for (destination, function) in destinations {
        let handler = move |State(s): State<Services>, body: Bytes| async move {
            delivery(&s, destination, &body).await
        };
        router = router.route(&format!("/{function}"), post(handler));
    }
    router.route_layer(axum::middleware::from_fn(loopback_only))
}

/// Anything not from this machine is told there is no such route.
async fn loopback_only(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let peer = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    if peer.is_some_and(|ip| ip.is_loopback()) {
        next.run(req).await
    } else {
        tracing::warn!("a trigger route was called from outside this machine");
        // A bare 404: the request context gives it the same shape as any unknown route's.
        StatusCode::NOT_FOUND.into_response()
    }
}

async fn tick(s: &Services, timer: Timer, body: &[u8]) -> (StatusCode, InvocationResponse) {
    let info = match Invocation::parse(body).and_then(|inv| inv.timer("timer")) {
        Ok(info) => info,
        // A payload we cannot read will not get better on a retry (timers do not retry).
        Err(e) => return unreadable(&e),
    };
    if info.is_past_due {
        tracing::warn!(timer = timer.function(), "timer is past due: running now");
    }
    match timer.run(s).await {
        Ok(line) => (StatusCode::OK, InvocationResponse::log(line)),
        Err(e) => {
            tracing::error!(
                error = format!("{e:#}"),
                timer = timer.function(),
                "timer failed"
            );
            let line = format!("{} failed; see the function logs", timer.function());
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                InvocationResponse::log(line),
            )
        }
    }
}

/// One Service Bus delivery of a queue's or subscription's message. 2xx completes the message; non-2xx abandons
/// it, and Service Bus redelivers with `DeliveryCount + 1` (dead-lettering after the queue's
/// maxDeliveryCount).
async fn delivery(
    s: &Services,
    destination: Destination,
    body: &[u8],
) -> (StatusCode, InvocationResponse) {
    let delivery = match Invocation::parse(body).and_then(|inv| inv.service_bus("message")) {
        Ok(d) => d,
        // Service Bus retries it and then dead-letters it; a job behind it is failed by the
        // stale-job sweep.
        Err(e) => return unreadable(&e),
    };
    let count = delivery.delivery_count;
    let message_id = delivery.message_id.as_deref().unwrap_or("-");
    tracing::info!(message_id, delivery_count = count, "message received");
    match delivery::deliver(s, destination, &delivery.body, count).await {
        Outcome::Done(settled) => (StatusCode::OK, InvocationResponse::log(settled.to_string())),
        Outcome::Retry(why) => {
            // Service Bus redelivers an abandoned message at once; waiting here (the lock lasts
            // 5 minutes) gives a passing outage time to pass, as the local relay's backoff does.
            let wait = delivery::backoff(count).to_std().unwrap_or_default();
            tokio::time::sleep(wait).await;
            let line = format!("retry: {why}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                InvocationResponse::log(line),
            )
        }
    }
}

/// 400 for a payload that is not the host's invocation shape.
fn unreadable(e: &invocation::InvocationError) -> (StatusCode, InvocationResponse) {
    tracing::error!(error = %e, "unreadable invocation");
    let line = format!("invalid invocation: {e}");
    (StatusCode::BAD_REQUEST, InvocationResponse::log(line))
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use axum::extract::ConnectInfo;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    use super::*;

    /// A trigger route answers the host on localhost, and no one else.
    #[tokio::test]
    async fn trigger_routes_answer_only_the_loopback() {
        let app = Router::new()
            .route("/outbox-relay", post(|| async { "ran" }))
            .route_layer(axum::middleware::from_fn(loopback_only));
        let call = |peer: &str| {
            let mut req = Request::post("/outbox-relay")
                .body(axum::body::Body::empty())
                .unwrap_or_default();
            let addr: SocketAddr = peer.parse().unwrap_or(SocketAddr::from(([0, 0, 0, 0], 0)));
            req.extensions_mut().insert(ConnectInfo(addr));
            app.clone().oneshot(req)
        };
        let status = |r: Result<axum::response::Response, std::convert::Infallible>| {
            r.map(|r| r.status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        };
        assert_eq!(status(call("127.0.0.1:50000").await), StatusCode::OK);
        assert_eq!(status(call("[::1]:50000").await), StatusCode::OK);
        assert_eq!(
            status(call("192.168.0.10:50000").await),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            status(call("203.0.113.5:50000").await),
            StatusCode::NOT_FOUND
        );
    }
}
