//! A published event customers can enter (sandbox channel, one poster), and entering it.
#![allow(dead_code, clippy::unwrap_used)]

use chrono::{Duration, NaiveDate};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::TestApp;
use super::process::ApiClient;

/// Today in Seoul by the app's clock.
pub fn seoul_today(now: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    (now + Duration::hours(9)).date_naive()
}

/// A draft named, priced and dated (`start`..`start + 6`), with Instagram chosen and its poster
/// selected: ready to publish (to the local sandbox).
pub async fn ready(app: &TestApp, token: &str, start: NaiveDate, prize_value: i64) -> String {
    let event = app.draft(token).await;
    let edit = json!({"name": "겨울 신메뉴 시음 이벤트", "description": "신메뉴를 맛보고 응모하세요.",
        "prize": "딸기 라테 교환권", "prizeValue": prize_value,
        "startDate": start.to_string(), "endDate": (start + Duration::days(6)).to_string()});
    let (s, body) = app.put(&format!("/api/events/{event}"), token, edit).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, body) = app
        .put(
            &format!("/api/events/{event}/channels"),
            token,
            json!({"channels": ["INSTAGRAM"]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, job) = app
        .post(
            &format!("/api/events/{event}/images"),
            Some(token),
            json!({"platforms": ["INSTAGRAM"], "styles": ["BOLD"]}),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{job}");
    app.relay().await;
    let (_, images) = app.get(&format!("/api/events/{event}/images"), token).await;
    let id = images["items"][0]["imageId"].as_str().unwrap().to_owned();
    let path = format!("/api/events/{event}/images/{id}/select");
    let (s, body) = app.call(Method::PUT, &path, Some(token), None).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    event
}

/// A published event whose entries are open today.
/// Makes a draft a giveaway drawing `winners` (and as many alternates): the counts its notice
/// states and its draw must use; its description becomes its terms.
pub async fn giveaway(app: &TestApp, token: &str, event: &str, winners: u32) {
    let path = format!("/api/events/{event}/promotion");
    let mechanic = json!({"type": "GIVEAWAY", "winners": winners});
    let (s, body) = app.put(&path, token, mechanic).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let described = super::passes::described(&body);
    let (s, body) = app
        .put(&format!("/api/events/{event}"), token, described)
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
}

/// A published giveaway of `winners`, taking entries from `today`.
pub async fn open_giveaway(app: &TestApp, token: &str, today: NaiveDate, winners: u32) -> String {
    let event = ready(app, token, today, 10_000).await;
    giveaway(app, token, &event, winners).await;
    publish(app, token, &event).await;
    event
}

pub async fn open_event(app: &TestApp, token: &str, today: NaiveDate) -> String {
    let event = ready(app, token, today, 10_000).await;
    publish(app, token, &event).await;
    event
}

pub async fn publish(app: &TestApp, token: &str, event: &str) {
    let path = format!("/api/events/{event}/publish");
    let (s, body) = app.call(Method::POST, &path, Some(token), None).await;
    assert_eq!(s, StatusCode::OK, "{body}");
}

pub async fn end(app: &TestApp, token: &str, event: &str) {
    let path = format!("/api/events/{event}/end");
    let (s, body) = app.call(Method::POST, &path, Some(token), None).await;
    assert_eq!(s, StatusCode::OK, "{body}");
}

/// The public event page, as a customer's browser reads it (no token).
pub async fn public_page(app: &TestApp, event: &str) -> (StatusCode, Value) {
    let path = format!("/api/public/events/{event}");
    app.call(Method::GET, &path, None, None).await
}

pub fn entry(name: &str, phone: &str) -> Value {
    json!({"name": name, "phone": phone, "agreePrivacy": true, "ageOver14": true})
}

/// POSTs an entry (with an Idempotency-Key if given).
pub async fn enter(
    app: &TestApp,
    event: &str,
    body: Value,
    key: Option<&str>,
) -> (StatusCode, Value) {
    let mut req = app
        .client
        .post(format!("{}/api/public/events/{event}/entries", app.base))
        .json(&body);
    if let Some(k) = key {
        req = req.header("Idempotency-Key", k);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// The `n`-th distinct valid mobile number.
pub fn phone(n: usize) -> String {
    format!("010-{:04}-{:04}", 2000 + n / 10_000, n % 10_000)
}

/// Runs the participants-purge timer as the host would.
pub async fn purge(app: &TestApp) -> String {
    app.timer("participants-purge").await
}

/// Over HTTP on a running binary (its relay runs the jobs): a published event (one poster, the
/// local sandbox channel) whose entries are open today.
pub async fn open_event_of(c: &ApiClient) -> String {
    open_event_with(c, &["INSTAGRAM"], json!({})).await
}

/// The same, on `channels`, with `extra` fields in the edit (a budget, …; a `mechanic` is set
/// as the event's promotion).
pub async fn open_event_with(c: &ApiClient, channels: &[&str], mut extra: Value) -> String {
    let mechanic = extra.as_object_mut().unwrap().remove("mechanic");
    let e = c
        .call(
            Method::POST,
            "/api/events/objectives",
            Some(json!({"objective": "NEW_CUSTOMERS"})),
        )
        .await;
    let event = e["eventId"].as_str().unwrap().to_owned();
    let today = seoul_today(chrono::Utc::now());
    let mut edit = json!({"name": "겨울 신메뉴 시음 이벤트", "prize": "딸기 라테 교환권",
        "startDate": today.to_string(), "endDate": (today + chrono::Duration::days(6)).to_string()});
    edit.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    c.call(Method::PUT, &format!("/api/events/{event}"), Some(edit))
        .await;
    if let Some(m) = mechanic {
        let path = format!("/api/events/{event}/promotion");
        let set = c.call(Method::PUT, &path, Some(m)).await;
        let edit = super::passes::described(&set);
        c.call(Method::PUT, &format!("/api/events/{event}"), Some(edit))
            .await;
    }
    let chosen = json!({ "channels": channels });
    c.call(
        Method::PUT,
        &format!("/api/events/{event}/channels"),
        Some(chosen),
    )
    .await;
    let images = json!({"platforms": channels, "styles": ["BOLD"]});
    let job = c
        .call(
            Method::POST,
            &format!("/api/events/{event}/images"),
            Some(images),
        )
        .await;
    let job = format!("/api/jobs/{}", job["jobId"].as_str().unwrap());
    c.until(&job, |j| j["status"] == "COMPLETED").await;
    let list = c
        .call(Method::GET, &format!("/api/events/{event}/images"), None)
        .await;
    let image = list["items"][0]["imageId"].as_str().unwrap();
    let select = format!("/api/events/{event}/images/{image}/select");
    c.call(Method::PUT, &select, None).await;
    c.call(Method::POST, &format!("/api/events/{event}/publish"), None)
        .await;
    event
}
