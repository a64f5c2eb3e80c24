//! The shop owner's account.

use chrono::{DateTime, Utc};

use super::ids::{StoreId, UserId};
use super::owner::{Email, OwnerName, Phone, StoreInfo};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Store {
    pub id: StoreId,
    pub info: StoreInfo,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: Email,
    pub name: OwnerName,
    pub phone: Option<Phone>,
    pub store: Option<Store>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A user together with the stored password hash: only the auth use cases ever see this.
#[derive(Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
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
    pub store: Option<Option<StoreInfo>>,
}
