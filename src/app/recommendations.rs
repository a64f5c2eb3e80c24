//! AI plans: the owner asks for them (a job), the worker makes them, the owner lists them and
//! selects one to customise. Selecting applies the plan to the event (then the owner's edits
//! over it) in the same transaction.

use tracing::instrument;

use super::jobs::{self, JobOutcome};
use super::{AppError, Missing, Services, events};
use crate::domain::calendar::seoul_date;
use crate::domain::event::Change;
use crate::domain::job::{Job, JobFailure, JobRequest};
use crate::domain::promotion::{IndustryKind, Plan, Recommendation};
use crate::domain::{Event, EventAction, EventEdit, EventId, RecommendationId, UserId};
use crate::ports::{RecommendationInput, RecommenderError, StoreError};

/// Starts the job that makes three plans for a DRAFT.
#[instrument(skip_all, fields(user_id = %owner, event_id = %event_id))]
pub async fn request(s: &Services, owner: UserId, event_id: EventId) -> Result<Job, AppError> {
    let event = events::get(s, owner, event_id).await?;
    event.status.check(EventAction::Recommend)?;
    jobs::enqueue(s, &event, JobRequest::AiRecommendation).await
}

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
        .ok_or(AppError::NotFound(Missing::Recommendation))?;
    event.edit(edits.over(edit_from(&chosen.plan)), s.clock.now())?;
    event.promotion_type = Some(chosen.plan.promotion_type);
    let saved = match s.store.select_recommendation(&event, chosen.id).await {
        Ok(Some(saved)) => saved,
        Ok(None) => return Err(AppError::NotFound(Missing::Recommendation)),
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

/// The plan as an edit of the event.
fn edit_from(plan: &Plan) -> EventEdit {
    EventEdit {
        name: Change::Set(plan.name.clone()),
        description: Change::Set(plan.description.clone()),
        prize: Change::Set(plan.prize.clone()),
        prize_value: Change::Keep,
        budget: Change::Set(plan.estimated_cost),
        start_date: Change::Set(plan.start_date),
        end_date: Change::Set(plan.end_date),
        mechanic: plan.mechanic.clone().map_or(Change::Keep, Change::Set),
    }
}

/// The worker: asks the recommender and stores its three plans with the job's completion.
#[instrument(skip_all, fields(job_id = %job.id, delivery))]
pub async fn run(
    s: &Services,
    job: &Job,
    event: &Event,
    delivery: u32,
) -> Result<JobOutcome, AppError> {
    let kind = IndustryKind::of(&event.shop.industry);
    let history = s.store.promotion_history(kind, event.objective).await?;
    s.store.set_job_progress(job.id, 30, s.clock.now()).await?;
    let input = RecommendationInput {
        objective: event.objective,
        shop: event.shop.clone(),
        period: event.period().map(|p| (p.start(), p.end())),
        budget: event.budget,
        today: seoul_date(s.clock.now()),
        history,
    };
    let recommended = match s.recommender.recommend(&input).await {
        Ok(r) => r,
        Err(RecommenderError::Retryable(why)) => {
            let failure = JobFailure::RecommenderUnavailable;
            return jobs::give_up_or_retry(s, job, delivery, &why, failure).await;
        }
    };
    s.store.set_job_progress(job.id, 80, s.clock.now()).await?;
    let done_at = s.clock.now();
    let recommendations: Vec<Recommendation> = recommended
        .plans
        .into_iter()
        .zip(1u8..)
        .map(|(plan, rank)| Recommendation {
            id: RecommendationId::new(),
            event_id: event.id,
            job_id: job.id,
            rank,
            plan,
            selected: false,
            created_at: done_at,
        })
        .collect();
    let note = recommended.note.map(|n| n.message());
    let completion = s
        .store
        .complete_recommendation_job(job, &recommendations, note, done_at)
        .await?;
    jobs::settle(s, job, completion, recommendations.len()).await
}
