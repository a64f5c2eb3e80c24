//! Customising the chosen plan with the channels to tell (all six ticked to begin with), which
//! asks for the posters of those channels at once.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::super::extract::EventPath;
use super::super::form::{self, Errors};
use super::super::session::Owner;
use super::super::{STEPS, failed, html};
use super::mechanic::{self, MechanicField};
use crate::app::{AppError, Services, events};
use crate::domain::event::Change;
use crate::domain::event::EditFields;
use crate::domain::event::poster_problems;
use crate::domain::{Channel, Event, EventEdit};

#[derive(Template)]
#[template(path = "console/customise.html")]
struct CustomisePage {
    signed_in: bool,
    csrf: String,
    step: usize,
    step_names: &'static [&'static str],
    event_id: String,
    fields: Vec<FieldRow>,
    channels: Vec<(&'static str, &'static str, bool)>,
    errors: Errors,
    /// The promotion's mechanic (its kind's fields), and how it reads to a customer.
    mechanic: Vec<MechanicField>,
    terms: Vec<String>,
}

pub struct FieldRow {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: &'static str,
    pub value: String,
    /// What the field means, under it (empty: nothing to explain).
    pub help: &'static str,
}

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

/// The form's fields: as sent back (after a refusal), else as stored.
fn fields_of(event: &Event, values: Option<&[(String, String)]>) -> Vec<FieldRow> {
    let given = |key: &str, stored: String| match values {
        Some(v) => (v.iter().find(|(k, _)| k == key))
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
        None => stored,
    };
    let num = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let row = |key, label, kind, stored| FieldRow {
        key,
        label,
        kind,
        value: given(key, stored),
        help: help(key),
    };
    vec![
        row("name", "이벤트 이름", "text", text(&event.name)),
        row("description", "설명", "textarea", text(&event.description)),
        row("prize", "경품", "text", text(&event.prize)),
        row(
            "prizeValue",
            "경품 1개의 가액 (원)",
            "number",
            num(event.prize_value),
        ),
        row(
            "budget",
            "예산 (원, 경품 포함)",
            "number",
            num(event.budget),
        ),
        row("startDate", "시작일", "date", date(event.start_date)),
        row("endDate", "종료일", "date", date(event.end_date)),
    ]
}

/// The fields an owner may not know the meaning of.
fn help(key: &str) -> &'static str {
    match key {
        "prizeValue" => {
            "경품 1개를 돈으로 치면 얼마인지(시중 판매가) 적어 주세요. 5만 원을 넘으면 \
             당첨자에게 제세공과금(22%)이 붙으니 응모 안내에 함께 알리는 것이 좋습니다. 비용 계산에도 쓰입니다."
        }
        "budget" => {
            "이번 이벤트에 쓸 돈 전체입니다(경품·인쇄물 포함). 성과 화면의 응모 1건당 비용에 쓰입니다."
        }
        "name" => "포스터와 고객 페이지의 제목이 됩니다.",
        _ => "",
    }
}

fn customise_page(
    event: &Event,
    csrf: String,
    values: Option<&[(String, String)]>,
    errors: Errors,
) -> Response {
    let fields = fields_of(event, values);
    let chosen = |c: Channel| match values {
        Some(v) => v.iter().any(|(k, val)| k == "channel" && val == c.code()),
        None => event.channels.is_empty() || event.channels.contains(&c),
    };
    let channels = (Channel::ALL.into_iter())
        .map(|c| (c.code(), c.label(), chosen(c)))
        .collect();
    let mut mechanic = event
        .mechanic
        .as_ref()
        .map(mechanic::fields)
        .unwrap_or_default();
    if let Some(v) = values {
        mechanic::refill(&mut mechanic, v);
    }
    let today = crate::domain::calendar::seoul_date(chrono::Utc::now());
    let terms = (event.mechanic.as_ref())
        .map(|m| m.terms(today))
        .unwrap_or_default();
    let page = CustomisePage {
        signed_in: true,
        csrf,
        step: 3,
        step_names: STEPS,
        event_id: event.id.to_string(),
        fields,
        channels,
        errors,
        mechanic,
        terms,
    };
    html(
        if values.is_some() {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        },
        page.render(),
    )
}

pub async fn form(State(s): State<Services>, owner: Owner, EventPath(id): EventPath) -> Response {
    match events::get(&s, owner.id, id).await {
        // A published event's words are its public notice: its page, not a form.
        Ok(event) if event.status != crate::domain::EventStatus::Draft => {
            Redirect::to(&format!("/events/{id}/status")).into_response()
        }
        Ok(event) => customise_page(&event, owner.csrf, None, Errors::default()),
        Err(e) => failed(&e),
    }
}

/// The edit the form asks for (the mechanic read as the event's kind), or every problem.
fn read_edit(
    event: &Event,
    v: &[(String, String)],
    today: chrono::NaiveDate,
) -> Result<(EventEdit, Vec<Channel>), Errors> {
    let (mut edit, channels, mut errors) = match read_fields(v, today) {
        Ok((edit, channels)) => (edit, channels, Errors::default()),
        Err(errors) => (EventEdit::default(), Vec::new(), errors),
    };
    if let Some(was) = &event.mechanic {
        match mechanic::read(was, v) {
            Ok(m) => edit.mechanic = Change::Set(m),
            Err(problems) => problems.into_iter().for_each(|(k, m)| errors.add(k, m)),
        }
    }
    match errors.is_empty() {
        true => Ok((edit, channels)),
        false => Err(errors),
    }
}

/// The event's own fields and channels.
fn read_fields(
    v: &[(String, String)],
    today: chrono::NaiveDate,
) -> Result<(EventEdit, Vec<Channel>), Errors> {
    let get = |k: &str| {
        (v.iter().find(|(key, _)| key == k))
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let opt = |k: &str| Some(Some(get(k)).filter(|s| !s.is_empty()));
    let mut errors = Errors::default();
    let prize_value = form::number("prizeValue", &get("prizeValue"), &mut errors);
    let budget = form::number("budget", &get("budget"), &mut errors);
    let channels: Vec<&str> = v
        .iter()
        .filter(|(k, _)| k == "channel")
        .map(|(_, v)| v.as_str())
        .collect();
    let channels = Channel::parse_set(&channels)
        .map_err(|e| errors.add("channels", form::korean(&e)))
        .ok();
    if channels.as_ref().is_some_and(Vec::is_empty) {
        errors.add("channels", "채널을 하나 이상 골라 주세요.");
    }
    // Every problem at once: the form's own, what the posters need, and the fields'.
    let start = get("startDate").parse::<chrono::NaiveDate>().ok();
    let name = Some(get("name")).filter(|n| !n.is_empty());
    for e in &poster_problems(name.as_deref(), start, today) {
        errors.add(form::form_field(e.field), form::korean(e));
    }
    let (Some(pv), Some(b), Some(channels)) = (prize_value, budget, channels) else {
        return Err(errors);
    };
    let edit = EditFields {
        name: opt("name"),
        description: opt("description"),
        prize: opt("prize"),
        prize_value: Some(pv),
        budget: Some(b),
        start_date: opt("startDate"),
        end_date: opt("endDate"),
    }
    .parse();
    for e in edit.as_ref().err().into_iter().flatten() {
        errors.add(form::form_field(e.field), form::korean(e));
    }
    match edit {
        Ok(edit) if errors.is_empty() => Ok((edit, channels)),
        _ => Err(errors),
    }
}

/// Saves the plan as customised and the channels, and asks for the posters of those channels.
pub async fn save(
    State(s): State<Services>,
    owner: Owner,
    EventPath(id): EventPath,
    axum::Form(v): axum::Form<Vec<(String, String)>>,
) -> Response {
    let csrf = v
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    if let Err(refused) = owner.check(csrf) {
        return refused.into_response();
    }
    let event = match events::get(&s, owner.id, id).await {
        Ok(e) => e,
        Err(e) => return failed(&e),
    };
    let today = (s.clock.now())
        .with_timezone(&crate::domain::calendar::seoul())
        .date_naive();
    let (edit, channels) = match read_edit(&event, &v, today) {
        Ok(x) => x,
        Err(errors) => return customise_page(&event, owner.csrf, Some(&v), errors),
    };
    match events::customise(&s, owner.id, id, edit, channels).await {
        Ok(job) => Redirect::to(&format!("/events/{id}/posters?job={}", job.id)).into_response(),
        Err(AppError::Invalids(all)) => {
            let mut errors = Errors::default();
            for e in &all {
                errors.add(mechanic::key_of(e), e.message());
            }
            customise_page(&event, owner.csrf, Some(&v), errors)
        }
        Err(e) => customise_page(&event, owner.csrf, Some(&v), Errors::of(&e)),
    }
}
