//! The wizard's channels step: each chosen channel's connection (a login for Instagram and
//! Naver, keys for the Kakao dealer and KT's partner contract; locally an unconnected channel
//! writes to the sandbox, and the page says so).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use super::extract::{ChannelCode, EventPath};
use super::form::Errors;
use super::session::Owner;
use super::{STEPS, failed, html};
use crate::app::channels::{self, ChannelView};
use crate::app::{AppError, Services, events};
use crate::domain::connection::{ChannelSecret, connects_by_oauth};
use crate::domain::{Channel, EventId};

pub struct ChannelRow {
    pub code: &'static str,
    pub label: &'static str,
    /// What the channel is and costs (`Channel::about`).
    pub about: &'static str,
    pub state: String,
    pub oauth: bool,
    pub keys: Vec<(&'static str, &'static str)>,
}

fn keys_of(channel: Channel) -> Vec<(&'static str, &'static str)> {
    match channel {
        Channel::Kakao => vec![
            ("appKey", "앱 키"),
            ("secretKey", "시크릿 키"),
            ("senderKey", "발신 프로필 키"),
        ],
        Channel::UridongneTv | Channel::GiniTv | Channel::RingoBiz => {
            vec![
                ("partnerAccountId", "KT 제휴 계정 ID"),
                ("partnerAccountPin", "KT 제휴 계정 PIN"),
            ]
        }
        _ => vec![],
    }
}

fn row(v: &ChannelView) -> ChannelRow {
    let state = match (v.connected, v.needs_reconnect, v.sandbox, v.available) {
        (true, true, _, _) => "다시 연결해 주세요".to_owned(),
        (true, false, _, _) => format!(
            "연결됨{}",
            v.label
                .as_ref()
                .map(|l| format!(" ({l})"))
                .unwrap_or_default()
        ),
        (false, _, true, _) => "연결 안 됨: 로컬 샌드박스에 기록합니다 (실제 게시 아님)".to_owned(),
        (false, _, false, true) => "연결이 필요합니다".to_owned(),
        (false, _, false, false) => "이 서비스에서 아직 쓸 수 없는 채널입니다".to_owned(),
    };
    let usable = v.available && !v.connected;
    ChannelRow {
        code: v.channel.code(),
        label: v.channel.label(),
        about: v.channel.about(),
        state,
        oauth: usable && connects_by_oauth(v.channel),
        keys: if usable || v.needs_reconnect {
            keys_of(v.channel)
        } else {
            vec![]
        },
    }
}

#[derive(Template)]
#[template(path = "console/channels.html")]
struct ChannelsPage {
    signed_in: bool,
    csrf: String,
    step: usize,
    step_names: &'static [&'static str],
    event_id: String,
    channels: Vec<ChannelRow>,
    errors: Errors,
}

async fn channels_page(s: &Services, owner: &Owner, id: EventId, errors: Errors) -> Response {
    let (event, views) = match (
        events::get(s, owner.id, id).await,
        channels::list(s, owner.id).await,
    ) {
        (Ok(e), Ok(v)) => (e, v),
        (Err(e), _) | (_, Err(e)) => return failed(&e),
    };
    let channels = (views.iter())
        .filter(|v| event.channels.contains(&v.channel))
        .map(row)
        .collect();
    let page = ChannelsPage {
        signed_in: true,
        csrf: owner.csrf.clone(),
        step: 5,
        step_names: STEPS,
        event_id: id.to_string(),
        channels,
        errors,
    };
    html(StatusCode::OK, page.render())
}

pub async fn page(State(s): State<Services>, owner: Owner, EventPath(id): EventPath) -> Response {
    channels_page(&s, &owner, id, Errors::default()).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct KeysForm {
    pub csrf: String,
    pub app_key: String,
    pub secret_key: String,
    pub sender_key: String,
    pub partner_account_id: String,
    pub partner_account_pin: String,
}

pub async fn connect_keys(
    State(s): State<Services>,
    owner: Owner,
    EventPath(id): EventPath,
    ChannelCode(code): ChannelCode,
    axum::Form(f): axum::Form<KeysForm>,
) -> Response {
    if let Err(refused) = owner.check(&f.csrf) {
        return refused.into_response();
    }
    let connected = async {
        let channel = Channel::parse(&code)?;
        let secret = match channel {
            Channel::Kakao => ChannelSecret::kakao(&f.app_key, &f.secret_key, &f.sender_key)?,
            _ => ChannelSecret::kt_partner(&f.partner_account_id, &f.partner_account_pin)?,
        };
        channels::connect_with_keys(&s, owner.id, channel, secret).await
    };
    match connected.await {
        Ok(_) => Redirect::to(&format!("/events/{id}/channels")).into_response(),
        Err(e) => channels_page(&s, &owner, id, Errors::whole(&e)).await,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ConnectQuery {
    pub event: Option<EventId>,
    pub club_id: Option<String>,
    pub menu_id: Option<String>,
}

/// Starts a channel's login (Instagram, Naver) and comes back to the event's channels page.
pub async fn connect_oauth(
    State(s): State<Services>,
    owner: Owner,
    Path(code): Path<String>,
    Query(q): Query<ConnectQuery>,
) -> Response {
    let back = q
        .event
        .map(|e| format!("/events/{e}/channels"))
        .unwrap_or_else(|| "/events".to_owned());
    let started = async {
        let channel = Channel::parse(&code).map_err(AppError::from)?;
        let mut params = json!({ "returnTo": back });
        if channel == Channel::Naver {
            let id =
                |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or_default().to_owned();
            let (club, menu) = (id(&q.club_id), id(&q.menu_id));
            let digits = |v: &str| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
            if !digits(&club) || !digits(&menu) {
                let sentence = "네이버 카페 ID와 게시판 ID를 숫자로 적어 주세요.";
                let missing = crate::domain::FieldProblem::Rule { sentence };
                return Err(crate::domain::FieldError::new("clubId", missing).into());
            }
            params["clubId"] = json!(club);
            params["menuId"] = json!(menu);
        }
        let started = channels::start_oauth(&s, owner.id, channel, params).await?;
        Ok::<_, AppError>((channel, started))
    };
    match started.await {
        Ok((channel, started)) => {
            let bound = crate::inbound::cookies::oauth_binding(&s, channel, &started);
            ([bound], Redirect::to(&started.url)).into_response()
        }
        Err(e) => match q.event {
            Some(id) => channels_page(&s, &owner, id, Errors::whole(&e)).await,
            None => failed(&e),
        },
    }
}
