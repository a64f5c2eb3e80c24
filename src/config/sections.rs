//! One reader per section of the settings tree. Each reads its variables through the `Reader`,
//! which records problems instead of failing, so that every problem is reported at once.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::reader::Reader;
use super::values::{DatabaseUrl, Mode, Secret};
use crate::domain::throttle::Rates;
use crate::domain::throttle::ThrottlePolicy;

/// Service Bus, where the outbox relay publishes in Azure. The sender signs with a SAS key.
#[derive(Debug, Clone)]
pub struct ServiceBusSettings {
    /// The namespace name (`<name>` of `<name>.servicebus.windows.net`).
    pub namespace: String,
    pub key_name: String,
    pub key: Secret<String>,
    /// Where requests really go (default: the namespace's own endpoint).
    pub endpoint: Option<url::Url>,
    pub timeout: Duration,
}

/// An Azure OpenAI resource and its chat deployment (plans).
#[derive(Debug, Clone)]
pub struct AzureOpenAiSettings {
    /// `https://<resource>.openai.azure.com`
    pub endpoint: String,
    pub deployment: String,
    pub api_key: Secret<String>,
    pub api_version: String,
    pub timeout: Duration,
}

/// Where images are kept.
#[derive(Debug, Clone, Default)]
pub struct ImageSettings {
    /// Images in this Blob Storage container (Azure, or Azurite with a SAS) instead of files.
    pub container_url: Option<String>,
    /// The user-assigned managed identity the app authenticates with in Azure.
    pub azure_client_id: Option<String>,
}

pub(super) fn mode(r: &mut Reader) -> Mode {
    let Some(raw) = r.raw("FUNCTIONS_CUSTOMHANDLER_PORT") else {
        return Mode::Local;
    };
    match raw.parse::<u16>() {
        Ok(port) if port > 0 => Mode::FunctionsHandler { port },
        _ => {
            r.problem(
                "FUNCTIONS_CUSTOMHANDLER_PORT",
                "1~65535 사이의 포트 번호여야 합니다",
            );
            Mode::Local
        }
    }
}

pub(super) fn database_url(r: &mut Reader, mode: Mode) -> DatabaseUrl {
    let given = r.raw("DATABASE_URL");
    if given.is_none() && matches!(mode, Mode::FunctionsHandler { .. }) {
        // The Functions app folder is read-only and per instance: no silent SQLite there.
        r.problems.push(
            "Azure Functions 핸들러 모드에서는 DATABASE_URL(postgres://…)을 반드시 설정해야 합니다"
                .to_owned(),
        );
    }
    match DatabaseUrl::parse(&given.unwrap_or_else(|| DatabaseUrl::DEFAULT.to_owned())) {
        Ok(url) => url,
        Err(p) => {
            r.problems.push(p);
            DatabaseUrl::Sqlite(DatabaseUrl::DEFAULT.to_owned())
        }
    }
}

pub const MIN_JWT_SECRET_BYTES: usize = 32;

/// The signing key as given; `None` locally when unset (a key is then generated).
pub(super) fn jwt_secret(r: &mut Reader, mode: Mode) -> Option<Vec<u8>> {
    match r.raw("JWT_SECRET") {
        Some(s) if s.len() >= MIN_JWT_SECRET_BYTES => Some(s.into_bytes()),
        Some(_) => {
            let must = format!("{MIN_JWT_SECRET_BYTES}바이트 이상이어야 합니다");
            r.problem("JWT_SECRET", &must);
            None
        }
        None if matches!(mode, Mode::FunctionsHandler { .. }) => {
            r.problems.push(
                "Azure Functions 핸들러 모드에서는 JWT_SECRET이 반드시 필요합니다".to_owned(),
            );
            None
        }
        None => None,
    }
}

pub(super) fn login_throttle(r: &mut Reader) -> ThrottlePolicy {
    let seconds = |r: &mut Reader, name: &str, default: i64| {
        chrono::Duration::seconds(r.number(name, default, 1, 86_400))
    };
    ThrottlePolicy {
        max_failures: r.number("LOGIN_MAX_FAILURES", 5u32, 1, 100),
        window: seconds(r, "LOGIN_WINDOW_SECONDS", 900),
        first_lock: seconds(r, "LOGIN_FIRST_LOCK_SECONDS", 30),
        lock: seconds(r, "LOGIN_LOCK_SECONDS", 900),
    }
}

/// Calls per minute one client address may make to the endpoints anyone can call.
pub(super) fn client_rates(r: &mut Reader) -> Rates {
    let mut per_minute = |name: &str, default: u32| r.number(name, default, 1, 1_000_000);
    Rates {
        entries: per_minute("ENTRY_RATE_LIMIT_PER_MINUTE", 120),
        reads: per_minute("PUBLIC_RATE_LIMIT_PER_MINUTE", 600),
        logins: per_minute("LOGIN_RATE_LIMIT_PER_MINUTE", 10),
        signups: per_minute("SIGNUP_RATE_LIMIT_PER_MINUTE", 5),
    }
}

/// Where the service is reached from outside (OAuth callbacks, event links, local images);
/// required in Azure (the API gateway's URL), else the address the binary listens on.
pub(super) fn public_base_url(r: &mut Reader, mode: Mode) -> Option<String> {
    let url = r.url("PUBLIC_BASE_URL");
    if url.is_none() && matches!(mode, Mode::FunctionsHandler { .. }) {
        r.problem(
            "PUBLIC_BASE_URL",
            "Azure Functions 핸들러 모드에서 반드시 필요합니다(API Management 게이트웨이 주소)",
        );
    }
    url.map(|u| u.as_str().trim_end_matches('/').to_owned())
}

pub(super) fn images(r: &mut Reader) -> ImageSettings {
    let container_url = r.raw("IMAGES_CONTAINER_URL");
    if let Some(u) = &container_url
        && url::Url::parse(u).map_or(true, |p| {
            p.cannot_be_a_base() || !p.scheme().starts_with("http")
        })
    {
        r.problem(
            "IMAGES_CONTAINER_URL",
            "https://<계정>.blob.core.windows.net/<컨테이너> 형식이어야 합니다",
        );
    }
    ImageSettings {
        container_url,
        azure_client_id: r.raw("AZURE_CLIENT_ID"),
    }
}

pub(super) fn service_bus(r: &mut Reader) -> Option<ServiceBusSettings> {
    let endpoint = r.url("SERVICE_BUS_ENDPOINT");
    let [namespace, key_name, key] = r.all_or_none(
        [
            "SERVICE_BUS_NAMESPACE",
            "SERVICE_BUS_SAS_KEY_NAME",
            "SERVICE_BUS_SAS_KEY",
        ],
        "Service Bus로 보내려면",
    )?;
    Some(ServiceBusSettings {
        namespace: namespace
            .trim_end_matches(".servicebus.windows.net")
            .to_owned(),
        key_name,
        key: Secret::new(key),
        endpoint,
        timeout: Duration::from_secs(10),
    })
}

/// The chat settings, and the image deployment (which needs them).
pub(super) fn azure_openai(r: &mut Reader) -> (Option<AzureOpenAiSettings>, Option<String>) {
    let timeout = r.number("AZURE_OPENAI_TIMEOUT_SECONDS", 120u64, 1, 300);
    let api_version = r
        .raw("AZURE_OPENAI_API_VERSION")
        .unwrap_or_else(|| "2024-10-21".to_owned());
    let image_deployment = r.raw("AZURE_OPENAI_IMAGE_DEPLOYMENT");
    let names = [
        "AZURE_OPENAI_ENDPOINT",
        "AZURE_OPENAI_DEPLOYMENT",
        "AZURE_OPENAI_API_KEY",
    ];
    let chat = match r.all_or_none(names, "Azure OpenAI를 쓰려면") {
        Some([endpoint, deployment, key]) if endpoint.starts_with("http") => {
            Some(AzureOpenAiSettings {
                endpoint,
                deployment,
                api_key: Secret::new(key),
                api_version,
                timeout: Duration::from_secs(timeout),
            })
        }
        Some(_) => {
            r.problem("AZURE_OPENAI_ENDPOINT", "https://로 시작해야 합니다");
            None
        }
        None => None,
    };
    if image_deployment.is_some() && chat.is_none() {
        r.problems.push(
            "AZURE_OPENAI_IMAGE_DEPLOYMENT를 쓰려면 AZURE_OPENAI_ENDPOINT, \
             AZURE_OPENAI_DEPLOYMENT, AZURE_OPENAI_API_KEY도 설정해야 합니다"
                .to_owned(),
        );
    }
    (chat, image_deployment)
}

/// Local mode without `JWT_SECRET`: generate a key once and keep it under the data folder, so
/// tokens survive restarts. Only ever reached in local mode.
pub(super) fn local_jwt_secret(data_dir: &Path) -> Result<Vec<u8>, String> {
    use rand::RngCore;
    let generate = || {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        hex::encode(key)
    };
    local_secret(&data_dir.join("jwt-secret"), generate).map(String::into_bytes)
}

/// A secret kept in a file of its own under the data folder (local mode only): read if it is
/// there, else generated and written (readable by its owner only).
pub(super) fn local_secret(
    path: &Path,
    generate: impl FnOnce() -> String,
) -> Result<String, String> {
    if let Ok(existing) = std::fs::read_to_string(path) {
        let existing = existing.trim();
        if existing.len() >= MIN_JWT_SECRET_BYTES {
            return Ok(existing.to_owned());
        }
    }
    let value = generate();
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .and_then(|()| write_private(path, &value))
        .map_err(|e| format!("로컬 키를 {}에 저장할 수 없습니다: {e}", path.display()))?;
    tracing::warn!(path = %path.display(), "generated a local key (never do this in Azure)");
    Ok(value)
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

pub(super) fn data_dir(r: &Reader) -> PathBuf {
    PathBuf::from(r.raw("DATA_DIR").unwrap_or_else(|| "data".to_owned()))
}

/// Azure Communication Services Email: where owners' mails (address checks, password resets)
/// are sent from. The Email domain is verified in DNS, outside Bicep (`docs/deploy.md`).
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `https://<resource>.communication.azure.com`
    pub endpoint: url::Url,
    /// `DoNotReply@<verified domain>`
    pub sender: String,
    /// The resource's access key, base64 as the portal shows it.
    pub access_key: Secret<String>,
    pub timeout: Duration,
}

pub(super) fn mail(r: &mut Reader) -> Option<MailSettings> {
    let names = ["MAIL_ENDPOINT", "MAIL_SENDER", "MAIL_ACCESS_KEY"];
    let [endpoint, sender, key] = r.all_or_none(names, "메일을 보내려면")?;
    let endpoint = match url::Url::parse(&endpoint) {
        Ok(u) if u.scheme() == "https" || u.host_str() == Some("127.0.0.1") => u,
        _ => {
            r.problem("MAIL_ENDPOINT", "https://로 시작하는 주소여야 합니다");
            return None;
        }
    };
    if !sender.contains('@') {
        r.problem(
            "MAIL_SENDER",
            "보내는 주소(예: DoNotReply@example.com)여야 합니다",
        );
        return None;
    }
    use base64::Engine;
    if base64::engine::general_purpose::STANDARD
        .decode(key.trim())
        .is_err()
    {
        r.problem(
            "MAIL_ACCESS_KEY",
            "Azure Portal에 표시된 base64 액세스 키여야 합니다",
        );
        return None;
    }
    Some(MailSettings {
        endpoint,
        sender,
        access_key: Secret::new(key),
        timeout: Duration::from_secs(10),
    })
}
