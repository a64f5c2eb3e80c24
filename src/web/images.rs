//! The wizard's posters step: the image job's progress, then each style's posters for every
//! chosen channel side by side; choosing a style moves to the channels.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::extract::EventPath;
use super::form::Errors;
use super::recommendations::{JobQuery, running};
use super::session::Owner;
use super::{STEPS, failed, html};
use crate::app::{Services, images};
use crate::domain::poster::{Image, ImageContent, PosterStyle};
use crate::domain::{EventId, ImageId};

pub struct StyleCard {
    pub label: &'static str,
    pub image_id: String,
    pub selected: bool,
    pub previews: Vec<(&'static str, String)>,
    pub scripts: Vec<(&'static str, String)>,
}

fn cards(s: &Services, list: &[Image]) -> Vec<StyleCard> {
    let script = (list.iter()).find_map(|i| match &i.content {
        ImageContent::Script(t) => Some((i.platform.label(), t.clone())),
        ImageContent::Poster { .. } => None,
    });
    (PosterStyle::ALL.into_iter())
        .filter_map(|style| {
            let of_style: Vec<&Image> = (list.iter())
                .filter(
                    |i| matches!(i.content, ImageContent::Poster { style: st, .. } if st == style),
                )
                .collect();
            let first = of_style.first()?;
            Some(StyleCard {
                label: style.label(),
                image_id: first.id.to_string(),
                selected: of_style.iter().any(|i| i.selected),
                previews: (of_style.iter())
                    .filter_map(|i| Some((i.platform.label(), s.blobs.url(i.content.blob_key()?))))
                    .collect(),
                scripts: script.clone().into_iter().collect(),
            })
        })
        .collect()
}

#[derive(Template)]
#[template(path = "console/posters.html")]
struct PostersPage {
    signed_in: bool,
    csrf: String,
    step: usize,
    step_names: &'static [&'static str],
    event_id: String,
    styles: Vec<StyleCard>,
    errors: Errors,
}

async fn posters_page(s: &Services, owner: &Owner, id: EventId, errors: Errors) -> Response {
    let styles = match images::list(s, owner.id, id).await {
        Ok(list) => cards(s, &list),
        Err(e) => return failed(&e),
    };
    let page = PostersPage {
        signed_in: true,
        csrf: owner.csrf.clone(),
        step: 4,
        step_names: STEPS,
        event_id: id.to_string(),
        styles,
        errors,
    };
    html(StatusCode::OK, page.render())
}

pub async fn posters(
    State(s): State<Services>,
    owner: Owner,
    EventPath(id): EventPath,
    Query(q): Query<JobQuery>,
) -> Response {
    let heading = "포스터를 그리고 있습니다";
    let detail = "고른 채널마다 알맞은 크기로, 세 가지 디자인을 그립니다.";
    match running(&s, &owner, q.job, 4, heading, detail).await {
        Ok(Some(progress)) => progress,
        Ok(None) => posters_page(&s, &owner, id, Errors::default()).await,
        Err(errors) => posters_page(&s, &owner, id, errors).await,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PickForm {
    pub csrf: String,
    pub image_id: String,
}

pub async fn pick(
    State(s): State<Services>,
    owner: Owner,
    EventPath(id): EventPath,
    axum::Form(f): axum::Form<PickForm>,
) -> Response {
    if let Err(refused) = owner.check(&f.csrf) {
        return refused.into_response();
    }
    let Ok(image) = f.image_id.parse::<ImageId>() else {
        return posters_page(
            &s,
            &owner,
            id,
            Errors::general("디자인을 하나 골라 주세요."),
        )
        .await;
    };
    match images::select(&s, owner.id, id, image).await {
        Ok(_) => Redirect::to(&format!("/events/{id}/channels")).into_response(),
        Err(e) => posters_page(&s, &owner, id, Errors::of(&e)).await,
    }
}
