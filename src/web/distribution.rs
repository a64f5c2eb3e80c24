//! The wizard's last step and what follows: the review with the pre-publish checks, publishing,
//! then each channel's live status (the page refreshes itself while posts are on their way),
//! retrying failed channels, confirming posts whose outcome is unknown, and ending the event.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::confirm;
use super::events::period;
use super::extract::{ChannelCode, EventPath};
use super::form::{Confirmable, CsrfOnly, Errors, won};
use super::session::Owner;
use super::{STEPS, failed, html};
use crate::app::{AppError, Services, channels, distribution, events, images};
use crate::domain::distribution::{ChannelStatus, Distribution};
use crate::domain::mechanic::Mechanic;
use crate::domain::{Channel, Event, EventId, EventStatus};

#[derive(Template)]
#[template(path = "console/review.html")]
struct ReviewPage {
    signed_in: bool,
    csrf: String,
    step: usize,
    step_names: &'static [&'static str],
    event_id: String,
    name: String,
    period: String,
    prize: String,
    budget: String,
    channels: String,
    poster: Option<String>,
    problems: Vec<String>,
}

async fn review_page(
    s: &Services,
    owner: &Owner,
    event: &Event,
    problems: Vec<String>,
) -> Response {
    let poster = (images::list(s, owner.id, event.id)
        .await
        .unwrap_or_default()
        .iter())
    .find(|i| i.selected)
    .and_then(|i| i.content.blob_key().map(|k| s.blobs.url(k)));
    let labels: Vec<&str> = event.channels.iter().map(|c| c.label()).collect();
    let page = ReviewPage {
        signed_in: true,
        csrf: owner.csrf.clone(),
        step: 6,
        step_names: STEPS,
        event_id: event.id.to_string(),
        name: event.name.clone().unwrap_or_default(),
        period: period(event),
        prize: event.prize.clone().unwrap_or_default(),
        budget: event
            .budget
            .map(won)
            .unwrap_or_else(|| "정하지 않음".to_owned()),
        channels: labels.join(", "),
        poster,
        problems,
    };
    let status = if page.problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    html(status, page.render())
}

pub async fn review(State(s): State<Services>, owner: Owner, EventPath(id): EventPath) -> Response {
    let event = match events::get(&s, owner.id, id).await {
        Ok(e) if e.status == EventStatus::Draft => e,
        Ok(_) => return Redirect::to(&format!("/events/{id}/status")).into_response(),
        Err(e) => return failed(&e),
    };
    match distribution::checks(&s, owner.id, id).await {
        Ok(problems) => {
            review_page(
                &s,
                &owner,
                &event,
                problems.iter().map(|p| p.message()).collect(),
            )
            .await
        }
        Err(e) => failed(&e),
    }
}

pub async fn publish(
    State(s): State<Services>,
    owner: Owner,
    EventPath(id): EventPath,
    axum::Form(f): axum::Form<CsrfOnly>,
) -> Response {
    if let Err(refused) = owner.check(&f.csrf) {
        return refused.into_response();
    }
    match distribution::publish(&s, owner.id, id).await {
        Ok(_) => Redirect::to(&format!("/events/{id}/status")).into_response(),
        Err(AppError::NotReadyToPublish(problems)) => match events::get(&s, owner.id, id).await {
            Ok(event) => {
                review_page(
                    &s,
                    &owner,
                    &event,
                    problems.iter().map(|p| p.message()).collect(),
                )
                .await
            }
            Err(e) => failed(&e),
        },
        Err(e) => failed(&e),
    }
}

pub struct PostRow {
    pub code: &'static str,
    pub label: &'static str,
    pub state: &'static str,
    pub message: String,
    pub url: Option<String>,
    pub unknown: bool,
}

#[derive(Template)]
#[template(path = "console/status.html")]
struct StatusPage {
    signed_in: bool,
    csrf: String,
    event_id: String,
    name: String,
    status: &'static str,
    period: String,
    posts: Vec<PostRow>,
    refresh: bool,
    retryable: bool,
    published: bool,
    errors: Errors,
    /// The tabs the event's promotion has: a draw (a giveaway, or no mechanic), the counter (a
    /// pass promotion), photo reviews.
    draws: bool,
    counter: bool,
    reviews: bool,
}

fn rows(d: &Distribution) -> Vec<PostRow> {
    (d.channels.iter())
        .map(|p| PostRow {
            code: p.channel.code(),
            label: p.channel.label(),
            state: p.status.label(),
            message: p.words(),
            url: p.url.clone(),
            unknown: p.status == ChannelStatus::Unknown,
        })
        .collect()
}

async fn status_page(s: &Services, owner: &Owner, id: EventId, errors: Errors) -> Response {
    let (event, d) = match (
        events::get(s, owner.id, id).await,
        distribution::get(s, owner.id, id).await,
    ) {
        (Ok(e), Ok(d)) => (e, d),
        (Err(e), _) | (_, Err(e)) => return failed(&e),
    };
    let connected = match channels::connections(s, owner.id).await {
        Ok(c) => c,
        Err(e) => return failed(&e),
    };
    let now = s.clock.now();
    let retryable = (d.channels.iter()).any(|p| distribution::retryable(p, &connected, now));
    let passes = (event.mechanic.as_ref()).is_some_and(Mechanic::gives_pass);
    let page = StatusPage {
        signed_in: true,
        csrf: owner.csrf.clone(),
        event_id: id.to_string(),
        name: event.name.clone().unwrap_or_default(),
        status: event.status.label(),
        period: period(&event),
        refresh: d.channels.iter().any(|p| !p.status.is_settled()),
        posts: rows(&d),
        retryable,
        published: event.status == EventStatus::Published,
        errors,
        draws: !passes,
        counter: passes,
        reviews: matches!(event.mechanic, Some(Mechanic::PhotoReview { .. })),
    };
    html(StatusCode::OK, page.render())
}

pub async fn status(State(s): State<Services>, owner: Owner, EventPath(id): EventPath) -> Response {
    status_page(&s, &owner, id, Errors::default()).await
}

/// After an action: back to the status page, or the status page with what went wrong.
async fn then_status(
    s: &Services,
    owner: &Owner,
    id: EventId,
    done: Result<(), AppError>,
) -> Response {
    match done {
        Ok(()) => Redirect::to(&format!("/events/{id}/status")).into_response(),
        Err(e) => status_page(s, owner, id, Errors::of(&e)).await,
    }
}

pub async fn retry(
    State(s): State<Services>,
    owner: Owner,
    EventPath(id): EventPath,
    axum::Form(f): axum::Form<CsrfOnly>,
) -> Response {
    if let Err(refused) = owner.check(&f.csrf) {
        return refused.into_response();
    }
    let done = distribution::retry(&s, owner.id, id).await.map(|_| ());
    then_status(&s, &owner, id, done).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ConfirmForm {
    pub csrf: String,
    pub posted: String,
}

pub async fn confirm(
    State(s): State<Services>,
    owner: Owner,
    EventPath(id): EventPath,
    ChannelCode(code): ChannelCode,
    axum::Form(f): axum::Form<ConfirmForm>,
) -> Response {
    if let Err(refused) = owner.check(&f.csrf) {
        return refused.into_response();
    }
    let done = async {
        let channel = Channel::parse(&code)?;
        distribution::confirm(&s, owner.id, id, channel, f.posted == "true", None)
            .await
            .map(|_| ())
    };
    let done = done.await;
    then_status(&s, &owner, id, done).await
}

pub async fn end(
    State(s): State<Services>,
    owner: Owner,
    EventPath(id): EventPath,
    axum::Form(f): axum::Form<Confirmable>,
) -> Response {
    if let Err(refused) = owner.check(&f.csrf) {
        return refused.into_response();
    }
    if !confirm::confirmed(&f.confirmed) {
        let ask = confirm::Ask {
            heading: "이벤트를 지금 종료할까요?",
            consequences: vec![
                "고객용 페이지의 응모가 바로 닫힙니다.".to_owned(),
                "종료한 이벤트는 다시 열 수 없습니다.".to_owned(),
                "이미 받은 응모는 그대로 남습니다. 추첨하는 이벤트는 종료한 뒤에 추첨합니다."
                    .to_owned(),
            ],
            action: format!("/events/{id}/end"),
            fields: Vec::new(),
            button: "네, 지금 종료합니다",
            back: format!("/events/{id}/status"),
        };
        return confirm::ask(&owner, &ask);
    }
    let done = events::end(&s, owner.id, id).await.map(|_| ());
    then_status(&s, &owner, id, done).await
}
