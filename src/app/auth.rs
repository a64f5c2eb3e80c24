//! Sign-up, login (throttled, indistinguishable failures), and checking an access token.

use serde_json::json;
use sha2::{Digest, Sha256};
use tracing::instrument;

use super::{AppError, Kind, Problem, Services};
use crate::domain::{Email, OwnerName, Phone, PlainPassword, Shop, ShopId, ShopInfo, User, UserId};
use crate::ports::StoreError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("email already registered")]
    EmailTaken,
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("too many failed logins")]
    TooManyLoginAttempts { retry_after_secs: i64 },
    #[error("current password does not match")]
    WrongCurrentPassword,
    #[error("not authenticated")]
    Unauthenticated,
}

impl AuthError {
    pub fn problem(&self) -> Problem {
        match self {
            AuthError::EmailTaken => {
                Problem::new(Kind::Conflict, "AUTH_004", "이미 가입된 이메일입니다.")
            }
            AuthError::InvalidCredentials => Problem::new(
                Kind::Unauthenticated,
                "AUTH_003",
                "이메일 또는 비밀번호가 올바르지 않습니다.",
            ),
            AuthError::TooManyLoginAttempts { retry_after_secs } => Problem {
                retry_after: Some(*retry_after_secs),
                ..Problem::new(
                    Kind::TooManyRequests,
                    "AUTH_005",
                    "로그인 시도가 너무 많습니다. 잠시 후 다시 시도해 주세요.",
                )
                .with_details(json!({ "retryAfterSeconds": retry_after_secs }))
            },
            AuthError::WrongCurrentPassword => Problem::new(
                Kind::Invalid,
                "AUTH_006",
                "현재 비밀번호가 일치하지 않습니다.",
            ),
            AuthError::Unauthenticated => Problem::new(
                Kind::Unauthenticated,
                "AUTH_002",
                "인증 토큰이 유효하지 않거나 만료되었습니다. 다시 로그인해 주세요.",
            ),
        }
    }
}

pub struct Signup {
    pub email: Email,
    pub password: PlainPassword,
    pub name: OwnerName,
    pub phone: Option<Phone>,
    pub shop: Option<ShopInfo>,
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
        shop: cmd.shop.map(|info| Shop {
            id: ShopId::new(),
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
        Err(StoreError::Duplicate) => Err(AuthError::EmailTaken.into()),
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
    let (true, Some(c)) = (ok, found) else {
        return Err(AuthError::InvalidCredentials.into());
    };
    s.store.clear_login_failures(&key).await?;
    let issued = s.tokens.issue(c.user.id, s.clock.now())?;
    tracing::info!(user_id = %c.user.id, "owner logged in");
    Ok(LoggedIn {
        access_token: issued.token,
        expires_in: issued.expires_in,
        user: c.user,
    })
}

/// The owner a bearer token stands for. A token issued before the last password change (or for
/// a removed owner) is void.
pub async fn authenticate(s: &Services, token: &str) -> Result<UserId, AppError> {
    let verified = s.tokens.verify(token).ok_or(AuthError::Unauthenticated)?;
    let changed = s
        .store
        .password_changed_at(verified.user)
        .await?
        .ok_or(AuthError::Unauthenticated)?;
    if verified.issued_at < changed.timestamp() {
        return Err(AuthError::Unauthenticated.into());
    }
    Ok(verified.user)
}

/// Counts this attempt before any password is checked, so that parallel guesses are counted
/// too, and refuses it once the account is locked or over its limit.
pub(super) async fn admit_attempt(s: &Services, key: &str) -> Result<(), AppError> {
    let now = s.clock.now();
    let locked = |until: chrono::DateTime<chrono::Utc>| AuthError::TooManyLoginAttempts {
        retry_after_secs: (until - now).num_seconds().max(1),
    };
    if let Some(until) = s.store.login_locked_until(key).await?
        && until > now
    {
        return Err(locked(until).into());
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
        return Err(locked(until).into());
    }
    Ok(())
}

/// The throttle table holds a SHA-256 of the normalised email, never the address itself.
pub(super) fn throttle_key(email: &Email) -> String {
    format!(
        "login:{}",
        hex::encode(Sha256::digest(email.as_str().as_bytes()))
    )
}

/// Forgets login counters whose window has passed and that lock nothing (the rows for mistyped
/// or unknown emails would otherwise pile up). Returns how many.
#[instrument(skip_all)]
pub async fn forget_stale_login_counters(s: &Services) -> Result<u64, AppError> {
    let now = s.clock.now();
    Ok(s.store
        .purge_login_failures(now - s.login_throttle.window, now)
        .await?)
}
