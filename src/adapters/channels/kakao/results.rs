//! The dealer's message list, `GET …/messages`: a sent request's delivery results (by
//! `requestId`, or by `senderGroupingKey` for a repeat the dealer dropped), one row per
//! recipient, counted by result (1000 delivered; a final status with another code failed; the
//! rest still pending).

use serde_json::{Value, json};

use chrono::{DateTime, Duration, Utc};

use super::{Answer, Kakao, Keys, keys};
use crate::domain::calendar::seoul;
use crate::domain::connection::ChannelSecret;

pub(super) async fn read(
    k: &Kakao,
    secret: Option<&ChannelSecret>,
    request_id: &str,
) -> Result<Option<Value>, String> {
    let keys = keys(secret).ok_or("no Kakao connection")?;
    // A repeat the dealer dropped names its post by the grouping key only (found within the
    // last 30 days, the range the dealer lists).
    let body = match request_id.strip_prefix("group:") {
        Some(group) => {
            let now = Utc::now();
            let (from, to) = (
                minute(now - Duration::days(30)),
                minute(now + Duration::hours(1)),
            );
            let query = [
                ("senderGroupingKey", group),
                ("startRequestDate", from.as_str()),
                ("endRequestDate", to.as_str()),
            ];
            list(k, &keys, &query).await?
        }
        None => list(k, &keys, &[("requestId", request_id)]).await?,
    };
    Ok(Some(delivery_counts(&body)))
}

/// The request id of a send, found in the dealer's list by its grouping key (the idempotency
/// key) around when it was first sent; `None` when the dealer holds no such message.
pub(super) async fn find_request(
    k: &Kakao,
    keys: &Keys<'_>,
    group: &str,
    first: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Option<String>, String> {
    let (from, to) = (
        minute(first - Duration::hours(1)),
        minute(now + Duration::hours(1)),
    );
    let query = [
        ("senderGroupingKey", group),
        ("startRequestDate", from.as_str()),
        ("endRequestDate", to.as_str()),
    ];
    let body = list(k, keys, &query).await?;
    let rows = body["messages"].as_array().into_iter().flatten();
    Ok(rows
        .filter_map(|m| m["requestId"].as_str())
        .map(str::to_owned)
        .next())
}

/// A request date as the dealer takes it: Seoul time to the minute.
fn minute(t: DateTime<Utc>) -> String {
    t.with_timezone(&seoul())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// `GET …/messages` with the query: the dealer's list, or why it could not be read.
async fn list(k: &Kakao, keys: &Keys<'_>, query: &[(&str, &str)]) -> Result<Value, String> {
    let res = (k.http.get(k.url(keys, &["messages"])))
        .header("X-Secret-Key", keys.secret_key)
        .query(query)
        .query(&[("pageSize", "1000")])
        .send()
        .await
        .map_err(|e| format!("Kakao results: {e}"))?;
    match Kakao::read(res).await {
        Answer::Ok(body) => Ok(body),
        Answer::Code(code, message) => Err(format!("Kakao results {code}: {message}")),
        Answer::Http(status, _) => Err(format!("Kakao results: HTTP {status}")),
        Answer::Unreadable(status) => Err(format!("Kakao results: HTTP {status}, unreadable")),
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
