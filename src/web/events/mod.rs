//! The owner's events: the list, a new event from its objective (which asks for the AI plans
//! at once), the hub that sends a draft to its next step, and customising the chosen plan
//! (`customise`).

pub mod customise;
pub mod mechanic;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::confirm;
use super::extract::EventPath;
use super::form::{Confirmable, CsrfOnly, Errors};
use super::session::Owner;
use super::{STEPS, failed, html};
use crate::app::{Services, events, images, recommendations};
use crate::domain::{Event, EventStatus, Objective, PageRequest};

pub struct EventRow {
    pub id: String,
    pub name: String,
    pub objective: &'static str,
    pub status: &'static str,
    pub period: String,
    /// A draft may be deleted (with a confirmation).
    pub draft: bool,
}

pub fn period(e: &Event) -> String {
    match (e.start_date, e.end_date) {
        (Some(a), Some(b)) => format!("{} ~ {}", a.format("%Y.%m.%d"), b.format("%Y.%m.%d")),
        _ => "미정".to_owned(),
    }
}

#[derive(Template)]
#[template(path = "console/events.html")]
struct ListPage {
    signed_in: bool,
    csrf: String,
    events: Vec<EventRow>,
}

pub async fn list(State(s): State<Services>, owner: Owner) -> Response {
    let Ok(page) = PageRequest::parse(Some(1), Some(100)) else {
        return super::message(
            StatusCode::INTERNAL_SERVER_ERROR,
            "오류",
            "목록을 읽을 수 없습니다.",
        );
    };
    let found = match events::list(&s, owner.id, None, page).await {
        Ok(p) => p.items,
        Err(e) => return failed(&e),
    };
    let events = (found.iter())
        .map(|e| EventRow {
            id: e.id.to_string(),
            name: e.name.clone().unwrap_or_else(|| "(이름 없음)".to_owned()),
            objective: e.objective.label(),
            status: e.status.label(),
            period: period(e),
            draft: e.status == EventStatus::Draft,
        })
        .collect();
    html(
        StatusCode::OK,
        ListPage {
            signed_in: true,
            csrf: owner.csrf,
            events,
        }
        .render(),
    )
}

#[derive(Template)]
#[template(path = "console/new.html")]
struct NewPage {
    signed_in: bool,
    csrf: String,
    step: usize,
    step_names: &'static [&'static str],
    objectives: Vec<(&'static str, &'static str, &'static str)>,
    errors: Errors,
}

fn hint(o: Objective) -> &'static str {
    match o {
        Objective::NewCustomers => "처음 오는 손님을 늘립니다",
        Objective::Revisit => "다녀간 손님이 다시 오게 합니다",
        Objective::Sales => "한 번 올 때 더 쓰게 합니다",
        Objective::Awareness => "동네에 가게를 알립니다",
    }
}

fn new_page(csrf: String, errors: Errors) -> Response {
    let objectives = (Objective::ALL.into_iter())
        .map(|o| (o.code(), o.label(), hint(o)))
        .collect();
    let page = NewPage {
        signed_in: true,
        csrf,
        step: 1,
        step_names: STEPS,
        objectives,
        errors,
    };
    html(StatusCode::OK, page.render())
}

pub async fn new_form(owner: Owner) -> Response {
    new_page(owner.csrf, Errors::default())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewForm {
    pub csrf: String,
    pub objective: String,
}

/// Creates the draft and asks for the plans: the next page follows the job.
pub async fn create(
    State(s): State<Services>,
    owner: Owner,
    axum::Form(f): axum::Form<NewForm>,
) -> Response {
    if let Err(refused) = owner.check(&f.csrf) {
        return refused.into_response();
    }
    let Ok(objective) = Objective::parse(&f.objective) else {
        return new_page(owner.csrf, Errors::general("목표를 하나 골라 주세요."));
    };
    let event = match events::start_from_objective(&s, owner.id, objective).await {
        Ok(e) => e,
        Err(e) => return new_page(owner.csrf, Errors::of(&e)),
    };
    match recommendations::request(&s, owner.id, event.id).await {
        Ok(job) => {
            Redirect::to(&format!("/events/{}/plans?job={}", event.id, job.id)).into_response()
        }
        Err(_) => Redirect::to(&format!("/events/{}/plans", event.id)).into_response(),
    }
}

/// An event's page: a draft goes to the step it is at, a published event to its status.
pub async fn hub(State(s): State<Services>, owner: Owner, EventPath(id): EventPath) -> Response {
    let event = match events::get(&s, owner.id, id).await {
        Ok(e) => e,
        Err(e) => return failed(&e),
    };
    if event.status != EventStatus::Draft {
        return Redirect::to(&format!("/events/{id}/status")).into_response();
    }
    let plans = recommendations::list(&s, owner.id, id)
        .await
        .unwrap_or_default();
    let images = images::list(&s, owner.id, id).await.unwrap_or_default();
    // A duplicate carries its plan (its promotion) without a plan list of its own.
    let step = match (
        plans.iter().any(|r| r.selected) || event.promotion_type.is_some(),
        images.iter().any(|i| i.selected),
    ) {
        (false, _) => "plans",
        (true, false) if images.is_empty() => "customise",
        (true, false) => "posters",
        (true, true) => "review",
    };
    Redirect::to(&format!("/events/{id}/{step}")).into_response()
}

/// A copy of the event as a new draft, straight to its wording and new dates.
pub async fn duplicate(
    State(s): State<Services>,
    owner: Owner,
    EventPath(id): EventPath,
    axum::Form(f): axum::Form<CsrfOnly>,
) -> Response {
    if let Err(refused) = owner.check(&f.csrf) {
        return refused.into_response();
    }
    match events::duplicate(&s, owner.id, id).await {
        Ok(copy) => Redirect::to(&format!("/events/{}/customise", copy.id)).into_response(),
        Err(e) => failed(&e),
    }
}

/// Deletes a draft, once confirmed (its plans and posters go with it).
pub async fn delete(
    State(s): State<Services>,
    owner: Owner,
    EventPath(id): EventPath,
    axum::Form(f): axum::Form<Confirmable>,
) -> Response {
    if let Err(refused) = owner.check(&f.csrf) {
        return refused.into_response();
    }
    if !confirm::confirmed(&f.confirmed) {
        let name = match events::get(&s, owner.id, id).await {
            Ok(e) => e.name.unwrap_or_else(|| "(이름 없음)".to_owned()),
            Err(e) => return failed(&e),
        };
        let ask = confirm::Ask {
            heading: "초안을 지울까요?",
            consequences: vec![
                format!("'{name}' 초안과 그 기획안, 포스터가 모두 지워집니다."),
                "지운 초안은 되살릴 수 없습니다.".to_owned(),
            ],
            action: format!("/events/{id}/delete"),
            fields: Vec::new(),
            button: "네, 지웁니다",
            back: "/events".to_owned(),
        };
        return confirm::ask(&owner, &ask);
    }
    match events::delete(&s, owner.id, id).await {
        Ok(()) => Redirect::to("/events").into_response(),
        Err(e) => failed(&e),
    }
}
