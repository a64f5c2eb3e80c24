//! Credentials: password hashing and access tokens.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::domain::{PlainPassword, UserId};

/// Hashes and checks passwords (slow by design: implementations keep it off the async threads).
#[async_trait]
pub trait PasswordHasher: Send + Sync {
    async fn hash(&self, password: PlainPassword) -> anyhow::Result<String>;
    /// `Ok(false)` for a wrong password; `Err` only when the stored hash is unreadable.
    async fn verify(&self, password: PlainPassword, hash: String) -> anyhow::Result<bool>;
    /// Spends the same work as a real verification and always fails: the answer time of a login
    /// for an unknown email must not differ from that of a wrong password.
    async fn verify_against_dummy(&self, password: PlainPassword) -> anyhow::Result<bool>;
}

pub struct IssuedToken {
    pub token: String,
    pub expires_in: i64,
}

pub struct VerifiedToken {
    pub user: UserId,
    /// The user's token version when it was issued; it must still be the current one.
    pub version: i64,
    /// When it was issued (Unix seconds).
    pub issued_at: i64,
    /// When it stops working (Unix seconds).
    pub expires_at: i64,
    /// When the owner logged in (Unix seconds): renewed tokens keep it, so a session has an
    /// end however busy it is.
    pub started_at: i64,
}

/// Issues and checks access tokens.
pub trait TokenService: Send + Sync {
    fn issue(&self, user: UserId, version: i64, now: DateTime<Utc>) -> anyhow::Result<IssuedToken>;
    /// A fresh token for the same session (same owner, version and start), valid for the usual
    /// time but never past `until` (the session's own end).
    fn reissue(
        &self,
        token: &VerifiedToken,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> anyhow::Result<IssuedToken>;
    /// `None` for anything that is not a valid, unexpired token we issued.
    fn verify(&self, token: &str) -> Option<VerifiedToken>;
}
