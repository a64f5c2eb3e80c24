//! The `participants-purge` timer (hourly; locally every `LOCAL_PURGE_SECONDS`): destroys the
//! personal data `Retention` no longer allows to keep.

use tracing::instrument;

use crate::app::{AppError, Services};

#[instrument(skip_all)]
pub async fn purge(s: &Services) -> Result<String, AppError> {
    let destroyed = s
        .store
        .destroy_personal_data(&s.retention, s.clock.now())
        .await?;
    if destroyed > 0 {
        tracing::info!(destroyed, "personal data destroyed");
    }
    Ok(format!(
        "destroyed the personal data of {destroyed} entr(y/ies)"
    ))
}
