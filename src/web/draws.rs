//! The owner's draw (winners with their contact data, alternates, replacing a winner with a
//! reason) and the customer's proof page in plain Korean, where an entrant checks a receipt.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::confirm;
use super::extract::{EventPath, over_limit};
use super::form::Errors;
use super::session::Owner;
use super::{failed, html, message};
use crate::app::draws::{self, DrawRequest, OwnerDraw, Revealed};
use crate::app::limits::Limit;
use crate::app::{AppError, Kind, Services, entries, events};
use crate::domain::calendar::seoul;
use crate::domain::draw::{Proof, leaf};
use crate::domain::entrant::Receipt;
use crate::domain::korean::ending_with;
use crate::domain::{EventId, EventStatus};
use crate::inbound::Client;

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
                    "{rank}등 당첨자의 당첨이 취소되고, 다음 순번의 예비 당첨자가 당첨자가 됩니다."
                ),
                "바꾼 당첨자는 되돌릴 수 없고, 새 당첨자의 연락처가 보이게 됩니다.".to_owned(),
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

#[derive(Template)]
#[template(path = "proof.html")]
struct ProofPage {
    event_id: String,
    title: String,
    drawn: bool,
    drawn_at: String,
    winners: Vec<String>,
    commitment: String,
    seed: Option<String>,
    receipt: String,
    result: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ProofQuery {
    pub receipt: Option<String>,
}

/// What a receipt came to in the draw.
fn verdict(proof: &Proof, leaf: &str) -> &'static str {
    let is = |list: &[String]| list.iter().any(|l| l == leaf);
    if is(&proof.current_winners()) {
        "축하합니다! 당첨되었습니다. 가게에서 연락드립니다."
    } else if is(&proof.alternates) {
        "예비 당첨자입니다. 당첨자와 연락이 닿지 않으면 순서대로 연락드립니다."
    } else if is(&proof.sorted_leaves) {
        "응모는 확인되었지만 이번에는 당첨되지 않았습니다. 참여해 주셔서 감사합니다."
    } else if proof.excluded.iter().any(|x| x.leaf == leaf) {
        "이 응모는 추첨 조건에 따라 추첨에서 제외되었습니다."
    } else {
        "이 이벤트에서 찾을 수 없는 응모 번호입니다. 번호를 다시 확인해 주세요."
    }
}

async fn check(s: &Services, id: EventId, proof: Option<&Proof>, raw: &str) -> Option<String> {
    if raw.trim().is_empty() {
        return None;
    }
    let Ok(receipt) = Receipt::parse(raw) else {
        return Some("응모 번호는 10자리입니다. 다시 확인해 주세요.".to_owned());
    };
    let leaf = leaf(&id.to_string(), &receipt.to_string());
    if let Some(p) = proof {
        return Some(verdict(p, &leaf).to_owned());
    }
    let found = s
        .store
        .entries_by_leaf(id, std::slice::from_ref(&leaf))
        .await
        .unwrap_or_default();
    Some(
        match found.is_empty() {
            true => "이 이벤트에서 찾을 수 없는 응모 번호입니다. 번호를 다시 확인해 주세요.",
            false => "응모가 확인되었습니다. 추첨이 끝나면 여기에서 결과를 확인할 수 있습니다.",
        }
        .to_owned(),
    )
}

/// `/e/{eventId}/draw`: the result and the proof in plain Korean, and "check my receipt".
pub async fn proof(
    State(s): State<Services>,
    client: Client,
    EventPath(id): EventPath,
    Query(q): Query<ProofQuery>,
) -> Response {
    if let Some(refused) = over_limit(&s, &client, Limit::Reads) {
        return refused;
    }
    let public = match entries::public_event(&s, id).await {
        Ok(p) => p,
        Err(AppError::NotFound(_)) => {
            return message(
                StatusCode::NOT_FOUND,
                "이벤트를 찾을 수 없습니다",
                "주소를 다시 확인해 주세요.",
            );
        }
        Err(e) => return failed(&e),
    };
    let proof = draws::proof(&s, id).await.ok();
    let raw = q.receipt.clone().unwrap_or_default();
    let result = check(&s, id, proof.as_ref(), &raw).await;
    let winners = (public
        .draw
        .as_ref()
        .map(|d| d.winners.clone())
        .unwrap_or_default()
        .into_iter())
    .map(|(rank, name, phone)| {
        format!(
            "{rank}등 {} {}",
            name.unwrap_or_default(),
            phone.unwrap_or_default()
        )
    })
    .collect();
    let page = ProofPage {
        event_id: id.to_string(),
        title: ending_with(&public.event.name.clone().unwrap_or_default(), "추첨"),
        drawn: proof.is_some(),
        drawn_at: (proof.as_ref())
            .map(|p| {
                p.drawn_at
                    .with_timezone(&seoul())
                    .format("%Y년 %m월 %d일 %H시 %M분")
                    .to_string()
            })
            .unwrap_or_default(),
        winners,
        commitment: public.seed.commitment.clone(),
        seed: proof.as_ref().map(|p| p.seed.clone()),
        receipt: raw,
        result,
    };
    html(StatusCode::OK, page.render())
}
