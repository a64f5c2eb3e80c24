//! The console's sessions and forms over plain HTTP: signing up through the form starts an
//! HttpOnly, SameSite session; every form needs its session's CSRF token (none, or another
//! session's, is refused with 403 and changes nothing); the customer's page stays small.
#![allow(clippy::unwrap_used)]

mod common;

use reqwest::StatusCode;

use common::console::{client, sign_up};
use common::{Backend, TestApp};

async fn create(app: &TestApp, session: &str, csrf: Option<&str>) -> reqwest::Response {
    let mut form = vec![("objective", "SALES")];
    if let Some(t) = csrf {
        form.push(("csrf", t));
    }
    client()
        .post(format!("{}/events/new", app.base))
        .header("cookie", session)
        .form(&form)
        .send()
        .await
        .unwrap()
}

async fn events_of(app: &TestApp, session: &str) -> usize {
    let page = client()
        .get(format!("{}/events", app.base))
        .header("cookie", session)
        .send()
        .await
        .unwrap();
    page.text()
        .await
        .unwrap()
        .matches("data-label=\"이름\"><a href=\"/events/")
        .count()
}

#[tokio::test]
async fn forms_without_their_sessions_csrf_token_are_refused() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (alice, alice_csrf) = sign_up(&app, "alice@cafe.kr").await;
    let (_, bob_csrf) = sign_up(&app, "bob@cafe.kr").await;

    assert_eq!(
        create(&app, &alice, None).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        create(&app, &alice, Some(&bob_csrf)).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        create(&app, &alice, Some("")).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        events_of(&app, &alice).await,
        0,
        "a refused form changes nothing"
    );
    let ok = create(&app, &alice, Some(&alice_csrf)).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert!(
        ok.headers()["location"]
            .to_str()
            .unwrap()
            .contains("/plans")
    );
    assert_eq!(events_of(&app, &alice).await, 1);

    // The login form before any session: its value must match its own cookie.
    let form = [
        ("csrf", "forged"),
        ("email", "alice@cafe.kr"),
        ("password", "secret123"),
    ];
    let res = client()
        .post(format!("{}/login", app.base))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // Without a session, console pages lead to the login page, which comes back to them.
    let res = client()
        .get(format!("{}/events", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/login?next=%2Fevents");
}

#[tokio::test]
async fn pages_carry_a_content_security_policy_without_inline_scripts() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let res = client()
        .get(format!("{}/home", app.base))
        .send()
        .await
        .unwrap();
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    let html = res.text().await.unwrap();
    assert!(
        html.contains("lang=\"ko\"") && !html.contains("<script>"),
        "{html}"
    );
}

/// Connecting Instagram from the console: the login starts from the channels page and the
/// provider's callback brings the owner back there (not to a JSON answer).
#[tokio::test]
async fn a_channel_login_started_in_the_console_comes_back_to_it() {
    let fakes = common::publishing::Fakes::start().await;
    let (app, _) = fakes.app(Backend::Sqlite, &[]).await;
    let (session, csrf) = sign_up(&app, "oauth@cafe.kr").await;
    let made = create(&app, &session, Some(&csrf)).await;
    let plans = made.headers()["location"].to_str().unwrap().to_owned();
    let event = plans
        .trim_start_matches("/events/")
        .split('/')
        .next()
        .unwrap()
        .to_owned();

    let start = format!("{}/channels/INSTAGRAM/connect?event={event}", app.base);
    let login = || async {
        let res = client()
            .get(&start)
            .header("cookie", &session)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let to = url::Url::parse(res.headers()["location"].to_str().unwrap()).unwrap();
        let state = (to.query_pairs().find(|(k, _)| k == "state").unwrap().1).into_owned();
        let bound = res.headers()["set-cookie"].to_str().unwrap();
        let pair = bound.split(';').next().unwrap().to_owned();
        assert!(pair.starts_with("em_oauth_instagram="), "{bound}");
        assert!(bound.contains("HttpOnly"), "{bound}");
        let callback = format!(
            "{}/api/channels/instagram/oauth/callback?code=good-code&state={state}",
            app.base
        );
        (callback, pair)
    };
    // The login link opened in another browser (no binding cookie) connects nothing.
    let (callback, _) = login().await;
    let elsewhere = client().get(callback).send().await.unwrap();
    assert_eq!(elsewhere.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = elsewhere.json().await.unwrap();
    assert_eq!(body["code"], "CHANNEL_011", "{body}");
    let none = app
        .db
        .raw_text("SELECT channel FROM channel_connections")
        .await;
    assert_eq!(none, "", "nothing connected from another browser");
    // In the browser that started it.
    let (callback, pair) = login().await;
    let back = client()
        .get(callback)
        .header("cookie", pair)
        .send()
        .await
        .unwrap();
    assert_eq!(back.status(), StatusCode::FOUND);
    assert_eq!(
        back.headers()["location"],
        format!("/events/{event}/channels").as_str()
    );
    let stored = app
        .db
        .raw_text("SELECT channel FROM channel_connections")
        .await;
    assert_eq!(stored, "INSTAGRAM|", "the login connected Instagram");

    // Naver posts to a cafe board: without its ids the login does not start.
    let naver = format!(
        "{}/channels/NAVER/connect?event={event}&clubId=&menuId=",
        app.base
    );
    let res = client()
        .get(naver)
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_ne!(res.status(), StatusCode::SEE_OTHER);
    assert!(res.text().await.unwrap().contains("카페 ID와 게시판 ID"));
}

/// The console's draw form draws the counts the notice stated (no count to type), and an
/// event that stated no draw shows no form and draws nothing.
#[tokio::test]
async fn the_draw_form_draws_what_the_notice_stated() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (session, csrf) = sign_up(&app, "draw@cafe.kr").await;
    let token = app.login("draw@cafe.kr", "secret123").await;
    let today = common::entries::seoul_today(chrono::Utc::now());
    let event = common::entries::open_giveaway(&app, &token, today, 1).await;
    let undrawn = common::entries::open_event(&app, &token, today).await;
    common::entries::end(&app, &token, &undrawn).await;
    let (s, _) = common::entries::enter(
        &app,
        &event,
        common::entries::entry("홍길동", "010-2345-6789"),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    common::entries::end(&app, &token, &event).await;

    let draw = |event: String| {
        let form = [("csrf", csrf.clone()), ("confirmed", "yes".to_owned())];
        let url = format!("{}/events/{event}/draw", app.base);
        let session = session.clone();
        async move {
            client()
                .post(url)
                .header("cookie", session)
                .form(&form)
                .send()
                .await
                .unwrap()
        }
    };
    let page_of = |event: String| {
        let url = format!("{}/events/{event}/draw", app.base);
        let session = session.clone();
        async move {
            let res = client()
                .get(url)
                .header("cookie", session)
                .send()
                .await
                .unwrap();
            res.text().await.unwrap()
        }
    };
    let page = page_of(event.clone()).await;
    assert!(
        page.contains("당첨 1명, 예비 당첨 1명") && !page.contains("winnerCount"),
        "{page}"
    );
    let page = page_of(undrawn.clone()).await;
    assert!(
        page.contains("추첨 인원을 공지하지 않아") && !page.contains("추첨하기"),
        "{page}"
    );
    let refused = draw(undrawn.clone()).await;
    assert_eq!(refused.status(), StatusCode::OK);
    assert!(refused.text().await.unwrap().contains("class=\"error\""));
    let (s, body) = app
        .get(&format!("/api/events/{undrawn}/draws"), &token)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "nothing was drawn: {body}");
    // Drawing cannot be undone: the first press asks, and draws nothing.
    let asked = (client().post(format!("{}/events/{event}/draw", app.base)))
        .header("cookie", &session)
        .form(&[("csrf", csrf.as_str()), ("excludePreviousWinners", "true")])
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), StatusCode::OK);
    let asked = asked.text().await.unwrap();
    assert!(asked.contains("지금 추첨할까요?"), "{asked}");
    assert!(
        asked.contains("name=\"confirmed\" value=\"yes\""),
        "{asked}"
    );
    assert!(
        asked.contains("name=\"excludePreviousWinners\" value=\"true\""),
        "{asked}"
    );
    assert!(asked.contains("이전 이벤트 당첨자는 빼고"), "{asked}");
    let (s, _) = app.get(&format!("/api/events/{event}/draws"), &token).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "asking draws nothing");
    let done = draw(event.clone()).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
}

/// Ending a live event is asked again on its own page; only the confirmed form ends it.
#[tokio::test]
async fn ending_an_event_is_confirmed_first() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (session, csrf) = sign_up(&app, "end@cafe.kr").await;
    let token = app.login("end@cafe.kr", "secret123").await;
    let today = common::entries::seoul_today(chrono::Utc::now());
    let event = common::entries::open_event(&app, &token, today).await;
    let end = |form: Vec<(&'static str, String)>| {
        (client().post(format!("{}/events/{event}/end", app.base)))
            .header("cookie", session.clone())
            .form(&form)
            .send()
    };
    let asked = end(vec![("csrf", csrf.clone())]).await.unwrap();
    assert_eq!(asked.status(), StatusCode::OK);
    let asked = asked.text().await.unwrap();
    assert!(asked.contains("이벤트를 지금 종료할까요?") && asked.contains("다시 열 수 없습니다"));
    assert!(
        asked.contains(&format!("href=\"/events/{event}/status\"")),
        "a way back"
    );
    let (_, still) = app.get(&format!("/api/events/{event}"), &token).await;
    assert_eq!(still["status"], "PUBLISHED");
    let done = end(vec![("csrf", csrf.clone()), ("confirmed", "yes".into())])
        .await
        .unwrap();
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let (_, ended) = app.get(&format!("/api/events/{event}"), &token).await;
    assert_eq!(ended["status"], "ENDED");
}

/// A page's refusal that comes from the API's extractors (an id that is not one) is a Korean
/// page, not JSON.
#[tokio::test]
async fn page_refusals_are_pages() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let res = client()
        .get(format!("{}/e/not-an-event", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let page = res.text().await.unwrap();
    assert!(page.contains("lang=\"ko\""), "{page}");
    // A way back, and the site's icon (no favicon 404 on every page).
    assert!(page.contains("<a href=\"/\">"), "{page}");
    assert!(
        page.contains("rel=\"icon\" href=\"/assets/icon.svg\""),
        "{page}"
    );
    let icon = client()
        .get(format!("{}/assets/icon.svg", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(icon.status(), StatusCode::OK);
    assert_eq!(icon.headers()["content-type"], "image/svg+xml");
}

/// The customise step lists every problem after one submit (an empty name, a start already
/// past, a sum that is not a number, no channel); a draft is deleted only once confirmed; any
/// event can be copied into a new draft; a published event's form is its status page.
#[tokio::test]
async fn drafts_are_told_every_problem_at_once_deleted_on_confirmation_and_copied() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (session, csrf) = sign_up(&app, "drafts@cafe.kr").await;
    let created = create(&app, &session, Some(&csrf)).await;
    let plans = created.headers()["location"].to_str().unwrap().to_owned();
    // Back to the objectives and another click: the untouched draft is reused, not left behind.
    let again = create(&app, &session, Some(&csrf)).await;
    let again = again.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(again.split('?').next(), plans.split('?').next());
    assert_eq!(events_of(&app, &session).await, 1);
    let draft = plans
        .trim_start_matches("/events/")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let post = |path: String, form: Vec<(&'static str, String)>| {
        (client().post(format!("{}{path}", app.base)))
            .header("cookie", session.clone())
            .form(&form)
            .send()
    };
    let yesterday = (chrono::Utc::now() - chrono::Duration::days(2)).date_naive();
    let form = vec![
        ("csrf", csrf.clone()),
        ("name", String::new()),
        ("prizeValue", "삼만원".to_owned()),
        ("startDate", yesterday.to_string()),
        (
            "endDate",
            (yesterday + chrono::Duration::days(10)).to_string(),
        ),
    ];
    let res = post(format!("/events/{draft}/customise"), form)
        .await
        .unwrap();
    let status = res.status();
    let page = res.text().await.unwrap();
    assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
    for (field, said) in [
        ("name", "이벤트 이름을 적어 주세요"),
        ("prizeValue", "숫자만 적어 주세요"),
        ("startDate", "시작일이 이미 지났습니다"),
        ("channels", "채널을 하나 이상 골라 주세요"),
    ] {
        assert!(
            page.contains(&format!("id=\"{field}-error\"")) || page.contains(said),
            "{field}: {page}"
        );
        assert!(page.contains(said), "{said} is not on the page: {page}");
    }

    // Deleting asks first; the confirmed form deletes.
    let asked = post(
        format!("/events/{draft}/delete"),
        vec![("csrf", csrf.clone())],
    )
    .await
    .unwrap();
    assert_eq!(asked.status(), StatusCode::OK);
    assert!(asked.text().await.unwrap().contains("초안을 지울까요?"));
    assert_eq!(events_of(&app, &session).await, 1, "asking deletes nothing");
    let confirmed = vec![("csrf", csrf.clone()), ("confirmed", "yes".to_owned())];
    let deleted = post(format!("/events/{draft}/delete"), confirmed)
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_eq!(events_of(&app, &session).await, 0);

    // A published event: its form leads to its status; its copy is a draft with its words.
    let token = app.login("drafts@cafe.kr", "secret123").await;
    let today = common::entries::seoul_today(chrono::Utc::now());
    let event = common::entries::open_event(&app, &token, today).await;
    let form = (client().get(format!("{}/events/{event}/customise", app.base)))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        form.headers()["location"],
        format!("/events/{event}/status").as_str()
    );
    let copied = post(
        format!("/events/{event}/duplicate"),
        vec![("csrf", csrf.clone())],
    )
    .await
    .unwrap();
    assert_eq!(copied.status(), StatusCode::SEE_OTHER);
    let to = copied.headers()["location"].to_str().unwrap().to_owned();
    let copy = to
        .trim_start_matches("/events/")
        .trim_end_matches("/customise");
    let (_, original) = app.get(&format!("/api/events/{event}"), &token).await;
    let (_, c) = app.get(&format!("/api/events/{copy}"), &token).await;
    assert_eq!(c["status"], "DRAFT");
    assert_eq!(
        c["name"],
        format!("{} (복사)", original["name"].as_str().unwrap()).as_str()
    );
    assert_eq!(c["description"], original["description"]);
    assert!(c["startDate"].is_null(), "new dates: {c}");
    let refused = post(
        format!("/events/{event}/delete"),
        vec![("csrf", csrf), ("confirmed", "yes".into())],
    )
    .await
    .unwrap();
    assert_ne!(
        refused.status(),
        StatusCode::SEE_OTHER,
        "a published event is not deleted"
    );
}
