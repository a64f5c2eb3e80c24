//! The real binary as a child process: started with settings, waited for, and killed without
//! warning (`kill -9`), for crash tests.
#![allow(dead_code, clippy::unwrap_used)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub struct Binary {
    pub base: String,
    child: Child,
}

/// The settings of a local run on `db`, and `extra`.
pub fn local_env(db: &super::TestDb, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let dir = db.dir.path().display().to_string();
    let base = [
        ("DATABASE_URL", db.url.as_str()),
        ("JWT_SECRET", super::JWT_SECRET),
        ("DATA_DIR", dir.as_str()),
    ];
    (base.iter().chain(extra))
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// What handler mode requires besides the database and `JWT_SECRET` (test keys, an API
/// Management address).
pub const HANDLER_ENV: [(&str, &str); 4] = [
    ("PUBLIC_BASE_URL", "https://apim-test.azure-api.net"),
    (
        "CHANNEL_SECRET_KEYS",
        "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
    ),
    (
        "PERSONAL_DATA_KEYS",
        "p1:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=",
    ),
    (
        "PHONE_HMAC_KEYS",
        "h1:QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=",
    ),
];

/// The single-row insert pgbench runs: a row of the same table the joins write.
pub fn insert_script(db: &super::TestDb, event: &str) -> std::path::PathBuf {
    let script = db.dir.path().join("insert.sql");
    std::fs::write(
        &script,
        format!(
            "\\set n random(1, 1000000000000)\n\
             INSERT INTO entries (event_id, receipt, leaf, channel, agree_marketing, entered_at, \
             idempotency_key, phone_tag, owner_tag, tag_key_id, data_key_id, name_sealed, \
             phone_sealed) VALUES ('{event}', 'P' || :n, md5(:n::text) || md5(:n::text), NULL, \
             false, now(), NULL, md5('p' || :n) || md5('q' || :n), md5('o' || :n) || md5('r' || :n), \
             'h1', 'p1', decode(md5('n' || :n), 'hex'), decode(md5('m' || :n), 'hex')) \
             ON CONFLICT DO NOTHING;\n"
        ),
    )
    .unwrap();
    script
}

/// The tps pgbench printed, if it did.
pub fn pgbench_tps(out: &std::process::Output) -> Option<f64> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("tps = "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|v| v.parse::<f64>().ok())
}

pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

impl Binary {
    /// `event-marketing serve` on `port` in `dir`, with exactly `env` (no inherited settings).
    pub async fn start(dir: &std::path::Path, port: u16, env: &[(String, String)]) -> Self {
        Self::start_logging(dir, port, env, None).await
    }

    /// Like `start`, with everything the binary prints (at `debug`) written to `log`.
    pub async fn start_logging(
        dir: &std::path::Path,
        port: u16,
        env: &[(String, String)],
        log: Option<&std::path::Path>,
    ) -> Self {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_event-marketing"));
        cmd.args(["serve", "--port", &port.to_string()])
            .current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default());
        match log {
            Some(path) => {
                let file = std::fs::File::create(path).unwrap();
                cmd.env("RUST_LOG", "debug")
                    .stdout(file.try_clone().unwrap())
                    .stderr(file);
            }
            None => {
                cmd.env("RUST_LOG", "warn")
                    .stdout(Stdio::null())
                    .stderr(Stdio::null());
            }
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        let started = Instant::now();
        while client.get(format!("{base}/")).send().await.is_err() {
            if let Some(status) = child.try_wait().unwrap() {
                panic!("the binary exited at start-up ({status}): are its settings valid?");
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the binary did not start"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        Self { base, child }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL: no shutdown, no flush, nothing the process can do about it.
    pub fn kill_9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An owner's client of a running binary.
#[derive(Clone)]
pub struct ApiClient {
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
}

impl ApiClient {
    /// Signs up an owner with a shop and logs in.
    pub async fn sign_up(base: &str, email: &str) -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let signup = json!({"email": email, "password": "secret123", "name": "김봄",
            "store": {"name": "카페 봄날", "industry": "카페", "address": "서울특별시 마포구 양화로 45"}});
        http.post(format!("{base}/api/auth/signup"))
            .json(&signup)
            .send()
            .await
            .unwrap();
        Self::sign_in(base, email).await
    }

    /// Logs in an owner who signed up with the password `secret123`.
    pub async fn sign_in(base: &str, email: &str) -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let login: Value = http
            .post(format!("{base}/api/auth/login"))
            .json(&json!({"email": email, "password": "secret123"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        Self {
            http,
            base: base.to_owned(),
            token: login["accessToken"].as_str().unwrap().to_owned(),
        }
    }

    /// The same owner, at another address (a restarted binary).
    pub fn at(&self, base: &str) -> Self {
        Self {
            base: base.to_owned(),
            ..self.clone()
        }
    }

    /// Calls the API and asserts success.
    pub async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "{path}: {status} {body}");
        body
    }

    /// Polls `path` until `done` holds (a minute at most).
    pub async fn until(&self, path: &str, done: impl Fn(&Value) -> bool) -> Value {
        let started = Instant::now();
        loop {
            let body = self.call(reqwest::Method::GET, path, None).await;
            if done(&body) {
                return body;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{path} never got there: {body:#}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
