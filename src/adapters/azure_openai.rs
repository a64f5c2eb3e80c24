//! The one HTTP client both Azure OpenAI adapters use (the recommender's chat completions and the
//! painter's image generations): the URL of a deployment's operation, the `api-key` header, a
//! timeout, and failures sorted into "worth waiting for" and "give up".

use std::time::Duration;

use serde_json::Value;

use crate::config::AzureOpenAiSettings;

pub struct AzureOpenAiClient {
    http: reqwest::Client,
    settings: AzureOpenAiSettings,
}

/// Why a call gave no answer.
#[derive(Debug, Clone, PartialEq)]
pub enum CallError {
    /// 429 or 5xx: the service may answer later, after `retry_after` when it said so.
    Busy {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// Anything else: a timeout, a refused request, a body that is not JSON.
    Failed(String),
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::Busy { status, .. } => write!(f, "HTTP {status}"),
            CallError::Failed(why) => f.write_str(why),
        }
    }
}

impl AzureOpenAiClient {
    pub fn new(settings: AzureOpenAiSettings) -> anyhow::Result<Self> {
        Ok(Self {
            http: reqwest::Client::builder()
                .timeout(settings.timeout)
                .connect_timeout(Duration::from_secs(10))
                .build()?,
            settings,
        })
    }

    /// `POST {endpoint}/openai/deployments/{deployment}/{operation}` with a JSON body; the JSON
    /// answer of a 2xx.
    pub async fn post(
        &self,
        deployment: &str,
        operation: &str,
        body: &Value,
    ) -> Result<Value, CallError> {
        let url = format!(
            "{}/openai/deployments/{deployment}/{operation}?api-version={}",
            self.settings.endpoint.trim_end_matches('/'),
            self.settings.api_version
        );
        let sent = self
            .http
            .post(url)
            .header("api-key", self.settings.api_key.expose())
            .json(body)
            .send()
            .await;
        let res = sent.map_err(|e| {
            CallError::Failed(if e.is_timeout() {
                "timed out".to_owned()
            } else {
                format!("request failed: {e}")
            })
        })?;
        let status = res.status();
        if status.as_u16() == 429 || status.is_server_error() {
            let retry_after = retry_after(res.headers());
            let status = status.as_u16();
            return Err(CallError::Busy {
                status,
                retry_after,
            });
        }
        if !status.is_success() {
            return Err(CallError::Failed(format!("HTTP {status}")));
        }
        res.json()
            .await
            .map_err(|e| CallError::Failed(format!("malformed response: {e}")))
    }

    pub fn settings(&self) -> &AzureOpenAiSettings {
        &self.settings
    }
}

/// `retry-after-ms`, else `retry-after` (seconds), as Azure OpenAI sends them.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let get = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse::<f64>().ok();
    get("retry-after-ms")
        .map(|ms| Duration::from_secs_f64(ms / 1000.0))
        .or_else(|| get("retry-after").map(Duration::from_secs_f64))
}
