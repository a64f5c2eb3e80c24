//! Customers' personal data is destroyed on time by the participants-purge timer: non-winners a
//! day after the draw, alternates, winners, the marketing-consented at the end of their consent,
//! and entries of events never drawn. Afterwards the raw tables of both databases (and SQLite's
//! file itself) hold neither the names, nor the phone numbers, nor their tags; the leaves stay.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use chrono::Duration;
use common::entries::{end, enter, entry, open_event, phone, purge, seoul_today};
use common::{Backend, TestApp, TestClock};
use reqwest::StatusCode;
use serde_json::{Value, json};

const EMAIL: &str = "purge@cafe.kr";

async fn participants(app: &TestApp, event: &str) -> Vec<Value> {
    let token = app.login(EMAIL, "secret123").await;
    let (s, list) = app
        .get(&format!("/api/events/{event}/participants"), &token)
        .await;
    assert_eq!(s, StatusCode::OK, "{list}");
    list["items"].as_array().unwrap().clone()
}

/// Receipts of the entries whose personal data is gone.
async fn destroyed(app: &TestApp, event: &str) -> Vec<String> {
    let mut gone: Vec<String> = (participants(app, event).await.into_iter())
        .filter(|p| p["destroyed"] == true)
        .map(|p| p["receipt"].as_str().unwrap().to_owned())
        .collect();
    gone.sort();
    gone
}

/// Receipts with `result` (null for non-winners) and marketing consent.
async fn receipts_where(app: &TestApp, event: &str, result: Value, marketing: bool) -> Vec<String> {
    (participants(app, event).await.into_iter())
        .filter(|p| p["result"] == result && p["agreeMarketing"] == marketing)
        .map(|p| p["receipt"].as_str().unwrap().to_owned())
        .collect()
}

/// Everything the database holds as text, table by table.
async fn everything(app: &TestApp) -> String {
    let mut all = String::new();
    for sql in [
        "SELECT * FROM entries",
        "SELECT * FROM draws",
        "SELECT CAST(proof AS TEXT) FROM draws",
        "SELECT * FROM draw_replacements",
        "SELECT * FROM draw_seeds",
        "SELECT * FROM personal_data_access",
        "SELECT CAST(payload AS TEXT) FROM outbox",
    ] {
        all.push_str(&app.db.raw_text(sql).await);
    }
    if app.db.backend == Backend::Sqlite {
        // The file itself, and its write-ahead log: free pages and old versions too.
        for name in ["test.db", "test.db-wal"] {
            if let Ok(bytes) = std::fs::read(app.db.dir.path().join(name)) {
                all.push_str(&String::from_utf8_lossy(&bytes));
            }
        }
    }
    all
}

async fn personal_data_is_destroyed_on_time_and_leaves_no_trace(b: Backend) {
    let clock: Arc<TestClock> = TestClock::new();
    let app = TestApp::spawn_with(b, &[], clock.clone()).await;
    let token = app.owner(EMAIL).await;
    let today = seoul_today(chrono::Utc::now());
    let event = common::entries::open_giveaway(&app, &token, today, 1).await;
    let undrawn = open_event(&app, &token, today).await;
    let names = ["가나다", "라마바", "사아자", "차카타", "파하가", "나다라"];
    for (i, name) in names.iter().enumerate() {
        let mut body = entry(name, &phone(100 + i));
        body["agreeMarketing"] = json!(i == 5);
        let target = if i < 5 { &event } else { &undrawn };
        let (s, got) = enter(&app, target, body, None).await;
        assert_eq!(s, StatusCode::CREATED, "{got}");
    }
    let mut consented = entry("마케팅동의", &phone(200));
    consented["agreeMarketing"] = json!(true);
    enter(&app, &event, consented, None).await;
    let tags = app
        .db
        .raw_text("SELECT phone_tag, owner_tag FROM entries")
        .await;
    let tags: Vec<String> = tags
        .split('|')
        .filter(|t| t.len() == 64)
        .map(str::to_owned)
        .collect();
    assert_eq!(tags.len(), 14, "two tags per entry");
    let before = everything(&app).await;
    assert!(
        tags.iter().all(|t| before.contains(t.as_str())),
        "the scan sees the tags"
    );

    end(&app, &token, &event).await;
    end(&app, &token, &undrawn).await;
    let path = format!("/api/events/{event}/draws");
    let (s, drawn) = app
        .post(
            &path,
            Some(&token),
            json!({"winnerCount": 1, "alternateCount": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{drawn}");
    assert!(purge(&app).await.contains(" 0 "), "nothing is due yet");

    let mut losers = receipts_where(&app, &event, Value::Null, false).await;
    let winner = drawn["winners"][0]["receipt"].as_str().unwrap().to_owned();
    let alternate = drawn["alternates"][0]["receipt"]
        .as_str()
        .unwrap()
        .to_owned();
    clock.advance(Duration::hours(25));
    purge(&app).await;
    losers.sort();
    assert_eq!(
        destroyed(&app, &event).await,
        losers,
        "non-winners within a day of the draw"
    );

    clock.advance(Duration::days(14));
    purge(&app).await;
    let gone = destroyed(&app, &event).await;
    let consenting = receipts_where(&app, &event, json!("ALTERNATE"), true).await;
    assert_eq!(
        gone.contains(&alternate),
        consenting.is_empty(),
        "alternates after 14 days"
    );
    assert!(
        !gone.contains(&winner),
        "winners are kept to deliver the prize"
    );

    clock.advance(Duration::days(17));
    purge(&app).await;
    let gone = destroyed(&app, &event).await;
    let winner_consented = !receipts_where(&app, &event, json!("WINNER"), true)
        .await
        .is_empty();
    assert_eq!(
        gone.contains(&winner),
        !winner_consented,
        "winners after 30 days"
    );
    assert_eq!(
        destroyed(&app, &undrawn).await.len(),
        0,
        "marketing consent outlasts the event"
    );

    clock.advance(Duration::days(365));
    purge(&app).await;
    assert_eq!(destroyed(&app, &event).await.len(), 6);
    assert_eq!(destroyed(&app, &undrawn).await.len(), 1);

    let after = everything(&app).await;
    for t in &tags {
        assert!(!after.contains(t.as_str()), "a tag survived the purge");
    }
    for name in names.iter().chain(&["마케팅동의"]) {
        assert!(!after.contains(name), "{name}");
    }
    for i in (100..106).chain([200]) {
        let p = phone(i);
        let digits = p.replace('-', "");
        assert!(!after.contains(&digits) && !after.contains(&p), "{p}");
        assert!(!after.contains(&format!("+82{}", &digits[1..])), "{p}");
    }
    // The proof still holds: the leaves stayed.
    let path = format!("/api/public/events/{event}/draw");
    let (_, proof) = app.call(reqwest::Method::GET, &path, None, None).await;
    assert_eq!(proof["sortedLeaves"].as_array().unwrap().len(), 6);
}

async fn entries_of_an_event_never_drawn_go_after_the_set_days(b: Backend) {
    let clock: Arc<TestClock> = TestClock::new();
    let app = TestApp::spawn_with(b, &[("UNDRAWN_RETENTION_DAYS", "10")], clock.clone()).await;
    let token = app.owner(EMAIL).await;
    let today = seoul_today(chrono::Utc::now());
    let event = common::entries::open_giveaway(&app, &token, today, 1).await;
    enter(&app, &event, entry("가나다", &phone(1)), None).await;
    end(&app, &token, &event).await;
    clock.advance(Duration::days(9));
    purge(&app).await;
    assert!(destroyed(&app, &event).await.is_empty());
    clock.advance(Duration::days(2));
    assert!(purge(&app).await.contains(" 1 "));
    assert_eq!(destroyed(&app, &event).await.len(), 1);
    // Nothing left to draw from: a clear refusal, not a draw of nobody reachable.
    let token = app.login(EMAIL, "secret123").await;
    let (s, body) = app
        .post(
            &format!("/api/events/{event}/draws"),
            Some(&token),
            json!({"winnerCount": 1}),
        )
        .await;
    common::assert_error(s, &body, 409, "DRAW_006");
}

/// A pass is found again by its phone and receipt while the entry's data is kept.
async fn find(app: &TestApp, event: &str, phone: &str, receipt: &Value) -> StatusCode {
    let path = format!("/api/public/events/{event}/passes/find");
    let body = json!({"phone": phone, "receipt": receipt});
    app.post(&path, None, body).await.0
}

async fn used_and_expired_passes_lose_their_data_like_non_winners(b: Backend) {
    use common::passes::{act, coupon, join, pass, promotion};
    use event_marketing::ports::Clock;
    // Daytime in Seoul: a day on either side of a deadline stays the same Seoul day.
    let clock: Arc<TestClock> = TestClock::daytime();
    let app = TestApp::spawn_with(b, &[], clock.clone()).await;
    let token = app.owner(EMAIL).await;
    let today = seoul_today(clock.now());
    let event = promotion(&app, &token, today, coupon(0, today + Duration::days(6))).await;
    let mut joined = vec![];
    for n in 1..=2 {
        let (s, body) = join(&app, &event, &phone(n), None).await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
        joined.push(body);
    }
    let code = |n: usize| joined[n]["pass"]["code"].as_str().unwrap().to_owned();
    let (reviewed, post) = review_posted(&app, &token, today).await;
    let (s, used) = act(&app, &token, &code(0), "USE", None).await;
    assert_eq!(s, StatusCode::CREATED, "{used}");

    // While the event takes entries, the used pass's entry stays: it is what keeps the same
    // phone from joining again for a fresh coupon.
    clock.advance(Duration::hours(25));
    purge(&app).await;
    assert!(destroyed(&app, &event).await.is_empty());
    let (s, again) = join(&app, &event, &phone(1), None).await;
    common::assert_error(s, &again, 409, "ENTRY_003");

    // A day after the event ended (and after its use) the used pass's entry is destroyed; the
    // unused one is kept.
    end(&app, &token, &event).await;
    end(&app, &token, &reviewed).await;
    clock.advance(Duration::hours(23));
    purge(&app).await;
    assert!(destroyed(&app, &event).await.is_empty());
    clock.advance(Duration::hours(2));
    purge(&app).await;
    assert_eq!(
        destroyed(&app, &event).await,
        vec![joined[0]["receipt"].as_str().unwrap()]
    );
    assert_eq!(
        find(&app, &event, &phone(1), &joined[0]["receipt"]).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        find(&app, &event, &phone(2), &joined[1]["receipt"]).await,
        StatusCode::OK
    );
    // Its link still shows what it was; the page never held a name or phone.
    let (s, page) = pass(&app, &code(0)).await;
    assert_eq!(
        (s, page["status"].as_str()),
        (StatusCode::OK, Some("USED")),
        "{page}"
    );

    // The unused one expires after its last day, and goes a day after that.
    clock.advance(Duration::days(3));
    purge(&app).await;
    assert_eq!(destroyed(&app, &event).await.len(), 1);
    clock.advance(Duration::days(3));
    purge(&app).await;
    assert_eq!(destroyed(&app, &event).await.len(), 2);
    // The review's address named the customer's account: it went with the entry.
    let kept = app.db.raw_text("SELECT review_url FROM passes").await;
    assert!(!kept.contains(post), "{kept}");
}

/// A photo review promotion (valid as long as the coupon) with one review waiting; the event
/// and the address.
async fn review_posted(
    app: &TestApp,
    token: &str,
    today: chrono::NaiveDate,
) -> (String, &'static str) {
    let review = json!({"type": "PHOTO_REVIEW", "reward": {"kind": "ITEM", "name": "쿠키 1개", "value": 800},
        "sites": ["INSTAGRAM"], "hashtag": "카페봄날", "cap": null,
        "validity": {"kind": "UNTIL", "date": today + Duration::days(6)}});
    let event = common::passes::promotion(app, token, today, review).await;
    let code = common::passes::pass_of(app, &event, &phone(3), None).await;
    let post = "https://www.instagram.com/p/C0aBcDeFgHi/";
    let path = format!("/api/public/passes/{code}/review");
    let (s, p) = (app.call(
        reqwest::Method::PUT,
        &path,
        None,
        Some(json!({"url": post})),
    ))
    .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert!(
        app.db
            .raw_text("SELECT review_url FROM passes")
            .await
            .contains(post)
    );
    (event, post)
}

on_both_backends!(
    personal_data_is_destroyed_on_time_and_leaves_no_trace,
    entries_of_an_event_never_drawn_go_after_the_set_days,
    used_and_expired_passes_lose_their_data_like_non_winners,
);
