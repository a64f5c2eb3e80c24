//! The Azure OpenAI recommender against a local server speaking the chat-completions protocol,
//! including its failures. Every failure ends in the built-in plans with a note, never in an
//! empty or broken result.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use chrono::NaiveDate;
use common::{Backend, TestApp};
use event_marketing::adapters::recommender::azure_openai::{
    AzureOpenAiRecommender, AzureOpenAiSettings,
};
use event_marketing::config::Secret;
use event_marketing::domain::job::JobNote;
use event_marketing::domain::{Objective, ShopInfo};
use event_marketing::ports::{RecommendationInput, Recommender};
use reqwest::Method;
use serde_json::{Value, json};

#[derive(Clone)]
struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
    delay: Duration,
}

/// (deployment, api-version, api-key header, body) of each request received.
type Received = (String, String, Option<String>, Value);

#[derive(Default)]
struct Script {
    answers: Mutex<VecDeque<Answer>>,
    requests: Mutex<Vec<Received>>,
    image_answers: Mutex<VecDeque<Answer>>,
    image_requests: Mutex<Vec<Received>>,
}

async fn chat(
    State(script): State<Arc<Script>>,
    Path(deployment): Path<String>,
    Query(q): Query<std::collections::HashMap<String, String>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> axum::response::Response {
    script.requests.lock().unwrap().push((
        deployment,
        q.get("api-version").cloned().unwrap_or_default(),
        headers
            .get("api-key")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        serde_json::from_slice(&body).unwrap_or(Value::Null),
    ));
    let next = script.answers.lock().unwrap().pop_front();
    let Some(a) = next else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "script exhausted").into_response();
    };
    tokio::time::sleep(a.delay).await;
    let mut res = (StatusCode::from_u16(a.status).unwrap(), a.body).into_response();
    for (k, v) in a.headers {
        res.headers_mut().insert(k, v.parse().unwrap());
    }
    res
}

async fn images(
    State(script): State<Arc<Script>>,
    Path(deployment): Path<String>,
    Query(q): Query<std::collections::HashMap<String, String>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> axum::response::Response {
    script.image_requests.lock().unwrap().push((
        deployment,
        q.get("api-version").cloned().unwrap_or_default(),
        headers
            .get("api-key")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        serde_json::from_slice(&body).unwrap_or(Value::Null),
    ));
    let next = script.image_answers.lock().unwrap().pop_front();
    let Some(a) = next else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "script exhausted").into_response();
    };
    tokio::time::sleep(a.delay).await;
    (StatusCode::from_u16(a.status).unwrap(), a.body).into_response()
}

async fn stub(answers: Vec<Answer>) -> (String, Arc<Script>) {
    stub_with_images(answers, vec![]).await
}

async fn stub_with_images(
    answers: Vec<Answer>,
    image_answers: Vec<Answer>,
) -> (String, Arc<Script>) {
    let script = Arc::new(Script::default());
    script.answers.lock().unwrap().extend(answers);
    script.image_answers.lock().unwrap().extend(image_answers);
    let app = axum::Router::new()
        .route(
            "/openai/deployments/{deployment}/chat/completions",
            axum::routing::post(chat),
        )
        .route(
            "/openai/deployments/{deployment}/images/generations",
            axum::routing::post(images),
        )
        .with_state(script.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, script)
}

/// A plan as a good model writes it for the café: its mechanics stated, its own prize and
/// audience, particles chosen.
fn plan(t: &str, n: u32) -> Value {
    let (description, prize, audience) = match t {
        "GIVEAWAY" => (
            "응모한 분 중 5명을 12월 15일에 추첨해 3만원 카페 이용권을 드립니다.",
            "추첨 5명 3만원 카페 이용권",
            "경품 소식을 찾아보는 마포구 주민",
        ),
        "STAMP_CARD" => (
            "방문할 때마다 스탬프를 찍어 드리고 10개를 모으면 아메리카노 1잔을 드립니다.",
            "스탬프 10개 완성 시 아메리카노 1잔",
            "자주 오는 단골 손님",
        ),
        "REFERRAL" => (
            "친구를 데려오면 두 사람 모두 2,000원을 할인해 드립니다.",
            "두 사람 모두 2,000원 할인",
            "단골 손님과 그 친구",
        ),
        _ => (
            "다음 방문 때 결제 금액의 15%를 할인하는 쿠폰을 드리며 1회 사용할 수 있습니다.",
            "15% 할인 쿠폰",
            "가격을 비교하는 주민",
        ),
    };
    let days = |d: u32| json!({"kind": "DAYS", "days": d});
    let off = |won: u32| json!({"kind": "AMOUNT", "won": won});
    let mechanic = match t {
        "GIVEAWAY" => json!({"type": "GIVEAWAY", "winners": 5}),
        "STAMP_CARD" => json!({"type": "STAMP_CARD", "goal": 10, "minGapHours": 12, "cap": null,
            "reward": {"kind": "ITEM", "name": "아메리카노 1잔", "value": 1500}, "validity": days(60)}),
        "REFERRAL" => json!({"type": "REFERRAL", "inviter": off(2000), "friend": off(2000),
            "unlock": "FRIEND_REDEEMED", "cap": null, "validity": days(30)}),
        _ => json!({"type": "COUPON", "benefit": {"kind": "PERCENT", "rate": 15}, "cap": null,
            "validity": days(30), "uses": 1}),
    };
    json!({
        "mechanic": mechanic,
        "promotionType": t, "name": format!("AI 기획안 {n}"), "description": description,
        "prize": prize, "targetAudience": audience, "startDate": "2026-12-01",
        "endDate": "2026-12-14", "expectedParticipants": 100, "estimatedCost": 200000,
        "hashtags": ["#카페"], "reason": "연말을 앞두고 방문이 늘어나는 때입니다.",
        "adCopy": if n == 1 { "(광고) 카페 봄날 이벤트".to_owned() } else { "카페 봄날 이벤트".to_owned() }
    })
}

fn completion(content: &str) -> Answer {
    Answer {
        status: 200,
        headers: vec![("content-type", "application/json".into())],
        body: json!({"id": "chatcmpl-1", "object": "chat.completion",
                     "choices": [{"index": 0, "finish_reason": "stop",
                                  "message": {"role": "assistant", "content": content}}],
                     "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20}})
        .to_string(),
        delay: Duration::ZERO,
    }
}

fn good() -> Answer {
    completion(
        &json!({"plans": [plan("GIVEAWAY", 1), plan("STAMP_CARD", 2), plan("REFERRAL", 3)]})
            .to_string(),
    )
}

fn status(code: u16, headers: Vec<(&'static str, String)>) -> Answer {
    Answer {
        status: code,
        headers,
        body: json!({"error": {"code": "x", "message": "x"}}).to_string(),
        delay: Duration::ZERO,
    }
}

fn settings(endpoint: &str, timeout: Duration) -> AzureOpenAiSettings {
    AzureOpenAiSettings {
        endpoint: endpoint.to_owned(),
        deployment: "gpt-plans".into(),
        api_key: Secret::new("test-key".into()),
        api_version: "2024-10-21".into(),
        timeout,
    }
}

fn input(period: Option<(&str, &str)>) -> RecommendationInput {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    RecommendationInput {
        objective: Objective::Revisit,
        shop: ShopInfo::parse("카페 봄날", "카페", "서울특별시 마포구 양화로 45").unwrap(),
        period: period.map(|(s, e)| (d(s), d(e))),
        budget: None,
        today: d("2026-11-21"),
        history: vec![],
    }
}

async fn run(
    answers: Vec<Answer>,
    timeout: Duration,
    period: Option<(&str, &str)>,
) -> (event_marketing::ports::Recommended, Arc<Script>) {
    let (base, script) = stub(answers).await;
    let r = AzureOpenAiRecommender::new(settings(&base, timeout)).unwrap();
    (r.recommend(&input(period)).await.unwrap(), script)
}

#[tokio::test]
async fn success_uses_the_models_plans_and_sends_the_protocol() {
    let (out, script) = run(vec![good()], Duration::from_secs(5), None).await;
    assert_eq!(out.note, None);
    let names: Vec<&str> = out.plans.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, vec!["AI 기획안 1", "AI 기획안 2", "AI 기획안 3"]);
    assert!(
        out.plans.iter().all(|p| p.ad_copy.starts_with("(광고)")),
        "the label is added where missing"
    );
    let requests = script.requests.lock().unwrap();
    assert_eq!(requests.len(), 1);
    let (deployment, version, key, body) = &requests[0];
    assert_eq!(
        (deployment.as_str(), version.as_str()),
        ("gpt-plans", "2024-10-21")
    );
    assert_eq!(key.as_deref(), Some("test-key"));
    assert_eq!(body["response_format"]["type"], "json_schema");
    assert_eq!(body["response_format"]["json_schema"]["strict"], true);
    let plan_schema =
        &body["response_format"]["json_schema"]["schema"]["properties"]["plans"]["items"];
    assert!(
        plan_schema["required"]
            .as_array()
            .unwrap()
            .contains(&json!("mechanic")),
        "the model is asked for the mechanic as data"
    );
    assert_eq!(
        plan_schema["properties"]["mechanic"]["anyOf"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    assert!(
        out.plans.iter().all(|p| p.mechanic.is_some()),
        "the model's mechanics are kept"
    );
    let context: Value =
        serde_json::from_str(body["messages"][1]["content"].as_str().unwrap()).unwrap();
    assert_eq!(
        context["builtInAnalysis"].as_array().unwrap().len(),
        3,
        "the built-in analysis is the context"
    );
    assert_eq!(context["objective"], "재방문 유도");
}

#[tokio::test]
async fn a_429_is_retried_after_the_time_it_asks_for() {
    let (out, script) = run(
        vec![status(429, vec![("retry-after-ms", "200".into())]), good()],
        Duration::from_secs(5),
        None,
    )
    .await;
    assert_eq!(out.note, None);
    assert_eq!(out.plans[0].name, "AI 기획안 1");
    assert_eq!(script.requests.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn repeated_server_errors_fall_back_with_a_note() {
    let fast = || status(500, vec![("retry-after-ms", "10".into())]);
    let (out, script) = run(vec![fast(), fast(), fast()], Duration::from_secs(5), None).await;
    assert_eq!(out.note, Some(JobNote::RecommenderFallback));
    assert_eq!(out.plans.len(), 3);
    assert!(
        out.plans.iter().all(|p| !p.name.starts_with("AI 기획안")),
        "built-in plans"
    );
    assert_eq!(script.requests.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn malformed_or_invalid_answers_fall_back() {
    let two =
        completion(&json!({"plans": [plan("GIVEAWAY", 1), plan("STAMP_CARD", 2)]}).to_string());
    let same = completion(
        &json!({"plans": [plan("GIVEAWAY", 1), plan("GIVEAWAY", 2), plan("REFERRAL", 3)]})
            .to_string(),
    );
    let mut bad_type = plan("GIVEAWAY", 1);
    bad_type["promotionType"] = json!("LOTTERY");
    let unknown = completion(
        &json!({"plans": [bad_type, plan("STAMP_CARD", 2), plan("REFERRAL", 3)]}).to_string(),
    );
    let mut too_long = plan("GIVEAWAY", 1);
    too_long["endDate"] = json!("2028-12-31");
    let year_long = completion(
        &json!({"plans": [too_long, plan("STAMP_CARD", 2), plan("REFERRAL", 3)]}).to_string(),
    );
    // Answers that parse but fall short of the bar the built-in plans clear.
    let with = |field: &str, value: &str| {
        let mut p = plan("GIVEAWAY", 1);
        p[field] = json!(value);
        completion(&json!({"plans": [p, plan("STAMP_CARD", 2), plan("REFERRAL", 3)]}).to_string())
    };
    let hedged = with(
        "description",
        "응모하면 추첨으로 5명에게 12월 15일 케이크을(를) 드립니다.",
    );
    let foreign = with("prize", "추첨 5명 두피 트리트먼트");
    let no_mechanics = with("description", "응모하면 푸짐한 경품을 드립니다.");
    // A plan whose data would not run at the counter, or would run other numbers than it says.
    let with_mechanic = |mechanic: Value| {
        let mut p = plan("GIVEAWAY", 1);
        p["mechanic"] = mechanic;
        completion(&json!({"plans": [p, plan("STAMP_CARD", 2), plan("REFERRAL", 3)]}).to_string())
    };
    let no_data = with_mechanic(Value::Null);
    let other_numbers = with_mechanic(json!({"type": "GIVEAWAY", "winners": 3}));
    let wrong_kind = with_mechanic(
        json!({"type": "COUPON", "benefit": {"kind": "PERCENT", "rate": 15},
        "cap": null, "validity": {"kind": "DAYS", "days": 30}, "uses": 1}),
    );
    let not_json_body = Answer {
        status: 200,
        headers: vec![],
        body: "<html>gateway</html>".into(),
        delay: Duration::ZERO,
    };
    for answer in [
        hedged,
        foreign,
        no_mechanics,
        no_data,
        other_numbers,
        wrong_kind,
        year_long,
        completion("이건 JSON이 아닙니다"),
        two,
        same,
        unknown,
        not_json_body,
        status(400, vec![]),
    ] {
        let (out, _) = run(vec![answer], Duration::from_secs(5), None).await;
        assert_eq!(out.note, Some(JobNote::RecommenderFallback));
        assert_eq!(out.plans.len(), 3);
    }
}

#[tokio::test]
async fn a_slow_answer_times_out_and_falls_back() {
    let mut slow = good();
    slow.delay = Duration::from_secs(3);
    let (out, _) = run(vec![slow], Duration::from_secs(1), None).await;
    assert_eq!(out.note, Some(JobNote::RecommenderFallback));
}

#[tokio::test]
async fn the_owners_period_is_kept() {
    let (out, _) = run(
        vec![good()],
        Duration::from_secs(5),
        Some(("2027-01-02", "2027-01-20")),
    )
    .await;
    assert_eq!(out.note, None);
    for p in &out.plans {
        assert_eq!(
            (p.start_date.to_string(), p.end_date.to_string()),
            ("2027-01-02".into(), "2027-01-20".into())
        );
    }
}

/// Wired into the app by settings: a failing service still completes the job, and the job says
/// how its plans were made.
async fn the_job_says_when_it_fell_back(b: Backend) {
    let fast = || status(503, vec![("retry-after-ms", "10".into())]);
    let (base, _script) = stub(vec![fast(), fast(), fast()]).await;
    let app = TestApp::spawn_with(
        b,
        &[
            ("AZURE_OPENAI_ENDPOINT", base.as_str()),
            ("AZURE_OPENAI_DEPLOYMENT", "gpt-plans"),
            ("AZURE_OPENAI_API_KEY", "test-key"),
        ],
        Arc::new(event_marketing::ports::SystemClock),
    )
    .await;
    let token = app.owner("a@cafe.kr").await;
    let event = app.draft(&token).await;
    let (_, accepted) = app
        .call(
            Method::POST,
            &format!("/api/events/{event}/ai-recommendations"),
            Some(&token),
            None,
        )
        .await;
    let job = accepted["jobId"].as_str().unwrap();
    app.relay().await;
    let (_, j) = app.get(&format!("/api/jobs/{job}"), &token).await;
    assert_eq!(j["status"], "COMPLETED", "{j}");
    assert_eq!(j["note"], JobNote::RecommenderFallback.message());
    let (_, list) = app
        .get(&format!("/api/events/{event}/recommendations"), &token)
        .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 3);
}

on_both_backends!(the_job_says_when_it_fell_back);

mod images_option {
    use super::*;
    use base64::Engine;

    // ---------------------------------------------------------------- the image option

    use event_marketing::adapters::painter::azure_openai::AzureOpenAiPainter;
    use event_marketing::adapters::painter::render;
    use event_marketing::domain::Channel;
    use event_marketing::domain::poster::{PosterStyle, PosterText};
    use event_marketing::ports::{Painter, PosterSpec};

    /// A solid teal PNG, as an image model's answer.
    fn teal_png() -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, 64, 64);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&[0u8, 128, 128].repeat(64 * 64))
            .unwrap();
        w.finish().unwrap();
        out
    }

    fn image_answer(b64: &str) -> Answer {
        Answer {
            status: 200,
            headers: vec![],
            body: json!({"created": 1, "data": [{"b64_json": b64, "revised_prompt": "x"}]})
                .to_string(),
            delay: Duration::ZERO,
        }
    }

    fn poster(channel: Channel, w: u32, h: u32) -> PosterSpec {
        PosterSpec {
            platform: channel,
            style: PosterStyle::Soft,
            width: w,
            height: h,
            text: PosterText {
                title: "겨울 한정 유자차 1+1".into(),
                prize: "유자차 1+1 쿠폰".into(),
                period: "2026.12.01 ~ 12.24".into(),
                spoken_period: "12월 1일부터 12월 24일까지".into(),
                shop_name: "카페 봄날".into(),
                call_to_action: "지금 바로 응모하세요".into(),
                spoken_offer: None,
            },
        }
    }

    fn pixel(png_bytes: &[u8], x: u32, y: u32) -> [u8; 3] {
        let mut reader = png::Decoder::new(std::io::Cursor::new(png_bytes))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        let i = ((y * info.width + x) * 4) as usize;
        [buf[i], buf[i + 1], buf[i + 2]]
    }

    async fn painter(image_answers: Vec<Answer>) -> (AzureOpenAiPainter, Arc<Script>) {
        let (base, script) = stub_with_images(vec![], image_answers).await;
        (
            AzureOpenAiPainter::new(settings(&base, Duration::from_secs(5)), "dalle".into())
                .unwrap(),
            script,
        )
    }

    #[tokio::test]
    async fn the_ai_background_is_used_under_the_local_text() {
        let b64 = base64::engine::general_purpose::STANDARD.encode(teal_png());
        let (p, script) = painter(vec![image_answer(&b64)]).await;
        let spec = poster(Channel::Kakao, 800, 800);
        let out = p.paint(&spec).await.unwrap();
        assert_eq!(out.note, None);
        // Teal under a light tint: green and blue over red; the built-in SOFT design is pink there.
        let [r, g, b] = pixel(&out.png, 10, 10);
        assert!(g > r && b > r, "teal shows through: {r},{g},{b}");
        let [br, bg, _] = pixel(&render(&spec).unwrap(), 10, 10);
        assert!(br > bg, "the built-in design differs");
        let requests = script.image_requests.lock().unwrap();
        let (deployment, version, key, body) = &requests[0];
        assert_eq!(
            (deployment.as_str(), version.as_str(), key.as_deref()),
            ("dalle", "2024-10-21", Some("test-key"))
        );
        assert_eq!(body["size"], "1024x1024");
        assert_eq!(body["response_format"], "b64_json");
        assert!(
            body["prompt"].as_str().unwrap().contains("no text"),
            "{body}"
        );
    }

    #[tokio::test]
    async fn the_size_follows_the_posters_shape() {
        let b64 = base64::engine::general_purpose::STANDARD.encode(teal_png());
        let (p, script) = painter(vec![image_answer(&b64), image_answer(&b64)]).await;
        p.paint(&poster(Channel::Instagram, 1080, 1350))
            .await
            .unwrap();
        p.paint(&poster(Channel::GiniTv, 1920, 1080)).await.unwrap();
        let sizes: Vec<String> = script
            .image_requests
            .lock()
            .unwrap()
            .iter()
            .map(|r| r.3["size"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(sizes, vec!["1024x1792", "1792x1024"]);
    }

    #[tokio::test]
    async fn any_failure_gives_the_built_in_design_with_a_note() {
        let not_png = base64::engine::general_purpose::STANDARD.encode(b"hello");
        let filtered = Answer {
            status: 400,
            headers: vec![],
            body: json!({"error": {"code": "content_policy_violation"}}).to_string(),
            delay: Duration::ZERO,
        };
        let mut slow = image_answer(&not_png);
        slow.delay = Duration::from_secs(3);
        let spec = poster(Channel::Kakao, 800, 800);
        let built_in = render(&spec).unwrap();
        for answer in [
            status(500, vec![]),
            filtered,
            image_answer("%%%not base64"),
            image_answer(&not_png),
        ] {
            let (p, _) = painter(vec![answer]).await;
            let out = p.paint(&spec).await.unwrap();
            assert_eq!(out.note, Some(JobNote::ImageFallback));
            assert_eq!(out.png, built_in);
        }
        let (base, _) = stub_with_images(vec![], vec![slow]).await;
        let p = AzureOpenAiPainter::new(settings(&base, Duration::from_secs(1)), "dalle".into())
            .unwrap();
        assert_eq!(
            p.paint(&spec).await.unwrap().note,
            Some(JobNote::ImageFallback)
        );
    }

    /// Wired by settings: the image job completes with the fallback and says so.
    async fn the_image_job_says_when_it_fell_back(b: Backend) {
        let (base, _script) = stub_with_images(vec![], vec![status(503, vec![])]).await;
        let app = TestApp::spawn_with(
            b,
            &[
                ("AZURE_OPENAI_ENDPOINT", base.as_str()),
                ("AZURE_OPENAI_DEPLOYMENT", "gpt-plans"),
                ("AZURE_OPENAI_API_KEY", "test-key"),
                ("AZURE_OPENAI_IMAGE_DEPLOYMENT", "dalle"),
            ],
            Arc::new(event_marketing::ports::SystemClock),
        )
        .await;
        let token = app.owner("a@cafe.kr").await;
        let event = app.draft(&token).await;
        let (_, accepted) = app
            .call(
                Method::POST,
                &format!("/api/events/{event}/images"),
                Some(&token),
                Some(json!({"platforms": ["KAKAO"], "styles": ["SOFT"]})),
            )
            .await;
        app.relay().await;
        let (_, j) = app
            .get(
                &format!("/api/jobs/{}", accepted["jobId"].as_str().unwrap()),
                &token,
            )
            .await;
        assert_eq!(j["status"], "COMPLETED", "{j}");
        assert_eq!(j["note"], JobNote::ImageFallback.message());
    }

    on_both_backends!(the_image_job_says_when_it_fell_back);
}
