//! The console over plain HTTP, as a browser without scripts uses it: a client that does not
//! follow redirects, cookies read from `Set-Cookie`, sign-up through the form.

use reqwest::StatusCode;

use super::TestApp;
use super::analytics::attr;

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A cookie's `name=value` from a response's `Set-Cookie` headers, and the header itself.
pub fn cookie(res: &reqwest::Response, name: &str) -> (String, String) {
    let header = (res.headers().get_all("set-cookie").iter())
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie"));
    (header.split(';').next().unwrap().to_owned(), header)
}

/// Signs up through the form: the session cookie and the CSRF token of the next page.
pub async fn sign_up(app: &TestApp, email: &str) -> (String, String) {
    let c = client();
    let page = c.get(format!("{}/home", app.base)).send().await.unwrap();
    let (pre, _) = cookie(&page, "em_form");
    let csrf = attr(&page.text().await.unwrap(), "name=\"csrf\" value=\"", "\"");
    let form = [
        ("csrf", csrf.as_str()),
        ("email", email),
        ("password", "secret123"),
        ("name", "김봄"),
        ("storeName", "카페 봄날"),
        ("industry", "카페"),
        ("address", "서울특별시 마포구 양화로 45"),
    ];
    let res = c
        .post(format!("{}/signup", app.base))
        .header("cookie", &pre)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/events/new");
    let (session, header) = cookie(&res, "em_session");
    assert!(
        header.contains("HttpOnly") && header.contains("SameSite=Lax"),
        "{header}"
    );
    let next = c
        .get(format!("{}/events/new", app.base))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(next.status(), StatusCode::OK);
    let csrf = attr(&next.text().await.unwrap(), "name=\"csrf\" value=\"", "\"");
    (session, csrf)
}

/// The mails in the local sandbox mailbox (`DATA_DIR/sandbox/mail`), oldest first.
pub fn mailbox(app: &TestApp) -> Vec<String> {
    let dir = app.db.dir.path().join("sandbox").join("mail");
    let mut names: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// The link of `route` in the mail, as a path and query on the app (`/password/reset/…?…`).
pub fn link_in(app: &TestApp, mail: &str, route: &str) -> String {
    let start = format!("{}/{route}/", app.base);
    let line = (mail.lines())
        .find(|l| l.starts_with(&start))
        .unwrap_or_else(|| panic!("no {route} link in {mail}"));
    line.trim_start_matches(&app.base).to_owned()
}

/// A page before any session (a mailed link's, the login's): its form cookie and CSRF value.
pub async fn pre_session_form(app: &TestApp, path: &str) -> (String, String, String) {
    let res = client()
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    let (pre, _) = cookie(&res, "em_form");
    let page = res.text().await.unwrap();
    let csrf = attr(&page, "name=\"csrf\" value=\"", "\"");
    (pre, csrf, page)
}
