//! What an instance keeps in memory for a short while, for any area: a value computed at a
//! version of what it was computed from (a dashboard's parts at a version of the read model,
//! the visitor key of a Seoul day). A value of another version, or one older than the freshness
//! its reader asks for, is not returned; the reader computes it again.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Values kept at most (the memo is emptied past this: it is a cache, not a store).
const CAPACITY: usize = 2_000;

/// What the customers' page of an event is kept under.
pub const PUBLIC_PAGE: &str = "public-event";

type Value = Arc<dyn Any + Send + Sync>;
/// What is kept and which: `("dashboard", event id)`.
type Key = (&'static str, String);

#[derive(Default)]
pub struct Memo {
    entries: Mutex<HashMap<Key, (i64, Instant, Value)>>,
}

impl Memo {
    /// The value kept for `(what, key)` at `version`, if younger than `fresh_for`.
    pub fn get<V: Any + Send + Sync>(
        &self,
        what: &'static str,
        key: &str,
        version: i64,
        fresh_for: Duration,
    ) -> Option<Arc<V>> {
        let map = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let (v, at, value) = map.get(&(what, key.to_owned()))?;
        if *v != version || at.elapsed() >= fresh_for {
            return None;
        }
        value.clone().downcast::<V>().ok()
    }

    pub fn put<V: Any + Send + Sync>(
        &self,
        what: &'static str,
        key: &str,
        version: i64,
        value: Arc<V>,
    ) {
        let mut map = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= CAPACITY {
            map.clear();
        }
        map.insert((what, key.to_owned()), (version, Instant::now(), value));
    }

    /// The event's public page changed (an edit, its end, a poster, a draw, a pass taken from
    /// a first-come cap): this instance's copy (`entries::public_copy`) is forgotten at once.
    pub fn public_page_changed(&self, event: crate::domain::EventId) {
        self.forget(PUBLIC_PAGE, &event.to_string());
    }

    /// Drops what is kept for `(what, key)`: it changed.
    pub fn forget(&self, what: &'static str, key: &str) {
        let mut map = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&(what, key.to_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_returned_only_at_its_version_and_type_while_fresh() {
        let memo = Memo::default();
        memo.put("n", "a", 1, Arc::new(7_i64));
        let long = Duration::from_secs(60);
        assert_eq!(memo.get::<i64>("n", "a", 1, long).as_deref(), Some(&7));
        assert!(memo.get::<i64>("n", "a", 2, long).is_none());
        assert!(memo.get::<String>("n", "a", 1, long).is_none());
        assert!(memo.get::<i64>("n", "a", 1, Duration::ZERO).is_none());
        memo.forget("n", "a");
        assert!(memo.get::<i64>("n", "a", 1, long).is_none());
    }
}
