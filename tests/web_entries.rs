//! The customer's page under a crowd: the same bytes for everyone (a validator and a short
//! public cache life, so browsers and API Management serve repeats), its views counted by the
//! beacon it loads and never by the page itself, entries from one served page that stay each
//! customer's own, and an owner's change shown at once.
#![allow(clippy::unwrap_used)]

mod common;

use common::analytics::{Phone, attr};
use common::entries::{end, open_event, seoul_today};
use common::{Backend, TestApp};
use reqwest::StatusCode;

async fn views(app: &TestApp, event: &str) -> String {
    let id = app.db.uuid_literal(event.parse().unwrap());
    let sql = format!(
        "SELECT CAST(COUNT(*) AS TEXT) FROM visits WHERE event_id = {id} AND kind = 'VIEW'"
    );
    let text = app.db.raw_text(&sql).await;
    text.trim().trim_end_matches('|').to_owned()
}

async fn get(phone: &Phone, url: &str, etag: Option<&str>) -> reqwest::Response {
    let mut req = phone.http.get(url);
    if let Some(tag) = etag {
        req = req.header("if-none-match", tag);
    }
    req.send().await.unwrap()
}

async fn the_page_is_shared_and_its_beacon_counts_its_views(b: Backend) {
    let app = TestApp::spawn(b).await;
    let token = app.owner("page@cafe.kr").await;
    let event = open_event(&app, &token, seoul_today(chrono::Utc::now())).await;
    let url = format!("{}/e/{event}?c=INSTAGRAM", app.base);
    let (a, b) = (Phone::new(1), Phone::new(2));

    let first = get(&a, &url, None).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()["cache-control"], "public, max-age=10");
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let page = first.text().await.unwrap();
    let second = get(&b, &url, None).await;
    assert_eq!(second.headers()["etag"], etag.as_str());
    assert_eq!(
        second.text().await.unwrap(),
        page,
        "the same bytes for everyone"
    );
    let again = get(&a, &url, Some(&etag)).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.text().await.unwrap().is_empty());
    assert_eq!(
        views(&app, &event).await,
        "0",
        "the page itself counts nothing"
    );

    // The beacon counts: once per phone and day, however often it is loaded.
    let beacon = attr(&page, "class=\"seen\" src=\"", "\"").replace("&amp;", "&");
    assert_eq!(beacon, format!("/e/{event}/seen.gif?c=INSTAGRAM"));
    for phone in [&a, &b, &a] {
        let res = get(phone, &format!("{}{beacon}", app.base), None).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["content-type"], "image/gif");
        assert_eq!(res.headers()["cache-control"], "no-store");
        assert!(res.bytes().await.unwrap().starts_with(b"GIF89a"));
    }
    assert_eq!(views(&app, &event).await, "2");

    // Two customers send the form of the one page they were served: two entries. The same
    // customer sending it again is told they have entered already.
    let (sa, entered_a) = a.enter(&app.base, &page, "홍길동", "010-2222-0001").await;
    let (sb, entered_b) = b.enter(&app.base, &page, "김영희", "010-2222-0002").await;
    let (sa2, entered_a2) = a.enter(&app.base, &page, "홍길동", "010-2222-0001").await;
    assert_eq!(
        (sa, sb, sa2),
        (
            StatusCode::CREATED,
            StatusCode::CREATED,
            StatusCode::BAD_REQUEST
        )
    );
    assert!(entered_a2.contains("이미"), "{entered_a2}");
    let receipt = |html: &str| attr(html, "번호 <strong>", "<");
    assert_ne!(receipt(&entered_a), receipt(&entered_b), "{entered_a}");

    // The owner ends the event: the page says so at once, with a new validator.
    end(&app, &token, &event).await;
    let ended = get(&a, &url, Some(&etag)).await;
    assert_eq!(ended.status(), StatusCode::OK);
    assert_ne!(ended.headers()["etag"], etag.as_str());
    let ended = ended.text().await.unwrap();
    assert!(!ended.contains("<form method=\"post\""), "{ended}");
}

#[tokio::test]
async fn the_page_is_shared_and_its_beacon_counts_its_views_on_sqlite() {
    the_page_is_shared_and_its_beacon_counts_its_views(Backend::Sqlite).await;
}

#[tokio::test]
async fn the_page_is_shared_and_its_beacon_counts_its_views_on_postgres() {
    the_page_is_shared_and_its_beacon_counts_its_views(Backend::Postgres).await;
}

/// What a customer should know before entering stands above the form: a pub's draw says it takes
/// only adults, the prize's tax (over 50,000 KRW), when and how winners are announced, and the
/// privacy notice names who handles the entries on the shop's behalf.
#[tokio::test]
async fn the_entry_page_says_the_age_the_tax_and_the_announcement_before_the_form() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let body = serde_json::json!({
        "email": "pub@hof.kr", "password": "secret123", "name": "김호프",
        "store": {"name": "봄날 호프", "industry": "호프·주점", "address": "서울특별시 마포구 양화로 45"}
    });
    let (s, _) = app.post("/api/auth/signup", None, body).await;
    assert_eq!(s, StatusCode::CREATED);
    let token = app.login("pub@hof.kr", "secret123").await;
    // The shop's phone, the page's 문의처: only a phone number is taken.
    let (s, bad) = (app.put(
        "/api/users/me",
        &token,
        serde_json::json!({"shopPhone": "전화 주세요"}),
    ))
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}");
    let (s, me) = (app.put(
        "/api/users/me",
        &token,
        serde_json::json!({"shopPhone": "0212345678"}),
    ))
    .await;
    assert_eq!(s, StatusCode::OK, "{me}");
    assert_eq!(me["store"]["phone"], "02-1234-5678");
    let today = seoul_today(chrono::Utc::now());
    let event = common::entries::ready(&app, &token, today, 100_000).await;
    common::entries::giveaway(&app, &token, &event, 1).await;
    common::entries::publish(&app, &token, &event).await;
    let page = reqwest::get(format!("{}/e/{event}", app.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let before = page.find("참여하기 전에 알아 두세요").expect("the notices");
    let form = page.find("<form method=\"post\"").expect("the form");
    assert!(before < form, "above the form");
    for said in [
        "만 19세 이상만 참여할 수 있습니다",
        "제세공과금(경품 가액의 22%, 22,000원)",
        "당첨자 발표: 이벤트가 끝나면 가게에서 추첨하고",
        "[필수] 만 19세 이상입니다",
        "처리 위탁: 이벤트 마케팅 서비스",
        "<dt>문의</dt><dd><a href=\"tel:02-1234-5678\">02-1234-5678</a>",
    ] {
        assert!(page.contains(said), "{said}: {page}");
    }
    // A café's pass promotion says none of the draw's or the pub's.
    let token = app.owner("cafe@bom.kr").await;
    let cafe = open_event(&app, &token, today).await;
    let page = reqwest::get(format!("{}/e/{cafe}", app.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains("만 19세") && !page.contains("제세공과금"),
        "{page}"
    );
    assert!(page.contains("[필수] 만 14세 이상입니다"), "{page}");
}
