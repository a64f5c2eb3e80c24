//! The Azure Blob adapter against Azurite (started by infra/test): upload, public read by URL,
//! overwrite, refusal of a bad signature, and the whole image job storing its PNGs there.
#![allow(clippy::unwrap_used)]

mod common;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::{Backend, TestApp};
use event_marketing::adapters::azure_blobs::AzureBlobs;
use event_marketing::ports::Blobs;
use hmac::{Hmac, Mac};
use reqwest::{Method, StatusCode};
use serde_json::json;
use sha2::Sha256;

/// Azurite's documented development account.
const ACCOUNT: &str = "devstoreaccount1";
const KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

fn azurite() -> String {
    std::env::var("TEST_AZURITE_BLOB_URL")
        .expect("Azurite is not running: run the tests with infra/test, which starts it")
}

/// An account SAS (blob service; read, add, create, write, delete, list), as the storage
/// service computes it for versions 2020-12-06 and later.
fn account_sas(key: &str) -> String {
    let (sp, ss, srt, se, spr, sv) = (
        "racwdl",
        "b",
        "sco",
        "2035-01-01T00:00:00Z",
        "https,http",
        "2021-12-02",
    );
    let to_sign = format!("{ACCOUNT}\n{sp}\n{ss}\n{srt}\n\n{se}\n\n{spr}\n{sv}\n\n");
    let mut mac = Hmac::<Sha256>::new_from_slice(&STANDARD.decode(key).unwrap()).unwrap();
    mac.update(to_sign.as_bytes());
    let sig = STANDARD.encode(mac.finalize().into_bytes());
    let sig: String = url::form_urlencoded::byte_serialize(sig.as_bytes()).collect();
    format!("sv={sv}&ss={ss}&srt={srt}&sp={sp}&se={se}&spr={spr}&sig={sig}")
}

fn container_url(container: &str, key: &str) -> String {
    format!("{}/{container}?{}", azurite(), account_sas(key))
}

fn fresh_container() -> String {
    format!(
        "images-{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    )
}

#[tokio::test]
async fn uploads_are_publicly_readable_by_url_overwritable_and_deletable() {
    let name = fresh_container();
    let blobs = AzureBlobs::new(&container_url(&name, KEY), None).unwrap();
    blobs.ensure_container().await.unwrap();
    blobs.ensure_container().await.unwrap(); // idempotent
    let key = "events/e1/j1/kakao-bold.png";
    blobs
        .put(key, b"\x89PNG first".to_vec(), "image/png")
        .await
        .unwrap();
    let url = blobs.url(key);
    assert_eq!(
        url,
        format!("{}/{name}/{key}", azurite()),
        "no SAS in the public URL"
    );

    // Anyone (a channel) can read it by its URL, without credentials.
    let res = reqwest::get(&url).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"\x89PNG first");

    blobs
        .put(key, b"\x89PNG second".to_vec(), "image/png")
        .await
        .unwrap();
    assert_eq!(
        reqwest::get(&url)
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .as_ref(),
        b"\x89PNG second"
    );

    // Listing the container is not public.
    let list = reqwest::get(format!("{}/{name}?restype=container&comp=list", azurite()))
        .await
        .unwrap();
    assert!(list.status().is_client_error(), "{}", list.status());

    // Deleted, it is no longer public; deleting it again is not an error.
    blobs.delete(key).await.unwrap();
    assert_eq!(
        reqwest::get(&url).await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    blobs.delete(key).await.unwrap();
}

#[tokio::test]
async fn a_bad_signature_is_refused() {
    let name = fresh_container();
    AzureBlobs::new(&container_url(&name, KEY), None)
        .unwrap()
        .ensure_container()
        .await
        .unwrap();
    let wrong_key = STANDARD.encode([7u8; 64]);
    let blobs = AzureBlobs::new(&container_url(&name, &wrong_key), None).unwrap();
    let err = blobs.put("x.png", vec![1], "image/png").await.unwrap_err();
    assert!(
        err.to_string().contains("403") || err.to_string().to_lowercase().contains("auth"),
        "{err}"
    );
}

/// The app configured with IMAGES_CONTAINER_URL stores the job's posters in Blob Storage, and
/// the URLs it lists serve the PNGs.
async fn image_jobs_store_their_posters_in_blob_storage(b: Backend) {
    let name = fresh_container();
    let url = container_url(&name, KEY);
    AzureBlobs::new(&url, None)
        .unwrap()
        .ensure_container()
        .await
        .unwrap();
    let app = TestApp::spawn_with(
        b,
        &[("IMAGES_CONTAINER_URL", url.as_str())],
        std::sync::Arc::new(event_marketing::ports::SystemClock),
    )
    .await;
    let token = app.owner("a@cafe.kr").await;
    let event = app.draft(&token).await;
    let (s, body) = app
        .call(
            Method::POST,
            &format!("/api/events/{event}/images"),
            Some(&token),
            Some(json!({"platforms": ["KAKAO"], "styles": ["BOLD", "SOFT"]})),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{body}");
    app.relay().await;
    let (_, j) = app
        .get(
            &format!("/api/jobs/{}", body["jobId"].as_str().unwrap()),
            &token,
        )
        .await;
    assert_eq!(j["status"], "COMPLETED", "{j}");
    let (_, list) = app
        .get(&format!("/api/events/{event}/images"), &token)
        .await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    for item in items {
        let u = item["url"].as_str().unwrap();
        assert!(
            u.starts_with(&format!("{}/{name}/events/", azurite())),
            "{u}"
        );
        let res = reqwest::get(u).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let bytes = res.bytes().await.unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    }
}

on_both_backends!(image_jobs_store_their_posters_in_blob_storage);
