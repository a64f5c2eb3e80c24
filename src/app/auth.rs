//! Sign-up, login (throttled per address and per account, indistinguishable failures), logout,
//! and checking an access token.

use tracing::instrument;

use super::{AppError, Services};
pub use crate::domain::refusals::AuthError;
use crate::domain::throttle::ThrottlePolicy;
use crate::domain::{Email, OwnerName, Phone, PlainPassword, Shop, ShopId, ShopInfo, User, UserId};
use crate::ports::{IssuedToken, StoreError, VerifiedToken};

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
            phone: None,
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
    client: &str,
) -> Result<LoggedIn, AppError> {
    let keys = login_keys(s, &email, client)?;
    admit_attempt(s, &keys).await?;
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
    for (key, _) in &keys {
        s.store.clear_login_failures(key).await?;
    }
    let issued = s.tokens.issue(c.user.id, c.token_version, s.clock.now())?;
    tracing::info!(user_id = %c.user.id, "owner logged in");
    Ok(LoggedIn {
        access_token: issued.token,
        expires_in: issued.expires_in,
        user: c.user,
    })
}

/// Ends every session of the owner: tokens issued so far are refused from now on.
#[instrument(skip_all, fields(user_id = %user))]
pub async fn logout(s: &Services, user: UserId) -> Result<(), AppError> {
    let ended = s.store.end_sessions(user, s.clock.now()).await?;
    s.token_versions.ended(user);
    if !ended {
        return Err(AuthError::Unauthenticated.into());
    }
    tracing::info!("owner logged out; earlier tokens are no longer accepted");
    Ok(())
}

/// The owner a bearer token stands for. A token of another version (issued before the last
/// password change or logout), or of a removed owner, is void.
pub async fn authenticate(s: &Services, token: &str) -> Result<UserId, AppError> {
    Ok(session(s, token).await?.user)
}

/// The session a token belongs to (owner, version, login time), when the token is still valid.
pub async fn session(s: &Services, token: &str) -> Result<VerifiedToken, AppError> {
    let verified = s.tokens.verify(token).ok_or(AuthError::Unauthenticated)?;
    current(s, &verified).await?;
    Ok(verified)
}

/// The token carries the owner's current version (not one from before a logout or a password
/// change), and the owner still exists.
async fn current(s: &Services, verified: &VerifiedToken) -> Result<(), AppError> {
    let versions = &s.token_versions;
    let current = match versions.get(verified.user) {
        Some(v) => v,
        None => {
            let epoch = versions.epoch();
            let read = s.store.token_version(verified.user).await?;
            let v = read.ok_or(AuthError::Unauthenticated)?;
            versions.put(verified.user, v, epoch);
            v
        }
    };
    if verified.version != current {
        return Err(AuthError::Unauthenticated.into());
    }
    Ok(())
}

/// However busy, a console session ends this long after its login (it is renewed until then).
pub const SESSION_HOURS: i64 = 12;

/// A sliding session: once half of the token's life is gone, a fresh token for the same session
/// (same owner, version and login time), until `SESSION_HOURS` after the login. `None` when the
/// token needs no renewal or may not have one; a token no longer valid is never renewed.
pub async fn renew(s: &Services, token: &str) -> Result<Option<IssuedToken>, AppError> {
    renewed(s, token, false).await
}

/// The owner asked to stay signed in ("로그인 유지하기"): a fresh token now, whatever is left of
/// this one, still never past the session's end.
pub async fn keep(s: &Services, token: &str) -> Result<Option<IssuedToken>, AppError> {
    renewed(s, token, true).await
}

async fn renewed(s: &Services, token: &str, asked: bool) -> Result<Option<IssuedToken>, AppError> {
    let Some(v) = s.tokens.verify(token) else {
        return Ok(None);
    };
    let now = s.clock.now();
    let half = (v.expires_at - v.issued_at) / 2;
    let fresh = !asked && v.expires_at - now.timestamp() > half;
    let until = chrono::DateTime::from_timestamp(v.started_at + SESSION_HOURS * 3600, 0);
    // At the session's end nothing is renewed; close to it, the token ends with the session.
    let Some(until) = until.filter(|u| !fresh && *u > now && v.expires_at < u.timestamp()) else {
        return Ok(None);
    };
    current(s, &v).await?;
    Ok(Some(s.tokens.reissue(&v, now, until)?))
}

/// A throttle key and the policy that applies to it.
pub(crate) type Throttled = (String, ThrottlePolicy);

/// An account is throttled per client address (guesses from one place lock only that place
/// out), and, more loosely, across every address (a guessing crowd is slowed too). Keys are
/// HMAC tags of the email under the server's tag key, never the address itself.
fn login_keys(s: &Services, email: &Email, client: &str) -> Result<Vec<Throttled>, AppError> {
    let tag = |message: String| s.tags.tag(s.tags.current_key(), message.as_bytes());
    let account = tag(format!("login|{}", email.as_str()))?;
    let pair = tag(format!("login|{}|{client}", email.as_str()))?;
    Ok(vec![
        (format!("login:{pair}"), s.login_throttle),
        (
            format!("login-account:{account}"),
            s.login_throttle.scaled(10),
        ),
    ])
}

/// Forgets the account's failed logins (from this address and from everywhere): a reset link
/// proved the mailbox, so the lock that guessing put on the account ends.
pub(crate) async fn forget_failures(
    s: &Services,
    email: &Email,
    client: &str,
) -> Result<(), AppError> {
    for (key, _) in login_keys(s, email, client)? {
        s.store.clear_login_failures(&key).await?;
    }
    Ok(())
}

/// The key that throttles guessing the current password of a signed-in owner.
pub(super) fn password_key(s: &Services, user: UserId) -> Result<Throttled, AppError> {
    let tag = s
        .tags
        .tag(s.tags.current_key(), format!("password|{user}").as_bytes())?;
    Ok((format!("password:{tag}"), s.login_throttle))
}

/// Counts this attempt on every key before any password is checked, so that parallel guesses
/// are counted too, and refuses it while a key is locked or once it is over its limit. Each
/// lock round lasts twice as long as the one before (`ThrottlePolicy::round`).
pub(crate) async fn admit_attempt(s: &Services, keys: &[Throttled]) -> Result<(), AppError> {
    let now = s.clock.now();
    let locked = |until: chrono::DateTime<chrono::Utc>| AuthError::TooManyLoginAttempts {
        retry_after_secs: (until - now).num_seconds().max(1),
    };
    for (key, _) in keys {
        if let Some(until) = s.store.login_locked_until(key).await?
            && until > now
        {
            return Err(locked(until).into());
        }
    }
    for (key, policy) in keys {
        let (attempts, rounds) = s
            .store
            .record_login_attempt(key, now, now - policy.window)
            .await?;
        // `max_failures` wrong passwords are allowed; the attempt after them is refused.
        if let Some(until) = policy.lock_after_failure(attempts.saturating_sub(1), rounds, now) {
            s.store.lock_login(key, until).await?;
            tracing::warn!(round = rounds + 1, "login locked after repeated failures");
            return Err(locked(until).into());
        }
    }
    Ok(())
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
