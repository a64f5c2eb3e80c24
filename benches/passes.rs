//! `cargo bench --bench passes` (or `infra/bench-passes`, which starts PostgreSQL): the release
//! binary on SQLite and on PostgreSQL.
//!
//! 1. First come: a coupon capped at 100, and 1,000 customers joining at the same moment (each
//!    its own connection, all released together). Prints how many got a pass, how many were told
//!    the coupons were gone, and how many passes the database holds — exactly 100 is the target.
//! 2. At the counter: 2,000 passes, each used once at 200 redemptions/s, open loop (latency
//!    counted from when each was due). Side by side, at the same rate, reading the passes alone
//!    (what the redemption costs beyond the read). The target is a redemption p99 ≤ 50 ms.
//!
//! Prints numbers; asserts nothing but that the runs happened.

#![allow(clippy::unwrap_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde_json::{Value, json};

use common::entries::{entry, open_event_with, phone, seoul_today};
use common::load::{open_loop, quantile, report};
use common::process::{ApiClient, Binary, free_port, local_env};
use common::{Backend, TestDb};

const CAP: usize = 100;
const CROWD: usize = 1_000;
const PASSES: usize = 2_000;
const RATE: u64 = 200;
const CONNECTIONS: usize = 64;

fn coupon(cap: Option<usize>) -> Value {
    let until = seoul_today(chrono::Utc::now()) + chrono::Duration::days(30);
    json!({"mechanic": {"type": "COUPON", "benefit": {"kind": "PERCENT", "rate": 20},
        "cap": cap, "validity": {"kind": "UNTIL", "date": until}, "uses": 1}})
}

/// 1,000 joins released at once against a cap of 100.
async fn crowd(db: &TestDb, base: &str, owner: &ApiClient) {
    let event = open_event_with(owner, &["INSTAGRAM"], coupon(Some(CAP))).await;
    let url = Arc::new(format!("{base}/api/public/events/{event}/entries"));
    let gate = Arc::new(tokio::sync::Barrier::new(CROWD));
    let joins = (0..CROWD).map(|n| {
        let (url, gate) = (url.clone(), gate.clone());
        tokio::spawn(async move {
            let client = reqwest::Client::new();
            let req = client.post(url.as_str()).json(&entry("홍길동", &phone(n)));
            gate.wait().await;
            let started = Instant::now();
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            let body: Value = res.json().await.unwrap_or(Value::Null);
            (
                status,
                body["code"].as_str().unwrap_or("").to_owned(),
                started.elapsed(),
            )
        })
    });
    let mut answers = Vec::new();
    for j in futures::future::join_all(joins).await {
        answers.push(j.unwrap());
    }
    let count = |f: &dyn Fn(&(u16, String, std::time::Duration)) -> bool| {
        answers.iter().filter(|a| f(a)).count()
    };
    let passes = count(&|a| a.0 == 201);
    let gone = count(&|a| a.0 == 409 && a.1 == "ENTRY_008");
    let busy = count(&|a| a.0 == 503);
    let id = db.uuid_literal(event.parse().unwrap());
    let sql = format!("SELECT CAST(COUNT(*) AS TEXT) FROM passes WHERE event_id = {id}");
    let stored = db.raw_text(&sql).await.trim_matches('|').to_owned();
    let mut lat: Vec<_> = answers.iter().map(|a| a.2).collect();
    lat.sort();
    println!(
        "  {CROWD} joins at once, cap {CAP}: {passes} passes, {gone} told \"선착순 마감\", {busy} \
         asked to retry (503), {} other | passes stored: {stored} (target exactly {CAP}) | \
         p50 {:.1} ms p99 {:.1} ms",
        CROWD - passes - gone - busy,
        quantile(&lat, 0.5),
        quantile(&lat, 0.99)
    );
}

/// 2,000 passes (joined at 400/s); their codes.
async fn issue(base: &str, owner: &ApiClient) -> Vec<String> {
    let event = open_event_with(owner, &["INSTAGRAM"], coupon(None)).await;
    let client = reqwest::Client::new();
    let url = Arc::new(format!("{base}/api/public/events/{event}/entries"));
    let codes = Arc::new(Mutex::new(Vec::with_capacity(PASSES)));
    let (ok, _) = open_loop(400, (PASSES / 400) as u64, CONNECTIONS, |i| {
        let req = client
            .post(url.as_str())
            .json(&entry("홍길동", &phone(50_000 + i)));
        let codes = codes.clone();
        async move {
            let Ok(res) = req.send().await else {
                return false;
            };
            let body: Value = res.json().await.unwrap_or(Value::Null);
            let code = body["pass"]["code"].as_str().map(str::to_owned);
            code.map(|c| codes.lock().unwrap().push(c)).is_some()
        }
    })
    .await;
    assert_eq!(ok, PASSES, "not every join got its pass");
    Arc::try_unwrap(codes).unwrap().into_inner().unwrap()
}

/// Each pass used once at `RATE`/s, and (side by side) read at the same rate; the p99.
async fn counter(base: &str, owner: &ApiClient, codes: Vec<String>) -> f64 {
    let codes = Arc::new(codes);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS)
        .build()
        .unwrap();
    let seconds = PASSES as u64 / RATE;
    let read = open_loop(RATE, seconds, CONNECTIONS, |i| {
        let req = client.get(format!("{base}/api/public/passes/{}", codes[i]));
        async move { req.send().await.is_ok_and(|r| r.status() == 200) }
    })
    .await;
    let used = open_loop(RATE, seconds, CONNECTIONS, |i| {
        let req = (client.post(format!("{base}/api/passes/{}/acts", codes[i])))
            .bearer_auth(&owner.token)
            .json(&json!({"act": "USE", "spend": 18_000}));
        async move { req.send().await.is_ok_and(|r| r.status() == 201) }
    })
    .await;
    println!("  {RATE}/s for {seconds} s, open loop, {CONNECTIONS} connections at most:");
    report("GET /api/public/passes/{code} (the read)", &read);
    report("POST /api/passes/{code}/acts USE (used once)", &used)
}

async fn run(backend: Backend) {
    let db = TestDb::new(backend).await;
    let limits = [
        ("ENTRY_RATE_LIMIT_PER_MINUTE", "1000000"),
        ("PUBLIC_RATE_LIMIT_PER_MINUTE", "1000000"),
    ];
    let env = local_env(&db, &limits);
    let binary = Binary::start(db.dir.path(), free_port(), &env).await;
    let owner = ApiClient::sign_up(&binary.base, "bench@cafe.kr").await;
    println!("{backend:?}:");
    crowd(&db, &binary.base, &owner).await;
    let codes = issue(&binary.base, &owner).await;
    let p99 = counter(&binary.base, &owner, codes).await;
    println!("  redemption p99 {p99:.2} ms (target ≤ 50 ms)");
}

#[tokio::main]
async fn main() {
    println!(
        "the release binary; the generator, the service and the database share this machine's \
         {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    run(Backend::Sqlite).await;
    run(Backend::Postgres).await;
}
