//! Sign-up, login (throttled, indistinguishable failures) and password change.

use sha2::{Digest, Sha256};
use tracing::instrument;

use super::{AppError, Services};
use crate::domain::{
    Email, OwnerName, Phone, PlainPassword, Store, StoreId, StoreInfo, User, UserId,
};
use crate::ports::StoreError;

pub struct Signup {
    pub email: Email,
    pub password: PlainPassword,
    pub name: OwnerName,
    pub phone: Option<Phone>,
    pub store: Option<StoreInfo>,
}

pub struct LoggedIn {
    pub access_token: String,
    pub expires_in: i64,
    pub user: User,
}

#[instrument(skip_all)]
pub async fn signup(s: &Services, cmd: Signup) -> Result<User, AppError> {
    let now = s.clock.now();
    let password_hash = s.passwords.hash(cmd.password).await?;
    let user = User {
        id: UserId::new(),
        email: cmd.email,
        name: cmd.name,
        phone: cmd.phone,
        store: cmd.store.map(|info| Store {
            id: StoreId::new(),
            info,
        }),
        created_at: now,
        updated_at: now,
    };
    match s.store.insert_user(&user, &password_hash).await {
        Ok(()) => {
            tracing::info!(user_id = %user.id, "owner signed up");
            Ok(user)
        }
        Err(StoreError::Duplicate) => Err(AppError::EmailTaken),
        Err(e) => Err(e.into()),
    }
}

#[instrument(skip_all)]
pub async fn login(
    s: &Services,
    email: Email,
    password: PlainPassword,
) -> Result<LoggedIn, AppError> {
    let key = throttle_key(&email);
    admit_attempt(s, &key).await?;
    let found = s.store.credentials_by_email(&email).await?;
    let ok = match &found {
        Some(c) => {
            s.passwords
                .verify(password, c.password_hash.clone())
                .await?
        }
        None => s.passwords.verify_against_dummy(password).await?,
    };
    match (ok, found) {
        (true, Some(c)) => {
            s.store.clear_login_failures(&key).await?;
            let issued = s.tokens.issue(c.user.id, s.clock.now())?;
            tracing::info!(user_id = %c.user.id, "owner logged in");
            Ok(LoggedIn {
                access_token: issued.token,
                expires_in: issued.expires_in,
                user: c.user,
            })
        }
        _ => Err(AppError::InvalidCredentials),
    }
}

/// Counts this attempt before any password is checked, so that parallel guesses are counted
/// too, and refuses it once the account is locked or over its limit.
async fn admit_attempt(s: &Services, key: &str) -> Result<(), AppError> {
    let now = s.clock.now();
    let locked = |until: chrono::DateTime<chrono::Utc>| AppError::TooManyLoginAttempts {
        retry_after_secs: (until - now).num_seconds().max(1),
    };
    if let Some(until) = s.store.login_locked_until(key).await?
        && until > now
    {
        return Err(locked(until));
    }
    let policy = s.login_throttle;
    let attempts = s
        .store
        .record_login_attempt(key, now, now - policy.window)
        .await?;
    // `max_failures` wrong passwords are allowed; the attempt after them is refused.
    if let Some(until) = policy.lock_after_failure(attempts.saturating_sub(1), now) {
        s.store.lock_login(key, until).await?;
        tracing::warn!("login locked after repeated failures");
        return Err(locked(until));
    }
    Ok(())
}

#[instrument(skip_all, fields(user_id = %user))]
pub async fn change_password(
    s: &Services,
    user: UserId,
    current: PlainPassword,
    new: PlainPassword,
) -> Result<(), AppError> {
    let creds = s
        .store
        .credentials_by_id(user)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    // Guessing the current password with a stolen token is throttled like logging in.
    let key = throttle_key(&creds.user.email);
    admit_attempt(s, &key).await?;
    if !s.passwords.verify(current, creds.password_hash).await? {
        return Err(AppError::WrongCurrentPassword);
    }
    s.store.clear_login_failures(&key).await?;
    let hash = s.passwords.hash(new).await?;
    if !s
        .store
        .update_password_hash(user, &hash, s.clock.now())
        .await?
    {
        return Err(AppError::Unauthenticated);
    }
    tracing::info!("password changed; earlier tokens are no longer accepted");
    Ok(())
}

/// The throttle table holds a SHA-256 of the normalised email, never the address itself.
fn throttle_key(email: &Email) -> String {
    format!(
        "login:{}",
        hex::encode(Sha256::digest(email.as_str().as_bytes()))
    )
}
