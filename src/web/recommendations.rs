//! The wizard's plans step: the AI job's progress (the page refreshes itself), then the three
//! plans with their reasons; choosing one moves to customising it.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::extract::EventPath;
use super::form::{CsrfOnly, Errors, won};
use super::session::Owner;
use super::{STEPS, failed, html};
use crate::app::{Services, jobs, recommendations};
use crate::domain::job::JobStatus;
use crate::domain::promotion::Recommendation;
use crate::domain::{EventId, JobId, RecommendationId};

#[derive(Debug, Default, Deserialize)]
pub struct JobQuery {
    pub job: Option<JobId>,
}

#[derive(Template)]
#[template(path = "console/progress.html")]
pub struct ProgressPage {
    pub signed_in: bool,
    pub csrf: String,
    pub step: usize,
    pub step_names: &'static [&'static str],
    pub heading: &'static str,
    pub detail: &'static str,
    pub progress: u8,
}

/// The job's progress page while it runs; `None` once it has finished (or was never asked).
/// A failed job's message comes back as the page's error.
pub async fn running(
    s: &Services,
    owner: &Owner,
    job: Option<JobId>,
    step: usize,
    heading: &'static str,
    detail: &'static str,
) -> Result<Option<Response>, Errors> {
    let Some(id) = job else { return Ok(None) };
    let Ok(job) = jobs::get(s, owner.id, id).await else {
        return Ok(None);
    };
    match job.status {
        JobStatus::Pending | JobStatus::Processing => {
            let page = ProgressPage {
                signed_in: true,
                csrf: owner.csrf.clone(),
                step,
                step_names: STEPS,
                heading,
                detail,
                progress: job.progress,
            };
            Ok(Some(html(StatusCode::OK, page.render())))
        }
        JobStatus::Failed => Err(Errors::general(job.error_message.unwrap_or_default())),
        JobStatus::Completed => Ok(None),
    }
}

pub struct PlanCard {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub description: String,
    pub prize: String,
    pub audience: String,
    pub period: String,
    pub participants: u32,
    pub cost: String,
    pub reason: String,
}

fn card(r: &Recommendation) -> PlanCard {
    let p = &r.plan;
    PlanCard {
        id: r.id.to_string(),
        name: p.name.clone(),
        kind: p.promotion_type.label(),
        description: p.description.clone(),
        prize: p.prize.clone(),
        audience: p.target_audience.clone(),
        period: format!(
            "{} ~ {}",
            p.start_date.format("%Y.%m.%d"),
            p.end_date.format("%Y.%m.%d")
        ),
        participants: p.expected_participants,
        cost: won(p.estimated_cost),
        reason: p.reason.clone(),
    }
}

#[derive(Template)]
#[template(path = "console/plans.html")]
struct PlansPage {
    signed_in: bool,
    csrf: String,
    step: usize,
    step_names: &'static [&'static str],
    event_id: String,
    plans: Vec<PlanCard>,
    errors: Errors,
}

async fn plans_page(s: &Services, owner: &Owner, id: EventId, errors: Errors) -> Response {
    // The newest request's plans (a draft taken up again for another objective, or plans asked
    // for again, shows what was asked last), plus a plan already chosen from an earlier one.
    let plans = match recommendations::list(s, owner.id, id).await {
        Ok(list) => {
            let newest = (list.iter().max_by_key(|r| r.created_at)).map(|r| r.job_id);
            (list.iter())
                .filter(|r| Some(r.job_id) == newest || r.selected)
                .map(card)
                .collect()
        }
        Err(e) => return failed(&e),
    };
    let page = PlansPage {
        signed_in: true,
        csrf: owner.csrf.clone(),
        step: 2,
        step_names: STEPS,
        event_id: id.to_string(),
        plans,
        errors,
    };
    html(StatusCode::OK, page.render())
}

pub async fn plans(
    State(s): State<Services>,
    owner: Owner,
    EventPath(id): EventPath,
    Query(q): Query<JobQuery>,
) -> Response {
    let heading = "AI가 기획안을 만들고 있습니다";
    let detail = "우리 가게의 업종, 동네, 다가오는 기념일을 살펴 세 가지 기획안을 만듭니다.";
    match running(&s, &owner, q.job, 2, heading, detail).await {
        Ok(Some(progress)) => progress,
        Ok(None) => plans_page(&s, &owner, id, Errors::default()).await,
        Err(errors) => plans_page(&s, &owner, id, errors).await,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChooseForm {
    pub csrf: String,
    pub recommendation_id: String,
}

pub async fn choose(
    State(s): State<Services>,
    owner: Owner,
    EventPath(id): EventPath,
    axum::Form(f): axum::Form<ChooseForm>,
) -> Response {
    if let Err(refused) = owner.check(&f.csrf) {
        return refused.into_response();
    }
    let Ok(plan) = f.recommendation_id.parse::<RecommendationId>() else {
        return plans_page(
            &s,
            &owner,
            id,
            Errors::general("기획안을 하나 골라 주세요."),
        )
        .await;
    };
    match recommendations::select(&s, owner.id, id, plan, Default::default()).await {
        Ok(_) => Redirect::to(&format!("/events/{id}/customise")).into_response(),
        Err(e) => plans_page(&s, &owner, id, Errors::of(&e)).await,
    }
}

/// Asks for plans again (the first job failed, or none was asked).
pub async fn request(
    State(s): State<Services>,
    owner: Owner,
    EventPath(id): EventPath,
    axum::Form(f): axum::Form<CsrfOnly>,
) -> Response {
    if let Err(refused) = owner.check(&f.csrf) {
        return refused.into_response();
    }
    match recommendations::request(&s, owner.id, id).await {
        Ok(job) => Redirect::to(&format!("/events/{id}/plans?job={}", job.id)).into_response(),
        Err(e) => plans_page(&s, &owner, id, Errors::of(&e)).await,
    }
}
