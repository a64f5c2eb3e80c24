//! Per-client rate limits (public pages, entries, login, sign-up): a token bucket per client
//! address, in memory. Each instance counts on its own (Azure may run several); API
//! Management's per-address limit in front of the app is the shared one.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use super::AppError;
use crate::domain::throttle::Rates;

/// Buckets kept before idle, full ones are forgotten.
const MAX_TRACKED: usize = 100_000;

pub struct RateLimiter {
    per_minute: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl RateLimiter {
    /// Up to `per_minute` calls in a burst, refilled evenly over a minute.
    pub fn per_minute(per_minute: u32) -> Self {
        Self {
            per_minute: f64::from(per_minute.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one call for `key`; `Err(seconds)` to wait when its bucket is empty.
    pub fn check(&self, key: &str) -> Result<(), u64> {
        self.check_at(key, Instant::now())
    }

    fn check_at(&self, key: &str, now: Instant) -> Result<(), u64> {
        let rate = self.per_minute / 60.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= MAX_TRACKED && !buckets.contains_key(key) {
            let full = self.per_minute;
            buckets.retain(|_, b| b.tokens + rate * now.duration_since(b.at).as_secs_f64() < full);
        }
        let bucket = buckets.entry(key.to_owned()).or_insert(Bucket {
            tokens: self.per_minute,
            at: now,
        });
        let refilled = bucket.tokens + rate * now.duration_since(bucket.at).as_secs_f64();
        bucket.tokens = refilled.min(self.per_minute);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = ((1.0 - bucket.tokens) / rate).ceil();
            // At most a minute, as the limit is per minute.
            Err(wait.clamp(1.0, 60.0) as u64)
        }
    }
}

/// What a caller spends a call of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Entries from one address (`ENTRY_RATE_LIMIT_PER_MINUTE`).
    Entries,
    /// Public page and proof reads (`PUBLIC_RATE_LIMIT_PER_MINUTE`).
    Reads,
    /// Logins (`LOGIN_RATE_LIMIT_PER_MINUTE`): password spraying across accounts is slowed
    /// here, whatever the accounts.
    Logins,
    /// Sign-ups (`SIGNUP_RATE_LIMIT_PER_MINUTE`): probing which emails are registered is
    /// slowed here.
    Signups,
}

/// The limits of the endpoints anyone can call.
pub struct ClientLimits {
    pub entries: RateLimiter,
    pub reads: RateLimiter,
    pub logins: RateLimiter,
    pub signups: RateLimiter,
}

impl ClientLimits {
    /// One call of `limit` taken from `address`'s budget, or `RATE_001` with when to come back.
    pub fn admit(&self, limit: Limit, address: &str) -> Result<(), AppError> {
        let limiter = match limit {
            Limit::Entries => &self.entries,
            Limit::Reads => &self.reads,
            Limit::Logins => &self.logins,
            Limit::Signups => &self.signups,
        };
        (limiter.check(address)).map_err(|retry_after| AppError::RateLimited { retry_after })
    }

    pub fn new(rates: Rates) -> Self {
        Self {
            entries: RateLimiter::per_minute(rates.entries),
            reads: RateLimiter::per_minute(rates.reads),
            logins: RateLimiter::per_minute(rates.logins),
            signups: RateLimiter::per_minute(rates.signups),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_burst_then_an_even_refill_per_client() {
        let l = RateLimiter::per_minute(3);
        let t = Instant::now();
        for _ in 0..3 {
            assert_eq!(l.check_at("1.2.3.4", t), Ok(()));
        }
        assert_eq!(l.check_at("1.2.3.4", t), Err(20));
        assert_eq!(l.check_at("5.6.7.8", t), Ok(()), "each address has its own");
        assert_eq!(l.check_at("1.2.3.4", t + Duration::from_secs(20)), Ok(()));
        assert!(l.check_at("1.2.3.4", t + Duration::from_secs(21)).is_err());
    }
}
