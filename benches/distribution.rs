//! `cargo bench --bench distribution`: six channels whose every answer takes 300 ms. One
//! distribution to all six (in parallel) against six single-channel distributions one after
//! another (the sum). Prints numbers; asserts nothing. Uses the protocol servers of the tests.

#![allow(clippy::unwrap_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::Backend;
use common::publishing::{ALL, Fakes, connect_all, publish, ready_event};

const LATENCY: Duration = Duration::from_millis(300);

#[tokio::main]
async fn main() {
    let fakes = Fakes::start().await;
    for faults in [
        &fakes.ig.faults,
        &fakes.naver.faults,
        &fakes.kakao.faults,
        &fakes.kt.faults,
    ] {
        *faults.latency.lock().unwrap() = LATENCY;
    }
    let (app, _) = fakes
        .app(Backend::Sqlite, &[("CHANNEL_TIMEOUT_SECONDS", "10")])
        .await;
    let token = app.owner("bench@cafe.kr").await;
    connect_all(&app, &token).await;
    println!(
        "each channel answers every call after {} ms",
        LATENCY.as_millis()
    );
    println!(
        "calls per post that wait: Instagram 5 (quota, container, status, publish, permalink), others 1"
    );

    let event = ready_event(&app, &token, &ALL).await;
    let started = Instant::now();
    let d = publish(&app, &token, &event).await;
    let parallel = started.elapsed();
    assert_eq!(d["status"], "COMPLETED", "{d:#}");

    let mut sequential = Duration::ZERO;
    for channel in ALL {
        let event = ready_event(&app, &token, &[channel]).await;
        let started = Instant::now();
        let d = publish(&app, &token, &event).await;
        let took = started.elapsed();
        assert_eq!(d["status"], "COMPLETED", "{d:#}");
        println!(
            "  {channel:<12} alone           {:>7.0} ms",
            took.as_secs_f64() * 1e3
        );
        sequential += took;
    }
    println!(
        "six channels, one distribution  {:>7.0} ms",
        parallel.as_secs_f64() * 1e3
    );
    println!(
        "six channels, one after another {:>7.0} ms (the sum)",
        sequential.as_secs_f64() * 1e3
    );
    println!(
        "parallel / sum                  {:>7.2}",
        parallel.as_secs_f64() / sequential.as_secs_f64()
    );
}
