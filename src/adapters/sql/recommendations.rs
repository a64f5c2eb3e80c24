//! Recommendations of an event, their selection, and the platform history they feed.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::types::Json;
use uuid::Uuid;

use super::events::{EVENT_COLUMNS, EventRow};
use super::tx::{save_event, tx_execute};
use super::{SqlStore, corrupt, db_error, on_pool};
use crate::domain::promotion::{IndustryKind, Plan, PromotionStats, PromotionType, Recommendation};
use crate::domain::{Event, EventId, JobId, Objective, RecommendationId};
use crate::ports::{RecommendationStore, StoreError};

#[derive(sqlx::FromRow)]
struct RecommendationRow {
    id: Uuid,
    event_id: Uuid,
    job_id: Uuid,
    rank: i32,
    plan: Json<Plan>,
    selected: bool,
    created_at: DateTime<Utc>,
}

#[async_trait]
impl RecommendationStore for SqlStore {
    async fn recommendations_of_event(
        &self,
        event: EventId,
    ) -> Result<Vec<Recommendation>, StoreError> {
        let rows: Vec<RecommendationRow> = on_pool!(self, |p| {
            sqlx::query_as(
                "SELECT id, event_id, job_id, rank, plan, selected, created_at \
                 FROM recommendations WHERE event_id = $1 ORDER BY rank",
            )
            .bind(event.0)
            .fetch_all(p)
            .await
        })
        .map_err(db_error)?;
        rows.into_iter()
            .map(|r| {
                Ok(Recommendation {
                    id: RecommendationId(r.id),
                    event_id: EventId(r.event_id),
                    job_id: JobId(r.job_id),
                    rank: u8::try_from(r.rank).map_err(|_| corrupt("rank"))?,
                    plan: r.plan.0,
                    selected: r.selected,
                    created_at: r.created_at,
                })
            })
            .collect()
    }

    async fn select_recommendation(
        &self,
        event: &Event,
        recommendation: RecommendationId,
    ) -> Result<Option<Event>, StoreError> {
        let mut tx = self.begin().await?;
        // Clear first, then set: the partial unique index allows one selected row at a time.
        tx_execute!(
            &mut tx,
            "UPDATE recommendations SET selected = $1 WHERE event_id = $2 AND selected = $3",
            false,
            event.id.0,
            true,
        )?;
        let found = tx_execute!(
            &mut tx,
            "UPDATE recommendations SET selected = $1 WHERE id = $2 AND event_id = $3",
            true,
            recommendation.0,
            event.id.0,
        )?;
        if found != 1 {
            return Ok(None);
        }
        let saved = save_event(&mut tx, event).await?;
        tx.commit().await?;
        Ok(Some(saved))
    }

    async fn promotion_history(
        &self,
        kind: IndustryKind,
        objective: Objective,
    ) -> Result<Vec<PromotionStats>, StoreError> {
        let rows: Vec<(String, i64, f64)> = on_pool!(self, |p| {
            sqlx::query_as(
                // Entries as the analytics read model counted them, or as counted at the end.
                "SELECT e.promotion_type, COUNT(*), CAST(AVG(CASE WHEN a.entries > e.entry_count \
                 THEN a.entries ELSE e.entry_count END) AS DOUBLE PRECISION) \
                 FROM events e LEFT JOIN analytics_events a ON a.event_id = e.id \
                 WHERE e.status = 'ENDED' AND e.industry_kind = $1 AND e.objective = $2 \
                 AND e.promotion_type IS NOT NULL GROUP BY e.promotion_type \
                 ORDER BY e.promotion_type",
            )
            .bind(kind.code())
            .bind(objective.code())
            .fetch_all(p)
            .await
        })
        .map_err(db_error)?;
        rows.into_iter()
            .map(|(code, events, avg)| {
                Ok(PromotionStats {
                    promotion_type: PromotionType::from_code(&code)
                        .ok_or_else(|| corrupt("promotion_type"))?,
                    events: u32::try_from(events).unwrap_or(u32::MAX),
                    average_entries: avg,
                })
            })
            .collect()
    }

    async fn event_by_id(&self, id: EventId) -> Result<Option<Event>, StoreError> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = $1");
        let row: Option<EventRow> = on_pool!(self, |p| sqlx::query_as(&sql)
            .bind(id.0)
            .fetch_optional(p)
            .await)
        .map_err(db_error)?;
        row.map(Event::try_from).transpose()
    }
}
