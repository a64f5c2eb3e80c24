//! Owners over HTTP: sign-up, login, tokens, profile, password — on both stores.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{Backend, JWT_SECRET, TestApp, TestClock, assert_error};
use event_marketing::ports::SystemClock;
use reqwest::{Method, StatusCode};
use serde_json::json;

fn signup_body(email: &str) -> serde_json::Value {
    json!({
        "email": email, "password": "secret123", "name": "김봄", "phone": "01012345678",
        "store": {"name": "카페 봄날", "industry": "카페", "address": "서울특별시 마포구 양화로 45"}
    })
}

async fn signup_login_and_profile(b: Backend) {
    let app = TestApp::spawn(b).await;
    let (s, user) = app
        .post("/api/auth/signup", None, signup_body("Owner@Cafe.kr"))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{user}");
    assert_eq!(user["email"], "owner@cafe.kr");
    assert_eq!(user["phone"], "010-1234-5678");
    assert_eq!(user["store"]["name"], "카페 봄날");
    let text = user.to_string();
    assert!(
        !text.contains("argon2") && !text.contains("password"),
        "{text}"
    );

    let (s, login) = app
        .post(
            "/api/auth/login",
            None,
            json!({"email": "owner@cafe.kr", "password": "secret123"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(login["tokenType"], "Bearer");
    assert_eq!(login["expiresIn"], 3600);
    assert_eq!(login["user"]["userId"], user["userId"]);
    let token = login["accessToken"].as_str().unwrap();

    let (s, me) = app.get("/api/users/me", token).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(me["userId"], user["userId"]);

    let (s, me) = app
        .put(
            "/api/users/me",
            token,
            json!({"name": "이봄", "phone": null, "store": {"name": "카페 봄날 2호점", "industry": "카페", "address": "부산광역시 해운대구 우동"}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{me}");
    assert_eq!(me["name"], "이봄");
    assert_eq!(me["phone"], serde_json::Value::Null);
    assert_eq!(me["store"]["address"], "부산광역시 해운대구 우동");
    let (_, again) = app.get("/api/users/me", token).await;
    assert_eq!(again, me);

    let (s, body) = app
        .put("/api/users/me", token, json!({"phone": "02-123"}))
        .await;
    assert_error(s, &body, 400, "REQ_002");
    assert_eq!(body["details"]["field"], "phone");
    let (s, body) = app.put("/api/users/me", token, json!({"name": null})).await;
    assert_error(s, &body, 400, "REQ_002");
    assert_eq!(body["details"]["field"], "name");

    let (s, me) = app
        .put("/api/users/me", token, json!({"store": null}))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(me["store"], serde_json::Value::Null);
    assert_eq!(me["name"], "이봄");
    let (s, body) = app
        .post(
            "/api/events/objectives",
            Some(token),
            json!({"objective": "SALES"}),
        )
        .await;
    assert_error(s, &body, 422, "EVENT_002");
}

async fn duplicate_email_is_409(b: Backend) {
    let app = TestApp::spawn(b).await;
    let (s, _) = app
        .post("/api/auth/signup", None, signup_body("a@cafe.kr"))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, body) = app
        .post("/api/auth/signup", None, signup_body("A@CAFE.KR"))
        .await;
    assert_error(s, &body, 409, "AUTH_004");
}

async fn signup_input_is_validated(b: Backend) {
    let app = TestApp::spawn(b).await;
    let base = json!({"email": "a@cafe.kr", "password": "secret123", "name": "김봄"});
    let with = |changes: serde_json::Value| {
        let mut body = base.clone();
        for (k, v) in changes.as_object().unwrap() {
            match v {
                serde_json::Value::Null => body.as_object_mut().unwrap().remove(k),
                v => body.as_object_mut().unwrap().insert(k.clone(), v.clone()),
            };
        }
        body
    };
    // (changes to a valid body, the field the error names)
    let cases = [
        (json!({"email": "nope"}), "email"),
        (json!({"password": "short1"}), "password"),
        (json!({"password": "onlyletters"}), "password"),
        (json!({"name": " "}), "name"),
        (
            json!({"store": {"name": "카페", "industry": "", "address": "서울"}}),
            "store.industry",
        ),
        // Missing, or of the wrong type: the serde path is reported.
        (json!({"password": null}), "password"),
        (json!({"password": 12345678}), "password"),
        // An unknown field is refused, not ignored.
        (json!({"isAdmin": true}), "isAdmin"),
    ];
    for (changes, field) in cases {
        let (s, err) = app.post("/api/auth/signup", None, with(changes)).await;
        assert_error(s, &err, 400, "REQ_002");
        assert_eq!(err["details"]["field"], field, "{err}");
    }
}

async fn malformed_requests_never_500(b: Backend) {
    let app = TestApp::spawn(b).await;
    let huge = format!("{{\"email\":\"{}\"}}", "a".repeat(200_000));
    let json = "application/json";
    // (body, content type, status, code)
    let cases: [(&[u8], &str, u16, &str); 6] = [
        (b"{\"email\": ", json, 400, "REQ_001"),
        (b"", json, 400, "REQ_001"),
        (b"{} trailing", json, 400, "REQ_001"),
        (b"[1,2]", json, 400, "REQ_002"),
        (b"{\"email\":\"a@b.kr\"}", "text/plain", 415, "REQ_004"),
        (huge.as_bytes(), json, 413, "REQ_003"),
    ];
    for (body, ctype, status, code) in cases {
        let res = app
            .client
            .post(format!("{}/api/auth/signup", app.base))
            .header("content-type", ctype)
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        let s = res.status();
        assert_error(s, &res.json().await.unwrap(), status, code);
    }
    // Unknown routes and methods keep the shape too.
    let (s, e) = app.call(Method::GET, "/api/nothing-here", None, None).await;
    assert_error(s, &e, 404, "COMMON_404");
    let (s, e) = app
        .call(Method::DELETE, "/api/auth/login", None, None)
        .await;
    assert_error(s, &e, 405, "COMMON_405");
}

async fn login_failures_are_indistinguishable_and_throttled(b: Backend) {
    let app = TestApp::spawn_with(
        b,
        &[("LOGIN_MAX_FAILURES", "3"), ("LOGIN_LOCK_SECONDS", "600")],
        Arc::new(SystemClock),
    )
    .await;
    app.owner("a@cafe.kr").await;
    // A wrong password, an unknown email and a malformed one: the same answer.
    let mut answers = Vec::new();
    for email in ["a@cafe.kr", "ghost@cafe.kr", "ghost"] {
        let body = json!({"email": email, "password": "nope1234"});
        let (s, body) = app.post("/api/auth/login", None, body).await;
        assert_error(s, &body, 401, "AUTH_003");
        answers.push(body["message"].clone());
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");
    // Two more failures reach the limit of 3; then even the right password is refused.
    for _ in 0..2 {
        let (s, _) = app
            .post(
                "/api/auth/login",
                None,
                json!({"email": "a@cafe.kr", "password": "bad12345"}),
            )
            .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    let res = app
        .client
        .post(format!("{}/api/auth/login", app.base))
        .json(&json!({"email": "a@cafe.kr", "password": "secret123"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: i64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 600, "{retry}");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_error(StatusCode::TOO_MANY_REQUESTS, &body, 429, "AUTH_005");
    // Other accounts are not affected.
    app.owner("b@cafe.kr").await;
}

async fn the_lock_grows_expires_and_success_resets_the_count(b: Backend) {
    let clock = TestClock::new();
    let limits = [
        ("LOGIN_MAX_FAILURES", "3"),
        ("LOGIN_FIRST_LOCK_SECONDS", "60"),
        ("LOGIN_LOCK_SECONDS", "600"),
    ];
    let app = TestApp::spawn_with(b, &limits, clock.clone()).await;
    app.owner("a@cafe.kr").await; // one successful login: the count starts at zero
    let attempt = |password: &'static str| {
        app.post(
            "/api/auth/login",
            None,
            json!({"email": "a@cafe.kr", "password": password}),
        )
    };
    // Two failures, then a success clears them: three more failures are allowed afterwards.
    for _ in 0..2 {
        assert_eq!(attempt("bad12345").await.0, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(attempt("secret123").await.0, StatusCode::OK);
    for _ in 0..3 {
        assert_eq!(attempt("bad12345").await.0, StatusCode::UNAUTHORIZED);
    }
    // The first round: a minute, not a long lock anyone could impose with three guesses.
    let (s, body) = attempt("secret123").await;
    assert_error(s, &body, 429, "AUTH_005");
    assert_eq!(body["details"]["retryAfterSeconds"], 60);
    clock.advance(chrono::Duration::seconds(59));
    assert_eq!(attempt("secret123").await.0, StatusCode::TOO_MANY_REQUESTS);
    clock.advance(chrono::Duration::seconds(2));
    // Guessing on: the next round lasts twice as long.
    for _ in 0..3 {
        assert_eq!(attempt("bad12345").await.0, StatusCode::UNAUTHORIZED);
    }
    let (s, body) = attempt("secret123").await;
    assert_error(s, &body, 429, "AUTH_005");
    assert_eq!(body["details"]["retryAfterSeconds"], 120);
    clock.advance(chrono::Duration::seconds(121));
    assert_eq!(attempt("secret123").await.0, StatusCode::OK);
}

/// Guesses from one address lock that address out, not the owner: the same account answers
/// from another address (API Management names the caller in `X-Client-Address`).
async fn guesses_lock_out_the_guesser_not_the_owner(b: Backend) {
    let limits = [
        ("LOGIN_MAX_FAILURES", "3"),
        ("TRUST_CLIENT_ADDRESS_HEADER", "true"),
    ];
    let app = TestApp::spawn_with(b, &limits, Arc::new(SystemClock)).await;
    app.owner("a@cafe.kr").await;
    let from = |address: &'static str, password: &'static str| {
        app.client
            .post(format!("{}/api/auth/login", app.base))
            .header("x-client-address", address)
            .json(&json!({"email": "a@cafe.kr", "password": password}))
            .send()
    };
    for _ in 0..3 {
        assert_eq!(from("203.0.113.9", "bad12345").await.unwrap().status(), 401);
    }
    assert_eq!(
        from("203.0.113.9", "secret123").await.unwrap().status(),
        429
    );
    assert_eq!(
        from("198.51.100.7", "secret123").await.unwrap().status(),
        200
    );
}

/// Password spraying (one password tried on many accounts from one address) and probing which
/// emails are registered are slowed per address: 429 with Retry-After past the limit.
async fn spraying_and_probing_are_slowed_per_address(b: Backend) {
    let limits = [
        ("LOGIN_RATE_LIMIT_PER_MINUTE", "5"),
        ("SIGNUP_RATE_LIMIT_PER_MINUTE", "3"),
    ];
    let app = TestApp::spawn_with(b, &limits, Arc::new(SystemClock)).await;
    for n in 0..5 {
        let body = json!({"email": format!("user{n}@cafe.kr"), "password": "spring2026"});
        let (s, _) = app.post("/api/auth/login", None, body).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    let body = json!({"email": "user9@cafe.kr", "password": "spring2026"});
    let (s, body) = app.post("/api/auth/login", None, body).await;
    assert_error(s, &body, 429, "RATE_001");
    for n in 0..3 {
        let body =
            json!({"email": format!("probe{n}@cafe.kr"), "password": "secret123", "name": "김봄"});
        let (s, _) = app.post("/api/auth/signup", None, body).await;
        assert_eq!(s, StatusCode::CREATED);
    }
    let body = json!({"email": "probe9@cafe.kr", "password": "secret123", "name": "김봄"});
    let (s, body) = app.post("/api/auth/signup", None, body).await;
    assert_error(s, &body, 429, "RATE_001");
}

/// Logging out ends every token; the answers of the API are never cached or sniffed.
async fn logout_ends_the_token_and_nothing_is_cached(b: Backend) {
    let app = TestApp::spawn(b).await;
    let token = app.owner("a@cafe.kr").await;
    let res = app
        .client
        .get(format!("{}/api/users/me", app.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    let res = app
        .client
        .post(format!("{}/api/auth/login", app.base))
        .json(&json!({"email": "a@cafe.kr", "password": "secret123"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["cache-control"],
        "no-store",
        "the token's answer"
    );
    let (s, _) = app
        .call(Method::POST, "/api/auth/logout", Some(&token), None)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, body) = app.get("/api/users/me", &token).await;
    assert_error(s, &body, 401, "AUTH_002");
    let again = app.login("a@cafe.kr", "secret123").await;
    let (s, _) = app.get("/api/users/me", &again).await;
    assert_eq!(s, StatusCode::OK, "a new login works");
    let res = app
        .client
        .get(format!("{}/", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
}

fn forge(header: serde_json::Value, claims: serde_json::Value, key: Option<&[u8]>) -> String {
    let h = URL_SAFE_NO_PAD.encode(header.to_string());
    let c = URL_SAFE_NO_PAD.encode(claims.to_string());
    let sig = match key {
        None => String::new(),
        Some(k) => jsonwebtoken::crypto::sign(
            format!("{h}.{c}").as_bytes(),
            &jsonwebtoken::EncodingKey::from_secret(k),
            jsonwebtoken::Algorithm::HS256,
        )
        .unwrap(),
    };
    format!("{h}.{c}.{sig}")
}

async fn tokens_are_checked(b: Backend) {
    let app = TestApp::spawn(b).await;
    let token = app.owner("a@cafe.kr").await;
    let (_, me) = app.get("/api/users/me", &token).await;
    let sub = me["userId"].as_str().unwrap();
    let now = chrono::Utc::now().timestamp();
    let claims = |exp: i64, aud: &str, iss: &str| json!({"sub": sub, "iss": iss, "aud": aud, "iat": now, "exp": exp, "jti": uuid::Uuid::new_v4(), "ver": 1});
    let hs = json!({"alg": "HS256", "typ": "JWT"});
    let good = claims(now + 600, "event-marketing-api", "event-marketing");
    let cases = [
        // alg:none with no signature
        forge(json!({"alg": "none", "typ": "JWT"}), good.clone(), None),
        // expired an hour ago (beyond the leeway)
        jsonwebtoken::encode(
            &jsonwebtoken::Header::default(),
            &claims(now - 3600, "event-marketing-api", "event-marketing"),
            &jsonwebtoken::EncodingKey::from_secret(JWT_SECRET.as_bytes()),
        )
        .unwrap(),
        // wrong audience, wrong issuer, wrong key
        forge(
            hs.clone(),
            claims(now + 600, "someone-else", "event-marketing"),
            Some(JWT_SECRET.as_bytes()),
        ),
        forge(
            hs.clone(),
            claims(now + 600, "event-marketing-api", "evil"),
            Some(JWT_SECRET.as_bytes()),
        ),
        forge(
            hs.clone(),
            good.clone(),
            Some(b"another-key-another-key-another-key!!"),
        ),
        // HS512 with the right key: the algorithm is pinned
        jsonwebtoken::encode(
            &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS512),
            &good,
            &jsonwebtoken::EncodingKey::from_secret(JWT_SECRET.as_bytes()),
        )
        .unwrap(),
        "garbage".to_owned(),
        // the right key and claims, but another token version (before a logout)
        forge(
            hs.clone(),
            {
                let mut other = good.clone();
                other["ver"] = json!(2);
                other
            },
            Some(JWT_SECRET.as_bytes()),
        ),
    ];
    for t in &cases {
        let (s, body) = app.get("/api/users/me", t).await;
        assert_error(s, &body, 401, "AUTH_002");
    }
    // The positive control: a token forged with the right key and claims is accepted, so the
    // refusals above are about what was changed.
    let (s, _) = app
        .get(
            "/api/users/me",
            &forge(hs, good, Some(JWT_SECRET.as_bytes())),
        )
        .await;
    assert_eq!(s, StatusCode::OK);

    let (s, body) = app.call(Method::GET, "/api/users/me", None, None).await;
    assert_error(s, &body, 401, "AUTH_001");
    let res = app
        .client
        .get(format!("{}/api/events", app.base))
        .header("authorization", format!("Basic {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
}

async fn password_change(b: Backend) {
    let app = TestApp::spawn(b).await;
    let token = app.owner("a@cafe.kr").await;
    // (current, new, code, the field named)
    let refused = [
        ("wrong1234", "newsecret456", "AUTH_006", None),
        ("secret123", "short", "REQ_002", Some("newPassword")),
    ];
    for (current, new, code, field) in refused {
        let body = json!({"currentPassword": current, "newPassword": new});
        let (s, body) = app.put("/api/users/me/password", &token, body).await;
        assert_error(s, &body, 400, code);
        if let Some(field) = field {
            assert_eq!(body["details"]["field"], field);
        }
    }
    let (s, _) = app
        .put(
            "/api/users/me/password",
            &token,
            json!({"currentPassword": "secret123", "newPassword": "newsecret456"}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = app
        .post(
            "/api/auth/login",
            None,
            json!({"email": "a@cafe.kr", "password": "secret123"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let fresh = app.login("a@cafe.kr", "newsecret456").await;
    let (s, _) = app.get("/api/users/me", &fresh).await;
    assert_eq!(s, StatusCode::OK);
}

/// Tokens issued before a password change stop working (a stolen token dies with the change).
async fn password_change_voids_older_tokens(b: Backend) {
    let clock = TestClock::new();
    let app = TestApp::spawn_with(b, &[], clock.clone()).await;
    let old = app.owner("a@cafe.kr").await;
    clock.advance(chrono::Duration::seconds(5));
    let (s, _) = app
        .put(
            "/api/users/me/password",
            &old,
            json!({"currentPassword": "secret123", "newPassword": "newsecret456"}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, body) = app.get("/api/users/me", &old).await;
    assert_error(s, &body, 401, "AUTH_002");
    let fresh = app.login("a@cafe.kr", "newsecret456").await;
    assert_eq!(app.get("/api/users/me", &fresh).await.0, StatusCode::OK);
}

async fn request_id_is_echoed(b: Backend) {
    let app = TestApp::spawn(b).await;
    let res = app
        .client
        .get(format!("{}/api/users/me", app.base))
        .header("x-request-id", "trace-abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "trace-abc-123");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["requestId"], "trace-abc-123");
    // An id we cannot trust is replaced by our own.
    let res = app
        .client
        .get(format!("{}/", app.base))
        .header("x-request-id", "bad id with spaces")
        .send()
        .await
        .unwrap();
    let id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
}

on_both_backends!(
    signup_login_and_profile,
    duplicate_email_is_409,
    signup_input_is_validated,
    malformed_requests_never_500,
    login_failures_are_indistinguishable_and_throttled,
    the_lock_grows_expires_and_success_resets_the_count,
    guesses_lock_out_the_guesser_not_the_owner,
    spraying_and_probing_are_slowed_per_address,
    logout_ends_the_token_and_nothing_is_cached,
    tokens_are_checked,
    password_change,
    password_change_voids_older_tokens,
    request_id_is_echoed,
);

/// Two instances on one PostgreSQL database: the second keeps the owner's token version in
/// memory, and still refuses the token as soon as the first one logs the owner out (it hears
/// the database's notice) — and a password changed on the first ends the second's new token too.
#[tokio::test]
async fn a_logout_on_one_instance_ends_the_token_on_every_instance() {
    use common::process::{ApiClient, Binary, free_port, local_env};
    let db = common::TestDb::new(Backend::Postgres).await;
    let env = local_env(&db, &[]);
    let one = Binary::start(db.dir.path(), free_port(), &env).await;
    let other = Binary::start(db.dir.path(), free_port(), &env).await;
    let owner = ApiClient::sign_up(&one.base, "two.instances@cafe.kr").await;
    let elsewhere = owner.at(&other.base);
    let me = |c: &ApiClient| {
        let c = c.clone();
        async move {
            (c.http.get(format!("{}/api/users/me", c.base)))
                .bearer_auth(&c.token)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    // Read twice on the other instance: its version is kept there now.
    assert_eq!(me(&elsewhere).await, StatusCode::OK);
    assert_eq!(me(&elsewhere).await, StatusCode::OK);
    owner.call(Method::POST, "/api/auth/logout", None).await;
    let refused_within = |c: ApiClient| async move {
        let started = std::time::Instant::now();
        while started.elapsed() < std::time::Duration::from_secs(5) {
            if me(&c).await == StatusCode::UNAUTHORIZED {
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        false
    };
    assert!(
        refused_within(elsewhere).await,
        "the other instance still took the token"
    );

    let again = ApiClient::sign_in(&one.base, "two.instances@cafe.kr").await;
    assert_eq!(me(&again.at(&other.base)).await, StatusCode::OK);
    again
        .call(
            Method::PUT,
            "/api/users/me/password",
            Some(json!({"currentPassword": "secret123", "newPassword": "secret456"})),
        )
        .await;
    assert!(refused_within(again.at(&other.base)).await);
}
