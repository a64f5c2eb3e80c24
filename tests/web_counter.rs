//! The counter's pages over plain HTTP: a scanned pass asks for the shop's counter PIN; guessing
//! it is throttled (twenty guesses do not get in, and the right PIN is refused while locked);
//! acts need the counter session and its CSRF token, and a refused request changes nothing.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::json;

use common::analytics::attr;
use common::entries::{phone, seoul_today};
use common::passes::{coupon, pass, pass_of, promotion};
use common::{Backend, TestApp, TestClock};

const PIN: &str = "482913";

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A cookie's `name=value` from a response's `Set-Cookie` headers.
fn cookie(res: &reqwest::Response, name: &str) -> Option<String> {
    (res.headers().get_all("set-cookie").iter())
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(|c| c.split(';').next().unwrap().to_owned())
}

/// The PIN page of a pass: its pre-session cookie and CSRF token.
async fn pin_page(app: &TestApp, code: &str) -> (String, String) {
    let page = client()
        .get(format!("{}/c/{code}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let pre = cookie(&page, "em_form").unwrap();
    let body = page.text().await.unwrap();
    assert!(body.contains("카운터 PIN"), "{body}");
    (pre, attr(&body, "name=\"csrf\" value=\"", "\""))
}

async fn send_pin(
    app: &TestApp,
    code: &str,
    (pre, csrf): &(String, String),
    pin: &str,
) -> reqwest::Response {
    client()
        .post(format!("{}/c/{code}/pin", app.base))
        .header("cookie", pre)
        .form(&[("csrf", csrf.as_str()), ("pin", pin)])
        .send()
        .await
        .unwrap()
}

async fn tap(app: &TestApp, code: &str, session: &str, csrf: &str) -> reqwest::Response {
    client()
        .post(format!("{}/c/{code}/act", app.base))
        .header("cookie", session)
        .form(&[("csrf", csrf), ("act", "USE"), ("spend", "12,000")])
        .send()
        .await
        .unwrap()
}

async fn status_of(app: &TestApp, code: &str) -> String {
    let (s, p) = pass(app, code).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    p["status"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_guessed_pin_is_refused_and_acts_need_the_counter_session() {
    let clock = TestClock::daytime();
    let app = TestApp::spawn_with(Backend::Sqlite, &[], clock.clone()).await;
    let token = app.owner("counter@cafe.kr").await;
    let (s, body) = app
        .put("/api/users/me/counter-pin", &token, json!({"pin": PIN}))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{body}");
    use event_marketing::ports::Clock;
    let today = seoul_today(clock.now());
    let event = promotion(&app, &token, today, coupon(0, today + Duration::days(30))).await;
    let code = pass_of(&app, &event, &phone(1), None).await;

    // Twenty guesses from one phone: the first few are "wrong", then locked — and while locked,
    // even the right PIN does not open a session.
    let form = pin_page(&app, &code).await;
    let mut wrong = 0;
    let mut locked = 0;
    for n in 0..20 {
        let res = send_pin(&app, &code, &form, &format!("{:06}", 100_000 + n)).await;
        assert!(cookie(&res, "em_counter").is_none());
        match res.status() {
            StatusCode::UNAUTHORIZED => wrong += 1,
            StatusCode::TOO_MANY_REQUESTS => locked += 1,
            other => panic!("{other}"),
        }
    }
    assert_eq!((wrong, locked), (5, 15));
    let res = send_pin(&app, &code, &form, PIN).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let said = res.text().await.unwrap();
    assert!(
        said.contains("PIN을 여러 번 틀려") && said.contains("분 후에"),
        "{said}"
    );
    assert_eq!(status_of(&app, &code).await, "READY");

    // No session: the act leads back to the PIN page and uses nothing.
    let res = tap(&app, &code, "", "x").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, &code).await, "READY");

    // After the lock, the right PIN opens a counter session; an act without its CSRF token is
    // refused, with it the pass is used once.
    clock.advance(Duration::minutes(20));
    let res = send_pin(&app, &code, &form, PIN).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let session = cookie(&res, "em_counter").unwrap();
    let page = client()
        .get(format!("{}/c/{code}", app.base))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    let csrf = attr(&page.text().await.unwrap(), "name=\"csrf\" value=\"", "\"");
    assert_eq!(
        tap(&app, &code, &session, "forged").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(status_of(&app, &code).await, "READY");
    let used = tap(&app, &code, &session, &csrf).await;
    assert_eq!(used.status(), StatusCode::OK);
    assert!(
        used.text()
            .await
            .unwrap()
            .contains("처리했습니다. 결제 금액 20% 할인해 주세요")
    );
    assert_eq!(status_of(&app, &code).await, "USED");
    let again = tap(&app, &code, &session, &csrf).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(again.text().await.unwrap().contains("이미 사용됨"));

    // A new PIN ends the sessions of the old one.
    app.put(
        "/api/users/me/counter-pin",
        &token,
        json!({"pin": "735102"}),
    )
    .await;
    let res = client()
        .get(format!("{}/c/{code}", app.base))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert!(res.text().await.unwrap().contains("카운터 PIN 6자리"));
}
