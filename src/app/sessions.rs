//! The owners' token versions, kept in memory so that an owner's request does not read its
//! version from the database each time — and still refused at once after a logout or a
//! password change: this instance forgets the owner's version when it ends their sessions, and
//! every instance when the store's feed says another did (`SessionFeed`: PostgreSQL's
//! `NOTIFY`). A version is trusted only while the feed is heard (on SQLite, one process, always);
//! when it is cut everything is forgotten until it is heard again. A version read while a
//! session ended meanwhile is not kept (the epoch moved).

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::domain::UserId;
use crate::ports::{SessionFeed, SessionNews};

/// Owners kept at most (emptied past this: it is a cache).
const CAPACITY: usize = 10_000;

pub struct TokenVersions {
    known: Mutex<HashMap<UserId, i64>>,
    /// Moves with everything forgotten.
    epoch: AtomicU64,
    /// Ended sessions are heard now.
    heard: AtomicBool,
}

impl TokenVersions {
    /// `heard`: no other instance can end a session unheard (one process on SQLite).
    pub fn new(heard: bool) -> Self {
        Self {
            known: Mutex::default(),
            epoch: AtomicU64::new(0),
            heard: AtomicBool::new(heard),
        }
    }

    /// The owner's version, if kept and trusted.
    pub fn get(&self, user: UserId) -> Option<i64> {
        if !self.heard.load(Ordering::Acquire) {
            return None;
        }
        self.lock().get(&user).copied()
    }

    /// The epoch to hand to `put` with a version read from the store after this call.
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Keeps a version read from the store, unless anything was forgotten since `epoch`.
    pub fn put(&self, user: UserId, version: i64, epoch: u64) {
        let mut known = self.lock();
        if self.epoch() != epoch || !self.heard.load(Ordering::Acquire) {
            return;
        }
        if known.len() >= CAPACITY {
            known.clear();
        }
        known.insert(user, version);
    }

    /// The owner's sessions ended: their version is read again.
    pub fn ended(&self, user: UserId) {
        let mut known = self.lock();
        self.epoch.fetch_add(1, Ordering::AcqRel);
        known.remove(&user);
    }

    fn hear(&self, news: SessionNews) {
        match news {
            SessionNews::Listening => self.heard.store(true, Ordering::Release),
            SessionNews::Ended(user) => self.ended(user),
            SessionNews::Interrupted => {
                let mut known = self.lock();
                self.heard.store(false, Ordering::Release);
                self.epoch.fetch_add(1, Ordering::AcqRel);
                known.clear();
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<UserId, i64>> {
        self.known.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Follows the store's feed for as long as the instance runs.
pub fn follow(
    versions: std::sync::Arc<TokenVersions>,
    mut feed: Box<dyn SessionFeed>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            versions.hear(feed.next().await);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_is_trusted_only_while_heard_and_never_across_an_ended_session() {
        let v = TokenVersions::new(false);
        let owner = UserId::new();
        v.put(owner, 1, v.epoch());
        assert_eq!(v.get(owner), None, "not heard yet: nothing kept");
        v.hear(SessionNews::Listening);
        v.put(owner, 1, v.epoch());
        assert_eq!(v.get(owner), Some(1));
        // A read that raced a logout is not kept.
        let before = v.epoch();
        v.hear(SessionNews::Ended(owner));
        v.put(owner, 1, before);
        assert_eq!(v.get(owner), None);
        v.put(owner, 2, v.epoch());
        assert_eq!(v.get(owner), Some(2));
        v.hear(SessionNews::Interrupted);
        assert_eq!(v.get(owner), None, "cut: nothing trusted");
        v.hear(SessionNews::Listening);
        assert_eq!(v.get(owner), None, "and nothing from before the cut");
    }
}
