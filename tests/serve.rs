//! The binary serving callers directly (`cargo run`): a client that opens a connection and never
//! finishes its request's headers is cut off, so a few slow-header clients cannot hold the
//! service's connections.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{Backend, TestApp};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let addr = app.base.trim_start_matches("http://").to_owned();
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    // The request line and one header, then nothing: no blank line ever ends the headers.
    slow.write_all(b"GET /api/public/events HTTP/1.1\r\nHost: shop\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(30), slow.read_to_end(&mut answer)).await;
    assert!(
        closed.is_ok(),
        "the connection was still open after 30 s (limit: {:?})",
        event_marketing::serve::HEADER_READ_TIMEOUT
    );
    // Meanwhile and afterwards, a whole request is served as usual.
    let res = app
        .client
        .get(format!("{}/", app.base))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.status());
}
