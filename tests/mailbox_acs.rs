//! Owners' mails through Azure Communication Services Email, against a local server that speaks
//! its REST protocol: `POST /emails:send?api-version=2023-03-31`, HMAC-SHA256 signed with the
//! resource's access key (checked here by its own implementation of the scheme), 202 once taken,
//! 429 with `Retry-After` while busy (the retry is the same operation), 4xx refusals.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use common::console::pre_session_form;
use common::{Backend, TestApp};
use event_marketing::adapters::mail::acs::AcsMailer;
use event_marketing::config::{MailSettings, Secret};
use event_marketing::domain::Email;
use event_marketing::ports::{Mail, MailError, Mailer};

const KEY: &[u8] = b"acs-test-access-key-0123456789abcdef";

#[derive(Default)]
struct Acs {
    /// What the service answers next (then 202 for ever).
    script: Mutex<Vec<u16>>,
    /// The mails it took or refused: (Operation-Id, body).
    seen: Mutex<Vec<(String, Value)>>,
}

/// The server side of ACS's HMAC scheme, written from its description: the string to sign is
/// `VERB\npath?query\nx-ms-date;host;x-ms-content-sha256`.
fn signature_holds(headers: &HeaderMap, query: &str, body: &[u8]) -> bool {
    let h = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let hash = STANDARD.encode(Sha256::digest(body));
    if h("x-ms-content-sha256") != hash || h("x-ms-date").is_empty() {
        return false;
    }
    let to_sign = format!(
        "POST\n/emails:send?{query}\n{};{};{hash}",
        h("x-ms-date"),
        h("host")
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(KEY).unwrap();
    mac.update(to_sign.as_bytes());
    let want = format!(
        "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={}",
        STANDARD.encode(mac.finalize().into_bytes())
    );
    h("authorization") == want
}

async fn send(
    State(acs): State<Arc<Acs>>,
    Query(q): Query<std::collections::HashMap<String, String>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let error = |status: StatusCode, code: &str| {
        (
            status,
            axum::Json(json!({"error": {"code": code, "message": "refused by the test"}})),
        )
            .into_response()
    };
    if q.get("api-version").map(String::as_str) != Some("2023-03-31") {
        return error(StatusCode::BAD_REQUEST, "InvalidApiVersion");
    }
    let query = format!("api-version={}", q["api-version"]);
    if !signature_holds(&headers, &query, &body) {
        return error(StatusCode::UNAUTHORIZED, "Denied");
    }
    let operation = (headers.get("operation-id").unwrap().to_str().unwrap()).to_owned();
    acs.seen
        .lock()
        .unwrap()
        .push((operation.clone(), serde_json::from_slice(&body).unwrap()));
    let next = acs.script.lock().unwrap().pop();
    match next {
        Some(429) => {
            let mut res = error(StatusCode::TOO_MANY_REQUESTS, "TooManyRequests");
            res.headers_mut()
                .insert("retry-after", "1".parse().unwrap());
            res
        }
        Some(code) => error(StatusCode::from_u16(code).unwrap(), "InvalidRecipient"),
        None => {
            let location = format!("/emails/operations/{operation}?api-version=2023-03-31");
            let mut res = (
                StatusCode::ACCEPTED,
                axum::Json(json!({"id": operation, "status": "Running"})),
            )
                .into_response();
            res.headers_mut()
                .insert("operation-location", location.parse().unwrap());
            res
        }
    }
}

async fn acs_server() -> (String, Arc<Acs>) {
    let acs = Arc::new(Acs::default());
    let app = axum::Router::new()
        .route("/emails:send", axum::routing::post(send))
        .with_state(acs.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, acs)
}

fn mail() -> Mail {
    Mail {
        to: Email::parse("bom@cafe.kr").unwrap(),
        subject: "[이벤트 마케팅] 이메일 주소를 확인해 주세요".into(),
        text: "본문".into(),
    }
}

fn settings(base: &str, key: &[u8]) -> MailSettings {
    MailSettings {
        endpoint: url::Url::parse(base).unwrap(),
        sender: "DoNotReply@mail.example.kr".into(),
        access_key: Secret::new(STANDARD.encode(key)),
        timeout: std::time::Duration::from_secs(5),
    }
}

#[tokio::test]
async fn a_busy_service_is_asked_again_with_the_same_operation_and_a_refusal_is_not_retried() {
    let (base, acs) = acs_server().await;
    let mailer = AcsMailer::new(settings(&base, KEY)).unwrap();
    acs.script.lock().unwrap().push(429);
    mailer.send(&mail()).await.unwrap();
    {
        let seen = acs.seen.lock().unwrap();
        assert_eq!(seen.len(), 2, "429, then taken");
        assert_eq!(seen[0].0, seen[1].0, "one operation, not two mails");
        let body = &seen[1].1;
        assert_eq!(body["senderAddress"], "DoNotReply@mail.example.kr");
        assert_eq!(body["recipients"]["to"][0]["address"], "bom@cafe.kr");
        assert_eq!(
            body["content"]["subject"],
            "[이벤트 마케팅] 이메일 주소를 확인해 주세요"
        );
        assert_eq!(body["content"]["plainText"], "본문");
    }
    acs.script.lock().unwrap().push(400);
    let refused = mailer.send(&mail()).await.unwrap_err();
    assert!(
        matches!(&refused, MailError::Refused(m) if m.contains("InvalidRecipient")),
        "{refused}"
    );
    assert_eq!(
        acs.seen.lock().unwrap().len(),
        3,
        "a refusal is not sent again"
    );
    // Signed with another key: the service's check refuses it (the check can fail).
    let wrong = AcsMailer::new(settings(&base, b"another-key-another-key")).unwrap();
    let denied = wrong.send(&mail()).await.unwrap_err();
    assert!(
        matches!(&denied, MailError::Refused(m) if m.contains("Denied")),
        "{denied}"
    );
}

#[tokio::test]
async fn sign_up_and_a_reset_mail_go_through_azure_communication_services() {
    let (base, acs) = acs_server().await;
    let key = STANDARD.encode(KEY);
    let env = [
        ("MAIL_ENDPOINT", base.as_str()),
        ("MAIL_SENDER", "DoNotReply@mail.example.kr"),
        ("MAIL_ACCESS_KEY", key.as_str()),
    ];
    let app = TestApp::spawn_with(
        Backend::Postgres,
        &env,
        Arc::new(event_marketing::ports::SystemClock),
    )
    .await;
    app.owner("acs@cafe.kr").await;
    let verify = acs.seen.lock().unwrap()[0].1.clone();
    let text = verify["content"]["plainText"].as_str().unwrap();
    assert!(
        text.contains(&format!("{}/email/verify/", app.base)),
        "{text}"
    );
    assert!(
        !app.db.dir.path().join("sandbox").join("mail").exists(),
        "no sandbox in use"
    );

    // The service refuses the reset mail: the owner is told it was not sent.
    acs.script.lock().unwrap().push(400);
    let (pre, csrf, _) = pre_session_form(&app, "/password/forgot").await;
    let res = (common::console::client().post(format!("{}/password/forgot", app.base)))
        .header("cookie", &pre)
        .form(&[("csrf", csrf.as_str()), ("email", "acs@cafe.kr")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("메일을 보내지 못했습니다")
    );
}
