//! AI plans end to end: the job, the outbox, the worker (in process and as the Service Bus
//! function with the host's payload), idempotency, failures, and the owner's selection.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashSet;
use std::sync::Arc;

use async_trait::async_trait;
use common::{Backend, TestApp, TestClock, assert_error};
use event_marketing::ports::{RecommendationInput, Recommended, Recommender, RecommenderError};
use event_marketing::startup::Overrides;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn request_plans(app: &TestApp, token: &str, event: &str) -> String {
    let (s, body) = app
        .call(
            Method::POST,
            &format!("/api/events/{event}/ai-recommendations"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{body}");
    assert_eq!(body["status"], "PENDING");
    body["jobId"].as_str().unwrap().to_owned()
}

/// A Service Bus delivery as the Functions host sends it: body double-encoded, strings
/// JSON-encoded a second time, the delivery count a string.
fn service_bus_delivery(job_id: &str, event_id: &str, delivery_count: u32) -> Value {
    let body = json!({"id": "0b8f6f5e-4f59-4a2b-9d0e-9c1d2e3f4a5b", "type": "AiRecommendationRequested", "occurredAt": "2026-11-21T03:00:00Z",
                      "eventId": event_id, "data": {"jobId": job_id}});
    json!({
        "Data": {"message": Value::String(body.to_string()).to_string()},
        "Metadata": {
            "MessageId": "\"0b8f6f5e-4f59-4a2b-9d0e-9c1d2e3f4a5b\"",
            "DeliveryCount": delivery_count.to_string(),
            "EnqueuedTimeUtc": "\"2026-11-21T03:00:00Z\"",
            "ContentType": "\"application/json\"",
            "ApplicationProperties": {"type": "AiRecommendationRequested"},
            "MessageReceiver": {}, "MessageActions": {},
            "sys": {"MethodName": "ai-recommendation-worker", "UtcNow": "2026-11-21T03:00:01Z", "RandGuid": "1"}
        }
    })
}

async fn owner_requests_selects_and_customises_a_plan(b: Backend) {
    let app = TestApp::spawn(b).await;
    let token = app.owner("a@cafe.kr").await;
    let event = app.draft(&token).await;
    let job = request_plans(&app, &token, &event).await;

    let (_, pending) = app.get(&format!("/api/jobs/{job}"), &token).await;
    assert_eq!(pending["status"], "PENDING");
    assert_eq!(pending["progress"], 0);
    assert_eq!(pending["jobType"], "AI_RECOMMENDATION");

    assert!(app.relay().await.starts_with("delivered 1"));
    let (_, done) = app.get(&format!("/api/jobs/{job}"), &token).await;
    assert_eq!(done["status"], "COMPLETED", "{done}");
    assert_eq!(done["progress"], 100);
    assert_eq!(done["resultKey"], format!("recommendations/{event}"));

    let (s, list) = app
        .get(&format!("/api/events/{event}/recommendations"), &token)
        .await;
    assert_eq!(s, StatusCode::OK);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    let types: HashSet<&str> = items
        .iter()
        .map(|i| i["promotionType"].as_str().unwrap())
        .collect();
    assert_eq!(types.len(), 3, "three different promotion types");
    for (i, item) in items.iter().enumerate() {
        assert_eq!(item["rank"], i + 1);
        assert_eq!(item["selected"], false);
        assert!(
            item["reason"]
                .as_str()
                .unwrap()
                .chars()
                .any(|c| ('가'..='힣').contains(&c))
        );
        assert!(item["adCopy"].as_str().unwrap().starts_with("(광고)"));
        assert!(item["expectedParticipants"].as_u64().unwrap() > 0);
    }

    // Select the second plan and change its name; everything else comes from the plan.
    let second = &items[1];
    let (s, selected) = app
        .put(
            &format!("/api/events/{event}/recommendations"),
            &token,
            json!({"recommendationId": second["recommendationId"], "name": "우리 동네 첫 이벤트"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{selected}");
    assert_eq!(selected["recommendation"]["selected"], true);
    let ev = &selected["event"];
    assert_eq!(ev["name"], "우리 동네 첫 이벤트");
    assert_eq!(ev["description"], second["description"]);
    assert_eq!(ev["prize"], second["prize"]);
    assert_eq!(ev["startDate"], second["startDate"]);
    assert_eq!(ev["endDate"], second["endDate"]);
    assert_eq!(ev["budget"], second["estimatedCost"]);

    // Selecting another one moves the selection: at most one is selected.
    let (s, _) = app
        .put(
            &format!("/api/events/{event}/recommendations"),
            &token,
            json!({"recommendationId": items[0]["recommendationId"]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, list) = app
        .get(&format!("/api/events/{event}/recommendations"), &token)
        .await;
    let selected: Vec<u64> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["selected"] == true)
        .map(|i| i["rank"].as_u64().unwrap())
        .collect();
    assert_eq!(selected, vec![1]);

    // Bad selections.
    let (s, body) = app
        .put(
            &format!("/api/events/{event}/recommendations"),
            &token,
            json!({"recommendationId": uuid::Uuid::new_v4()}),
        )
        .await;
    assert_error(s, &body, 404, "REC_001");
    let (s, body) = app
        .put(
            &format!("/api/events/{event}/recommendations"),
            &token,
            json!({"recommendationId": items[0]["recommendationId"], "startDate": "2030-01-01", "endDate": "2029-01-01"}),
        )
        .await;
    assert_error(s, &body, 400, "EVENT_005");
    let (s, body) = app
        .put(
            &format!("/api/events/{event}/recommendations"),
            &token,
            json!({"recommendationId": items[0]["recommendationId"], "status": "PUBLISHED"}),
        )
        .await;
    assert_error(s, &body, 400, "REQ_002");
}

async fn the_service_bus_worker_is_idempotent(b: Backend) {
    let app = TestApp::spawn(b).await;
    let token = app.owner("a@cafe.kr").await;
    let event = app.draft(&token).await;
    let job = request_plans(&app, &token, &event).await;

    // The host delivers the message to the function (not through our relay).
    let (s, body) = app
        .invoke(
            "ai-recommendation-worker",
            service_bus_delivery(&job, &event, 1),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["Outputs"], json!({}));
    assert_eq!(body["ReturnValue"], Value::Null);
    let (_, first) = app
        .get(&format!("/api/events/{event}/recommendations"), &token)
        .await;
    assert_eq!(first["items"].as_array().unwrap().len(), 3);

    // Delivered again (Service Bus is at-least-once): nothing changes.
    let (s, body) = app
        .invoke(
            "ai-recommendation-worker",
            service_bus_delivery(&job, &event, 2),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        body["Logs"][0]
            .as_str()
            .unwrap()
            .contains("already COMPLETED"),
        "{body}"
    );
    let (_, second) = app
        .get(&format!("/api/events/{event}/recommendations"), &token)
        .await;
    assert_eq!(first, second, "exactly one set of results");

    // An unreadable delivery is refused (400), with the answer shape.
    let (s, body) = app
        .invoke(
            "ai-recommendation-worker",
            json!({"Data": {}, "Metadata": {}}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        body["Logs"][0]
            .as_str()
            .unwrap()
            .starts_with("invalid invocation")
    );
}

struct Unavailable;

#[async_trait]
impl Recommender for Unavailable {
    async fn recommend(&self, _: &RecommendationInput) -> Result<Recommended, RecommenderError> {
        Err(RecommenderError::Retryable("provider answered 503".into()))
    }
}

async fn a_failing_provider_is_redelivered_then_fails_the_job(b: Backend) {
    let app = TestApp::spawn_with_overrides(
        b,
        &[("JOB_MAX_DELIVERIES", "3")],
        Overrides {
            recommender: Some(Arc::new(Unavailable)),
            ..Default::default()
        },
    )
    .await;
    let token = app.owner("a@cafe.kr").await;
    let event = app.draft(&token).await;
    let job = request_plans(&app, &token, &event).await;

    for delivery in 1..=2 {
        let (s, body) = app
            .invoke(
                "ai-recommendation-worker",
                service_bus_delivery(&job, &event, delivery),
            )
            .await;
        assert_eq!(
            s,
            StatusCode::SERVICE_UNAVAILABLE,
            "non-2xx asks for a redelivery: {body}"
        );
        assert!(body["Logs"][0].as_str().unwrap().starts_with("retry"));
        let (_, j) = app.get(&format!("/api/jobs/{job}"), &token).await;
        assert_eq!(j["status"], "PROCESSING");
    }
    // The last allowed delivery fails the job with a message the owner can act on.
    let (s, body) = app
        .invoke(
            "ai-recommendation-worker",
            service_bus_delivery(&job, &event, 3),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (_, j) = app.get(&format!("/api/jobs/{job}"), &token).await;
    assert_eq!(j["status"], "FAILED");
    assert!(
        j["errorMessage"]
            .as_str()
            .unwrap()
            .contains("다시 요청해 주세요"),
        "{j}"
    );
    let (_, list) = app
        .get(&format!("/api/events/{event}/recommendations"), &token)
        .await;
    assert_eq!(list["items"], json!([]));
}

/// The in-process bus: retries with a growing delay, then dead-letters and fails the job.
async fn the_local_relay_retries_then_dead_letters(b: Backend) {
    let clock = TestClock::new();
    let app = TestApp::spawn_with_overrides(
        b,
        &[("JOB_MAX_DELIVERIES", "3")],
        Overrides {
            clock: Some(clock.clone()),
            recommender: Some(Arc::new(Unavailable)),
            ..Default::default()
        },
    )
    .await;
    let token = app.owner("a@cafe.kr").await;
    let event = app.draft(&token).await;
    let job = request_plans(&app, &token, &event).await;

    assert_eq!(
        app.relay().await,
        "delivered 0, to retry 1, dead-lettered 0"
    );
    assert_eq!(
        app.relay().await,
        "delivered 0, to retry 0, dead-lettered 0",
        "not due yet"
    );
    clock.advance(chrono::Duration::seconds(1));
    assert_eq!(
        app.relay().await,
        "delivered 0, to retry 1, dead-lettered 0"
    );
    clock.advance(chrono::Duration::seconds(2));
    // Third delivery = the last: the worker fails the job itself and the message is done.
    assert_eq!(
        app.relay().await,
        "delivered 1, to retry 0, dead-lettered 0"
    );
    let (_, j) = app.get(&format!("/api/jobs/{job}"), &token).await;
    assert_eq!(j["status"], "FAILED", "{j}");
    clock.advance(chrono::Duration::minutes(5));
    assert_eq!(
        app.relay().await,
        "delivered 0, to retry 0, dead-lettered 0"
    );
}

async fn jobs_and_plans_are_the_owners_own(b: Backend) {
    let app = TestApp::spawn(b).await;
    let alice = app.owner("alice@cafe.kr").await;
    let bob = app.owner("bob@cafe.kr").await;
    let event = app.draft(&alice).await;
    let job = request_plans(&app, &alice, &event).await;
    app.relay().await;
    let (s, body) = app.get(&format!("/api/jobs/{job}"), &bob).await;
    assert_error(s, &body, 404, "JOB_001");
    let (s, body) = app.get("/api/jobs/not-an-id", &bob).await;
    assert_error(s, &body, 404, "JOB_001");
    let (s, body) = app
        .get(&format!("/api/events/{event}/recommendations"), &bob)
        .await;
    assert_error(s, &body, 404, "EVENT_003");
    let (s, body) = app
        .call(
            Method::POST,
            &format!("/api/events/{event}/ai-recommendations"),
            Some(&bob),
            None,
        )
        .await;
    assert_error(s, &body, 404, "EVENT_003");
    let (s, body) = app
        .call(Method::GET, &format!("/api/jobs/{job}"), None, None)
        .await;
    assert_error(s, &body, 401, "AUTH_001");
}

async fn a_deleted_event_fails_its_job(b: Backend) {
    let app = TestApp::spawn(b).await;
    let token = app.owner("a@cafe.kr").await;
    let event = app.draft(&token).await;
    let job = request_plans(&app, &token, &event).await;
    let (s, _) = app.delete(&format!("/api/events/{event}"), &token).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    app.relay().await;
    let (s, j) = app.get(&format!("/api/jobs/{job}"), &token).await;
    assert_eq!(s, StatusCode::OK, "the job's history survives the event");
    assert_eq!(j["status"], "FAILED");
    assert!(j["errorMessage"].as_str().unwrap().contains("삭제"), "{j}");
}

/// Results arriving after the event was published are not written: the event is frozen.
async fn results_for_a_published_event_are_not_written(b: Backend) {
    let app = TestApp::spawn(b).await;
    let token = app.owner("a@cafe.kr").await;
    let event = app.draft(&token).await;
    app.put(
        &format!("/api/events/{event}"),
        &token,
        json!({"name": "이벤트", "startDate": "2026-12-01", "endDate": "2026-12-31"}),
    )
    .await;
    app.put(
        &format!("/api/events/{event}/channels"),
        &token,
        json!({"channels": ["KAKAO"]}),
    )
    .await;
    let job = request_plans(&app, &token, &event).await;
    // Published before the worker ran.
    app.publish_directly(&token, &event).await;
    app.relay().await;
    let (_, j) = app.get(&format!("/api/jobs/{job}"), &token).await;
    assert_eq!(j["status"], "FAILED", "{j}");
    assert!(j["errorMessage"].as_str().unwrap().contains("배포"), "{j}");
    let (_, list) = app
        .get(&format!("/api/events/{event}/recommendations"), &token)
        .await;
    assert_eq!(list["items"], json!([]));
}

/// An older job that finishes after a newer one does not overwrite the newer results.
/// One plan job at a time per event: a second request while one runs is refused (409). A job
/// that went stale (failed by the sweep) lets a new one start, and its late delivery changes
/// nothing.
async fn one_job_at_a_time_and_a_late_old_one_changes_nothing(b: Backend) {
    let app = TestApp::spawn(b).await;
    let token = app.owner("a@cafe.kr").await;
    let event = app.draft(&token).await;
    let older = request_plans(&app, &token, &event).await;
    let path = format!("/api/events/{event}/ai-recommendations");
    let (s, body) = app.call(Method::POST, &path, Some(&token), None).await;
    assert_error(s, &body, 409, "JOB_002");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("AI 기획안 작업이 아직 진행 중")
    );
    // The stale-job sweep's verdict, set directly: the older job failed.
    let id = app.db.uuid_literal(older.parse().unwrap());
    app.db
        .execute(&format!(
            "UPDATE jobs SET status = 'FAILED', finished_at = updated_at WHERE id = {id}"
        ))
        .await;
    let newer = request_plans(&app, &token, &event).await;
    let (s, _) = app
        .invoke(
            "ai-recommendation-worker",
            service_bus_delivery(&newer, &event, 1),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, first) = app
        .get(&format!("/api/events/{event}/recommendations"), &token)
        .await;
    let (s, _) = app
        .invoke(
            "ai-recommendation-worker",
            service_bus_delivery(&older, &event, 1),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, j) = app.get(&format!("/api/jobs/{older}"), &token).await;
    assert_eq!(j["status"], "FAILED");
    let (_, after) = app
        .get(&format!("/api/events/{event}/recommendations"), &token)
        .await;
    assert_eq!(first, after, "the newer results stay");
}

/// Each owner may start a set number of plan jobs per day (Asia/Seoul); the answer says when
/// the count starts again.
async fn the_daily_quota_says_when_it_resets(b: Backend) {
    let app = TestApp::spawn_with(
        b,
        &[("DAILY_RECOMMENDATION_JOBS", "2")],
        Arc::new(event_marketing::ports::SystemClock),
    )
    .await;
    let token = app.owner("quota@cafe.kr").await;
    for _ in 0..2 {
        let event = app.draft(&token).await;
        request_plans(&app, &token, &event).await;
    }
    let event = app.draft(&token).await;
    let res = app
        .client
        .post(format!(
            "{}/api/events/{event}/ai-recommendations",
            app.base
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let wait: i64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (1..=86_400).contains(&wait),
        "until midnight in Seoul: {wait}"
    );
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_error(status, &body, 429, "JOB_003");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("2회를 모두 썼습니다"),
        "{body}"
    );
    assert!(
        body["details"]["resetsAt"]
            .as_str()
            .unwrap()
            .ends_with("15:00:00Z"),
        "{body}"
    );
    // Another owner has a quota of their own.
    let other = app.owner("other@cafe.kr").await;
    let event = app.draft(&other).await;
    request_plans(&app, &other, &event).await;
}

/// Plans through the API, for three trades, before and after the platform has history for them
/// (ended events with entries, in the store): every one clears the bar of `domain::plan_check`.
async fn plans_clear_the_bar_with_and_without_platform_history(b: Backend) {
    use event_marketing::domain::plan_check::check_plans;
    use event_marketing::domain::promotion::{Plan, PromotionType};
    use event_marketing::domain::trade::Trade;
    let app = TestApp::spawn(b).await;
    let token = app.owner("bar@cafe.kr").await;
    let address = "서울특별시 마포구 양화로 45";
    let plans_for = |industry: &'static str| {
        let (app, token) = (&app, &token);
        async move {
            let body = json!({"objective": "REVISIT", "storeName": "동네 가게", "industry": industry, "address": address});
            let (s, e) = app.post("/api/events/objectives", Some(token), body).await;
            assert_eq!(s, StatusCode::CREATED, "{e}");
            let event = e["eventId"].as_str().unwrap().to_owned();
            request_plans(app, token, &event).await;
            app.relay().await;
            let (_, list) = app
                .get(&format!("/api/events/{event}/recommendations"), token)
                .await;
            let plans: Vec<Plan> = serde_json::from_value(list["items"].clone()).unwrap();
            (event, plans)
        }
    };
    for round in ["empty", "seeded"] {
        for industry in ["미용실", "영어 학원", "한식 음식점"] {
            let (event, plans) = plans_for(industry).await;
            let problems = check_plans(
                &plans,
                Trade::of(industry),
                &["동네 가게", industry, address],
                None,
            );
            assert!(problems.is_empty(), "{round} {industry}: {problems:?}");
            if round == "seeded" {
                let lifted = plans
                    .iter()
                    .find(|p| p.promotion_type == PromotionType::Giveaway);
                assert!(
                    lifted.is_some_and(|p| p.reason.contains("평균 300명")),
                    "{plans:#?}"
                );
            }
            if round == "empty" {
                // This event ends as a giveaway with 300 entries: history for the next round.
                let id = app.db.uuid_literal(event.parse().unwrap());
                let t = PromotionType::Giveaway.code();
                app.db.execute(&format!(
                    "UPDATE events SET status = 'ENDED', promotion_type = '{t}', entry_count = 300 WHERE id = {id}"
                )).await;
            }
        }
    }
}

on_both_backends!(
    plans_clear_the_bar_with_and_without_platform_history,
    results_for_a_published_event_are_not_written,
    one_job_at_a_time_and_a_late_old_one_changes_nothing,
    the_daily_quota_says_when_it_resets,
    owner_requests_selects_and_customises_a_plan,
    the_service_bus_worker_is_idempotent,
    a_failing_provider_is_redelivered_then_fails_the_job,
    the_local_relay_retries_then_dead_letters,
    jobs_and_plans_are_the_owners_own,
    a_deleted_event_fails_its_job,
);
