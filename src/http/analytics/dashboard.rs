//! `GET /api/events/{eventId}/analytics`: the funnel per channel, hourly and daily series in
//! Asia/Seoul, cost per entry, an estimated return the owner makes real at the counter, and the
//! platform's averages for the same trade and promotion type.

use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::app::Services;
use crate::app::analytics::{Dashboard, dashboard as build, links};
use crate::domain::EventStatus;
use crate::domain::analytics::{Measured, Tally, conversion, seoul_hour_label};
use crate::domain::entry::EntrySource;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{AuthUser, EventIdPath};

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Funnel {
    /// Page views, once per visitor per day.
    pub views: i64,
    /// Visitors, once per day; a channel counts those who came through it first that day.
    pub unique_visitors: i64,
    /// Tracked-link opens, once per visitor per day.
    pub clicks: i64,
    pub entries: i64,
    /// entries ÷ unique visitors (`null` before anyone came).
    pub conversion: Option<f64>,
}

impl From<Tally> for Funnel {
    fn from(t: Tally) -> Self {
        Self {
            views: t.views,
            unique_visitors: t.visitors,
            clicks: t.clicks,
            entries: t.entries,
            conversion: conversion(t.entries, t.visitors),
        }
    }
}

/// What the counter measured (passes issued and used, the revenue they brought, the return).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Results {
    /// Passes issued (every join of a pass promotion).
    pub issued: i64,
    /// Passes used and rewards given at the counter.
    pub redeemed: i64,
    /// redeemed ÷ issued.
    pub redemption_rate: Option<f64>,
    /// The spend the counter typed, plus the average of it for redemptions without one (the
    /// owner's recorded average spend before any was typed). `null` before the first redemption.
    pub revenue: Option<i64>,
    /// (revenue − cost) ÷ cost.
    pub roi: Option<f64>,
    /// The headline: cost ÷ redeemed visits.
    pub cost_per_redeemed_visit: Option<f64>,
    /// "실측" once something was redeemed; "추정치" before (see `estimate`).
    pub label: &'static str,
    /// Stamps given at the counter (stamp cards).
    pub stamps: i64,
    /// Friends who joined through customers' invite links, and those credited to their
    /// inviter (on joining, or on their first use, as the plan says).
    pub invited: i64,
    pub credited: i64,
    /// Photo reviews the owner approved.
    pub approved_reviews: i64,
}

impl From<Measured> for Results {
    fn from(m: Measured) -> Self {
        Self {
            issued: m.issued,
            redeemed: m.redeemed,
            redemption_rate: m.rate,
            revenue: m.revenue,
            roi: m.roi,
            cost_per_redeemed_visit: m.cost_per_redeemed,
            label: if m.redeemed > 0 {
                "실측"
            } else {
                "추정치"
            },
            stamps: m.stamps,
            invited: m.invited,
            credited: m.credited,
            approved_reviews: m.approved,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChannelStatsResponse {
    /// As the channel reports them (Instagram: reach, likes, comments; Kakao: delivered,
    /// failed, pending); the last values collected.
    #[schema(value_type = Object)]
    pub values: Option<Value>,
    pub collected_at: Option<DateTime<Utc>>,
    /// Why the last collection failed; the values above are then from `collectedAt`.
    pub last_error: Option<String>,
    pub attempted_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChannelResult {
    /// A channel code, STORE (the shop's QR code) or DIRECT (no tracked link).
    #[schema(example = "INSTAGRAM")]
    pub channel: String,
    #[schema(example = "인스타그램")]
    pub channel_label: &'static str,
    pub link: Option<String>,
    #[serde(flatten)]
    pub funnel: Funnel,
    /// The event's cost shared equally by its channels, per entry this channel brought.
    pub cost_per_entry: Option<f64>,
    /// What the counter measured of the customers this channel brought.
    pub results: Results,
    /// The post's outcome (PUBLISHED, SANDBOX, FAILED, …), once the distribution finished.
    #[schema(value_type = Option<String>)]
    pub post: Option<Value>,
    pub stats: Option<ChannelStatsResponse>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Point {
    /// The hour's start in Seoul (`2026-12-12T14:00:00+09:00`) or the Seoul date.
    pub at: String,
    #[serde(flatten)]
    pub funnel: Funnel,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Cost {
    pub budget: Option<i64>,
    pub prize_value: Option<i64>,
    pub winners: Option<i64>,
    /// The budget (plans include the prizes in it); without one, prize value × winners.
    pub total: Option<i64>,
    pub per_entry: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Estimate {
    #[schema(example = "추정치")]
    pub label: &'static str,
    pub note: &'static str,
    /// Visits or coupons the owner recorded at the counter.
    pub redemptions: i64,
    pub average_spend: Option<i64>,
    /// redemptions × average spend.
    pub revenue: Option<i64>,
    /// (revenue − cost) ÷ cost.
    pub roi: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Platform {
    /// Other published or ended events of the same trade and promotion type.
    pub events: i64,
    pub average_entries: Option<f64>,
    pub average_conversion: Option<f64>,
    pub average_cost_per_entry: Option<f64>,
    /// This event's figure ÷ the average (1.2 = 20 % above).
    pub entries_vs_average: Option<f64>,
    pub conversion_vs_average: Option<f64>,
    pub cost_per_entry_vs_average: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DashboardResponse {
    pub event_id: uuid::Uuid,
    pub name: Option<String>,
    pub status: EventStatus,
    #[schema(example = "Asia/Seoul")]
    pub timezone: &'static str,
    /// When the read model last changed.
    pub updated_at: DateTime<Utc>,
    pub totals: Funnel,
    pub channels: Vec<ChannelResult>,
    pub hourly: Vec<Point>,
    pub daily: Vec<Point>,
    pub cost: Cost,
    /// Measured at the counter: the figures to trust once something was redeemed.
    pub results: Results,
    pub estimate: Estimate,
    pub platform: Platform,
    pub published_at: Option<DateTime<Utc>>,
    pub drawn_at: Option<DateTime<Utc>>,
}

fn label(code: &str) -> &'static str {
    match EntrySource::parse(code) {
        Ok(s) => s.label(),
        Err(_) => "직접 방문",
    }
}

fn ratio(value: Option<f64>, average: Option<f64>) -> Option<f64> {
    match (value, average) {
        (Some(v), Some(a)) if a > 0.0 => Some(v / a),
        _ => None,
    }
}

fn channels(s: &Services, d: &Dashboard) -> Vec<ChannelResult> {
    d.parts
        .sources
        .iter()
        .map(|(code, tally)| {
            let link = d.parts.links.iter().find(|l| l.source.code() == code);
            let stats = d.parts.stats.iter().find(|st| st.channel.code() == code);
            ChannelResult {
                channel: code.clone(),
                channel_label: label(code),
                link: link.map(|l| links::link_url(s, l)),
                funnel: (*tally).into(),
                cost_per_entry: d.cost_per_entry_of(code, tally.entries),
                results: d.measured_of(code, tally).into(),
                post: (d.totals.distribution.as_ref()).and_then(|v| v.get(code).cloned()),
                stats: stats.map(|st| ChannelStatsResponse {
                    values: st.stats.clone(),
                    collected_at: st.collected_at,
                    last_error: st.last_error.clone(),
                    attempted_at: st.attempted_at,
                }),
            }
        })
        .collect()
}

fn points<T: Copy>(series: &[(T, Tally)], at: impl Fn(T) -> String) -> Vec<Point> {
    (series.iter())
        .map(|(t, tally)| Point {
            at: at(*t),
            funnel: (*tally).into(),
        })
        .collect()
}

impl DashboardResponse {
    fn of(s: &Services, d: &Dashboard) -> Self {
        let (e, t) = (&d.event, &d.totals);
        let winners = t.winners;
        let (total, per_entry, guess) = (d.cost(), d.cost_per_entry(), d.estimate());
        let a = d.parts.averages;
        let conv = conversion(t.tally.entries, t.tally.visitors);
        Self {
            event_id: e.id.0,
            name: e.name.clone(),
            status: e.status,
            timezone: "Asia/Seoul",
            updated_at: t.updated_at,
            totals: t.tally.into(),
            channels: channels(s, d),
            hourly: points(&d.parts.hours, seoul_hour_label),
            daily: points(&d.parts.days, |day: NaiveDate| day.to_string()),
            cost: Cost {
                budget: e.budget,
                prize_value: e.prize_value,
                winners,
                total,
                per_entry,
            },
            results: d.measured().into(),
            estimate: Estimate {
                label: "추정치",
                note: "매장에서 기록한 방문·쿠폰 사용 수와 평균 객단가로 계산한 추정치입니다.",
                redemptions: t.redemptions,
                average_spend: t.average_spend,
                revenue: guess.revenue,
                roi: guess.roi,
            },
            platform: Platform {
                events: a.events,
                average_entries: a.entries,
                average_conversion: a.conversion,
                average_cost_per_entry: a.cost_per_entry,
                entries_vs_average: ratio(Some(t.tally.entries as f64), a.entries),
                conversion_vs_average: ratio(conv, a.conversion),
                cost_per_entry_vs_average: ratio(per_entry, a.cost_per_entry),
            },
            published_at: t.published_at.or(e.published_at),
            drawn_at: t.drawn_at,
        }
    }
}

#[utoipa::path(get, path = "/api/events/{eventId}/analytics", operation_id = "analytics-get",
    tag = "analytics", security(("bearer" = [])), params(("eventId" = uuid::Uuid, Path)),
    responses((status = 200, body = DashboardResponse),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "ANALYTICS_001 아직 게시하지 않음")))]
pub async fn dashboard(
    State(s): State<Services>,
    AuthUser(me): AuthUser,
    EventIdPath(id): EventIdPath,
) -> Result<axum::Json<DashboardResponse>, ApiError> {
    let d = build::dashboard(&s, me, id).await?;
    Ok(axum::Json(DashboardResponse::of(&s, &d)))
}
