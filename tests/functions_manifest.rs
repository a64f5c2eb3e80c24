//! `functions/*/function.json` and `host.json` against the router and its OpenAPI document: every
//! HTTP function is served, every `/api` route has its function, and every HTTP function is a
//! "pure" forwarded one (exactly one `httpTrigger` in and one `http` out).
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{Backend, TestApp};
use reqwest::Method;
use serde_json::Value;

/// (function name, method, route as in function.json: the whole path without its leading `/`)
type HttpFunction = (String, String, String);

fn read_http_functions(dir: &Path) -> (Vec<HttpFunction>, Vec<String>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path().join("function.json");
        let Ok(text) = std::fs::read_to_string(&path) else {
            problems.push(format!("{name}: no function.json"));
            continue;
        };
        let doc: Value = serde_json::from_str(&text).unwrap();
        let bindings = doc["bindings"].as_array().unwrap();
        let triggers: Vec<&Value> = bindings
            .iter()
            .filter(|b| b["type"] == "httpTrigger")
            .collect();
        if triggers.is_empty() {
            continue; // Service Bus / timer functions are checked elsewhere.
        }
        let pure = bindings.len() == 2
            && triggers.len() == 1
            && triggers[0]["direction"] == "in"
            && bindings
                .iter()
                .any(|b| b["type"] == "http" && b["direction"] == "out");
        if !pure {
            problems.push(format!(
                "{name}: an HTTP function must have exactly one httpTrigger and one http output \
                 (anything else turns off request forwarding)"
            ));
        }
        let t = triggers[0];
        let route = t["route"].as_str().unwrap_or_default().to_owned();
        if route.is_empty() || route.starts_with("admin") || route.starts_with("runtime") {
            problems.push(format!("{name}: route '{route}' is missing or reserved"));
        }
        let methods = t["methods"].as_array().cloned().unwrap_or_default();
        if methods.is_empty() {
            problems.push(format!("{name}: methods must be listed"));
        }
        for m in methods {
            found.push((
                name.clone(),
                m.as_str().unwrap().to_lowercase(),
                route.clone(),
            ));
        }
    }
    (found, problems)
}

/// (operationId, method, path) of every operation in the OpenAPI document the router is built from.
fn api_operations() -> BTreeSet<HttpFunction> {
    let doc = serde_json::to_value(event_marketing::startup::openapi()).unwrap();
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap().to_owned();
            ops.insert((id, method.clone(), path.clone()));
        }
    }
    ops
}

/// Every operation the router serves: the API's and the pages (`web::pages()`, which the
/// document lists too, for API Management).
fn served() -> BTreeSet<HttpFunction> {
    api_operations()
}

fn check(dir: &Path) -> Vec<String> {
    let (functions, mut problems) = read_http_functions(dir);
    let ops = served();
    let declared: BTreeSet<HttpFunction> = functions
        .iter()
        .map(|(n, m, r)| (n.clone(), m.clone(), format!("/{r}")))
        .collect();
    for f in declared.difference(&ops) {
        problems.push(format!(
            "function {} ({} {}) is not served by the router",
            f.0, f.1, f.2
        ));
    }
    for o in ops.difference(&declared) {
        problems.push(format!(
            "route {} {} ({}) has no function.json",
            o.1, o.2, o.0
        ));
    }
    problems
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_function_is_served_and_every_route_has_its_function() {
    let problems = check(&root().join("functions"));
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(api_operations().len() >= 12);
}

#[test]
fn the_check_catches_a_renamed_route_and_an_impure_function() {
    let problems = check(&root().join("tests/fixtures/functions-broken"));
    let joined = problems.join("\n");
    assert!(
        joined.contains("events-renamed (get /api/evnts/{eventId}) is not served"),
        "{joined}"
    );
    assert!(
        joined.contains("events-impure: an HTTP function must have exactly one"),
        "{joined}"
    );
    // And every real route is reported as lacking its function in that folder.
    assert!(
        joined.contains("route post /api/auth/signup (auth-signup) has no function.json"),
        "{joined}"
    );
}

#[test]
fn host_json_forwards_http_and_runs_our_binary() {
    let host: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("host.json")).unwrap()).unwrap();
    assert_eq!(host["version"], "2.0");
    // Routes carry their own prefix: `/api/...` for the API, `/r/...` and the pages outside it.
    assert_eq!(host["extensions"]["http"]["routePrefix"], "");
    assert_eq!(host["customHandler"]["enableForwardingHttpRequest"], true);
    assert_eq!(
        host["customHandler"]["description"]["defaultExecutablePath"],
        "event-marketing"
    );
    assert_eq!(
        host["extensionBundle"]["id"],
        "Microsoft.Azure.Functions.ExtensionBundle"
    );
    assert_eq!(host["extensionBundle"]["version"], "[4.*, 5.0.0)");
}

/// Each declared (method, route) reaches a handler: the answer is never the router's own
/// "no such route" (COMMON_404) or "method not allowed" (COMMON_405).
#[tokio::test]
async fn every_declared_route_reaches_a_handler() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (functions, _) = read_http_functions(&root().join("functions"));
    for (name, method, route) in functions {
        let path = format!(
            "/{}",
            route.replace("{eventId}", &uuid::Uuid::new_v4().to_string())
        );
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let res = (app
            .client
            .request(method.clone(), format!("{}{path}", app.base)))
        .send()
        .await
        .unwrap();
        let status = res.status();
        // Pages answer HTML; the router's own refusals are always JSON.
        let body: Value = serde_json::from_str(&res.text().await.unwrap()).unwrap_or_default();
        let code = body["code"].as_str().unwrap_or_default();
        assert!(
            code != "COMMON_404" && code != "COMMON_405",
            "{name}: {method} {path} → {status} {body}"
        );
    }
}

/// Non-HTTP functions: each folder is in the code's table and vice versa, has exactly one
/// trigger, and its `POST /<name>` answers the host with the invocation response shape.
#[tokio::test]
async fn every_invocation_function_is_served_at_its_name() {
    use event_marketing::domain::Queue;
    use event_marketing::domain::Topic;
    use event_marketing::triggers::{function_names, subscriber, worker};
    let mut folders = BTreeSet::new();
    for entry in std::fs::read_dir(root().join("functions")).unwrap() {
        let entry = entry.unwrap();
        let doc: Value = serde_json::from_str(
            &std::fs::read_to_string(entry.path().join("function.json")).unwrap(),
        )
        .unwrap();
        let bindings = doc["bindings"].as_array().unwrap();
        if bindings.iter().any(|b| b["type"] == "httpTrigger") {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let triggers = bindings
            .iter()
            .filter(|b| b["type"].as_str().is_some_and(|t| t.ends_with("Trigger")))
            .count();
        assert_eq!(triggers, 1, "{name}: exactly one trigger");
        let trigger = bindings
            .iter()
            .find(|b| b["type"].as_str().is_some_and(|t| t.ends_with("Trigger")))
            .unwrap()["type"]
            .as_str()
            .unwrap()
            .to_owned();
        folders.insert((name, trigger));
    }
    let table: BTreeSet<String> = function_names().into_iter().map(str::to_owned).collect();
    let names: BTreeSet<String> = folders.iter().map(|(n, _)| n.clone()).collect();
    assert_eq!(names, table);
    // Each queue's worker listens on that queue.
    for queue in Queue::ALL {
        let doc: Value = serde_json::from_str(
            &std::fs::read_to_string(
                root()
                    .join("functions")
                    .join(worker(queue))
                    .join("function.json"),
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(
            doc["bindings"][0]["queueName"],
            queue.name(),
            "{}",
            worker(queue)
        );
    }
    // Each topic's subscriber listens on its subscription.
    for topic in Topic::ALL {
        let (function, subscription) = subscriber(topic);
        let path = root()
            .join("functions")
            .join(function)
            .join("function.json");
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!(doc["bindings"][0]["topicName"], topic.name(), "{function}");
        assert_eq!(
            doc["bindings"][0]["subscriptionName"], subscription,
            "{function}"
        );
    }

    let app = TestApp::spawn(Backend::Sqlite).await;
    for (name, trigger) in &folders {
        // The payload the host sends for this trigger type.
        let payload = match trigger.as_str() {
            "timerTrigger" => serde_json::json!({
                "Data": {"timer": {"Schedule": {"AdjustForDST": true}, "ScheduleStatus": null, "IsPastDue": false}},
                "Metadata": {"sys": {"MethodName": name, "UtcNow": "2026-11-21T15:00:00Z", "RandGuid": "0"}}
            }),
            "serviceBusTrigger" => serde_json::json!({
                "Data": {"message": serde_json::json!({"id": "m", "type": "x", "data": {"jobId": uuid::Uuid::new_v4()}}).to_string()},
                "Metadata": {"MessageId": "\"m\"", "DeliveryCount": "1", "sys": {"MethodName": name}}
            }),
            other => panic!("{name}: no host payload known for {other}"),
        };
        let res = app
            .client
            .post(format!("{}/{name}", app.base))
            .json(&payload)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{name}");
        let body: Value = res.json().await.unwrap();
        assert!(
            body["Outputs"].is_object() && body["Logs"].is_array(),
            "{name}: {body}"
        );
        assert!(
            body.as_object().unwrap().contains_key("ReturnValue"),
            "{name}: {body}"
        );
    }
}
