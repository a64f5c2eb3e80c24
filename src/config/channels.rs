//! The channels' settings: where each channel's API is (so operators and tests can point it
//! elsewhere), the platform's app credentials, timeouts, the key ring that seals owners'
//! channel secrets, and the distribution's lease and reconciliation pace.

use std::path::Path;
use std::time::Duration;

use url::Url;

use super::reader::Reader;
use super::values::{KeyRingSettings, Mode, Secret};

#[derive(Debug, Clone)]
pub struct InstagramSettings {
    /// `https://graph.instagram.com` (Instagram Login) — the Graph API host.
    pub api_base: Url,
    pub api_version: String,
    /// Where the owner logs in: `https://www.instagram.com`.
    pub oauth_base: Url,
    /// Where codes become tokens: `https://api.instagram.com`.
    pub token_base: Url,
    /// The platform's Instagram app; without it Instagram cannot be connected.
    pub app: Option<(String, Secret<String>)>,
    /// How often a media container's status is read, and for how long at most.
    pub poll_every: Duration,
    pub poll_for: Duration,
}

#[derive(Debug, Clone)]
pub struct NaverSettings {
    /// `https://openapi.naver.com`
    pub api_base: Url,
    /// `https://nid.naver.com`
    pub auth_base: Url,
    pub app: Option<(String, Secret<String>)>,
}

#[derive(Debug, Clone)]
pub struct ChannelSettings {
    /// Seals the owners' channel secrets at rest.
    pub secret_keys: KeyRingSettings,
    /// Locally, unconnected channels publish to a sandbox under `DATA_DIR/sandbox`.
    pub sandbox: bool,
    /// The longest any one call to a channel may take.
    pub timeout: Duration,
    pub instagram: InstagramSettings,
    pub naver: NaverSettings,
    /// The Kakao Brand Message dealer's API; without it Kakao cannot be used.
    pub kakao_dealer_base: Option<Url>,
    /// KT's partner API (our contract, docs/kt-partner-contract.md) and the key KT issued us.
    pub kt_partner: Option<(Url, Secret<String>)>,
    /// How long an attempt may hold a post (longer than the longest attempt).
    pub lease: chrono::Duration,
    /// How often an UNKNOWN post is read again.
    pub reconcile_every: chrono::Duration,
    /// Local mode: how often the in-process sweep runs.
    pub local_sweep: Duration,
}

fn url_or(r: &mut Reader, name: &str, default: &str) -> Url {
    #[allow(clippy::expect_used)] // the defaults are constant, valid URLs
    r.url(name)
        .unwrap_or_else(|| Url::parse(default).expect("default URL"))
}

fn app(r: &mut Reader, id: &str, secret: &str, purpose: &str) -> Option<(String, Secret<String>)> {
    let [id, secret] = r.all_or_none([id, secret], purpose)?;
    Some((id, Secret::new(secret)))
}

pub(super) fn channels(r: &mut Reader, mode: Mode, data_dir: &Path) -> ChannelSettings {
    let seconds = |r: &mut Reader, name, default, max| {
        Duration::from_secs(r.number(name, default, 1u64, max))
    };
    let instagram = InstagramSettings {
        api_base: url_or(r, "INSTAGRAM_API_BASE", "https://graph.instagram.com"),
        api_version: r
            .raw("INSTAGRAM_API_VERSION")
            .unwrap_or_else(|| "v23.0".to_owned()),
        oauth_base: url_or(r, "INSTAGRAM_OAUTH_BASE", "https://www.instagram.com"),
        token_base: url_or(r, "INSTAGRAM_TOKEN_BASE", "https://api.instagram.com"),
        app: app(
            r,
            "INSTAGRAM_APP_ID",
            "INSTAGRAM_APP_SECRET",
            "인스타그램을 연결하려면",
        ),
        poll_every: Duration::from_millis(r.number("INSTAGRAM_POLL_MILLIS", 3000u64, 10, 60_000)),
        poll_for: seconds(r, "INSTAGRAM_POLL_SECONDS", 300, 600),
    };
    let naver = NaverSettings {
        api_base: url_or(r, "NAVER_API_BASE", "https://openapi.naver.com"),
        auth_base: url_or(r, "NAVER_AUTH_BASE", "https://nid.naver.com"),
        app: app(
            r,
            "NAVER_CLIENT_ID",
            "NAVER_CLIENT_SECRET",
            "네이버를 연결하려면",
        ),
    };
    let kt_base = r.url("KT_PARTNER_API_BASE");
    let kt_key = r.raw("KT_PARTNER_API_KEY");
    if kt_base.is_some() != kt_key.is_some() {
        r.problems.push(
            "KT 파트너 채널을 쓰려면 KT_PARTNER_API_BASE와 KT_PARTNER_API_KEY를 함께 설정해야 합니다"
                .to_owned(),
        );
    }
    ChannelSettings {
        secret_keys: key_ring(r, "CHANNEL_SECRET_KEYS", mode, data_dir),
        sandbox: matches!(mode, Mode::Local) && r.flag("CHANNEL_SANDBOX", true),
        timeout: seconds(r, "CHANNEL_TIMEOUT_SECONDS", 20, 300),
        instagram,
        naver,
        kakao_dealer_base: r.url("KAKAO_DEALER_API_BASE"),
        kt_partner: kt_base.zip(kt_key.map(Secret::new)),
        lease: chrono::Duration::seconds(r.number("DISTRIBUTION_LEASE_SECONDS", 600i64, 1, 3600)),
        reconcile_every: chrono::Duration::seconds(r.number(
            "DISTRIBUTION_RECONCILE_SECONDS",
            300i64,
            1,
            86_400,
        )),
        local_sweep: seconds(r, "LOCAL_SWEEP_SECONDS", 15, 3600),
    }
}

/// A key ring from `name`; locally generated once into `DATA_DIR` when unset (required in
/// Azure, where Key Vault keeps it).
pub(super) fn key_ring(r: &mut Reader, name: &str, mode: Mode, data_dir: &Path) -> KeyRingSettings {
    let fallback = || KeyRingSettings {
        keys: vec![("unset".to_owned(), Secret::new(vec![0; 32]))],
    };
    let raw = match r.raw(name) {
        Some(raw) => raw,
        None if matches!(mode, Mode::FunctionsHandler { .. }) => {
            r.problem(name, "Azure Functions 핸들러 모드에서 반드시 필요합니다");
            return fallback();
        }
        None => {
            let path = data_dir.join(name.to_lowercase().replace('_', "-"));
            match super::sections::local_secret(&path, || KeyRingSettings::generate("local-1")) {
                Ok(raw) => raw,
                Err(e) => {
                    r.problems.push(e);
                    return fallback();
                }
            }
        }
    };
    KeyRingSettings::parse(&raw).unwrap_or_else(|why| {
        r.problem(name, &format!("형식이 올바르지 않습니다: {why}"));
        fallback()
    })
}
