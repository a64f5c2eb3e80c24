//! Cookies, as both doors read and set them: the console's session and counter cookies
//! (`web`), and the OAuth login's browser binding (`http`, whose callback every login comes back
//! to).

use axum::http::{HeaderMap, header};

use crate::app::Services;

/// A cookie's value from the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    (headers.get_all(header::COOKIE).iter())
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// `Set-Cookie` for a value that lives `max_age` seconds (0 deletes it). `Secure` whenever the
/// service is reached over HTTPS (`PUBLIC_BASE_URL`, as in Azure); a browser refuses a Secure
/// cookie from plain `http://127.0.0.1`, which is how `cargo run` is reached.
pub fn set_cookie(
    s: &Services,
    name: &str,
    value: &str,
    max_age: i64,
) -> (header::HeaderName, String) {
    let secure = if s.public_base_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let v = format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}");
    (header::SET_COOKIE, v)
}

/// The cookie that lets only the browser that started a channel's login finish it (as long as
/// the login's state lives).
pub fn oauth_binding(
    s: &Services,
    channel: crate::domain::Channel,
    started: &crate::app::channels::OAuthStarted,
) -> (header::HeaderName, String) {
    let name = crate::app::channels::browser_cookie(channel);
    let max_age = crate::app::channels::OAUTH_STATE_MINUTES * 60;
    set_cookie(s, &name, &started.browser, max_age)
}
