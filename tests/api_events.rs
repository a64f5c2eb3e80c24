//! The event lifecycle over HTTP, on both stores.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Backend, TestApp, assert_error};
use reqwest::{Method, StatusCode};
use serde_json::json;

/// The walk of the issue: draft with a Korean objective → list → get → edit → channels → delete.
async fn owner_walk(b: Backend) {
    let app = TestApp::spawn(b).await;
    let token = app.owner("a@cafe.kr").await;

    let (s, created) = app
        .post(
            "/api/events/objectives",
            Some(&token),
            json!({"objective": "신규 고객 유치"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    assert_eq!(created["objective"], "NEW_CUSTOMERS");
    assert_eq!(created["objectiveLabel"], "신규 고객 유치");
    assert_eq!(created["status"], "DRAFT");
    assert_eq!(
        created["storeName"], "카페 봄날",
        "shop comes from the profile"
    );
    let id = created["eventId"].as_str().unwrap();

    let (s, list) = app.get("/api/events", &token).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["eventId"], id);

    let (s, got) = app.get(&format!("/api/events/{id}"), &token).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(got, created);

    let (s, edited) = app
        .put(
            &format!("/api/events/{id}"),
            &token,
            json!({
                "name": "첫 방문 아메리카노 1+1", "description": "12월 한 달, 처음 오신 분께",
                "prize": "아메리카노 1잔", "budget": 300000,
                "startDate": "2026-12-01", "endDate": "2026-12-31"
            }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{edited}");
    assert_eq!(edited["name"], "첫 방문 아메리카노 1+1");
    assert_eq!(edited["startDate"], "2026-12-01");
    assert_eq!(edited["budget"], 300000);

    // Absent fields are kept, null clears.
    let (s, edited) = app
        .put(&format!("/api/events/{id}"), &token, json!({"prize": null}))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(edited["prize"], serde_json::Value::Null);
    assert_eq!(edited["name"], "첫 방문 아메리카노 1+1");

    let (s, with_channels) = app
        .put(
            &format!("/api/events/{id}/channels"),
            &token,
            json!({"channels": ["kakao", "INSTAGRAM", "KAKAO", "RINGOBIZ"]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{with_channels}");
    assert_eq!(
        with_channels["channels"],
        json!(["INSTAGRAM", "KAKAO", "RINGOBIZ"])
    );

    let (s, _) = app.delete(&format!("/api/events/{id}"), &token).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, body) = app.get(&format!("/api/events/{id}"), &token).await;
    assert_error(s, &body, 404, "EVENT_003");
    let (_, list) = app.get("/api/events", &token).await;
    assert_eq!(list["total"], 0);
}

async fn objective_and_shop_errors(b: Backend) {
    let app = TestApp::spawn(b).await;
    let token = app.owner("a@cafe.kr").await;
    let (s, body) = app
        .post(
            "/api/events/objectives",
            Some(&token),
            json!({"objective": "대박 나기"}),
        )
        .await;
    assert_error(s, &body, 400, "EVENT_001");
    let (s, body) = app
        .post(
            "/api/events/objectives",
            Some(&token),
            json!({"objective": ""}),
        )
        .await;
    assert_error(s, &body, 400, "EVENT_001");

    // An owner without a shop must give one.
    let (s, _) = app
        .post(
            "/api/auth/signup",
            None,
            json!({"email": "noshop@cafe.kr", "password": "secret123", "name": "박봄"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let bare = app.login("noshop@cafe.kr", "secret123").await;
    let (s, body) = app
        .post(
            "/api/events/objectives",
            Some(&bare),
            json!({"objective": "REVISIT"}),
        )
        .await;
    assert_error(s, &body, 422, "EVENT_002");
    assert_eq!(
        body["details"]["missing"],
        json!(["storeName", "industry", "address"])
    );
    let (s, body) = app
        .post(
            "/api/events/objectives",
            Some(&bare),
            json!({"objective": "REVISIT", "storeName": "봄 미용실"}),
        )
        .await;
    assert_error(s, &body, 422, "EVENT_002");
    assert_eq!(body["details"]["missing"], json!(["industry", "address"]));
    let (s, body) = app
        .post(
            "/api/events/objectives",
            Some(&bare),
            json!({"objective": "재방문 유도", "storeName": "봄 미용실", "industry": "미용실", "address": "대구광역시 중구"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    assert_eq!(body["storeName"], "봄 미용실");

    // The body overrides the profile's shop.
    let (s, body) = app
        .post(
            "/api/events/objectives",
            Some(&token),
            json!({"objective": "SALES", "storeName": "카페 봄날 팝업"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(body["storeName"], "카페 봄날 팝업");
    assert_eq!(body["industry"], "카페");
}

async fn edits_are_validated(b: Backend) {
    let app = TestApp::spawn(b).await;
    let token = app.owner("a@cafe.kr").await;
    let id = app.draft(&token).await;
    let path = format!("/api/events/{id}");
    let (s, body) = app
        .put(
            &path,
            &token,
            json!({"startDate": "2026-12-31", "endDate": "2026-12-01"}),
        )
        .await;
    assert_error(s, &body, 400, "EVENT_005");
    // Also when the other date is the stored one.
    let (s, _) = app
        .put(&path, &token, json!({"startDate": "2026-12-10"}))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, body) = app
        .put(&path, &token, json!({"endDate": "2026-12-09"}))
        .await;
    assert_error(s, &body, 400, "EVENT_005");
    let (s, body) = app
        .put(&path, &token, json!({"startDate": "2026/12/01"}))
        .await;
    assert_error(s, &body, 400, "REQ_002");
    assert_eq!(body["details"]["field"], "startDate");
    let (s, body) = app.put(&path, &token, json!({"budget": -1})).await;
    assert_error(s, &body, 400, "REQ_002");
    let (s, body) = app
        .put(&path, &token, json!({"name": "x".repeat(101)}))
        .await;
    assert_error(s, &body, 400, "REQ_002");
    let (s, body) = app.put(&path, &token, json!({"status": "PUBLISHED"})).await;
    assert_error(s, &body, 400, "REQ_002");
    let (s, body) = app
        .put(
            &format!("{path}/channels"),
            &token,
            json!({"channels": ["INSTAGRAM", "TIKTOK"]}),
        )
        .await;
    assert_error(s, &body, 400, "EVENT_006");
    let (s, body) = app
        .put(
            &format!("{path}/channels"),
            &token,
            json!({"channels": "INSTAGRAM"}),
        )
        .await;
    assert_error(s, &body, 400, "REQ_002");
    let (_, unchanged) = app.get(&path, &token).await;
    assert_eq!(unchanged["startDate"], "2026-12-10");
    assert_eq!(unchanged["channels"], json!([]));
}

async fn another_owners_event_is_404(b: Backend) {
    let app = TestApp::spawn(b).await;
    let alice = app.owner("alice@cafe.kr").await;
    let bob = app.owner("bob@cafe.kr").await;
    let id = app.draft(&alice).await;
    let path = format!("/api/events/{id}");
    let attempts = [
        app.get(&path, &bob).await,
        app.put(&path, &bob, json!({"name": "가로채기"})).await,
        app.delete(&path, &bob).await,
        app.put(
            &format!("{path}/channels"),
            &bob,
            json!({"channels": ["KAKAO"]}),
        )
        .await,
        app.call(Method::POST, &format!("{path}/end"), Some(&bob), None)
            .await,
    ];
    for (s, body) in &attempts {
        assert_error(*s, body, 404, "EVENT_003");
    }
    let (_, bobs) = app.get("/api/events", &bob).await;
    assert_eq!(bobs["total"], 0);
    let (s, still) = app.get(&path, &alice).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(still["name"], serde_json::Value::Null);

    for bad in ["not-a-uuid", "00000000-0000-0000-0000-000000000000"] {
        let (s, body) = app.get(&format!("/api/events/{bad}"), &alice).await;
        assert_error(s, &body, 404, "EVENT_003");
    }
}

async fn only_drafts_change_and_only_published_end(b: Backend) {
    let app = TestApp::spawn(b).await;
    let token = app.owner("a@cafe.kr").await;
    let id = app.draft(&token).await;
    let path = format!("/api/events/{id}");

    let (s, body) = app
        .call(Method::POST, &format!("{path}/end"), Some(&token), None)
        .await;
    assert_error(s, &body, 409, "EVENT_004");

    app.put(
        &path,
        &token,
        json!({"name": "봄 이벤트", "startDate": "2026-12-01", "endDate": "2026-12-31"}),
    )
    .await;
    app.put(
        &format!("{path}/channels"),
        &token,
        json!({"channels": ["NAVER"]}),
    )
    .await;
    app.publish_directly(&token, &id).await;

    let (s, body) = app.put(&path, &token, json!({"name": "바꾸기"})).await;
    assert_error(s, &body, 409, "EVENT_004");
    assert_eq!(body["details"]["status"], "PUBLISHED");
    let (s, body) = app.delete(&path, &token).await;
    assert_error(s, &body, 409, "EVENT_004");
    let (s, body) = app
        .put(
            &format!("{path}/channels"),
            &token,
            json!({"channels": ["KAKAO"]}),
        )
        .await;
    assert_error(s, &body, 409, "EVENT_004");

    let (s, ended) = app
        .call(Method::POST, &format!("{path}/end"), Some(&token), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{ended}");
    assert_eq!(ended["status"], "ENDED");
    assert!(ended["endedAt"].is_string());
    let (s, body) = app
        .call(Method::POST, &format!("{path}/end"), Some(&token), None)
        .await;
    assert_error(s, &body, 409, "EVENT_004");
    let (s, body) = app.put(&path, &token, json!({"name": "바꾸기"})).await;
    assert_error(s, &body, 409, "EVENT_004");
}

async fn listing_filters_and_pages(b: Backend) {
    let app = TestApp::spawn(b).await;
    let token = app.owner("a@cafe.kr").await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(app.draft(&token).await);
    }
    let (s, page) = app.get("/api/events?page=2&size=2", &token).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(page["total"], 3);
    assert_eq!(page["page"], 2);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["eventId"], ids[0].as_str(), "newest first");
    let (_, drafts) = app.get("/api/events?status=draft", &token).await;
    assert_eq!(drafts["total"], 3);
    let (_, ended) = app.get("/api/events?status=ENDED", &token).await;
    assert_eq!(ended["total"], 0);
    let (s, all) = app.get("/api/events?status=", &token).await;
    assert_eq!(s, StatusCode::OK, "an empty filter is no filter");
    assert_eq!(all["total"], 3);
    for (bad, field) in [
        ("status=ARCHIVED", "status"),
        ("page=0", "page"),
        ("size=1000", "size"),
        ("page=abc", ""),
    ] {
        let (s, body) = app.get(&format!("/api/events?{bad}"), &token).await;
        assert_error(s, &body, 400, "REQ_005");
        assert_eq!(body["details"]["field"], field, "{bad}: {body}");
    }
}

/// Dates written into the description go stale when the owner moves the period: publishing
/// names them, and goes through once they say the period as it is.
async fn moved_dates_in_the_description_are_caught_before_publishing(b: Backend) {
    let app = TestApp::spawn(b).await;
    let token = app.owner("dates@cafe.kr").await;
    let today = common::entries::seoul_today(chrono::Utc::now());
    let event = common::entries::ready(&app, &token, today, 10_000).await;
    let said = |d: chrono::NaiveDate| format!("{}월 {}일", d.format("%-m"), d.format("%-d"));
    let written = format!("{}부터 7일 동안 신메뉴를 맛보세요.", said(today));
    let (s, _) = app
        .put(
            &format!("/api/events/{event}"),
            &token,
            json!({"description": written}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    // The owner moves the start a day later (the description still says the old one).
    let moved = today + chrono::Duration::days(1);
    let edit = json!({"startDate": moved.to_string(), "endDate": (moved + chrono::Duration::days(6)).to_string()});
    let (s, _) = app.put(&format!("/api/events/{event}"), &token, edit).await;
    assert_eq!(s, StatusCode::OK);
    let path = format!("/api/events/{event}/publish");
    let (s, refused) = app.call(Method::POST, &path, Some(&token), None).await;
    assert_error(s, &refused, 422, "EVENT_008");
    let problems = refused["details"]["problems"].as_array().unwrap();
    let stale = problems
        .iter()
        .find(|p| p["code"] == "DATES_STALE")
        .expect("DATES_STALE");
    assert!(
        stale["message"].as_str().unwrap().contains(&said(today)),
        "{stale}"
    );
    let fixed = format!("{}부터 7일 동안 신메뉴를 맛보세요.", said(moved));
    let (s, _) = app
        .put(
            &format!("/api/events/{event}"),
            &token,
            json!({"description": fixed}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, body) = app.call(Method::POST, &path, Some(&token), None).await;
    // The poster was painted with the old period: that is the only thing left to do.
    let left: Vec<&str> = (body["details"]["problems"].as_array().into_iter().flatten())
        .filter_map(|p| p["code"].as_str())
        .collect();
    assert!(
        s == StatusCode::OK || !left.contains(&"DATES_STALE"),
        "{body}"
    );
}

on_both_backends!(
    moved_dates_in_the_description_are_caught_before_publishing,
    owner_walk,
    objective_and_shop_errors,
    edits_are_validated,
    another_owners_event_is_404,
    only_drafts_change_and_only_published_end,
    listing_filters_and_pages,
);
