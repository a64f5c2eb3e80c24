//! Promotional images end to end: the job, the worker, the PNGs behind the URLs, selection.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use async_trait::async_trait;
use common::{Backend, TestApp, assert_error};
use event_marketing::ports::{BlobError, Blobs};
use event_marketing::startup::Overrides;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn ready_event(app: &TestApp, token: &str, channels: Value) -> String {
    let id = app.draft(token).await;
    let (s, _) = app
        .put(
            &format!("/api/events/{id}"),
            token,
            json!({"name": "겨울 한정 유자차 1+1", "prize": "유자차 1+1 쿠폰", "startDate": "2026-12-01", "endDate": "2026-12-24"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = app
        .put(
            &format!("/api/events/{id}/channels"),
            token,
            json!({"channels": channels}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    id
}

async fn request_images(app: &TestApp, token: &str, event: &str, body: Option<Value>) -> String {
    let (s, body) = app
        .call(
            Method::POST,
            &format!("/api/events/{event}/images"),
            Some(token),
            body,
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{body}");
    body["jobId"].as_str().unwrap().to_owned()
}

fn png_size(bytes: &[u8]) -> (u32, u32) {
    let reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    let info = reader.info();
    (info.width, info.height)
}

async fn posters_for_every_channel_in_three_styles(b: Backend) {
    let app = TestApp::spawn(b).await;
    let token = app.owner("a@cafe.kr").await;
    let event = ready_event(
        &app,
        &token,
        json!(["INSTAGRAM", "KAKAO", "GINITV", "RINGOBIZ"]),
    )
    .await;
    let job = request_images(&app, &token, &event, None).await;
    assert!(app.relay().await.starts_with("delivered 1"));
    let (_, j) = app.get(&format!("/api/jobs/{job}"), &token).await;
    assert_eq!(
        (j["status"].as_str(), j["progress"].as_u64()),
        (Some("COMPLETED"), Some(100)),
        "{j}"
    );

    let (s, list) = app
        .get(&format!("/api/events/{event}/images"), &token)
        .await;
    assert_eq!(s, StatusCode::OK);
    let items = list["items"].as_array().unwrap();
    let promised: HashMap<&str, (u32, u32)> = [
        ("INSTAGRAM", (1080, 1350)),
        ("KAKAO", (800, 800)),
        ("GINITV", (1920, 1080)),
    ]
    .into();
    let mut seen: HashSet<(String, String)> = HashSet::new();
    let mut bytes_by_style: HashMap<String, Vec<u8>> = HashMap::new();
    for item in items.iter().filter(|i| i["kind"] == "IMAGE") {
        let platform = item["platform"].as_str().unwrap();
        let style = item["style"].as_str().unwrap().to_owned();
        seen.insert((platform.to_owned(), style.clone()));
        // The URL works: a real PNG of the promised size.
        let res = app
            .client
            .get(item["url"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["content-type"], "image/png");
        let bytes = res.bytes().await.unwrap().to_vec();
        assert_eq!(png_size(&bytes), promised[platform], "{platform} {style}");
        assert_eq!(
            (
                item["width"].as_u64().unwrap() as u32,
                item["height"].as_u64().unwrap() as u32
            ),
            promised[platform]
        );
        if platform == "KAKAO" {
            bytes_by_style.insert(style, bytes);
        }
    }
    assert_eq!(seen.len(), 9, "3 platforms × 3 styles: {seen:?}");
    let distinct: HashSet<&Vec<u8>> = bytes_by_style.values().collect();
    assert_eq!(distinct.len(), 3, "three different styles");

    let scripts: Vec<&Value> = items.iter().filter(|i| i["kind"] == "SCRIPT").collect();
    assert_eq!(scripts.len(), 1);
    assert_eq!(scripts[0]["platform"], "RINGOBIZ");
    let script = scripts[0]["script"].as_str().unwrap();
    assert!(
        script.starts_with("(광고)") && script.contains("겨울 한정 유자차 1+1"),
        "{script}"
    );
    assert!(script.chars().filter(|c| c.is_alphanumeric()).count() <= 150);

    // Select one image, then another: only one is selected.
    let first = items[0]["imageId"].as_str().unwrap();
    let second = items[1]["imageId"].as_str().unwrap();
    for chosen in [first, second] {
        let (s, body) = app
            .call(
                Method::PUT,
                &format!("/api/events/{event}/images/{chosen}/select"),
                Some(&token),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert_eq!(body["selected"], true);
    }
    let (_, list) = app
        .get(&format!("/api/events/{event}/images"), &token)
        .await;
    let selected: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["selected"] == true)
        .map(|i| i["imageId"].as_str().unwrap())
        .collect();
    assert_eq!(selected, vec![second]);
    let (s, body) = app
        .call(
            Method::PUT,
            &format!("/api/events/{event}/images/{}/select", uuid::Uuid::new_v4()),
            Some(&token),
            None,
        )
        .await;
    assert_error(s, &body, 404, "IMG_001");
    let (s, body) = app
        .call(
            Method::PUT,
            &format!("/api/events/{event}/images/nope/select"),
            Some(&token),
            None,
        )
        .await;
    assert_error(s, &body, 404, "IMG_001");
}

async fn defaults_choices_and_bad_input(b: Backend) {
    let app = TestApp::spawn(b).await;
    let token = app.owner("a@cafe.kr").await;
    let event = app.draft(&token).await; // no channels, no name yet
    let job = request_images(&app, &token, &event, Some(json!({"styles": ["soft"]}))).await;
    app.relay().await;
    let (_, j) = app.get(&format!("/api/jobs/{job}"), &token).await;
    assert_eq!(j["status"], "COMPLETED");
    let (_, list) = app
        .get(&format!("/api/events/{event}/images"), &token)
        .await;
    let platforms: HashSet<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["platform"].as_str().unwrap())
        .collect();
    assert_eq!(platforms, HashSet::from(["INSTAGRAM", "NAVER", "KAKAO"]));
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["style"] == "SOFT")
    );

    for (body, code) in [
        (json!({"platforms": ["TIKTOK"]}), "EVENT_006"),
        (json!({"styles": ["NEON"]}), "REQ_002"),
        (json!({"sizes": [1]}), "REQ_002"),
    ] {
        let (s, err) = app
            .call(
                Method::POST,
                &format!("/api/events/{event}/images"),
                Some(&token),
                Some(body),
            )
            .await;
        assert_error(s, &err, 400, code);
    }
    let bob = app.owner("bob@cafe.kr").await;
    let (s, err) = app.get(&format!("/api/events/{event}/images"), &bob).await;
    assert_error(s, &err, 404, "EVENT_003");
}

fn service_bus_delivery(job_id: &str, delivery_count: u32) -> Value {
    let body = json!({"id": "6c1e0b9a-2f4d-4e8b-9a7c-3d5e1f0a2b4c", "type": "ImageGenerationRequested",
                      "occurredAt": "2026-11-21T03:00:00Z", "eventId": uuid::Uuid::new_v4(),
                      "data": {"jobId": job_id}});
    json!({
        "Data": {"message": body.to_string()},
        "Metadata": {"MessageId": "\"m-2\"", "DeliveryCount": delivery_count.to_string(),
                     "sys": {"MethodName": "image-generation-worker"}}
    })
}

async fn the_service_bus_worker_is_idempotent(b: Backend) {
    let app = TestApp::spawn(b).await;
    let token = app.owner("a@cafe.kr").await;
    let event = ready_event(&app, &token, json!(["KAKAO"])).await;
    let job = request_images(&app, &token, &event, Some(json!({"styles": ["BOLD"]}))).await;
    let (s, body) = app
        .invoke("image-generation-worker", service_bus_delivery(&job, 1))
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (_, first) = app
        .get(&format!("/api/events/{event}/images"), &token)
        .await;
    assert_eq!(first["items"].as_array().unwrap().len(), 1);
    let (s, _) = app
        .invoke("image-generation-worker", service_bus_delivery(&job, 2))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, second) = app
        .get(&format!("/api/events/{event}/images"), &token)
        .await;
    assert_eq!(first, second, "exactly one set of images");
}

/// The poster files under the local blob folder.
fn files(app: &TestApp) -> HashSet<String> {
    fn walk(dir: &std::path::Path, out: &mut HashSet<String>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "png") {
                out.insert(path.display().to_string());
            }
        }
    }
    let mut out = HashSet::new();
    walk(&app.db.dir.path().join("blobs"), &mut out);
    out
}

/// One poster job at a time per event; a new set replaces the old one's files, and deleting a
/// draft removes its files: nothing stays public that no event shows.
async fn replaced_and_deleted_posters_leave_no_files(b: Backend) {
    let app = TestApp::spawn(b).await;
    let token = app.owner("a@cafe.kr").await;
    let event = ready_event(&app, &token, json!(["KAKAO"])).await;
    let styles = Some(json!({"styles": ["BOLD", "SOFT"]}));
    request_images(&app, &token, &event, styles.clone()).await;
    let path = format!("/api/events/{event}/images");
    let (s, body) = app
        .call(Method::POST, &path, Some(&token), styles.clone())
        .await;
    assert_error(s, &body, 409, "JOB_002");
    app.relay().await;
    let first = files(&app);
    assert_eq!(first.len(), 2, "{first:?}");
    request_images(&app, &token, &event, styles).await;
    app.relay().await;
    let second = files(&app);
    assert_eq!(second.len(), 2, "the old set's files are gone: {second:?}");
    assert!(first.is_disjoint(&second));
    let (s, _) = app.delete(&format!("/api/events/{event}"), &token).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert!(files(&app).is_empty(), "{:?}", files(&app));
}

struct BrokenStorage;

#[async_trait]
impl Blobs for BrokenStorage {
    async fn put(&self, _: &str, _: Vec<u8>, _: &str) -> Result<(), BlobError> {
        Err(BlobError::Unavailable("503 Server Busy".into()))
    }
    async fn get(&self, key: &str) -> Result<Vec<u8>, BlobError> {
        Err(BlobError::Unavailable(format!("storage is down ({key})")))
    }
    fn url(&self, key: &str) -> String {
        format!("http://unreachable.invalid/{key}")
    }
    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        Err(BlobError::Unavailable(format!("storage is down ({key})")))
    }
}

async fn failing_storage_is_redelivered_then_fails_the_job(b: Backend) {
    let app = TestApp::spawn_with_overrides(
        b,
        &[("JOB_MAX_DELIVERIES", "2")],
        Overrides {
            blobs: Some(Arc::new(BrokenStorage)),
            ..Default::default()
        },
    )
    .await;
    let token = app.owner("a@cafe.kr").await;
    let event = ready_event(&app, &token, json!(["KAKAO"])).await;
    let job = request_images(&app, &token, &event, Some(json!({"styles": ["BOLD"]}))).await;
    let (s, _) = app
        .invoke("image-generation-worker", service_bus_delivery(&job, 1))
        .await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
    let (s, _) = app
        .invoke("image-generation-worker", service_bus_delivery(&job, 2))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, j) = app.get(&format!("/api/jobs/{job}"), &token).await;
    assert_eq!(j["status"], "FAILED");
    assert!(
        j["errorMessage"].as_str().unwrap().contains("이미지"),
        "{j}"
    );
}

on_both_backends!(
    replaced_and_deleted_posters_leave_no_files,
    posters_for_every_channel_in_three_styles,
    defaults_choices_and_bad_input,
    the_service_bus_worker_is_idempotent,
    failing_storage_is_redelivered_then_fails_the_job,
);
