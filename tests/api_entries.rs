//! Customers entering a published event over HTTP: the public page, one entry per phone, clear
//! refusals, retries with an Idempotency-Key, a duplicate storm, per-address limits, the owner's
//! masked list and CSV, and names and phones that never sit in the database in the clear.
#![allow(clippy::unwrap_used)]

mod common;

use common::entries::{
    end, enter, entry, open_event, phone, public_page, publish, ready, seoul_today,
};
use common::{Backend, TestApp, TestClock, assert_error};
use reqwest::StatusCode;
use serde_json::{Value, json};

struct Open {
    app: TestApp,
    clock: std::sync::Arc<TestClock>,
    token: String,
    event: String,
}

async fn app_with(b: Backend, extra: &[(&str, &str)]) -> Open {
    let clock = TestClock::new();
    let app = TestApp::spawn_with(b, extra, clock.clone()).await;
    let token = app.owner("entries@cafe.kr").await;
    let event = open_event(&app, &token, seoul_today(chrono::Utc::now())).await;
    Open {
        app,
        clock,
        token,
        event,
    }
}

impl Open {
    /// The next entry comes a second later (the list is newest first).
    fn tick(&self) {
        self.clock.advance(chrono::Duration::seconds(1));
    }
}

async fn an_entry_is_taken_once_per_phone(b: Backend) {
    let open = app_with(b, &[]).await;
    let (app, token, event) = (&open.app, &open.token, &open.event);
    let (s, page) = public_page(app, event).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert_eq!(page["entry"]["status"], "OPEN");
    assert_eq!(page["shop"]["name"], "카페 봄날");
    let commitment = page["draw"]["commitment"].as_str().unwrap();
    assert_eq!(commitment.len(), 64);
    assert_eq!(page["draw"]["drawn"], false);
    for part in ["목적", "항목", "보유 기간", "거부할 수 있으며"] {
        assert!(
            page["notice"]["privacy"].as_str().unwrap().contains(part),
            "{part}"
        );
    }
    assert!(
        page["notice"]["marketing"]
            .as_str()
            .unwrap()
            .starts_with("[선택]")
    );
    assert!(
        page["posterUrl"]
            .as_str()
            .is_some_and(|u| u.starts_with("http")),
        "{page}"
    );

    let mut first = entry("홍길동", "010-2345-6789");
    first["channel"] = json!("INSTAGRAM");
    first["agreeMarketing"] = json!(true);
    let (s, body) = enter(app, event, first, None).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let receipt = body["receipt"].as_str().unwrap();
    assert_eq!(receipt.len(), 10);
    assert!(body["message"].as_str().unwrap().contains(receipt));
    // The same phone written another way is the same phone.
    let (s, body) = enter(app, event, entry("홍길동", "+82 10 2345 6789"), None).await;
    assert_error(s, &body, 409, "ENTRY_003");
    assert_eq!(
        body["message"],
        "이미 참여하셨습니다. 휴대전화 번호 하나로 한 번만 응모할 수 있습니다."
    );
    open.tick();
    let (s, _) = enter(
        app,
        event,
        entry("김봄", "０１０－３４５６－７８９０"),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);

    let (s, list) = app
        .get(&format!("/api/events/{event}/participants"), token)
        .await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert_eq!(list["total"], 2);
    assert_eq!(list["items"][0]["name"], "김*", "newest first: {list}");
    assert_eq!(list["items"][0]["phone"], "010-****-7890");
    assert_eq!(list["items"][0]["channel"], Value::Null);
    assert_eq!(list["items"][1]["name"], "홍*동");
    assert_eq!(list["items"][1]["phone"], "010-****-6789");
    assert_eq!(list["items"][1]["receipt"], receipt);
    assert_eq!(list["items"][1]["agreeMarketing"], true);
    let (_, only) = app
        .get(
            &format!("/api/events/{event}/participants?channel=instagram"),
            token,
        )
        .await;
    assert_eq!(only["total"], 1, "{only}");
    let (_, direct) = app
        .get(
            &format!("/api/events/{event}/participants?channel=DIRECT&size=1"),
            token,
        )
        .await;
    assert_eq!(
        (
            direct["total"].as_u64(),
            direct["items"].as_array().unwrap().len()
        ),
        (Some(1), 1)
    );
    let (s, body) = app
        .get(
            &format!("/api/events/{event}/participants?channel=TIKTOK"),
            token,
        )
        .await;
    assert_error(s, &body, 400, "REQ_005");
    // Another owner sees nothing of it.
    let stranger = app.owner("other@cafe.kr").await;
    let (s, body) = app
        .get(&format!("/api/events/{event}/participants"), &stranger)
        .await;
    assert_error(s, &body, 404, "EVENT_003");
}

async fn every_refusal_is_clear(b: Backend) {
    let open = app_with(b, &[]).await;
    let (app, token, event) = (&open.app, &open.token, &open.event);
    let with = |patch: Value| {
        let mut body = entry("홍길동", "010-2345-6789");
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let cases: Vec<(Value, u16, &str, &str)> = vec![
        (
            with(json!({"agreePrivacy": false})),
            422,
            "ENTRY_004",
            "개인정보 수집·이용에 동의해야",
        ),
        (
            with(json!({"agreePrivacy": null})),
            422,
            "ENTRY_004",
            "동의해야 응모할 수 있습니다",
        ),
        (
            with(json!({"ageOver14": false})),
            422,
            "ENTRY_005",
            "나이 조건(만 14세 이상, 주류를 파는 가게는 만 19세 이상)",
        ),
        (
            with(json!({"phone": "011-234-5678"})),
            400,
            "REQ_002",
            "010으로 시작하는 11자리",
        ),
        (
            with(json!({"phone": "010-1234-5678"})),
            400,
            "REQ_002",
            "010으로 시작하는 11자리",
        ),
        (
            with(json!({"name": "   "})),
            400,
            "REQ_002",
            "이름을 입력해 주세요",
        ),
        (
            with(json!({"name": "가".repeat(31)})),
            400,
            "REQ_002",
            "30자 이하",
        ),
        (
            with(json!({"channel": "TIKTOK"})),
            400,
            "REQ_002",
            "허용 값",
        ),
        (with(json!({"referrer": "x"})), 400, "REQ_002", "요청 본문"),
        (
            with(json!({"phone": 1023456789})),
            400,
            "REQ_002",
            "요청 본문",
        ),
    ];
    for (body, status, code, says) in cases {
        let (s, got) = enter(app, event, body.clone(), None).await;
        assert_error(s, &got, status, code);
        assert!(
            got["message"].as_str().unwrap().contains(says),
            "{body} → {got}"
        );
    }
    // A draft has no public page; an unknown id neither.
    let draft = app.draft(token).await;
    for id in [
        draft.as_str(),
        "00000000-0000-4000-8000-000000000000",
        "not-an-id",
    ] {
        let (s, got) = enter(app, id, entry("홍길동", "010-2345-6789"), None).await;
        assert_error(s, &got, 404, "EVENT_003");
        let (s, got) = public_page(app, id).await;
        assert_error(s, &got, 404, "EVENT_003");
    }
    // Not open yet: it says from when.
    let tomorrow = seoul_today(chrono::Utc::now()) + chrono::Duration::days(1);
    let later = ready(app, token, tomorrow, 0).await;
    publish(app, token, &later).await;
    let (s, got) = enter(app, &later, entry("홍길동", "010-2345-6789"), None).await;
    assert_error(s, &got, 409, "ENTRY_001");
    assert!(
        got["message"]
            .as_str()
            .unwrap()
            .contains("부터 참여할 수 있습니다"),
        "{got}"
    );
    let (_, page) = public_page(app, &later).await;
    assert_eq!(page["entry"]["status"], "NOT_YET_OPEN");
    assert_eq!(page["entry"]["opensOn"], tomorrow.to_string());
    // Ended: closed, with its own code; the page stays up.
    end(app, token, event).await;
    let (s, got) = enter(app, event, entry("홍길동", "010-2345-6789"), None).await;
    assert_error(s, &got, 409, "ENTRY_002");
    let (_, page) = public_page(app, event).await;
    assert_eq!(page["entry"]["status"], "CLOSED");
}

async fn a_retry_with_its_key_gets_the_original_answer(b: Backend) {
    let open = app_with(b, &[]).await;
    let (app, token, event) = (&open.app, &open.token, &open.event);
    let body = entry("홍길동", "010-2345-6789");
    let (s, first) = enter(app, event, body.clone(), Some("retry-1")).await;
    assert_eq!(s, StatusCode::CREATED, "{first}");
    let (s, again) = enter(app, event, body.clone(), Some("retry-1")).await;
    assert_eq!(s, StatusCode::CREATED, "{again}");
    assert_eq!(again["receipt"], first["receipt"]);
    assert_eq!(again["enteredAt"], first["enteredAt"]);
    let (s, got) = enter(app, event, entry("김봄", "010-3456-7890"), Some("retry-1")).await;
    assert_error(s, &got, 422, "ENTRY_006");
    let (s, got) = enter(app, event, body.clone(), Some("another-key")).await;
    assert_error(s, &got, 409, "ENTRY_003");
    let (s, got) = enter(app, event, body, Some("키")).await;
    assert_error(s, &got, 400, "REQ_006");
    let (_, list) = app
        .get(&format!("/api/events/{event}/participants"), token)
        .await;
    assert_eq!(list["total"], 1);
}

async fn a_duplicate_storm_lets_exactly_one_in(b: Backend) {
    let open = app_with(b, &[]).await;
    let (app, token, event) = (&open.app, &open.token, &open.event);
    let mut calls = tokio::task::JoinSet::new();
    for i in 0..50 {
        let (client, base, event) = (app.client.clone(), app.base.clone(), event.clone());
        calls.spawn(async move {
            let phone = if i % 2 == 0 {
                "010-2345-6789"
            } else {
                "+821023456789"
            };
            client
                .post(format!("{base}/api/public/events/{event}/entries"))
                .json(&entry("홍길동", phone))
                .send()
                .await
                .unwrap()
                .status()
        });
    }
    let mut statuses = Vec::new();
    while let Some(s) = calls.join_next().await {
        statuses.push(s.unwrap().as_u16());
    }
    let created = statuses.iter().filter(|s| **s == 201).count();
    let conflicts = statuses.iter().filter(|s| **s == 409).count();
    assert_eq!((created, conflicts), (1, 49), "{statuses:?}");
    let (_, list) = app
        .get(&format!("/api/events/{event}/participants"), token)
        .await;
    assert_eq!(list["total"], 1);
}

async fn public_calls_are_limited_per_address(b: Backend) {
    let limits = [
        ("ENTRY_RATE_LIMIT_PER_MINUTE", "3"),
        ("PUBLIC_RATE_LIMIT_PER_MINUTE", "2"),
    ];
    let open = app_with(b, &limits).await;
    let (app, event) = (&open.app, &open.event);
    for n in 0..3 {
        let (s, body) = enter(app, event, entry("홍길동", &phone(n)), None).await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
    }
    let res = app
        .client
        .post(format!("{}/api/public/events/{event}/entries", app.base))
        .json(&entry("홍길동", &phone(9)))
        .send()
        .await
        .unwrap();
    let wait: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_error(status, &body, 429, "RATE_001");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("초 뒤에 다시 시도해 주세요")
    );
    let path = format!("/api/public/events/{event}");
    for want in [200, 200, 429] {
        let (s, _) = app.call(reqwest::Method::GET, &path, None, None).await;
        assert_eq!(s.as_u16(), want);
    }
}

async fn the_csv_opens_in_excel_masked_and_harmless(b: Backend) {
    let open = app_with(b, &[]).await;
    let (app, token, event) = (&open.app, &open.token, &open.event);
    let mut tricky = entry("=cmd|' /C calc'!A0", &phone(1));
    tricky["channel"] = json!("STORE");
    enter(app, event, tricky, None).await;
    open.tick();
    enter(app, event, entry("홍길동", &phone(2)), None).await;
    let res = app
        .client
        .get(format!("{}/api/events/{event}/participants.csv", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    let bytes = res.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 BOM for Excel");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "응모 시각,이름,휴대전화,유입 채널,마케팅 동의,추첨 결과,응모 번호"
    );
    assert!(
        lines[1].contains(",홍*동,010-****-0002,직접 방문,미동의,,"),
        "{text}"
    );
    assert!(
        lines[2].contains(",'=****************0,010-****-0001,매장 QR,"),
        "{text}"
    );
    assert!(
        !text.contains("홍길동") && !text.contains("2000") && !text.contains("calc"),
        "{text}"
    );
}

async fn names_and_phones_are_never_stored_in_the_clear(b: Backend) {
    let open = app_with(b, &[]).await;
    let (app, event) = (&open.app, &open.event);
    let (s, _) = enter(app, event, entry("홍길동", "010-2345-6789"), None).await;
    assert_eq!(s, StatusCode::CREATED);
    let entries = app.db.raw_text("SELECT * FROM entries").await;
    let outbox = app
        .db
        .raw_text("SELECT CAST(payload AS TEXT) FROM outbox")
        .await;
    // The phone in every form it could be written (four digits alone turn up by chance in hex).
    for clear in ["홍길동", "2345-6789", "23456789", "+821023456789"] {
        assert!(!entries.contains(clear), "{clear} in entries");
        assert!(!outbox.contains(clear), "{clear} in outbox");
    }
    assert!(outbox.contains("ParticipantRegistered"), "{outbox}");
    assert!(
        outbox.contains("\"count\":1") || outbox.contains("\"count\": 1"),
        "{outbox}"
    );
}

on_both_backends!(
    an_entry_is_taken_once_per_phone,
    every_refusal_is_clear,
    a_retry_with_its_key_gets_the_original_answer,
    a_duplicate_storm_lets_exactly_one_in,
    public_calls_are_limited_per_address,
    the_csv_opens_in_excel_masked_and_harmless,
    names_and_phones_are_never_stored_in_the_clear,
);
