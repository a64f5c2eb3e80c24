//! The real binary killed with `kill -9` in the middle of a distribution, then started again:
//! every channel ends published, failed or reconciled, with exactly one post each — on both
//! stores. The posts are in flight at the kill: each channel's server has accepted the post and
//! is holding its answer back.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::channels::Fault;
use common::process::{ApiClient, Binary, free_port};
use common::publishing::{ALL, Fakes};
use common::{Backend, JWT_SECRET, TestDb};
use serde_json::{Value, json};

async fn connect(c: &ApiClient) {
    for (channel, query) in [("instagram", ""), ("naver", "?clubId=31000000&menuId=7")] {
        let res = c
            .http
            .get(format!(
                "{}/api/channels/{channel}/oauth/start{query}",
                c.base
            ))
            .bearer_auth(&c.token)
            .send()
            .await
            .unwrap();
        let location = url::Url::parse(res.headers()["location"].to_str().unwrap()).unwrap();
        let bound = res.headers()["set-cookie"].to_str().unwrap();
        let cookie = bound.split(';').next().unwrap().to_owned();
        let state = location
            .query_pairs()
            .find(|(k, _)| k == "state")
            .unwrap()
            .1
            .into_owned();
        let back = c
            .http
            .get(format!(
                "{}/api/channels/{channel}/oauth/callback?code=good-code&state={state}",
                c.base
            ))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        assert!(back.status().is_success());
    }
    let kakao = json!({"appKey": "kakao-app", "secretKey": common::channels::KAKAO_SECRET, "senderKey": "sender-0001"});
    c.call(
        reqwest::Method::PUT,
        "/api/channels/KAKAO/connection",
        Some(kakao),
    )
    .await;
    for channel in ["URIDONGNETV", "GINITV", "RINGOBIZ"] {
        let body = json!({"partnerAccountId": "shop-000123", "partnerAccountPin": common::channels::KT_PIN});
        c.call(
            reqwest::Method::PUT,
            &format!("/api/channels/{channel}/connection"),
            Some(body),
        )
        .await;
    }
}

/// A selected plan, posters for every channel, one selected, all six channels chosen.
async fn ready_event(c: &ApiClient) -> String {
    let e = c
        .call(
            reqwest::Method::POST,
            "/api/events/objectives",
            Some(json!({"objective": "NEW_CUSTOMERS"})),
        )
        .await;
    let event = e["eventId"].as_str().unwrap().to_owned();
    let job = c
        .call(
            reqwest::Method::POST,
            &format!("/api/events/{event}/ai-recommendations"),
            None,
        )
        .await;
    c.until(
        &format!("/api/jobs/{}", job["jobId"].as_str().unwrap()),
        |j| j["status"] == "COMPLETED",
    )
    .await;
    let plans = c
        .call(
            reqwest::Method::GET,
            &format!("/api/events/{event}/recommendations"),
            None,
        )
        .await;
    let plan = plans["items"][0]["recommendationId"].clone();
    c.call(
        reqwest::Method::PUT,
        &format!("/api/events/{event}/recommendations"),
        Some(json!({"recommendationId": plan})),
    )
    .await;
    c.call(
        reqwest::Method::PUT,
        &format!("/api/events/{event}/channels"),
        Some(json!({"channels": ALL})),
    )
    .await;
    let job = c
        .call(
            reqwest::Method::POST,
            &format!("/api/events/{event}/images"),
            Some(json!({"platforms": ALL, "styles": ["BOLD"]})),
        )
        .await;
    c.until(
        &format!("/api/jobs/{}", job["jobId"].as_str().unwrap()),
        |j| j["status"] == "COMPLETED",
    )
    .await;
    let images = c
        .call(
            reqwest::Method::GET,
            &format!("/api/events/{event}/images"),
            None,
        )
        .await;
    let image = images["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "IMAGE")
        .unwrap()["imageId"]
        .as_str()
        .unwrap()
        .to_owned();
    c.call(
        reqwest::Method::PUT,
        &format!("/api/events/{event}/images/{image}/select"),
        None,
    )
    .await;
    event
}

async fn killed_mid_distribution(b: Backend) {
    let fakes = Fakes::start().await;
    let db = TestDb::new(b).await;
    let port = free_port();
    let mut env: Vec<(String, String)> = fakes.env.clone();
    env.retain(|(k, _)| k != "CHANNEL_TIMEOUT_SECONDS");
    for (k, v) in [
        ("DATABASE_URL", db.url.as_str()),
        ("JWT_SECRET", JWT_SECRET),
        ("DATA_DIR", db.dir.path().to_str().unwrap()),
        ("PUBLIC_BASE_URL", &format!("http://127.0.0.1:{port}")),
        ("CHANNEL_TIMEOUT_SECONDS", "30"),
        ("DISTRIBUTION_LEASE_SECONDS", "3"),
        ("DISTRIBUTION_RECONCILE_SECONDS", "1"),
        ("LOCAL_SWEEP_SECONDS", "1"),
    ] {
        env.push((k.to_owned(), v.to_owned()));
    }
    let first = Binary::start(db.dir.path(), port, &env).await;
    let c = ApiClient::sign_up(&first.base, "crash@cafe.kr").await;
    connect(&c).await;
    let event = ready_event(&c).await;

    // Every channel accepts its post and holds the answer back: the posts are in flight.
    let held = Fault::LoseAnswer(Duration::from_secs(20));
    fakes.ig.faults.fail("publish", held.clone());
    fakes.naver.faults.fail("write", held.clone());
    fakes.kakao.faults.fail("send", held.clone());
    for _ in 0..3 {
        fakes.kt.faults.fail("order", held.clone());
    }
    c.call(
        reqwest::Method::POST,
        &format!("/api/events/{event}/publish"),
        None,
    )
    .await;
    let night = common::channels::kakao_night_now();
    let started = Instant::now();
    while !(fakes.ig.published() == 1
        && fakes.naver.posted() == 1
        && (night || fakes.kakao.sent() == 1)
        && fakes.kt.orders.lock().unwrap().len() == 3)
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the posts never went out"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    first.kill_9();

    let second = Binary::start(db.dir.path(), port, &env).await;
    let c = c.at(&second.base);
    let path = format!("/api/events/{event}/distribution");
    // Interrupted posts are reconciled: Instagram and KT by reading, Kakao by sending again
    // under the same idempotency key; Naver (no read API) waits for the owner.
    let d = c
        .until(&path, |d| {
            d["channels"].as_array().unwrap().iter().all(|p| {
                matches!(
                    p["status"].as_str(),
                    Some("PUBLISHED" | "FAILED" | "SCHEDULED")
                ) || (p["channel"] == "NAVER" && p["status"] == "UNKNOWN")
            })
        })
        .await;
    let status = |d: &Value, ch: &str| {
        d["channels"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["channel"] == ch)
            .unwrap()["status"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    for ch in ["INSTAGRAM", "URIDONGNETV", "GINITV", "RINGOBIZ"] {
        assert_eq!(status(&d, ch), "PUBLISHED", "{d:#}");
    }
    assert_eq!(
        status(&d, "KAKAO"),
        if night { "SCHEDULED" } else { "PUBLISHED" },
        "{d:#}"
    );
    assert_eq!(status(&d, "NAVER"), "UNKNOWN");
    let d = c
        .call(
            reqwest::Method::POST,
            &format!("/api/events/{event}/distribution/NAVER/confirm"),
            Some(json!({"posted": true})),
        )
        .await;
    assert_eq!(status(&d, "NAVER"), "PUBLISHED");
    // Exactly one post each, whatever was retried or reconciled.
    assert_eq!(fakes.ig.published(), 1);
    assert_eq!(
        fakes.ig.faults.called("publish"),
        1,
        "Instagram's publish was never repeated"
    );
    assert_eq!(fakes.naver.posted(), 1);
    assert_eq!(
        fakes.naver.faults.called("write"),
        1,
        "Naver's write was never repeated"
    );
    assert_eq!(fakes.kakao.sent(), usize::from(!night));
    for ch in ["URIDONGNETV", "GINITV", "RINGOBIZ"] {
        assert_eq!(fakes.kt.orders_for(ch), 1, "{ch}");
    }
    second.kill_9();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_mid_distribution_on_sqlite() {
    killed_mid_distribution(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_mid_distribution_on_postgres() {
    killed_mid_distribution(Backend::Postgres).await;
}
