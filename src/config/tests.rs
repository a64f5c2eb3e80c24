use super::*;
use std::collections::HashMap;

fn settings(vars: &[(&str, &str)]) -> Result<Settings, SettingsError> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    Settings::from_source(&move |k| map.get(k).cloned())
}

const KEY: &str = "0123456789abcdef0123456789abcdef";

#[test]
fn database_url_schemes() {
    assert_eq!(
        DatabaseUrl::parse("sqlite://x.db").unwrap().backend(),
        "sqlite"
    );
    assert_eq!(
        DatabaseUrl::parse("postgres://u@h/db").unwrap().backend(),
        "postgres"
    );
    assert_eq!(
        DatabaseUrl::parse("postgresql://u@h/db").unwrap().backend(),
        "postgres"
    );
    assert!(DatabaseUrl::parse("mysql://u@h/db").is_err());
    assert!(DatabaseUrl::parse("data.db").is_err());
}

const RING: &str = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const RING_2: &str = "p1:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
const RING_3: &str = "h1:QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=";

#[test]
fn handler_mode_requires_its_secrets_and_address() {
    let required = [
        ("JWT_SECRET", KEY),
        ("DATABASE_URL", "postgres://u@h/db"),
        ("PUBLIC_BASE_URL", "https://apim-x.azure-api.net"),
        ("CHANNEL_SECRET_KEYS", RING),
        ("PERSONAL_DATA_KEYS", RING_2),
        ("PHONE_HMAC_KEYS", RING_3),
    ];
    for missing in 0..required.len() {
        let mut vars = vec![("FUNCTIONS_CUSTOMHANDLER_PORT", "7071")];
        vars.extend(
            required
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != missing)
                .map(|(_, v)| *v),
        );
        let err = settings(&vars).unwrap_err();
        assert!(err.to_string().contains(required[missing].0), "{err}");
    }
    let mut vars = vec![("FUNCTIONS_CUSTOMHANDLER_PORT", "7071")];
    vars.extend(required);
    let s = settings(&vars).unwrap();
    assert_eq!(s.mode, Mode::FunctionsHandler { port: 7071 });
    assert!(!s.channels.sandbox, "no sandbox in Azure");
    assert_eq!(
        s.public_base_url.as_deref(),
        Some("https://apim-x.azure-api.net")
    );
}

#[test]
fn channel_secrets_need_a_well_formed_key_ring() {
    let err = settings(&[("JWT_SECRET", KEY), ("CHANNEL_SECRET_KEYS", "k1:short")]).unwrap_err();
    assert!(err.to_string().contains("CHANNEL_SECRET_KEYS"), "{err}");
    assert!(
        !err.to_string().contains("short"),
        "never echoes a key: {err}"
    );
    let s = settings(&[("JWT_SECRET", KEY), ("CHANNEL_SECRET_KEYS", RING)]).unwrap();
    assert_eq!(s.channels.secret_keys.keys[0].0, "k1");
}

#[test]
fn personal_data_and_phone_tags_use_separate_keys() {
    let base = [("JWT_SECRET", KEY), ("PERSONAL_DATA_KEYS", RING_2)];
    let same = settings(&[
        base[0],
        base[1],
        (
            "PHONE_HMAC_KEYS",
            "x9:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=",
        ),
    ])
    .unwrap_err();
    assert!(same.to_string().contains("PHONE_HMAC_KEYS"), "{same}");
    let s = settings(&[
        base[0],
        base[1],
        ("PHONE_HMAC_KEYS", RING_3),
        ("WINNER_RETENTION_DAYS", "60"),
    ])
    .unwrap();
    assert_eq!(s.participation.phone_hmac_keys.keys[0].0, "h1");
    assert_eq!(
        s.participation.retention.winners,
        chrono::Duration::days(60)
    );
    assert_eq!(
        s.participation.retention.non_winners,
        chrono::Duration::hours(24)
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let err = settings(&[
        ("DATABASE_URL", "mysql://x"),
        ("JWT_SECRET", "short"),
        ("JWT_TTL_SECONDS", "abc"),
    ])
    .unwrap_err();
    assert_eq!(err.0.len(), 3, "{err}");
}

#[test]
fn the_settings_table_lists_exactly_what_is_read() {
    let asked = std::sync::Mutex::new(std::collections::BTreeSet::new());
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_str().unwrap().to_owned();
    let _ = Settings::from_source(&|k| {
        asked.lock().unwrap().insert(k.to_owned());
        (k == "DATA_DIR").then(|| data_dir.clone())
    });
    let asked = asked.into_inner().unwrap();
    let table: std::collections::BTreeSet<String> = SETTINGS
        .iter()
        .map(|s| s.name.to_owned())
        .filter(|n| n != "RUST_LOG") // read by the log filter, not here
        .collect();
    assert_eq!(asked, table);
}

#[test]
fn azure_openai_is_all_or_nothing() {
    assert!(
        settings(&[("JWT_SECRET", KEY)])
            .unwrap()
            .azure_openai
            .is_none()
    );
    let err = settings(&[
        ("JWT_SECRET", KEY),
        ("AZURE_OPENAI_ENDPOINT", "https://x.openai.azure.com"),
    ])
    .unwrap_err();
    assert!(err.to_string().contains("AZURE_OPENAI_DEPLOYMENT"), "{err}");
    let s = settings(&[
        ("JWT_SECRET", KEY),
        ("AZURE_OPENAI_ENDPOINT", "https://x.openai.azure.com"),
        ("AZURE_OPENAI_DEPLOYMENT", "gpt"),
        ("AZURE_OPENAI_API_KEY", "k"),
    ])
    .unwrap();
    let a = s.azure_openai.unwrap();
    assert_eq!(
        (a.api_version.as_str(), a.timeout.as_secs()),
        ("2024-10-21", 120)
    );
    assert!(!format!("{a:?}").contains("\"k\""), "the key never prints");
}

#[test]
fn secrets_never_print() {
    let s = settings(&[
        ("JWT_SECRET", KEY),
        ("DATABASE_URL", "postgres://u:pw@h/db"),
    ])
    .unwrap();
    let printed = format!("{s:?}");
    assert!(
        !printed.contains(KEY) && !printed.contains("pw@"),
        "{printed}"
    );
}

#[test]
fn local_mode_generates_and_keeps_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let a = settings(&[("DATA_DIR", d)]).unwrap();
    let b = settings(&[("DATA_DIR", d)]).unwrap();
    assert_eq!(a.jwt.secret.expose(), b.jwt.secret.expose());
    assert!(a.jwt.secret.expose().len() >= MIN_JWT_SECRET_BYTES);
}
