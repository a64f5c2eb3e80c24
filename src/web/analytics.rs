//! The owner's results in the browser: the funnel, each channel, entries over time (drawn by
//! Chart.js from data in the page; the tables say the same for anyone without scripts), the
//! estimated return with redemptions recorded at the counter, and the shop's QR card.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use super::extract::{EventPath, over_limit};
use super::form::{self, Errors, won};
use super::session::Owner;
use super::{failed, html, message};
use crate::app::analytics::{self, Dashboard, Recording, RedemptionForm, links};
use crate::app::limits::Limit;
use crate::app::{AppError, Services};
use crate::domain::EventId;
use crate::domain::analytics::{Measured, Tally, conversion};
use crate::domain::calendar::seoul;
use crate::domain::entry::EntrySource;
use crate::domain::field::IdempotencyKey;
use crate::inbound::Client;

pub struct Figures {
    pub visitors: i64,
    pub clicks: i64,
    pub entries: i64,
    pub conversion: String,
}

fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

fn figures(t: Tally) -> Figures {
    Figures {
        visitors: t.visitors,
        clicks: t.clicks,
        entries: t.entries,
        conversion: percent(conversion(t.entries, t.visitors)),
    }
}

pub struct ChannelLine {
    pub label: &'static str,
    pub visitors: i64,
    pub clicks: i64,
    pub entries: i64,
    pub conversion: String,
    pub cost: String,
    pub stats: String,
    /// Passes used at the counter, the rate, and the cost per redeemed visit.
    pub redeemed: i64,
    pub rate: String,
    pub per_visit: String,
}

/// What the counter measured, as the dashboard's headline shows it.
pub struct Counted {
    pub measured: bool,
    pub redeemed: i64,
    pub rate: String,
    pub revenue: String,
    pub roi: String,
    pub per_visit: String,
    /// What else the counter and the customers did: stamps, friends invited and credited,
    /// reviews approved (only those that happened).
    pub more: Vec<(&'static str, i64)>,
}

fn won_or_dash(v: Option<f64>) -> String {
    v.map_or("-".to_owned(), |c| won(c.round() as i64))
}

fn counted(m: Measured) -> Counted {
    Counted {
        measured: m.redeemed > 0,
        redeemed: m.redeemed,
        rate: percent(m.rate),
        revenue: m.revenue.map_or("-".to_owned(), won),
        roi: m
            .roi
            .map_or("-".to_owned(), |r| format!("{:.0}%", r * 100.0)),
        per_visit: won_or_dash(m.cost_per_redeemed),
        more: [
            ("스탬프", m.stamps),
            ("초대로 참여한 친구", m.invited),
            ("보상이 인정된 초대", m.credited),
            ("승인한 후기", m.approved),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect(),
    }
}

#[derive(Template)]
#[template(path = "console/dashboard.html")]
struct DashboardPage {
    signed_in: bool,
    csrf: String,
    event_id: String,
    name: String,
    totals: Figures,
    cost_per_entry: String,
    roi: String,
    estimate: String,
    counted: Counted,
    platform: String,
    channels: Vec<ChannelLine>,
    funnel_chart: String,
    channel_chart: String,
    daily_chart: String,
    key: String,
    errors: Errors,
}

fn label(code: &str) -> &'static str {
    EntrySource::parse(code).map_or("직접 방문", EntrySource::label)
}

/// A channel's own figure, in Korean.
fn stat_label(key: &str) -> &str {
    match key {
        "reach" => "도달",
        "likes" => "좋아요",
        "comments" => "댓글",
        "delivered" => "발송 완료",
        "failed" => "발송 실패",
        "pending" => "발송 중",
        other => other,
    }
}

fn stats_text(d: &Dashboard, code: &str) -> String {
    let Some(st) = d.parts.stats.iter().find(|s| s.channel.code() == code) else {
        return "-".to_owned();
    };
    let values = (st.stats.as_ref().and_then(|v| v.as_object()))
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{} {v}", stat_label(k)))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_else(|| "아직 없음".to_owned());
    match (&st.last_error, st.collected_at) {
        (Some(_), Some(at)) => format!(
            "{values} ({} 기준, 최근 조회 실패)",
            at.with_timezone(&seoul()).format("%m/%d %H:%M")
        ),
        (Some(_), None) => "채널 응답 없음".to_owned(),
        _ => values,
    }
}

fn page_of(d: &Dashboard, csrf: String, errors: Errors) -> DashboardPage {
    let (e, t) = (&d.event, &d.totals);
    let (per_entry, guess) = (d.cost_per_entry(), d.estimate());
    let channels: Vec<ChannelLine> = (d.parts.sources.iter())
        .map(|(code, tally)| ChannelLine {
            label: label(code),
            visitors: tally.visitors,
            clicks: tally.clicks,
            entries: tally.entries,
            conversion: percent(conversion(tally.entries, tally.visitors)),
            cost: (d.cost_per_entry_of(code, tally.entries))
                .map_or("-".to_owned(), |c| won(c.round() as i64)),
            stats: stats_text(d, code),
            redeemed: tally.redeemed,
            rate: percent(d.measured_of(code, tally).rate),
            per_visit: won_or_dash(d.measured_of(code, tally).cost_per_redeemed),
        })
        .collect();
    let a = d.parts.averages;
    let platform = match a.events {
        0 => "같은 업종·같은 방식의 다른 이벤트가 아직 없어 평균과 비교할 수 없습니다.".to_owned(),
        n => format!(
            "같은 업종·같은 방식의 이벤트 {n}개 평균: 응모 {:.0}건, 전환율 {}, 응모 1건당 비용 {}",
            a.entries.unwrap_or(0.0),
            percent(a.conversion),
            a.cost_per_entry
                .map_or("-".to_owned(), |c| won(c.round() as i64))
        ),
    };
    let estimate_text = match (guess.revenue, t.average_spend) {
        (Some(r), Some(spend)) => format!(
            "매장 확인 {}건 × 평균 객단가 {} = 추정 매출 {} (추정치)",
            t.redemptions,
            won(spend),
            won(r)
        ),
        _ => "평균 객단가를 기록하면 추정 매출과 ROI를 계산합니다.".to_owned(),
    };
    let labels: Vec<&str> = channels.iter().map(|c| c.label).collect();
    DashboardPage {
        signed_in: true, csrf, event_id: e.id.to_string(), name: e.name.clone().unwrap_or_default(),
        totals: figures(t.tally),
        cost_per_entry: per_entry.map_or("-".to_owned(), |c| won(c.round() as i64)),
        roi: guess.roi.map_or("-".to_owned(), |r| format!("{:.0}%", r * 100.0)),
        estimate: estimate_text, platform, counted: counted(d.measured()),
        funnel_chart: json!({"type": "bar", "labels": ["방문자", "링크 클릭", "응모"],
            "series": [{"label": "명", "data": [t.tally.visitors, t.tally.clicks, t.tally.entries]}]}).to_string(),
        channel_chart: json!({"type": "bar", "labels": labels,
            "series": [{"label": "방문자", "data": channels.iter().map(|c| c.visitors).collect::<Vec<_>>()},
                       {"label": "응모", "data": channels.iter().map(|c| c.entries).collect::<Vec<_>>()}]}).to_string(),
        daily_chart: json!({"type": "line", "labels": d.parts.days.iter().map(|(day, _)| day.format("%m/%d").to_string()).collect::<Vec<_>>(),
            "series": [{"label": "방문자", "data": d.parts.days.iter().map(|(_, t)| t.visitors).collect::<Vec<_>>()},
                       {"label": "응모", "data": d.parts.days.iter().map(|(_, t)| t.entries).collect::<Vec<_>>()}]}).to_string(),
        channels, errors, key: crate::app::random_token(),
    }
}

async fn dashboard_page(s: &Services, owner: &Owner, id: EventId, errors: Errors) -> Response {
    match analytics::dashboard::dashboard(s, owner.id, id).await {
        Ok(d) => html(
            StatusCode::OK,
            page_of(&d, owner.csrf.clone(), errors).render(),
        ),
        Err(e) => failed(&e),
    }
}

pub async fn page(State(s): State<Services>, owner: Owner, EventPath(id): EventPath) -> Response {
    dashboard_page(&s, &owner, id, Errors::default()).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RedeemForm {
    pub csrf: String,
    pub count: String,
    pub average_spend: String,
    /// Fresh with every page: sending the same form twice records once.
    pub key: String,
}

pub async fn redeem(
    State(s): State<Services>,
    owner: Owner,
    EventPath(id): EventPath,
    axum::Form(f): axum::Form<RedeemForm>,
) -> Response {
    if let Err(refused) = owner.check(&f.csrf) {
        return refused.into_response();
    }
    let mut errors = Errors::default();
    let count = form::number("count", &f.count, &mut errors);
    let spend = form::number("averageSpend", &f.average_spend, &mut errors);
    let (Some(count), Some(spend)) = (count, spend) else {
        return dashboard_page(&s, &owner, id, errors).await;
    };
    let recorded = async {
        let form = RedemptionForm::new(count, spend).map_err(AppError::from)?;
        // The page wrote the key itself: a tampered one is only dropped.
        let key = IdempotencyKey::parse(&f.key).ok();
        let recording = Recording {
            form,
            idempotency_key: key,
        };
        analytics::redeem(&s, owner.id, id, recording).await
    };
    match recorded.await {
        Ok(_) => Redirect::to(&format!("/events/{id}/dashboard")).into_response(),
        Err(e) => dashboard_page(&s, &owner, id, Errors::of(&e)).await,
    }
}

/// The shop's A6 counter card with its QR code, as a download.
pub async fn card(State(s): State<Services>, owner: Owner, EventPath(id): EventPath) -> Response {
    match links::store_card(&s, owner.id, id).await {
        Ok((_, png)) => {
            let headers = [
                (header::CONTENT_TYPE, "image/png"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"qr-card-a6.png\"",
                ),
            ];
            (headers, png).into_response()
        }
        Err(e) => failed(&e),
    }
}

/// `/r/{code}`: a tracked link a customer followed. The click is counted and the browser goes
/// on to the event's page (`/e/{eventId}?c=CHANNEL`); a link that is not there is a page.
pub async fn follow(
    State(s): State<Services>,
    client: Client,
    Path(code): Path<String>,
) -> Response {
    if let Some(refused) = over_limit(&s, &client, Limit::Reads) {
        return refused;
    }
    let link = match links::follow(&s, &code, &client.visitor()).await {
        Ok(link) => link,
        Err(AppError::NotFound(_)) => {
            return message(
                StatusCode::NOT_FOUND,
                "링크를 찾을 수 없습니다",
                "받은 링크 주소가 맞는지 다시 확인해 주세요.",
            );
        }
        Err(e) => return failed(&e),
    };
    let to = format!("/e/{}?c={}", link.event_id, link.source.code());
    // 302, never cached: every opening reaches us (and is counted once a day).
    let headers = [
        (header::LOCATION, to),
        (header::CACHE_CONTROL, "no-store".to_owned()),
    ];
    (StatusCode::FOUND, headers).into_response()
}
