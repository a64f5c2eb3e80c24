//! Settings: one typed tree read from environment variables (an optional `.env` is loaded first by
//! `main`, and real environment variables win over it). Invalid settings stop start-up with a
//! message naming every problem at once.

mod values;

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::Duration;

pub use values::{DatabaseUrl, JwtSettings, Mode, SETTINGS, Secret, SettingScope, SettingSpec};

use crate::domain::throttle::ThrottlePolicy;

#[derive(Debug, Clone)]
pub struct Settings {
    pub mode: Mode,
    pub database_url: DatabaseUrl,
    pub database_max_connections: u32,
    pub data_dir: PathBuf,
    pub jwt: JwtSettings,
    pub login_throttle: ThrottlePolicy,
    pub max_body_bytes: usize,
    /// Local mode plays the timer triggers in process unless `LOCAL_TIMERS=false`.
    pub local_timers: bool,
    /// Deliveries of a job message before it is dead-lettered; equal to the Service Bus queues'
    /// maxDeliveryCount in Bicep (10).
    pub job_max_deliveries: u32,
    /// Base of the URLs of locally stored images (default: the address the binary listens on).
    pub public_base_url: Option<String>,
    /// Images in this Blob Storage container (Azure, or Azurite with a SAS) instead of local files.
    pub images_container_url: Option<String>,
    /// The user-assigned managed identity the app authenticates with in Azure.
    pub azure_client_id: Option<String>,
    /// Outbox messages go to Service Bus when configured (else they are delivered in process).
    pub service_bus: Option<crate::adapters::service_bus::ServiceBusSettings>,
    /// Plans from Azure OpenAI (falling back to the built-in recommender) when configured.
    pub azure_openai: Option<crate::adapters::ai::azure_openai::AzureOpenAiSettings>,
    /// Poster backgrounds from this Azure OpenAI image deployment (needs `azure_openai`).
    pub azure_openai_image_deployment: Option<String>,
}

#[derive(Debug)]
pub struct SettingsError(pub Vec<String>);

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "설정이 올바르지 않아 시작할 수 없습니다:")?;
        for p in &self.0 {
            writeln!(f, "  - {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SettingsError {}

pub const JWT_ISSUER: &str = "event-marketing";
pub const JWT_AUDIENCE: &str = "event-marketing-api";
const MIN_JWT_SECRET_BYTES: usize = 32;

/// Reads one variable through `get` and parses it, recording a problem instead of failing fast.
struct Reader<'a> {
    get: &'a dyn Fn(&str) -> Option<String>,
    problems: Vec<String>,
}

impl Reader<'_> {
    fn raw(&self, name: &str) -> Option<String> {
        (self.get)(name).filter(|v| !v.trim().is_empty())
    }

    fn number<T: std::str::FromStr + PartialOrd + fmt::Display + Copy>(
        &mut self,
        name: &str,
        default: T,
        min: T,
        max: T,
    ) -> T {
        let Some(raw) = self.raw(name) else {
            return default;
        };
        match raw.trim().parse::<T>() {
            Ok(v) if v >= min && v <= max => v,
            _ => {
                self.problems.push(format!(
                    "{name}은(는) {min} 이상 {max} 이하의 정수여야 합니다"
                ));
                default
            }
        }
    }
}

impl Settings {
    pub fn from_env() -> Result<Self, SettingsError> {
        Self::from_source(&|name| std::env::var(name).ok())
    }

    /// Reads settings from any variable source (tests pass a map).
    pub fn from_source(get: &dyn Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let mut r = Reader {
            get,
            problems: Vec::new(),
        };
        let mode = match r.raw("FUNCTIONS_CUSTOMHANDLER_PORT") {
            None => Mode::Local,
            Some(p) => match p.trim().parse::<u16>() {
                Ok(port) if port > 0 => Mode::FunctionsHandler { port },
                _ => {
                    r.problems.push(
                        "FUNCTIONS_CUSTOMHANDLER_PORT은(는) 1~65535 사이의 포트 번호여야 합니다"
                            .to_owned(),
                    );
                    Mode::Local
                }
            },
        };
        let given_url = r.raw("DATABASE_URL");
        if given_url.is_none() && matches!(mode, Mode::FunctionsHandler { .. }) {
            // The Functions app folder is read-only and per instance: no silent SQLite there.
            r.problems.push(
                "Azure Functions 핸들러 모드에서는 DATABASE_URL(postgres://…)을 반드시 설정해야 합니다"
                    .to_owned(),
            );
        }
        let database_url =
            match DatabaseUrl::parse(&given_url.unwrap_or_else(|| DatabaseUrl::DEFAULT.to_owned()))
            {
                Ok(url) => url,
                Err(p) => {
                    r.problems.push(p);
                    DatabaseUrl::Sqlite(DatabaseUrl::DEFAULT.to_owned())
                }
            };
        let data_dir = PathBuf::from(r.raw("DATA_DIR").unwrap_or_else(|| "data".to_owned()));
        let database_max_connections = r.number("DATABASE_MAX_CONNECTIONS", 10u32, 1, 200);
        let ttl = r.number("JWT_TTL_SECONDS", 3600i64, 60, 7 * 24 * 3600);
        let max_failures = r.number("LOGIN_MAX_FAILURES", 5u32, 1, 100);
        let window = r.number("LOGIN_WINDOW_SECONDS", 900i64, 1, 86_400);
        let lock = r.number("LOGIN_LOCK_SECONDS", 900i64, 1, 86_400);
        let max_body_bytes = r.number("MAX_BODY_BYTES", 64 * 1024usize, 1024, 10 * 1024 * 1024);
        let job_max_deliveries = r.number("JOB_MAX_DELIVERIES", 10u32, 1, 100);
        let public_base_url = r.raw("PUBLIC_BASE_URL").map(|u| u.trim().to_owned());
        let azure_openai_image_deployment = r
            .raw("AZURE_OPENAI_IMAGE_DEPLOYMENT")
            .map(|d| d.trim().to_owned());
        let images_container_url = r.raw("IMAGES_CONTAINER_URL").map(|u| u.trim().to_owned());
        if let Some(u) = &images_container_url
            && url::Url::parse(u).map_or(true, |p| {
                p.cannot_be_a_base() || !p.scheme().starts_with("http")
            })
        {
            r.problems.push(
                "IMAGES_CONTAINER_URL은(는) https://<계정>.blob.core.windows.net/<컨테이너> 형식이어야 합니다"
                    .to_owned(),
            );
        }
        let azure_client_id = r.raw("AZURE_CLIENT_ID").map(|u| u.trim().to_owned());
        let sb_endpoint = r.raw("SERVICE_BUS_ENDPOINT").map(|u| u.trim().to_owned());
        let sb_endpoint = match sb_endpoint.map(|u| url::Url::parse(&u)) {
            None => None,
            Some(Ok(u)) if u.scheme().starts_with("http") => Some(u),
            Some(_) => {
                r.problems
                    .push("SERVICE_BUS_ENDPOINT은(는) http(s):// URL이어야 합니다".to_owned());
                None
            }
        };
        let service_bus = match (
            r.raw("SERVICE_BUS_NAMESPACE"),
            r.raw("SERVICE_BUS_SAS_KEY_NAME"),
            r.raw("SERVICE_BUS_SAS_KEY"),
        ) {
            (None, None, None) => None,
            (Some(namespace), Some(key_name), Some(key)) => {
                Some(crate::adapters::service_bus::ServiceBusSettings {
                    namespace: namespace
                        .trim()
                        .trim_end_matches(".servicebus.windows.net")
                        .to_owned(),
                    key_name: key_name.trim().to_owned(),
                    key: Secret::new(key.trim().to_owned()),
                    endpoint: sb_endpoint,
                    timeout: std::time::Duration::from_secs(10),
                })
            }
            _ => {
                r.problems.push(
                    "Service Bus로 보내려면 SERVICE_BUS_NAMESPACE, SERVICE_BUS_SAS_KEY_NAME, \
                     SERVICE_BUS_SAS_KEY를 모두 설정해야 합니다"
                        .to_owned(),
                );
                None
            }
        };
        let aoai_timeout = r.number("AZURE_OPENAI_TIMEOUT_SECONDS", 120u64, 1, 300);
        let aoai_version = r
            .raw("AZURE_OPENAI_API_VERSION")
            .unwrap_or_else(|| "2024-10-21".to_owned());
        let azure_openai = match (
            r.raw("AZURE_OPENAI_ENDPOINT"),
            r.raw("AZURE_OPENAI_DEPLOYMENT"),
            r.raw("AZURE_OPENAI_API_KEY"),
        ) {
            (None, None, None) => None,
            (Some(endpoint), Some(deployment), Some(key))
                if endpoint.starts_with("https://") || endpoint.starts_with("http://") =>
            {
                Some(crate::adapters::ai::azure_openai::AzureOpenAiSettings {
                    endpoint: endpoint.trim().to_owned(),
                    deployment: deployment.trim().to_owned(),
                    api_key: Secret::new(key.trim().to_owned()),
                    api_version: aoai_version,
                    timeout: std::time::Duration::from_secs(aoai_timeout),
                })
            }
            _ => {
                r.problems.push(
                    "Azure OpenAI를 쓰려면 AZURE_OPENAI_ENDPOINT(https://…), AZURE_OPENAI_DEPLOYMENT, \
                     AZURE_OPENAI_API_KEY를 모두 설정해야 합니다"
                        .to_owned(),
                );
                None
            }
        };
        if let Some(u) = &public_base_url
            && !(u.starts_with("http://") || u.starts_with("https://"))
        {
            r.problems
                .push("PUBLIC_BASE_URL은(는) http:// 또는 https://로 시작해야 합니다".to_owned());
        }
        let local_timers = match r.raw("LOCAL_TIMERS").map(|v| v.trim().to_ascii_lowercase()) {
            None => true,
            Some(v) if v == "true" || v == "1" => true,
            Some(v) if v == "false" || v == "0" => false,
            Some(_) => {
                r.problems
                    .push("LOCAL_TIMERS은(는) true 또는 false여야 합니다".to_owned());
                true
            }
        };
        let secret = match r.raw("JWT_SECRET") {
            Some(s) if s.len() >= MIN_JWT_SECRET_BYTES => Some(s.into_bytes()),
            Some(_) => {
                r.problems.push(format!(
                    "JWT_SECRET은(는) {MIN_JWT_SECRET_BYTES}바이트 이상이어야 합니다"
                ));
                None
            }
            None if matches!(mode, Mode::FunctionsHandler { .. }) => {
                r.problems.push(
                    "Azure Functions 핸들러 모드에서는 JWT_SECRET이 반드시 필요합니다".to_owned(),
                );
                None
            }
            None => None,
        };
        if azure_openai_image_deployment.is_some() && azure_openai.is_none() {
            r.problems.push(
                "AZURE_OPENAI_IMAGE_DEPLOYMENT을(를) 쓰려면 AZURE_OPENAI_ENDPOINT, \
                 AZURE_OPENAI_DEPLOYMENT, AZURE_OPENAI_API_KEY도 설정해야 합니다"
                    .to_owned(),
            );
        }
        if !r.problems.is_empty() {
            return Err(SettingsError(r.problems));
        }
        let secret = match secret {
            Some(s) => s,
            None => local_jwt_secret(&data_dir).map_err(|e| SettingsError(vec![e]))?,
        };
        Ok(Self {
            mode,
            database_url,
            database_max_connections,
            data_dir,
            jwt: JwtSettings {
                secret: Secret::new(secret),
                issuer: JWT_ISSUER.to_owned(),
                audience: JWT_AUDIENCE.to_owned(),
                ttl: Duration::seconds(ttl),
            },
            login_throttle: ThrottlePolicy {
                max_failures,
                window: Duration::seconds(window),
                lock: Duration::seconds(lock),
            },
            max_body_bytes,
            local_timers,
            job_max_deliveries,
            public_base_url,
            images_container_url,
            azure_client_id,
            service_bus,
            azure_openai,
            azure_openai_image_deployment,
        })
    }
}

/// Local mode without `JWT_SECRET`: generate a key once and keep it under the data folder, so
/// tokens survive restarts. Only ever reached in local mode.
fn local_jwt_secret(data_dir: &Path) -> Result<Vec<u8>, String> {
    use rand::RngCore;
    let path = data_dir.join("jwt-secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim();
        if existing.len() >= MIN_JWT_SECRET_BYTES {
            return Ok(existing.as_bytes().to_vec());
        }
    }
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    let encoded = hex::encode(key);
    std::fs::create_dir_all(data_dir)
        .and_then(|()| write_private(&path, &encoded))
        .map_err(|e| format!("로컬 JWT 키를 {}에 저장할 수 없습니다: {e}", path.display()))?;
    tracing::warn!(
        path = %path.display(),
        "JWT_SECRET is not set: generated a local signing key (never do this in Azure)"
    );
    Ok(encoded.into_bytes())
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(contents.as_bytes())
}

#[cfg(test)]
mod tests {
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

    #[test]
    fn handler_mode_requires_a_jwt_secret() {
        let err = settings(&[("FUNCTIONS_CUSTOMHANDLER_PORT", "7071")]).unwrap_err();
        assert!(err.to_string().contains("JWT_SECRET"), "{err}");
        let err = settings(&[
            ("FUNCTIONS_CUSTOMHANDLER_PORT", "7071"),
            ("JWT_SECRET", KEY),
        ])
        .unwrap_err();
        assert!(err.to_string().contains("DATABASE_URL"), "{err}");
        let s = settings(&[
            ("FUNCTIONS_CUSTOMHANDLER_PORT", "7071"),
            ("JWT_SECRET", KEY),
            ("DATABASE_URL", "postgres://u@h/db"),
        ])
        .unwrap();
        assert_eq!(s.mode, Mode::FunctionsHandler { port: 7071 });
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
}
