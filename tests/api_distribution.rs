//! Publishing and distribution against local servers that speak each channel's protocol
//! (tests/common/channels.rs): every channel posted once, every fault mapped to the right
//! per-channel state, nothing ever posted twice — on both stores.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::channels::Fault;
use common::publishing::{
    ALL, Fakes, connect_all, distribution, make_posters, oauth, post, publish, ready_event, sweep,
};
use common::{Backend, TestApp, assert_error};
use reqwest::{Method, StatusCode};
use serde_json::json;

const LOST: Duration = Duration::from_millis(1500);

async fn six_channels_each_posted_once(b: Backend) {
    let fakes = Fakes::start().await;
    let (app, _) = fakes.app(b, &[]).await;
    let token = app.owner("owner@cafe.kr").await;
    connect_all(&app, &token).await;
    let event = ready_event(&app, &token, &ALL).await;
    let d = publish(&app, &token, &event).await;
    assert_eq!(d["status"], "COMPLETED", "{d:#}");
    for channel in ALL {
        let p = post(&d, channel);
        assert_eq!(p["status"], "PUBLISHED", "{p}");
        assert!(
            p["externalId"].as_str().is_some_and(|id| !id.is_empty()),
            "{p}"
        );
    }
    assert!(
        post(&d, "INSTAGRAM")["url"]
            .as_str()
            .unwrap()
            .starts_with("https://www.instagram.com/p/")
    );
    assert!(
        post(&d, "NAVER")["url"]
            .as_str()
            .unwrap()
            .starts_with("https://cafe.naver.com/31000000/")
    );
    let counts = || {
        (
            fakes.ig.published(),
            fakes.naver.posted(),
            fakes.kakao.sent(),
            fakes.kt.orders_for("URIDONGNETV"),
            fakes.kt.orders_for("GINITV"),
            fakes.kt.orders_for("RINGOBIZ"),
        )
    };
    assert_eq!(counts(), (1, 1, 1, 1, 1, 1));
    // The post content is what was checked: the button carries the channel's tracked link.
    let kakao = fakes.kakao.messages.lock().unwrap()[0].1.clone();
    let (_, links) = app.get(&format!("/api/events/{event}/links"), &token).await;
    let kakao_link = (links["items"].as_array().unwrap().iter())
        .find(|l| l["channel"] == "KAKAO")
        .unwrap()["url"]
        .clone();
    assert!(
        kakao_link
            .as_str()
            .unwrap()
            .starts_with(&format!("{}/r/", app.base))
    );
    assert_eq!(kakao["buttons"][0]["linkMo"], kakao_link);

    // The worker's message delivered twice more (Service Bus is at-least-once): nothing more.
    let message = json!({"id": uuid::Uuid::new_v4(), "type": "DistributionRequested", "eventId": event,
                         "occurredAt": "2026-11-21T03:00:00Z", "data": {"distributionId": d["distributionId"]}});
    for count in ["2", "3"] {
        let (s, body) = app.invoke("distribution-worker", json!({"Data": {"message": message.to_string()}, "Metadata": {"DeliveryCount": count}})).await;
        assert_eq!(s, StatusCode::OK, "{body}");
    }
    assert_eq!(counts(), (1, 1, 1, 1, 1, 1), "no channel posted twice");

    // A second publish is refused and starts nothing.
    let (s, body) = app
        .call(
            Method::POST,
            &format!("/api/events/{event}/publish"),
            Some(&token),
            None,
        )
        .await;
    assert_error(s, &body, 409, "EVENT_004");
    app.relay().await;
    assert_eq!(counts(), (1, 1, 1, 1, 1, 1));
}

async fn every_unmet_precondition_in_one_answer(b: Backend) {
    let fakes = Fakes::start().await;
    let (app, _) = fakes.app(b, &[]).await;
    let token = app.owner("owner@cafe.kr").await;
    // Three problems: no period, no image selected, Instagram not connected.
    let event = app.draft(&token).await;
    let (s, _) = app
        .put(
            &format!("/api/events/{event}"),
            &token,
            json!({"name": "겨울 이벤트"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = app
        .put(
            &format!("/api/events/{event}/channels"),
            &token,
            json!({"channels": ["INSTAGRAM"]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, body) = app
        .call(
            Method::POST,
            &format!("/api/events/{event}/publish"),
            Some(&token),
            None,
        )
        .await;
    assert_error(s, &body, 422, "EVENT_008");
    let codes: Vec<&str> = body["details"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["NO_PERIOD", "NO_IMAGE", "CHANNEL_NOT_CONNECTED"],
        "{body}"
    );
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("3개") && message.contains("인스타그램은 아직 연결되지 않았습니다"),
        "{message}"
    );
    let (_, e) = app.get(&format!("/api/events/{event}"), &token).await;
    assert_eq!(e["status"], "DRAFT", "nothing was published");
}

async fn a_lost_instagram_answer_is_reconciled_to_one_post(b: Backend) {
    let fakes = Fakes::start().await;
    let (app, clock) = fakes.app(b, &[]).await;
    let token = app.owner("owner@cafe.kr").await;
    oauth(&app, &token, "instagram", "").await;
    let event = ready_event(&app, &token, &["INSTAGRAM"]).await;
    // The publish goes through, its answer never comes back; then the first container read
    // fails the way fresh objects do (code 100, subcode 33).
    fakes.ig.faults.fail("publish", Fault::LoseAnswer(LOST));
    let d = publish(&app, &token, &event).await;
    let p = post(&d, "INSTAGRAM");
    assert_eq!(
        (p["status"].as_str(), d["status"].as_str()),
        (Some("UNKNOWN"), Some("NEEDS_ATTENTION")),
        "{d:#}"
    );
    assert_eq!(p["needsConfirmation"], true);
    assert_eq!(fakes.ig.published(), 1, "it did go out");
    fakes.ig.faults.fail("read", Fault::Answer(400, json!({"error": {"code": 100, "error_subcode": 33, "message": "Object does not exist", "is_transient": false}})));
    clock.advance(chrono::Duration::seconds(2));
    sweep(&app).await;
    // Never sent again blindly: reconciled by reading, to the one post that exists.
    clock.advance(chrono::Duration::seconds(2));
    sweep(&app).await;
    let d = distribution(&app, &token, &event).await;
    let p = post(&d, "INSTAGRAM");
    assert_eq!(p["status"], "PUBLISHED", "{d:#}");
    assert!(
        p["url"]
            .as_str()
            .unwrap()
            .starts_with("https://www.instagram.com/p/media-"),
        "{p}"
    );
    assert_eq!(d["status"], "COMPLETED");
    assert_eq!(fakes.ig.published(), 1, "exactly one post");
    assert_eq!(
        fakes.ig.faults.called("publish"),
        1,
        "media_publish was never repeated"
    );
}

async fn rate_limits_wait_and_then_post(b: Backend) {
    let fakes = Fakes::start().await;
    let (app, clock) = fakes.app(b, &[]).await;
    let token = app.owner("owner@cafe.kr").await;
    connect_all(&app, &token).await;
    let event = ready_event(&app, &token, &["INSTAGRAM", "GINITV"]).await;
    *fakes.ig.quota.lock().unwrap() = (50, 50);
    fakes.kt.faults.fail("order", Fault::RateLimited(120));
    let d = publish(&app, &token, &event).await;
    for channel in ["INSTAGRAM", "GINITV"] {
        let p = post(&d, channel);
        assert_eq!(
            (p["status"].as_str(), p["failure"].as_str()),
            (Some("PENDING"), Some("RATE_LIMITED")),
            "{p}"
        );
        assert!(
            p["nextAttemptAt"].is_string()
                && p["message"].as_str().unwrap().contains("다시 시도합니다"),
            "{p}"
        );
    }
    assert_eq!(d["status"], "IN_PROGRESS");
    // Not before its time.
    sweep(&app).await;
    assert_eq!(
        (fakes.ig.published(), fakes.kt.orders_for("GINITV")),
        (0, 0)
    );
    *fakes.ig.quota.lock().unwrap() = (3, 50);
    clock.advance(chrono::Duration::hours(1) + chrono::Duration::seconds(1));
    sweep(&app).await;
    let d = distribution(&app, &token, &event).await;
    assert_eq!(d["status"], "COMPLETED", "{d:#}");
    assert_eq!(
        (fakes.ig.published(), fakes.kt.orders_for("GINITV")),
        (1, 1)
    );
}

async fn expired_tokens_ask_for_a_reconnect_and_naver_refreshes(b: Backend) {
    let fakes = Fakes::start().await;
    let (app, _) = fakes.app(b, &[]).await;
    let token = app.owner("owner@cafe.kr").await;
    connect_all(&app, &token).await;
    let event = ready_event(&app, &token, &["INSTAGRAM", "NAVER"]).await;
    // Both tokens revoked at the providers; Naver's refresh token still works, Instagram's
    // long-lived token cannot be refreshed once it is dead.
    fakes.ig.tokens.lock().unwrap().clear();
    fakes.naver.tokens.lock().unwrap().clear();
    let d = publish(&app, &token, &event).await;
    assert_eq!(post(&d, "INSTAGRAM")["status"], "NEEDS_RECONNECT", "{d:#}");
    assert_eq!(
        post(&d, "NAVER")["status"],
        "PUBLISHED",
        "refreshed after the 401 and posted: {d:#}"
    );
    assert_eq!(d["status"], "NEEDS_ATTENTION");
    let (_, channels) = app.get("/api/channels", &token).await;
    let ig = channels["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["channel"] == "INSTAGRAM")
        .unwrap();
    assert_eq!(ig["needsReconnect"], true, "{ig}");
    // Reconnected, the owner retries: posted, once.
    oauth(&app, &token, "instagram", "").await;
    let (s, body) = app
        .call(
            Method::POST,
            &format!("/api/events/{event}/distribution/retry"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{body}");
    app.relay().await;
    let d = distribution(&app, &token, &event).await;
    assert_eq!(d["status"], "COMPLETED", "{d:#}");
    assert_eq!((fakes.ig.published(), fakes.naver.posted()), (1, 1));
}

async fn failures_are_per_channel_and_never_double_post(b: Backend) {
    let fakes = Fakes::start().await;
    let (app, _) = fakes.app(b, &[]).await;
    let token = app.owner("owner@cafe.kr").await;
    connect_all(&app, &token).await;
    let event = ready_event(&app, &token, &ALL).await;
    // Naver: a 5xx with nothing readable (did it post? Naver cannot tell us).
    fakes.naver.faults.fail(
        "write",
        Fault::Answer(
            502,
            json!({"errorMessage": "bad gateway", "errorCode": "502"}),
        ),
    );
    // Kakao: two 5xx, then the answer of the third attempt is lost (idempotent: retried).
    fakes
        .kakao
        .faults
        .fail("send", Fault::Answer(503, json!({})));
    fakes.kakao.faults.fail("send", Fault::LoseAnswer(LOST));
    // KT: slower than the timeout once (idempotent order: retried).
    fakes.kt.faults.fail("order", Fault::Slow(LOST));
    // Instagram refuses the image (format).
    fakes.ig.faults.fail("container", Fault::Answer(400, json!({"error": {"code": 36001, "error_subcode": 2207005, "message": "The image format is not supported.", "is_transient": false}})));
    let d = publish(&app, &token, &event).await;
    let status = |c: &str| post(&d, c)["status"].as_str().unwrap().to_owned();
    assert_eq!(status("NAVER"), "UNKNOWN", "{d:#}");
    assert_eq!(status("KAKAO"), "PUBLISHED");
    assert_eq!(status("URIDONGNETV"), "PUBLISHED");
    assert_eq!(status("INSTAGRAM"), "FAILED");
    assert_eq!(post(&d, "INSTAGRAM")["failure"], "REJECTED");
    assert_eq!(post(&d, "INSTAGRAM")["retryable"], false);
    assert_eq!(
        (fakes.kakao.sent(), fakes.kt.orders_for("URIDONGNETV")),
        (1, 1),
        "retried, posted once"
    );
    // The sweep does not touch Naver's UNKNOWN (no read API): it waits for the owner.
    sweep(&app).await;
    assert_eq!(fakes.naver.faults.called("write"), 1);
    // Nothing retryable: 409.
    let (s, body) = app
        .call(
            Method::POST,
            &format!("/api/events/{event}/distribution/retry"),
            Some(&token),
            None,
        )
        .await;
    assert_error(s, &body, 409, "DIST_002");
    // The owner looked at the board: not there. Then it may be retried, and is posted once.
    let (s, d) = app
        .post(
            &format!("/api/events/{event}/distribution/NAVER/confirm"),
            Some(&token),
            json!({"posted": false}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(post(&d, "NAVER")["retryable"], true);
    let (s, _) = app
        .call(
            Method::POST,
            &format!("/api/events/{event}/distribution/retry"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED);
    app.relay().await;
    let d = distribution(&app, &token, &event).await;
    assert_eq!(post(&d, "NAVER")["status"], "PUBLISHED");
    assert_eq!(
        d["status"], "PARTIAL_FAILURE",
        "Instagram stays failed: {d:#}"
    );
    // Confirming a post that is not UNKNOWN is refused.
    let (s, body) = app
        .post(
            &format!("/api/events/{event}/distribution/NAVER/confirm"),
            Some(&token),
            json!({"posted": true}),
        )
        .await;
    assert_error(s, &body, 409, "DIST_003");
}

async fn kakao_waits_for_the_morning(b: Backend) {
    let fakes = Fakes::start().await;
    let (app, _) = fakes.app(b, &[]).await;
    let token = app.owner("owner@cafe.kr").await;
    connect_all(&app, &token).await;
    let event = ready_event(&app, &token, &["KAKAO"]).await;
    fakes.kakao.faults.fail("send", Fault::Answer(200, json!({"header": {"resultCode": 3022, "resultMessage": "not a sendable time", "isSuccessful": false}})));
    let d = publish(&app, &token, &event).await;
    let p = post(&d, "KAKAO");
    assert_eq!(p["status"], "SCHEDULED", "{p}");
    let at: chrono::DateTime<chrono::Utc> = p["nextAttemptAt"].as_str().unwrap().parse().unwrap();
    let seoul = at.with_timezone(&chrono::FixedOffset::east_opt(9 * 3600).unwrap());
    assert_eq!(seoul.format("%H:%M").to_string(), "08:00", "{p}");
    assert!(p["message"].as_str().unwrap().contains("08:00"));
    assert_eq!(fakes.kakao.sent(), 0);
}

async fn oauth_logins_are_single_use_and_secrets_stay_sealed(b: Backend) {
    let fakes = Fakes::start().await;
    let (app, _) = fakes.app(b, &[]).await;
    let token = app.owner("owner@cafe.kr").await;
    // (method, path, body, status, code)
    let refused = [
        (
            Method::GET,
            "/api/channels/instagram/oauth/callback?code=good-code&state=forged",
            None,
            400,
            "CHANNEL_005",
        ),
        (
            Method::GET,
            "/api/channels/naver/oauth/start",
            None,
            400,
            "REQ_005",
        ),
        (
            Method::PUT,
            "/api/channels/INSTAGRAM/connection",
            Some(json!({"appKey": "x"})),
            400,
            "CHANNEL_001",
        ),
        (
            Method::PUT,
            "/api/channels/KAKAO/connection",
            Some(json!({"appKey": "x"})),
            400,
            "REQ_002",
        ),
        (
            Method::GET,
            "/api/channels/TIKTOK/oauth/start",
            None,
            404,
            "CHANNEL_009",
        ),
    ];
    for (method, path, body, status, code) in refused {
        let (s, answer) = app.call(method, path, Some(&token), body).await;
        assert_error(s, &answer, status, code);
    }
    connect_all(&app, &token).await;
    let (s, list) = app.get("/api/channels", &token).await;
    assert_eq!(s, StatusCode::OK);
    let text = list.to_string();
    for secret in [
        "long-token",
        "naver-access",
        "naver-refresh",
        common::channels::KAKAO_SECRET,
    ] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
    let ig = &list["items"][0];
    assert_eq!(
        (ig["channel"].as_str(), ig["accountLabel"].as_str()),
        (Some("INSTAGRAM"), Some("@cafe_bomnal"))
    );
    // At rest the secrets are sealed: not one of them is in the table in the clear.
    let raw = app.db.raw_text("SELECT * FROM channel_connections").await;
    for secret in [
        "long-token",
        "naver-refresh",
        common::channels::KAKAO_SECRET,
        "shop-000123",
    ] {
        assert!(!raw.contains(secret), "{secret} stored in the clear");
    }
    let (s, _) = app.delete("/api/channels/KAKAO/connection", &token).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, body) = app.delete("/api/channels/KAKAO/connection", &token).await;
    assert_error(s, &body, 404, "CHANNEL_008");
}

/// What customers read never carries the owner's cost breakdown: the plans keep it in their
/// notes, and a description that has it anyway (typed, or from an older plan) is refused at
/// publish, before any channel, poster or page gets it.
async fn the_owners_costs_never_reach_customers(b: Backend) {
    let app = TestApp::spawn(b).await;
    let token = app.owner("owner@cafe.kr").await;
    let event = ready_event(&app, &token, &ALL).await;
    let (_, e) = app.get(&format!("/api/events/{event}"), &token).await;
    let description = e["description"].as_str().unwrap().to_owned();
    assert!(
        !description.contains("예상 비용") && !description.contains("합계"),
        "{description}"
    );
    let (_, plans) = app
        .get(&format!("/api/events/{event}/recommendations"), &token)
        .await;
    for p in plans["items"].as_array().unwrap() {
        let reason = p["reason"].as_str().unwrap();
        assert!(
            reason.contains("합계"),
            "the owner still reads the costs: {reason}"
        );
        assert!(!p["description"].as_str().unwrap().contains("합계"), "{p}");
    }
    let costly = format!("{description} 예상 비용은 홍보물 인쇄 30,000원, 합계 90,000원입니다.");
    let (s, body) = app
        .put(
            &format!("/api/events/{event}"),
            &token,
            json!({"description": costly}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let path = format!("/api/events/{event}/publish");
    let (s, body) = app.call(Method::POST, &path, Some(&token), None).await;
    assert_error(s, &body, 422, "EVENT_008");
    let codes: Vec<&str> = (body["details"]["problems"].as_array().unwrap().iter())
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["OWNER_COSTS"], "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("비용 내역"),
        "{body}"
    );
}

/// Posters painted before the dates moved are refused at publish (they would show the old
/// period), until they are made again; then the published posts carry the new dates.
async fn posters_made_before_an_edit_are_made_again(b: Backend) {
    let fakes = Fakes::start().await;
    let (app, _) = fakes.app(b, &[]).await;
    let token = app.owner("owner@cafe.kr").await;
    connect_all(&app, &token).await;
    let event = ready_event(&app, &token, &["INSTAGRAM", "GINITV"]).await;
    let (_, e) = app.get(&format!("/api/events/{event}"), &token).await;
    let end: chrono::NaiveDate = e["endDate"].as_str().unwrap().parse().unwrap();
    let later = end + chrono::Duration::days(3);
    let path = format!("/api/events/{event}");
    let (s, body) = app.put(&path, &token, json!({"endDate": later})).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let publish_path = format!("/api/events/{event}/publish");
    let (s, body) = app
        .call(Method::POST, &publish_path, Some(&token), None)
        .await;
    assert_error(s, &body, 422, "EVENT_008");
    let stale: Vec<(&str, &str)> = (body["details"]["problems"].as_array().unwrap().iter())
        .map(|p| {
            (
                p["code"].as_str().unwrap(),
                p["channel"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        stale,
        [("POSTER_STALE", "INSTAGRAM"), ("POSTER_STALE", "GINITV")],
        "{body}"
    );
    assert_eq!(fakes.ig.published() + fakes.kt.orders_for("GINITV"), 0);
    // Made again from the event as it is now (and one selected), it publishes, with the new end.
    make_posters(&app, &token, &event).await;
    let d = publish(&app, &token, &event).await;
    assert_eq!(d["status"], "COMPLETED", "{d:#}");
    let orders = fakes.kt.orders.lock().unwrap().clone();
    let order = orders.values().next().unwrap();
    assert_eq!(order["endsOn"], json!(later), "{order}");
}

/// On the embedded defaults, unconnected channels publish to the sandbox, which says so.
async fn the_local_sandbox_says_it_is_a_sandbox(b: Backend) {
    let app = TestApp::spawn(b).await;
    let token = app.owner("owner@cafe.kr").await;
    let event = ready_event(&app, &token, &ALL).await;
    let d = publish(&app, &token, &event).await;
    assert_eq!(d["status"], "COMPLETED", "{d:#}");
    for channel in ALL {
        let p = post(&d, channel);
        assert_eq!(p["status"], "SANDBOX", "{p}");
        let file = p["externalId"].as_str().unwrap();
        let written: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        assert_eq!(written["sandbox"], true);
        assert!(p["message"].as_str().unwrap().contains("실제로"), "{p}");
    }
}

on_both_backends!(
    six_channels_each_posted_once,
    every_unmet_precondition_in_one_answer,
    a_lost_instagram_answer_is_reconciled_to_one_post,
    rate_limits_wait_and_then_post,
    expired_tokens_ask_for_a_reconnect_and_naver_refreshes,
    failures_are_per_channel_and_never_double_post,
    kakao_waits_for_the_morning,
    oauth_logins_are_single_use_and_secrets_stay_sealed,
    the_local_sandbox_says_it_is_a_sandbox,
    the_owners_costs_never_reach_customers,
    posters_made_before_an_edit_are_made_again,
);
