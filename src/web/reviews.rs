//! The owner's photo reviews in the browser: each address the customers added, approved (the
//! reward waits at the counter) or rejected with a reason the customer reads.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::extract::EventPath;
use super::session::Owner;
use super::{failed, html};
use crate::app::{AppError, Services, events, passes};
use crate::domain::EventId;
use crate::domain::calendar::seoul;
use crate::domain::entrant::Receipt;
use crate::domain::pass::ReviewState;

pub struct ReviewRow {
    pub receipt: String,
    pub url: String,
    pub state: &'static str,
    pub reason: Option<String>,
    pub at: String,
    pub pending: bool,
}

#[derive(Template)]
#[template(path = "console/reviews.html")]
struct ReviewsPage {
    signed_in: bool,
    csrf: String,
    event_id: String,
    name: String,
    items: Vec<ReviewRow>,
    error: Option<String>,
}

async fn show(s: &Services, owner: &Owner, id: EventId, error: Option<String>) -> Response {
    let found = async {
        let event = events::get(s, owner.id, id).await?;
        Ok::<_, AppError>((event, passes::reviews(s, owner.id, id).await?))
    };
    let (event, list) = match found.await {
        Ok(x) => x,
        Err(e) => return failed(&e),
    };
    let items = (list.into_iter())
        .filter_map(|p| {
            let r = p.review?;
            let (state, reason) = match r.state {
                ReviewState::Pending => ("확인 전", None),
                ReviewState::Approved => ("승인함", None),
                ReviewState::Rejected { reason } => ("반려함", Some(reason)),
            };
            Some(ReviewRow {
                receipt: p.receipt.to_string(),
                pending: state == "확인 전",
                at: r
                    .at
                    .with_timezone(&seoul())
                    .format("%m/%d %H:%M")
                    .to_string(),
                url: r.url,
                state,
                reason,
            })
        })
        .collect();
    let page = ReviewsPage {
        signed_in: true,
        csrf: owner.csrf.clone(),
        event_id: id.to_string(),
        name: event.name.unwrap_or_default(),
        items,
        error: error.clone(),
    };
    let status = if error.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    html(status, page.render())
}

pub async fn page(State(s): State<Services>, owner: Owner, EventPath(id): EventPath) -> Response {
    show(&s, &owner, id, None).await
}

#[derive(Debug, Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub approve: String,
    pub reason: Option<String>,
}

pub async fn decide(
    State(s): State<Services>,
    owner: Owner,
    EventPath(id): EventPath,
    Path(path): Path<ReceiptPath>,
    axum::Form(f): axum::Form<DecideForm>,
) -> Response {
    if let Err(refused) = owner.check(&f.csrf) {
        return refused.into_response();
    }
    let Ok(receipt) = Receipt::parse(&path.receipt) else {
        return failed(&AppError::Pass(crate::app::PassError::NotFound));
    };
    let approve = f.approve == "true";
    match passes::decide(&s, owner.id, id, &receipt, approve, f.reason.as_deref()).await {
        Ok(_) => Redirect::to(&format!("/events/{id}/reviews")).into_response(),
        Err(e @ (AppError::Invalid(_) | AppError::Pass(_))) => {
            show(&s, &owner, id, Some(e.problem().message)).await
        }
        Err(e) => failed(&e),
    }
}

#[derive(Debug, Deserialize)]
pub struct ReceiptPath {
    #[serde(rename = "eventId")]
    pub _event_id: String,
    pub receipt: String,
}
