//! The Azure OpenAI recommender: chat completions with a JSON-schema response. It is given the
//! same inputs as the built-in recommender plus the built-in analysis (its three plans) as
//! context, and its answer is validated. On a timeout, repeated 429/5xx, malformed or invalid
//! output, it falls back to the built-in plans and says so in the job's note.

use std::collections::HashSet;
use std::time::Duration;

use async_trait::async_trait;
use serde_json::{Value, json};

use super::builtin;
use crate::config::Secret;
use crate::domain::EventPeriod;
use crate::domain::event::{parse_budget, parse_description, parse_event_name, parse_prize};
use crate::domain::promotion::{Plan, PromotionType};
use crate::ports::{RecommendationInput, Recommended, Recommender, RecommenderError};

#[derive(Debug, Clone)]
pub struct AzureOpenAiSettings {
    /// `https://<resource>.openai.azure.com`
    pub endpoint: String,
    pub deployment: String,
    pub api_key: Secret<String>,
    pub api_version: String,
    pub timeout: Duration,
}

pub struct AzureOpenAiRecommender {
    client: reqwest::Client,
    settings: AzureOpenAiSettings,
    /// Longest `retry-after` honoured before giving up on the service for this job.
    max_retry_after: Duration,
}

pub const FALLBACK_NOTE: &str =
    "AI 서비스가 응답하지 않거나 올바르지 않은 답을 보내 기본 추천 엔진으로 만들었습니다.";

const ATTEMPTS: u32 = 3;

impl AzureOpenAiRecommender {
    pub fn new(settings: AzureOpenAiSettings) -> anyhow::Result<Self> {
        Ok(Self {
            client: reqwest::Client::builder()
                .timeout(settings.timeout)
                .connect_timeout(Duration::from_secs(10))
                .build()?,
            settings,
            max_retry_after: Duration::from_secs(30),
        })
    }

    fn url(&self) -> String {
        format!(
            "{}/openai/deployments/{}/chat/completions?api-version={}",
            self.settings.endpoint.trim_end_matches('/'),
            self.settings.deployment,
            self.settings.api_version
        )
    }

    fn request_body(input: &RecommendationInput, analysis: &[Plan]) -> Value {
        let types: Vec<&str> = PromotionType::ALL.iter().map(|t| t.code()).collect();
        let plan_schema = json!({
            "type": "object",
            "additionalProperties": false,
            "required": ["promotionType", "name", "description", "prize", "targetAudience",
                         "startDate", "endDate", "expectedParticipants", "estimatedCost",
                         "hashtags", "reason", "adCopy"],
            "properties": {
                "promotionType": {"type": "string", "enum": types},
                "name": {"type": "string"},
                "description": {"type": "string"},
                "prize": {"type": "string"},
                "targetAudience": {"type": "string"},
                "startDate": {"type": "string", "description": "YYYY-MM-DD"},
                "endDate": {"type": "string", "description": "YYYY-MM-DD"},
                "expectedParticipants": {"type": "integer"},
                "estimatedCost": {"type": "integer", "description": "KRW"},
                "hashtags": {"type": "array", "items": {"type": "string"}},
                "reason": {"type": "string"},
                "adCopy": {"type": "string"}
            }
        });
        let context = json!({
            "objective": input.objective.label(),
            "store": {"name": input.store.name, "industry": input.store.industry, "address": input.store.address},
            "period": input.period.map(|(s, e)| json!({"startDate": s, "endDate": e})),
            "budgetKrw": input.budget,
            "todayInSeoul": input.today,
            "platformHistory": input.history.iter().map(|h| json!({
                "promotionType": h.promotion_type.code(), "events": h.events, "averageEntries": h.average_entries
            })).collect::<Vec<_>>(),
            "builtInAnalysis": analysis,
        });
        json!({
            "messages": [
                {"role": "system", "content": "당신은 한국 소상공인(카페, 음식점, 미용실, 학원)을 돕는 마케팅 이벤트 기획자입니다. \
                    주어진 매장, 목표, 시즌, 한국의 공휴일·기념일, 플랫폼의 지난 이벤트 성과, 기본 분석을 참고해 \
                    서로 다른 프로모션 유형의 이벤트 기획안을 정확히 3개 만드세요. 모든 문장은 한국어로 쓰고, \
                    reason에는 '왜 지금 이 이벤트인가'를 한 문단으로 쓰세요. adCopy는 반드시 '(광고)'로 시작해야 합니다. \
                    기간이 주어지면 그 기간을 그대로 쓰세요."},
                {"role": "user", "content": context.to_string()}
            ],
            "response_format": {"type": "json_schema", "json_schema": {
                "name": "event_plans", "strict": true,
                "schema": {"type": "object", "additionalProperties": false, "required": ["plans"],
                           "properties": {"plans": {"type": "array", "items": plan_schema}}}
            }}
        })
    }

    /// One conversation with the service, with retries for 429 and 5xx. `Err` carries why it
    /// did not produce usable plans.
    async fn ask(
        &self,
        input: &RecommendationInput,
        analysis: &[Plan],
    ) -> Result<Vec<Plan>, String> {
        let body = Self::request_body(input, analysis);
        let mut last = String::new();
        for attempt in 1..=ATTEMPTS {
            let sent = self
                .client
                .post(self.url())
                .header("api-key", self.settings.api_key.expose())
                .json(&body)
                .send()
                .await;
            let res = match sent {
                Ok(r) => r,
                Err(e) if e.is_timeout() => return Err("timed out".to_owned()),
                Err(e) => return Err(format!("request failed: {e}")),
            };
            let status = res.status();
            if status.as_u16() == 429 || status.is_server_error() {
                let wait =
                    retry_after(res.headers()).unwrap_or(Duration::from_secs(1 << (attempt - 1)));
                last = format!("HTTP {status}");
                if wait > self.max_retry_after || attempt == ATTEMPTS {
                    break;
                }
                tokio::time::sleep(wait).await;
                continue;
            }
            if !status.is_success() {
                return Err(format!("HTTP {status}"));
            }
            let answer: Value = res
                .json()
                .await
                .map_err(|e| format!("malformed response: {e}"))?;
            let content = answer["choices"][0]["message"]["content"]
                .as_str()
                .ok_or("no message content")?;
            let parsed: Value =
                serde_json::from_str(content).map_err(|e| format!("content is not JSON: {e}"))?;
            let plans: Vec<Plan> = serde_json::from_value(parsed["plans"].clone())
                .map_err(|e| format!("plans do not match the schema: {e}"))?;
            return validate(plans, input);
        }
        Err(format!("gave up after {ATTEMPTS} attempts ({last})"))
    }
}

fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let get = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse::<f64>().ok();
    get("retry-after-ms")
        .map(|ms| Duration::from_secs_f64(ms / 1000.0))
        .or_else(|| get("retry-after").map(Duration::from_secs_f64))
}

/// What we accept from a model: three plans, three different types, sensible values, the
/// owner's period kept, the advertising label present.
fn validate(mut plans: Vec<Plan>, input: &RecommendationInput) -> Result<Vec<Plan>, String> {
    if plans.len() != 3 {
        return Err(format!("{} plans instead of 3", plans.len()));
    }
    let types: HashSet<PromotionType> = plans.iter().map(|p| p.promotion_type).collect();
    if types.len() != 3 {
        return Err("promotion types repeat".to_owned());
    }
    for p in &mut plans {
        let texts = [
            &p.name,
            &p.description,
            &p.prize,
            &p.target_audience,
            &p.reason,
        ];
        if texts.iter().any(|t| t.trim().is_empty()) {
            return Err("an empty field".to_owned());
        }
        if !p.reason.chars().any(|c| ('가'..='힣').contains(&c)) {
            return Err("the reason is not Korean".to_owned());
        }
        if let Some((s, e)) = input.period {
            (p.start_date, p.end_date) = (s, e);
        }
        // The plan must be one the owner could save: the event's own rules.
        let fits = EventPeriod::new(p.start_date, p.end_date).is_ok()
            && (input.period.is_some() || p.start_date >= input.today)
            && parse_event_name(&p.name).is_ok()
            && parse_description(&p.description).is_ok()
            && parse_prize(&p.prize).is_ok()
            && parse_budget(p.estimated_cost).is_ok()
            && p.expected_participants > 0;
        if !fits {
            return Err("values out of range".to_owned());
        }
        if !p.ad_copy.trim_start().starts_with("(광고)") {
            p.ad_copy = format!("(광고) {}", p.ad_copy.trim());
        }
    }
    Ok(plans)
}

#[async_trait]
impl Recommender for AzureOpenAiRecommender {
    async fn recommend(
        &self,
        input: &RecommendationInput,
    ) -> Result<Recommended, RecommenderError> {
        let analysis = builtin::recommend(input).to_vec();
        match self.ask(input, &analysis).await {
            Ok(plans) => Ok(Recommended { plans, note: None }),
            Err(why) => {
                tracing::warn!(reason = %why, "Azure OpenAI unusable: falling back to the built-in recommender");
                Ok(Recommended {
                    plans: analysis,
                    note: Some(FALLBACK_NOTE.to_owned()),
                })
            }
        }
    }
}
