//! Handler mode's cold start: the binary answers the host's `GET /` as soon as it listens, and
//! checks the database (its first connection, the migrations) right after, off that path. Any
//! other request waits for that check, ten seconds at most (then 503, retry later); a check that
//! fails is logged and tried again, so a database that comes back later heals the instance.

use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::watch;

use crate::adapters::sql::SqlStore;

/// Milliseconds of each start-up step, for the log (`infra/bench-burst` prints them).
pub(super) struct Steps(std::time::Instant);

impl Steps {
    pub(super) fn new() -> Self {
        Self(std::time::Instant::now())
    }

    pub(super) fn next(&mut self) -> String {
        let ms = self.0.elapsed().as_secs_f64() * 1000.0;
        self.0 = std::time::Instant::now();
        format!("{ms:.1}")
    }
}

/// Whether the database has been checked: requests other than `GET /` wait for it.
#[derive(Clone)]
pub struct StoreGate(watch::Receiver<bool>);

/// How long a request waits for the first check of the database.
const WAIT: Duration = Duration::from_secs(10);
/// How long after a failed check the next one starts.
const RETRY: Duration = Duration::from_secs(2);

impl StoreGate {
    /// A store checked before serving (local mode connects and migrates first).
    pub fn open() -> Self {
        Self(watch::channel(true).1)
    }

    /// Checks `store` in the background until it succeeds.
    pub fn check_in_background(store: SqlStore) -> Self {
        let (tx, rx) = watch::channel(false);
        tokio::spawn(async move {
            loop {
                let started = Instant::now();
                match store.ensure_migrated().await {
                    Ok(()) => {
                        let ms = started.elapsed().as_secs_f64() * 1000.0;
                        tracing::info!(
                            connect_and_migrations_ms = format!("{ms:.1}"),
                            "start-up: database checked (first connection, newest migration)"
                        );
                        let _ = tx.send(true);
                        return;
                    }
                    Err(e) => {
                        tracing::error!(error = format!("{e:#}"), "database not ready yet");
                        tokio::time::sleep(RETRY).await;
                    }
                }
            }
        });
        Self(rx)
    }
}

/// Lets a request through once the database is checked (`GET /`, the host's probe, at once).
pub async fn gate(State(gate): State<StoreGate>, req: Request, next: Next) -> Response {
    let ready = *gate.0.borrow();
    if ready || req.uri().path() == "/" {
        return next.run(req).await;
    }
    let mut rx = gate.0.clone();
    let checked = matches!(
        tokio::time::timeout(WAIT, rx.wait_for(|ready| *ready)).await,
        Ok(Ok(_))
    );
    match checked {
        true => next.run(req).await,
        false => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}
