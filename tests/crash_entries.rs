//! The real binary under concurrent entry load, killed with `kill -9` and started again: every
//! entry answered 201 is there exactly once, and a client that lost its answer and retries with
//! its Idempotency-Key gets one entry, never two — on both stores.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::entries::{entry, open_event_of, phone};
use common::process::{ApiClient, Binary, free_port, local_env};
use common::{Backend, TestDb};
use serde_json::Value;

const SENDERS: usize = 16;

/// What the load saw: receipts answered 201 (by entrant number), and entrants whose request
/// got no answer.
#[derive(Default)]
struct Seen {
    acked: Mutex<HashMap<usize, String>>,
    lost: Mutex<Vec<usize>>,
}

async fn send(http: &reqwest::Client, base: &str, event: &str, n: usize) -> Option<Value> {
    let res = http
        .post(format!("{base}/api/public/events/{event}/entries"))
        .header("Idempotency-Key", format!("crash-{n}"))
        .json(&entry("홍길동", &phone(n)))
        .send()
        .await
        .ok()?;
    assert_eq!(res.status().as_u16(), 201, "entrant {n}");
    res.json().await.ok()
}

/// `SENDERS` clients entering one after another until one of them loses its answer.
fn load(
    base: &str,
    event: &str,
    seen: &Arc<Seen>,
    stop: &Arc<AtomicBool>,
) -> tokio::task::JoinSet<()> {
    let next = Arc::new(AtomicUsize::new(0));
    let mut senders = tokio::task::JoinSet::new();
    for _ in 0..SENDERS {
        let (base, event) = (base.to_owned(), event.to_owned());
        let (seen, stop, next) = (seen.clone(), stop.clone(), next.clone());
        senders.spawn(async move {
            let http = reqwest::Client::new();
            while !stop.load(Ordering::Relaxed) {
                let n = next.fetch_add(1, Ordering::Relaxed);
                match send(&http, &base, &event, n).await {
                    Some(body) => {
                        let receipt = body["receipt"].as_str().unwrap().to_owned();
                        seen.acked.lock().unwrap().insert(n, receipt);
                    }
                    None => {
                        seen.lost.lock().unwrap().push(n);
                        return;
                    }
                }
            }
        });
    }
    senders
}

/// Every receipt in the owner's CSV, with how often it appears.
async fn stored(c: &ApiClient, event: &str) -> HashMap<String, usize> {
    let res = c
        .http
        .get(format!("{}/api/events/{event}/participants.csv", c.base))
        .bearer_auth(&c.token)
        .send()
        .await
        .unwrap();
    let text = res.text().await.unwrap();
    let mut counts = HashMap::new();
    for line in text.split("\r\n").skip(1).filter(|l| !l.is_empty()) {
        *counts
            .entry(line.rsplit(',').next().unwrap().to_owned())
            .or_default() += 1;
    }
    counts
}

async fn killed_under_entry_load(b: Backend) {
    let db = TestDb::new(b).await;
    let port = free_port();
    let env = local_env(&db, &[("ENTRY_RATE_LIMIT_PER_MINUTE", "1000000")]);
    let first = Binary::start(db.dir.path(), port, &env).await;
    let c = ApiClient::sign_up(&first.base, "crash-entries@cafe.kr").await;
    let event = open_event_of(&c).await;

    let seen = Arc::new(Seen::default());
    let stop = Arc::new(AtomicBool::new(false));
    let mut senders = load(&first.base, &event, &seen, &stop);
    let started = Instant::now();
    while seen.acked.lock().unwrap().len() < 300 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the load never got going"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    first.kill_9();
    stop.store(true, Ordering::Relaxed);
    while senders.join_next().await.is_some() {}

    let second = Binary::start(db.dir.path(), port, &env).await;
    let c = c.at(&second.base);
    let acked = seen.acked.lock().unwrap().clone();
    let counts = stored(&c, &event).await;
    for (n, receipt) in &acked {
        assert_eq!(
            counts.get(receipt),
            Some(&1),
            "entrant {n}: answered 201, stored once"
        );
    }
    assert!(counts.values().all(|c| *c == 1));
    // Entries in flight at the kill: committed or not, a retry with the same key makes one.
    let lost = seen.lost.lock().unwrap().clone();
    assert!(!lost.is_empty(), "the kill came mid-load");
    let http = reqwest::Client::new();
    for n in &lost {
        send(&http, &second.base, &event, *n)
            .await
            .expect("answered after the restart");
    }
    let after = stored(&c, &event).await;
    assert!(after.values().all(|c| *c == 1), "no entry twice");
    assert_eq!(after.len(), acked.len() + lost.len(), "every entrant once");
    second.kill_9();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_under_entry_load_on_sqlite() {
    killed_under_entry_load(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_under_entry_load_on_postgres() {
    killed_under_entry_load(Backend::Postgres).await;
}
