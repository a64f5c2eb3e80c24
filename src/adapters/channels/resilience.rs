//! What every channel client gets: a concurrency limit, a circuit breaker, retries with
//! exponential backoff and jitter (for reads and for posts the channel makes idempotent only),
//! and a way to tell an HTTP failure that certainly sent nothing from one that may have.

use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use rand::Rng;
use tokio::sync::Semaphore;

use crate::domain::connection::ChannelSecret;
use crate::domain::distribution::FailureKind;
use crate::ports::{ChannelClient, Checkpoints, Grant, OAuthError, Outgoing, Posted, Reconciled};

/// Consecutive failures that open the breaker, and how long it stays open.
const BREAKER_THRESHOLD: u32 = 5;
const BREAKER_COOLDOWN: Duration = Duration::from_secs(60);
/// Posts in flight to one channel from one instance.
const CONCURRENCY: usize = 8;

struct Breaker {
    failures: u32,
    open_until: Option<Instant>,
}

/// A channel client behind a concurrency limit and a circuit breaker: after repeated transient
/// failures the channel is not called for a while (posts fail fast as retryable instead of
/// piling up), and one channel's outage never slows another.
pub struct Guarded<C> {
    inner: C,
    permits: Semaphore,
    breaker: Mutex<Breaker>,
}

impl<C> Guarded<C> {
    pub fn new(inner: C) -> Self {
        Self {
            inner,
            permits: Semaphore::new(CONCURRENCY),
            breaker: Mutex::new(Breaker {
                failures: 0,
                open_until: None,
            }),
        }
    }

    fn is_open(&self) -> bool {
        let b = self.breaker.lock().unwrap_or_else(|e| e.into_inner());
        b.open_until.is_some_and(|t| t > Instant::now())
    }

    fn record(&self, posted: &Posted) {
        let failed = matches!(
            posted,
            Posted::Failed {
                kind: FailureKind::Transient,
                ..
            } | Posted::Unknown { .. }
        );
        self.count(failed);
    }

    fn count(&self, failed: bool) {
        let mut b = self.breaker.lock().unwrap_or_else(|e| e.into_inner());
        if failed {
            b.failures += 1;
            if b.failures >= BREAKER_THRESHOLD {
                b.open_until = Some(Instant::now() + BREAKER_COOLDOWN);
                b.failures = 0;
            }
        } else {
            b.failures = 0;
        }
    }
}

#[async_trait]
impl<C: ChannelClient> ChannelClient for Guarded<C> {
    async fn post(&self, out: &Outgoing<'_>, progress: &dyn Checkpoints) -> Posted {
        if self.is_open() {
            return Posted::Failed {
                kind: FailureKind::Transient,
                detail: "circuit open after repeated failures".to_owned(),
            };
        }
        let Ok(_permit) = self.permits.acquire().await else {
            return Posted::Failed {
                kind: FailureKind::Transient,
                detail: "shutting down".to_owned(),
            };
        };
        let posted = self.inner.post(out, progress).await;
        self.record(&posted);
        posted
    }

    async fn reconcile(&self, out: &Outgoing<'_>) -> Reconciled {
        if self.is_open() {
            return Reconciled::StillUnknown("circuit open".to_owned());
        }
        match self.permits.acquire().await {
            Ok(_permit) => self.inner.reconcile(out).await,
            Err(_) => Reconciled::StillUnknown("shutting down".to_owned()),
        }
    }

    fn authorize_url(&self, state: &str, redirect_uri: &str) -> Option<String> {
        self.inner.authorize_url(state, redirect_uri)
    }

    async fn exchange_code(&self, code: &str, redirect_uri: &str) -> Result<Grant, OAuthError> {
        self.inner.exchange_code(code, redirect_uri).await
    }

    async fn refresh(&self, secret: &ChannelSecret) -> Result<Grant, OAuthError> {
        self.inner.refresh(secret).await
    }

    async fn verify(&self, secret: &ChannelSecret) -> Result<(), OAuthError> {
        self.inner.verify(secret).await
    }

    async fn stats(
        &self,
        secret: Option<&ChannelSecret>,
        external_id: &str,
    ) -> Result<Option<serde_json::Value>, String> {
        if self.is_open() {
            return Err("circuit open after repeated failures".to_owned());
        }
        let Ok(_permit) = self.permits.acquire().await else {
            return Err("shutting down".to_owned());
        };
        let read = self.inner.stats(secret, external_id).await;
        self.count(read.is_err());
        read
    }
}

/// One step of a retried call: done, or worth trying again (after the channel's `Retry-After`
/// when it said one).
pub enum Try<T, E> {
    Done(T),
    Again { error: E, after: Option<Duration> },
}

/// Runs `call` up to `attempts` times, waiting 200 ms, 400 ms, 800 ms… (±50 % jitter, or the
/// channel's own `Retry-After` up to 30 s) between tries; the last error when every try failed.
/// Only for calls that are safe to repeat: reads, and posts the channel makes idempotent.
pub async fn retrying<T, E, F, Fut>(attempts: u32, mut call: F) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Try<T, E>>,
{
    let mut n = 0;
    loop {
        match call().await {
            Try::Done(v) => return Ok(v),
            Try::Again { error, .. } if n + 1 >= attempts => return Err(error),
            Try::Again { after, .. } => {
                let base = Duration::from_millis(200 * (1 << n.min(5)));
                let jitter = rand::thread_rng().gen_range(0.5..1.5);
                let wait = after.map_or(base.mul_f64(jitter), |a| a.min(Duration::from_secs(30)));
                tokio::time::sleep(wait).await;
                n += 1;
            }
        }
    }
}

/// Whether a failed request may have reached the channel. A refused connection sent nothing;
/// a timeout or a broken answer may have come after the channel acted.
pub fn may_have_sent(e: &reqwest::Error) -> bool {
    !(e.is_connect() || e.is_builder())
}

/// `Retry-After` in seconds, as channels send it.
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let secs: u64 = headers
        .get("retry-after")?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(secs))
}

/// `base` with `segments` appended, each percent-encoded as one path segment: what an owner
/// entered (an account id, an app key) can never reach another path, a query or a fragment.
pub fn url_with(base: &url::Url, segments: &[&str]) -> String {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url.into()
}

/// An HTTP client with the channel timeout that never follows a redirect: following one would
/// carry the owner's token to wherever it points and turn a write into a GET (a redirect is
/// read by `verdict::Verdict::by_status`).
pub fn http(timeout: Duration) -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .connect_timeout(Duration::from_secs(5).min(timeout))
        .build()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entered_keys_stay_inside_their_path_segment() {
        let base = url::Url::parse("https://partner.example/api/").unwrap();
        let url = url_with(&base, &["v1", "accounts", "../../admin?x=#", "orders", "k"]);
        assert_eq!(
            url,
            "https://partner.example/api/v1/accounts/..%2F..%2Fadmin%3Fx=%23/orders/k"
        );
    }
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test]
    async fn retries_until_done_or_out_of_attempts() {
        let calls = AtomicU32::new(0);
        let done: Result<u32, String> = retrying(3, || async {
            let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
            if n < 3 {
                let error = format!("try {n}");
                Try::Again {
                    error,
                    after: Some(Duration::from_millis(1)),
                }
            } else {
                Try::Done(n)
            }
        })
        .await;
        assert_eq!(done, Ok(3));
        let failed: Result<(), &str> = retrying(2, || async {
            Try::Again {
                error: "down",
                after: Some(Duration::from_millis(1)),
            }
        })
        .await;
        assert_eq!(failed, Err("down"));
    }
}
