//! A published media's insights: `GET /{media-id}/insights?metric=reach,likes,comments`, each
//! metric's lifetime value. A metric Instagram leaves out (too few viewers yet) is absent, not
//! zero.

use serde_json::{Map, Value};

use super::{Instagram, token};
use crate::domain::connection::ChannelSecret;

pub(super) async fn read(
    ig: &Instagram,
    secret: Option<&ChannelSecret>,
    media: &str,
) -> Result<Value, String> {
    let (_, token) = token(secret).ok_or("no Instagram connection")?;
    let query = [("metric", "reach,likes,comments"), ("access_token", token)];
    let body = (ig.read(&format!("{media}/insights"), &query).await)
        .map_err(|e| format!("Instagram insights: {e:?}"))?;
    let mut stats = Map::new();
    for metric in body["data"].as_array().into_iter().flatten() {
        let value = (metric["values"].get(0).map(|v| &v["value"]))
            .or_else(|| metric.get("total_value").map(|v| &v["value"]));
        if let (Some(name), Some(v)) = (metric["name"].as_str(), value.and_then(Value::as_i64)) {
            stats.insert(name.to_owned(), v.into());
        }
    }
    Ok(Value::Object(stats))
}
