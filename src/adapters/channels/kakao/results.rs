//! The dealer's delivery results of a sent request: `GET …/messages?requestId=`, one row per
//! recipient, counted by result (1000 delivered; a final status with another code failed; the
//! rest still pending).

use serde_json::{Value, json};

use super::{Answer, Kakao, keys};
use crate::domain::connection::ChannelSecret;

pub(super) async fn read(
    k: &Kakao,
    secret: Option<&ChannelSecret>,
    request_id: &str,
) -> Result<Option<Value>, String> {
    if request_id.starts_with("idempotency:") {
        return Ok(None); // a repeat the dealer dropped: the first request's id is unknown
    }
    let keys = keys(secret).ok_or("no Kakao connection")?;
    let res = (k.http.get(k.url(&keys, "messages")))
        .header("X-Secret-Key", keys.secret_key)
        .query(&[("requestId", request_id), ("pageSize", "1000")])
        .send()
        .await
        .map_err(|e| format!("Kakao results: {e}"))?;
    match Kakao::read(res).await {
        Answer::Ok(body) => Ok(Some(delivery_counts(&body))),
        Answer::Code(code, message) => Err(format!("Kakao results {code}: {message}")),
        Answer::Http(status, _) => Err(format!("Kakao results: HTTP {status}")),
    }
}

/// `{"delivered","failed","pending"}` from a dealer's list of messages.
fn delivery_counts(body: &Value) -> Value {
    let (mut delivered, mut failed, mut pending) = (0, 0, 0);
    for m in body["messages"].as_array().into_iter().flatten() {
        let code = m["resultCode"].as_str().unwrap_or_default();
        match m["messageStatus"].as_str().unwrap_or_default() {
            "COMPLETED" if code == "1000" => delivered += 1,
            "COMPLETED" | "FAILED" => failed += 1,
            _ => pending += 1,
        }
    }
    json!({ "delivered": delivered, "failed": failed, "pending": pending })
}
