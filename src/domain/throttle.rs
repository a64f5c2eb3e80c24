//! Login throttling policy: after `max_failures` failed logins inside `window`, further attempts
//! wait; each lock round waits twice as long as the one before, from `first_lock` up to `lock`.
//! A lock that grows only with continued guessing cannot be used to keep an owner out for long
//! with a handful of wrong passwords. Counting happens in the store (atomic upsert); the
//! decision lives here.

use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub max_failures: u32,
    pub window: Duration,
    /// The first lock round.
    pub first_lock: Duration,
    /// The longest lock round.
    pub lock: Duration,
}

impl ThrottlePolicy {
    /// Given the number of failures counted in the current window, and how many lock rounds
    /// came before, until when is the key locked, if at all?
    pub fn lock_after_failure(
        self,
        failures: u32,
        rounds: u32,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        (failures >= self.max_failures).then(|| now + self.round(rounds))
    }

    /// The length of lock round `rounds` (0-based): doubling from `first_lock`, at most `lock`.
    pub fn round(self, rounds: u32) -> Duration {
        let factor = 1i32.checked_shl(rounds.min(30)).unwrap_or(i32::MAX);
        (self.first_lock * factor).min(self.lock)
    }

    /// The same policy for a key shared by many (an account across every address): `times`
    /// as many failures before its first round.
    pub fn scaled(self, times: u32) -> Self {
        Self {
            max_failures: self.max_failures.saturating_mul(times),
            ..self
        }
    }
}

/// Calls per minute one client address may make, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rates {
    pub entries: u32,
    pub reads: u32,
    pub logins: u32,
    pub signups: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_at_the_threshold() {
        let p = ThrottlePolicy {
            max_failures: 5,
            window: Duration::minutes(15),
            first_lock: Duration::seconds(30),
            lock: Duration::minutes(15),
        };
        let now = Utc::now();
        assert_eq!(p.lock_after_failure(4, 0, now), None);
        assert_eq!(
            p.lock_after_failure(5, 0, now),
            Some(now + Duration::seconds(30))
        );
        assert_eq!(
            p.lock_after_failure(5, 1, now),
            Some(now + Duration::seconds(60))
        );
        assert_eq!(
            p.lock_after_failure(5, 9, now),
            Some(now + Duration::minutes(15))
        );
        assert_eq!(p.round(40), Duration::minutes(15));
        assert_eq!(p.scaled(10).max_failures, 50);
    }
}
