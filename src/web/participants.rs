//! The owner's participants in the browser: masked, newest first, a page at a time, and the
//! same masked list as a CSV for Excel.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::extract::EventPath;
use super::session::Owner;
use super::{failed, html};
use crate::app::Services;
use crate::app::entries::{self, Participant};
use crate::domain::PageRequest;
use crate::domain::calendar::seoul;
use crate::domain::entry::EntrySource;
use crate::ports::SourceFilter;

type Row = (String, String, String, &'static str, String, &'static str);

fn row(p: &Participant) -> Row {
    let gone = || "파기됨".to_owned();
    let result = match p.role.map(|r| r.code()) {
        Some("WINNER") => "당첨",
        Some("ALTERNATE") => "예비",
        Some("REPLACED") => "교체됨",
        _ => "",
    };
    (
        p.receipt.to_string(),
        p.name.clone().unwrap_or_else(gone),
        p.phone.clone().unwrap_or_else(gone),
        p.source.map_or("직접 방문", EntrySource::label),
        p.entered_at
            .with_timezone(&seoul())
            .format("%m/%d %H:%M")
            .to_string(),
        result,
    )
}

#[derive(Template)]
#[template(path = "console/participants.html")]
struct ParticipantsPage {
    signed_in: bool,
    csrf: String,
    event_id: String,
    name: String,
    total: u64,
    page: u32,
    pages: u32,
    rows: Vec<Row>,
}

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    pub page: Option<i64>,
}

const SIZE: i64 = 50;

pub async fn page(
    State(s): State<Services>,
    owner: Owner,
    EventPath(id): EventPath,
    Query(q): Query<PageQuery>,
) -> Response {
    let Ok(request) = PageRequest::parse(Some(q.page.unwrap_or(1).max(1)), Some(SIZE)) else {
        return super::message(
            StatusCode::BAD_REQUEST,
            "페이지를 찾을 수 없습니다",
            "목록의 첫 페이지로 돌아가 주세요.",
        );
    };
    let (event, found) = match (
        crate::app::events::get(&s, owner.id, id).await,
        entries::participants(&s, owner.id, id, SourceFilter::All, request).await,
    ) {
        (Ok(e), Ok(p)) => (e, p),
        (Err(e), _) | (_, Err(e)) => return failed(&e),
    };
    let pages = u32::try_from(found.total.div_ceil(SIZE as u64))
        .unwrap_or(1)
        .max(1);
    let page = ParticipantsPage {
        signed_in: true,
        csrf: owner.csrf,
        event_id: id.to_string(),
        name: event.name.clone().unwrap_or_default(),
        total: found.total,
        page: found.page,
        pages,
        rows: found.items.iter().map(row).collect(),
    };
    html(StatusCode::OK, page.render())
}

/// The masked CSV, as the API's `participants.csv` makes it.
pub async fn csv(State(s): State<Services>, owner: Owner, EventPath(id): EventPath) -> Response {
    match entries::all_participants(&s, owner.id, id, SourceFilter::All).await {
        Ok((_, all)) => {
            let body = crate::inbound::csv::participants(all);
            let headers = [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"participants.csv\"",
                ),
            ];
            (headers, body).into_response()
        }
        Err(e) => failed(&e),
    }
}
