//! Promotions that run at the counter, over HTTP on the real app, on both stores: joining gives
//! a pass; the counter uses it once (twice at once: one wins), stamps a card within its gap and
//! gives its reward, keeps a time sale to its hours, credits a referral when the friend first
//! uses theirs, and rewards an approved photo review; first-come caps hold; bad input is refused
//! with nothing changed.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::{Duration, Utc};
use common::entries::{phone, seoul_today};
use common::passes::{act, coupon, join, pass, pass_of, promotion, undo};
use common::{Backend, TestApp, TestClock, assert_error};
use reqwest::StatusCode;
use serde_json::json;

/// A clock on the next weekday afternoon in Seoul, 15:00–16:00 (inside "평일 오후 3~5시"),
/// at or after now (tokens it issues are still valid by the wall clock).
fn monday_afternoon() -> std::sync::Arc<TestClock> {
    use chrono::{Datelike, Timelike};
    let clock = TestClock::new();
    let seoul = |t: chrono::DateTime<Utc>| t + Duration::hours(9);
    let mut t = clock_now(&clock);
    while !(seoul(t).weekday().number_from_monday() <= 5 && seoul(t).hour() == 15) {
        t += Duration::minutes(30);
    }
    clock.advance(t - clock_now(&clock));
    clock
}

async fn coupons_are_used_once_and_taken_back_within_minutes(b: Backend) {
    let clock = monday_afternoon();
    let app = TestApp::spawn_with(b, &[], clock.clone()).await;
    let token = app.owner("passes@cafe.kr").await;
    let today = seoul_today(clock_now(&clock));
    let event = promotion(&app, &token, today, coupon(0, today + Duration::days(30))).await;
    let code = pass_of(&app, &event, &phone(1), None).await;
    assert_eq!(code.len(), 16, "80 bits of Crockford base32");
    let (s, p) = pass(&app, &code).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["status"], "READY");
    assert_eq!(p["headline"], "결제 금액 20% 할인");
    assert!(
        p["counterUrl"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/c/{code}"))
    );

    let (s, used) = act(&app, &token, &code, "USE", Some(18_000)).await;
    assert_eq!(s, StatusCode::CREATED, "{used}");
    assert_eq!(used["give"], "결제 금액 20% 할인");
    assert_eq!(used["pass"]["status"], "USED");
    let (s, again) = act(&app, &token, &code, "USE", None).await;
    assert_error(s, &again, 409, "PASS_003");
    assert!(again["message"].as_str().unwrap().contains("이미 사용됨"));

    // A mistaken tap is taken back within the minutes allowed, not after.
    let (s, back) = undo(&app, &token, &code).await;
    assert_eq!(s, StatusCode::OK, "{back}");
    assert_eq!(back["status"], "READY");
    act(&app, &token, &code, "USE", None).await;
    clock.advance(Duration::minutes(11));
    let (s, late) = undo(&app, &token, &code).await;
    assert_error(s, &late, 409, "PASS_014");

    // Two more customers, one through Instagram's link and one through the shop's QR code, use
    // theirs; the dashboard counts what the rows hold, per channel, and measures the return.
    let insta = common::passes::pass_from(&app, &event, &phone(2), "INSTAGRAM").await;
    let store = common::passes::pass_from(&app, &event, &phone(3), "STORE").await;
    act(&app, &token, &insta, "USE", Some(30_000)).await;
    act(&app, &token, &store, "USE", None).await;
    let d = common::passes::assert_dashboard_counts(&app, &token, &event).await;
    assert_eq!(d["results"]["redeemed"], 3, "{d}");
    assert_eq!(d["results"]["label"], "실측");
    // The 18,000 typed on the use that was taken back went with it; the one amount left
    // (30,000) is the average over three uses → 90,000; the cost is the budget.
    assert_eq!(d["results"]["revenue"], 90_000, "{d}");
    assert!(d["results"]["costPerRedeemedVisit"].is_number(), "{d}");

    // Another shop's owner, a code of the wrong shape, a code that is none.
    let other = app.owner("other@cafe.kr").await;
    let (s, foreign) = act(&app, &other, &code, "USE", None).await;
    assert_error(s, &foreign, 404, "PASS_002");
    let (s, wrong) = pass(&app, "not-a-code").await;
    assert_error(s, &wrong, 404, "PASS_001");
    let (s, none) = pass(&app, "0000-0000-0000-0000").await;
    assert_error(s, &none, 404, "PASS_001");
    let (s, bad) = act(&app, &token, &code, "USE", Some(-5)).await;
    assert_error(s, &bad, 400, "REQ_002");
}

fn clock_now(clock: &TestClock) -> chrono::DateTime<Utc> {
    use event_marketing::ports::Clock;
    clock.now()
}

async fn first_come_caps_hold_and_say_when_they_are_gone(b: Backend) {
    let clock = monday_afternoon();
    let app = TestApp::spawn_with(b, &[], clock.clone()).await;
    let token = app.owner("cap@cafe.kr").await;
    let today = seoul_today(clock_now(&clock));
    let event = promotion(&app, &token, today, coupon(3, today + Duration::days(30))).await;
    let mut given = 0;
    for n in 0..5 {
        let (s, body) = join(&app, &event, &phone(n), None).await;
        match s {
            StatusCode::CREATED => given += 1,
            _ => assert_error(s, &body, 409, "ENTRY_008"),
        }
    }
    assert_eq!(given, 3);
    let (_, page) = common::entries::public_page(&app, &event).await;
    assert_eq!(page["promotion"]["left"], 0);
    // Nothing was kept of the customers turned away.
    let (_, list) = app
        .get(&format!("/api/events/{event}/participants"), &token)
        .await;
    assert_eq!(list["total"], 3);
}

async fn stamp_cards_stamp_once_per_visit_and_give_their_reward(b: Backend) {
    let clock = monday_afternoon();
    let app = TestApp::spawn_with(b, &[], clock.clone()).await;
    let token = app.owner("stamps@cafe.kr").await;
    let today = seoul_today(clock_now(&clock));
    let card = json!({"type": "STAMP_CARD", "goal": 3, "minGapHours": 12,
        "reward": {"kind": "ITEM", "name": "아메리카노 1잔", "value": 1500}, "cap": null,
        "validity": {"kind": "DAYS", "days": 60}});
    let event = promotion(&app, &token, today, card).await;
    let code = pass_of(&app, &event, &phone(1), None).await;
    let (s, first) = act(&app, &token, &code, "STAMP", None).await;
    assert_eq!(s, StatusCode::CREATED, "{first}");
    assert_eq!(first["give"], "스탬프 1/3");
    let (s, soon) = act(&app, &token, &code, "STAMP", None).await;
    assert_error(s, &soon, 409, "PASS_006");
    let (s, early) = act(&app, &token, &code, "REWARD", None).await;
    assert_error(s, &early, 409, "PASS_008");
    for _ in 0..2 {
        clock.advance(Duration::hours(13));
        let (s, body) = act(&app, &token, &code, "STAMP", None).await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
    }
    let (_, p) = pass(&app, &code).await;
    assert_eq!(
        (p["stamps"].as_u64(), p["status"].as_str()),
        (Some(3), Some("REWARD_READY"))
    );
    let (s, full) = act(&app, &token, &code, "STAMP", None).await;
    assert_error(s, &full, 409, "PASS_007");
    let (s, reward) = act(&app, &token, &code, "REWARD", Some(4_500)).await;
    assert_eq!(s, StatusCode::CREATED, "{reward}");
    assert_eq!(reward["give"], "아메리카노 1잔");
    let (s, twice) = act(&app, &token, &code, "REWARD", None).await;
    assert_error(s, &twice, 409, "PASS_003");
    // A full card whose reward was given is done: it does not ask for the reward again.
    let (s, done) = act(&app, &token, &code, "STAMP", None).await;
    assert_error(s, &done, 409, "PASS_003");
    let d = common::passes::assert_dashboard_counts(&app, &token, &event).await;
    let rows = common::passes::counted_rows(&app, &event).await;
    assert_eq!(rows.get("DIRECT").map(|r| r.1), Some(3));
    assert_eq!(d["results"]["redeemed"], 1);
}

async fn a_time_sale_is_used_only_in_its_hours(b: Backend) {
    let clock = monday_afternoon();
    let app = TestApp::spawn_with(b, &[], clock.clone()).await;
    let token = app.owner("sale@cafe.kr").await;
    let today = seoul_today(clock_now(&clock));
    let sale = json!({"type": "TIME_SALE", "benefit": {"kind": "AMOUNT", "won": 3000}, "cap": 50,
        "window": {"days": ["MON", "TUE", "WED", "THU", "FRI"], "fromHour": 15, "toHour": 17},
        "validity": {"kind": "DAYS", "days": 14}, "uses": 1});
    let event = promotion(&app, &token, today, sale).await;
    let code = pass_of(&app, &event, &phone(1), None).await;
    clock.advance(Duration::hours(3)); // 18:xx: the window has closed.
    let (s, late) = act(&app, &token, &code, "USE", None).await;
    assert_error(s, &late, 409, "PASS_005");
    assert!(
        late["message"]
            .as_str()
            .unwrap()
            .contains("평일 오후 3~5시")
    );
    clock.advance(Duration::hours(21)); // the next day, 15:xx (or a weekend: then closed).
    use chrono::Datelike;
    let weekday = (clock_now(&clock) + Duration::hours(9))
        .weekday()
        .number_from_monday()
        <= 5;
    let (s, body) = act(&app, &token, &code, "USE", None).await;
    if weekday {
        assert_eq!(s, StatusCode::CREATED, "{body}");
        assert_eq!(body["give"], "3,000원 할인");
    } else {
        assert_error(s, &body, 409, "PASS_005");
    }
    let d = common::passes::assert_dashboard_counts(&app, &token, &event).await;
    assert_eq!(d["results"]["redeemed"], i64::from(weekday), "{d}");
}

async fn a_referral_credits_the_inviter_when_the_friend_first_uses_theirs(b: Backend) {
    let clock = monday_afternoon();
    let app = TestApp::spawn_with(b, &[], clock.clone()).await;
    let token = app.owner("friends@cafe.kr").await;
    let today = seoul_today(clock_now(&clock));
    let referral = json!({"type": "REFERRAL", "inviter": {"kind": "AMOUNT", "won": 2000},
        "friend": {"kind": "AMOUNT", "won": 2000}, "unlock": "FRIEND_REDEEMED", "cap": null,
        "validity": {"kind": "DAYS", "days": 30}});
    let event = promotion(&app, &token, today, referral).await;
    let inviter = pass_of(&app, &event, &phone(1), None).await;
    let (_, mine) = pass(&app, &inviter).await;
    let link = mine["inviteUrl"].as_str().unwrap().to_owned();
    let invite = link.split("ref=").nth(1).unwrap().to_owned();
    assert!(link.contains(&format!("/e/{event}?ref=")));
    // The inviter's own phone through their own link: refused, nothing stored.
    let (s, own) = join(&app, &event, &phone(1), Some(&invite)).await;
    assert_error(s, &own, 422, "ENTRY_009");
    let friend = pass_of(&app, &event, &phone(2), Some(&invite)).await;
    let (s, nothing) = act(&app, &token, &inviter, "REWARD", None).await;
    assert_error(s, &nothing, 409, "PASS_010");
    let (_, mine) = pass(&app, &inviter).await;
    assert_eq!(
        (mine["invited"].as_u64(), mine["credited"].as_u64()),
        (Some(1), Some(0))
    );
    let (s, used) = act(&app, &token, &friend, "USE", None).await;
    assert_eq!(s, StatusCode::CREATED, "{used}");
    assert_eq!(used["give"], "2,000원 할인");
    let (_, mine) = pass(&app, &inviter).await;
    assert_eq!(mine["credited"], 1);
    let (s, reward) = act(&app, &token, &inviter, "REWARD", None).await;
    assert_eq!(s, StatusCode::CREATED, "{reward}");
    // The friend's use unlocked a reward the inviter has had: it cannot be taken back now.
    let (s, blocked) = undo(&app, &token, &friend).await;
    assert_error(s, &blocked, 409, "PASS_016");
    // The inviter's own pass has nothing to use for themselves.
    let (s, none) = act(&app, &token, &inviter, "USE", None).await;
    assert_error(s, &none, 409, "PASS_011");
    let d = common::passes::assert_dashboard_counts(&app, &token, &event).await;
    assert_eq!(d["results"]["redeemed"], 2);
    assert_eq!(
        (
            d["results"]["invited"].as_i64(),
            d["results"]["credited"].as_i64()
        ),
        (Some(1), Some(1))
    );
}

async fn a_photo_review_is_rewarded_once_the_owner_approves_it(b: Backend) {
    let clock = monday_afternoon();
    let app = TestApp::spawn_with(b, &[], clock.clone()).await;
    let token = app.owner("reviews@cafe.kr").await;
    let today = seoul_today(clock_now(&clock));
    let review = json!({"type": "PHOTO_REVIEW", "reward": {"kind": "ITEM", "name": "쿠키 1개", "value": 800},
        "sites": ["INSTAGRAM", "NAVER_BLOG"], "hashtag": "카페봄날", "cap": 30,
        "validity": {"kind": "DAYS", "days": 30}});
    let event = promotion(&app, &token, today, review).await;
    let code = pass_of(&app, &event, &phone(1), None).await;
    let (_, p) = pass(&app, &code).await;
    assert_eq!(p["status"], "REVIEW_NEEDED");
    assert!(p["terms"].to_string().contains("혜택을 받고 작성한 후기"));
    let put = |url: &str| json!({"url": url});
    let path = format!("/api/public/passes/{code}/review");
    for bad in [
        "not a url",
        "http://www.instagram.com/p/x/",
        "https://example.com/post/1",
    ] {
        let (s, e) = app
            .call(reqwest::Method::PUT, &path, None, Some(put(bad)))
            .await;
        assert_error(s, &e, 400, "REQ_002");
    }
    let (s, e) = act(&app, &token, &code, "REWARD", None).await;
    assert_error(s, &e, 409, "PASS_009");
    let post = "https://www.instagram.com/p/C0aBcDeFgHi/";
    let (s, p) = app
        .call(reqwest::Method::PUT, &path, None, Some(put(post)))
        .await;
    assert_eq!(
        (s, p["status"].as_str()),
        (StatusCode::OK, Some("REVIEW_PENDING")),
        "{p}"
    );
    let decide = format!(
        "/api/events/{event}/reviews/{}",
        p["receipt"].as_str().unwrap()
    );
    let (s, e) = app.put(&decide, &token, json!({"approve": false})).await;
    assert_error(s, &e, 400, "REQ_002");
    let reject = json!({"approve": false, "reason": "매장 사진이 보이지 않아요"});
    let (s, _) = app.put(&decide, &token, reject).await;
    assert_eq!(s, StatusCode::OK);
    let (_, p) = pass(&app, &code).await;
    assert_eq!(p["status"], "REVIEW_REJECTED");
    assert!(
        p["statusLine"]
            .as_str()
            .unwrap()
            .contains("매장 사진이 보이지 않아요")
    );
    app.call(reqwest::Method::PUT, &path, None, Some(put(post)))
        .await;
    let (s, _) = app.put(&decide, &token, json!({"approve": true})).await;
    assert_eq!(s, StatusCode::OK);
    let (s, reward) = act(&app, &token, &code, "REWARD", None).await;
    assert_eq!(s, StatusCode::CREATED, "{reward}");
    assert_eq!(reward["give"], "쿠키 1개");
    let (_, list) = app
        .get(&format!("/api/events/{event}/reviews"), &token)
        .await;
    assert_eq!(list["items"][0]["review"]["state"], "APPROVED");
    let d = common::passes::assert_dashboard_counts(&app, &token, &event).await;
    assert_eq!(
        (
            d["results"]["approvedReviews"].as_i64(),
            d["results"]["redeemed"].as_i64()
        ),
        (Some(1), Some(1))
    );
}

async fn a_giveaway_keeps_its_draw_receipt_and_gives_no_pass(b: Backend) {
    let clock = monday_afternoon();
    let app = TestApp::spawn_with(b, &[], clock.clone()).await;
    let token = app.owner("draw@cafe.kr").await;
    let today = seoul_today(clock_now(&clock));
    let event = promotion(
        &app,
        &token,
        today,
        json!({"type": "GIVEAWAY", "winners": 3}),
    )
    .await;
    let (s, entered) = join(&app, &event, &phone(1), None).await;
    assert_eq!(s, StatusCode::CREATED, "{entered}");
    assert!(entered["pass"].is_null());
    assert!(entered["message"].as_str().unwrap().contains("추첨"));
    // A draw entry is no pass: nothing issued, the entries counted as entries.
    let d = common::passes::assert_dashboard_counts(&app, &token, &event).await;
    assert_eq!(
        (
            d["results"]["issued"].as_i64(),
            d["totals"]["entries"].as_i64()
        ),
        (Some(0), Some(1))
    );
}

async fn a_pass_is_found_again_by_phone_and_receipt(b: Backend) {
    let clock = monday_afternoon();
    let app = TestApp::spawn_with(b, &[], clock.clone()).await;
    let token = app.owner("find@cafe.kr").await;
    let today = seoul_today(clock_now(&clock));
    let event = promotion(&app, &token, today, coupon(0, today + Duration::days(30))).await;
    let (_, entered) = join(&app, &event, &phone(7), None).await;
    let path = format!("/api/public/events/{event}/passes/find");
    let body = json!({"phone": phone(7), "receipt": entered["receipt"]});
    let (s, found) = app.post(&path, None, body).await;
    assert_eq!(s, StatusCode::OK, "{found}");
    assert_eq!(found["code"], entered["pass"]["code"]);
    let other = json!({"phone": phone(8), "receipt": entered["receipt"]});
    let (s, e) = app.post(&path, None, other).await;
    assert_error(s, &e, 404, "PASS_001");
}

async fn two_counters_tapping_at_once_use_a_pass_once(b: Backend) {
    let clock = monday_afternoon();
    let app = TestApp::spawn_with(b, &[], clock.clone()).await;
    let token = app.owner("race@cafe.kr").await;
    let today = seoul_today(clock_now(&clock));
    let event = promotion(&app, &token, today, coupon(0, today + Duration::days(30))).await;
    for round in 0..5 {
        let code = pass_of(&app, &event, &phone(100 + round), None).await;
        let (a, b2) = tokio::join!(
            act(&app, &token, &code, "USE", None),
            act(&app, &token, &code, "USE", None)
        );
        let mut statuses = [a.0.as_u16(), b2.0.as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [201, 409], "{a:?} {b2:?}");
        let refused = if a.0 == StatusCode::CONFLICT {
            &a.1
        } else {
            &b2.1
        };
        assert!(
            refused["message"].as_str().unwrap().contains("이미 사용됨"),
            "{refused}"
        );
    }

    // A coupon good for three visits, tapped twice for one visit (a double tap, or two phones)
    // with the version both saw: used once, the other told it changed meanwhile.
    let mut thrice = coupon(0, today + Duration::days(30));
    thrice["uses"] = json!(3);
    let event = promotion(&app, &token, today, thrice).await;
    let code = pass_of(&app, &event, &phone(200), None).await;
    let (_, seen) = pass(&app, &code).await;
    let path = format!("/api/passes/{code}/acts");
    let body = json!({"act": "USE", "version": seen["version"]});
    let (a, b2) = tokio::join!(
        app.post(&path, Some(&token), body.clone()),
        app.post(&path, Some(&token), body.clone())
    );
    let mut codes = [a.1["code"].clone(), b2.1["code"].clone()];
    codes.sort_by_key(|c| c.is_null());
    assert_eq!(codes[0], "PASS_017", "{a:?} {b2:?}");
    assert!(codes[1].is_null(), "{a:?} {b2:?}");
    let (_, now) = pass(&app, &code).await;
    assert_eq!(now["uses"], 1, "{now}");
    // A tap from a page that is out of date does nothing either.
    let (s, stale) = app.post(&path, Some(&token), body).await;
    assert_error(s, &stale, 409, "PASS_017");
}

async fn a_cap_of_a_hundred_holds_under_a_thousand_joins_at_once(b: Backend) {
    let clock = monday_afternoon();
    let app = TestApp::spawn_with(
        b,
        &[("ENTRY_RATE_LIMIT_PER_MINUTE", "100000")],
        clock.clone(),
    )
    .await;
    let token = app.owner("crowd@cafe.kr").await;
    let today = seoul_today(clock_now(&clock));
    let event = promotion(&app, &token, today, coupon(100, today + Duration::days(30))).await;
    let joins = (0..1000).map(|n| {
        let (app, event) = (&app, &event);
        async move { join(app, event, &phone(n), None).await }
    });
    let mut given = 0;
    let mut gone = 0;
    for (s, body) in futures::future::join_all(joins).await {
        match s {
            StatusCode::CREATED => given += 1,
            StatusCode::CONFLICT => {
                assert_eq!(body["code"], "ENTRY_008", "{body}");
                gone += 1;
            }
            // The intake's queue full: the customer is told to try again; nothing was stored.
            StatusCode::SERVICE_UNAVAILABLE => assert_eq!(body["code"], "ENTRY_007"),
            other => panic!("{other}: {body}"),
        }
    }
    assert_eq!(given, 100);
    assert!(gone > 0);
    let (_, list) = app
        .get(
            &format!("/api/events/{event}/participants?size=100"),
            &token,
        )
        .await;
    assert_eq!(list["total"], 100);
}

/// What customers read must say what the counter does: a description that promises 30 % while
/// the mechanic gives 20 % is not published, and says which number is missing.
async fn a_description_with_other_numbers_is_not_published(b: Backend) {
    let clock = monday_afternoon();
    let app = TestApp::spawn_with(b, &[], clock.clone()).await;
    let token = app.owner("words@cafe.kr").await;
    let today = seoul_today(clock_now(&clock));
    let event = common::entries::ready(&app, &token, today, 10_000).await;
    let path = format!("/api/events/{event}/promotion");
    let (s, body) = app
        .put(&path, &token, coupon(0, today + Duration::days(30)))
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let other = json!({"description": "응모하면 30% 할인 쿠폰을 드립니다."});
    app.put(&format!("/api/events/{event}"), &token, other)
        .await;
    let publish = format!("/api/events/{event}/publish");
    let (s, refused) = app.post(&publish, Some(&token), json!({})).await;
    assert_error(s, &refused, 422, "EVENT_008");
    let problem = &refused["details"]["problems"][0];
    assert_eq!(problem["code"], "PROMOTION_RULE", "{refused}");
    assert!(
        problem["message"]
            .as_str()
            .unwrap()
            .contains("'20%'가 없습니다"),
        "{problem}"
    );
    let (_, e) = app.get(&format!("/api/events/{event}"), &token).await;
    assert_eq!(e["status"], "DRAFT");
}

on_both_backends!(
    a_description_with_other_numbers_is_not_published,
    coupons_are_used_once_and_taken_back_within_minutes,
    first_come_caps_hold_and_say_when_they_are_gone,
    stamp_cards_stamp_once_per_visit_and_give_their_reward,
    a_time_sale_is_used_only_in_its_hours,
    a_referral_credits_the_inviter_when_the_friend_first_uses_theirs,
    a_photo_review_is_rewarded_once_the_owner_approves_it,
    a_giveaway_keeps_its_draw_receipt_and_gives_no_pass,
    a_pass_is_found_again_by_phone_and_receipt,
    two_counters_tapping_at_once_use_a_pass_once,
    a_cap_of_a_hundred_holds_under_a_thousand_joins_at_once,
);
