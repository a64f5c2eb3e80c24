//! The owner's own profile.

use tracing::instrument;

use super::{AppError, Services};
use crate::domain::{ProfileUpdate, User, UserId};

#[instrument(skip_all, fields(user_id = %user))]
pub async fn me(s: &Services, user: UserId) -> Result<User, AppError> {
    s.store
        .credentials_by_id(user)
        .await?
        .map(|c| c.user)
        .ok_or(AppError::Unauthenticated)
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
        .ok_or(AppError::Unauthenticated)
}
