//! Mailed links, as an owner meets them: a forgotten password reset from the sandbox mailbox
//! (single use, every earlier session ended, back on the page asked for), the address check
//! (a button, so a mail scanner opening the link spends nothing), and the sliding session.
#![allow(clippy::unwrap_used)]

mod common;

use reqwest::StatusCode;

use common::console::{client, cookie, link_in, mailbox, pre_session_form, sign_up};
use common::{Backend, TestApp, TestClock};

async fn get(app: &TestApp, path: &str, session: Option<&str>) -> reqwest::Response {
    let mut req = client().get(format!("{}{path}", app.base));
    if let Some(s) = session {
        req = req.header("cookie", s);
    }
    req.send().await.unwrap()
}

async fn post_form(
    app: &TestApp,
    path: &str,
    pre: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    (client().post(format!("{}{path}", app.base)))
        .header("cookie", pre)
        .form(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_forgotten_password_is_reset_from_the_mailbox_and_the_owner_lands_on_the_page_asked_for()
{
    let app = TestApp::spawn(Backend::Postgres).await;
    let (old_session, _) = sign_up(&app, "bom@cafe.kr").await;
    assert_eq!(mailbox(&app).len(), 1, "the address check at sign-up");

    // Signed out, the owner opens a page: the login comes back to it.
    let res = get(&app, "/profile", None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/login?next=%2Fprofile");
    let (_, _, login) = pre_session_form(&app, "/login?next=%2Fprofile").await;
    assert!(
        login.contains("name=\"next\" value=\"/profile\""),
        "{login}"
    );
    assert!(login.contains("/password/forgot?next=/profile"), "{login}");

    // Asking for a reset: the same answer for an address without an account, and no mail.
    let (pre, csrf, _) = pre_session_form(&app, "/password/forgot?next=%2Fprofile").await;
    let form = [
        ("csrf", csrf.as_str()),
        ("email", "nobody@cafe.kr"),
        ("next", "/profile"),
    ];
    let unknown = post_form(&app, "/password/forgot", &pre, &form).await;
    assert_eq!(unknown.status(), StatusCode::OK);
    let unknown = unknown.text().await.unwrap();
    assert_eq!(mailbox(&app).len(), 1);
    let form = [
        ("csrf", csrf.as_str()),
        ("email", "BOM@cafe.kr"),
        ("next", "/profile"),
    ];
    let known = post_form(&app, "/password/forgot", &pre, &form).await;
    assert_eq!(known.status(), StatusCode::OK);
    let said =
        |page: &str| page.contains("주소로 가입된 계정이 있으면 비밀번호 재설정 링크를 보냈습니다");
    assert!(said(&unknown) && said(&known.text().await.unwrap()));
    let mails = mailbox(&app);
    assert_eq!(mails.len(), 2);
    assert!(mails[1].contains("To: bom@cafe.kr") && mails[1].contains("30분"));
    let link = link_in(&app, &mails[1], "password/reset");
    assert!(link.ends_with("?next=%2Fprofile"), "{link}");

    // Opening the link spends nothing; a short password is refused next to its field.
    let (pre, csrf, page) = pre_session_form(&app, &link).await;
    assert!(page.contains("새 비밀번호"), "{page}");
    let path = link.split('?').next().unwrap();
    let (_, again, _) = pre_session_form(&app, &link).await;
    assert!(!again.is_empty());
    let short = [
        ("csrf", csrf.as_str()),
        ("password", "short"),
        ("next", "/profile"),
    ];
    assert_eq!(
        post_form(&app, path, &pre, &short).await.status(),
        StatusCode::BAD_REQUEST
    );
    let good = [
        ("csrf", csrf.as_str()),
        ("password", "newsecret456"),
        ("next", "/profile"),
    ];
    let done = post_form(&app, path, &pre, &good).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(done.headers()["location"], "/profile");
    let (session, _) = cookie(&done, "em_session");

    // Signed in on the page asked for; the mailbox is proved; the old session is over.
    let profile = get(&app, "/profile", Some(&session)).await;
    assert_eq!(profile.status(), StatusCode::OK);
    assert!(profile.text().await.unwrap().contains("(확인됨)"));
    assert_eq!(
        get(&app, "/profile", Some(&old_session)).await.status(),
        StatusCode::SEE_OTHER
    );
    // The link works once.
    let spent = post_form(&app, path, &pre, &good).await;
    assert_eq!(spent.status(), StatusCode::GONE);
    assert!(
        spent
            .text()
            .await
            .unwrap()
            .contains("만료되었거나 이미 사용되었습니다")
    );
    assert_eq!(get(&app, path, None).await.status(), StatusCode::GONE);
    // The new password logs in, the old one does not.
    let login = |password: &'static str| {
        let body = serde_json::json!({"email": "bom@cafe.kr", "password": password});
        app.post("/api/auth/login", None, body)
    };
    assert_eq!(login("secret123").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(login("newsecret456").await.0, StatusCode::OK);
}

#[tokio::test]
async fn the_address_check_is_a_button_a_mail_scanner_cannot_press() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (session, _) = sign_up(&app, "salon@bom.kr").await;
    let unproved = get(&app, "/profile", Some(&session))
        .await
        .text()
        .await
        .unwrap();
    assert!(unproved.contains("(확인 전)") && unproved.contains("확인 메일 다시 보내기"));
    let mails = mailbox(&app);
    assert!(mails[0].contains("To: salon@bom.kr") && mails[0].contains("24시간"));
    let link = link_in(&app, &mails[0], "email/verify");

    // Opened twice (a scanner, then the owner): nothing is spent, nothing is proved.
    pre_session_form(&app, &link).await;
    let (pre, csrf, page) = pre_session_form(&app, &link).await;
    assert!(page.contains("이메일 주소 확인하기"), "{page}");
    let still = get(&app, "/profile", Some(&session))
        .await
        .text()
        .await
        .unwrap();
    assert!(still.contains("(확인 전)"));
    // Pressed: proved, once.
    let done = post_form(&app, &link, &pre, &[("csrf", csrf.as_str())]).await;
    assert_eq!(done.status(), StatusCode::OK);
    assert!(
        done.text()
            .await
            .unwrap()
            .contains("이메일 주소를 확인했습니다")
    );
    let proved = get(&app, "/profile", Some(&session))
        .await
        .text()
        .await
        .unwrap();
    assert!(proved.contains("(확인됨)") && !proved.contains("확인 메일 다시 보내기"));
    let spent = post_form(&app, &link, &pre, &[("csrf", csrf.as_str())]).await;
    assert_eq!(spent.status(), StatusCode::GONE);
    // A link of another shape never reaches the database.
    assert_eq!(
        get(&app, "/email/verify/..%2F..%2Fetc", None)
            .await
            .status(),
        StatusCode::GONE
    );
}

#[tokio::test]
async fn a_look_alike_address_is_refused_and_a_taken_one_points_to_the_reset() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    sign_up(&app, "owner@cafe.kr").await;
    let (pre, csrf, _) = pre_session_form(&app, "/home").await;
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("email", "оwner@cafe.kr"), // a Cyrillic "о"
        ("password", "secret123"),
        ("name", "김봄"),
        ("storeName", "카페 봄날"),
        ("industry", "카페"),
        ("address", "서울특별시 마포구 양화로 45"),
    ];
    let refused = post_form(&app, "/signup", &pre, &form).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("영문, 숫자와 기호로만")
    );
    form[1] = ("email", "owner@cafe.kr");
    let taken = post_form(&app, "/signup", &pre, &form).await;
    assert_eq!(taken.status(), StatusCode::CONFLICT);
    let taken = taken.text().await.unwrap();
    assert!(taken.contains("href=\"/password/forgot\""), "{taken}");
}

#[tokio::test]
async fn a_session_slides_while_the_owner_works_and_ends_twelve_hours_after_login() {
    let clock = TestClock::new();
    let app = TestApp::spawn_with(Backend::Sqlite, &[], clock.clone()).await;
    let (session, csrf) = sign_up(&app, "slide@cafe.kr").await;
    let renewed = |res: &reqwest::Response| {
        (res.headers().get_all("set-cookie").iter())
            .any(|v| v.to_str().unwrap().starts_with("em_session="))
    };
    let fresh = get(&app, "/events", Some(&session)).await;
    assert!(!renewed(&fresh), "a fresh token is kept");

    // Past half of its hour: the page renews it, and says when it ends for the warning.
    clock.advance(chrono::Duration::minutes(40));
    let res = get(&app, "/events", Some(&session)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(renewed(&res));
    let (next, _) = cookie(&res, "em_session");
    let (ends, header) = cookie(&res, "em_session_ends");
    assert!(
        !header.contains("HttpOnly"),
        "the page's script reads it: {header}"
    );
    let ends: i64 = ends.trim_start_matches("em_session_ends=").parse().unwrap();
    let now = event_marketing::ports::Clock::now(&*clock);
    assert_eq!(ends, (now + chrono::Duration::hours(1)).timestamp());
    assert!(
        header.contains("Max-Age=90000"),
        "it outlives the session: {header}"
    );
    // A form on a page from before the renewal still goes through with the renewed session.
    let saved = (client().post(format!("{}/profile", app.base)))
        .header("cookie", &next)
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "김봄"),
            ("storeName", "카페 봄날"),
            ("industry", "카페"),
            ("address", "서울특별시 마포구 양화로 45"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        saved.status(),
        StatusCode::OK,
        "{}",
        saved.text().await.unwrap()
    );
    // Staying signed in from the warning: GET /session.
    clock.advance(chrono::Duration::minutes(40));
    let kept = get(&app, "/session", Some(&next)).await;
    assert_eq!(kept.status(), StatusCode::NO_CONTENT);
    assert!(renewed(&kept));
    assert_eq!(
        get(&app, "/session", None).await.status(),
        StatusCode::UNAUTHORIZED
    );

    // Close to twelve hours after the login the renewed token ends with the session, and after
    // that, however busy the owner is, nothing is renewed.
    let (kept_token, _) = cookie(&kept, "em_session");
    let started = event_marketing::ports::Clock::now(&*clock) - chrono::Duration::minutes(80);
    clock.advance(chrono::Duration::hours(10) + chrono::Duration::minutes(30));
    let near = get(&app, "/session", Some(&kept_token)).await;
    let (last, _) = cookie(&near, "em_session");
    let (ends, _) = cookie(&near, "em_session_ends");
    let ends: i64 = ends.trim_start_matches("em_session_ends=").parse().unwrap();
    assert_eq!(ends, (started + chrono::Duration::hours(12)).timestamp());
    clock.advance(chrono::Duration::hours(2));
    assert!(!renewed(&get(&app, "/events", Some(&last)).await));
}

#[tokio::test]
async fn a_form_sent_after_the_session_ended_comes_back_to_its_page_after_login() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let send = |referer: String| {
        (client().post(format!("{}/profile", app.base)))
            .header("referer", referer)
            .form(&[("csrf", "x"), ("name", "김봄")])
            .send()
    };
    let ours = send(format!("{}/profile?tab=1", app.base)).await.unwrap();
    assert_eq!(ours.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        ours.headers()["location"],
        "/login?next=%2Fprofile%3Ftab%3D1"
    );
    let theirs = send("https://evil.example/profile".to_owned())
        .await
        .unwrap();
    assert_eq!(theirs.headers()["location"], "/login");
    // A next that leaves the site is dropped.
    let (_, _, page) = pre_session_form(&app, "/login?next=%2F%2Fevil.example").await;
    assert!(page.contains("name=\"next\" value=\"\""), "{page}");
}
