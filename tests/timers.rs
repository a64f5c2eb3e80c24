//! Timer functions, invoked the way the Functions host does: `POST /<function>` with the host's
//! invocation payload, answered with `{"Outputs","Logs","ReturnValue"}`.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::{Duration, NaiveDate};
use common::{Backend, TestApp, TestClock};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn timer_payload(past_due: bool) -> Value {
    json!({
        "Data": {"timer": {
            "Schedule": {"AdjustForDST": true},
            "ScheduleStatus": {
                "Last": "2026-11-20T15:00:00+00:00",
                "Next": "2026-11-21T15:00:00+00:00",
                "LastUpdated": "2026-11-20T15:00:00+00:00"
            },
            "IsPastDue": past_due
        }},
        "Metadata": {"sys": {"MethodName": "events-auto-end", "UtcNow": "2026-11-21T15:00:00Z", "RandGuid": "6f3a2c1e-0000-0000-0000-000000000000"}}
    })
}

async fn invoke(app: &TestApp, body: Value) -> (StatusCode, Value) {
    let res = app
        .client
        .post(format!("{}/events-auto-end", app.base))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    assert!(!text.is_empty(), "the host must never get an empty body");
    (status, serde_json::from_str(&text).unwrap())
}

/// A published event whose end date is `end`, made by the owner behind `token`.
async fn published_event(app: &TestApp, token: &str, start: &str, end: &str) -> String {
    let id = app.draft(token).await;
    let path = format!("/api/events/{id}");
    let (s, _) = app
        .put(
            &path,
            token,
            json!({"name": "가을 이벤트", "startDate": start, "endDate": end}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    app.put(
        &format!("{path}/channels"),
        token,
        json!({"channels": ["KAKAO"]}),
    )
    .await;
    app.publish_directly(token, &id).await;
    id
}

async fn events_end_by_themselves_after_their_last_day(b: Backend) {
    let clock = TestClock::new();
    let app = TestApp::spawn_with(b, &[], clock.clone()).await;
    let token = app.owner("a@cafe.kr").await;
    // "Today" in Seoul, by the test clock.
    let today = event_marketing::domain::calendar::seoul_date(event_marketing::ports::Clock::now(
        clock.as_ref(),
    ));
    let day = |offset: i64| (today + Duration::days(offset)).to_string();
    let yesterday_ended = published_event(&app, &token, &day(-10), &day(-1)).await;
    let ends_today = published_event(&app, &token, &day(-10), &day(0)).await;

    let (s, body) = invoke(&app, timer_payload(false)).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["Outputs"], json!({}));
    assert_eq!(body["ReturnValue"], Value::Null);
    assert!(
        body["Logs"][0]
            .as_str()
            .unwrap()
            .starts_with("ended 1 event(s)"),
        "{body}"
    );

    let (_, ended) = app
        .get(&format!("/api/events/{yesterday_ended}"), &token)
        .await;
    assert_eq!(ended["status"], "ENDED");
    let (_, running) = app.get(&format!("/api/events/{ends_today}"), &token).await;
    assert_eq!(
        running["status"], "PUBLISHED",
        "the last day is still a day of the event"
    );

    // Delivered again (or past due): nothing more changes.
    let (s, body) = invoke(&app, timer_payload(true)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        body["Logs"][0]
            .as_str()
            .unwrap()
            .starts_with("ended 0 event(s)"),
        "{body}"
    );

    // The next day, the other one ends too.
    clock.advance(Duration::days(1));
    let (_, body) = invoke(&app, timer_payload(false)).await;
    assert!(
        body["Logs"][0]
            .as_str()
            .unwrap()
            .starts_with("ended 1 event(s)"),
        "{body}"
    );
    let (_, ended) = app.get(&format!("/api/events/{ends_today}"), &token).await;
    assert_eq!(ended["status"], "ENDED");
    assert!(NaiveDate::parse_from_str(ended["endDate"].as_str().unwrap(), "%Y-%m-%d").is_ok());
}

async fn an_unreadable_invocation_is_refused_with_the_answer_shape(b: Backend) {
    let app = TestApp::spawn(b).await;
    let (s, body) = invoke(&app, json!({"Data": {}, "Metadata": {}})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(body["Outputs"], json!({}));
    assert!(
        body["Logs"][0].as_str().unwrap().contains("timer"),
        "{body}"
    );
    let res = app
        .client
        .post(format!("{}/events-auto-end", app.base))
        .body("garbage")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: Value = res.json().await.unwrap();
    assert!(body["Logs"].is_array());
}

on_both_backends!(
    events_end_by_themselves_after_their_last_day,
    an_unreadable_invocation_is_refused_with_the_answer_shape,
);
