//! Marketing events.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::types::Json;
use uuid::Uuid;

use super::tx::save_event;
use super::{SqlStore, corrupt, db_error, execute, on_pool};
use crate::domain::mechanic::Mechanic;
use crate::domain::promotion::{IndustryKind, PromotionType};
use crate::domain::{
    Channel, Event, EventId, EventStatus, Objective, Page, PageRequest, ShopId, ShopInfo, UserId,
};
use crate::ports::{EventStore, StoreError};

pub(crate) const EVENT_COLUMNS: &str = "id, user_id, store_id, objective, store_name, industry, \
     address, status, name, description, prize, budget, start_date, end_date, channels, version, \
     created_at, updated_at, published_at, ended_at, promotion_type, industry_kind, prize_value, \
     mechanic";

#[derive(sqlx::FromRow)]
pub(crate) struct EventRow {
    id: Uuid,
    user_id: Uuid,
    store_id: Option<Uuid>,
    objective: String,
    store_name: String,
    industry: String,
    address: String,
    status: String,
    name: Option<String>,
    description: Option<String>,
    prize: Option<String>,
    budget: Option<i64>,
    start_date: Option<NaiveDate>,
    end_date: Option<NaiveDate>,
    channels: Json<Vec<String>>,
    version: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    published_at: Option<DateTime<Utc>>,
    ended_at: Option<DateTime<Utc>>,
    promotion_type: Option<String>,
    prize_value: Option<i64>,
    mechanic: Option<Json<Mechanic>>,
}

impl TryFrom<EventRow> for Event {
    type Error = StoreError;

    fn try_from(r: EventRow) -> Result<Self, StoreError> {
        Ok(Event {
            id: EventId(r.id),
            owner: UserId(r.user_id),
            shop_id: r.store_id.map(ShopId),
            objective: Objective::from_code(&r.objective).ok_or_else(|| corrupt("objective"))?,
            shop: ShopInfo {
                name: r.store_name,
                industry: r.industry,
                address: r.address,
            },
            status: EventStatus::parse(&r.status).map_err(|_| corrupt("status"))?,
            name: r.name,
            description: r.description,
            prize: r.prize,
            prize_value: r.prize_value,
            budget: r.budget,
            start_date: r.start_date,
            end_date: r.end_date,
            channels: Channel::parse_set(&r.channels.0).map_err(|_| corrupt("channels"))?,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
            published_at: r.published_at,
            ended_at: r.ended_at,
            mechanic: r.mechanic.map(|m| m.0),
            promotion_type: match r.promotion_type {
                None => None,
                Some(code) => {
                    Some(PromotionType::from_code(&code).ok_or_else(|| corrupt("promotion_type"))?)
                }
            },
        })
    }
}

pub(crate) fn industry_kind(event: &Event) -> &'static str {
    IndustryKind::of(&event.shop.industry).code()
}

pub(crate) fn channel_codes(event: &Event) -> Json<Vec<&'static str>> {
    Json(event.channels.iter().map(|c| c.code()).collect())
}

/// Writes every mutable field of an event read at `version`, and bumps the version. Ending it
/// also counts its entries, for the platform history (`promotion_history`).
pub(crate) const SAVE_EVENT: &str = "UPDATE events SET status = $1, name = $2, description = $3, \
     prize = $4, budget = $5, start_date = $6, end_date = $7, channels = $8, \
     entry_count = CASE WHEN $1 = 'ENDED' \
         THEN (SELECT COUNT(*) FROM entries WHERE entries.event_id = events.id) \
         ELSE entry_count END, \
     version = version + 1, updated_at = $9, published_at = $10, ended_at = $11, \
     promotion_type = $12, industry_kind = $13, prize_value = $14, mechanic = $15, \
     objective = $19 \
     WHERE id = $16 AND user_id = $17 AND version = $18";

#[async_trait]
impl EventStore for SqlStore {
    async fn insert_event(&self, e: &Event) -> Result<(), StoreError> {
        let sql = format!(
            "INSERT INTO events ({EVENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
             $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)"
        );
        on_pool!(self, |p| {
            sqlx::query(&sql)
                .bind(e.id.0)
                .bind(e.owner.0)
                .bind(e.shop_id.map(|s| s.0))
                .bind(e.objective.code())
                .bind(&e.shop.name)
                .bind(&e.shop.industry)
                .bind(&e.shop.address)
                .bind(e.status.code())
                .bind(&e.name)
                .bind(&e.description)
                .bind(&e.prize)
                .bind(e.budget)
                .bind(e.start_date)
                .bind(e.end_date)
                .bind(channel_codes(e))
                .bind(e.version)
                .bind(e.created_at)
                .bind(e.updated_at)
                .bind(e.published_at)
                .bind(e.ended_at)
                .bind(e.promotion_type.map(PromotionType::code))
                .bind(industry_kind(e))
                .bind(e.prize_value)
                .bind(e.mechanic.as_ref().map(Json))
                .execute(p)
                .await
                .map(|_| ())
        })
        .map_err(db_error)
    }

    async fn event_of_owner(
        &self,
        owner: UserId,
        id: EventId,
    ) -> Result<Option<Event>, StoreError> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = $1 AND user_id = $2");
        let row: Option<EventRow> = on_pool!(self, |p| {
            sqlx::query_as(&sql)
                .bind(id.0)
                .bind(owner.0)
                .fetch_optional(p)
                .await
        })
        .map_err(db_error)?;
        row.map(Event::try_from).transpose()
    }

    async fn list_events(
        &self,
        owner: UserId,
        status: Option<EventStatus>,
        page: PageRequest,
    ) -> Result<Page<Event>, StoreError> {
        let filter = if status.is_some() {
            "user_id = $1 AND status = $2"
        } else {
            "user_id = $1 AND $2 IS NULL"
        };
        let count_sql = format!("SELECT COUNT(*) FROM events WHERE {filter}");
        let page_sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE {filter} \
             ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4"
        );
        let status = status.map(EventStatus::code);
        let (total, rows): (i64, Vec<EventRow>) = on_pool!(self, |p| {
            let total = sqlx::query_scalar(&count_sql)
                .bind(owner.0)
                .bind(status)
                .fetch_one(p)
                .await;
            match total {
                Ok(total) => sqlx::query_as(&page_sql)
                    .bind(owner.0)
                    .bind(status)
                    .bind(page.limit())
                    .bind(page.offset())
                    .fetch_all(p)
                    .await
                    .map(|rows| (total, rows)),
                Err(e) => Err(e),
            }
        })
        .map_err(db_error)?;
        Ok(Page {
            items: rows
                .into_iter()
                .map(Event::try_from)
                .collect::<Result<_, _>>()?,
            page: page.page,
            size: page.size,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    async fn save_event(&self, e: &Event) -> Result<Event, StoreError> {
        let mut tx = self.begin().await?;
        let saved = save_event(&mut tx, e).await?;
        tx.commit().await?;
        Ok(saved)
    }

    async fn published_events_ending_before(
        &self,
        today: NaiveDate,
        limit: i64,
    ) -> Result<Vec<Event>, StoreError> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE status = 'PUBLISHED' AND end_date < $1 \
             ORDER BY end_date, id LIMIT $2"
        );
        let rows: Vec<EventRow> = on_pool!(self, |p| {
            sqlx::query_as(&sql)
                .bind(today)
                .bind(limit)
                .fetch_all(p)
                .await
        })
        .map_err(db_error)?;
        rows.into_iter().map(Event::try_from).collect()
    }

    async fn delete_event(&self, e: &Event) -> Result<(), StoreError> {
        let affected = execute!(
            self,
            "DELETE FROM events WHERE id = $1 AND user_id = $2 AND version = $3 \
                 AND status = 'DRAFT'",
            e.id.0,
            e.owner.0,
            e.version,
        )?;
        if affected == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict)
        }
    }
}
