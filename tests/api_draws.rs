//! Drawing winners over HTTP: once, only after the end, exactly em-draw-v1 (the public proof is
//! recomputed by `event-marketing verify-draw` against the running service), winners revealed
//! to the owner only (and logged), replacements appended, earlier winners excluded, and the
//! prize-tax notice.
#![allow(clippy::unwrap_used)]

mod common;

use common::entries::{
    end, enter, entry, open_event, phone, public_page, publish, ready, seoul_today,
};
use common::{Backend, TestApp, assert_error};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

struct Drawn {
    app: TestApp,
    clock: std::sync::Arc<common::TestClock>,
    token: String,
    event: String,
    receipts: Vec<String>,
}

/// A giveaway of `winners` with `n` entrants, ended.
async fn ended_with(b: Backend, n: usize, prize_value: i64, winners: u32) -> Drawn {
    let clock = common::TestClock::new();
    let app = TestApp::spawn_with(b, &[], clock.clone()).await;
    let token = app.owner("draws@cafe.kr").await;
    let today = seoul_today(chrono::Utc::now());
    let event = ready(&app, &token, today, prize_value).await;
    common::entries::giveaway(&app, &token, &event, winners).await;
    publish(&app, &token, &event).await;
    let mut receipts = Vec::new();
    for i in 0..n {
        let (s, body) = enter(&app, &event, entry(&format!("응모자{i}"), &phone(i)), None).await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
        receipts.push(body["receipt"].as_str().unwrap().to_owned());
    }
    end(&app, &token, &event).await;
    Drawn {
        app,
        clock,
        token,
        event,
        receipts,
    }
}

async fn draw(d: &Drawn, body: Value) -> (StatusCode, Value) {
    d.app
        .post(
            &format!("/api/events/{}/draws", d.event),
            Some(&d.token),
            body,
        )
        .await
}

/// `event-marketing verify-draw <source> [--receipt CODE]`: (exit code, output).
fn verify_draw(source: &str, receipt: Option<&str>) -> (i32, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_event-marketing"));
    cmd.args(["verify-draw", source]).env_clear();
    if let Some(r) = receipt {
        cmd.args(["--receipt", r]);
    }
    let out = cmd.output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

async fn verify_async(source: String, receipt: Option<String>) -> (i32, String) {
    tokio::task::spawn_blocking(move || verify_draw(&source, receipt.as_deref()))
        .await
        .unwrap()
}

async fn winners_are_drawn_once_verifiably_and_replaced_in_the_open(b: Backend) {
    let d = ended_with(b, 6, 30_000, 2).await;
    let counted = d
        .app
        .db
        .raw_text("SELECT CAST(entry_count AS TEXT) FROM events WHERE status = 'ENDED'")
        .await;
    assert_eq!(
        counted, "6|",
        "ending counts the entries for the platform history"
    );
    // The counts are the notice's: a request for more (to unmask everyone) draws nothing.
    for other in [
        json!({"winnerCount": 6}),
        json!({"winnerCount": 2, "alternateCount": 4}),
    ] {
        let (s, refused) = draw(&d, other).await;
        assert_error(s, &refused, 422, "DRAW_008");
    }
    let (s, got) = draw(&d, json!({"winnerCount": 2, "alternateCount": 2})).await;
    assert_eq!(s, StatusCode::CREATED, "{got}");
    assert_eq!(got["winners"].as_array().unwrap().len(), 2);
    assert_eq!(got["alternates"].as_array().unwrap().len(), 2);
    assert_eq!(got["entrants"], 6);
    assert_eq!(got["taxNotice"], Value::Null, "₩30,000 is not taxed");
    let first = &got["winners"][0];
    assert!(
        first["name"].as_str().unwrap().starts_with("응모자"),
        "full name: {first}"
    );
    assert!(
        first["phone"].as_str().unwrap().starts_with("010-2000-"),
        "full phone: {first}"
    );
    // Alternates stay masked until one becomes a winner.
    let alternate = &got["alternates"][0];
    assert_eq!(alternate["masked"], true, "{alternate}");
    assert!(
        alternate["phone"]
            .as_str()
            .unwrap()
            .starts_with("010-****-"),
        "{alternate}"
    );
    assert!(
        alternate["name"].as_str().unwrap().contains('*'),
        "{alternate}"
    );
    // Only once.
    let (s, again) = draw(&d, json!({})).await;
    assert_error(s, &again, 409, "DRAW_001");

    // The proof, recomputed by anyone from the running service.
    let url = format!("{}/api/public/events/{}/draw", d.app.base, d.event);
    let (code, out) = verify_async(url.clone(), None).await;
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("결과: 추첨이 올바릅니다."), "{out}");
    let winner_receipt = first["receipt"].as_str().unwrap().to_owned();
    let (code, out) = verify_async(url.clone(), Some(winner_receipt.to_lowercase())).await;
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1위입니다: 당첨 1번"), "{out}");
    let (code, out) = verify_async(url.clone(), Some("0000000000".into())).await;
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("추첨 목록에 없습니다"), "{out}");
    // The commitment shown since publishing is the seed's.
    let (_, proof) = d
        .app
        .call(
            Method::GET,
            &format!("/api/public/events/{}/draw", d.event),
            None,
            None,
        )
        .await;
    let (_, page) = public_page(&d.app, &d.event).await;
    assert_eq!(page["draw"]["commitment"], proof["commitment"]);
    assert_eq!(proof["version"], "em-draw-v1");
    assert_eq!(proof["sortedLeaves"].as_array().unwrap().len(), 6);
    // The public page lists winners masked only.
    assert_eq!(page["draw"]["drawn"], true);
    let public_winner = &page["draw"]["winners"][0];
    assert!(
        public_winner["name"].as_str().unwrap().contains('*'),
        "{page}"
    );
    assert!(
        public_winner["phone"]
            .as_str()
            .unwrap()
            .starts_with("010-****-")
    );

    // Replace winner 1: not before the contact deadline the notice stated (the owner cannot
    // re-pick from the alternates); after it, the first alternate steps in; the record grows.
    let alternate = got["alternates"][0]["receipt"].clone();
    let body = json!({"rank": 1, "reason": "UNREACHABLE"});
    let path = format!("/api/events/{}/draws/replace", d.event);
    let (s, early) = d.app.post(&path, Some(&d.token), body.clone()).await;
    assert_error(s, &early, 409, "DRAW_009");
    let (s, free_text) = (d.app)
        .post(
            &path,
            Some(&d.token),
            json!({"rank": 1, "reason": "마음에 안 듦"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{free_text}");
    d.clock
        .advance(chrono::Duration::days(7) + chrono::Duration::minutes(1));
    let (s, replaced) = d.app.post(&path, Some(&d.token), body.clone()).await;
    assert_eq!(s, StatusCode::OK, "{replaced}");
    assert_eq!(replaced["winners"][0]["receipt"], alternate);
    let promoted = &replaced["winners"][0];
    assert!(
        promoted["masked"] == false && promoted["phone"].as_str().unwrap().starts_with("010-2000-"),
        "a promoted alternate is a winner, in full: {promoted}"
    );
    assert_eq!(replaced["alternates"].as_array().unwrap().len(), 1);
    assert_eq!(replaced["replacements"][0]["reason"], "UNREACHABLE");
    let (code, out) = verify_async(url.clone(), Some(winner_receipt.clone())).await;
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("당첨 후 교체됨") && out.contains("교체 기록 1건"),
        "{out}"
    );
    assert!(
        out.contains("당첨 1번 교체") && out.contains("(연락 기한 뒤)"),
        "{out}"
    );
    assert!(
        out.contains("사유: 연락 기한까지 당첨자와 연락이 닿지 않았습니다"),
        "{out}"
    );
    // Customers see it on the proof page: when, which place, why; the replaced winner is told.
    let page = reqwest::get(format!(
        "{}/e/{}/draw?receipt={winner_receipt}",
        d.app.base, d.event
    ))
    .await
    .unwrap()
    .text()
    .await
    .unwrap();
    assert!(
        page.contains("당첨자 교체 기록")
            && page.contains("당첨자 목록 1번째 분을 다음 예비 당첨자로 바꿈"),
        "{page}"
    );
    assert!(
        page.contains("당첨이 다음 예비 당첨자에게 넘어갔습니다. 사유: 연락 기한까지")
            && !page.contains("1등"),
        "{page}"
    );
    // A record that says it was replaced before the deadline does not verify.
    let (_, mut tampered) = d
        .app
        .call(
            Method::GET,
            &format!("/api/public/events/{}/draw", d.event),
            None,
            None,
        )
        .await;
    tampered["replacements"][0]["replacedAt"] = tampered["drawnAt"].clone();
    let file = d.app.db.dir.path().join("early.json");
    std::fs::write(&file, tampered.to_string()).unwrap();
    let (code, out) = verify_async(file.display().to_string(), None).await;
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("연락 기한(추첨 후 며칠)보다 먼저"), "{out}");
    let (s, _) = d.app.post(&path, Some(&d.token), body.clone()).await;
    assert_eq!(s, StatusCode::OK);
    let (s, none_left) = d.app.post(&path, Some(&d.token), body).await;
    assert_error(s, &none_left, 409, "DRAW_004");
    let (s, bad_rank) = d
        .app
        .post(
            &path,
            Some(&d.token),
            json!({"rank": 3, "reason": "DECLINED"}),
        )
        .await;
    assert_error(s, &bad_rank, 422, "DRAW_005");
    let (s, no_reason) = d
        .app
        .post(&path, Some(&d.token), json!({"rank": 1, "reason": " "}))
        .await;
    assert_error(s, &no_reason, 400, "REQ_002");

    // Every reveal of contact data was logged, never the data itself.
    let log = d
        .app
        .db
        .raw_text("SELECT receipt, purpose FROM personal_data_access")
        .await;
    assert!(log.matches("DRAW_RESULT").count() >= 4, "{log}");
    assert!(!log.contains("응모자") && !log.contains("010"), "{log}");
    // The public record cannot be edited, even by hand.
    let edited = d
        .app
        .db
        .try_execute("UPDATE draws SET drawn_at = drawn_at")
        .await;
    assert!(edited.is_err(), "draws are append-only");
    let outbox = d
        .app
        .db
        .raw_text("SELECT CAST(payload AS TEXT) FROM outbox")
        .await;
    assert!(outbox.contains("WinnersDrawn"), "{outbox}");
    assert!(!outbox.contains("응모자"), "no personal data travels");
}

async fn a_draw_needs_an_ended_event_with_entrants(b: Backend) {
    let app = TestApp::spawn(b).await;
    let token = app.owner("rules@cafe.kr").await;
    let today = seoul_today(chrono::Utc::now());
    let event = common::entries::open_giveaway(&app, &token, today, 1).await;
    let path = format!("/api/events/{event}/draws");
    let (s, body) = app
        .post(&path, Some(&token), json!({"winnerCount": 1}))
        .await;
    assert_error(s, &body, 409, "EVENT_004");
    let proof = format!("/api/public/events/{event}/draw");
    let (s, body) = app.call(Method::GET, &proof, None, None).await;
    assert_error(s, &body, 404, "DRAW_003");
    end(&app, &token, &event).await;
    for bad in [
        json!({"winnerCount": 0}),
        json!({"winnerCount": 1, "alternateCount": 101}),
    ] {
        let (s, body) = app.post(&path, Some(&token), bad.clone()).await;
        assert_error(s, &body, 400, "REQ_002");
    }
    let (s, body) = app.post(&path, Some(&token), json!({})).await;
    assert_error(s, &body, 409, "DRAW_002");
    // An event whose notice states no draw is never drawn.
    let undrawn = open_event(&app, &token, today).await;
    end(&app, &token, &undrawn).await;
    let path_of = format!("/api/events/{undrawn}/draws");
    let (s, body) = app.post(&path_of, Some(&token), json!({})).await;
    assert_error(s, &body, 409, "DRAW_007");
    let (s, body) = app.get(&path, &token).await;
    assert_error(s, &body, 404, "DRAW_003");
}

async fn earlier_winners_of_the_shop_can_be_left_out(b: Backend) {
    let first = ended_with(b, 2, 0, 2).await;
    let (s, got) = draw(&first, json!({})).await;
    assert_eq!(s, StatusCode::CREATED, "{got}");
    // The same owner's next event: the two winners enter again, with a newcomer.
    let (app, token) = (&first.app, &first.token);
    let second = ready(app, token, seoul_today(chrono::Utc::now()), 0).await;
    common::entries::giveaway(app, token, &second, 3).await;
    publish(app, token, &second).await;
    for (i, p) in [phone(0), phone(1), phone(7)].iter().enumerate() {
        let (s, _) = enter(app, &second, entry(&format!("재응모{i}"), p), None).await;
        assert_eq!(s, StatusCode::CREATED);
    }
    end(app, token, &second).await;
    let path = format!("/api/events/{second}/draws");
    let body = json!({"excludePreviousWinners": true});
    let (s, got) = app.post(&path, Some(token), body).await;
    assert_eq!(s, StatusCode::CREATED, "{got}");
    assert_eq!(
        (got["entrants"].as_u64(), got["excluded"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(got["winners"][0]["phone"], "010-2000-0007");
    let proof = format!("/api/public/events/{second}/draw");
    let (_, proof) = app.call(Method::GET, &proof, None, None).await;
    assert_eq!(proof["excluded"][0]["reason"], "PREVIOUS_WINNER");
    let url = format!("{}/api/public/events/{second}/draw", app.base);
    let (code, out) = verify_async(url, None).await;
    assert_eq!(code, 0, "{out}");
    let _ = first.receipts;
}

async fn a_prize_over_fifty_thousand_won_comes_with_the_tax_notice(b: Backend) {
    let d = ended_with(b, 1, 100_000, 1).await;
    let (s, got) = draw(&d, json!({})).await;
    assert_eq!(s, StatusCode::CREATED, "{got}");
    let tax = &got["taxNotice"];
    assert_eq!(
        (tax["withholding"].as_i64(), tax["grossedUpTax"].as_i64()),
        (Some(22_000), Some(28_205))
    );
    assert!(
        tax["message"]
            .as_str()
            .unwrap()
            .contains("주민등록번호를 받지 않습니다")
    );
    let (s, again) = d
        .app
        .get(&format!("/api/events/{}/draws", d.event), &d.token)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(again["winners"][0]["receipt"], got["winners"][0]["receipt"]);
    assert_eq!(again["winners"][0]["receipt"], json!(d.receipts[0]));
}

on_both_backends!(
    winners_are_drawn_once_verifiably_and_replaced_in_the_open,
    a_draw_needs_an_ended_event_with_entrants,
    earlier_winners_of_the_shop_can_be_left_out,
    a_prize_over_fifty_thousand_won_comes_with_the_tax_notice,
);

#[test]
fn verify_draw_fails_on_a_changed_seed_list_or_ranking() {
    let good: Value =
        serde_json::from_str(include_str!("../docs/em-draw-v1-vectors.json")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, v: &Value| {
        let path = dir.path().join(name);
        std::fs::write(&path, v.to_string()).unwrap();
        path.display().to_string()
    };
    let (code, out) = verify_draw(&file("good.json", &good), Some("7Z3K9QH2MA"));
    assert_eq!(code, 0, "{out}");
    type Tamper = fn(&mut Value);
    let tampered: [(&str, Tamper, &str); 3] = [
        (
            "seed",
            |v| v["proof"]["seed"] = json!("00".repeat(32)),
            "커밋먼트와 다릅니다",
        ),
        (
            "list",
            |v| {
                v["proof"]["sortedLeaves"].as_array_mut().unwrap().remove(3);
            },
            "다이제스트",
        ),
        (
            "ranking",
            |v| v["proof"]["alternates"].as_array_mut().unwrap().reverse(),
            "예비 당첨자가 기록과 다릅니다",
        ),
    ];
    for (what, change, says) in tampered {
        let mut v = good.clone();
        change(&mut v);
        let (code, out) = verify_draw(&file(what, &v), None);
        assert_eq!(code, 1, "{what}: {out}");
        assert!(
            out.contains(says) && out.contains("맞지 않습니다"),
            "{what}: {out}"
        );
    }
}
