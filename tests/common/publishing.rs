//! Getting an event ready to publish, connecting channels against the protocol servers, and
//! reading a distribution.
#![allow(dead_code, clippy::unwrap_used)]

use std::sync::Arc;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::channels::{self, Instagram, Kakao, KtPartner, Naver};
use super::{Backend, TestApp, TestClock};

pub const ALL: [&str; 6] = [
    "INSTAGRAM",
    "NAVER",
    "KAKAO",
    "URIDONGNETV",
    "GINITV",
    "RINGOBIZ",
];

/// The four protocol servers and the settings that point the app at them.
pub struct Fakes {
    pub ig: Arc<Instagram>,
    pub naver: Arc<Naver>,
    pub kakao: Arc<Kakao>,
    pub kt: Arc<KtPartner>,
    pub env: Vec<(String, String)>,
}

impl Fakes {
    pub async fn start() -> Self {
        let (ig_base, ig) = channels::instagram().await;
        let (naver_base, naver) = channels::naver().await;
        let (kakao_base, kakao) = channels::kakao().await;
        let (kt_base, kt) = channels::kt_partner().await;
        let env = [
            ("INSTAGRAM_API_BASE", ig_base.as_str()),
            ("INSTAGRAM_OAUTH_BASE", ig_base.as_str()),
            ("INSTAGRAM_TOKEN_BASE", ig_base.as_str()),
            ("INSTAGRAM_APP_ID", "ig-app"),
            ("INSTAGRAM_APP_SECRET", "ig-app-secret"),
            ("INSTAGRAM_POLL_MILLIS", "20"),
            ("NAVER_API_BASE", naver_base.as_str()),
            ("NAVER_AUTH_BASE", naver_base.as_str()),
            ("NAVER_CLIENT_ID", "naver-client"),
            ("NAVER_CLIENT_SECRET", "naver-secret"),
            ("KAKAO_DEALER_API_BASE", kakao_base.as_str()),
            ("KT_PARTNER_API_BASE", kt_base.as_str()),
            ("KT_PARTNER_API_KEY", channels::KT_KEY),
            ("CHANNEL_SANDBOX", "false"),
            ("CHANNEL_TIMEOUT_SECONDS", "1"),
            ("DISTRIBUTION_RECONCILE_SECONDS", "1"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .to_vec();
        Self {
            ig,
            naver,
            kakao,
            kt,
            env,
        }
    }

    /// The app, pointed at the servers, on a clock at daytime in Seoul.
    pub async fn app(&self, b: Backend, extra: &[(&str, &str)]) -> (TestApp, Arc<TestClock>) {
        let clock = TestClock::daytime();
        let mut env: Vec<(&str, &str)> = self
            .env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        env.extend_from_slice(extra);
        (TestApp::spawn_with(b, &env, clock.clone()).await, clock)
    }
}

/// Connects every channel: Instagram and Naver by their logins, Kakao and KT by keys.
pub async fn connect_all(app: &TestApp, token: &str) {
    oauth(app, token, "instagram", "").await;
    oauth(app, token, "naver", "?clubId=31000000&menuId=7").await;
    let kakao = json!({"appKey": "kakao-app", "secretKey": channels::KAKAO_SECRET, "senderKey": "sender-0001"});
    let (s, body) = app
        .put("/api/channels/KAKAO/connection", token, kakao)
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    for channel in ["URIDONGNETV", "GINITV", "RINGOBIZ"] {
        let body = json!({"partnerAccountId": "shop-000123", "partnerAccountPin": super::channels::KT_PIN});
        let (s, body) = app
            .put(&format!("/api/channels/{channel}/connection"), token, body)
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
    }
}

/// Goes through the provider's login as a browser would: start, then the callback with the
/// code the provider gives and the state it was handed.
pub async fn oauth(app: &TestApp, token: &str, channel: &str, query: &str) -> Value {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = client
        .get(format!(
            "{}/api/channels/{channel}/oauth/start{query}",
            app.base
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    // The login is bound to the browser that started it.
    let bound = res.headers()["set-cookie"].to_str().unwrap();
    let cookie = bound.split(';').next().unwrap().to_owned();
    let url = url::Url::parse(&location).unwrap();
    let state = url
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    let back = client
        .get(format!(
            "{}/api/channels/{channel}/oauth/callback?code=good-code&state={state}",
            app.base
        ))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    let s = back.status();
    let body: Value = back.json().await.unwrap();
    assert_eq!(s, StatusCode::OK, "{body}");
    body
}

/// A draft with a selected plan, posters of every channel in the BOLD style (one selected),
/// and `channels` chosen: ready to publish.
pub async fn ready_event(app: &TestApp, token: &str, channels: &[&str]) -> String {
    let event = app.draft(token).await;
    let (_, job) = app
        .call(
            Method::POST,
            &format!("/api/events/{event}/ai-recommendations"),
            Some(token),
            None,
        )
        .await;
    app.relay().await;
    assert_job_done(app, token, &job).await;
    let (_, plans) = app
        .get(&format!("/api/events/{event}/recommendations"), token)
        .await;
    let plan = plans["items"][0]["recommendationId"]
        .as_str()
        .unwrap()
        .to_owned();
    let (s, body) = app
        .put(
            &format!("/api/events/{event}/recommendations"),
            token,
            json!({"recommendationId": plan}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, body) = app
        .put(
            &format!("/api/events/{event}/channels"),
            token,
            json!({"channels": channels}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    make_posters(app, token, &event).await;
    event
}

/// Posters of every channel in the BOLD style, painted from the event as it is now, and the
/// first of them selected.
pub async fn make_posters(app: &TestApp, token: &str, event: &str) {
    let (s, job) = app
        .post(
            &format!("/api/events/{event}/images"),
            Some(token),
            json!({"platforms": ALL, "styles": ["BOLD"]}),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{job}");
    app.relay().await;
    assert_job_done(app, token, &job).await;
    let (_, images) = app.get(&format!("/api/events/{event}/images"), token).await;
    let first = images["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "IMAGE")
        .unwrap();
    let id = first["imageId"].as_str().unwrap();
    let (s, body) = app
        .call(
            Method::PUT,
            &format!("/api/events/{event}/images/{id}/select"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
}

async fn assert_job_done(app: &TestApp, token: &str, accepted: &Value) {
    let (_, job) = app
        .get(
            &format!("/api/jobs/{}", accepted["jobId"].as_str().unwrap()),
            token,
        )
        .await;
    assert_eq!(job["status"], "COMPLETED", "{job}");
}

/// Publishes and runs the worker (the relay plays Service Bus).
pub async fn publish(app: &TestApp, token: &str, event: &str) -> Value {
    let (s, body) = app
        .call(
            Method::POST,
            &format!("/api/events/{event}/publish"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    app.relay().await;
    distribution(app, token, event).await
}

pub async fn distribution(app: &TestApp, token: &str, event: &str) -> Value {
    let (s, body) = app
        .get(&format!("/api/events/{event}/distribution"), token)
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    body
}

/// One channel's post in a distribution.
pub fn post<'a>(d: &'a Value, channel: &str) -> &'a Value {
    d["channels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["channel"] == channel)
        .unwrap()
}

/// Runs the distribution-sweep timer as the host would, then the relay.
pub async fn sweep(app: &TestApp) -> String {
    let line = app.timer("distribution-sweep").await;
    app.relay().await;
    line
}
