//! The OpenAPI document clients and API Management use: it is the one the binary prints, it is a
//! valid OpenAPI 3.1 document (checked against the OpenAPI Initiative's own schema,
//! `tests/fixtures/openapi-3.1-schema.json`, Apache-2.0), and every request body it describes
//! can be satisfied: one example per operation is built from the schema alone, validates against
//! it, and the real app accepts its shape.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::PathBuf;

use common::{Backend, TestApp};
use reqwest::Method;
use serde_json::{Map, Value, json};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn document() -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join("openapi.json")).unwrap()).unwrap()
}

#[test]
fn the_committed_openapi_document_is_what_the_binary_prints() {
    let committed = std::fs::read_to_string(root().join("openapi.json")).unwrap();
    let printed = std::process::Command::new(env!("CARGO_BIN_EXE_event-marketing"))
        .arg("openapi")
        .output()
        .unwrap();
    assert!(printed.status.success());
    assert!(
        committed == String::from_utf8(printed.stdout).unwrap(),
        "openapi.json is stale: run `cargo run -q -- openapi > openapi.json`"
    );
    // And APIM imports exactly that file.
    let apim = std::fs::read_to_string(root().join("bicep/modules/apim.bicep")).unwrap();
    assert!(apim.contains("loadTextContent('../../openapi.json')"));
}

/// Clients learn the allowed values: every status, channel, objective and promotion type is an
/// enum schema, and the DTOs refer to it rather than to a bare string.
#[test]
fn statuses_channels_objectives_and_promotion_types_are_enums() {
    let doc = document();
    let schemas = &doc["components"]["schemas"];
    for name in [
        "EventStatus",
        "ChannelStatus",
        "OverallStatus",
        "JobStatus",
        "EntryStatus",
        "PassStatus",
        "Channel",
        "Objective",
        "PromotionType",
    ] {
        let values = schemas[name]["enum"].as_array();
        assert!(
            values.is_some_and(|v| v.len() >= 2),
            "{name} is not an enum: {}",
            schemas[name]
        );
        let text = doc.to_string();
        let reference = format!("\"#/components/schemas/{name}\"");
        assert!(text.contains(&reference), "no DTO refers to {name}");
    }
}

#[test]
fn it_is_a_valid_openapi_3_1_document() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/fixtures/openapi-3.1-schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let doc = document();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The check is real: a document without `info` is refused.
    let mut broken = doc.clone();
    broken.as_object_mut().unwrap().remove("info");
    assert!(!validator.is_valid(&broken));
}

/// Follows a local `$ref` (`#/components/schemas/X`).
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let pointer = r.trim_start_matches('#');
            resolve(doc, doc.pointer(pointer).unwrap())
        }
        None => schema,
    }
}

/// A value for `schema`, built from the schema alone: its examples where it has them, else
/// plausible values of its types and formats; every property of an object, optional or not.
fn example(doc: &Value, schema: &Value) -> Value {
    let schema = resolve(doc, schema);
    if let Some(ex) = schema.get("example") {
        return ex.clone();
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for part in all {
            if let Value::Object(o) = example(doc, part) {
                merged.extend(o);
            }
        }
        return Value::Object(merged);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = schema.get(key).and_then(|v| v.get(0)) {
            return example(doc, first);
        }
    }
    if let Some(first) = schema.get("enum").and_then(|v| v.get(0)) {
        return first.clone();
    }
    let ty = match schema.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null")
            .to_owned(),
        _ if schema.get("properties").is_some() => "object".to_owned(),
        _ => "null".to_owned(),
    };
    match ty.as_str() {
        "object" => {
            let props = schema.get("properties").and_then(Value::as_object);
            let fields = props.into_iter().flatten();
            Value::Object(fields.map(|(k, v)| (k.clone(), example(doc, v))).collect())
        }
        "array" => json!([example(doc, schema.get("items").unwrap_or(&json!({})))]),
        "integer" => json!(schema.get("minimum").and_then(Value::as_i64).unwrap_or(1)),
        "number" => json!(1.5),
        "boolean" => json!(true),
        "string" => match schema.get("format").and_then(Value::as_str) {
            Some("uuid") => json!(uuid::Uuid::new_v4()),
            Some("date") => json!("2026-12-01"),
            Some("date-time") => json!("2026-12-01T09:00:00Z"),
            Some("email") => json!("owner@example.kr"),
            _ => json!("예시"),
        },
        _ => Value::Null,
    }
}

/// A validator for one schema of the document (its `$ref`s resolved against the document).
fn validator(doc: &Value, schema: &Value) -> jsonschema::Validator {
    let wrapped = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": doc["components"],
        "allOf": [schema],
    });
    jsonschema::validator_for(&wrapped).unwrap()
}

/// (method, path, request-body schema) of every operation that takes a JSON body.
fn bodies(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if let Some(schema) = op.pointer("/requestBody/content/application~1json/schema") {
                out.push((method.clone(), path.clone(), schema.clone()));
            }
        }
    }
    out
}

#[test]
fn the_example_builder_notices_an_unsatisfiable_schema() {
    // Two closed objects under allOf: no JSON value satisfies both (the shape the plan
    // selection once had).
    let doc = json!({"components": {"schemas": {
        "A": {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": false},
        "B": {"type": "object", "required": ["b"], "properties": {"b": {"type": "string"}}, "additionalProperties": false}
    }}});
    let schema =
        json!({"allOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]});
    assert!(!validator(&doc, &schema).is_valid(&example(&doc, &schema)));
}

#[tokio::test]
async fn every_request_body_can_be_satisfied_and_is_accepted() {
    let doc = document();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let token = app.owner("openapi@cafe.kr").await;
    let event = app.draft(&token).await;
    let operations = bodies(&doc);
    assert!(operations.len() >= 8, "{}", operations.len());
    for (method, path, schema) in operations {
        let body = example(&doc, &schema);
        let v = validator(&doc, &schema);
        let errors: Vec<String> = v.iter_errors(&body).map(|e| e.to_string()).collect();
        assert!(
            errors.is_empty(),
            "{method} {path}: {body} does not fit: {errors:?}"
        );

        let url = path
            .replace("{eventId}", &event)
            .replace("{imageId}", &uuid::Uuid::new_v4().to_string());
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let (status, answer) = app
            .call(method.clone(), &url, Some(&token), Some(body.clone()))
            .await;
        let code = answer["code"].as_str().unwrap_or_default();
        assert!(
            !matches!(code, "REQ_001" | "REQ_002" | "REQ_004") && status.as_u16() < 500,
            "{method} {path} refused its own example {body}: {status} {answer}"
        );
    }
}
