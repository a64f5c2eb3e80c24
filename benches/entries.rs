//! `cargo bench --bench entries` (or `infra/bench-entries`, which starts PostgreSQL): the
//! release binary on PostgreSQL takes entries over HTTP from an open-loop generator at fixed
//! rates (1k, 5k, 10k/s for 5 s each, every request on its own schedule, latency counted from
//! when it was due, so a slow server cannot slow the generator down). Then, on the same
//! database, pgbench runs single-row `INSERT … ON CONFLICT DO NOTHING` into the same table.
//! Prints entries/s, p50/p99/p99.9 per rate, pgbench's tps and the ratio. Asserts nothing.

#![allow(clippy::unwrap_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::entries::{entry, open_event_of, phone};
use common::process::{ApiClient, Binary, free_port, insert_script, local_env, pgbench_tps};
use common::{Backend, TestDb};

const RATES: [u64; 5] = [1_000, 5_000, 10_000, 15_000, 20_000];
const SECONDS: u64 = 5;
/// Connections the generator keeps open (as wrk2 does). A request due while all are busy waits
/// for one, and that wait counts in its latency: the schedule never slows down.
const CONNECTIONS: usize = 256;

/// Two fields of `/proc/<pid>/stat` (counted after the process name) in seconds, added.
fn stat_seconds(pid: &str, first: usize) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(first) + ticks(first + 1)) / 100.0
}

/// CPU seconds (user + system) used so far by a process.
fn cpu_of(pid: &str) -> f64 {
    stat_seconds(pid, 11)
}

/// CPU seconds of this process's finished children (pgbench).
fn children_cpu() -> f64 {
    stat_seconds("self", 13)
}

/// CPU seconds of every PostgreSQL process.
fn cpu_of_postgres() -> f64 {
    let mut total = 0.0;
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let pid = entry.file_name().to_string_lossy().into_owned();
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        if pid.bytes().all(|b| b.is_ascii_digit()) && comm.trim() == "postgres" {
            total += cpu_of(&pid);
        }
    }
    total
}

/// CPU used by the service, the generator (this process) and PostgreSQL.
#[derive(Clone, Copy)]
struct Cpu {
    service: f64,
    generator: f64,
    postgres: f64,
}

impl Cpu {
    fn now(service: u32) -> Self {
        Self {
            service: cpu_of(&service.to_string()),
            generator: cpu_of("self"),
            postgres: cpu_of_postgres(),
        }
    }

    fn since(self, before: Cpu) -> Cpu {
        Cpu {
            service: self.service - before.service,
            generator: self.generator - before.generator,
            postgres: self.postgres - before.postgres,
        }
    }
}

struct Run {
    rate: u64,
    cpu: Option<Cpu>,
    sent: usize,
    created: usize,
    failed: usize,
    per_second: f64,
    latencies: Vec<Duration>,
}

impl Run {
    fn quantile(&self, q: f64) -> f64 {
        let i = ((self.latencies.len() as f64 - 1.0) * q).round() as usize;
        self.latencies
            .get(i)
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    }
}

/// Sends `rate × SECONDS` entries, each at its own due time, numbered from `first`.
async fn open_loop(client: &reqwest::Client, url: &Arc<String>, rate: u64, first: usize) -> Run {
    let connections = Arc::new(tokio::sync::Semaphore::new(CONNECTIONS));
    let total = (rate * SECONDS) as usize;
    let gap = Duration::from_secs_f64(1.0 / rate as f64);
    let start = Instant::now() + Duration::from_millis(20);
    let mut calls = Vec::with_capacity(total);
    for i in 0..total {
        let due = start + gap * i as u32;
        tokio::time::sleep_until(due.into()).await;
        let (client, url, connections) = (client.clone(), url.clone(), connections.clone());
        calls.push(tokio::spawn(async move {
            let _connection = connections.acquire().await.unwrap();
            let sent = client
                .post(url.as_str())
                .json(&entry("홍길동", &phone(first + i)));
            let status = sent.send().await.map(|r| r.status().as_u16()).unwrap_or(0);
            (status, due.elapsed())
        }));
    }
    let mut run = Run {
        rate,
        cpu: None,
        sent: total,
        created: 0,
        failed: 0,
        per_second: 0.0,
        latencies: Vec::with_capacity(total),
    };
    for call in calls {
        let (status, latency) = call.await.unwrap();
        if status == 201 {
            run.created += 1;
        } else {
            run.failed += 1;
        }
        run.latencies.push(latency);
    }
    run.per_second = run.created as f64 / start.elapsed().as_secs_f64();
    run.latencies.sort();
    run
}

fn print(run: &Run) {
    println!(
        "  {:>6}/s offered: {:>6} sent, {:>6} × 201, {:>5} other | {:>6.0} entries/s | p50 {:>7.2} ms  p99 {:>8.2} ms  p99.9 {:>8.2} ms",
        run.rate,
        run.sent,
        run.created,
        run.failed,
        run.per_second,
        run.quantile(0.50),
        run.quantile(0.99),
        run.quantile(0.999)
    );
    if let Some(cpu) = run.cpu {
        let per_k = |s: f64| s * 1000.0 / run.created.max(1) as f64;
        println!(
            "           CPU per 1000 entries: service {:.3} s, generator {:.3} s, PostgreSQL {:.3} s",
            per_k(cpu.service),
            per_k(cpu.generator),
            per_k(cpu.postgres)
        );
    }
}

/// pgbench's single-row insert into the same table, best of a few client counts.
fn pgbench(db: &TestDb, event: &str) -> (f64, u32) {
    let script = insert_script(db, event);
    let mut best = (0.0, 0);
    for clients in [4u32, 16, 64] {
        let bench_before = children_cpu();
        let out = std::process::Command::new("pgbench")
            .args([
                "-n",
                "-T",
                "5",
                "-j",
                "2",
                "-c",
                &clients.to_string(),
                "-M",
                "prepared",
            ])
            .arg("-f")
            .arg(&script)
            .arg(&db.url)
            .output()
            .expect("pgbench is installed (it comes with the postgresql package)");
        let tps = pgbench_tps(&out).unwrap_or_else(|| {
            panic!(
                "pgbench said: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let per_k = (children_cpu() - bench_before) * 1000.0 / (tps * 5.0);
        println!(
            "  pgbench, {clients:>2} clients: {tps:>6.0} tps | CPU per 1000 rows: pgbench {per_k:.3} s"
        );
        if tps > best.0 {
            best = (tps, clients);
        }
    }
    best
}

#[tokio::main]
async fn main() {
    let db = TestDb::new(Backend::Postgres).await;
    let env = local_env(&db, &[("ENTRY_RATE_LIMIT_PER_MINUTE", "1000000")]);
    let binary = Binary::start(db.dir.path(), free_port(), &env).await;
    let owner = ApiClient::sign_up(&binary.base, "bench@cafe.kr").await;
    let event = open_event_of(&owner).await;
    let url = Arc::new(format!("{}/api/public/events/{event}/entries", binary.base));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS)
        .build()
        .unwrap();
    println!(
        "the release binary on PostgreSQL; {SECONDS} s per rate, open loop over {CONNECTIONS} connections; \
         the generator, the service and PostgreSQL share this machine's {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let warm = open_loop(&client, &url, 500, 10_000_000).await;
    println!("  warm-up: {} entries", warm.created);
    let mut runs = Vec::new();
    for (i, rate) in RATES.into_iter().enumerate() {
        let before = Cpu::now(binary.pid());
        let mut run = open_loop(&client, &url, rate, (i + 1) * 1_000_000).await;
        run.cpu = Some(Cpu::now(binary.pid()).since(before));
        print(&run);
        runs.push(run);
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    binary.kill_9();
    println!("same database, same table:");
    let (tps, clients) = pgbench(&db, &event);
    let best = runs.iter().map(|r| r.per_second).fold(0.0, f64::max);
    let at_5k = runs
        .iter()
        .find(|r| r.rate == 5_000)
        .map_or(f64::NAN, |r| r.quantile(0.99));
    println!(
        "entries/s (best) {best:.0} ÷ pgbench single-row tps {tps:.0} ({clients} clients) = {:.2} (target ≥ 1.4)",
        best / tps
    );
    println!("p99 at 5k/s: {at_5k:.2} ms (target ≤ 15 ms)");
}
