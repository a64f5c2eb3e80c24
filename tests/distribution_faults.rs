//! Channel outcomes under the faults an independent run found (issue 19), against the protocol
//! servers of tests/common/channels.rs, on both stores. The rule under test, for every channel:
//! an irreversible call whose answer is not a clear refusal is UNKNOWN, and UNKNOWN is settled
//! only by reading the channel (or by the owner). Each test checks that the servers hold at most
//! one post per channel and that the final state agrees with what the server holds.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::channels::{Fault, KAKAO_SECRET};
use common::publishing::{Fakes, distribution, oauth, post, publish, ready_event, sweep};
use common::{Backend, TestApp, TestClock, assert_error};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const LOST: Duration = Duration::from_millis(1500);

async fn connect(app: &TestApp, token: &str, channel: &str) {
    let body = match channel {
        "INSTAGRAM" => {
            oauth(app, token, "instagram", "").await;
            return;
        }
        "NAVER" => {
            oauth(app, token, "naver", "?clubId=31000000&menuId=7").await;
            return;
        }
        "KAKAO" => {
            json!({"appKey": "kakao-app", "secretKey": KAKAO_SECRET, "senderKey": "sender-0001"})
        }
        _ => {
            json!({"partnerAccountId": "shop-000123", "partnerAccountPin": common::channels::KT_PIN})
        }
    };
    let path = format!("/api/channels/{channel}/connection");
    let (s, body) = app.put(&path, token, body).await;
    assert_eq!(s, StatusCode::OK, "{body}");
}

/// An app on the servers, an owner with `channel` connected and an event ready for it.
async fn one_channel(
    b: Backend,
    channel: &str,
    extra: &[(&str, &str)],
) -> (Fakes, TestApp, std::sync::Arc<TestClock>, String, String) {
    let fakes = Fakes::start().await;
    let (app, clock) = fakes.app(b, extra).await;
    let token = app.owner("faults@cafe.kr").await;
    connect(&app, &token, channel).await;
    let event = ready_event(&app, &token, &[channel]).await;
    (fakes, app, clock, token, event)
}

async fn retry(app: &TestApp, token: &str, event: &str) -> (StatusCode, Value) {
    let path = format!("/api/events/{event}/distribution/retry");
    app.call(Method::POST, &path, Some(token), None).await
}

/// The sweep a moment later (past `DISTRIBUTION_RECONCILE_SECONDS`), and the distribution it
/// leaves.
async fn swept(app: &TestApp, clock: &TestClock, token: &str, event: &str) -> Value {
    clock.advance(chrono::Duration::seconds(2));
    sweep(app).await;
    distribution(app, token, event).await
}

/// Instagram published, under the media id its statistics are read by.
fn assert_media(d: &Value) {
    let p = post(d, "INSTAGRAM");
    assert_eq!(p["status"], "PUBLISHED", "{d:#}");
    let id = p["externalId"].as_str().unwrap_or_default();
    assert!(id.starts_with("media-"), "{p}");
}

fn state(d: &Value, channel: &str) -> (String, String) {
    let p = post(d, channel);
    let text = |k: &str| p[k].as_str().unwrap_or_default().to_owned();
    (text("status"), text("message"))
}

fn graph_error(code: i64) -> Value {
    json!({"error": {"message": "An unexpected error has occurred.", "type": "OAuthException",
           "code": code, "is_transient": false, "fbtrace_id": "A2"}})
}

/// Findings 1 and 3: the post is made, then a 500 with Graph code 2 or 1. UNKNOWN, never
/// retryable; the sweep reads the container and finds the one post. An owner who says "not
/// posted" by mistake and retries gets the post that exists, not a second one.
async fn instagram_made_then_500_is_read_back_never_posted_again(b: Backend) {
    for code in [2, 1] {
        let (fakes, app, clock, token, event) = one_channel(b, "INSTAGRAM", &[]).await;
        fakes
            .ig
            .faults
            .fail("publish", Fault::DoThen(500, graph_error(code)));
        let d = publish(&app, &token, &event).await;
        let (status, message) = state(&d, "INSTAGRAM");
        assert_eq!(status, "UNKNOWN", "code {code}: {d:#}");
        assert!(message.contains("자동으로 확인합니다"), "{message}");
        assert_eq!(fakes.ig.published(), 1, "it did go out");
        let (s, body) = retry(&app, &token, &event).await;
        assert_error(s, &body, 409, "DIST_002");
        let d = swept(&app, &clock, &token, &event).await;
        assert_media(&d);

        // The owner's mistaken "not posted", then a retry: the saved container proves the post.
        (app.db)
            .execute("UPDATE distribution_posts SET status = 'UNKNOWN' WHERE channel = 'INSTAGRAM'")
            .await;
        let path = format!("/api/events/{event}/distribution/INSTAGRAM/confirm");
        let (s, _) = app
            .post(&path, Some(&token), json!({"posted": false}))
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, body) = retry(&app, &token, &event).await;
        assert_eq!(s, StatusCode::ACCEPTED, "{body}");
        app.relay().await;
        let d = distribution(&app, &token, &event).await;
        assert_eq!(post(&d, "INSTAGRAM")["status"], "PUBLISHED", "{d:#}");
        assert_eq!(fakes.ig.published(), 1, "code {code}: exactly one post");
        assert_eq!(
            fakes.ig.faults.called("publish"),
            1,
            "media_publish sent once"
        );
    }
}

/// Finding 2: c1 expires, the owner's retry makes c2 and publishes it, and the answer is lost.
/// The attempt's final write must not put c1 back, or the read finds c1 unpublished and sends
/// a second post.
async fn an_attempt_never_puts_back_an_old_checkpoint(b: Backend) {
    let (fakes, app, clock, token, event) = one_channel(b, "INSTAGRAM", &[]).await;
    let expired = json!({"status_code": "EXPIRED", "status": "EXPIRED"});
    fakes.ig.faults.fail("read", Fault::Answer(200, expired));
    let d = publish(&app, &token, &event).await;
    assert_eq!(post(&d, "INSTAGRAM")["retryable"], true, "{d:#}");
    for c in fakes.ig.containers.lock().unwrap().values_mut() {
        c.0 = "EXPIRED".into();
    }
    fakes.ig.faults.fail("publish", Fault::LoseAnswer(LOST));
    let (s, body) = retry(&app, &token, &event).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{body}");
    app.relay().await;
    let d = distribution(&app, &token, &event).await;
    assert_eq!(state(&d, "INSTAGRAM").0, "UNKNOWN", "{d:#}");
    clock.advance(chrono::Duration::seconds(2));
    sweep(&app).await;
    let d = swept(&app, &clock, &token, &event).await;
    assert_eq!(state(&d, "INSTAGRAM").0, "PUBLISHED", "{d:#}");
    assert_eq!(fakes.ig.published(), 1, "one post, not two");
}

/// Our own: a saved container that cannot be read (Graph's code 100 / subcode 33 on fresh
/// objects) may be a published post: no new container is made until it reads, and then it
/// proves the post (read by the sweep).
async fn an_unreadable_saved_container_is_never_replaced(b: Backend) {
    let (fakes, app, clock, token, event) = one_channel(b, "INSTAGRAM", &[]).await;
    fakes.ig.faults.fail("publish", Fault::LoseAnswer(LOST));
    publish(&app, &token, &event).await;
    let path = format!("/api/events/{event}/distribution/INSTAGRAM/confirm");
    let (s, _) = app
        .post(&path, Some(&token), json!({"posted": false}))
        .await;
    assert_eq!(
        s,
        StatusCode::OK,
        "the owner says, wrongly, it is not there"
    );
    let missing = json!({"error": {"code": 100, "error_subcode": 33, "is_transient": false,
                                   "message": "Object does not exist"}});
    fakes.ig.faults.fail("read", Fault::Answer(400, missing));
    retry(&app, &token, &event).await;
    app.relay().await;
    let d = distribution(&app, &token, &event).await;
    assert_eq!(state(&d, "INSTAGRAM").0, "UNKNOWN", "it may be out: {d:#}");
    assert_eq!(
        fakes.ig.containers.lock().unwrap().len(),
        1,
        "no new container"
    );
    let d = swept(&app, &clock, &token, &event).await;
    assert_eq!(state(&d, "INSTAGRAM").0, "PUBLISHED", "{d:#}");
    assert_eq!(fakes.ig.published(), 1);
}

/// Finding 11: `{}` from media_publish names no post: UNKNOWN, then the read finds the media,
/// so the post has an id its statistics can be read by.
async fn an_instagram_success_without_an_id_is_read_back(b: Backend) {
    let (fakes, app, clock, token, event) = one_channel(b, "INSTAGRAM", &[]).await;
    fakes
        .ig
        .faults
        .fail("publish", Fault::DoThen(200, json!({})));
    let d = publish(&app, &token, &event).await;
    assert_eq!(state(&d, "INSTAGRAM").0, "UNKNOWN", "{d:#}");
    let d = swept(&app, &clock, &token, &event).await;
    assert_media(&d);
    assert_eq!(fakes.ig.published(), 1);
}

/// Finding 4: the dealer accepts, and answers 200 in EUC-KR. Not a rejection: sent again with
/// the same key, whose repeat says it was accepted; the post is found by its grouping key.
async fn an_unreadable_kakao_acceptance_is_not_a_rejection(b: Backend) {
    let (fakes, app, _, token, event) = one_channel(b, "KAKAO", &[]).await;
    // "성공" in EUC-KR: not UTF-8.
    let euc_kr = vec![0x7b, 0x22, 0xbc, 0xba, 0xb0, 0xf8, 0x22, 0x7d];
    let fault = Fault::DoThenRaw(200, "application/json;charset=euc-kr", euc_kr);
    fakes.kakao.faults.fail("send", fault);
    let d = publish(&app, &token, &event).await;
    let p = post(&d, "KAKAO");
    assert_eq!(p["status"], "PUBLISHED", "{d:#}");
    assert!(
        p["externalId"].as_str().unwrap().starts_with("group:"),
        "{p}"
    );
    assert_eq!(fakes.kakao.sent(), 1, "one message");
    // Its delivery results are read by the grouping key.
    let line = app.timer("channel-stats").await;
    assert!(line.contains("collected for 1 post(s), 0 failed"), "{line}");
}

/// Finding 11: three answers that may have been acceptances leave Kakao UNKNOWN; it is settled
/// by reading the dealer's list (found → published), and when the dealer truly has nothing it
/// is sent again with the same key once the list has had two minutes to show it — once, with
/// the image uploaded once. An unclear try followed by a refusal is UNKNOWN too; a 429 that
/// carries a result code is a rate limit.
async fn an_unknown_kakao_send_is_read_back_not_resent_blindly(b: Backend) {
    let (fakes, app, clock, token, event) = one_channel(b, "KAKAO", &[]).await;
    for _ in 0..3 {
        fakes
            .kakao
            .faults
            .fail("send", Fault::DoThen(503, json!({})));
    }
    let d = publish(&app, &token, &event).await;
    let (status, message) = state(&d, "KAKAO");
    assert_eq!(status, "UNKNOWN", "{d:#}");
    assert!(
        message.contains("발송 내역을 읽어 자동으로 확인합니다"),
        "{message}"
    );
    let d = swept(&app, &clock, &token, &event).await;
    let p = post(&d, "KAKAO");
    assert_eq!(p["status"], "PUBLISHED", "{d:#}");
    assert_eq!(p["externalId"], "20261201120001", "{p}");
    assert_eq!(
        (fakes.kakao.sent(), fakes.kakao.faults.called("send")),
        (1, 3)
    );

    // Nothing arrived at all (three 503s before doing anything).
    let (fakes, app, clock, token, event) = one_channel(b, "KAKAO", &[]).await;
    for _ in 0..3 {
        fakes
            .kakao
            .faults
            .fail("send", Fault::Answer(503, json!({})));
    }
    let d = publish(&app, &token, &event).await;
    assert_eq!(state(&d, "KAKAO").0, "UNKNOWN", "{d:#}");
    clock.advance(chrono::Duration::seconds(2));
    sweep(&app).await;
    assert_eq!(
        fakes.kakao.faults.called("send"),
        3,
        "the list may lag: not yet"
    );
    clock.advance(chrono::Duration::seconds(121));
    sweep(&app).await;
    let d = distribution(&app, &token, &event).await;
    assert_eq!(state(&d, "KAKAO").0, "PUBLISHED", "{d:#}");
    assert_eq!(fakes.kakao.sent(), 1);
    assert_eq!(
        *fakes.kakao.images.lock().unwrap(),
        1,
        "the image uploaded once"
    );

    let (fakes, app, _, token, event) = one_channel(b, "KAKAO", &[]).await;
    fakes
        .kakao
        .faults
        .fail("send", Fault::Answer(503, json!({})));
    let invalid =
        json!({"header": {"resultCode": -1002, "resultMessage": "invalid", "isSuccessful": false}});
    fakes.kakao.faults.fail("send", Fault::Answer(400, invalid));
    let d = publish(&app, &token, &event).await;
    assert_eq!(state(&d, "KAKAO").0, "UNKNOWN", "{d:#}");
    let (fakes, app, _, token, event) = one_channel(b, "KAKAO", &[]).await;
    let busy = json!({"header": {"resultCode": -9999, "resultMessage": "too many", "isSuccessful": false}});
    fakes.kakao.faults.fail("send", Fault::Answer(429, busy));
    let d = publish(&app, &token, &event).await;
    let p = post(&d, "KAKAO");
    let state_of = (p["status"].as_str(), p["failure"].as_str());
    assert_eq!(state_of, (Some("PENDING"), Some("RATE_LIMITED")), "{d:#}");
    assert_eq!(fakes.kakao.sent(), 0);
}

/// Finding 5: wrong keys are refused when they are entered; keys revoked later make the post
/// NEEDS_RECONNECT (not "rejected"), and once the right keys are entered the owner's retry
/// sends it.
async fn kakao_keys_are_checked_and_a_refused_key_asks_for_a_reconnect(b: Backend) {
    let (fakes, app, _, token, event) = one_channel(b, "KAKAO", &[]).await;
    let wrong = json!({"appKey": "kakao-app", "secretKey": "typo", "senderKey": "sender-0001"});
    let (s, body) = app
        .put("/api/channels/KAKAO/connection", &token, wrong)
        .await;
    assert_error(s, &body, 422, "CHANNEL_010");
    *fakes.kakao.revoked.lock().unwrap() = true;
    let d = publish(&app, &token, &event).await;
    let (status, message) = state(&d, "KAKAO");
    assert_eq!(status, "NEEDS_RECONNECT", "{d:#}");
    assert!(message.contains("다시 연결"), "{message}");
    *fakes.kakao.revoked.lock().unwrap() = false;
    connect(&app, &token, "KAKAO").await;
    let (s, body) = retry(&app, &token, &event).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{body}");
    app.relay().await;
    let d = distribution(&app, &token, &event).await;
    assert_eq!(state(&d, "KAKAO").0, "PUBLISHED", "{d:#}");
    assert_eq!(fakes.kakao.sent(), 1);
}

/// Finding 6: an order accepted and later rejected in KT's review is FAILED with KT's reason
/// when it is read, not PUBLISHED.
async fn a_kt_order_rejected_in_review_is_not_shown_as_published(b: Backend) {
    let (fakes, app, clock, token, event) = one_channel(b, "GINITV", &[]).await;
    for _ in 0..3 {
        fakes.kt.faults.fail("order", Fault::LoseAnswer(LOST));
    }
    let d = publish(&app, &token, &event).await;
    assert_eq!(state(&d, "GINITV").0, "UNKNOWN", "{d:#}");
    for order in fakes.kt.orders.lock().unwrap().values_mut() {
        order["status"] = json!("REJECTED");
        order["reason"] = json!("가격 표시 기준 미달");
    }
    let d = swept(&app, &clock, &token, &event).await;
    let (status, message) = state(&d, "GINITV");
    assert_eq!(status, "FAILED", "{d:#}");
    assert!(message.contains("가격 표시 기준 미달"), "{message}");
    assert_eq!(fakes.kt.orders_for("GINITV"), 1);
}

/// Finding 6: an accepted order is read again on a schedule until its review is final: the
/// owner reads "심사 중", then KT's rejection with its reason; an order that passed review is
/// not read again.
async fn kt_reviews_are_read_until_final(b: Backend) {
    let (fakes, app, clock, token, event) = one_channel(b, "URIDONGNETV", &[]).await;
    let d = publish(&app, &token, &event).await;
    let (status, message) = state(&d, "URIDONGNETV");
    assert_eq!(status, "PUBLISHED", "{d:#}");
    assert!(message.contains("심사 중"), "{message}");
    for order in fakes.kt.orders.lock().unwrap().values_mut() {
        order["status"] = json!("REJECTED");
        order["reason"] = json!("방송 심의 기준 미달");
    }
    clock.advance(chrono::Duration::seconds(2));
    let line = sweep(&app).await;
    assert!(line.contains("1 review(s) read"), "{line}");
    let d = distribution(&app, &token, &event).await;
    let (status, message) = state(&d, "URIDONGNETV");
    assert_eq!(status, "FAILED", "{d:#}");
    assert!(message.contains("방송 심의 기준 미달"), "{message}");

    let (fakes, app, clock, token, event) = one_channel(b, "GINITV", &[]).await;
    publish(&app, &token, &event).await;
    for order in fakes.kt.orders.lock().unwrap().values_mut() {
        order["status"] = json!("ON_AIR");
    }
    let d = swept(&app, &clock, &token, &event).await;
    assert_eq!(
        state(&d, "GINITV"),
        ("PUBLISHED".into(), "지니TV에서 방송 중입니다.".into())
    );
    for order in fakes.kt.orders.lock().unwrap().values_mut() {
        order["status"] = json!("REJECTED");
    }
    clock.advance(chrono::Duration::seconds(2));
    let line = sweep(&app).await;
    assert!(
        line.contains("0 review(s) read"),
        "final: not read again: {line}"
    );
    assert_eq!(fakes.kt.orders_for("GINITV"), 1);
}

/// Finding 10: the first PUT saved the order and answered 500; the repeat is answered 409
/// "already exists". The order is read back: ours, so PUBLISHED, with its id.
async fn a_kt_409_for_our_own_order_is_read_back(b: Backend) {
    let (fakes, app, _, token, event) = one_channel(b, "URIDONGNETV", &[]).await;
    let exists = json!({"error": {"code": "ORDER_EXISTS", "message": "already exists"}});
    fakes.kt.faults.fail("order", Fault::DoThen(500, json!({})));
    fakes.kt.faults.fail("order", Fault::Answer(409, exists));
    let d = publish(&app, &token, &event).await;
    let p = post(&d, "URIDONGNETV");
    assert_eq!(p["status"], "PUBLISHED", "{d:#}");
    assert_eq!(p["externalId"], "KT-1", "{p}");
    assert_eq!(fakes.kt.orders_for("URIDONGNETV"), 1);
}

/// Issue 23, finding 4: a partner account id that would leave its path segment is refused when
/// it is entered, and so is another shop's account without its PIN; nothing is ordered.
async fn kt_accounts_are_held_to_their_shape_and_proved_by_their_pin(b: Backend) {
    let fakes = Fakes::start().await;
    let (app, _) = fakes.app(b, &[]).await;
    let token = app.owner("kt@cafe.kr").await;
    let path = "/api/channels/GINITV/connection";
    let hijack = "../../../internal/admin/accounts/victim/orders/ABC?x=";
    let body = json!({"partnerAccountId": hijack, "partnerAccountPin": "2468"});
    let (s, answer) = app.put(path, &token, body).await;
    assert_error(s, &answer, 400, "REQ_002");
    let body = json!({"partnerAccountId": "shop-000999", "partnerAccountPin": "1111"});
    let (s, answer) = app.put(path, &token, body).await;
    assert_error(s, &answer, 422, "CHANNEL_010");
    let (_, list) = app.get("/api/channels", &token).await;
    let gini = (list["items"].as_array().unwrap().iter())
        .find(|c| c["channel"] == "GINITV")
        .unwrap();
    assert_eq!(gini["connected"], false, "{gini}");
    assert!(fakes.kt.orders.lock().unwrap().is_empty());
}

/// Finding 11: a refused connection sent nothing: a retryable failure, not UNKNOWN.
async fn a_kt_connection_refused_is_a_retryable_failure(b: Backend) {
    let (base, partner) = common::channels::kt_partner_that_goes_away().await;
    let extra = [("KT_PARTNER_API_BASE", base.as_str())];
    let (_, app, _, token, event) = one_channel(b, "RINGOBIZ", &extra).await;
    partner.abort();
    let _ = partner.await;
    let d = publish(&app, &token, &event).await;
    let p = post(&d, "RINGOBIZ");
    assert_eq!(
        (p["status"].as_str(), p["retryable"].as_bool()),
        (Some("FAILED"), Some(true)),
        "{d:#}"
    );
}

/// Finding 7: a 429 with `Retry-After: 5` waits five seconds, not until midnight; the daily
/// quota, when the answer says so, waits for the next Seoul day.
async fn naver_waits_as_long_as_it_says(b: Backend) {
    let (fakes, app, clock, token, event) = one_channel(b, "NAVER", &[]).await;
    fakes.naver.faults.fail("write", Fault::RateLimited(5));
    let d = publish(&app, &token, &event).await;
    let p = post(&d, "NAVER");
    assert_eq!(p["status"], "PENDING", "{d:#}");
    let at: chrono::DateTime<chrono::Utc> = p["nextAttemptAt"].as_str().unwrap().parse().unwrap();
    let wait = at - event_marketing::ports::Clock::now(clock.as_ref());
    assert!(wait <= chrono::Duration::seconds(6), "{wait}");
    clock.advance(chrono::Duration::seconds(6));
    sweep(&app).await;
    let d = distribution(&app, &token, &event).await;
    assert_eq!(state(&d, "NAVER").0, "PUBLISHED", "{d:#}");
    assert_eq!(fakes.naver.posted(), 1);

    let (fakes, app, clock, token, event) = one_channel(b, "NAVER", &[]).await;
    let quota = json!({"errorCode": "010", "errorMessage": "Quota Exceeded (일일 한도 초과)"});
    fakes.naver.faults.fail("write", Fault::Answer(429, quota));
    let d = publish(&app, &token, &event).await;
    let at: chrono::DateTime<chrono::Utc> = post(&d, "NAVER")["nextAttemptAt"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let wait = at - event_marketing::ports::Clock::now(clock.as_ref());
    assert!(wait > chrono::Duration::minutes(1), "{wait}");
    assert_eq!(fakes.naver.posted(), 0);
}

/// Finding 9: a 302 to Naver's login page is not followed (it would carry the token and turn
/// the write into a GET): the post waits for a reconnect.
async fn a_redirect_to_a_login_asks_for_a_reconnect(b: Backend) {
    let (fakes, app, _, token, event) = one_channel(b, "NAVER", &[]).await;
    let login = "https://nid.naver.com/nidlogin.login?mode=form".to_owned();
    // Once with the token, once after it was refreshed.
    fakes
        .naver
        .faults
        .fail("write", Fault::Redirect(login.clone()));
    fakes.naver.faults.fail("write", Fault::Redirect(login));
    let d = publish(&app, &token, &event).await;
    assert_eq!(state(&d, "NAVER").0, "NEEDS_RECONNECT", "{d:#}");
    assert_eq!(fakes.naver.posted(), 0);
}

/// Finding 8: one shop's Instagram container takes seconds to process; meanwhile another
/// shop's plan job, asked for after the distribution started, is done while Instagram is still
/// being polled (the relay delivers distributions in their own lane, on both stores).
async fn a_slow_channel_never_holds_up_another_shops_work(b: Backend) {
    let (fakes, app, _, token, event) =
        one_channel(b, "INSTAGRAM", &[("INSTAGRAM_POLL_MILLIS", "100")]).await;
    *fakes.ig.processing_polls.lock().unwrap() = 100; // ten seconds of IN_PROGRESS
    let other = app.owner("other@cafe.kr").await;
    let draft = app.draft(&other).await;
    let path = format!("/api/events/{event}/publish");
    let (s, body) = app.call(Method::POST, &path, Some(&token), None).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let meanwhile = async {
        for _ in 0..500 {
            if !fakes.ig.containers.lock().unwrap().is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let path = format!("/api/events/{draft}/ai-recommendations");
        let (_, job) = app.call(Method::POST, &path, Some(&other), None).await;
        let job = format!("/api/jobs/{}", job["jobId"].as_str().unwrap());
        let mut done = Value::Null;
        for _ in 0..100 {
            done = app.get(&job, &other).await.1;
            if done["status"] == "COMPLETED" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let d = distribution(&app, &token, &event).await;
        (
            done["status"].clone(),
            post(&d, "INSTAGRAM")["status"].clone(),
        )
    };
    let (_, (job, instagram)) = tokio::join!(app.relay(), meanwhile);
    assert_eq!(
        (job.as_str(), instagram.as_str()),
        (Some("COMPLETED"), Some("IN_PROGRESS"))
    );
    let d = distribution(&app, &token, &event).await;
    assert_eq!(state(&d, "INSTAGRAM").0, "PUBLISHED", "{d:#}");
    assert_eq!(fakes.ig.published(), 1);
}

on_both_backends!(
    a_slow_channel_never_holds_up_another_shops_work,
    instagram_made_then_500_is_read_back_never_posted_again,
    an_attempt_never_puts_back_an_old_checkpoint,
    an_instagram_success_without_an_id_is_read_back,
    an_unreadable_saved_container_is_never_replaced,
    an_unreadable_kakao_acceptance_is_not_a_rejection,
    an_unknown_kakao_send_is_read_back_not_resent_blindly,
    kakao_keys_are_checked_and_a_refused_key_asks_for_a_reconnect,
    a_kt_order_rejected_in_review_is_not_shown_as_published,
    a_kt_409_for_our_own_order_is_read_back,
    kt_reviews_are_read_until_final,
    a_kt_connection_refused_is_a_retryable_failure,
    kt_accounts_are_held_to_their_shape_and_proved_by_their_pin,
    naver_waits_as_long_as_it_says,
    a_redirect_to_a_login_asks_for_a_reconnect,
);
