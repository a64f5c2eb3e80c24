//! A published promotion customers join for a pass, and the counter's acts on passes.
#![allow(dead_code, clippy::unwrap_used)]

use chrono::NaiveDate;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::TestApp;
use super::entries::{enter, entry, publish, ready};

/// A draft with its poster, the promotion set to `mechanic` (and the description saying its
/// terms, as publishing wants), published; entries open `start`.
pub async fn promotion(app: &TestApp, token: &str, start: NaiveDate, mechanic: Value) -> String {
    let event = ready(app, token, start, 10_000).await;
    let path = format!("/api/events/{event}/promotion");
    let (s, body) = app.put(&path, token, mechanic).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, body) = app
        .put(&format!("/api/events/{event}"), token, described(&body))
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    publish(app, token, &event).await;
    event
}

/// An edit whose description is the event's terms (`terms` of an event answer).
pub fn described(event: &Value) -> Value {
    let terms: Vec<&str> = (event["terms"].as_array().unwrap().iter())
        .map(|t| t.as_str().unwrap())
        .collect();
    json!({ "description": terms.join(" ") })
}

/// A 20 % coupon, used once, valid until `until`, at most `cap` (none when 0).
pub fn coupon(cap: u32, until: NaiveDate) -> Value {
    json!({"type": "COUPON", "benefit": {"kind": "PERCENT", "rate": 20},
           "cap": (cap > 0).then_some(cap), "validity": {"kind": "UNTIL", "date": until}, "uses": 1})
}

/// Joins with `phone` (and an invite code); the answer.
pub async fn join(
    app: &TestApp,
    event: &str,
    phone: &str,
    invite: Option<&str>,
) -> (StatusCode, Value) {
    let mut body = entry("김민지", phone);
    if let Some(code) = invite {
        body["invite"] = json!(code);
    }
    enter(app, event, body, None).await
}

/// Joins and returns the pass code.
pub async fn pass_of(app: &TestApp, event: &str, phone: &str, invite: Option<&str>) -> String {
    let (s, body) = join(app, event, phone, invite).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    body["pass"]["code"].as_str().unwrap().to_owned()
}

pub async fn pass(app: &TestApp, code: &str) -> (StatusCode, Value) {
    app.call(
        Method::GET,
        &format!("/api/public/passes/{code}"),
        None,
        None,
    )
    .await
}

/// The counter does `act` to the pass (the owner's token).
pub async fn act(
    app: &TestApp,
    token: &str,
    code: &str,
    act: &str,
    spend: Option<i64>,
) -> (StatusCode, Value) {
    let body = json!({"act": act, "spend": spend});
    app.post(&format!("/api/passes/{code}/acts"), Some(token), body)
        .await
}

pub async fn undo(app: &TestApp, token: &str, code: &str) -> (StatusCode, Value) {
    app.call(
        Method::POST,
        &format!("/api/passes/{code}/undo"),
        Some(token),
        None,
    )
    .await
}

/// Joins through a tracked link's source (`INSTAGRAM`, `STORE`, …); the pass code.
pub async fn pass_from(app: &TestApp, event: &str, phone: &str, source: &str) -> String {
    let mut body = entry("김민지", phone);
    body["channel"] = json!(source);
    let (s, body) = enter(app, event, body, None).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    body["pass"]["code"].as_str().unwrap().to_owned()
}

/// The counter's acts the raw rows hold (not taken back), per source: (redeemed, stamps, spend).
pub async fn counted_rows(
    app: &TestApp,
    event: &str,
) -> std::collections::BTreeMap<String, (i64, i64, i64)> {
    let id = app.db.uuid_literal(event.parse().unwrap());
    let sql = format!(
        "SELECT COALESCE(p.channel, 'DIRECT'), \
         CAST(SUM(CASE WHEN a.act <> 'STAMP' THEN 1 ELSE 0 END) AS TEXT), \
         CAST(SUM(CASE WHEN a.act = 'STAMP' THEN 1 ELSE 0 END) AS TEXT), \
         CAST(COALESCE(SUM(a.spend), 0) AS TEXT) \
         FROM pass_actions a JOIN passes p ON p.event_id = a.event_id AND p.receipt = a.receipt \
         WHERE a.undone_at IS NULL AND a.event_id = {id} GROUP BY COALESCE(p.channel, 'DIRECT')"
    );
    let text = app.db.raw_text(&sql).await;
    let cells: Vec<&str> = text.split('|').filter(|c| !c.is_empty()).collect();
    cells
        .chunks(4)
        .map(|c| {
            (
                c[0].to_owned(),
                (
                    c[1].parse().unwrap(),
                    c[2].parse().unwrap(),
                    c[3].parse().unwrap(),
                ),
            )
        })
        .collect()
}

/// The dashboard's counts of the counter's acts equal the raw rows', per channel and in total.
pub async fn assert_dashboard_counts(app: &TestApp, token: &str, event: &str) -> Value {
    app.relay().await;
    let rows = counted_rows(app, event).await;
    let (s, d) = app
        .get(&format!("/api/events/{event}/analytics"), token)
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    let total = |f: fn(&(i64, i64, i64)) -> i64| rows.values().map(f).sum::<i64>();
    assert_eq!(
        d["results"]["redeemed"].as_i64(),
        Some(total(|r| r.0)),
        "{d}"
    );
    assert_eq!(d["results"]["stamps"].as_i64(), Some(total(|r| r.1)), "{d}");
    for c in d["channels"].as_array().unwrap() {
        let code = c["channel"].as_str().unwrap();
        let want = rows.get(code).copied().unwrap_or_default();
        assert_eq!(
            c["results"]["redeemed"].as_i64(),
            Some(want.0),
            "{code}: {c}"
        );
        assert_eq!(c["results"]["stamps"].as_i64(), Some(want.1), "{code}: {c}");
    }
    let [issued, invited, credited, approved] = pass_rows(app, event).await;
    assert_eq!(d["results"]["issued"].as_i64(), Some(issued), "{d}");
    assert_eq!(d["results"]["invited"].as_i64(), Some(invited), "{d}");
    assert_eq!(d["results"]["credited"].as_i64(), Some(credited), "{d}");
    assert_eq!(
        d["results"]["approvedReviews"].as_i64(),
        Some(approved),
        "{d}"
    );
    d
}

/// What the passes' rows hold: passes, friends joined through an invite, friends credited to
/// their inviter, reviews approved.
async fn pass_rows(app: &TestApp, event: &str) -> [i64; 4] {
    let id = app.db.uuid_literal(event.parse().unwrap());
    let sql = format!(
        "SELECT CAST(COUNT(*) AS TEXT), \
         CAST(COALESCE(SUM(CASE WHEN referred_by IS NOT NULL THEN 1 ELSE 0 END), 0) AS TEXT), \
         CAST(COALESCE(SUM(credited), 0) AS TEXT), \
         CAST(COALESCE(SUM(CASE WHEN review_state = 'APPROVED' THEN 1 ELSE 0 END), 0) AS TEXT) \
         FROM passes WHERE event_id = {id}"
    );
    let text = app.db.raw_text(&sql).await;
    let cells: Vec<i64> = (text.split('|').filter(|c| !c.is_empty()))
        .map(|c| c.parse().unwrap())
        .collect();
    [cells[0], cells[1], cells[2], cells[3]]
}
