//! Offline proofs about what `bicep/` deploys: every file parses, and it provisions exactly what
//! the code needs (queues, settings, connections, roles), nothing unused unless marked
//! `reserved:` with a reason, and nothing marked reserved that is in fact used. Also: the
//! deployment settings are documented in `local.settings.json.example`.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use event_marketing::config::{SETTINGS, SettingScope};
use event_marketing::domain::Topic;
use serde_json::Value;
use tree_sitter::{Node, Parser, Tree};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Source {
    path: PathBuf,
    text: String,
    tree: Tree,
}

fn bicep_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(
                p.extension().and_then(|x| x.to_str()),
                Some("bicep" | "bicepparam")
            ) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn parse(dir: &Path) -> Vec<Source> {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_bicep::LANGUAGE.into())
        .unwrap();
    bicep_files(dir)
        .into_iter()
        .map(|path| {
            let mut text = std::fs::read_to_string(&path).unwrap();
            if path.extension().is_some_and(|e| e == "bicepparam") {
                text = as_parsable_params(&text);
            }
            let tree = parser.parse(&text, None).unwrap();
            Source { path, text, tree }
        })
        .collect()
}

/// tree-sitter-bicep 1.1 knows `using` but not the `.bicepparam` assignment `param NAME = EXPR`
/// (its `param` always wants a type). Read each top-level assignment as `var NAME = EXPR`, which
/// has the same shape and the same expression grammar, so the values are still parsed for real.
fn as_parsable_params(text: &str) -> String {
    text.lines()
        .map(|l| match l.strip_prefix("param ") {
            Some(rest) => format!("var {rest}"),
            None => l.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `(name, has a default)` of each `param` in a `.bicep` file; the names assigned in a
/// `.bicepparam` file.
fn params_of(s: &Source) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for n in named_children(s.tree.root_node()) {
        let kids = named_children(n);
        let ident = kids.iter().find(|c| c.kind() == "identifier");
        match n.kind() {
            "parameter_declaration" => {
                if let Some(i) = ident {
                    out.push((text(s, *i).to_owned(), text(s, n).contains('=')));
                }
            }
            "variable_declaration" if s.path.extension().is_some_and(|e| e == "bicepparam") => {
                if let Some(i) = ident {
                    out.push((text(s, *i).to_owned(), true));
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn every_parameter_file_assigns_what_main_needs_and_nothing_else() {
    let sources = parse(&root().join("bicep"));
    let main = sources
        .iter()
        .find(|s| s.path.ends_with("main.bicep"))
        .unwrap();
    let declared = params_of(main);
    let files: Vec<&Source> = sources
        .iter()
        .filter(|s| s.path.extension().is_some_and(|e| e == "bicepparam"))
        .collect();
    assert_eq!(files.len(), 2, "dev and prod");
    for f in files {
        assert!(
            f.text.contains("using '../main.bicep'"),
            "{}",
            f.path.display()
        );
        let assigned: BTreeSet<String> = params_of(f).into_iter().map(|(n, _)| n).collect();
        for name in &assigned {
            assert!(
                declared.iter().any(|(d, _)| d == name),
                "{} assigns '{name}', which main.bicep does not declare",
                f.path.display()
            );
        }
        for (name, has_default) in &declared {
            assert!(
                *has_default || assigned.contains(name),
                "{} does not assign the required parameter '{name}'",
                f.path.display()
            );
        }
    }
}

fn first_error(node: Node) -> Option<Node> {
    if node.is_error() || node.is_missing() {
        return Some(node);
    }
    let mut cursor = node.walk();
    let children: Vec<Node> = node.children(&mut cursor).collect();
    children.into_iter().find_map(first_error)
}

#[test]
fn every_bicep_and_bicepparam_file_parses_without_error_nodes() {
    let sources = parse(&root().join("bicep"));
    assert!(
        sources.len() >= 11,
        "expected main, modules and two parameter files"
    );
    let mut problems = Vec::new();
    for s in &sources {
        if let Some(bad) = first_error(s.tree.root_node()) {
            let p = bad.start_position();
            problems.push(format!(
                "{}:{}:{}: {}",
                s.path.display(),
                p.row + 1,
                p.column + 1,
                &s.text[bad.byte_range()]
                    .chars()
                    .take(60)
                    .collect::<String>()
            ));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_parser_does_report_broken_bicep() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.bicep"),
        "resource x 'A/b@1' = {\n  name: 'x'\n",
    )
    .unwrap();
    let s = parse(dir.path());
    assert!(first_error(s[0].tree.root_node()).is_some());
}

// ---------------------------------------------------------------- what Bicep declares

#[derive(Debug)]
struct Resource {
    rtype: String,
    name: Option<String>,
    reserved: bool,
    body: String,
}

#[derive(Debug)]
struct AppSetting {
    value: String,
    reserved: bool,
}

#[derive(Default, Debug)]
struct Declared {
    resources: Vec<Resource>,
    settings: BTreeMap<String, AppSetting>,
}

fn text<'a>(s: &'a Source, n: Node) -> &'a str {
    &s.text[n.byte_range()]
}

fn named_children(n: Node) -> Vec<Node> {
    let mut c = n.walk();
    n.named_children(&mut c).collect()
}

/// A plain string literal's content; `None` when it interpolates.
fn literal(s: &Source, n: Node) -> Option<String> {
    if n.kind() != "string"
        || named_children(n)
            .iter()
            .any(|c| c.kind() == "interpolation")
    {
        return None;
    }
    let t = text(s, n);
    Some(t.trim_matches('\'').to_owned())
}

/// Comments directly above `n` (its preceding named siblings that are comments).
fn reserved_above(s: &Source, n: Node) -> bool {
    let mut prev = n.prev_named_sibling();
    while let Some(p) = prev {
        if p.kind() != "comment" {
            break;
        }
        if text(s, p).contains("reserved:") {
            return true;
        }
        prev = p.prev_named_sibling();
    }
    false
}

fn property<'t>(s: &Source, object: Node<'t>, key: &str) -> Option<Node<'t>> {
    named_children(object)
        .into_iter()
        .filter(|c| c.kind() == "object_property")
        .find(|p| {
            named_children(*p)
                .first()
                .is_some_and(|k| text(s, *k).trim_matches('\'') == key)
        })
        .and_then(|p| named_children(p).last().copied())
}

fn walk(s: &Source, n: Node, out: &mut Declared) {
    match n.kind() {
        "resource_declaration" => {
            let kids = named_children(n);
            let rtype = kids
                .iter()
                .find(|c| c.kind() == "string")
                .and_then(|t| literal(s, *t))
                .unwrap_or_default();
            let body = kids.iter().find(|c| c.kind() == "object").copied();
            out.resources.push(Resource {
                rtype: rtype.split('@').next().unwrap_or_default().to_owned(),
                name: body
                    .and_then(|b| property(s, b, "name"))
                    .and_then(|v| literal(s, v)),
                reserved: reserved_above(s, n),
                body: body.map(|b| text(s, b).to_owned()).unwrap_or_default(),
            });
        }
        "object_property" => {
            let kids = named_children(n);
            if kids.first().is_some_and(|k| text(s, *k) == "appSettings")
                && let Some(array) = kids.last().filter(|v| v.kind() == "array")
            {
                for item in named_children(*array)
                    .into_iter()
                    .filter(|c| c.kind() == "object")
                {
                    let name = property(s, item, "name").and_then(|v| literal(s, v));
                    let value = property(s, item, "value").map(|v| text(s, v).to_owned());
                    if let (Some(name), Some(value)) = (name, value) {
                        out.settings.insert(
                            name,
                            AppSetting {
                                value,
                                reserved: reserved_above(s, item),
                            },
                        );
                    }
                }
            }
        }
        _ => {}
    }
    for c in named_children(n) {
        walk(s, c, out);
    }
}

fn declared(dir: &Path) -> Declared {
    let mut out = Declared::default();
    for s in parse(dir) {
        walk(&s, s.tree.root_node(), &mut out);
    }
    out
}

fn guids(body: &str) -> BTreeSet<String> {
    body.split(|c: char| !(c.is_ascii_hexdigit() || c == '-'))
        .filter(|w| {
            let parts: Vec<_> = w.split('-').map(str::len).collect();
            parts == [8, 4, 4, 4, 12]
        })
        .map(str::to_owned)
        .collect()
}

// ---------------------------------------------------------------- what the code needs

#[derive(Default, Debug)]
struct Needed {
    queues: BTreeSet<String>,
    topics: BTreeSet<String>,
    subscriptions: BTreeSet<String>,
    connections: BTreeSet<String>,
    settings: BTreeSet<String>,
    service_bus_trigger: bool,
}

fn percent_settings(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::String(s) => {
            let parts: Vec<&str> = s.split('%').collect();
            for (i, p) in parts.iter().enumerate() {
                if i % 2 == 1 && i + 1 < parts.len() && !p.is_empty() {
                    out.insert((*p).to_owned());
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| percent_settings(x, out)),
        Value::Object(o) => o.values().for_each(|x| percent_settings(x, out)),
        _ => {}
    }
}

fn needed(functions: &Path) -> Needed {
    let mut n = Needed::default();
    // Topics the outbox relay publishes to are used by the code itself.
    n.topics
        .extend(Topic::ALL.iter().map(|t| t.name().to_owned()));
    for e in std::fs::read_dir(functions).unwrap() {
        let path = e.unwrap().path().join("function.json");
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        percent_settings(&doc, &mut n.settings);
        for b in doc["bindings"].as_array().unwrap() {
            let s = |k: &str| b[k].as_str().map(str::to_owned);
            if b["type"] == "serviceBusTrigger" {
                n.service_bus_trigger = true;
            }
            n.queues.extend(s("queueName"));
            n.topics.extend(s("topicName"));
            n.subscriptions.extend(s("subscriptionName"));
            n.connections.extend(s("connection"));
        }
    }
    n
}

const BLOB_DATA_OWNER: &str = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
const KEY_VAULT_SECRETS_USER: &str = "4633458b-17de-408a-b874-0445c86b69e6";
const SERVICE_BUS_RECEIVER: &str = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0";
const BLOB_DATA_CONTRIBUTOR: &str = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
const MONITORING_METRICS_PUBLISHER: &str = "3913510d-42f4-4e42-8a64-420c390055eb";

/// Everything that does not hold between `functions/`, the code's settings table and `bicep/`.
fn check(functions: &Path, bicep: &Path) -> Vec<String> {
    let need = needed(functions);
    let have = declared(bicep);
    let mut problems = Vec::new();

    // Service Bus entities: each one a function names is declared, and is not marked reserved;
    // each declared one no function names is marked reserved.
    let entity = |kind: &str, wanted: &BTreeSet<String>, problems: &mut Vec<String>| {
        let rtype = format!("Microsoft.ServiceBus/namespaces/{kind}");
        let decl: Vec<&Resource> = have.resources.iter().filter(|r| r.rtype == rtype).collect();
        for w in wanted {
            match decl.iter().find(|r| r.name.as_deref() == Some(w.as_str())) {
                None => problems.push(format!(
                    "{kind} '{w}' is used by a function but not declared in bicep/"
                )),
                Some(r) if r.reserved => {
                    problems.push(format!("{kind} '{w}' is used but still marked reserved"))
                }
                Some(_) => {}
            }
        }
        for r in decl {
            let name = r.name.clone().unwrap_or_default();
            if !wanted.contains(&name) && !r.reserved {
                problems.push(format!("{kind} '{name}' is declared but no function uses it (mark it `reserved:` with a reason)"));
            }
        }
    };
    entity("queues", &need.queues, &mut problems);
    entity("topics", &need.topics, &mut problems);
    entity("topics/subscriptions", &need.subscriptions, &mut problems);

    // App settings the code needs.
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut optional: BTreeSet<String> = BTreeSet::new();
    let mut require = |name: String, problems: &mut Vec<String>| {
        match have.settings.get(&name) {
            None => problems.push(format!(
                "app setting {name} is needed but not set on the Function App"
            )),
            Some(s) if s.reserved => problems.push(format!(
                "app setting {name} is used but still marked reserved"
            )),
            Some(_) => {}
        }
        used.insert(name);
    };
    for c in &need.connections {
        for part in ["fullyQualifiedNamespace", "credential", "clientId"] {
            require(format!("{c}__{part}"), &mut problems);
        }
    }
    for s in &need.settings {
        require(s.clone(), &mut problems);
    }
    for part in ["accountName", "credential", "clientId"] {
        require(format!("AzureWebJobsStorage__{part}"), &mut problems);
    }
    require(
        "APPLICATIONINSIGHTS_CONNECTION_STRING".to_owned(),
        &mut problems,
    );
    // Application Insights with local auth off: the host signs with the identity.
    require(
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING".to_owned(),
        &mut problems,
    );
    for spec in SETTINGS {
        match spec.scope {
            SettingScope::Everywhere => require(spec.name.to_owned(), &mut problems),
            SettingScope::RequiredSecret => {
                require(spec.name.to_owned(), &mut problems);
                if let Some(s) = have.settings.get(spec.name)
                    && !s.value.contains("@Microsoft.KeyVault(")
                {
                    problems.push(format!(
                        "app setting {} is a secret: use a Key Vault reference",
                        spec.name
                    ));
                }
            }
            SettingScope::Optional => {
                if let Some(s) = have.settings.get(spec.name) {
                    optional.insert(spec.name.to_owned());
                    let secret = spec.name.ends_with("_KEY") || spec.name.ends_with("_SECRET");
                    if secret && !s.value.contains("@Microsoft.KeyVault(") {
                        problems.push(format!(
                            "app setting {} is a secret: use a Key Vault reference",
                            spec.name
                        ));
                    }
                }
            }
            SettingScope::LocalOnly | SettingScope::SetByHost => {
                if have.settings.contains_key(spec.name) {
                    problems.push(format!(
                        "app setting {} must not be set in Azure",
                        spec.name
                    ));
                }
            }
        }
    }
    for (name, s) in &have.settings {
        if !used.contains(name) && !optional.contains(name) && !s.reserved {
            problems.push(format!(
                "app setting {name} is set but nothing reads it (mark it `reserved:` with a reason)"
            ));
        }
    }

    // Roles the code's connections need.
    let assignments: Vec<&Resource> = have
        .resources
        .iter()
        .filter(|r| r.rtype == "Microsoft.Authorization/roleAssignments")
        .collect();
    let mut needed_roles = vec![(BLOB_DATA_OWNER, "Storage Blob Data Owner (host storage)")];
    if have
        .settings
        .values()
        .any(|s| s.value.contains("@Microsoft.KeyVault("))
    {
        needed_roles.push((KEY_VAULT_SECRETS_USER, "Key Vault Secrets User"));
    }
    if need.service_bus_trigger {
        needed_roles.push((SERVICE_BUS_RECEIVER, "Azure Service Bus Data Receiver"));
    }
    if (have
        .settings
        .get("APPLICATIONINSIGHTS_AUTHENTICATION_STRING"))
    .is_some_and(|s| s.value.contains("Authorization=AAD"))
    {
        needed_roles.push((
            MONITORING_METRICS_PUBLISHER,
            "Monitoring Metrics Publisher (telemetry with Entra ID)",
        ));
    }
    if have.settings.contains_key("IMAGES_CONTAINER_URL") {
        needed_roles.push((
            BLOB_DATA_CONTRIBUTOR,
            "Storage Blob Data Contributor (images)",
        ));
    }
    for (id, what) in &needed_roles {
        match assignments.iter().find(|a| guids(&a.body).contains(*id)) {
            None => problems.push(format!("role {what} is needed but not assigned")),
            Some(a) if a.reserved => {
                problems.push(format!("role {what} is used but still marked reserved"))
            }
            Some(_) => {}
        }
    }
    for a in &assignments {
        let ids = guids(&a.body);
        if !needed_roles.iter().any(|(id, _)| ids.contains(*id)) && !a.reserved {
            problems.push(format!("role assignment {ids:?} is not needed by the code (mark it `reserved:` with a reason)"));
        }
    }
    problems
}

#[test]
fn bicep_provisions_what_the_code_needs_and_nothing_unexplained() {
    let problems = check(&root().join("functions"), &root().join("bicep"));
    assert!(problems.is_empty(), "{problems:#?}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

fn with_worker(functions: &Path, queue: &str) {
    let dir = functions.join("fixture-worker");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("function.json"),
        format!(
            r#"{{"bindings":[{{"type":"serviceBusTrigger","direction":"in","name":"message","queueName":"{queue}","connection":"ServiceBusConnection"}}]}}"#
        ),
    )
    .unwrap();
}

/// Renaming a queue in one place only is caught, from either side.
#[test]
fn a_queue_renamed_in_one_place_only_is_caught() {
    let tmp = tempfile::tempdir().unwrap();
    let functions = tmp.path().join("functions");
    let bicep = tmp.path().join("bicep");
    copy_dir(&root().join("functions"), &functions);
    copy_dir(&root().join("bicep"), &bicep);

    // A worker naming a queue with a typo.
    with_worker(&functions, "ai-recomendation-jobs");
    let problems = check(&functions, &bicep).join("\n");
    assert!(
        problems.contains("queues 'ai-recomendation-jobs' is used by a function but not declared"),
        "{problems}"
    );

    // The right name, but the queue renamed in Bicep only.
    with_worker(&functions, "ai-recommendation-jobs");
    let sb = bicep.join("modules/servicebus.bicep");
    let text = std::fs::read_to_string(&sb).unwrap();
    std::fs::write(
        &sb,
        text.replace("name: 'ai-recommendation-jobs'", "name: 'ai-jobs'"),
    )
    .unwrap();
    let problems = check(&functions, &bicep).join("\n");
    assert!(
        problems.contains("queues 'ai-recommendation-jobs' is used by a function but not declared"),
        "{problems}"
    );
}

/// When a worker for a reserved queue lands, the `reserved:` marker on it must go; and a
/// connection the code uses cannot be marked reserved either.
#[test]
fn reserved_markers_cannot_hide_what_is_used() {
    let tmp = tempfile::tempdir().unwrap();
    // The analytics subscription, which analytics-worker reads, marked reserved again.
    let sb = tmp.path().join("sb");
    copy_dir(&root().join("bicep"), &sb);
    let f = sb.join("modules/servicebus.bicep");
    let text = std::fs::read_to_string(&f).unwrap();
    let marked = text.replace(
        "resource analytics 'Microsoft",
        "// reserved: pretend\nresource analytics 'Microsoft",
    );
    assert_ne!(marked, text, "the fixture edit applies");
    std::fs::write(&f, marked).unwrap();
    let problems = check(&root().join("functions"), &sb).join("\n");
    assert!(
        problems.contains("topics/subscriptions 'analytics' is used but still marked reserved"),
        "{problems}"
    );

    let bicep = tmp.path().join("bicep");
    copy_dir(&root().join("bicep"), &bicep);
    let f = bicep.join("modules/functionapp.bicep");
    let text = std::fs::read_to_string(&f).unwrap();
    let marked = text.replace(
        "        {\n          name: 'ServiceBusConnection__credential'",
        "        // reserved: pretend\n        {\n          name: 'ServiceBusConnection__credential'",
    );
    assert_ne!(marked, text, "the fixture edit applies");
    std::fs::write(&f, marked).unwrap();
    let problems = check(&root().join("functions"), &bicep).join("\n");
    assert!(
        problems.contains(
            "app setting ServiceBusConnection__credential is used but still marked reserved"
        ),
        "{problems}"
    );
}

#[test]
fn an_app_setting_the_code_reads_cannot_be_forgotten() {
    let tmp = tempfile::tempdir().unwrap();
    let bicep = tmp.path().join("bicep");
    copy_dir(&root().join("bicep"), &bicep);
    let f = bicep.join("modules/functionapp.bicep");
    let text = std::fs::read_to_string(&f).unwrap();
    std::fs::write(
        &f,
        text.replace("name: 'LOGIN_LOCK_SECONDS'", "name: 'LOGIN_LOCK_SECS'"),
    )
    .unwrap();
    let problems = check(&root().join("functions"), &bicep).join("\n");
    assert!(
        problems.contains("app setting LOGIN_LOCK_SECONDS is needed"),
        "{problems}"
    );
    assert!(
        problems.contains("app setting LOGIN_LOCK_SECS is set but nothing reads it"),
        "{problems}"
    );
}

#[test]
fn timer_schedules_are_utc_six_field_crons() {
    let have = declared(&root().join("bicep"));
    let schedule = &have.settings["EVENTS_AUTO_END_SCHEDULE"].value;
    assert_eq!(schedule, "'0 0 15 * * *'", "00:00 in Seoul is 15:00 UTC");
    let need = needed(&root().join("functions"));
    for name in need.settings.iter().filter(|n| n.ends_with("_SCHEDULE")) {
        let cron = have.settings[name].value.trim_matches('\'').to_owned();
        assert_eq!(cron.split_whitespace().count(), 6, "{name}: {cron}");
    }
}

#[test]
fn local_settings_example_documents_every_setting() {
    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("local.settings.json.example")).unwrap(),
    )
    .unwrap();
    let values = doc["Values"].as_object().unwrap();
    for spec in SETTINGS {
        if !matches!(spec.scope, SettingScope::SetByHost | SettingScope::Optional) {
            assert!(
                values.contains_key(spec.name),
                "{} is not documented",
                spec.name
            );
        }
    }
    let need = needed(&root().join("functions"));
    for s in &need.settings {
        assert!(
            values.contains_key(s),
            "{s} (used by a function.json) is not documented"
        );
    }
    assert!(
        std::fs::read_to_string(root().join(".gitignore"))
            .unwrap()
            .lines()
            .any(|l| l == "local.settings.json"),
        "the real local.settings.json must never be committed"
    );
}
