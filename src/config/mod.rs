//! Settings: one typed tree read from environment variables (an optional `.env` is loaded first by
//! `main`, and real environment variables win over it). Invalid settings stop start-up with a
//! message naming every problem at once. Every variable is listed in `SETTINGS`, which the Bicep
//! consistency test holds against `bicep/`.

mod channels;
mod participation;
mod reader;
mod sections;
mod values;

use std::fmt;
use std::path::PathBuf;

use chrono::Duration;

pub use channels::{ChannelSettings, InstagramSettings, NaverSettings};
pub use participation::ParticipationSettings;
pub use sections::{
    AzureOpenAiSettings, ImageSettings, MIN_JWT_SECRET_BYTES, MailSettings, ServiceBusSettings,
};
pub use values::{
    DatabaseUrl, JwtSettings, KeyRingSettings, Mode, SETTINGS, Secret, SettingScope, SettingSpec,
};

use crate::domain::throttle::ThrottlePolicy;
use reader::Reader;

#[derive(Debug, Clone)]
pub struct Settings {
    pub mode: Mode,
    pub database_url: DatabaseUrl,
    pub database_max_connections: u32,
    pub data_dir: PathBuf,
    pub jwt: JwtSettings,
    pub login_throttle: ThrottlePolicy,
    /// Per-client-address limits of login, sign-up, entries and public reads.
    pub client_rates: crate::domain::throttle::Rates,
    /// The caller's address is the `X-Client-Address` header (API Management sets it); default
    /// in handler mode only. Otherwise the connection's peer.
    pub trust_client_address_header: bool,
    pub max_body_bytes: usize,
    /// Local mode plays the timer triggers in process unless `LOCAL_TIMERS=false`.
    pub local_timers: bool,
    /// Deliveries of a job message before it is dead-lettered; equal to the Service Bus queues'
    /// maxDeliveryCount in Bicep (10).
    pub job_max_deliveries: u32,
    /// AI-plan and poster jobs one owner may start per day (Asia/Seoul).
    pub job_quota: crate::domain::job::DailyQuota,
    /// Where the service is reached from outside; `None` locally: the listening address.
    pub public_base_url: Option<String>,
    pub images: ImageSettings,
    pub channels: ChannelSettings,
    pub participation: ParticipationSettings,
    /// Outbox messages go to Service Bus when configured (else they are delivered in process).
    pub service_bus: Option<ServiceBusSettings>,
    /// Plans from Azure OpenAI (falling back to the built-in recommender) when configured.
    pub azure_openai: Option<AzureOpenAiSettings>,
    /// Poster backgrounds from this Azure OpenAI image deployment (needs `azure_openai`).
    pub azure_openai_image_deployment: Option<String>,
    /// Owners' mails through Azure Communication Services when configured; else the local
    /// sandbox mailbox (local mode) or a plain refusal (Azure).
    pub mail: Option<MailSettings>,
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

impl Settings {
    pub fn from_env() -> Result<Self, SettingsError> {
        Self::from_source(&|name| std::env::var(name).ok())
    }

    /// Reads settings from any variable source (tests pass a map).
    pub fn from_source(get: &dyn Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let mut r = Reader::new(get);
        let mode = sections::mode(&mut r);
        let database_url = sections::database_url(&mut r, mode);
        let data_dir = sections::data_dir(&r);
        let secret = sections::jwt_secret(&mut r, mode);
        let ttl = r.number("JWT_TTL_SECONDS", 3600i64, 60, 7 * 24 * 3600);
        let (azure_openai, azure_openai_image_deployment) = sections::azure_openai(&mut r);
        let settings = Self {
            mode,
            database_url,
            database_max_connections: r.number("DATABASE_MAX_CONNECTIONS", 10u32, 1, 200),
            jwt: JwtSettings {
                secret: Secret::new(Vec::new()),
                issuer: JWT_ISSUER.to_owned(),
                audience: JWT_AUDIENCE.to_owned(),
                ttl: Duration::seconds(ttl),
            },
            login_throttle: sections::login_throttle(&mut r),
            client_rates: sections::client_rates(&mut r),
            trust_client_address_header: r.flag(
                "TRUST_CLIENT_ADDRESS_HEADER",
                matches!(mode, Mode::FunctionsHandler { .. }),
            ),
            max_body_bytes: r.number("MAX_BODY_BYTES", 64 * 1024usize, 1024, 10 * 1024 * 1024),
            local_timers: r.flag("LOCAL_TIMERS", true),
            job_max_deliveries: r.number("JOB_MAX_DELIVERIES", 10u32, 1, 100),
            job_quota: crate::domain::job::DailyQuota {
                recommendations: r.number("DAILY_RECOMMENDATION_JOBS", 20u32, 1, 10_000),
                images: r.number("DAILY_IMAGE_JOBS", 10u32, 1, 10_000),
            },
            public_base_url: sections::public_base_url(&mut r, mode),
            images: sections::images(&mut r),
            channels: channels::channels(&mut r, mode, &data_dir),
            participation: participation::participation(&mut r, mode, &data_dir),
            service_bus: sections::service_bus(&mut r),
            azure_openai,
            azure_openai_image_deployment,
            mail: sections::mail(&mut r),
            data_dir,
        };
        if !r.problems.is_empty() {
            return Err(SettingsError(r.problems));
        }
        let secret = match secret {
            Some(s) => s,
            None => sections::local_jwt_secret(&settings.data_dir)
                .map_err(|e| SettingsError(vec![e]))?,
        };
        Ok(Self {
            jwt: JwtSettings {
                secret: Secret::new(secret),
                ..settings.jwt.clone()
            },
            ..settings
        })
    }
}

#[cfg(test)]
mod tests;
