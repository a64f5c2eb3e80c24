//! The Azure OpenAI recommender: chat completions with a JSON-schema response. It is given the
//! same inputs as the built-in recommender plus the built-in analysis (its three plans) as
//! context, and its answer is validated. On a timeout, repeated 429/5xx, malformed or invalid
//! output, it falls back to the built-in plans and says so in the job's note.

mod schema;

use std::collections::HashSet;
use std::time::Duration;

use async_trait::async_trait;
use serde_json::{Value, json};

use super::builtin;
use crate::adapters::azure_openai::{AzureOpenAiClient, CallError};
pub use crate::config::AzureOpenAiSettings;
use crate::domain::EventPeriod;
use crate::domain::event::{parse_budget, parse_description, parse_event_name, parse_prize};
use crate::domain::job::JobNote;
use crate::domain::plan_check::check_plans;
use crate::domain::promotion::{Plan, PromotionType};
use crate::domain::trade::Trade;
use crate::ports::{RecommendationInput, Recommended, Recommender, RecommenderError};

pub struct AzureOpenAiRecommender {
    client: AzureOpenAiClient,
    /// Longest `retry-after` honoured before giving up on the service for this job.
    max_retry_after: Duration,
}

const ATTEMPTS: u32 = 3;

impl AzureOpenAiRecommender {
    pub fn new(settings: AzureOpenAiSettings) -> anyhow::Result<Self> {
        Ok(Self {
            client: AzureOpenAiClient::new(settings)?,
            max_retry_after: Duration::from_secs(30),
        })
    }

    fn request_body(input: &RecommendationInput, analysis: &[Plan]) -> Value {
        let plan_schema = schema::plan();
        let context = json!({
            "objective": input.objective.label(),
            "store": {"name": input.shop.name, "industry": input.shop.industry, "address": input.shop.address},
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
                    reason에는 '왜 지금 이 이벤트인가'를 구체적인 시즌·기념일·지역 사정과 함께 한 문단으로 쓰세요. \
                    adCopy는 반드시 '(광고)'로 시작해야 합니다. 기간이 주어지면 그 기간을 그대로 쓰세요. \
                    조사는 앞말의 받침에 맞게 하나만 쓰세요('을(를)'처럼 두 가지를 함께 쓰지 마세요). \
                    매장 업종에 맞는 말만 쓰세요(미용실에 '메뉴', 카페에 '시술'처럼 다른 업종의 말을 쓰지 마세요). \
                    description과 prize에는 구조를 숫자로 밝히세요: 할인 쿠폰은 할인율이나 금액과 쓰는 방법, \
                    스탬프는 모을 개수와 보상, 경품 추첨은 당첨 인원과 추첨일(예: 12월 26일), 친구 추천은 두 사람이 각각 받는 것. \
                    세 기획안은 경품과 대상 고객이 서로 달라야 하고, 예산이 있으면 estimatedCost가 예산을 넘지 않아야 합니다. \
                    mechanic에는 매장 카운터에서 실제로 돌아갈 방식을 데이터로 적으세요: 할인 쿠폰·첫 방문 선물·묶음 할인·한정 메뉴는 COUPON, \
                    타임 세일은 TIME_SALE, 스탬프는 STAMP_CARD, 친구 추천은 REFERRAL, 사진 후기는 PHOTO_REVIEW, 경품 추첨은 GIVEAWAY. \
                    description과 prize에 쓴 숫자(할인율·금액, 스탬프 개수, 당첨 인원, 선착순 인원)는 mechanic의 값과 같아야 하고, \
                    타임 세일의 시간은 '평일 오후 2~5시'처럼 요일과 시간을 함께 쓰세요."},
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
        let deployment = &self.client.settings().deployment;
        let mut last = String::new();
        for attempt in 1..=ATTEMPTS {
            match self
                .client
                .post(deployment, "chat/completions", &body)
                .await
            {
                Ok(answer) => return read_plans(&answer, input),
                Err(e) => {
                    let CallError::Busy { retry_after, .. } = &e else {
                        return Err(e.to_string());
                    };
                    let wait = retry_after.unwrap_or(Duration::from_secs(1 << (attempt - 1)));
                    last = e.to_string();
                    if wait > self.max_retry_after || attempt == ATTEMPTS {
                        break;
                    }
                    tokio::time::sleep(wait).await;
                }
            }
        }
        Err(format!("gave up after {ATTEMPTS} attempts ({last})"))
    }
}

/// The plans in a chat-completions answer, validated.
fn read_plans(answer: &Value, input: &RecommendationInput) -> Result<Vec<Plan>, String> {
    let content = answer["choices"][0]["message"]["content"]
        .as_str()
        .ok_or("no message content")?;
    let parsed: Value =
        serde_json::from_str(content).map_err(|e| format!("content is not JSON: {e}"))?;
    let plans: Vec<Plan> = serde_json::from_value(parsed["plans"].clone())
        .map_err(|e| format!("plans do not match the schema: {e}"))?;
    validate(plans, input)
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
    // The same bar as the built-in plans: particles, the trade's words, stated mechanics,
    // three different plans, the budget.
    let shop = &input.shop;
    let owner_words = [
        shop.name.as_str(),
        shop.industry.as_str(),
        shop.address.as_str(),
    ];
    let trade = Trade::of(&shop.industry);
    let problems = check_plans(&plans, trade, &owner_words, input.budget);
    if let Some(first) = problems.first() {
        return Err(format!("{} problem(s), first: {first:?}", problems.len()));
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
                    note: Some(JobNote::RecommenderFallback),
                })
            }
        }
    }
}
