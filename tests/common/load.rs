//! Load for the benchmarks: calls made open loop (each on its own schedule, latency counted
//! from when it was due, so a slow service cannot slow the generator down and hide it), and
//! their quantiles.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Runs `call` `rate × seconds` times, each at its own due time, at most `connections` at once
/// (a call due while all are busy waits, and that wait counts): (ok, latencies sorted).
pub async fn open_loop<F, Fut>(
    rate: u64,
    seconds: u64,
    connections: usize,
    call: F,
) -> (usize, Vec<Duration>)
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = bool> + Send + 'static,
{
    let slots = Arc::new(tokio::sync::Semaphore::new(connections));
    let total = (rate * seconds) as usize;
    let gap = Duration::from_secs_f64(1.0 / rate as f64);
    let start = Instant::now() + Duration::from_millis(20);
    let mut calls = Vec::with_capacity(total);
    for i in 0..total {
        let due = start + gap * i as u32;
        tokio::time::sleep_until(due.into()).await;
        let (slots, fut) = (slots.clone(), call(i));
        calls.push(tokio::spawn(async move {
            let _slot = slots.acquire().await.unwrap();
            (fut.await, due.elapsed())
        }));
    }
    let mut ok = 0;
    let mut latencies = Vec::with_capacity(total);
    for c in calls {
        let (fine, latency) = c.await.unwrap();
        ok += usize::from(fine);
        latencies.push(latency);
    }
    latencies.sort();
    (ok, latencies)
}

/// The `q` quantile of sorted latencies, in milliseconds.
pub fn quantile(sorted: &[Duration], q: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted.get(i).map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
}

/// Prints one line of a run (ok of all, p50, p99, p99.9); returns the p99.
pub fn report(what: &str, (ok, lat): &(usize, Vec<Duration>)) -> f64 {
    let p99 = quantile(lat, 0.99);
    println!(
        "  {what:<44} {ok:>6}/{:<6} ok | p50 {:>7.2} ms  p99 {p99:>8.2} ms  p99.9 {:>8.2} ms",
        lat.len(),
        quantile(lat, 0.5),
        quantile(lat, 0.999)
    );
    p99
}
