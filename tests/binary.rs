//! The real binary: `--help`, `openapi`, settings errors, and the Azure Functions custom-handler
//! mode (readiness probe on `GET /`, forwarded `/api` routes, no personal data in its logs), and
//! customers' entries, which leave no name or phone number in the logs either.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::process::HANDLER_ENV;
use common::{Backend, JWT_SECRET, TestDb};
use serde_json::{Value, json};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_event-marketing"));
    c.env_remove("FUNCTIONS_CUSTOMHANDLER_PORT")
        .env_remove("DATABASE_URL")
        .env_remove("JWT_SECRET")
        .env_remove("RUST_LOG");
    c
}

#[test]
fn help_lists_the_subcommands() {
    let out = bin().arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for sub in ["serve", "migrate", "openapi", "verify-draw"] {
        assert!(text.contains(sub), "{text}");
    }
}

#[test]
fn openapi_prints_an_openapi_3_document() {
    let out = bin().arg("openapi").output().unwrap();
    assert!(out.status.success());
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"]["/api/events/{eventId}"]["put"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[test]
fn bad_settings_stop_start_up_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .current_dir(dir.path())
        .env("DATABASE_URL", "mysql://root@localhost/db")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("DATABASE_URL") && err.contains("mysql"),
        "{err}"
    );

    let out = bin()
        .current_dir(dir.path())
        .env("FUNCTIONS_CUSTOMHANDLER_PORT", "7071")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("JWT_SECRET"), "{err}");
}

#[test]
fn migrate_applies_and_exits() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .current_dir(dir.path())
        .env("DATABASE_URL", "sqlite://m.db")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(dir.path().join("m.db").exists());
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Polls `GET /` as the Functions host does (every 25 ms), up to its 30 s start-up limit.
async fn wait_ready(client: &reqwest::Client, base: &str) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        if client.get(format!("{base}/")).send().await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("handler did not answer GET / within 30 s");
}

async fn handler_mode(backend: Backend) {
    let db = TestDb::new(backend).await;
    let port = free_port();
    let mut child = bin()
        .current_dir(db.dir.path())
        .env("FUNCTIONS_CUSTOMHANDLER_PORT", port.to_string())
        .env("DATABASE_URL", &db.url)
        .env("JWT_SECRET", JWT_SECRET)
        .envs(HANDLER_ENV)
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read while it runs: a full pipe would block the handler's next log line (and its request).
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut out = String::new();
            pipe.read_to_string(&mut out).unwrap();
            out
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    wait_ready(&client, &base).await;

    let root: Value = client
        .get(format!("{base}/"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(root["mode"], "functions");

    // Forwarded requests arrive at their original /api paths.
    let res = client
        .post(format!("{base}/api/auth/signup"))
        .json(&json!({
            "email": "secret.owner@cafe.kr", "password": "secret123", "name": "홍길동",
            "phone": "010-9876-5432",
            "store": {"name": "카페 봄날", "industry": "카페", "address": "서울특별시 마포구"}
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let login: Value = client
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"email": "secret.owner@cafe.kr", "password": "secret123"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["accessToken"].as_str().unwrap();
    let created = client
        .post(format!("{base}/api/events/objectives"))
        .bearer_auth(token)
        .json(&json!({"objective": "인지도 향상"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let bad_login = client
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"email": "secret.owner@cafe.kr", "password": "wrong-pass-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_login.status(), 401);

    child.kill().unwrap();
    child.wait().unwrap();
    let (stdout, stderr) = (stdout.join().unwrap(), stderr.join().unwrap());
    let logs = format!("{stdout}{stderr}");
    assert!(
        logs.contains("request finished"),
        "logs were captured: {logs}"
    );
    // One JSON object per line in handler mode.
    for line in stdout.lines().filter(|l| !l.trim().is_empty()) {
        assert!(
            serde_json::from_str::<Value>(line).is_ok(),
            "not JSON: {line}"
        );
    }
    for personal in [
        "secret.owner",
        "홍길동",
        // The phone's middle and last blocks together, in any form it could be written (four
        // digits alone also turn up by chance in ids and timestamps).
        "9876-5432",
        "98765432",
        "secret123",
        "wrong-pass-1",
        token,
    ] {
        assert!(
            !logs.contains(personal),
            "'{personal}' leaked into the logs"
        );
    }
}

#[tokio::test]
async fn handler_mode_on_sqlite() {
    handler_mode(Backend::Sqlite).await;
}

#[tokio::test]
async fn handler_mode_on_postgres() {
    handler_mode(Backend::Postgres).await;
}

/// The host's probe is answered before the database is reached (the cold start waits on no
/// connection); the other requests wait for the database's check, and without a database get
/// the API's 503 — the instance keeps trying instead of exiting.
#[tokio::test]
async fn handler_mode_answers_the_host_before_the_database_is_reached() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let closed = free_port();
    let mut child = bin()
        .current_dir(dir.path())
        .env("FUNCTIONS_CUSTOMHANDLER_PORT", port.to_string())
        .env(
            "DATABASE_URL",
            format!("postgres://em:em@127.0.0.1:{closed}/none"),
        )
        .env("JWT_SECRET", JWT_SECRET)
        .envs(HANDLER_ENV)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    wait_ready(&client, &base).await;
    let root = client.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(root.status(), 200);
    let res = client
        .get(format!("{base}/api/events"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 503);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "COMMON_503", "{body}");
    assert!(
        child.try_wait().unwrap().is_none(),
        "the instance keeps running"
    );
    child.kill().unwrap();
    let _ = child.wait();
}

/// Customers' names and numbers never reach the logs, whatever happens to their entry.
async fn entries_leave_no_personal_data_in_the_logs(backend: Backend) {
    use common::entries::{entry, open_event_of};
    use common::process::{ApiClient, Binary, local_env};
    let db = TestDb::new(backend).await;
    let env = local_env(&db, &[]);
    let log = db.dir.path().join("binary.log");
    let binary = Binary::start_logging(db.dir.path(), free_port(), &env, Some(&log)).await;
    let owner = ApiClient::sign_up(&binary.base, "logs@cafe.kr").await;
    let event = open_event_of(&owner).await;
    let url = format!("{}/api/public/events/{event}/entries", binary.base);
    let http = reqwest::Client::new();
    let mut bad_phone = entry("김비밀", "010-8765-432");
    bad_phone["agreeMarketing"] = json!(true);
    for (body, want) in [
        (entry("김비밀", "010-8765-4321"), 201),
        (entry("김비밀", "+82 10 8765 4321"), 409),
        (bad_phone, 400),
    ] {
        let res = http.post(&url).json(&body).send().await.unwrap();
        assert_eq!(res.status().as_u16(), want);
    }
    let list = format!("/api/events/{event}/participants");
    let listed = owner.call(reqwest::Method::GET, &list, None).await;
    assert_eq!(listed["items"][0]["name"], "김*밀");
    binary.kill_9();
    let logs = std::fs::read_to_string(&log).unwrap();
    assert!(logs.contains("entry written"), "logs were captured: {logs}");
    for personal in [
        "김비밀",
        "8765-4321",
        "87654321",
        "+821087654321",
        "8765-432",
    ] {
        assert!(
            !logs.contains(personal),
            "'{personal}' leaked into the logs"
        );
    }
}

#[tokio::test]
async fn entries_leave_no_personal_data_in_the_logs_on_sqlite() {
    entries_leave_no_personal_data_in_the_logs(Backend::Sqlite).await;
}

#[tokio::test]
async fn entries_leave_no_personal_data_in_the_logs_on_postgres() {
    entries_leave_no_personal_data_in_the_logs(Backend::Postgres).await;
}
