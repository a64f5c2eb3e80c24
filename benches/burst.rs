//! `infra/bench-burst` (`cargo bench --bench burst` on PostgreSQL): the release binary under a
//! TV-spot burst, next to what PostgreSQL itself does on the same server in the same run.
//!
//! 1. Closed loop (every connection sends its next request when the last one is answered, as
//!    wrk does), 5 s per path and connection count: the customer page, the public JSON, the
//!    owner's event read, joins (distinct phones) and the health route; rps and p50/p99/p99.9.
//! 2. pgbench on the same database: `-S` (a primary-key read) and a single-row
//!    `INSERT … ON CONFLICT DO NOTHING`, at the same client counts (as far as the server's
//!    `max_connections` allows), and the ratios to them.
//! 3. A TV-spot: 100,000 viewers from distinct phones within 60 s, open loop (each on its own
//!    schedule, latency counted from when it was due), each loading the page and its view
//!    beacon as a browser does; every fifth joins. Then what was served, joined, stored and
//!    counted, read back from the database.
//! 4. Cold start in handler mode on the migrated database: time to the first answer of `GET /`
//!    (median of 7), each start-up step as the binary logs it, and the idle RSS.
//!
//! `BURST_ONLY=join` (any part of a path's name) runs only those closed loops and the anchors;
//! `BURST_ONLY=cold` only the anchors and the cold start.
//!
//! Prints numbers; asserts nothing (targets live here, not in timed tests).

#![allow(clippy::unwrap_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::entries::{entry, open_event_of, phone};
use common::process::{
    ApiClient, Binary, HANDLER_ENV, free_port, insert_script, local_env, pgbench_tps,
};
use common::{Backend, JWT_SECRET, TestDb};

const SECONDS: u64 = 5;
const VIEWERS: usize = 100_000;
const JOIN_EVERY: usize = 5;
const SPOT_SECONDS: f64 = 60.0;

#[derive(Default)]
struct Run {
    ok: usize,
    other: usize,
    seconds: f64,
    latencies: Vec<Duration>,
}

impl Run {
    fn rps(&self) -> f64 {
        self.ok as f64 / self.seconds
    }

    fn ms(&self, q: f64) -> f64 {
        let i = ((self.latencies.len() as f64 - 1.0) * q).round() as usize;
        self.latencies
            .get(i)
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    }

    fn add(&mut self, status: u16, ok: u16, latency: Duration) {
        if status == ok {
            self.ok += 1;
        } else {
            self.other += 1;
        }
        self.latencies.push(latency);
    }
}

/// Numbers every request of every closed loop: each join's phone is new to the event.
static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A client count, and pgbench's `-S` and single-row insert tps there (or why not).
type Anchor = (usize, Result<f64, String>, Result<f64, String>);

type Make = Arc<dyn Fn(&reqwest::Client, usize) -> reqwest::RequestBuilder + Send + Sync>;

/// `connections` loops, each sending its next request when the last is answered, for SECONDS.
async fn closed_loop(connections: usize, ok: u16, make: Make) -> Run {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()
        .unwrap();
    let start = Instant::now();
    let until = start + Duration::from_secs(SECONDS);
    let loops: Vec<_> = (0..connections)
        .map(|_| {
            let (client, make) = (client.clone(), make.clone());
            tokio::spawn(async move {
                let mut run = Run::default();
                while Instant::now() < until {
                    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
                    let sent = Instant::now();
                    let status = match make(&client, n).send().await {
                        Ok(r) => {
                            let status = r.status().as_u16();
                            let _ = r.bytes().await;
                            status
                        }
                        Err(_) => 0,
                    };
                    run.add(status, ok, sent.elapsed());
                }
                run
            })
        })
        .collect();
    let mut total = Run::default();
    for l in loops {
        let run = l.await.unwrap();
        total.ok += run.ok;
        total.other += run.other;
        total.latencies.extend(run.latencies);
    }
    total.seconds = start.elapsed().as_secs_f64();
    total.latencies.sort();
    total
}

/// pgbench's tps with `args` at `clients` (5 s), or why not.
fn pgbench(db: &TestDb, clients: usize, args: &[&str]) -> Result<f64, String> {
    let out = std::process::Command::new("pgbench")
        .args([
            "-n",
            "-T",
            &SECONDS.to_string(),
            "-j",
            "2",
            "-M",
            "prepared",
        ])
        .args(["-c", &clients.to_string()])
        .args(args)
        .arg(&db.url)
        .output()
        .map_err(|e| format!("pgbench: {e}"))?;
    pgbench_tps(&out).ok_or_else(|| {
        let err = String::from_utf8_lossy(&out.stderr);
        err.lines().last().unwrap_or("no tps").to_owned()
    })
}

struct Path {
    name: &'static str,
    connections: &'static [usize],
    ok: u16,
    make: Make,
    /// The anchor it is compared with: pgbench `-S` (false) or the single-row insert (true).
    writes: bool,
}

fn paths(base: &str, event: &str, owner: &ApiClient) -> Vec<Path> {
    let page = format!("{base}/e/{event}?c=INSTAGRAM");
    let public = format!("{base}/api/public/events/{event}");
    let owned = format!("{base}/api/events/{event}");
    let join = format!("{base}/api/public/events/{event}/entries");
    let root = format!("{base}/");
    let token = owner.token.clone();
    vec![
        Path {
            name: "customer page GET /e/{id}",
            connections: &[16, 64],
            ok: 200,
            make: Arc::new(move |c, n| c.get(&page).header("x-client-address", address(n))),
            writes: false,
        },
        Path {
            name: "public JSON GET /api/public/events/{id}",
            connections: &[16, 64],
            ok: 200,
            make: Arc::new(move |c, n| c.get(&public).header("x-client-address", address(n))),
            writes: false,
        },
        Path {
            name: "owner GET /api/events/{id}",
            connections: &[16, 64],
            ok: 200,
            make: Arc::new(move |c, _| c.get(&owned).bearer_auth(&token)),
            writes: false,
        },
        Path {
            name: "join POST …/entries",
            connections: &[16, 64, 256],
            ok: 201,
            make: Arc::new(move |c, n| {
                c.post(&join)
                    .header("x-client-address", address(n))
                    .json(&entry("홍길동", &phone(1_000_000 + n)))
            }),
            writes: true,
        },
        Path {
            name: "health GET /",
            connections: &[16, 64],
            ok: 200,
            make: Arc::new(move |c, _| c.get(&root)),
            writes: false,
        },
    ]
}

/// A caller's address, as API Management names it: one per simulated phone.
fn address(n: usize) -> String {
    format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255)
}

/// The anchors at each client count: pgbench `-S` and the single-row insert.
fn anchors(db: &TestDb, event: &str) -> Vec<Anchor> {
    let init = std::process::Command::new("pgbench")
        .args(["-i", "-q", "-s", "1"])
        .arg(&db.url)
        .output()
        .unwrap();
    assert!(init.status.success(), "pgbench -i failed");
    let script = insert_script(db, event);
    let script = script.to_str().unwrap();
    [16, 64, 256]
        .into_iter()
        .map(|clients| {
            let read = pgbench(db, clients, &["-S"]);
            let write = pgbench(db, clients, &["-f", script]);
            (clients, read, write)
        })
        .collect()
}

fn tps_text(t: &Result<f64, String>) -> String {
    match t {
        Ok(tps) => format!("{tps:>8.0} tps"),
        Err(why) => format!("not run: {why}"),
    }
}

/// The best anchor at `clients` or fewer (the server may not allow as many clients).
fn anchor_for(anchors: &[Anchor], clients: usize, writes: bool) -> Option<(usize, f64)> {
    (anchors.iter().rev())
        .filter(|(c, ..)| *c <= clients)
        .find_map(|(c, read, write)| {
            let t = if writes { write } else { read };
            t.as_ref().ok().map(|tps| (*c, *tps))
        })
}

async fn closed_loops(
    base: &str,
    event: &str,
    owner: &ApiClient,
) -> Vec<(String, usize, bool, Run)> {
    let mut results = Vec::new();
    let only = std::env::var("BURST_ONLY").unwrap_or_default();
    for path in paths(base, event, owner) {
        if !path.name.contains(only.as_str()) {
            continue;
        }
        // A warm-up, so the first numbers are not of a cold pool or cache.
        closed_loop(4, path.ok, path.make.clone()).await;
        for &connections in path.connections {
            let run = closed_loop(connections, path.ok, path.make.clone()).await;
            println!(
                "  {:<42} {connections:>4} conns {:>8.0} rps  p50 {:>7.2} ms  p99 {:>7.2} ms  p99.9 {:>7.2} ms  ({} other)",
                path.name,
                run.rps(),
                run.ms(0.5),
                run.ms(0.99),
                run.ms(0.999),
                run.other
            );
            results.push((path.name.to_owned(), connections, path.writes, run));
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
    results
}

/// What the TV-spot scenario served, joined and counted.
#[derive(Default)]
struct Spot {
    page: Run,
    beacon: Run,
    join: Run,
    receipts: Vec<String>,
    seconds: f64,
}

/// One viewer: the page, its beacon, and (every fifth) a join; latency from when it was due.
async fn viewer(
    client: reqwest::Client,
    base: Arc<String>,
    event: Arc<String>,
    n: usize,
    due: Instant,
) -> (
    u16,
    Duration,
    u16,
    Duration,
    Option<(u16, Duration, Option<String>)>,
) {
    let agent = format!("Mozilla/5.0 (Linux; Android 14; phone-{n})");
    let get = |path: String| {
        client
            .get(format!("{base}{path}"))
            .header("user-agent", &agent)
            .header("x-client-address", address(n))
            .send()
    };
    let status = |r: Result<reqwest::Response, reqwest::Error>| async move {
        match r {
            Ok(r) => {
                let s = r.status().as_u16();
                (s, r.text().await.unwrap_or_default())
            }
            Err(_) => (0, String::new()),
        }
    };
    let (page, html) = status(get(format!("/e/{event}?c=URIDONGNETV")).await).await;
    let page_latency = due.elapsed();
    let beacon_at = Instant::now();
    let beacon = match beacon_of(&html) {
        Some(src) => status(get(src).await).await.0,
        None => 0,
    };
    let beacon_latency = beacon_at.elapsed();
    let join = if n.is_multiple_of(JOIN_EVERY) {
        let at = Instant::now();
        let res = client
            .post(format!("{base}/api/public/events/{event}/entries"))
            .header("x-client-address", address(n))
            .json(&entry("김하나", &phone(5_000_000 + n)))
            .send()
            .await;
        let (s, body) = status(res).await;
        let receipt = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["receipt"].as_str().map(str::to_owned));
        Some((s, at.elapsed(), receipt))
    } else {
        None
    };
    (page, page_latency, beacon, beacon_latency, join)
}

/// The view beacon's address in a page, as a browser finds it (`<img … src="…">`).
fn beacon_of(html: &str) -> Option<String> {
    let at = html.find("/seen.gif")?;
    let start = html[..at].rfind('"')? + 1;
    let end = at + html[at..].find('"')?;
    Some(html[start..end].replace("&amp;", "&"))
}

async fn tv_spot(base: &str, event: &str) -> Spot {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(512)
        .build()
        .unwrap();
    let connections = Arc::new(tokio::sync::Semaphore::new(512));
    let (base, event) = (Arc::new(base.to_owned()), Arc::new(event.to_owned()));
    let gap = Duration::from_secs_f64(SPOT_SECONDS / VIEWERS as f64);
    let start = Instant::now() + Duration::from_millis(20);
    let mut calls = Vec::with_capacity(VIEWERS);
    for n in 0..VIEWERS {
        let due = start + gap * n as u32;
        tokio::time::sleep_until(due.into()).await;
        let (client, base, event, connections) = (
            client.clone(),
            base.clone(),
            event.clone(),
            connections.clone(),
        );
        calls.push(tokio::spawn(async move {
            let _c = connections.acquire().await.unwrap();
            viewer(client, base, event, n, due).await
        }));
    }
    let mut spot = Spot::default();
    for call in calls {
        let (page, pl, beacon, bl, join) = call.await.unwrap();
        spot.page.add(page, 200, pl);
        spot.beacon.add(beacon, 200, bl);
        if let Some((s, l, receipt)) = join {
            spot.join.add(s, 201, l);
            spot.receipts.extend(receipt.filter(|_| s == 201));
        }
    }
    spot.seconds = start.elapsed().as_secs_f64();
    for run in [&mut spot.page, &mut spot.beacon, &mut spot.join] {
        run.seconds = spot.seconds;
        run.latencies.sort();
    }
    spot
}

/// One number `sql` selects (as text: the raw reader decodes text and bytes only).
async fn count(db: &TestDb, sql: &str) -> i64 {
    let text = db.raw_text(&format!("SELECT CAST(({sql}) AS TEXT)")).await;
    text.trim().trim_end_matches('|').parse().unwrap_or(-1)
}

async fn report_spot(db: &TestDb, event: &str, spot: &Spot) {
    let id = db.uuid_literal(event.parse().unwrap());
    let stored = count(
        db,
        &format!("SELECT COUNT(*) FROM entries WHERE event_id = {id}"),
    )
    .await;
    let receipts: std::collections::BTreeSet<&String> = spot.receipts.iter().collect();
    let listed = receipts
        .iter()
        .map(|r| format!("'{r}'"))
        .collect::<Vec<_>>()
        .join(",");
    let found = if listed.is_empty() {
        0
    } else {
        count(
            db,
            &format!(
                "SELECT COUNT(*) FROM entries WHERE event_id = {id} AND receipt IN ({listed})"
            ),
        )
        .await
    };
    let raw_views = count(db, &format!("SELECT COUNT(*) FROM visits WHERE event_id = {id} AND kind = 'VIEW' AND source = 'URIDONGNETV'")).await;
    // The relay and the analytics catch up within seconds; wait until the rollup stops moving.
    let mut rolled = -1;
    for _ in 0..120 {
        let now = count(db, &format!("SELECT COALESCE(SUM(views), 0) FROM analytics_channels WHERE event_id = {id} AND source = 'URIDONGNETV'")).await;
        if now == raw_views {
            rolled = now;
            break;
        }
        rolled = now;
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let line = |name: &str, r: &Run| {
        println!(
            "  {name:<8} {:>7} answered as hoped, {:>5} other | p50 {:>7.2} ms  p99 {:>7.2} ms  p99.9 {:>8.2} ms",
            r.ok,
            r.other,
            r.ms(0.5),
            r.ms(0.99),
            r.ms(0.999)
        );
    };
    println!(
        "TV-spot: {VIEWERS} viewers from distinct phones in {:.1} s (open loop), every {JOIN_EVERY}th joins",
        spot.seconds
    );
    line("page", &spot.page);
    line("beacon", &spot.beacon);
    line("join", &spot.join);
    println!(
        "  joins acknowledged {} (distinct receipts {}), found stored {found}, entries of the event in all {stored}",
        spot.join.ok,
        receipts.len()
    );
    println!(
        "  views acknowledged {}, counted in visits {raw_views}, in the rollup {rolled}; lost: {} joins, {} views",
        spot.beacon.ok,
        spot.join.ok as i64 - found,
        spot.beacon.ok as i64 - raw_views
    );
}

/// Handler mode on the migrated database: time to the first answer of `GET /`, the start-up
/// steps the binary logs, and the idle RSS.
async fn cold_start(db: &TestDb) {
    let mut ready = Vec::new();
    let mut steps = String::new();
    let mut rss = Vec::new();
    for _ in 0..7 {
        let port = free_port();
        let log = db.dir.path().join("cold.log");
        let file = std::fs::File::create(&log).unwrap();
        let started = Instant::now();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_event-marketing"))
            .current_dir(db.dir.path())
            .env_clear()
            .env("FUNCTIONS_CUSTOMHANDLER_PORT", port.to_string())
            .env("DATABASE_URL", &db.url)
            .env("JWT_SECRET", JWT_SECRET)
            .envs(HANDLER_ENV)
            .env("RUST_LOG", "info")
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .spawn()
            .unwrap();
        let addr = format!("127.0.0.1:{port}");
        let took = loop {
            if let Ok(mut s) = tokio::net::TcpStream::connect(&addr).await {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                let _ = s
                    .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .await;
                let mut buf = Vec::new();
                let _ = s.read_to_end(&mut buf).await;
                if buf.starts_with(b"HTTP/1.1 200") {
                    break started.elapsed();
                }
            }
            assert!(started.elapsed() < Duration::from_secs(30), "never ready");
            tokio::time::sleep(Duration::from_micros(500)).await;
        };
        ready.push(took);
        tokio::time::sleep(Duration::from_secs(1)).await;
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap_or_default();
        rss.push(["VmRSS:", "RssAnon:", "RssFile:"].map(|key| mib(&status, key)));
        child.kill().unwrap();
        child.wait().unwrap();
        steps = std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains("start-up"))
            .map(|l| format!("    {l}\n"))
            .collect();
    }
    ready.sort();
    let median = |i: usize| {
        let mut v: Vec<f64> = rss.iter().map(|r| r[i]).collect();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
    };
    let list: Vec<String> = ready
        .iter()
        .map(|d| format!("{:.1}", d.as_secs_f64() * 1000.0))
        .collect();
    println!(
        "cold start, handler mode on the migrated PostgreSQL database: ready (first answer of GET /) after {:.1} ms median of 7 [{}] (target ≤ 20 ms); idle RSS {:.1} MiB median (target ≤ 15 MiB): {:.1} MiB its own memory (anonymous), {:.1} MiB pages of the binary and libraries mapped from the page cache",
        ready[3].as_secs_f64() * 1000.0,
        list.join(", "),
        median(0),
        median(1),
        median(2)
    );
    println!("  the last start's steps, as the binary logs them:\n{steps}");
}

/// A `/proc/<pid>/status` line's kB in MiB.
fn mib(status: &str, key: &str) -> f64 {
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .unwrap_or_default();
    kb.trim()
        .trim_end_matches("kB")
        .trim()
        .parse::<f64>()
        .unwrap_or(f64::NAN)
        / 1024.0
}

fn ratios(results: &[(String, usize, bool, Run)], anchors: &[Anchor]) {
    println!(
        "ratios to PostgreSQL in the same run (targets: page ≥ 0.5× -S and p99 ≤ 20 ms at 64; joins ≥ 1.0× the insert at 16 and 64; owner read ≥ 0.5× -S):"
    );
    for (name, connections, writes, run) in results {
        let anchor = anchor_for(anchors, *connections, *writes);
        let what = if *writes {
            "single-row insert"
        } else {
            "pgbench -S"
        };
        match anchor {
            Some((clients, tps)) => println!(
                "  {name:<42} {connections:>4} conns: {:>8.0} rps ÷ {what} {clients} clients {tps:>8.0} = {:.2}",
                run.rps(),
                run.rps() / tps
            ),
            None => println!("  {name:<42} {connections:>4} conns: no anchor"),
        }
    }
}

#[tokio::main]
async fn main() {
    let db = TestDb::new(Backend::Postgres).await;
    let env = local_env(
        &db,
        &[
            ("ENTRY_RATE_LIMIT_PER_MINUTE", "1000000"),
            ("PUBLIC_RATE_LIMIT_PER_MINUTE", "1000000"),
            ("TRUST_CLIENT_ADDRESS_HEADER", "true"),
        ],
    );
    let binary = Binary::start(db.dir.path(), free_port(), &env).await;
    let owner = ApiClient::sign_up(&binary.base, "bench@cafe.kr").await;
    let event = open_event_of(&owner).await;
    println!(
        "the release binary on PostgreSQL, local mode; {SECONDS} s per path and connection count, closed loop; \
         the generator, the service and PostgreSQL share this machine's {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let results = closed_loops(&binary.base, &event, &owner).await;
    let everything = std::env::var_os("BURST_ONLY").is_none();
    if everything {
        let spot_event = open_event_of(&owner).await;
        let spot = tv_spot(&binary.base, &spot_event).await;
        report_spot(&db, &spot_event, &spot).await;
    }
    binary.kill_9();
    println!("PostgreSQL on the same server, same database (pgbench, {SECONDS} s each):");
    let anchors = anchors(&db, &event);
    for (clients, read, write) in &anchors {
        println!(
            "  {clients:>4} clients: -S {} | single-row INSERT … ON CONFLICT {}",
            tps_text(read),
            tps_text(write)
        );
    }
    ratios(&results, &anchors);
    if everything || std::env::var("BURST_ONLY").as_deref() == Ok("cold") {
        cold_start(&db).await;
    }
}
