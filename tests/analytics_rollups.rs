//! The analytics read model on both stores: the rollups equal a direct count over the raw rows
//! (entries, visits), hour buckets follow Asia/Seoul across midnight, and delivering every
//! domain event a second time (as Service Bus may) changes no figure.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use event_marketing::domain::Objective;
use event_marketing::domain::promotion::IndustryKind;
use event_marketing::ports::{Clock, RecommendationStore};
use reqwest::StatusCode;
use serde_json::{Value, json};

use common::entries::{entry, phone, publish, ready};
use common::{Backend, TestApp, TestClock};

/// 23:30 in Seoul on 2026-12-14 (entries before and after midnight fall on two Seoul days).
fn before_seoul_midnight() -> Arc<TestClock> {
    let clock = TestClock::new();
    let target = Utc.with_ymd_and_hms(2026, 12, 14, 14, 30, 0).unwrap();
    clock.advance(target - clock.now());
    clock
}

async fn enter_as(app: &TestApp, event: &str, n: usize, channel: Option<&str>) {
    let mut body = entry("홍길동", &phone(n));
    if let Some(c) = channel {
        body["channel"] = json!(c);
    }
    let res = app
        .client
        .post(format!("{}/api/public/events/{event}/entries", app.base))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
}

/// Opens the public page as browser `n`, through `channel`'s link when given.
async fn view(app: &TestApp, event: &str, n: usize, channel: Option<&str>) {
    let query = channel.map(|c| format!("?channel={c}")).unwrap_or_default();
    let res = app
        .client
        .get(format!("{}/api/public/events/{event}{query}", app.base))
        .header("user-agent", format!("phone-{n}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

/// `SELECT` text of `(source, Seoul hour, count)` rows, sorted.
async fn rows(app: &TestApp, sql_sqlite: &str, sql_pg: &str) -> Vec<String> {
    let sql = match app.db.backend {
        Backend::Sqlite => sql_sqlite,
        Backend::Postgres => sql_pg,
    };
    let text = app.db.raw_text(sql).await;
    let cells: Vec<&str> = text.split('|').filter(|c| !c.is_empty()).collect();
    let mut out: Vec<String> = cells.chunks(3).map(|c| c.join(" ")).collect();
    out.sort();
    out
}

async fn dashboard(app: &TestApp, token: &str, event: &str) -> Value {
    let (s, mut d) = app
        .get(&format!("/api/events/{event}/analytics"), token)
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    d["updatedAt"] = Value::Null;
    d
}

async fn rollups_match_raw_rows(backend: Backend) {
    let clock = before_seoul_midnight();
    let app = TestApp::spawn_with(backend, &[], clock.clone()).await;
    let token = app.owner("rollups@example.com").await;
    let today = common::entries::seoul_today(clock.now());
    let event = ready(&app, &token, today, 10_000).await;
    publish(&app, &token, &event).await;

    let sources = [Some("INSTAGRAM"), Some("KAKAO"), Some("STORE"), None];
    for n in 0..8 {
        view(&app, &event, n, sources[n % 4]).await;
        view(&app, &event, n, sources[n % 4]).await; // the same browser again: not counted
        enter_as(&app, &event, n, sources[n % 4]).await;
    }
    clock.advance(Duration::minutes(45)); // 00:15 in Seoul, the next day
    for n in 8..13 {
        view(&app, &event, n, sources[n % 3]).await;
        enter_as(&app, &event, n, sources[n % 3]).await;
    }
    app.relay().await;

    let id = app.db.uuid_literal(event.parse().unwrap());
    let raw_entries = rows(
        &app,
        &format!("SELECT COALESCE(channel, 'DIRECT'), strftime('%Y-%m-%dT%H', entered_at, '+9 hours'), \
                  CAST(COUNT(*) AS TEXT) FROM entries WHERE event_id = {id} GROUP BY 1, 2"),
        &format!("SELECT COALESCE(channel, 'DIRECT'), to_char(entered_at AT TIME ZONE 'Asia/Seoul', \
                  'YYYY-MM-DD\"T\"HH24'), CAST(COUNT(*) AS TEXT) FROM entries WHERE event_id = {id} GROUP BY 1, 2"),
    )
    .await;
    let rolled = rows(
        &app,
        &format!(
            "SELECT source, strftime('%Y-%m-%dT%H', hour, '+9 hours'), CAST(entries AS TEXT) \
                  FROM analytics_hourly WHERE event_id = {id} AND entries > 0"
        ),
        &format!(
            "SELECT source, to_char(hour AT TIME ZONE 'Asia/Seoul', 'YYYY-MM-DD\"T\"HH24'), \
                  CAST(entries AS TEXT) FROM analytics_hourly WHERE event_id = {id} AND entries > 0"
        ),
    )
    .await;
    assert_eq!(rolled, raw_entries);
    assert!(
        raw_entries.iter().any(|r| r.contains("2026-12-14T23")),
        "{raw_entries:?}"
    );
    assert!(
        raw_entries.iter().any(|r| r.contains("2026-12-15T00")),
        "{raw_entries:?}"
    );

    let raw_views = rows(
        &app,
        &format!(
            "SELECT source, kind, CAST(COUNT(*) AS TEXT) FROM visits WHERE event_id = {id} \
                  AND kind = 'VIEW' GROUP BY 1, 2"
        ),
        &format!(
            "SELECT source, kind, CAST(COUNT(*) AS TEXT) FROM visits WHERE event_id = {id} \
                  AND kind = 'VIEW' GROUP BY 1, 2"
        ),
    )
    .await;
    let rolled_views = rows(
        &app,
        &format!("SELECT source, 'VIEW', CAST(views AS TEXT) FROM analytics_channels WHERE event_id = {id} AND views > 0"),
        &format!("SELECT source, 'VIEW', CAST(views AS TEXT) FROM analytics_channels WHERE event_id = {id} AND views > 0"),
    )
    .await;
    assert_eq!(rolled_views, raw_views);

    // The dashboard's days are Seoul days: 8 entries on the 14th, 5 on the 15th.
    let before = dashboard(&app, &token, &event).await;
    let days: Vec<(String, i64)> = (before["daily"].as_array().unwrap().iter())
        .map(|d| {
            (
                d["at"].as_str().unwrap().to_owned(),
                d["entries"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        days,
        [("2026-12-14".to_owned(), 8), ("2026-12-15".to_owned(), 5)]
    );
    assert_eq!(before["totals"]["entries"], 13);
    assert_eq!(before["totals"]["views"], 13);

    // Every domain event delivered again, as Service Bus would after a lost completion.
    let payloads = app
        .db
        .raw_text(
            "SELECT CAST(payload AS TEXT) FROM outbox WHERE destination = 'event-domain-events'",
        )
        .await;
    let mut redelivered = 0;
    for payload in payloads.split('|').filter(|p| !p.is_empty()) {
        let invocation = json!({"Data": {"message": Value::String(payload.to_owned()).to_string()},
            "Metadata": {"DeliveryCount": "2", "sys": {"MethodName": "analytics-worker"}}});
        let (s, body) = app.invoke("analytics-worker", invocation).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert!(
            body["Logs"][0]
                .as_str()
                .unwrap()
                .contains("already applied"),
            "{body}"
        );
        redelivered += 1;
    }
    assert!(redelivered >= 14, "{redelivered} messages");
    assert_eq!(dashboard(&app, &token, &event).await, before);

    // The recommender's platform history reads the entries from the read model.
    common::entries::end(&app, &token, &event).await;
    app.db
        .execute(&format!(
            "UPDATE events SET promotion_type = 'STAMP_CARD', entry_count = 0 WHERE id = {id}"
        ))
        .await;
    let store = app.db.store().await;
    let history = store
        .promotion_history(IndustryKind::Cafe, Objective::NewCustomers)
        .await
        .unwrap();
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!(history[0].average_entries, 13.0);
}

#[tokio::test]
async fn rollups_match_raw_rows_and_redelivery_changes_nothing_sqlite() {
    rollups_match_raw_rows(Backend::Sqlite).await;
}

#[tokio::test]
async fn rollups_match_raw_rows_and_redelivery_changes_nothing_postgres() {
    rollups_match_raw_rows(Backend::Postgres).await;
}
