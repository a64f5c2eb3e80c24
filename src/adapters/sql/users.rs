//! Owners and their shops.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::tx::{Tx, tx_execute};
use super::{SqlStore, corrupt, db_error, execute, on_pool};
use crate::domain::contact::ShopPhone;
use crate::domain::{
    Credentials, Email, OwnerName, Phone, ProfileUpdate, Shop, ShopId, ShopInfo, User, UserId,
};
use crate::ports::{StoreError, UserStore};

const SELECT_USER: &str = "SELECT u.id, u.email, u.name, u.phone, u.password_hash, \
     u.token_version, u.email_verified_at IS NOT NULL AS email_verified, u.created_at, u.updated_at, s.id AS store_id, s.name AS store_name, \
     s.industry AS store_industry, s.address AS store_address, s.phone AS store_phone \
     FROM users u LEFT JOIN stores s ON s.user_id = u.id";

#[derive(sqlx::FromRow)]
struct UserRow {
    id: Uuid,
    email: String,
    name: String,
    phone: Option<String>,
    password_hash: String,
    token_version: i64,
    email_verified: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    store_id: Option<Uuid>,
    store_name: Option<String>,
    store_industry: Option<String>,
    store_address: Option<String>,
    store_phone: Option<String>,
}

impl UserRow {
    fn into_credentials(self) -> Result<Credentials, StoreError> {
        let shop = match (
            self.store_id,
            self.store_name,
            self.store_industry,
            self.store_address,
        ) {
            (Some(id), Some(name), Some(industry), Some(address)) => Some(Shop {
                id: ShopId(id),
                info: ShopInfo {
                    name,
                    industry,
                    address,
                },
                phone: self.store_phone.map(ShopPhone::from_trusted),
            }),
            (None, ..) => None,
            _ => return Err(corrupt("stores row")),
        };
        Ok(Credentials {
            user: User {
                id: UserId(self.id),
                email: Email::from_trusted(self.email),
                name: OwnerName::from_trusted(self.name),
                phone: self.phone.map(Phone::from_trusted),
                shop,
                created_at: self.created_at,
                updated_at: self.updated_at,
            },
            password_hash: self.password_hash,
            token_version: self.token_version,
            email_verified: self.email_verified,
        })
    }
}

impl SqlStore {
    async fn credentials_where(
        &self,
        clause: &str,
        key: UserKey<'_>,
    ) -> Result<Option<Credentials>, StoreError> {
        let sql = format!("{SELECT_USER} WHERE {clause}");
        let row: Option<UserRow> = on_pool!(self, |p| {
            let q = sqlx::query_as::<_, UserRow>(&sql);
            match key {
                UserKey::Email(e) => q.bind(e).fetch_optional(p).await,
                UserKey::Id(id) => q.bind(id).fetch_optional(p).await,
            }
        })
        .map_err(db_error)?;
        row.map(UserRow::into_credentials).transpose()
    }
}

enum UserKey<'a> {
    Email(&'a str),
    Id(Uuid),
}

/// Replaces (`Some(Some)`) or removes (`Some(None)`) the owner's shop inside a transaction.
async fn write_shop(
    tx: &mut Tx,
    id: UserId,
    shop: &Option<Option<ShopInfo>>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    match shop {
        None => {}
        Some(None) => {
            tx_execute!(tx, "DELETE FROM stores WHERE user_id = $1", id.0)?;
        }
        Some(Some(info)) => {
            tx_execute!(
                tx,
                "INSERT INTO stores (id, user_id, name, industry, address, created_at, \
                 updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) \
                 ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, \
                 industry = excluded.industry, address = excluded.address, \
                 updated_at = excluded.updated_at",
                ShopId::new().0,
                id.0,
                &info.name,
                &info.industry,
                &info.address,
                now,
            )?;
        }
    }
    Ok(())
}

#[async_trait]
impl UserStore for SqlStore {
    async fn insert_user(&self, user: &User, password_hash: &str) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx_execute!(
            &mut tx,
            "INSERT INTO users (id, email, name, phone, password_hash, created_at, updated_at, \
             password_changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            user.id.0,
            user.email.as_str(),
            user.name.as_str(),
            user.phone.as_ref().map(Phone::as_str),
            password_hash,
            user.created_at,
            user.updated_at,
            user.created_at,
        )?;
        if let Some(shop) = &user.shop {
            tx_execute!(
                &mut tx,
                "INSERT INTO stores (id, user_id, name, industry, address, created_at, \
                 updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                shop.id.0,
                user.id.0,
                &shop.info.name,
                &shop.info.industry,
                &shop.info.address,
                user.created_at,
                user.updated_at,
            )?;
        }
        tx.commit().await
    }

    async fn credentials_by_email(&self, email: &Email) -> Result<Option<Credentials>, StoreError> {
        self.credentials_where("u.email = $1", UserKey::Email(email.as_str()))
            .await
    }

    async fn credentials_by_id(&self, id: UserId) -> Result<Option<Credentials>, StoreError> {
        self.credentials_where("u.id = $1", UserKey::Id(id.0)).await
    }

    async fn update_profile(
        &self,
        id: UserId,
        update: &ProfileUpdate,
        now: DateTime<Utc>,
    ) -> Result<Option<User>, StoreError> {
        // One transaction of column-wise updates: two concurrent edits of different fields both
        // survive (no read-modify-write of the whole row).
        let (set_phone, phone) = match &update.phone {
            None => (false, None),
            Some(p) => (true, p.as_ref().map(Phone::as_str)),
        };
        let mut tx = self.begin().await?;
        let updated = tx_execute!(
            &mut tx,
            "UPDATE users SET name = COALESCE($1, name), \
             phone = CASE WHEN $2 THEN $3 ELSE phone END, updated_at = $4 WHERE id = $5",
            update.name.as_ref().map(OwnerName::as_str),
            set_phone,
            phone,
            now,
            id.0,
        )?;
        if updated == 1 {
            write_shop(&mut tx, id, &update.shop, now).await?;
            if let Some(phone) = &update.shop_phone {
                tx_execute!(
                    &mut tx,
                    "UPDATE stores SET phone = $1, updated_at = $2 WHERE user_id = $3",
                    phone.as_ref().map(ShopPhone::as_str),
                    now,
                    id.0,
                )?;
            }
        }
        tx.commit().await?;
        if updated != 1 {
            return Ok(None);
        }
        Ok(self.credentials_by_id(id).await?.map(|c| c.user))
    }

    fn session_feed(&self) -> Option<Box<dyn crate::ports::SessionFeed>> {
        match &self.pool {
            super::Pool::Postgres(p) => {
                Some(Box::new(super::sessions::PgSessionFeed::new(p.clone())))
            }
            super::Pool::Sqlite(_) => None,
        }
    }

    async fn shop_phone(&self, shop: ShopId) -> Result<Option<ShopPhone>, StoreError> {
        let found: Option<Option<String>> = on_pool!(self, |p| {
            sqlx::query_scalar("SELECT phone FROM stores WHERE id = $1")
                .bind(shop.0)
                .fetch_optional(p)
                .await
        })
        .map_err(db_error)?;
        Ok(found.flatten().map(ShopPhone::from_trusted))
    }

    async fn token_version(&self, id: UserId) -> Result<Option<i64>, StoreError> {
        on_pool!(self, |p| {
            sqlx::query_scalar("SELECT token_version FROM users WHERE id = $1")
                .bind(id.0)
                .fetch_optional(p)
                .await
        })
        .map_err(db_error)
    }

    async fn end_sessions(&self, id: UserId, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let done = execute!(
            self,
            "UPDATE users SET token_version = token_version + 1, updated_at = $1 WHERE id = $2",
            now,
            id.0,
        )?;
        Ok(done == 1)
    }

    async fn update_password_hash(
        &self,
        id: UserId,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = execute!(
            self,
            "UPDATE users SET password_hash = $1, password_changed_at = $2, updated_at = $2, \
                 token_version = token_version + 1 WHERE id = $3",
            password_hash,
            now,
            id.0,
        )?;
        Ok(done == 1)
    }
}
