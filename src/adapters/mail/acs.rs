//! Azure Communication Services Email: `POST {endpoint}/emails:send?api-version=2023-03-31`,
//! signed with the resource's access key (HMAC-SHA256 over the method, path and query, date,
//! host and body hash — the scheme of ACS's REST API). The service answers 202 with the
//! operation's id once it has taken the mail; `Operation-Id` is ours, so a try repeated after a
//! 429 or 5xx is the same operation, not a second mail.

use std::time::Duration;

use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::config::MailSettings;
use crate::ports::{Mail, MailError, Mailer};

pub const API_VERSION: &str = "2023-03-31";
const TRIES: u32 = 3;
/// The longest `Retry-After` waited for (the owner is waiting on the page).
const MAX_WAIT: Duration = Duration::from_secs(3);

pub struct AcsMailer {
    http: reqwest::Client,
    settings: MailSettings,
}

impl AcsMailer {
    pub fn new(settings: MailSettings) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(settings.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self { http, settings })
    }

    fn body(&self, mail: &Mail) -> String {
        json!({
            "senderAddress": self.settings.sender,
            "recipients": {"to": [{"address": mail.to.as_str()}]},
            "content": {"subject": mail.subject, "plainText": mail.text},
            "userEngagementTrackingDisabled": true,
        })
        .to_string()
    }

    fn request(&self, body: &str, operation: &str) -> Result<reqwest::Request, MailError> {
        let mut url = self.settings.endpoint.clone();
        let path = format!("{}/emails:send", url.path().trim_end_matches('/'));
        url.set_path(&path);
        url.set_query(Some(&format!("api-version={API_VERSION}")));
        let signed = sign(
            &url,
            body,
            self.settings.access_key.expose(),
            chrono::Utc::now(),
        )
        .map_err(|e| MailError::Refused(format!("access key: {e}")))?;
        let req = self
            .http
            .post(url)
            .header("Content-Type", "application/json")
            .header("x-ms-date", signed.date)
            .header("x-ms-content-sha256", signed.content_hash)
            .header("Authorization", signed.authorization)
            .header("Operation-Id", operation)
            .body(body.to_owned());
        req.build()
            .map_err(|e| MailError::Unavailable(format!("request: {e}")))
    }
}

pub struct Signed {
    pub date: String,
    pub content_hash: String,
    pub authorization: String,
}

/// The headers that sign one request with the resource's access key (base64, as the portal
/// shows it).
pub fn sign(
    url: &url::Url,
    body: &str,
    access_key: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Signed> {
    let key = STANDARD.decode(access_key.trim())?;
    let date = now.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let content_hash = STANDARD.encode(Sha256::digest(body.as_bytes()));
    let host = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_owned(),
    };
    let path_and_query = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    let to_sign = format!("POST\n{path_and_query}\n{date};{host};{content_hash}");
    let mut mac = Hmac::<Sha256>::new_from_slice(&key)?;
    mac.update(to_sign.as_bytes());
    let signature = STANDARD.encode(mac.finalize().into_bytes());
    Ok(Signed {
        authorization: format!(
            "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}"
        ),
        date,
        content_hash,
    })
}

#[async_trait]
impl Mailer for AcsMailer {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let body = self.body(mail);
        let operation = uuid::Uuid::new_v4().to_string();
        let mut last = String::new();
        for attempt in 1..=TRIES {
            let res = match self.http.execute(self.request(&body, &operation)?).await {
                Ok(res) => res,
                Err(e) => {
                    last = format!("unreachable: {e}");
                    continue;
                }
            };
            let status = res.status();
            if status.as_u16() == 202 {
                tracing::info!(attempt, "mail accepted by Azure Communication Services");
                return Ok(());
            }
            let wait = retry_after(&res);
            let detail = error_of(res).await;
            if !(status.as_u16() == 429 || status.is_server_error()) {
                return Err(MailError::Refused(format!("{status}: {detail}")));
            }
            last = format!("{status}: {detail}");
            if attempt < TRIES {
                tokio::time::sleep(wait.min(MAX_WAIT)).await;
            }
        }
        Err(MailError::Unavailable(last))
    }
}

fn retry_after(res: &reqwest::Response) -> Duration {
    (res.headers().get("retry-after"))
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .map_or(Duration::from_millis(500), Duration::from_secs)
}

/// ACS's error body: `{"error": {"code", "message"}}` (the message never holds the mail).
async fn error_of(res: reqwest::Response) -> String {
    let v: serde_json::Value = res.json().await.unwrap_or_default();
    let code = v["error"]["code"].as_str().unwrap_or("unknown");
    let message = v["error"]["message"].as_str().unwrap_or("");
    format!("{code} {message}")
}
