//! The values settings hold (secrets that never print, the database URL, the run mode) and the
//! table of every variable the binary reads.

use std::fmt;

use chrono::Duration;

/// A value that must never be printed (Debug and Display are redacted).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Encryption keys, newest first, written `id:base64key[,id:base64key…]` (32-byte keys). The
/// first seals; every one opens what it sealed, so keys rotate by putting a new one in front.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRingSettings {
    pub keys: Vec<(String, Secret<Vec<u8>>)>,
}

impl KeyRingSettings {
    /// The error says what is wrong, never the key.
    pub fn parse(raw: &str) -> Result<Self, String> {
        use base64::Engine;
        let mut keys: Vec<(String, Secret<Vec<u8>>)> = Vec::new();
        for entry in raw.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (id, b64) = entry
                .split_once(':')
                .ok_or("각 키는 '아이디:base64' 형식이어야 합니다")?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b64.trim())
                .map_err(|_| "키가 올바른 base64가 아닙니다")?;
            if bytes.len() != 32 {
                return Err("키는 32바이트여야 합니다".to_owned());
            }
            let id = id.trim().to_owned();
            if id.is_empty() || keys.iter().any(|(k, _)| *k == id) {
                return Err("키 아이디는 비어 있지 않고 서로 달라야 합니다".to_owned());
            }
            keys.push((id, Secret::new(bytes)));
        }
        if keys.is_empty() {
            return Err("키가 하나 이상 있어야 합니다".to_owned());
        }
        Ok(Self { keys })
    }

    /// A new ring of one random key, written as `parse` reads it.
    pub fn generate(id: &str) -> String {
        use base64::Engine;
        use rand::RngCore;
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        format!(
            "{id}:{}",
            base64::engine::general_purpose::STANDARD.encode(key)
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite://path` — the embedded default. Holds no secret.
    Sqlite(String),
    /// `postgres://…` — may carry a password.
    Postgres(Secret<String>),
}

impl DatabaseUrl {
    pub const DEFAULT: &'static str = "sqlite://data/event-marketing.db";

    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        let scheme = raw.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
        match scheme.as_deref() {
            Some("sqlite") => Ok(Self::Sqlite(raw.to_owned())),
            Some("postgres" | "postgresql") => Ok(Self::Postgres(Secret::new(raw.to_owned()))),
            Some(other) => Err(format!(
                "DATABASE_URL의 스킴 {} 지원하지 않습니다 (sqlite:// 또는 postgres://)",
                crate::domain::korean::with(
                    &format!("'{other}'"),
                    crate::domain::korean::Particle::Eun
                )
            )),
            None => {
                Err("DATABASE_URL은 sqlite://경로 또는 postgres://… 형식이어야 합니다".to_owned())
            }
        }
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }
}

/// How the binary runs: all in one locally, or as the Azure Functions custom handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Local,
    FunctionsHandler { port: u16 },
}

#[derive(Debug, Clone)]
pub struct JwtSettings {
    pub secret: Secret<Vec<u8>>,
    pub issuer: String,
    pub audience: String,
    pub ttl: Duration,
}

/// Where a setting matters. The Bicep consistency test holds `bicep/` against this table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingScope {
    /// Read in every mode; Azure sets it on the Function App.
    Everywhere,
    /// Set in Azure, as a Key Vault reference (DATABASE_URL and JWT_SECRET are also refused
    /// by the binary in handler mode when missing).
    RequiredSecret,
    /// Only meaningful for the local all-in-one run.
    LocalOnly,
    /// Set by the Functions host itself.
    SetByHost,
    /// Turns on an optional integration (e.g. Azure OpenAI); unset means the built-in default.
    Optional,
}

pub struct SettingSpec {
    pub name: &'static str,
    pub scope: SettingScope,
}

const fn spec(name: &'static str, scope: SettingScope) -> SettingSpec {
    SettingSpec { name, scope }
}

/// Every environment variable the binary reads.
pub const SETTINGS: &[SettingSpec] = &[
    spec("DATABASE_URL", SettingScope::RequiredSecret),
    spec("JWT_SECRET", SettingScope::RequiredSecret),
    spec("DATABASE_MAX_CONNECTIONS", SettingScope::Everywhere),
    spec("JWT_TTL_SECONDS", SettingScope::Everywhere),
    spec("LOGIN_MAX_FAILURES", SettingScope::Everywhere),
    spec("LOGIN_WINDOW_SECONDS", SettingScope::Everywhere),
    spec("LOGIN_LOCK_SECONDS", SettingScope::Everywhere),
    spec("LOGIN_FIRST_LOCK_SECONDS", SettingScope::Everywhere),
    spec("LOGIN_RATE_LIMIT_PER_MINUTE", SettingScope::Everywhere),
    spec("SIGNUP_RATE_LIMIT_PER_MINUTE", SettingScope::Everywhere),
    spec("TRUST_CLIENT_ADDRESS_HEADER", SettingScope::Everywhere),
    spec("MAX_BODY_BYTES", SettingScope::Everywhere),
    spec("JOB_MAX_DELIVERIES", SettingScope::Everywhere),
    spec("DAILY_RECOMMENDATION_JOBS", SettingScope::Everywhere),
    spec("DAILY_IMAGE_JOBS", SettingScope::Everywhere),
    spec("IMAGES_CONTAINER_URL", SettingScope::Everywhere),
    spec("SERVICE_BUS_NAMESPACE", SettingScope::Everywhere),
    spec("SERVICE_BUS_SAS_KEY_NAME", SettingScope::Everywhere),
    spec("SERVICE_BUS_SAS_KEY", SettingScope::RequiredSecret),
    spec("SERVICE_BUS_ENDPOINT", SettingScope::Optional),
    spec("AZURE_CLIENT_ID", SettingScope::Everywhere),
    spec("RUST_LOG", SettingScope::Everywhere),
    spec("DATA_DIR", SettingScope::LocalOnly),
    spec("LOCAL_TIMERS", SettingScope::LocalOnly),
    spec("PUBLIC_BASE_URL", SettingScope::Everywhere),
    spec("CHANNEL_SECRET_KEYS", SettingScope::RequiredSecret),
    spec("CHANNEL_TIMEOUT_SECONDS", SettingScope::Everywhere),
    spec("DISTRIBUTION_LEASE_SECONDS", SettingScope::Everywhere),
    spec("DISTRIBUTION_RECONCILE_SECONDS", SettingScope::Everywhere),
    spec("CHANNEL_SANDBOX", SettingScope::LocalOnly),
    spec("PERSONAL_DATA_KEYS", SettingScope::RequiredSecret),
    spec("PHONE_HMAC_KEYS", SettingScope::RequiredSecret),
    spec("ENTRY_RATE_LIMIT_PER_MINUTE", SettingScope::Everywhere),
    spec("PUBLIC_RATE_LIMIT_PER_MINUTE", SettingScope::Everywhere),
    spec("NON_WINNER_RETENTION_HOURS", SettingScope::Everywhere),
    spec("ALTERNATE_RETENTION_DAYS", SettingScope::Everywhere),
    spec("WINNER_RETENTION_DAYS", SettingScope::Everywhere),
    spec("UNDRAWN_RETENTION_DAYS", SettingScope::Everywhere),
    spec("MARKETING_CONSENT_DAYS", SettingScope::Everywhere),
    spec("LOCAL_PURGE_SECONDS", SettingScope::LocalOnly),
    spec("LOCAL_SWEEP_SECONDS", SettingScope::LocalOnly),
    spec("INSTAGRAM_API_BASE", SettingScope::Optional),
    spec("INSTAGRAM_API_VERSION", SettingScope::Optional),
    spec("INSTAGRAM_OAUTH_BASE", SettingScope::Optional),
    spec("INSTAGRAM_TOKEN_BASE", SettingScope::Optional),
    spec("INSTAGRAM_APP_ID", SettingScope::Optional),
    spec("INSTAGRAM_APP_SECRET", SettingScope::Optional),
    spec("INSTAGRAM_POLL_MILLIS", SettingScope::Optional),
    spec("INSTAGRAM_POLL_SECONDS", SettingScope::Optional),
    spec("NAVER_API_BASE", SettingScope::Optional),
    spec("NAVER_AUTH_BASE", SettingScope::Optional),
    spec("NAVER_CLIENT_ID", SettingScope::Optional),
    spec("NAVER_CLIENT_SECRET", SettingScope::Optional),
    spec("KAKAO_DEALER_API_BASE", SettingScope::Optional),
    spec("KT_PARTNER_API_BASE", SettingScope::Optional),
    spec("KT_PARTNER_API_KEY", SettingScope::Optional),
    spec("FUNCTIONS_CUSTOMHANDLER_PORT", SettingScope::SetByHost),
    spec("AZURE_OPENAI_ENDPOINT", SettingScope::Optional),
    spec("AZURE_OPENAI_DEPLOYMENT", SettingScope::Optional),
    spec("AZURE_OPENAI_API_KEY", SettingScope::Optional),
    spec("AZURE_OPENAI_API_VERSION", SettingScope::Optional),
    spec("AZURE_OPENAI_TIMEOUT_SECONDS", SettingScope::Optional),
    spec("AZURE_OPENAI_IMAGE_DEPLOYMENT", SettingScope::Optional),
    spec("MAIL_ENDPOINT", SettingScope::Optional),
    spec("MAIL_SENDER", SettingScope::Optional),
    spec("MAIL_ACCESS_KEY", SettingScope::Optional),
];
