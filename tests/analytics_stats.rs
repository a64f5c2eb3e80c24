//! The channels' own statistics, collected by the `channel-stats` timer from servers that speak
//! the real protocols (Instagram's media insights, the Kakao dealer's delivery results): the
//! dashboard shows them; when a channel is down it shows the last values with their time, never
//! an error; after repeated failures the circuit breaker stops calling the channel.
#![allow(clippy::unwrap_used)]

mod common;

use reqwest::StatusCode;
use serde_json::{Value, json};

use common::Backend;
use common::analytics::row;
use common::channels::Fault;
use common::publishing::{Fakes, connect_all, publish, ready_event};

async fn dashboard(app: &common::TestApp, token: &str, event: &str) -> Value {
    let (s, d) = app
        .get(&format!("/api/events/{event}/analytics"), token)
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    d
}

#[tokio::test]
async fn channel_statistics_survive_a_channel_outage() {
    let fakes = Fakes::start().await;
    let (app, clock) = fakes.app(Backend::Postgres, &[]).await;
    let token = app.owner("stats@example.com").await;
    connect_all(&app, &token).await;
    let event = ready_event(&app, &token, &["INSTAGRAM", "KAKAO"]).await;
    let d = publish(&app, &token, &event).await;
    assert_eq!(d["status"], "COMPLETED", "{d}");
    *fakes.ig.insights.lock().unwrap() = (120, 15, 3);
    *fakes.kakao.results.lock().unwrap() = vec![
        ("COMPLETED", "1000"),
        ("COMPLETED", "1000"),
        ("COMPLETED", "3019"),
        ("SENDING", ""),
    ];

    let line = app.timer("channel-stats").await;
    assert!(line.contains("collected for 2 post(s), 0 failed"), "{line}");
    let first = dashboard(&app, &token, &event).await;
    let ig = &row(&first, "INSTAGRAM")["stats"];
    assert_eq!(
        ig["values"],
        json!({"reach": 120, "likes": 15, "comments": 3}),
        "{first:#}"
    );
    let kakao = &row(&first, "KAKAO")["stats"];
    assert_eq!(
        kakao["values"],
        json!({"delivered": 2, "failed": 1, "pending": 1})
    );
    let collected = ig["collectedAt"].clone();

    // Instagram goes down: the last values stay, with when they were read and why they are old.
    clock.advance(chrono::Duration::minutes(30));
    for _ in 0..15 {
        fakes.ig.faults.fail(
            "insights",
            Fault::Answer(
                500,
                json!({"error": {"code": 2,
            "message": "An unexpected error has occurred. Please retry your request later.",
            "is_transient": true}}),
            ),
        );
    }
    let line = app.timer("channel-stats").await;
    assert!(line.contains("1 failed"), "{line}");
    let later = dashboard(&app, &token, &event).await;
    let ig = &row(&later, "INSTAGRAM")["stats"];
    assert_eq!(ig["values"]["reach"], 120);
    assert_eq!(ig["collectedAt"], collected);
    assert!(
        ig["lastError"].as_str().unwrap().contains("Instagram"),
        "{ig}"
    );
    assert_ne!(ig["attemptedAt"], collected);

    // Four more failures open the breaker: the fifth run does not call Instagram at all.
    for _ in 0..4 {
        app.timer("channel-stats").await;
    }
    let calls = fakes.ig.faults.called("insights");
    app.timer("channel-stats").await;
    assert_eq!(
        fakes.ig.faults.called("insights"),
        calls,
        "the breaker is open"
    );
    let row_now = dashboard(&app, &token, &event).await;
    let ig = &row(&row_now, "INSTAGRAM")["stats"];
    assert!(
        ig["lastError"].as_str().unwrap().contains("circuit open"),
        "{ig}"
    );
    assert_eq!(ig["values"]["likes"], 15);
}
