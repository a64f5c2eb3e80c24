//! Mail to owners: the links that verify their address and reset their password.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreError;
use crate::domain::mailbox::{MailPurpose, MailToken};
use crate::domain::{Email, UserId};

/// One plain-text mail to one owner.
pub struct Mail {
    pub to: Email,
    pub subject: String,
    pub text: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The mail service refused this mail (its code and message; sending it again will not help).
    #[error("mail refused: {0}")]
    Refused(String),
    /// The mail service did not take it (unreachable, timed out, busy): try again later.
    #[error("mail service unavailable: {0}")]
    Unavailable(String),
}

#[async_trait]
pub trait Mailer: Send + Sync {
    /// Hands the mail to the service (accepted for delivery, not yet delivered).
    async fn send(&self, mail: &Mail) -> Result<(), MailError>;
}

/// The mailed links' tokens.
#[async_trait]
pub trait MailTokenStore: Send + Sync {
    /// Keeps a mailed link's token; the owner's earlier links of that purpose stop working (only
    /// the newest mail counts), and their spent or expired rows are removed.
    async fn save_mail_token(&self, token: &MailToken) -> Result<(), StoreError>;
    /// Links of the purpose mailed to the owner since `since`.
    async fn mail_tokens_since(
        &self,
        id: UserId,
        purpose: MailPurpose,
        since: DateTime<Utc>,
    ) -> Result<i64, StoreError>;
    /// The owner of a link that still works (unused, unexpired), without using it up.
    async fn mail_token_owner(
        &self,
        purpose: MailPurpose,
        hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<UserId>, StoreError>;
    /// Uses the link up, once: its owner, or `None` when it is used, expired or unknown.
    async fn take_mail_token(
        &self,
        purpose: MailPurpose,
        hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<UserId>, StoreError>;
    /// The owner's address is proved theirs (kept from the first proof on).
    async fn mark_email_verified(&self, id: UserId, now: DateTime<Utc>) -> Result<(), StoreError>;
}
