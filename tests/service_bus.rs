//! The Service Bus sender against a local server that implements the REST "send message"
//! endpoint (SAS-verified), including 401, 500 and a slow answer; and the Azure path end to
//! end: relay → Service Bus → the worker function with the host's payload.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::{Backend, TestApp, TestClock};
use event_marketing::adapters::service_bus::{ServiceBusSender, ServiceBusSettings};
use event_marketing::config::Secret;
use event_marketing::domain::job::JobType;
use event_marketing::domain::{EventId, JobId, OutboxMessage};
use event_marketing::ports::MessageSender;
use hmac::{Hmac, Mac};
use reqwest::Method;
use serde_json::{Value, json};
use sha2::Sha256;

const NAMESPACE: &str = "evmkt-test";
const KEY_NAME: &str = "app-sender";
const KEY: &str = "c2VjcmV0LXNlbmQta2V5LWZvci10ZXN0cw==";

#[derive(Debug, Clone)]
struct Received {
    entity: String,
    broker_properties: Value,
    content_type: String,
    message_type: Option<String>,
    body: String,
}

#[derive(Default)]
struct Bus {
    received: Mutex<Vec<Received>>,
    /// Answers to give before accepting: (status, delay).
    trouble: Mutex<Vec<(u16, Duration)>>,
}

fn header(h: &HeaderMap, name: &str) -> Option<String> {
    h.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// Verifies `SharedAccessSignature sr=…&sig=…&se=…&skn=…` as Service Bus does.
fn sas_ok(authorization: &str) -> bool {
    let Some(token) = authorization.strip_prefix("SharedAccessSignature ") else {
        return false;
    };
    let field = |k: &str| {
        token
            .split('&')
            .find_map(|p| p.strip_prefix(&format!("{k}=")))
            .map(str::to_owned)
    };
    let (Some(sr), Some(sig), Some(se), Some(skn)) =
        (field("sr"), field("sig"), field("se"), field("skn"))
    else {
        return false;
    };
    let sig: String = url::form_urlencoded::parse(format!("s={sig}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let mut mac = Hmac::<Sha256>::new_from_slice(KEY.as_bytes()).unwrap();
    mac.update(format!("{sr}\n{se}").as_bytes());
    skn == KEY_NAME && STANDARD.encode(mac.finalize().into_bytes()) == sig
}

async fn send(
    State(bus): State<Arc<Bus>>,
    Path(entity): Path<String>,
    headers: HeaderMap,
    body: String,
) -> axum::response::Response {
    if !sas_ok(&header(&headers, "authorization").unwrap_or_default()) {
        return (
            StatusCode::UNAUTHORIZED,
            "<Error><Code>401</Code><Detail>InvalidSignature</Detail></Error>",
        )
            .into_response();
    }
    let trouble = bus.trouble.lock().unwrap().pop();
    if let Some((status, delay)) = trouble {
        tokio::time::sleep(delay).await;
        return (
            StatusCode::from_u16(status).unwrap(),
            "<Error><Code>500</Code></Error>",
        )
            .into_response();
    }
    bus.received.lock().unwrap().push(Received {
        entity,
        broker_properties: serde_json::from_str(
            &header(&headers, "brokerproperties").unwrap_or_default(),
        )
        .unwrap_or(Value::Null),
        content_type: header(&headers, "content-type").unwrap_or_default(),
        message_type: header(&headers, "type"),
        body,
    });
    StatusCode::CREATED.into_response()
}

async fn service_bus() -> (String, Arc<Bus>) {
    let bus = Arc::new(Bus::default());
    let app = axum::Router::new()
        .route("/{entity}/messages", axum::routing::post(send))
        .with_state(bus.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, bus)
}

fn sender(endpoint: &str, key: &str, timeout: Duration) -> ServiceBusSender {
    ServiceBusSender::new(ServiceBusSettings {
        namespace: NAMESPACE.into(),
        key_name: KEY_NAME.into(),
        key: Secret::new(key.into()),
        endpoint: Some(url::Url::parse(endpoint).unwrap()),
        timeout,
    })
    .unwrap()
}

fn message() -> OutboxMessage {
    let job = JobType::AiRecommendation.message(JobId::new());
    OutboxMessage::new(EventId::new(), job, chrono::Utc::now())
}

#[tokio::test]
async fn sends_with_the_rest_protocol() {
    let (base, bus) = service_bus().await;
    let msg = message();
    sender(&base, KEY, Duration::from_secs(5))
        .send(&msg)
        .await
        .unwrap();
    let received = bus.received.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    let r = &received[0];
    assert_eq!(r.entity, "ai-recommendation-jobs");
    assert_eq!(r.broker_properties["MessageId"], msg.id.to_string());
    assert_eq!(r.content_type, "application/json");
    assert_eq!(r.message_type.as_deref(), Some("AiRecommendationRequested"));
    assert_eq!(serde_json::from_str::<Value>(&r.body).unwrap(), msg.payload);
}

#[tokio::test]
async fn a_wrong_key_a_server_error_and_a_slow_answer_are_errors() {
    let (base, bus) = service_bus().await;
    let err = sender(&base, "d3Jvbmcta2V5", Duration::from_secs(5))
        .send(&message())
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("401") || err.to_string().contains("Unauthorized"),
        "{err}"
    );
    bus.trouble.lock().unwrap().push((500, Duration::ZERO));
    let err = sender(&base, KEY, Duration::from_secs(5))
        .send(&message())
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("500") || err.to_string().contains("Internal"),
        "{err}"
    );
    bus.trouble
        .lock()
        .unwrap()
        .push((201, Duration::from_secs(3)));
    let started = std::time::Instant::now();
    let err = sender(&base, KEY, Duration::from_secs(1))
        .send(&message())
        .await;
    assert!(err.is_err(), "a slow answer is a failure");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(bus.received.lock().unwrap().is_empty());
}

fn settings(base: &str) -> Vec<(&'static str, String)> {
    vec![
        ("SERVICE_BUS_NAMESPACE", NAMESPACE.into()),
        ("SERVICE_BUS_SAS_KEY_NAME", KEY_NAME.into()),
        ("SERVICE_BUS_SAS_KEY", KEY.into()),
        ("SERVICE_BUS_ENDPOINT", base.into()),
    ]
}

/// The Azure path: the relay publishes (the job waits), then Service Bus's delivery to the
/// worker function completes it.
async fn relay_publishes_and_the_worker_function_completes(b: Backend) {
    let (base, bus) = service_bus().await;
    let vars = settings(&base);
    let extra: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let app = TestApp::spawn_with(b, &extra, Arc::new(event_marketing::ports::SystemClock)).await;
    let token = app.owner("a@cafe.kr").await;
    let event = app.draft(&token).await;
    let (_, accepted) = app
        .call(
            Method::POST,
            &format!("/api/events/{event}/ai-recommendations"),
            Some(&token),
            None,
        )
        .await;
    let job = accepted["jobId"].as_str().unwrap().to_owned();
    assert!(app.relay().await.starts_with("delivered 1"));
    let (_, j) = app.get(&format!("/api/jobs/{job}"), &token).await;
    assert_eq!(j["status"], "PENDING", "published, not run in process");

    let sent = bus.received.lock().unwrap()[0].clone();
    let host_payload = json!({
        "Data": {"message": Value::String(sent.body.clone()).to_string()},
        "Metadata": {"MessageId": Value::String(sent.broker_properties["MessageId"].as_str().unwrap().into()).to_string(),
                     "DeliveryCount": "1", "sys": {"MethodName": "ai-recommendation-worker"}}
    });
    let (s, body) = app.invoke("ai-recommendation-worker", host_payload).await;
    assert_eq!(s, reqwest::StatusCode::OK, "{body}");
    let (_, j) = app.get(&format!("/api/jobs/{job}"), &token).await;
    assert_eq!(j["status"], "COMPLETED");
    // Published exactly once: the outbox row is delivered.
    assert!(app.relay().await.starts_with("delivered 0"));
    assert_eq!(bus.received.lock().unwrap().len(), 1);
}

/// Service Bus refusing (bad key): the relay retries later and finally gives the job up.
async fn an_unreachable_service_bus_fails_the_job_in_the_end(b: Backend) {
    let (base, _bus) = service_bus().await;
    let mut vars = settings(&base);
    vars[2].1 = "d3Jvbmcta2V5".into();
    vars.push(("JOB_MAX_DELIVERIES", "2".into()));
    let extra: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let clock = TestClock::new();
    let app = TestApp::spawn_with(b, &extra, clock.clone()).await;
    let token = app.owner("a@cafe.kr").await;
    let event = app.draft(&token).await;
    let (_, accepted) = app
        .call(
            Method::POST,
            &format!("/api/events/{event}/ai-recommendations"),
            Some(&token),
            None,
        )
        .await;
    let job = accepted["jobId"].as_str().unwrap().to_owned();
    assert_eq!(
        app.relay().await,
        "delivered 0, to retry 1, dead-lettered 0"
    );
    clock.advance(chrono::Duration::seconds(2));
    assert_eq!(
        app.relay().await,
        "delivered 0, to retry 0, dead-lettered 1"
    );
    let (_, j) = app.get(&format!("/api/jobs/{job}"), &token).await;
    assert_eq!(j["status"], "FAILED", "{j}");
}

/// A message Service Bus never delivers (lost to a dead-letter queue nobody reads): the job is
/// failed by the sweep instead of staying PENDING forever.
async fn a_job_whose_message_never_arrives_is_failed_by_the_sweep(b: Backend) {
    let (base, _bus) = service_bus().await;
    let vars = settings(&base);
    let extra: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let clock = TestClock::new();
    let app = TestApp::spawn_with(b, &extra, clock.clone()).await;
    let token = app.owner("a@cafe.kr").await;
    let event = app.draft(&token).await;
    let (_, accepted) = app
        .call(
            Method::POST,
            &format!("/api/events/{event}/ai-recommendations"),
            Some(&token),
            None,
        )
        .await;
    let job = accepted["jobId"].as_str().unwrap().to_owned();
    app.relay().await;
    clock.advance(chrono::Duration::minutes(29));
    app.relay().await;
    let (_, j) = app.get(&format!("/api/jobs/{job}"), &token).await;
    assert_eq!(j["status"], "PENDING");
    clock.advance(chrono::Duration::minutes(2));
    app.relay().await;
    let (_, j) = app.get(&format!("/api/jobs/{job}"), &token).await;
    assert_eq!(j["status"], "FAILED", "{j}");
    assert!(j["errorMessage"].as_str().unwrap().contains("오래"), "{j}");
}

on_both_backends!(
    a_job_whose_message_never_arrives_is_failed_by_the_sweep,
    relay_publishes_and_the_worker_function_completes,
    an_unreachable_service_bus_fails_the_job_in_the_end,
);
