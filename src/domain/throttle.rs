//! Login throttling policy: after `max_failures` failed logins for one account inside `window`,
//! further attempts are refused until `lock` has passed. Counting happens in the store (atomic
//! upsert); the decision lives here.

use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub max_failures: u32,
    pub window: Duration,
    pub lock: Duration,
}

impl ThrottlePolicy {
    /// Given the number of failures counted in the current window (including this one), until
    /// when is the account locked, if at all?
    pub fn lock_after_failure(self, failures: u32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        (failures >= self.max_failures).then(|| now + self.lock)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_at_the_threshold() {
        let p = ThrottlePolicy {
            max_failures: 5,
            window: Duration::minutes(15),
            lock: Duration::minutes(15),
        };
        let now = Utc::now();
        assert_eq!(p.lock_after_failure(4, now), None);
        assert_eq!(
            p.lock_after_failure(5, now),
            Some(now + Duration::minutes(15))
        );
    }
}
