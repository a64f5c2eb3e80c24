//! The owner's view of the AI plans: list them, select one and customise it. Selecting applies
//! the plan to the event (then the owner's edits over it) in the same transaction.

use tracing::instrument;

use super::{AppError, Services, events};
use crate::domain::event::Change;
use crate::domain::promotion::Recommendation;
use crate::domain::{Event, EventAction, EventEdit, EventId, RecommendationId, UserId};
use crate::ports::StoreError;

pub async fn list(
    s: &Services,
    owner: UserId,
    event_id: EventId,
) -> Result<Vec<Recommendation>, AppError> {
    let event = events::get(s, owner, event_id).await?;
    Ok(s.store.recommendations_of_event(event.id).await?)
}

#[instrument(skip_all, fields(user_id = %owner, event_id = %event_id))]
pub async fn select(
    s: &Services,
    owner: UserId,
    event_id: EventId,
    recommendation: RecommendationId,
    edits: EventEdit,
) -> Result<(Event, Recommendation), AppError> {
    let mut event = events::get(s, owner, event_id).await?;
    event.status.check(EventAction::SelectRecommendation)?;
    let mut chosen = s
        .store
        .recommendations_of_event(event.id)
        .await?
        .into_iter()
        .find(|r| r.id == recommendation)
        .ok_or(AppError::RecommendationNotFound)?;
    let plan = &chosen.plan;
    let from_plan = EventEdit {
        name: Change::Set(plan.name.clone()),
        description: Change::Set(plan.description.clone()),
        prize: Change::Set(plan.prize.clone()),
        budget: Change::Set(plan.estimated_cost),
        start_date: Change::Set(plan.start_date),
        end_date: Change::Set(plan.end_date),
    };
    event.edit(edits.over(from_plan), s.clock.now())?;
    event.promotion_type = Some(plan.promotion_type);
    let saved = match s.store.select_recommendation(&event, chosen.id).await {
        Ok(Some(saved)) => saved,
        Ok(None) => return Err(AppError::RecommendationNotFound),
        // A concurrent selection (a double click) loses to the first one.
        Err(StoreError::Conflict | StoreError::Duplicate) => {
            return Err(AppError::ConcurrentModification);
        }
        Err(e) => return Err(e.into()),
    };
    chosen.selected = true;
    tracing::info!(recommendation_id = %chosen.id, "plan selected");
    Ok((saved, chosen))
}
