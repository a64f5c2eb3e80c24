//! The owner's promotional images: list them (with URLs) and select one.

use tracing::instrument;

use super::{AppError, Services, events};
use crate::domain::poster::Image;
use crate::domain::{EventAction, EventId, ImageId, UserId};

pub async fn list(s: &Services, owner: UserId, event_id: EventId) -> Result<Vec<Image>, AppError> {
    let event = events::get(s, owner, event_id).await?;
    Ok(s.store.images_of_event(event.id).await?)
}

#[instrument(skip_all, fields(user_id = %owner, event_id = %event_id))]
pub async fn select(
    s: &Services,
    owner: UserId,
    event_id: EventId,
    image: ImageId,
) -> Result<Image, AppError> {
    let event = events::get(s, owner, event_id).await?;
    event.status.check(EventAction::SelectImage)?;
    match s.store.select_image(event.id, image).await {
        Ok(true) => {}
        Ok(false) => return Err(AppError::ImageNotFound),
        // A concurrent selection (a double click) loses to the first one.
        Err(crate::ports::StoreError::Duplicate) => return Err(AppError::ConcurrentModification),
        Err(e) => return Err(e.into()),
    }
    s.store
        .images_of_event(event.id)
        .await?
        .into_iter()
        .find(|i| i.id == image)
        .ok_or(AppError::ImageNotFound)
}
