//! The owner's own profile and password.

use tracing::instrument;

use super::auth::{admit_attempt, password_key};
use super::{AppError, AuthError, Services};
use crate::domain::{PlainPassword, ProfileUpdate, User, UserId};

#[instrument(skip_all, fields(user_id = %user))]
pub async fn me(s: &Services, user: UserId) -> Result<User, AppError> {
    s.store
        .credentials_by_id(user)
        .await?
        .map(|c| c.user)
        .ok_or(AuthError::Unauthenticated.into())
}

#[instrument(skip_all, fields(user_id = %user))]
pub async fn update_me(
    s: &Services,
    user: UserId,
    update: ProfileUpdate,
) -> Result<User, AppError> {
    s.store
        .update_profile(user, &update, s.clock.now())
        .await?
        .ok_or(AuthError::Unauthenticated.into())
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
        .ok_or(AuthError::Unauthenticated)?;
    // Guessing the current password with a stolen token is throttled like logging in.
    let key = password_key(s, user)?;
    admit_attempt(s, std::slice::from_ref(&key)).await?;
    if !s.passwords.verify(current, creds.password_hash).await? {
        return Err(AuthError::WrongCurrentPassword.into());
    }
    s.store.clear_login_failures(&key.0).await?;
    let hash = s.passwords.hash(new).await?;
    let changed = (s.store)
        .update_password_hash(user, &hash, s.clock.now())
        .await?;
    s.token_versions.ended(user);
    if !changed {
        return Err(AuthError::Unauthenticated.into());
    }
    tracing::info!("password changed; earlier tokens are no longer accepted");
    Ok(())
}
