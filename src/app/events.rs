//! The event lifecycle: create a draft from an objective, list, read, edit, set channels, delete,
//! end — and end by itself once its last day has passed (the `events-auto-end` timer). Each
//! mutation reads the event, asks the domain, and saves against the version it read.

use std::fmt;

use tracing::instrument;

use crate::domain::event::poster_problems;

use super::{AppError, Missing, Services, jobs};
use crate::domain::calendar::seoul_date;
use crate::domain::event::Change;
use crate::domain::job::{ImageRequest, Job, JobRequest};
use crate::domain::mechanic::Mechanic;
use crate::domain::poster::PosterStyle;
use crate::domain::{
    Channel, Event, EventAction, EventEdit, EventId, EventStatus, Objective, Page, PageRequest,
    ShopInfo, UserId,
};
use crate::ports::StoreError;

/// The shop fields an owner may give when creating a draft; missing ones come from the profile.
#[derive(Debug, Default)]
pub struct ShopOverride {
    pub name: Option<String>,
    pub industry: Option<String>,
    pub address: Option<String>,
}

#[instrument(skip_all, fields(user_id = %owner, objective = %objective))]
pub async fn create_from_objective(
    s: &Services,
    owner: UserId,
    objective: Objective,
    given: ShopOverride,
) -> Result<Event, AppError> {
    let me = s
        .store
        .credentials_by_id(owner)
        .await?
        .ok_or(super::AuthError::Unauthenticated)?
        .user;
    let profile = me.shop.as_ref();
    let shop = shop_for_event(given, profile.map(|p| &p.info))?;
    let event = Event::draft(owner, profile.map(|p| p.id), objective, shop, s.clock.now());
    s.store.insert_event(&event).await?;
    tracing::info!(event_id = %event.id, "draft event created");
    Ok(event)
}

/// The console's objective step: a draft the owner left untouched (no name, no plan chosen, no
/// posters, begun within the hour — they went back and picked another objective) takes the new
/// objective instead of leaving one more "(이름 없음)" draft behind.
#[instrument(skip_all, fields(user_id = %owner))]
pub async fn start_from_objective(
    s: &Services,
    owner: UserId,
    objective: Objective,
) -> Result<Event, AppError> {
    let page = PageRequest::parse(Some(1), Some(5))?;
    let drafts = list(s, owner, Some(EventStatus::Draft), page).await?.items;
    let recent = s.clock.now() - chrono::Duration::hours(1);
    for mut d in drafts {
        let untouched = d.name.is_none() && d.promotion_type.is_none() && d.created_at > recent;
        if untouched && s.store.images_of_event(d.id).await?.is_empty() {
            d.objective = objective;
            d.updated_at = s.clock.now();
            tracing::info!(event_id = %d.id, "untouched draft given the new objective");
            return save(s, &d).await;
        }
    }
    create_from_objective(s, owner, objective, ShopOverride::default()).await
}

/// Each of the three parts as given, else from the profile; all three are needed.
fn shop_for_event(given: ShopOverride, profile: Option<&ShopInfo>) -> Result<ShopInfo, AppError> {
    let pick = |given: Option<String>, stored: Option<&String>| given.or_else(|| stored.cloned());
    let name = pick(given.name, profile.map(|p| &p.name));
    let industry = pick(given.industry, profile.map(|p| &p.industry));
    let address = pick(given.address, profile.map(|p| &p.address));
    let (Some(name), Some(industry), Some(address)) = (&name, &industry, &address) else {
        let missing = [
            ("storeName", name.is_none()),
            ("industry", industry.is_none()),
            ("address", address.is_none()),
        ]
        .into_iter()
        .filter_map(|(field, absent)| absent.then_some(field))
        .collect();
        return Err(AppError::ShopInfoMissing { missing });
    };
    Ok(ShopInfo::parse(name, industry, address)?)
}

pub async fn get(s: &Services, owner: UserId, id: EventId) -> Result<Event, AppError> {
    s.store
        .event_of_owner(owner, id)
        .await?
        .ok_or(AppError::NotFound(Missing::Event))
}

#[instrument(skip_all, fields(user_id = %owner))]
pub async fn list(
    s: &Services,
    owner: UserId,
    status: Option<EventStatus>,
    page: PageRequest,
) -> Result<Page<Event>, AppError> {
    Ok(s.store.list_events(owner, status, page).await?)
}

#[instrument(skip_all, fields(user_id = %owner, event_id = %id))]
pub async fn edit(
    s: &Services,
    owner: UserId,
    id: EventId,
    edit: EventEdit,
) -> Result<Event, AppError> {
    let mut event = get(s, owner, id).await?;
    event.edit(edit, s.clock.now())?;
    check_mechanic(&event)?;
    save(s, &event).await
}

/// The owner sets how the promotion runs (a draft only); its promotion type is the selected
/// plan's, or the mechanic's own when none was selected. Every problem is named at once.
#[instrument(skip_all, fields(user_id = %owner, event_id = %id))]
pub async fn set_mechanic(
    s: &Services,
    owner: UserId,
    id: EventId,
    mechanic: Mechanic,
) -> Result<Event, AppError> {
    let mut event = get(s, owner, id).await?;
    let edit = EventEdit {
        mechanic: Change::Set(mechanic.clone()),
        ..EventEdit::default()
    };
    event.edit(edit, s.clock.now())?;
    event.promotion_type = event.promotion_type.or(Some(mechanic.default_type()));
    check_mechanic(&event)?;
    save(s, &event).await
}

/// Saves the owner's change; the customers' page shows it at once.
async fn save(s: &Services, event: &Event) -> Result<Event, AppError> {
    let saved = s.store.save_event(event).await?;
    s.memo.public_page_changed(event.id);
    Ok(saved)
}

/// The event's mechanic fits its promotion and period, or every problem with it.
fn check_mechanic(event: &Event) -> Result<(), AppError> {
    let problems = mechanic_problems(event);
    match problems.is_empty() {
        true => Ok(()),
        false => Err(AppError::Invalids(problems)),
    }
}

fn mechanic_problems(event: &Event) -> Vec<crate::domain::FieldError> {
    let (Some(m), Some(t)) = (&event.mechanic, event.promotion_type) else {
        return Vec::new();
    };
    m.problems(t, event.period().map(|p| (p.start(), p.end())))
}

#[instrument(skip_all, fields(user_id = %owner, event_id = %id))]
pub async fn set_channels(
    s: &Services,
    owner: UserId,
    id: EventId,
    channels: Vec<Channel>,
) -> Result<Event, AppError> {
    let mut event = get(s, owner, id).await?;
    event.set_channels(channels, s.clock.now())?;
    save(s, &event).await
}

/// The wizard's customise step, all or nothing: the plan as the owner edited it, the channels
/// to tell, and the posters of those channels in every style asked for — one transaction saves
/// the event and starts the posters job.
#[instrument(skip_all, fields(user_id = %owner, event_id = %id))]
pub async fn customise(
    s: &Services,
    owner: UserId,
    id: EventId,
    edit: EventEdit,
    channels: Vec<Channel>,
) -> Result<Job, AppError> {
    let mut event = get(s, owner, id).await?;
    let now = s.clock.now();
    event.edit(edit, now)?;
    event.set_channels(channels.clone(), now)?;
    event.status.check(EventAction::GenerateImages)?;
    let today = now
        .with_timezone(&crate::domain::calendar::seoul())
        .date_naive();
    let mut problems = poster_problems(event.name.as_deref(), event.start_date, today);
    problems.extend(mechanic_problems(&event));
    if !problems.is_empty() {
        return Err(AppError::Invalids(problems));
    }
    let request = JobRequest::ImageGeneration(ImageRequest {
        platforms: channels,
        styles: PosterStyle::ALL.to_vec(),
    });
    Ok(jobs::enqueue_saving(s, &event, request).await?.1)
}

/// A new draft from one of the owner's events (any status): its plan and words, new dates.
#[instrument(skip_all, fields(user_id = %owner, event_id = %id))]
pub async fn duplicate(s: &Services, owner: UserId, id: EventId) -> Result<Event, AppError> {
    let event = get(s, owner, id).await?;
    let copy = event.duplicate(s.clock.now());
    s.store.insert_event(&copy).await?;
    tracing::info!(copy_id = %copy.id, "event duplicated as a draft");
    Ok(copy)
}

#[instrument(skip_all, fields(user_id = %owner, event_id = %id))]
pub async fn delete(s: &Services, owner: UserId, id: EventId) -> Result<(), AppError> {
    let event = get(s, owner, id).await?;
    event.ensure_deletable()?;
    let images = s.store.images_of_event(event.id).await?;
    s.store.delete_event(&event).await?;
    s.delete_files(&images).await;
    tracing::info!("draft event deleted");
    Ok(())
}

#[instrument(skip_all, fields(user_id = %owner, event_id = %id))]
pub async fn end(s: &Services, owner: UserId, id: EventId) -> Result<Event, AppError> {
    let mut event = get(s, owner, id).await?;
    event.end(s.clock.now())?;
    let saved = save(s, &event).await?;
    tracing::info!("event ended");
    Ok(saved)
}

const AUTO_END_BATCH: i64 = 200;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct AutoEnded {
    pub ended: usize,
    /// Changed by someone else between reading and saving; the next run looks again.
    pub skipped: usize,
}

impl fmt::Display for AutoEnded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ended {} event(s), skipped {}", self.ended, self.skipped)
    }
}

/// Ends every PUBLISHED event whose last day (in Seoul) has passed. Idempotent: running it
/// twice ends nothing more.
#[instrument(skip_all)]
pub async fn end_overdue(s: &Services) -> Result<AutoEnded, AppError> {
    let now = s.clock.now();
    let today = seoul_date(now);
    let mut report = AutoEnded::default();
    loop {
        let due = s
            .store
            .published_events_ending_before(today, AUTO_END_BATCH)
            .await?;
        let full_batch = i64::try_from(due.len()).unwrap_or(i64::MAX) == AUTO_END_BATCH;
        let before = report.ended;
        for mut event in due {
            if !event.is_over(today) || event.end(now).is_err() {
                report.skipped += 1;
                continue;
            }
            match s.store.save_event(&event).await {
                Ok(_) => {
                    s.memo.public_page_changed(event.id);
                    report.ended += 1;
                    tracing::info!(event_id = %event.id, "event ended by itself");
                }
                Err(StoreError::Conflict) => report.skipped += 1,
                Err(e) => return Err(e.into()),
            }
        }
        if !(full_batch && report.ended > before) {
            return Ok(report);
        }
    }
}
