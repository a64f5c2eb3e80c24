//! Analytics: tracked links, the day's visitor key and visits (`mod.rs`), the read model fed by
//! domain events and the redemptions (`model.rs`), and the channels' statistics (`stats.rs`).

mod model;
mod stats;
mod write;

use async_trait::async_trait;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

use super::tx::{Tx, insert_outbox, tx_execute};
use super::{SqlStore, corrupt, db_error, execute, on_pool};
use crate::domain::EventId;
use crate::domain::entry::EntrySource;
use crate::ports::{Announcement, Counted, Link, StoreError, Visit};

type LinkRow = (String, Uuid, String, DateTime<Utc>);

fn link(row: LinkRow) -> Result<Link, StoreError> {
    let (code, event, source, created_at) = row;
    Ok(Link {
        code,
        event_id: EventId(event),
        source: EntrySource::parse(&source).map_err(|_| corrupt("links.source"))?,
        created_at,
    })
}

#[derive(Clone, Copy)]
enum LinkKey<'a> {
    Event(Uuid),
    Code(&'a str),
}

const INSERT_VISIT: &str = "INSERT INTO visits (event_id, day, kind, source, visitor) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";

impl SqlStore {
    async fn links_where(&self, key: LinkKey<'_>) -> Result<Vec<Link>, StoreError> {
        let clause = match key {
            LinkKey::Event(_) => "event_id = $1",
            LinkKey::Code(_) => "code = $1",
        };
        let sql = format!(
            "SELECT code, event_id, source, created_at FROM links WHERE {clause} ORDER BY source"
        );
        let rows: Vec<LinkRow> = on_pool!(self, |p| {
            let q = sqlx::query_as(&sql);
            match key {
                LinkKey::Event(id) => q.bind(id),
                LinkKey::Code(code) => q.bind(code),
            }
            .fetch_all(p)
            .await
        })
        .map_err(db_error)?;
        rows.into_iter().map(link).collect()
    }

    pub(super) async fn insert_links_impl(&self, links: &[Link]) -> Result<(), StoreError> {
        for l in links {
            execute!(
                self,
                "INSERT INTO links (code, event_id, source, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT DO NOTHING",
                &l.code,
                l.event_id.0,
                l.source.code(),
                l.created_at
            )?;
        }
        Ok(())
    }

    pub(super) async fn visitor_key_impl(
        &self,
        day: NaiveDate,
        candidate: &[u8],
    ) -> Result<Vec<u8>, StoreError> {
        execute!(
            self,
            "INSERT INTO visitor_keys (day, secret) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            day,
            candidate
        )?;
        execute!(
            self,
            "DELETE FROM visitor_keys WHERE day < $1",
            day - Duration::days(1)
        )?;
        let key: Option<(Vec<u8>,)> = on_pool!(self, |p| sqlx::query_as(
            "SELECT secret FROM visitor_keys WHERE day = $1"
        )
        .bind(day)
        .fetch_optional(p)
        .await)
        .map_err(db_error)?;
        key.map(|k| k.0).ok_or_else(|| corrupt("visitor_keys"))
    }

    pub(super) async fn record_visits_impl(
        &self,
        visits: &[Visit],
        announce: Announcement<'_>,
    ) -> Result<Vec<Counted>, StoreError> {
        let mut tx = self.begin().await?;
        // One statement for the whole batch on PostgreSQL; a row at a time on SQLite's single
        // writer.
        let all = if let Tx::Postgres(t) = &mut tx {
            counted_pg(t, visits).await?
        } else {
            let mut all = Vec::with_capacity(visits.len());
            for v in visits {
                let mut inserted = [false; 2];
                for (i, (kind, source)) in keys(v).into_iter().enumerate() {
                    let (e, d, who) = (v.event_id.0, v.day, &v.visitor);
                    inserted[i] = tx_execute!(&mut tx, INSERT_VISIT, e, d, kind, source, who)? > 0;
                }
                all.push(Counted {
                    first_of_kind: inserted[0],
                    first_visit: inserted[1],
                });
            }
            all
        };
        let new: Vec<(&Visit, Counted)> = (visits.iter().zip(all.iter().copied()))
            .filter(|(_, c)| c.first_of_kind || c.first_visit)
            .collect();
        for message in announce(&new) {
            insert_outbox(&mut tx, &message).await?;
        }
        tx.commit().await?;
        Ok(all)
    }
}

/// The two rows a visit counts in: its kind on its source, and the event's visitor of the day.
fn keys(v: &Visit) -> [(&'static str, &'static str); 2] {
    [(v.kind.code(), v.source), ("VISITOR", "")]
}

const INSERT_VISITS_PG: &str = "INSERT INTO visits (event_id, day, kind, source, visitor) \
     SELECT * FROM UNNEST($1::uuid[], $2::date[], $3::text[], $4::text[], $5::text[]) \
     ON CONFLICT DO NOTHING RETURNING event_id, day, kind, source, visitor";

type VisitKey = (Uuid, NaiveDate, String, String, String);

/// A batch's visits in one statement: what each counted new, in order (the same visitor twice
/// in one batch counts once, for the first).
async fn counted_pg(
    t: &mut sqlx::PgConnection,
    visits: &[Visit],
) -> Result<Vec<Counted>, StoreError> {
    let rows: Vec<VisitKey> = (visits.iter())
        .flat_map(|v| {
            keys(v).map(|(k, s)| (v.event_id.0, v.day, k.into(), s.into(), v.visitor.clone()))
        })
        .collect();
    let column = |f: fn(&VisitKey) -> String| rows.iter().map(f).collect::<Vec<String>>();
    let mut new: std::collections::HashSet<VisitKey> = sqlx::query_as(INSERT_VISITS_PG)
        .bind(rows.iter().map(|r| r.0).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.1).collect::<Vec<_>>())
        .bind(column(|r| r.2.clone()))
        .bind(column(|r| r.3.clone()))
        .bind(column(|r| r.4.clone()))
        .fetch_all(&mut *t)
        .await
        .map_err(db_error)?
        .into_iter()
        .collect();
    Ok((rows.chunks(2))
        .map(|pair| Counted {
            first_of_kind: new.remove(&pair[0]),
            first_visit: new.remove(&pair[1]),
        })
        .collect())
}

#[async_trait]
impl crate::ports::AnalyticsStore for SqlStore {
    async fn insert_links(&self, links: &[Link]) -> Result<(), StoreError> {
        self.insert_links_impl(links).await
    }

    async fn links_of_event(&self, event: EventId) -> Result<Vec<Link>, StoreError> {
        self.links_where(LinkKey::Event(event.0)).await
    }

    async fn link(&self, code: &str) -> Result<Option<Link>, StoreError> {
        Ok(self.links_where(LinkKey::Code(code)).await?.pop())
    }

    async fn visitor_key(&self, day: NaiveDate, candidate: &[u8]) -> Result<Vec<u8>, StoreError> {
        self.visitor_key_impl(day, candidate).await
    }

    async fn record_visits(
        &self,
        visits: &[Visit],
        announce: Announcement<'_>,
    ) -> Result<Vec<Counted>, StoreError> {
        self.record_visits_impl(visits, announce).await
    }

    async fn forget_visits(&self, before: NaiveDate) -> Result<u64, StoreError> {
        execute!(self, "DELETE FROM visits WHERE day < $1", before)
    }

    async fn apply_analytics(
        &self,
        message: crate::domain::MessageId,
        event: EventId,
        changes: &[crate::domain::analytics::Change],
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.apply_impl(message, event, changes, now).await
    }

    async fn analytics_totals(
        &self,
        event: EventId,
    ) -> Result<Option<crate::ports::Totals>, StoreError> {
        self.totals_impl(event).await
    }

    async fn analytics_sources(
        &self,
        event: EventId,
    ) -> Result<Vec<(String, crate::domain::analytics::Tally)>, StoreError> {
        self.sources_impl(event).await
    }

    async fn analytics_hours(
        &self,
        event: EventId,
    ) -> Result<Vec<(DateTime<Utc>, crate::domain::analytics::Tally)>, StoreError> {
        self.hours_impl(event).await
    }

    async fn platform_averages(
        &self,
        kind: crate::domain::promotion::IndustryKind,
        promotion: crate::domain::promotion::PromotionType,
        except: EventId,
    ) -> Result<crate::ports::Averages, StoreError> {
        self.averages_impl(kind, promotion, except).await
    }

    async fn record_redemption(
        &self,
        r: &crate::ports::Redemption,
    ) -> Result<crate::ports::Totals, StoreError> {
        self.redemption_impl(r).await
    }

    async fn published_posts(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<crate::ports::PublishedPost>, StoreError> {
        self.published_posts_impl(since).await
    }

    async fn save_channel_stats(
        &self,
        event: EventId,
        stats: &crate::ports::StoredStats,
    ) -> Result<(), StoreError> {
        self.save_stats_impl(event, stats).await
    }

    async fn channel_stats(
        &self,
        event: EventId,
    ) -> Result<Vec<crate::ports::StoredStats>, StoreError> {
        self.stats_impl(event).await
    }
}
