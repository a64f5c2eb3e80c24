//! Test support: a fresh database per test (a SQLite file in a temp folder, or a new database on
//! the PostgreSQL server at `TEST_DATABASE_URL`), and the real app on a random port.
#![allow(dead_code, clippy::unwrap_used)]

pub mod analytics;
pub mod browser;
pub mod channels;
pub mod console;
pub mod entries;
pub mod load;
pub mod passes;
pub mod process;
pub mod publishing;

use std::collections::HashMap;
use std::sync::Arc;

use event_marketing::adapters::sql::SqlStore;
use event_marketing::config::{DatabaseUrl, Settings};
use event_marketing::ports::{Clock, SystemClock};
use event_marketing::startup;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sqlx::Connection;

/// A clock the test moves by hand.
pub struct TestClock(std::sync::Mutex<chrono::DateTime<chrono::Utc>>);

impl TestClock {
    pub fn new() -> Arc<Self> {
        use chrono::SubsecRound;
        Arc::new(Self(std::sync::Mutex::new(
            chrono::Utc::now().trunc_subsecs(6),
        )))
    }
    /// Daytime in Seoul (09:00–18:00), at or after now: Kakao's night rule does not apply, and
    /// tokens issued by it are still valid by the wall clock.
    pub fn daytime() -> Arc<Self> {
        use chrono::{SubsecRound, Timelike};
        let mut t = chrono::Utc::now().trunc_subsecs(6);
        let seoul_hour = |t: chrono::DateTime<chrono::Utc>| (t.hour() + 9) % 24;
        while !(9..18).contains(&seoul_hour(t)) {
            t += chrono::Duration::minutes(30);
        }
        Arc::new(Self(std::sync::Mutex::new(t)))
    }

    pub fn advance(&self, by: chrono::Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for TestClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        *self.0.lock().unwrap()
    }
}

pub const JWT_SECRET: &str = "test-signing-key-test-signing-key-0001";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server tests create their databases on. `infra/test` sets it; the default is
/// the local server. Tests fail (never skip) when it cannot be reached.
pub fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

pub struct TestDb {
    pub url: String,
    pub backend: Backend,
    pub dir: tempfile::TempDir,
    pg_name: Option<String>,
}

impl TestDb {
    pub async fn new(backend: Backend) -> Self {
        let dir = tempfile::tempdir().unwrap();
        match backend {
            Backend::Sqlite => Self {
                url: format!("sqlite://{}", dir.path().join("test.db").display()),
                backend,
                dir,
                pg_name: None,
            },
            Backend::Postgres => {
                let admin = admin_url();
                let name = format!("em_t_{}", uuid::Uuid::new_v4().simple());
                let mut conn = sqlx::PgConnection::connect(&admin)
                    .await
                    .unwrap_or_else(|e| {
                        panic!(
                            "PostgreSQL at TEST_DATABASE_URL is not reachable ({e}); run the tests \
                         with infra/test, which starts it"
                        )
                    });
                // UTF-8 whatever the server's default (a fresh cluster may be SQL_ASCII), as in Azure.
                sqlx::query(&format!(
                    "CREATE DATABASE {name} ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' \
                     TEMPLATE template0"
                ))
                .execute(&mut conn)
                .await
                .unwrap();
                conn.close().await.unwrap();
                let mut url = url::Url::parse(&admin).unwrap();
                url.set_path(&format!("/{name}"));
                Self {
                    url: url.to_string(),
                    backend,
                    dir,
                    pg_name: Some(name),
                }
            }
        }
    }

    pub fn database_url(&self) -> DatabaseUrl {
        DatabaseUrl::parse(&self.url).unwrap()
    }

    /// Runs SQL directly: only for seeding data no use case writes yet.
    pub async fn execute(&self, sql: &str) {
        match self.backend {
            Backend::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
                sqlx::query(sql).execute(&mut c).await.unwrap();
            }
            Backend::Postgres => {
                let mut c = sqlx::PgConnection::connect(&self.url).await.unwrap();
                sqlx::query(sql).execute(&mut c).await.unwrap();
            }
        }
    }

    /// Runs SQL directly and says whether the database accepted it.
    pub async fn try_execute(&self, sql: &str) -> Result<u64, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(&self.url).await?;
                sqlx::query(sql)
                    .execute(&mut c)
                    .await
                    .map(|r| r.rows_affected())
            }
            Backend::Postgres => {
                let mut c = sqlx::PgConnection::connect(&self.url).await?;
                sqlx::query(sql)
                    .execute(&mut c)
                    .await
                    .map(|r| r.rows_affected())
            }
        }
    }

    /// Every value of every row `sql` returns, as text (bytes read as lossy UTF-8): for proving
    /// that something is *not* stored in the clear.
    pub async fn raw_text(&self, sql: &str) -> String {
        use sqlx::Row;
        fn cell<R: sqlx::Row>(row: &R, i: usize) -> String
        where
            for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
            for<'r> Option<Vec<u8>>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
            usize: sqlx::ColumnIndex<R>,
        {
            if let Ok(v) = row.try_get::<Option<String>, _>(i) {
                return v.unwrap_or_default();
            }
            if let Ok(v) = row.try_get::<Option<Vec<u8>>, _>(i) {
                return String::from_utf8_lossy(&v.unwrap_or_default()).into_owned();
            }
            String::new()
        }
        let mut out = String::new();
        match self.backend {
            Backend::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
                for row in sqlx::query(sql).fetch_all(&mut c).await.unwrap() {
                    for i in 0..row.columns().len() {
                        out.push_str(&cell(&row, i));
                        out.push('|');
                    }
                }
            }
            Backend::Postgres => {
                let mut c = sqlx::PgConnection::connect(&self.url).await.unwrap();
                for row in sqlx::query(sql).fetch_all(&mut c).await.unwrap() {
                    for i in 0..row.columns().len() {
                        out.push_str(&cell(&row, i));
                        out.push('|');
                    }
                }
            }
        }
        out
    }

    /// A UUID as a literal of this backend (SQLite stores UUIDs as 16-byte blobs).
    pub fn uuid_literal(&self, id: uuid::Uuid) -> String {
        match self.backend {
            Backend::Sqlite => format!("X'{}'", id.simple()),
            Backend::Postgres => format!("'{id}'"),
        }
    }

    pub async fn store(&self) -> SqlStore {
        SqlStore::connect(&self.database_url(), 2).await.unwrap()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(name) = self.pg_name.take() else {
            return;
        };
        // Best effort; infra/test drops any leftovers at the end of the run.
        let admin = admin_url();
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut conn)
                        .await;
                }
            });
        })
        .join();
    }
}

pub fn settings_for(db: &TestDb, extra: &[(&str, &str)]) -> Settings {
    let mut vars: HashMap<String, String> = HashMap::new();
    vars.insert("DATABASE_URL".into(), db.url.clone());
    vars.insert("JWT_SECRET".into(), JWT_SECRET.into());
    vars.insert("DATA_DIR".into(), db.dir.path().display().to_string());
    vars.insert("DATABASE_MAX_CONNECTIONS".into(), "4".into());
    // Tests invoke the timer functions themselves, when they choose to.
    vars.insert("LOCAL_TIMERS".into(), "false".into());
    // Every request of a test comes from one address: the per-address limits are tested where
    // a test sets them.
    for limit in [
        "LOGIN_RATE_LIMIT_PER_MINUTE",
        "SIGNUP_RATE_LIMIT_PER_MINUTE",
    ] {
        vars.insert(limit.into(), "100000".into());
    }
    for (k, v) in extra {
        vars.insert((*k).into(), (*v).into());
    }
    Settings::from_source(&move |k| vars.get(k).cloned()).unwrap()
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db: TestDb,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, &[], Arc::new(SystemClock)).await
    }

    /// Sends a host-shaped invocation to a non-HTTP function and returns (status, body).
    pub async fn invoke(&self, function: &str, payload: Value) -> (StatusCode, Value) {
        let res = self
            .client
            .post(format!("{}/{function}", self.base))
            .json(&payload)
            .send()
            .await
            .unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        assert!(!text.is_empty(), "the host must never get an empty body");
        (status, serde_json::from_str(&text).unwrap())
    }

    /// Runs the outbox relay as its timer trigger would.
    pub async fn relay(&self) -> String {
        self.timer("outbox-relay").await
    }

    /// Runs a timer function as the host would; the line it logged.
    pub async fn timer(&self, function: &str) -> String {
        let (s, body) = self
            .invoke(
                function,
                json!({"Data": {"timer": {"Schedule": {"AdjustForDST": true}, "ScheduleStatus": null, "IsPastDue": false}},
                       "Metadata": {"sys": {"MethodName": function}}}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        body["Logs"][0].as_str().unwrap().to_owned()
    }

    pub async fn spawn_with(
        backend: Backend,
        extra: &[(&str, &str)],
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self::spawn_with_overrides(
            backend,
            extra,
            startup::Overrides {
                clock: Some(clock),
                ..Default::default()
            },
        )
        .await
    }

    pub async fn spawn_with_overrides(
        backend: Backend,
        extra: &[(&str, &str)],
        overrides: startup::Overrides,
    ) -> Self {
        let db = TestDb::new(backend).await;
        let settings = settings_for(&db, extra);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let app = startup::build_with(&settings, listener, overrides)
            .await
            .unwrap();
        let base = format!("http://{}", app.addr());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(app.run_until(async {
            let _ = rx.await;
        }));
        Self {
            base,
            client: reqwest::Client::new(),
            db,
            shutdown: Some(tx),
        }
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"))
        };
        (status, value)
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, Some(token), None).await
    }
    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, token, Some(body)).await
    }
    pub async fn put(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::PUT, path, Some(token), Some(body)).await
    }
    pub async fn delete(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call(Method::DELETE, path, Some(token), None).await
    }

    /// Signs up an owner with a shop and returns an access token.
    pub async fn owner(&self, email: &str) -> String {
        let (s, body) = self
            .post(
                "/api/auth/signup",
                None,
                json!({
                    "email": email, "password": "secret123", "name": "김봄",
                    "phone": "010-1234-5678",
                    "store": {"name": "카페 봄날", "industry": "카페", "address": "서울특별시 마포구 양화로 45"}
                }),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
        self.login(email, "secret123").await
    }

    pub async fn login(&self, email: &str, password: &str) -> String {
        let (s, body) = self
            .post(
                "/api/auth/login",
                None,
                json!({"email": email, "password": password}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        body["accessToken"].as_str().unwrap().to_owned()
    }

    /// Publishing arrives with distribution; until then tests move an event to PUBLISHED through
    /// the store, with the domain's own `publish` (so its rules still apply).
    pub async fn publish_directly(&self, token: &str, event: &str) {
        use event_marketing::domain::{EventId, UserId};
        use event_marketing::ports::EventStore;
        let (_, me) = self.get("/api/users/me", token).await;
        let owner = UserId(me["userId"].as_str().unwrap().parse().unwrap());
        let store = self.db.store().await;
        let mut e = store
            .event_of_owner(owner, EventId(event.parse().unwrap()))
            .await
            .unwrap()
            .unwrap();
        e.publish(chrono::Utc::now()).unwrap();
        store.save_event(&e).await.unwrap();
    }

    pub async fn draft(&self, token: &str) -> String {
        let (s, body) = self
            .post(
                "/api/events/objectives",
                Some(token),
                json!({"objective": "NEW_CUSTOMERS"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
        body["eventId"].as_str().unwrap().to_owned()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Asserts the error shape and code, and returns the body.
pub fn assert_error(status: StatusCode, body: &Value, want_status: u16, want_code: &str) {
    assert_eq!(status.as_u16(), want_status, "{body}");
    assert_eq!(body["code"], want_code, "{body}");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.chars().any(|c| ('가'..='힣').contains(&c))),
        "message must be Korean: {body}"
    );
    assert!(
        body["requestId"].as_str().is_some_and(|r| !r.is_empty()),
        "{body}"
    );
}

/// Generates one `#[tokio::test]` per backend for each listed `async fn(Backend)`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::common::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::common::Backend::Postgres).await
                }
            )*
        }
    };
}
