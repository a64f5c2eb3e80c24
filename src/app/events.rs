//! The event lifecycle: create a draft from an objective, list, read, edit, set channels, delete,
//! end. Each mutation reads the event, asks the domain, and saves against the version it read.

use tracing::instrument;

use super::{AppError, Services};
use crate::domain::{
    Channel, Event, EventEdit, EventId, EventStatus, Objective, Page, PageRequest, StoreInfo,
    UserId,
};

/// The shop fields an owner may give when creating a draft; missing ones come from the profile.
#[derive(Debug, Default)]
pub struct StoreOverride {
    pub name: Option<String>,
    pub industry: Option<String>,
    pub address: Option<String>,
}

#[instrument(skip_all, fields(user_id = %owner, objective = %objective))]
pub async fn create_from_objective(
    s: &Services,
    owner: UserId,
    objective: Objective,
    given: StoreOverride,
) -> Result<Event, AppError> {
    let me = s
        .store
        .credentials_by_id(owner)
        .await?
        .ok_or(AppError::Unauthenticated)?
        .user;
    let profile = me.store.as_ref();
    let pick = |given: Option<String>, from_profile: Option<&String>| {
        given.or_else(|| from_profile.cloned())
    };
    let name = pick(given.name, profile.map(|p| &p.info.name));
    let industry = pick(given.industry, profile.map(|p| &p.info.industry));
    let address = pick(given.address, profile.map(|p| &p.info.address));
    let (name, industry, address) = match (name, industry, address) {
        (Some(n), Some(i), Some(a)) => (n, i, a),
        (n, i, a) => {
            let missing = [
                ("storeName", n.is_none()),
                ("industry", i.is_none()),
                ("address", a.is_none()),
            ]
            .into_iter()
            .filter_map(|(field, absent)| absent.then_some(field))
            .collect();
            return Err(AppError::StoreInfoMissing { missing });
        }
    };
    let store = StoreInfo::parse(&name, &industry, &address)?;
    let event = Event::draft(
        owner,
        profile.map(|p| p.id),
        objective,
        store,
        s.clock.now(),
    );
    s.store.insert_event(&event).await?;
    tracing::info!(event_id = %event.id, "draft event created");
    Ok(event)
}

pub async fn get(s: &Services, owner: UserId, id: EventId) -> Result<Event, AppError> {
    s.store
        .event_of_owner(owner, id)
        .await?
        .ok_or(AppError::EventNotFound)
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
    Ok(s.store.save_event(&event).await?)
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
    Ok(s.store.save_event(&event).await?)
}

#[instrument(skip_all, fields(user_id = %owner, event_id = %id))]
pub async fn delete(s: &Services, owner: UserId, id: EventId) -> Result<(), AppError> {
    let event = get(s, owner, id).await?;
    event.ensure_deletable()?;
    s.store.delete_event(&event).await?;
    tracing::info!("draft event deleted");
    Ok(())
}

#[instrument(skip_all, fields(user_id = %owner, event_id = %id))]
pub async fn end(s: &Services, owner: UserId, id: EventId) -> Result<Event, AppError> {
    let mut event = get(s, owner, id).await?;
    event.end(s.clock.now())?;
    let saved = s.store.save_event(&event).await?;
    tracing::info!("event ended");
    Ok(saved)
}
