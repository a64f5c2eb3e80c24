//! Results an owner can act on: tracked links and QR codes, views and clicks counted once per
//! visitor a day, entries attributed through the redirect, the dashboard from rollups fed by
//! domain events (each applied once), redemptions and the estimated return.
#![allow(clippy::unwrap_used)]

mod common;

use reqwest::{Method, StatusCode};
use serde_json::json;

use common::analytics::{Phone, decode_qr, row, two_channel_event};
use common::entries::phone;
use common::process::{ApiClient, Binary, free_port, local_env};
use common::{Backend, TestDb};

/// The walk-through on `cargo run` defaults: publish → open tracked links from two
/// channels → enter from each → the dashboard shows clicks, entries, conversion and cost per
/// entry per channel; the STORE QR code decodes to the STORE link.
#[tokio::test]
async fn publish_click_enter_and_the_dashboard_shows_it_per_channel() {
    let db = TestDb::new(Backend::Sqlite).await;
    let binary = Binary::start(db.dir.path(), free_port(), &local_env(&db, &[])).await;
    let owner = ApiClient::sign_up(&binary.base, "funnel@example.com").await;
    let event = two_channel_event(&owner).await;

    let links = owner
        .call(Method::GET, &format!("/api/events/{event}/links"), None)
        .await;
    let items = links["items"].as_array().unwrap();
    let codes: Vec<&str> = items
        .iter()
        .map(|l| l["channel"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["INSTAGRAM", "KAKAO", "STORE"], "{links}");
    let url = |channel: &str| {
        let l = items.iter().find(|l| l["channel"] == channel).unwrap();
        l["url"].as_str().unwrap().to_owned()
    };
    assert!(url("INSTAGRAM").starts_with(&format!("{}/r/", binary.base)));

    // The posts carry their channel's tracked link (the sandbox keeps what it would send).
    let settled = |d: &serde_json::Value| {
        let all = d["channels"].as_array().unwrap();
        all.iter().all(|p| p["status"] == "SANDBOX")
    };
    let d = owner
        .until(&format!("/api/events/{event}/distribution"), settled)
        .await;
    for post in d["channels"].as_array().unwrap() {
        let written = std::fs::read_to_string(post["externalId"].as_str().unwrap()).unwrap();
        let channel = post["channel"].as_str().unwrap();
        assert!(written.contains(&url(channel)), "{channel}: {written}");
    }

    // Two phones open the Instagram link; one enters. One phone opens the Kakao link and enters.
    let (a, b, c) = (Phone::new(1), Phone::new(2), Phone::new(3));
    let to = a.open_link(&url("INSTAGRAM")).await;
    assert_eq!(to, format!("/e/{event}?c=INSTAGRAM"));
    let page = a.page(&binary.base, &to).await;
    assert!(
        page.contains("lang=\"ko\"") && page.contains("value=\"INSTAGRAM\""),
        "{page}"
    );
    // Everything the page loads apart from the poster stays under 50 KB.
    let css = a.page(&binary.base, "/assets/site.css").await;
    assert!(
        page.len() + css.len() < 50_000,
        "{} + {} bytes",
        page.len(),
        css.len()
    );
    assert!(
        !page.contains("<script"),
        "the customer's page needs no JavaScript"
    );
    let (status, done) = a.enter(&binary.base, &page, "홍길동", &phone(1)).await;
    assert_eq!(status, StatusCode::CREATED, "{done}");
    assert!(done.contains("응모 번호"), "{done}");
    // Opening the same link again the same day counts nothing more.
    a.open_link(&url("INSTAGRAM")).await;
    let to_b = b.open_link(&url("INSTAGRAM")).await;
    b.page(&binary.base, &to_b).await;
    let to_c = c.open_link(&url("KAKAO")).await;
    let page_c = c.page(&binary.base, &to_c).await;
    let (status, _) = c.enter(&binary.base, &page_c, "김영희", &phone(2)).await;
    assert_eq!(status, StatusCode::CREATED);

    let dash = owner
        .until(&format!("/api/events/{event}/analytics"), |d| {
            d["totals"]["entries"] == 2
        })
        .await;
    let ig = row(&dash, "INSTAGRAM");
    assert_eq!(
        (ig["clicks"].as_i64(), ig["views"].as_i64()),
        (Some(2), Some(2)),
        "{dash:#}"
    );
    assert_eq!(
        (ig["uniqueVisitors"].as_i64(), ig["entries"].as_i64()),
        (Some(2), Some(1))
    );
    assert_eq!(ig["conversion"], 0.5);
    let kakao = row(&dash, "KAKAO");
    assert_eq!(
        (kakao["clicks"].as_i64(), kakao["entries"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(kakao["conversion"], 1.0);
    // 300,000 KRW shared by the two channels and the shop's QR: 100,000 per channel.
    assert_eq!(ig["costPerEntry"], 100_000.0);
    assert_eq!(dash["cost"]["perEntry"], 150_000.0);
    assert_eq!(dash["totals"]["uniqueVisitors"], 3);
    assert_eq!(dash["estimate"]["label"], "추정치");
    assert!(
        dash["hourly"][0]["at"]
            .as_str()
            .unwrap()
            .ends_with("+09:00"),
        "{dash}"
    );

    // The STORE code, as the owner downloads it, is the STORE link.
    let png = owner
        .http
        .get(format!(
            "{}/api/events/{event}/links/STORE/qr.png",
            binary.base
        ))
        .bearer_auth(&owner.token)
        .send()
        .await
        .unwrap();
    assert_eq!(png.headers()["content-type"], "image/png");
    assert_eq!(decode_qr(&png.bytes().await.unwrap()), url("STORE"));
}

/// Entrants the page never counted as visitors (one café Wi-Fi and one phone model, a blocked
/// beacon, an entry through the API) are visitors still: the funnel never shows more entries
/// than visitors, nor a conversion over 100 %.
#[tokio::test]
async fn every_entrant_is_a_visitor_and_conversion_stays_at_most_a_hundred_percent() {
    let db = TestDb::new(Backend::Sqlite).await;
    let binary = Binary::start(db.dir.path(), free_port(), &local_env(&db, &[])).await;
    let owner = ApiClient::sign_up(&binary.base, "wifi@example.com").await;
    let event = two_channel_event(&owner).await;
    let http = reqwest::Client::new();
    for i in 0..4 {
        let body = json!({"name": "손님", "phone": phone(20 + i), "agreePrivacy": true,
            "ageOver14": true, "channel": "INSTAGRAM"});
        let res = http
            .post(format!("{}/api/public/events/{event}/entries", binary.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    let dash = owner
        .until(&format!("/api/events/{event}/analytics"), |d| {
            d["totals"]["entries"] == 4
        })
        .await;
    let totals = &dash["totals"];
    assert!(totals["uniqueVisitors"].as_i64() >= Some(4), "{dash:#}");
    assert!(totals["conversion"].as_f64() <= Some(1.0), "{dash:#}");
    for row in dash["channels"].as_array().unwrap() {
        let (v, e) = (row["uniqueVisitors"].as_i64(), row["entries"].as_i64());
        assert!(v >= e, "{row}");
        assert!(row["conversion"].as_f64().unwrap_or(0.0) <= 1.0, "{row}");
    }
    // The console's page shows the same, and says how each figure is counted.
    let page = (owner
        .http
        .get(format!("{}/events/{event}/dashboard", binary.base)))
    .header("cookie", format!("em_session={}", owner.token))
    .send()
    .await
    .unwrap()
    .text()
    .await
    .unwrap();
    assert!(page.contains("숫자는 이렇게 셉니다"), "{page}");
    assert!(page.contains("응모하거나 링크를 누른 사람은 모두 방문자로 셉니다"));
    assert!(!page.contains("400%") && page.contains("100%"), "{page}");
}

/// Redemptions at the counter make the estimate: revenue = redemptions × average spend and
/// ROI = (revenue − cost) ÷ cost; bad input is a 400 in the usual shape; a draft has no results.
#[tokio::test]
async fn redemptions_make_the_estimated_return() {
    let db = TestDb::new(Backend::Sqlite).await;
    let binary = Binary::start(db.dir.path(), free_port(), &local_env(&db, &[])).await;
    let owner = ApiClient::sign_up(&binary.base, "roi@example.com").await;
    let event = two_channel_event(&owner).await;
    let path = format!("/api/events/{event}/redemptions");
    let r = owner
        .call(
            Method::POST,
            &path,
            Some(json!({"count": 30, "averageSpend": 15_000})),
        )
        .await;
    assert_eq!(
        (r["redemptions"].as_i64(), r["averageSpend"].as_i64()),
        (Some(30), Some(15_000))
    );
    let r = owner.call(Method::POST, &path, Some(json!({}))).await;
    assert_eq!(r["redemptions"], 31);
    // The same recording sent twice (a double click, a lost answer) is recorded once.
    for _ in 0..2 {
        let res = (owner.http.post(format!("{}{path}", binary.base)))
            .bearer_auth(&owner.token)
            .header("Idempotency-Key", "counter-2026-12-03-1")
            .json(&json!({"count": 5}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["redemptions"], 36);
    }
    let dash = owner
        .call(Method::GET, &format!("/api/events/{event}/analytics"), None)
        .await;
    assert_eq!(dash["estimate"]["revenue"], 540_000);
    assert_eq!(dash["estimate"]["roi"], 0.8);

    for bad in [
        json!({"count": 0}),
        json!({"averageSpend": -1}),
        json!({"count": "many"}),
    ] {
        let res = owner
            .http
            .post(format!("{}{path}", binary.base))
            .bearer_auth(&owner.token)
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{bad}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert!(
            body["code"].is_string() && body["requestId"].is_string(),
            "{body}"
        );
    }
    let draft = owner
        .call(
            Method::POST,
            "/api/events/objectives",
            Some(json!({"objective": "SALES"})),
        )
        .await;
    let res = owner
        .http
        .get(format!(
            "{}/api/events/{}/analytics",
            binary.base,
            draft["eventId"].as_str().unwrap()
        ))
        .bearer_auth(&owner.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    // A link that does not exist is a Korean page's 404, not a redirect.
    let res = owner
        .http
        .get(format!("{}/r/zzzzzzzz", binary.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
