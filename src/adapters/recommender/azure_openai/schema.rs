//! The JSON schema a model's plan must follow (structured outputs, strict: every object closed,
//! every property required, `null` where a value may be absent), mechanic included, so the
//! plans a model writes run at the counter like the built-in ones.

use serde_json::{Value, json};

use crate::domain::mechanic::{ReviewSite, Weekday};
use crate::domain::promotion::PromotionType;

/// A closed object whose properties are all required.
fn object(properties: Value) -> Value {
    let required: Vec<String> = properties
        .as_object()
        .map_or(Vec::new(), |p| p.keys().cloned().collect());
    json!({"type": "object", "additionalProperties": false, "required": required,
           "properties": properties})
}

fn tag(value: &str) -> Value {
    json!({"type": "string", "enum": [value]})
}

fn benefit() -> Value {
    json!({"anyOf": [
        object(json!({"kind": tag("PERCENT"), "rate": {"type": "integer", "description": "1–90"}})),
        object(json!({"kind": tag("AMOUNT"), "won": {"type": "integer", "description": "KRW"}})),
        object(json!({"kind": tag("ITEM"), "name": {"type": "string"},
                      "value": {"type": "integer", "description": "what it costs the shop, KRW"}})),
    ]})
}

fn validity() -> Value {
    json!({"anyOf": [
        object(json!({"kind": tag("UNTIL"), "date": {"type": "string", "description": "YYYY-MM-DD"}})),
        object(json!({"kind": tag("DAYS"), "days": {"type": "integer", "description": "1–366"}})),
    ]})
}

fn cap() -> Value {
    json!({"type": ["integer", "null"], "description": "선착순 인원 (null: 제한 없음)"})
}

fn uses() -> Value {
    json!({"type": "integer", "description": "한 사람이 쓸 수 있는 횟수 (1–30)"})
}

/// Every mechanic, by kind (`domain::mechanic::Mechanic`).
pub(super) fn mechanic() -> Value {
    let days: Vec<Value> = Weekday::ALL.iter().map(|d| json!(d)).collect();
    let sites: Vec<Value> = ReviewSite::ALL.iter().map(|s| json!(s)).collect();
    let window = object(json!({
        "days": {"type": "array", "items": {"type": "string", "enum": days}},
        "fromHour": {"type": "integer", "description": "0–23, Asia/Seoul"},
        "toHour": {"type": "integer", "description": "1–24, after fromHour"},
    }));
    json!({"anyOf": [
        object(json!({"type": tag("COUPON"), "benefit": benefit(), "cap": cap(),
                      "validity": validity(), "uses": uses()})),
        object(json!({"type": tag("TIME_SALE"), "benefit": benefit(), "cap": cap(),
                      "window": window, "validity": validity(), "uses": uses()})),
        object(json!({"type": tag("STAMP_CARD"), "goal": {"type": "integer", "description": "2–30"},
                      "reward": benefit(), "minGapHours": {"type": "integer"}, "cap": cap(),
                      "validity": validity()})),
        object(json!({"type": tag("REFERRAL"), "inviter": benefit(), "friend": benefit(),
                      "unlock": {"type": "string", "enum": ["FRIEND_JOINED", "FRIEND_REDEEMED"]},
                      "cap": cap(), "validity": validity()})),
        object(json!({"type": tag("PHOTO_REVIEW"), "reward": benefit(),
                      "sites": {"type": "array", "items": {"type": "string", "enum": sites}},
                      "hashtag": {"type": "string"}, "cap": cap(), "validity": validity()})),
        object(json!({"type": tag("GIVEAWAY"), "winners": {"type": "integer", "description": "1–1000"}})),
    ]})
}

/// One plan: its words and its mechanic.
pub(super) fn plan() -> Value {
    let types: Vec<&str> = PromotionType::ALL.iter().map(|t| t.code()).collect();
    object(json!({
        "promotionType": {"type": "string", "enum": types},
        "name": {"type": "string"},
        "description": {"type": "string"},
        "prize": {"type": "string"},
        "targetAudience": {"type": "string"},
        "startDate": {"type": "string", "description": "YYYY-MM-DD"},
        "endDate": {"type": "string", "description": "YYYY-MM-DD"},
        "expectedParticipants": {"type": "integer"},
        "estimatedCost": {"type": "integer", "description": "KRW"},
        "hashtags": {"type": "array", "items": {"type": "string"}},
        "reason": {"type": "string"},
        "adCopy": {"type": "string"},
        "mechanic": mechanic(),
    }))
}
