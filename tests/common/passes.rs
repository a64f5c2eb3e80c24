//! A published promotion customers join for a pass, and the counter's acts on passes.
#![allow(dead_code, clippy::unwrap_used)]

use chrono::NaiveDate;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::TestApp;
use super::entries::{enter, entry, publish, ready};

/// A draft with its poster, the promotion set to `mechanic`, published; entries open `start`.
pub async fn promotion(app: &TestApp, token: &str, start: NaiveDate, mechanic: Value) -> String {
    let event = ready(app, token, start, 10_000).await;
    let path = format!("/api/events/{event}/promotion");
    let (s, body) = app.put(&path, token, mechanic).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    publish(app, token, &event).await;
    event
}

/// A 20 % coupon, used once, valid until `until`, at most `cap` (none when 0).
pub fn coupon(cap: u32, until: NaiveDate) -> Value {
    json!({"type": "COUPON", "benefit": {"kind": "PERCENT", "rate": 20},
           "cap": (cap > 0).then_some(cap), "validity": {"kind": "UNTIL", "date": until}, "uses": 1})
}

/// Joins with `phone` (and an invite code); the answer.
pub async fn join(
    app: &TestApp,
    event: &str,
    phone: &str,
    invite: Option<&str>,
) -> (StatusCode, Value) {
    let mut body = entry("김민지", phone);
    if let Some(code) = invite {
        body["invite"] = json!(code);
    }
    enter(app, event, body, None).await
}

/// Joins and returns the pass code.
pub async fn pass_of(app: &TestApp, event: &str, phone: &str, invite: Option<&str>) -> String {
    let (s, body) = join(app, event, phone, invite).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    body["pass"]["code"].as_str().unwrap().to_owned()
}

pub async fn pass(app: &TestApp, code: &str) -> (StatusCode, Value) {
    app.call(
        Method::GET,
        &format!("/api/public/passes/{code}"),
        None,
        None,
    )
    .await
}

/// The counter does `act` to the pass (the owner's token).
pub async fn act(
    app: &TestApp,
    token: &str,
    code: &str,
    act: &str,
    spend: Option<i64>,
) -> (StatusCode, Value) {
    let body = json!({"act": act, "spend": spend});
    app.post(&format!("/api/passes/{code}/acts"), Some(token), body)
        .await
}

pub async fn undo(app: &TestApp, token: &str, code: &str) -> (StatusCode, Value) {
    app.call(
        Method::POST,
        &format!("/api/passes/{code}/undo"),
        Some(token),
        None,
    )
    .await
}
