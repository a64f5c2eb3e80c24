//! The Functions host's invocation payload, decoded tolerantly (docs/architecture.md, "The
//! Azure Functions contract"): string values often arrive JSON-encoded a second time, numbers
//! arrive as strings, and a message body may be single- or double-encoded.

use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InvocationError {
    #[error("the body is not a JSON object with Data and Metadata")]
    NotAnInvocation,
    #[error("binding '{0}' is missing from Data")]
    MissingBinding(String),
    #[error("binding '{0}' is not what this function expects")]
    UnexpectedBinding(String),
}

#[derive(Debug, Clone)]
pub struct Invocation {
    pub data: Map<String, Value>,
    pub metadata: Map<String, Value>,
}

/// If `v` is a string whose content is itself JSON (an object, array, or another string), decode
/// it; repeat while that holds (the host double-encodes, sometimes more).
pub fn unwrap_encoded(v: &Value) -> Value {
    let mut current = v.clone();
    for _ in 0..3 {
        let Value::String(s) = &current else { break };
        let trimmed = s.trim_start();
        if !(trimmed.starts_with('{') || trimmed.starts_with('[') || trimmed.starts_with('"')) {
            break;
        }
        match serde_json::from_str::<Value>(s) {
            Ok(inner) => current = inner,
            Err(_) => break,
        }
    }
    current
}

impl Invocation {
    pub fn parse(body: &[u8]) -> Result<Self, InvocationError> {
        let v: Value =
            serde_json::from_slice(body).map_err(|_| InvocationError::NotAnInvocation)?;
        let obj = v.as_object().ok_or(InvocationError::NotAnInvocation)?;
        let field = |k: &str| obj.get(k).and_then(Value::as_object).cloned();
        Ok(Self {
            data: field("Data").ok_or(InvocationError::NotAnInvocation)?,
            metadata: field("Metadata").unwrap_or_default(),
        })
    }

    /// The value of an input binding, with any extra JSON encoding removed.
    pub fn binding(&self, name: &str) -> Result<Value, InvocationError> {
        self.data
            .get(name)
            .map(unwrap_encoded)
            .ok_or_else(|| InvocationError::MissingBinding(name.to_owned()))
    }

    /// A metadata string such as `MessageId`, which arrives as `"\"4e77…\""`.
    pub fn meta_string(&self, key: &str) -> Option<String> {
        match unwrap_encoded(self.metadata.get(key)?) {
            Value::String(s) => Some(s),
            Value::Null => None,
            other => Some(other.to_string()),
        }
    }

    /// A metadata number such as `DeliveryCount`, which arrives as `"2"` (or `2`, or `"\"2\""`).
    pub fn meta_u64(&self, key: &str) -> Option<u64> {
        match unwrap_encoded(self.metadata.get(key)?) {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn meta_time(&self, key: &str) -> Option<DateTime<Utc>> {
        let s = self.meta_string(key)?;
        DateTime::parse_from_rfc3339(&s)
            .ok()
            .map(|d| d.with_timezone(&Utc))
    }

    /// A timer trigger's `{"Schedule","ScheduleStatus","IsPastDue"}`; `ScheduleStatus` may be null.
    pub fn timer(&self, binding: &str) -> Result<TimerInfo, InvocationError> {
        let v = self.binding(binding)?;
        let obj = v
            .as_object()
            .ok_or_else(|| InvocationError::UnexpectedBinding(binding.to_owned()))?;
        let status = obj.get("ScheduleStatus").and_then(Value::as_object);
        let time = |k: &str| {
            status
                .and_then(|s| s.get(k))
                .and_then(Value::as_str)
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .map(|d| d.with_timezone(&Utc))
        };
        Ok(TimerInfo {
            is_past_due: match obj.get("IsPastDue") {
                Some(Value::Bool(b)) => *b,
                Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
                _ => false,
            },
            last: time("Last"),
            next: time("Next"),
        })
    }

    /// A Service Bus trigger's message and the metadata that matters for idempotency and retries.
    pub fn service_bus(&self, binding: &str) -> Result<ServiceBusDelivery, InvocationError> {
        Ok(ServiceBusDelivery {
            body: self.binding(binding)?,
            message_id: self.meta_string("MessageId"),
            delivery_count: self
                .meta_u64("DeliveryCount")
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(1),
            enqueued_time: self
                .meta_time("EnqueuedTime")
                .or_else(|| self.meta_time("EnqueuedTimeUtc")),
            subject: self
                .meta_string("Subject")
                .or_else(|| self.meta_string("Label")),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimerInfo {
    pub is_past_due: bool,
    pub last: Option<DateTime<Utc>>,
    pub next: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceBusDelivery {
    pub body: Value,
    pub message_id: Option<String>,
    pub delivery_count: u32,
    pub enqueued_time: Option<DateTime<Utc>>,
    pub subject: Option<String>,
}

/// `{"Outputs":{},"Logs":[…],"ReturnValue":null}` — never an empty body, which would leave the
/// host waiting until its function timeout.
#[derive(Debug, Serialize)]
pub struct InvocationResponse {
    #[serde(rename = "Outputs")]
    pub outputs: Map<String, Value>,
    #[serde(rename = "Logs")]
    pub logs: Vec<String>,
    #[serde(rename = "ReturnValue")]
    pub return_value: Value,
}

impl InvocationResponse {
    pub fn log(line: String) -> Self {
        Self {
            outputs: Map::new(),
            logs: vec![line],
            return_value: Value::Null,
        }
    }
}

impl IntoResponse for InvocationResponse {
    fn into_response(self) -> Response {
        axum::Json(self).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Shaped as the host sends a Service Bus trigger.
    fn service_bus_payload(body: Value, delivery_count: Value) -> Vec<u8> {
        json!({
            "Data": { "message": body },
            "Metadata": {
                "MessageId": "\"4e77c5a6b2f84b6c9d0e1f2a3b4c5d6e\"",
                "DeliveryCount": delivery_count,
                "EnqueuedTime": "\"2026-11-21T03:00:00+00:00\"",
                "EnqueuedTimeUtc": "\"2026-11-21T03:00:00Z\"",
                "SequenceNumber": "17",
                "ContentType": "\"application/json\"",
                "Subject": "\"EventPublished\"",
                "LockToken": "\"0f9b…\"",
                "ApplicationProperties": { "type": "EventPublished" },
                "UserProperties": { "type": "EventPublished" },
                "MessageReceiver": {},
                "MessageSession": {},
                "MessageActions": {},
                "eventId": "\"7d0c…\"",
                "sys": { "MethodName": "ai-recommendation-worker", "UtcNow": "2026-11-21T03:00:01Z", "RandGuid": "1b2c…" }
            }
        })
        .to_string()
        .into_bytes()
    }

    #[test]
    fn service_bus_metadata_with_string_numbers_and_double_encoding() {
        let inner = json!({"id": "m-1", "type": "EventPublished", "eventId": "e-1", "data": {}});
        for body in [
            inner.clone(),                                               // an object
            Value::String(inner.to_string()),                            // encoded once
            Value::String(Value::String(inner.to_string()).to_string()), // encoded twice
        ] {
            let inv = Invocation::parse(&service_bus_payload(body, json!("2"))).unwrap();
            let d = inv.service_bus("message").unwrap();
            assert_eq!(d.body, inner);
            assert_eq!(
                d.message_id.as_deref(),
                Some("4e77c5a6b2f84b6c9d0e1f2a3b4c5d6e")
            );
            assert_eq!(d.delivery_count, 2);
            assert_eq!(d.subject.as_deref(), Some("EventPublished"));
            assert_eq!(
                d.enqueued_time.unwrap().to_rfc3339(),
                "2026-11-21T03:00:00+00:00"
            );
        }
        for count in [json!(3), json!("\"3\""), json!("3")] {
            let inv = Invocation::parse(&service_bus_payload(json!({}), count)).unwrap();
            assert_eq!(inv.service_bus("message").unwrap().delivery_count, 3);
        }
    }

    #[test]
    fn a_plain_text_body_stays_text() {
        let inv = Invocation::parse(&service_bus_payload(json!("hello"), json!("1"))).unwrap();
        assert_eq!(inv.service_bus("message").unwrap().body, json!("hello"));
    }

    #[test]
    fn timer_payloads_with_and_without_schedule_status() {
        let with = json!({"Data": {"timer": {
            "Schedule": {"AdjustForDST": true},
            "ScheduleStatus": {"Last": "2026-11-20T15:00:00+00:00", "Next": "2026-11-21T15:00:00+00:00", "LastUpdated": "2026-11-20T15:00:00+00:00"},
            "IsPastDue": false}}, "Metadata": {"sys": {"MethodName": "events-auto-end"}}});
        let t = Invocation::parse(with.to_string().as_bytes())
            .unwrap()
            .timer("timer")
            .unwrap();
        assert!(!t.is_past_due);
        assert_eq!(t.next.unwrap().to_rfc3339(), "2026-11-21T15:00:00+00:00");

        // ScheduleStatus null, the timer itself double-encoded, IsPastDue true.
        let timer =
            json!({"Schedule": {"AdjustForDST": true}, "ScheduleStatus": null, "IsPastDue": true});
        let without = json!({"Data": {"timer": timer.to_string()}, "Metadata": {}});
        let t = Invocation::parse(without.to_string().as_bytes())
            .unwrap()
            .timer("timer")
            .unwrap();
        assert!(t.is_past_due);
        assert_eq!(t.last, None);
    }

    #[test]
    fn what_is_not_an_invocation() {
        assert_eq!(
            Invocation::parse(b"not json").unwrap_err(),
            InvocationError::NotAnInvocation
        );
        assert_eq!(
            Invocation::parse(b"{\"Metadata\":{}}").unwrap_err(),
            InvocationError::NotAnInvocation
        );
        let inv = Invocation::parse(b"{\"Data\":{}}").unwrap();
        assert_eq!(
            inv.timer("timer").unwrap_err(),
            InvocationError::MissingBinding("timer".into())
        );
    }

    #[test]
    fn the_answer_shape() {
        let v = serde_json::to_value(InvocationResponse::log("done".into())).unwrap();
        assert_eq!(
            v,
            json!({"Outputs": {}, "Logs": ["done"], "ReturnValue": null})
        );
    }
}
