//! The shop owner's account.

use chrono::{DateTime, Utc};

use super::ids::{ShopId, UserId};
use super::owner::{Email, OwnerName, Phone, ShopInfo};

/// The owner's shop (the API calls it `store`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shop {
    pub id: ShopId,
    pub info: ShopInfo,
    /// The shop's phone for customers (the event page's 문의처), when the owner gave one.
    pub phone: Option<super::contact::ShopPhone>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: Email,
    pub name: OwnerName,
    pub phone: Option<Phone>,
    pub shop: Option<Shop>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A user together with the stored password hash: only the auth use cases ever see this.
#[derive(Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
    /// Tokens carry it; a password change or a logout increments it, voiding them.
    pub token_version: i64,
    /// The owner proved the address theirs (a mailed link, or a password reset).
    pub email_verified: bool,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("password_hash", &"[redacted]")
            .finish()
    }
}

/// A profile change: `None` keeps a field; `Some(None)` clears the phone or removes the shop.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileUpdate {
    pub name: Option<OwnerName>,
    pub phone: Option<Option<Phone>>,
    pub shop: Option<Option<ShopInfo>>,
    /// `None` keeps it; `Some(None)` removes it (and a removed shop has none).
    pub shop_phone: Option<Option<super::contact::ShopPhone>>,
}
