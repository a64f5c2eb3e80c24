//! The owner's draw (winners with their contact data, alternates, replacing a winner with a
//! reason) and the customer's proof page in plain Korean, where an entrant checks a receipt.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::confirm;
use super::extract::EventPath;
use super::form::Errors;
use super::session::Owner;
use super::{failed, html};
use crate::app::draws::{self, DrawRequest, OwnerDraw, Revealed};
use crate::app::{Kind, Services, events};
use crate::domain::korean::ending_with;

mod proof;
use crate::domain::{EventId, EventStatus};
pub use proof::proof;

type Row = (usize, String, String, String, &'static str);

fn rows(list: &[Revealed], state: &'static str) -> Vec<Row> {
    (list.iter())
        .map(|r| {
            let gone = || "파기됨".to_owned();
            (
                r.rank,
                r.receipt.to_string(),
                r.name.clone().unwrap_or_else(gone),
                r.phone.clone().unwrap_or_else(gone),
                state,
            )
        })
        .collect()
}

#[derive(Template)]
#[template(path = "console/draw.html")]
struct DrawPage {
    signed_in: bool,
    csrf: String,
    event_id: String,
    name: String,
    drawn: bool,
    ended: bool,
    hint: &'static str,
    /// The counts the notice states ("당첨 3명, 예비 당첨 3명"); `None`: no draw was stated.
    counts: Option<String>,
    winners: Vec<Row>,
    alternates: Vec<Row>,
    /// The contact deadline as the owner reads it, and whether it has passed.
    deadline: Option<String>,
    replaceable: bool,
    reasons: &'static [(&'static str, &'static str)],
    errors: Errors,
}

async fn draw_page(s: &Services, owner: &Owner, id: EventId, errors: Errors) -> Response {
    let event = match events::get(s, owner.id, id).await {
        Ok(e) => e,
        Err(e) => return failed(&e),
    };
    let drawn: Option<OwnerDraw> = match draws::owner_draw(s, owner.id, id).await {
        Ok(d) => Some(d),
        Err(e) if e.problem().kind == Kind::NotFound || e.problem().kind == Kind::Conflict => None,
        Err(e) => return failed(&e),
    };
    let ended = event.status == EventStatus::Ended;
    let deadline = drawn.as_ref().and_then(|d| d.proof.contact_deadline());
    let counts = (event.mechanic.as_ref())
        .and_then(crate::domain::mechanic::Mechanic::draw_counts)
        .map(|(w, a)| format!("당첨 {w}명, 예비 당첨 {a}명"));
    let hint = match (ended, &counts) {
        (true, Some(_)) => {
            "응모가 끝났습니다. 공지한 인원대로 추첨합니다. 추첨은 한 번만 할 수 있습니다."
        }
        (true, None) => "이 이벤트는 추첨 인원을 공지하지 않아 추첨할 수 없습니다.",
        (false, _) => "이벤트가 끝나면 추첨할 수 있습니다.",
    };
    let page = DrawPage {
        signed_in: true,
        csrf: owner.csrf.clone(),
        event_id: id.to_string(),
        name: ending_with(&event.name.clone().unwrap_or_default(), "추첨"),
        drawn: drawn.is_some(),
        ended,
        hint,
        counts,
        winners: drawn
            .as_ref()
            .map(|d| rows(&d.winners, "당첨"))
            .unwrap_or_default(),
        alternates: drawn
            .as_ref()
            .map(|d| rows(&d.alternates, "예비"))
            .unwrap_or_default(),
        deadline: deadline.map(seoul_minute),
        replaceable: deadline.is_none_or(|d| s.clock.now() >= d),
        reasons: crate::domain::draw::REPLACEMENT_REASONS,
        errors,
    };
    html(StatusCode::OK, page.render())
}

pub async fn page(State(s): State<Services>, owner: Owner, EventPath(id): EventPath) -> Response {
    draw_page(&s, &owner, id, Errors::default()).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DrawForm {
    pub csrf: String,
    pub exclude_previous_winners: String,
    pub confirmed: String,
}

pub async fn draw(
    State(s): State<Services>,
    owner: Owner,
    EventPath(id): EventPath,
    axum::Form(f): axum::Form<DrawForm>,
) -> Response {
    if let Err(refused) = owner.check(&f.csrf) {
        return refused.into_response();
    }
    let exclude = f.exclude_previous_winners == "true";
    if !confirm::confirmed(&f.confirmed) {
        let mut consequences = vec![
            "공지한 인원대로 당첨자와 예비 당첨자를 뽑습니다. 추첨은 한 번만 할 수 있고 다시 뽑을 수 없습니다.".to_owned(),
            "결과는 누구나 볼 수 있는 추첨 증명 페이지에 바로 공개되고, 당첨자의 연락처만 보이게 됩니다.".to_owned(),
        ];
        if exclude {
            consequences.push("우리 가게 이전 이벤트 당첨자는 빼고 뽑습니다.".to_owned());
        }
        let ask = confirm::Ask {
            heading: "지금 추첨할까요?",
            consequences,
            action: format!("/events/{id}/draw"),
            fields: vec![("excludePreviousWinners", f.exclude_previous_winners.clone())],
            button: "네, 추첨합니다",
            back: format!("/events/{id}/draw"),
        };
        return confirm::ask(&owner, &ask);
    }
    // The counts are the notice's: the form sends none.
    let req = match DrawRequest::parse(None, None, exclude) {
        Ok(req) => req,
        Err(e) => return draw_page(&s, &owner, id, Errors::whole(&e.into())).await,
    };
    match draws::draw(&s, owner.id, id, req).await {
        Ok(_) => Redirect::to(&format!("/events/{id}/draw")).into_response(),
        Err(e) => draw_page(&s, &owner, id, Errors::of(&e)).await,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReplaceForm {
    pub csrf: String,
    pub rank: String,
    pub reason: String,
    pub confirmed: String,
}

pub async fn replace(
    State(s): State<Services>,
    owner: Owner,
    EventPath(id): EventPath,
    axum::Form(f): axum::Form<ReplaceForm>,
) -> Response {
    if let Err(refused) = owner.check(&f.csrf) {
        return refused.into_response();
    }
    let Ok(rank) = f.rank.trim().parse::<i64>() else {
        return draw_page(
            &s,
            &owner,
            id,
            Errors::general("교체할 순위를 숫자로 적어 주세요."),
        )
        .await;
    };
    let reason = match draws::parse_reason(&f.reason) {
        Ok(r) => r,
        Err(e) => return draw_page(&s, &owner, id, Errors::field(&e)).await,
    };
    if !confirm::confirmed(&f.confirmed) {
        let ask = confirm::Ask {
            heading: "당첨자를 바꿀까요?",
            consequences: vec![
                format!(
                    "당첨자 목록 {rank}번째 분의 당첨이 취소되고, 다음 순번의 예비 당첨자가 당첨자가 됩니다."
                ),
                "바꾼 당첨자는 되돌릴 수 없고, 새 당첨자의 연락처가 보이게 됩니다.".to_owned(),
                "교체 기록(언제, 몇 등, 사유)은 고객용 추첨 증명 페이지에 공개됩니다.".to_owned(),
            ],
            action: format!("/events/{id}/draw/replace"),
            fields: vec![("rank", rank.to_string()), ("reason", f.reason.clone())],
            button: "네, 바꿉니다",
            back: format!("/events/{id}/draw"),
        };
        return confirm::ask(&owner, &ask);
    }
    match draws::replace(&s, owner.id, id, rank, reason).await {
        Ok(_) => Redirect::to(&format!("/events/{id}/draw")).into_response(),
        Err(e) => draw_page(&s, &owner, id, Errors::of(&e)).await,
    }
}

/// `12월 15일 18:30` in Seoul.
pub(super) fn seoul_minute(t: chrono::DateTime<chrono::Utc>) -> String {
    let local = t.with_timezone(&crate::domain::calendar::seoul());
    local.format("%-m월 %-d일 %H:%M").to_string()
}
