//! The console and the customers' pages in a real browser (headless Chromium): an owner from
//! sign-up to a published event, counting every click and typed field; a customer entering on a
//! phone-sized window, then again with the same phone; the event ended and drawn; the proof page
//! checking the receipt. Screenshots of each step go to `target/screenshots/`; axe-core finds no
//! serious or critical accessibility violation on the pages on the way.
#![allow(clippy::unwrap_used)]

mod common;

use common::browser::{Browser, Driver};
use common::process::{Binary, free_port, local_env};
use common::{Backend, TestDb};

/// Checks the page with axe-core, and keeps what it found.
async fn audit(b: &Browser, page: &str, found: &mut Vec<String>) {
    for v in b.accessibility().await {
        found.push(format!("{page}: {v}"));
    }
}

/// Sign-up to published, as an owner would: every click and typed field counted.
async fn owner_publishes(b: &mut Browser, base: &str, axe: &mut Vec<String>) -> String {
    b.goto(&format!("{base}/")).await;
    b.wait_for("form[action='/signup']").await;
    b.screenshot("01-sign-up").await;
    audit(b, "sign-up", axe).await;
    b.type_into("#email", "owner@cafe-bom.kr").await;
    b.type_into("#password", "secret123").await;
    b.type_into("#name", "김봄").await;
    b.type_into("#storeName", "카페 봄날").await;
    b.type_into("#industry", "카페").await;
    b.type_into("#address", "서울특별시 마포구 양화로 45").await;
    b.submit("form[action='/signup'] button[type=submit]").await;
    b.wait_for("button[value=AWARENESS]").await;
    b.screenshot("02-objective").await;
    audit(b, "objective", axe).await;
    b.submit("button[value=AWARENESS]").await;
    b.wait_for("progress, article.plan").await;
    b.screenshot("03-plans-progress").await;
    b.wait_for("article.plan button").await;
    b.screenshot("04-plans").await;
    audit(b, "plans", axe).await;
    // The giveaway among the three: a draw needs the winners its notice states.
    let marked = b
        .client
        .execute(
            "const card = [...document.querySelectorAll('article.plan')].find(a => a.querySelector('.tag').textContent.trim() === '경품 추첨 이벤트'); if (!card) return false; card.querySelector('button').id = 'giveaway'; return true;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        marked,
        serde_json::json!(true),
        "no giveaway among the plans"
    );
    b.submit("#giveaway").await;
    b.wait_for("#name").await;
    b.screenshot("05-customise").await;
    audit(b, "customise", axe).await;
    assert!(b.text("#prizeValue-help").await.contains("제세공과금(22%)"));
    // The plan starts in a few days; this owner starts today. One typed field; it is set through
    // the DOM because WebDriver keystrokes do not map onto Chromium's segmented date editor.
    let today = common::entries::seoul_today(chrono::Utc::now()).to_string();
    b.set_value("#startDate", &today).await;
    b.submit("form[action$='/customise'] button[type=submit]")
        .await;
    b.wait_for("form[action$='/posters'] button").await;
    b.screenshot("06-posters").await;
    audit(b, "posters", axe).await;
    b.submit("form[action$='/posters'] button").await;
    b.wait_for("a[href$='/review']").await;
    b.screenshot("07-channels").await;
    audit(b, "channels", axe).await;
    // Each channel says what it is and costs; the sandbox is explained.
    let page = b.client.source().await.unwrap();
    assert!(
        page.contains("이 채널은?") && page.contains("통화 연결음"),
        "{page}"
    );
    assert!(
        page.contains("'샌드박스'라는 이 컴퓨터의 폴더에 기록만"),
        "{page}"
    );
    b.submit("a[href$='/review']").await;
    b.wait_for("form[action$='/publish'] button").await;
    b.screenshot("08-review").await;
    audit(b, "review", axe).await;
    b.submit("form[action$='/publish'] button").await;
    let path = b.path().await;
    let event = path
        .trim_start_matches("/events/")
        .trim_end_matches("/status")
        .to_owned();
    // Every channel settles (the local sandbox, said as such) without the owner doing anything:
    // the page follows its posts in the background (`data-poll`), never reloading itself.
    let started = std::time::Instant::now();
    while b.client.source().await.unwrap().contains("data-poll=") {
        assert!(
            !b.client
                .source()
                .await
                .unwrap()
                .contains("http-equiv=\"refresh\"")
        );
        assert!(started.elapsed().as_secs() < 60, "the posts never settled");
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    let page = b.client.source().await.unwrap();
    assert!(page.contains("샌드박스 기록(실제 게시 아님)"), "{page}");
    // What happened and what happens next, in words: no server path, no empty column.
    assert!(
        page.contains("게시되지 않았습니다(채널을 연결하면 실제로 게시됩니다)"),
        "{page}"
    );
    assert!(
        !page.contains("/sandbox/"),
        "a server path on the page: {page}"
    );
    assert!(!page.contains("<td></td>"), "an empty column: {page}");
    b.screenshot("09-published").await;
    audit(b, "status", axe).await;
    event
}

/// A customer on a phone: through the Instagram link, enters; the same phone again is refused
/// next to the phone field. The receipt.
async fn customer_enters(b: &mut Browser, link: &str, axe: &mut Vec<String>) -> String {
    b.goto(link).await;
    b.wait_for("form[action^='/e/']").await;
    assert!(
        b.client
            .current_url()
            .await
            .unwrap()
            .as_str()
            .contains("c=INSTAGRAM")
    );
    b.screenshot("10-customer-page").await;
    assert!(
        b.fits_width().await,
        "the event page scrolls sideways at 360 px"
    );
    // Korean breaks between words (어절), never inside one ("26/일에").
    let breaks = b
        .client
        .execute(
            "const s = getComputedStyle(document.querySelector('main')); return [s.wordBreak, s.overflowWrap];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(breaks, serde_json::json!(["keep-all", "break-word"]));
    audit(b, "customer page", axe).await;
    // Nothing is ticked in advance.
    let ticked = b
        .client
        .execute(
            "return document.querySelectorAll('input[type=checkbox]:checked').length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(ticked, 0);
    let fill = async |b: &mut Browser| {
        b.type_into("#name", "홍길동").await;
        b.type_into("#phone", "010-2345-6789").await;
        b.click("input[name=agreePrivacy]").await;
        b.click("input[name=ageOver14]").await;
        b.submit("form[action^='/e/'] button[type=submit]").await;
    };
    fill(b).await;
    let receipt = b.text(".receipt strong").await;
    b.screenshot("11-customer-receipt").await;
    audit(b, "receipt", axe).await;
    b.goto(link).await;
    fill(b).await;
    let refused = b.text("#phone-error").await;
    b.scroll_to("#phone").await;
    assert!(refused.contains("이미"), "{refused}");
    b.screenshot("12-customer-same-phone").await;
    receipt
}

#[tokio::test]
async fn an_owner_publishes_a_customer_enters_and_the_draw_is_checked_in_a_browser() {
    let db = TestDb::new(Backend::Sqlite).await;
    let binary = Binary::start(db.dir.path(), free_port(), &local_env(&db, &[])).await;
    let base = binary.base.clone();
    let driver = Driver::start().await;
    let mut axe = Vec::new();

    let mut owner = driver.browser(1280, 900).await;
    let event = owner_publishes(&mut owner, &base, &mut axe).await;
    let (clicks, typed) = (owner.clicks, owner.typed);
    println!(
        "sign-up to published: {clicks} clicks + {typed} typed fields = {}",
        clicks + typed
    );
    assert!(clicks + typed <= 20, "{clicks} clicks and {typed} fields");

    // The tracked links, as the owner's API lists them.
    let api = common::process::ApiClient::sign_in(&base, "owner@cafe-bom.kr").await;
    let links = api
        .call(
            reqwest::Method::GET,
            &format!("/api/events/{event}/links"),
            None,
        )
        .await;
    let items = links["items"].as_array().unwrap();
    let ig = items.iter().find(|l| l["channel"] == "INSTAGRAM").unwrap()["url"]
        .as_str()
        .unwrap()
        .to_owned();

    let mut phone = driver.browser(360, 740).await;
    let receipt = customer_enters(&mut phone, &ig, &mut axe).await;

    // The owner ends the event and draws.
    owner.goto(&format!("{base}/events/{event}/status")).await;
    owner.submit("form[action$='/end'] button").await;
    // Each of these cannot be undone: its own page asks first.
    assert!(owner.text("h1").await.contains("종료할까요"));
    owner.submit("form[action$='/end'] button").await;
    owner.goto(&format!("{base}/events/{event}/draw")).await;
    owner.submit("form[action$='/draw'] button").await;
    assert!(owner.text("h1").await.contains("추첨할까요"));
    assert!(owner.text("main").await.contains("공지한 인원대로"));
    audit(&owner, "draw-confirm", &mut axe).await;
    owner.submit("form[action$='/draw'] button").await;
    let heading = owner.text("h1").await;
    assert!(!heading.contains("추첨 추첨"), "{heading}");
    let winners = owner.text("table").await;
    assert!(winners.contains(&receipt), "{winners}");
    owner.screenshot("13-draw").await;
    audit(&owner, "draw", &mut axe).await;
    owner
        .goto(&format!("{base}/events/{event}/dashboard"))
        .await;
    owner.wait_for("canvas#funnel").await;
    owner.screenshot("14-dashboard").await;
    audit(&owner, "dashboard", &mut axe).await;

    // The owner's phone: every results page reads as cards, no word squeezed a letter a line.
    owner.resize(375, 812).await;
    for page in ["status", "participants", "dashboard", "draw"] {
        owner.goto(&format!("{base}/events/{event}/{page}")).await;
        owner.wait_for("main table").await;
        let squeezed = owner.squeezed_text().await;
        assert!(
            squeezed.is_empty(),
            "{page} at 375 px squeezes {squeezed:?}"
        );
        assert!(
            owner.fits_width().await,
            "{page} scrolls sideways at 375 px"
        );
        owner.screenshot(&format!("16-phone-{page}")).await;
    }

    // Before the session ends, a warning with a way to stay signed in.
    owner.goto(&format!("{base}/profile")).await;
    let soon = "document.cookie = 'em_session_ends=' + (Math.floor(Date.now() / 1000) + 120) + '; path=/';";
    owner.client.execute(soon, vec![]).await.unwrap();
    owner.goto(&format!("{base}/profile")).await;
    let warning = owner.text("#session-warning").await;
    assert!(warning.contains("5분 안에"), "{warning}");
    owner.screenshot("17-session-warning").await;
    owner.click("#session-warning button").await;
    let hidden = "return document.getElementById('session-warning').hidden;";
    let started = std::time::Instant::now();
    while owner.client.execute(hidden, vec![]).await.unwrap() != serde_json::json!(true) {
        assert!(
            started.elapsed().as_secs() < 10,
            "staying signed in did not answer"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // A form sent after the session ended: log in again, back on the form, the entries kept.
    owner.type_into("#name", "김봄날").await;
    owner.client.delete_cookie("em_session").await.unwrap();
    owner
        .submit("form[action='/profile'] button[type=submit]")
        .await;
    assert_eq!(owner.path().await, "/login");
    owner.type_into("#email", "owner@cafe-bom.kr").await;
    owner.type_into("#password", "secret123").await;
    owner
        .submit("form[action='/login'] button[type=submit]")
        .await;
    assert_eq!(owner.path().await, "/profile");
    let kept = "return document.getElementById('name').value;";
    assert_eq!(
        owner.client.execute(kept, vec![]).await.unwrap(),
        serde_json::json!("김봄날")
    );
    assert!(
        owner
            .text("form[data-keep] .notice")
            .await
            .contains("되살렸습니다")
    );

    // The customer checks the receipt on the proof page.
    phone.goto(&format!("{base}/e/{event}/draw")).await;
    phone.type_into("#receipt", &receipt).await;
    phone.submit("form[method=get] button").await;
    let result = phone.text(".receipt-result").await;
    assert!(result.contains("당첨되었습니다"), "{result}");
    phone.screenshot("15-proof-receipt").await;
    assert!(
        phone.fits_width().await,
        "the proof page scrolls sideways at 360 px"
    );
    audit(&phone, "proof", &mut axe).await;

    assert!(
        axe.is_empty(),
        "axe-core found serious or critical violations: {axe:#?}"
    );
    owner.close().await;
    phone.close().await;
}
