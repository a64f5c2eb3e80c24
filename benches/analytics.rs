//! `cargo bench --bench analytics` (or `infra/bench-analytics`, which starts PostgreSQL): the
//! release binary on PostgreSQL gets an event with 100,000 entries across six channels (sent
//! over HTTP, counted into the rollups by the analytics worker), then its dashboard is asked
//! for at 1,000 requests/s, open loop (each request on its own schedule; latency counted from
//! when it was due). Side by side, at the same rate: what the dashboard would cost without the
//! rollups, a GROUP BY over the event's entries per request (per channel and Seoul hour), on the
//! same database. Prints p50/p99/p99.9 of each. Asserts nothing; the target is p99 ≤ 20 ms.

#![allow(clippy::unwrap_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;

use common::entries::{entry, open_event_of, phone};
use common::load::{open_loop, report};
use common::process::{ApiClient, Binary, free_port, local_env};
use common::{Backend, TestDb};

const ENTRIES: usize = 100_000;
const SOURCES: [&str; 6] = [
    "INSTAGRAM",
    "NAVER",
    "KAKAO",
    "URIDONGNETV",
    "GINITV",
    "STORE",
];
const RATE: u64 = 1_000;
const SECONDS: u64 = 10;
const CONNECTIONS: usize = 64;

/// 100,000 entries over HTTP, round robin over six sources, at 4,000/s.
async fn fill(base: &str, event: &str) {
    let client = reqwest::Client::new();
    let url = Arc::new(format!("{base}/api/public/events/{event}/entries"));
    let started = Instant::now();
    let (ok, _) = open_loop(4_000, (ENTRIES / 4_000) as u64, CONNECTIONS, |i| {
        let mut body = entry("홍길동", &phone(i));
        body["channel"] = json!(SOURCES[i % SOURCES.len()]);
        let req = client.post(url.as_str()).json(&body);
        async move { req.send().await.is_ok_and(|r| r.status() == 201) }
    })
    .await;
    println!(
        "  {ok} entries written in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[tokio::main]
async fn main() {
    let db = TestDb::new(Backend::Postgres).await;
    let env = local_env(&db, &[("ENTRY_RATE_LIMIT_PER_MINUTE", "1000000")]);
    let binary = Binary::start(db.dir.path(), free_port(), &env).await;
    let owner = ApiClient::sign_up(&binary.base, "bench@cafe.kr").await;
    let event = open_event_of(&owner).await;
    println!(
        "the release binary on PostgreSQL; the generator, the service and PostgreSQL share this \
         machine's {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    fill(&binary.base, &event).await;
    let path = format!("/api/events/{event}/analytics");
    let started = Instant::now();
    loop {
        let d = owner.call(reqwest::Method::GET, &path, None).await;
        if d["totals"]["entries"].as_u64() == Some(ENTRIES as u64) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "rollups incomplete: {}",
            d["totals"]
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    println!(
        "  rollups complete {:.1} s after the last entry",
        started.elapsed().as_secs_f64()
    );

    println!("{RATE} requests/s for {SECONDS} s, open loop, {CONNECTIONS} connections at most:");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS)
        .build()
        .unwrap();
    let url = Arc::new(format!("{}{path}", binary.base));
    let dash = open_loop(RATE, SECONDS, CONNECTIONS, |_| {
        let req = client.get(url.as_str()).bearer_auth(&owner.token);
        async move { req.send().await.is_ok_and(|r| r.status() == 200) }
    })
    .await;
    let p99 = report("GET …/analytics (rollups)", &dash);

    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(CONNECTIONS as u32)
        .connect(&db.url)
        .await
        .unwrap();
    let sql = "SELECT COALESCE(channel, 'DIRECT'), date_trunc('hour', entered_at AT TIME ZONE \
               'Asia/Seoul') AS h, COUNT(*) FROM entries WHERE event_id = $1 GROUP BY 1, 2";
    let id: uuid::Uuid = event.parse().unwrap();
    let direct = open_loop(RATE, SECONDS, CONNECTIONS, |_| {
        let pool = pool.clone();
        async move { sqlx::query(sql).bind(id).fetch_all(&pool).await.is_ok() }
    })
    .await;
    report("SQL GROUP BY over the entries (no rollups)", &direct);
    println!("dashboard p99 {p99:.2} ms (target ≤ 20 ms)");
}
