//! Links mailed to an owner: one proves the address is theirs, one lets them set a new password.
//! Each carries a random token that works once and briefly; only its SHA-256 is kept.

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use super::UserId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailPurpose {
    /// The address is the owner's (sent at sign-up, again on request).
    Verify,
    /// A new password (the owner forgot theirs).
    Reset,
}

impl MailPurpose {
    pub fn code(self) -> &'static str {
        match self {
            MailPurpose::Verify => "verify",
            MailPurpose::Reset => "reset",
        }
    }

    /// How long a link works: a day to open the welcome mail, half an hour to reset.
    pub fn lifetime(self) -> Duration {
        match self {
            MailPurpose::Verify => Duration::hours(24),
            MailPurpose::Reset => Duration::minutes(30),
        }
    }

    /// The page the link opens, before its token.
    pub fn route(self) -> &'static str {
        match self {
            MailPurpose::Verify => "email/verify",
            MailPurpose::Reset => "password/reset",
        }
    }

    /// Links of one purpose mailed to one owner in `MAIL_WINDOW`, at most (more are not sent,
    /// silently: the answer must not tell whether the address has an account).
    pub const MAX_PER_WINDOW: i64 = 3;
    pub const WINDOW_MINUTES: i64 = 15;
}

/// A link's token as kept: its hash, whose it is, until when.
pub struct MailToken {
    pub hash: String,
    pub user: UserId,
    pub purpose: MailPurpose,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl MailToken {
    pub fn new(token: &str, user: UserId, purpose: MailPurpose, now: DateTime<Utc>) -> Self {
        Self {
            hash: token_hash(token),
            user,
            purpose,
            created_at: now,
            expires_at: now + purpose.lifetime(),
        }
    }
}

/// What is kept of a token: its SHA-256, hex (the token itself is 256 random bits).
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The token's shape (64 hex digits): anything else is refused before the database.
pub fn is_token(raw: &str) -> bool {
    raw.len() == 64 && raw.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_kept_as_hashes_and_expire() {
        let now = Utc::now();
        let t = MailToken::new(&"a".repeat(64), UserId::new(), MailPurpose::Reset, now);
        assert_eq!(t.hash.len(), 64);
        assert_ne!(t.hash, "a".repeat(64));
        assert_eq!(t.expires_at - now, Duration::minutes(30));
        assert!(is_token(&"0f".repeat(32)));
        assert!(!is_token("../../etc") && !is_token(&"g".repeat(64)));
    }
}
