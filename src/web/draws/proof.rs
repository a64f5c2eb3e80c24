//! The customers' proof page: who was drawn, each replacement and why, "내 응모 번호 확인", and
//! how anyone can recompute the draw.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::seoul_minute;
use crate::app::limits::Limit;
use crate::app::{AppError, Services, draws, entries};
use crate::domain::EventId;
use crate::domain::calendar::seoul;
use crate::domain::draw::{Proof, leaf, reason_label};
use crate::domain::entrant::Receipt;
use crate::domain::korean::ending_with;
use crate::inbound::Client;
use crate::web::extract::{EventPath, over_limit};
use crate::web::{failed, html, message};

#[derive(Template)]
#[template(path = "proof.html")]
struct ProofPage {
    event_id: String,
    title: String,
    drawn: bool,
    drawn_at: String,
    winners: Vec<String>,
    /// "응모 12명 중 당첨 3명, 예비 당첨 3명" (the draw's own counts).
    counts: String,
    /// Each replacement as customers read it: when, which place, why.
    replacements: Vec<String>,
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
fn verdict(proof: &Proof, leaf: &str) -> String {
    let is = |list: &[String]| list.iter().any(|l| l == leaf);
    if let Some(r) = proof.replacements.iter().find(|r| r.replaced_leaf == leaf) {
        return format!(
            "당첨되셨지만 당첨이 다음 예비 당첨자에게 넘어갔습니다. 사유: {}.",
            reason_label(&r.reason)
        );
    }
    let said = if is(&proof.current_winners()) {
        "축하합니다! 당첨되었습니다. 가게에서 연락드립니다."
    } else if is(&proof.alternates) {
        "예비 당첨자입니다. 당첨자와 연락이 닿지 않으면 순서대로 연락드립니다."
    } else if is(&proof.sorted_leaves) {
        "응모는 확인되었지만 이번에는 당첨되지 않았습니다. 참여해 주셔서 감사합니다."
    } else if proof.excluded.iter().any(|x| x.leaf == leaf) {
        "이 응모는 추첨 조건에 따라 추첨에서 제외되었습니다."
    } else {
        "이 이벤트에서 찾을 수 없는 응모 번호입니다. 번호를 다시 확인해 주세요."
    };
    said.to_owned()
}

fn counts(p: &Proof) -> String {
    let entered = p.sorted_leaves.len() + p.excluded.len();
    let mut said = format!(
        "응모 {entered}명 중 당첨 {}명, 예비 당첨 {}명을 뽑았습니다.",
        p.winners.len(),
        p.alternates.len()
    );
    if !p.excluded.is_empty() {
        said.push_str(&format!(
            " 이전 이벤트 당첨자 {}명은 공지한 대로 추첨에서 뺐습니다.",
            p.excluded.len()
        ));
    }
    said
}

/// The replacements, in order, as the proof page lists them.
fn replacement_lines(proof: &Proof) -> Vec<String> {
    (proof.replacements.iter())
        .map(|r| {
            format!(
                "{} · 당첨자 목록 {}번째 분을 다음 예비 당첨자로 바꿈 · 사유: {}",
                seoul_minute(r.replaced_at),
                r.rank,
                reason_label(&r.reason)
            )
        })
        .collect()
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
        return Some(verdict(p, &leaf));
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
    // Every winner gets the same prize: no "1등", only who.
    .map(|(_, name, phone)| match (name, phone) {
        (Some(n), Some(p)) => format!("{n} ({p})"),
        _ => "당첨자 (경품 전달 뒤 개인정보를 파기했습니다)".to_owned(),
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
        counts: (proof.as_ref()).map(counts).unwrap_or_default(),
        replacements: proof.as_ref().map(replacement_lines).unwrap_or_default(),
        commitment: public.seed.commitment.clone(),
        seed: proof.as_ref().map(|p| p.seed.clone()),
        receipt: raw,
        result,
    };
    html(StatusCode::OK, page.render())
}
