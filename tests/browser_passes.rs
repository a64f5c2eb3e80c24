//! A coupon promotion at the counter, in a real browser (headless Chromium): a customer on a
//! 360-px phone joins and shows the pass; staff on a second phone open the URL its QR code holds,
//! type the counter PIN and use it with one tap; the customer's pass then says it was used.
//! Screenshots go to `target/screenshots/`; axe-core finds no serious or critical violation.
#![allow(clippy::unwrap_used)]

mod common;

use reqwest::Method;
use serde_json::json;

use common::browser::{Browser, Driver};
use common::process::{ApiClient, Binary, free_port, local_env};
use common::{Backend, TestDb};

const PIN: &str = "482913";

async fn audit(b: &Browser, page: &str, found: &mut Vec<String>) {
    for v in b.accessibility().await {
        found.push(format!("{page}: {v}"));
    }
}

/// The customer joins through the event page and opens the pass; the pass's code.
async fn customer_joins(b: &mut Browser, page: &str, axe: &mut Vec<String>) -> String {
    b.goto(page).await;
    let promo = b.text("section.promo").await;
    assert!(
        promo.contains("결제 금액 20% 할인") && promo.contains("남은 수량: 31개"),
        "{promo}"
    );
    b.type_into("#name", "홍길동").await;
    b.type_into("#phone", "010-2345-6789").await;
    b.click("input[name=agreePrivacy]").await;
    b.click("input[name=ageOver14]").await;
    b.submit("form[action^='/e/'] button[type=submit]").await;
    b.wait_for("a.button[href^='/p/']").await;
    b.screenshot("passes-01-joined").await;
    audit(b, "joined", axe).await;
    b.submit("a.button[href^='/p/']").await;
    b.wait_for("figure.qr img").await;
    let status = b.text("p.status").await;
    assert!(status.contains("사용할 수 있습니다"), "{status}");
    assert!(b.fits_width().await, "the pass scrolls sideways at 360 px");
    b.screenshot("passes-02-pass").await;
    audit(b, "pass", axe).await;
    b.path().await.trim_start_matches("/p/").to_owned()
}

/// Staff open the counter URL, sign in with the PIN and use the pass; what the page said.
async fn staff_redeem(b: &mut Browser, counter_url: &str, axe: &mut Vec<String>) -> String {
    b.goto(counter_url).await;
    b.wait_for("#pin").await;
    b.screenshot("passes-03-counter-pin").await;
    audit(b, "counter PIN", axe).await;
    b.type_into("#pin", PIN).await;
    b.submit("form[action$='/pin'] button[type=submit]").await;
    b.wait_for("form[action$='/act'] button").await;
    b.type_into("#spend-USE", "18000").await;
    b.submit("form[action$='/act'] button[type=submit]").await;
    b.wait_for("p.give").await;
    assert!(
        b.fits_width().await,
        "the counter scrolls sideways at 360 px"
    );
    b.screenshot("passes-04-counter-used").await;
    audit(b, "counter", axe).await;
    b.text("p.give").await
}

#[tokio::test]
async fn a_customer_shows_a_coupon_and_staff_use_it_with_the_counter_pin() {
    let db = TestDb::new(Backend::Sqlite).await;
    let binary = Binary::start(db.dir.path(), free_port(), &local_env(&db, &[])).await;
    let base = binary.base.clone();
    let owner = ApiClient::sign_up(&base, "counter@cafe-bom.kr").await;
    let until = common::entries::seoul_today(chrono::Utc::now()) + chrono::Duration::days(30);
    let mechanic = json!({"type": "COUPON", "benefit": {"kind": "PERCENT", "rate": 20},
        "cap": 31, "validity": {"kind": "UNTIL", "date": until}, "uses": 1});
    let extra = json!({ "mechanic": mechanic });
    let event = common::entries::open_event_with(&owner, &["INSTAGRAM"], extra).await;
    let pin = json!({ "pin": PIN });
    owner
        .call(Method::PUT, "/api/users/me/counter-pin", Some(pin))
        .await;

    let driver = Driver::start().await;
    let mut axe = Vec::new();
    let mut customer = driver.browser(360, 740).await;
    let page = format!("{base}/e/{event}?c=INSTAGRAM");
    let code = customer_joins(&mut customer, &page, &mut axe).await;

    // The QR code holds the counter's URL for this pass (the API says which).
    let pass = (owner.call(Method::GET, &format!("/api/public/passes/{code}"), None)).await;
    let counter_url = pass["counterUrl"].as_str().unwrap().to_owned();
    assert!(
        counter_url.ends_with(&format!("/c/{code}")),
        "{counter_url}"
    );

    let mut staff = driver.browser(360, 740).await;
    let said = staff_redeem(&mut staff, &counter_url, &mut axe).await;
    assert!(
        said.contains("처리했습니다. 결제 금액 20% 할인해 주세요"),
        "{said}"
    );

    customer.goto(&format!("{base}/p/{code}")).await;
    let status = customer.text("p.status").await;
    assert!(status.contains("사용했습니다"), "{status}");
    customer.screenshot("passes-05-pass-used").await;

    // The owner's dashboard counts the use and the amount typed.
    let path = format!("/api/events/{event}/analytics");
    let d = owner.until(&path, |d| d["results"]["redeemed"] == 1).await;
    assert_eq!(d["results"]["revenue"], 18_000, "{d}");
    assert!(
        axe.is_empty(),
        "axe-core found serious or critical violations: {axe:#?}"
    );
    customer.close().await;
    staff.close().await;
}
