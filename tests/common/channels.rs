//! Local servers that speak each channel's protocol (docs/architecture.md, "Channels"): the
//! Instagram Graph API (and Instagram Login), the Naver Cafe article API (and Naver Login), a
//! Kakao Brand Message dealer (NHN Cloud's shape), and KT's partner contract
//! (docs/kt-partner-contract.md). Each records every post it accepted and can be told to fail:
//! a status, a rate limit, an answer slower than the client's timeout, or a post that is made
//! but whose answer is lost.
#![allow(dead_code, clippy::unwrap_used)]

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use serde_json::{Value, json};

/// What a server does instead of its normal answer, once, for one operation.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Answer this status and body without doing anything.
    Answer(u16, Value),
    /// Answer 429 with `Retry-After`.
    RateLimited(u64),
    /// Take this long before doing anything (longer than the client's timeout).
    Slow(Duration),
    /// Do the operation, then take this long to answer (the answer is lost to a timeout).
    LoseAnswer(Duration),
    /// Do the operation, then answer this status and body instead of its answer.
    DoThen(u16, Value),
    /// Do the operation, then answer this status, content type and raw body (not UTF-8, say).
    DoThenRaw(u16, &'static str, Vec<u8>),
    /// Answer a redirect to this address without doing anything.
    Redirect(String),
}

/// The state every fake shares: faults queued per operation, and what was posted.
#[derive(Default)]
pub struct Faults {
    queued: Mutex<HashMap<&'static str, VecDeque<Fault>>>,
    pub calls: Mutex<Vec<String>>,
    /// Added to every answer (for benchmarks: a channel that takes this long).
    pub latency: Mutex<Duration>,
}

impl Faults {
    pub fn fail(&self, op: &'static str, fault: Fault) {
        self.queued
            .lock()
            .unwrap()
            .entry(op)
            .or_default()
            .push_back(fault);
    }
    fn take(&self, op: &'static str) -> Option<Fault> {
        self.calls.lock().unwrap().push(op.to_owned());
        self.queued.lock().unwrap().get_mut(op)?.pop_front()
    }
    pub fn called(&self, op: &str) -> usize {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|c| *c == op)
            .count()
    }
}

fn answer(status: u16, body: Value) -> Response {
    (StatusCode::from_u16(status).unwrap(), axum::Json(body)).into_response()
}

/// Runs `op` unless a fault says otherwise; `op` returns the normal answer.
async fn with_fault(
    faults: &Faults,
    name: &'static str,
    op: impl AsyncFnOnce() -> Response,
) -> Response {
    let latency = *faults.latency.lock().unwrap();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match faults.take(name) {
        None => op().await,
        Some(Fault::Answer(status, body)) => answer(status, body),
        Some(Fault::RateLimited(secs)) => {
            let mut r = answer(
                429,
                json!({"errorMessage": "rate limited", "errorCode": "429"}),
            );
            r.headers_mut()
                .insert("retry-after", secs.to_string().parse().unwrap());
            r
        }
        Some(Fault::Slow(d)) => {
            tokio::time::sleep(d).await;
            op().await
        }
        Some(Fault::LoseAnswer(d)) => {
            let r = op().await;
            tokio::time::sleep(d).await;
            r
        }
        Some(Fault::DoThen(status, body)) => {
            op().await;
            answer(status, body)
        }
        Some(Fault::DoThenRaw(status, content_type, body)) => {
            op().await;
            let status = StatusCode::from_u16(status).unwrap();
            (status, [("content-type", content_type)], body).into_response()
        }
        Some(Fault::Redirect(to)) => {
            (StatusCode::FOUND, [("location", to.as_str())], "").into_response()
        }
    }
}

fn form(body: &[u8]) -> HashMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

pub async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

// ------------------------------------------------------------------------------------ Instagram

#[derive(Default)]
pub struct Instagram {
    pub faults: Faults,
    /// container id → (status, image URL, caption)
    pub containers: Mutex<HashMap<String, (String, String, String)>>,
    /// (media id, caption, permalink)
    pub media: Mutex<Vec<(String, String, String)>>,
    pub quota: Mutex<(i64, i64)>,
    /// The access tokens that are valid.
    pub tokens: Mutex<Vec<String>>,
    /// Polls a container answers IN_PROGRESS before FINISHED.
    pub processing_polls: Mutex<u32>,
    pub next: Mutex<u64>,
    /// What `/{media-id}/insights` reports for every media: (reach, likes, comments).
    pub insights: Mutex<(i64, i64, i64)>,
}

pub const IG_USER: &str = "17841400000000001";

impl Instagram {
    pub fn published(&self) -> usize {
        self.media.lock().unwrap().len()
    }
    fn id(&self, prefix: &str) -> String {
        let mut n = self.next.lock().unwrap();
        *n += 1;
        format!("{prefix}{n}")
    }
    fn authorised(&self, token: Option<&str>) -> bool {
        token.is_some_and(|t| self.tokens.lock().unwrap().iter().any(|ok| ok == t))
    }
}

fn graph_error(code: i64, subcode: i64, message: &str) -> Response {
    answer(
        400,
        json!({"error": {"message": message, "type": "OAuthException", "code": code,
        "error_subcode": subcode, "is_transient": false, "fbtrace_id": "A1"}}),
    )
}

pub async fn instagram() -> (String, Arc<Instagram>) {
    let ig = Arc::new(Instagram {
        quota: Mutex::new((0, 50)),
        ..Default::default()
    });
    let router = Router::new()
        .route("/oauth/access_token", post(ig_code))
        .route("/access_token", any(ig_long_lived))
        .route("/refresh_access_token", any(ig_refresh))
        .route("/{version}/{*rest}", any(ig_graph))
        .with_state(ig.clone());
    (serve(router).await, ig)
}

async fn ig_code(State(_): State<Arc<Instagram>>, body: Bytes) -> Response {
    let form: HashMap<String, String> = form(&body);
    if form.get("code").map(String::as_str) != Some("good-code")
        || form.get("client_secret").map(String::as_str) != Some("ig-app-secret")
    {
        return answer(
            400,
            json!({"error_type": "OAuthException", "code": 400, "error_message": "Invalid code"}),
        );
    }
    answer(
        200,
        json!({"data": [{"access_token": "short-token", "user_id": "app-scoped-1", "permissions": "instagram_business_basic,instagram_business_content_publish"}]}),
    )
}

async fn ig_long_lived(
    State(ig): State<Arc<Instagram>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if q.get("access_token").map(String::as_str) != Some("short-token") {
        return graph_error(190, 463, "Error validating access token");
    }
    let token = ig.id("long-token-");
    ig.tokens.lock().unwrap().push(token.clone());
    answer(
        200,
        json!({"access_token": token, "token_type": "bearer", "expires_in": 5_184_000}),
    )
}

async fn ig_refresh(
    State(ig): State<Arc<Instagram>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if !ig.authorised(q.get("access_token").map(String::as_str)) {
        return graph_error(
            190,
            463,
            "Error validating access token: Session has expired",
        );
    }
    let token = ig.id("refreshed-token-");
    ig.tokens.lock().unwrap().push(token.clone());
    answer(
        200,
        json!({"access_token": token, "token_type": "bearer", "expires_in": 5_184_000}),
    )
}

async fn ig_graph(
    State(ig): State<Arc<Instagram>>,
    method: Method,
    Path((_version, rest)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let form: HashMap<String, String> = form(&body);
    let token = q
        .get("access_token")
        .or_else(|| form.get("access_token"))
        .cloned();
    if !ig.authorised(token.as_deref()) {
        return graph_error(
            190,
            463,
            "Error validating access token: Session has expired",
        );
    }
    let parts: Vec<&str> = rest.split('/').collect();
    match (method.as_str(), parts.as_slice()) {
        ("GET", ["me"]) => answer(200, json!({"user_id": IG_USER, "username": "cafe_bomnal"})),
        ("GET", [_, "content_publishing_limit"]) => {
            let faults = &ig.faults;
            with_fault(faults, "quota", async || {
                let (usage, total) = *ig.quota.lock().unwrap();
                answer(200, json!({"data": [{"quota_usage": usage, "config": {"quota_total": total, "quota_duration": 86400}}]}))
            })
            .await
        }
        ("POST", [_, "media"]) => with_fault(&ig.faults, "container", async || ig_container(&ig, &form).await).await,
        ("POST", [_, "media_publish"]) => {
            with_fault(&ig.faults, "publish", async || ig_publish(&ig, &form)).await
        }
        ("GET", [_, "media"]) => with_fault(&ig.faults, "listing", async || {
            let data: Vec<Value> = ig.media.lock().unwrap().iter().map(|(id, caption, link)| {
                json!({"id": id, "caption": caption, "timestamp": "2026-12-01T03:00:00+0000", "permalink": link})
            }).collect();
            answer(200, json!({"data": data}))
        }).await,
        ("GET", [id, "insights"]) => with_fault(&ig.faults, "insights", async || ig_insights(&ig, id, &q)).await,
        ("GET", [id]) => with_fault(&ig.faults, "read", async || ig_read(&ig, id, &q)).await,
        _ => graph_error(100, 0, "Unsupported request"),
    }
}

async fn ig_container(ig: &Instagram, form: &HashMap<String, String>) -> Response {
    let url = form.get("image_url").cloned().unwrap_or_default();
    // Instagram fetches the image at that moment: it must be public, and a JPEG.
    let fetched = reqwest::get(&url).await;
    let bytes = match fetched {
        Ok(r) if r.status().is_success() => r.bytes().await.unwrap_or_default(),
        _ => return graph_error(9004, 2_207_052, "Media download has failed."),
    };
    if !bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return graph_error(36001, 2_207_005, "The image format is not supported.");
    }
    let id = ig.id("container-");
    let caption = form.get("caption").cloned().unwrap_or_default();
    ig.containers
        .lock()
        .unwrap()
        .insert(id.clone(), ("IN_PROGRESS".into(), url, caption));
    answer(200, json!({"id": id}))
}

fn ig_publish(ig: &Instagram, form: &HashMap<String, String>) -> Response {
    let id = form.get("creation_id").cloned().unwrap_or_default();
    let mut containers = ig.containers.lock().unwrap();
    let Some(c) = containers.get_mut(&id) else {
        return graph_error(24, 2_207_008, "The media container does not exist");
    };
    match c.0.as_str() {
        "FINISHED" => {}
        "PUBLISHED" => return graph_error(-1, 2_207_001, "The container was published already"),
        _ => return graph_error(9007, 2_207_027, "Media ID is not available"),
    }
    c.0 = "PUBLISHED".into();
    let media = ig.id("media-");
    let link = format!("https://www.instagram.com/p/{media}/");
    ig.media
        .lock()
        .unwrap()
        .push((media.clone(), c.2.clone(), link));
    answer(200, json!({"id": media}))
}

/// Media insights as the Graph API answers them: one entry per metric asked, lifetime values.
fn ig_insights(ig: &Instagram, id: &str, q: &HashMap<String, String>) -> Response {
    if !ig.media.lock().unwrap().iter().any(|(m, _, _)| m == id) {
        return graph_error(100, 33, "Unsupported get request. Object does not exist");
    }
    let Some(metrics) = q.get("metric") else {
        return graph_error(100, 0, "(#100) The parameter metric is required");
    };
    let (reach, likes, comments) = *ig.insights.lock().unwrap();
    let mut data = Vec::new();
    for name in metrics.split(',') {
        let value = match name {
            "reach" => reach,
            "likes" => likes,
            "comments" => comments,
            other => {
                return graph_error(
                    100,
                    0,
                    &format!(
                        "(#100) metric[0] must be one of the following values: reach, likes, comments, saved, shares, views; got {other}"
                    ),
                );
            }
        };
        data.push(
            json!({"name": name, "period": "lifetime", "values": [{"value": value}],
            "title": name, "description": "", "id": format!("{id}/insights/{name}/lifetime")}),
        );
    }
    answer(200, json!({"data": data}))
}

fn ig_read(ig: &Instagram, id: &str, q: &HashMap<String, String>) -> Response {
    if let Some(c) = ig.containers.lock().unwrap().get_mut(id) {
        if c.0 == "IN_PROGRESS" {
            let mut polls = ig.processing_polls.lock().unwrap();
            if *polls == 0 {
                c.0 = "FINISHED".into();
            } else {
                *polls -= 1;
            }
        }
        return answer(200, json!({"status_code": c.0, "status": c.0, "id": id}));
    }
    let media = ig.media.lock().unwrap();
    match media.iter().find(|(m, _, _)| m == id) {
        Some((m, _, link)) if q.get("fields").is_some_and(|f| f.contains("permalink")) => {
            answer(200, json!({"id": m, "permalink": link}))
        }
        _ => graph_error(100, 33, "Unsupported get request. Object does not exist"),
    }
}

// ---------------------------------------------------------------------------------------- Naver

/// (club, menu, subject, content, image bytes)
pub type Article = (String, String, String, String, usize);

#[derive(Default)]
pub struct Naver {
    pub faults: Faults,
    pub articles: Mutex<Vec<Article>>,
    pub tokens: Mutex<Vec<String>>,
    pub next: Mutex<u64>,
}

impl Naver {
    pub fn posted(&self) -> usize {
        self.articles.lock().unwrap().len()
    }
    fn token(&self) -> String {
        let mut n = self.next.lock().unwrap();
        *n += 1;
        let t = format!("naver-access-{n}");
        self.tokens.lock().unwrap().push(t.clone());
        t
    }
}

pub async fn naver() -> (String, Arc<Naver>) {
    let naver = Arc::new(Naver::default());
    let router = Router::new()
        .route("/oauth2.0/token", post(naver_token))
        .route("/v1/cafe/{club}/menu/{menu}/articles", post(naver_article))
        .with_state(naver.clone());
    (serve(router).await, naver)
}

async fn naver_token(
    State(n): State<Arc<Naver>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if q.get("client_secret").map(String::as_str) != Some("naver-secret") {
        return answer(
            401,
            json!({"error": "invalid_client", "error_description": "bad client"}),
        );
    }
    let ok = match q.get("grant_type").map(String::as_str) {
        Some("authorization_code") => q.get("code").map(String::as_str) == Some("good-code"),
        Some("refresh_token") => {
            q.get("refresh_token").map(String::as_str) == Some("naver-refresh")
        }
        _ => false,
    };
    if !ok {
        return answer(
            200,
            json!({"error": "invalid_request", "error_description": "no such code"}),
        );
    }
    // Naver sends `expires_in` as a string.
    answer(
        200,
        json!({"access_token": n.token(), "refresh_token": "naver-refresh", "token_type": "bearer", "expires_in": "3600"}),
    )
}

async fn naver_article(
    State(n): State<Arc<Naver>>,
    Path((club, menu)): Path<(String, String)>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if !bearer.is_some_and(|t| n.tokens.lock().unwrap().iter().any(|ok| ok == t)) {
        return answer(
            401,
            json!({"errorMessage": "Authentication failed (인증 실패하였습니다.)", "errorCode": "024"}),
        );
    }
    // Documented: multipart with plain UTF-8 text parts. A form body (the double-encoded
    // variant) is refused as a bad parameter.
    let Ok(mut multipart) = multipart else {
        return answer(
            403,
            json!({"message": {"status": "500", "error": {"code": "AP001", "msg": "잘못된 파라미터입니다."}}}),
        );
    };
    let (mut subject, mut content, mut image) = (String::new(), String::new(), 0);
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name().unwrap_or_default() {
            "subject" => subject = field.text().await.unwrap_or_default(),
            "content" => content = field.text().await.unwrap_or_default(),
            "image" => image = field.bytes().await.map(|b| b.len()).unwrap_or(0),
            _ => {}
        }
    }
    if subject.is_empty() || content.contains('%') || content.contains("<script") {
        return answer(
            403,
            json!({"message": {"status": "500", "error": {"code": "AP001", "msg": "잘못된 파라미터입니다."}}}),
        );
    }
    with_fault(&n.faults, "write", async || {
        let mut articles = n.articles.lock().unwrap();
        articles.push((club.clone(), menu.clone(), subject.clone(), content.clone(), image));
        let id = articles.len();
        answer(200, json!({"message": {"status": "200", "result": {"msg": "Success", "cafeUrl": club, "articleId": id, "articleUrl": format!("https://cafe.naver.com/{club}/{id}")}}}))
    })
    .await
}

// ---------------------------------------------------------------------------------------- Kakao

#[derive(Default)]
pub struct Kakao {
    pub faults: Faults,
    /// idempotency key → the message as sent
    pub messages: Mutex<Vec<(String, Value)>>,
    pub images: Mutex<usize>,
    /// Per recipient of every request: (messageStatus, resultCode).
    pub results: Mutex<Vec<(&'static str, &'static str)>>,
    /// The dealer no longer accepts the secret key (reissued at the dealer's console).
    pub revoked: Mutex<bool>,
}

pub const KAKAO_SECRET: &str = "kakao-secret-key";

/// Whether Kakao's night rule (20:50–08:00 in Seoul) holds by the wall clock now.
pub fn kakao_night_now() -> bool {
    use chrono::Timelike;
    let seoul = chrono::Utc::now() + chrono::Duration::hours(9);
    let minutes = seoul.hour() * 60 + seoul.minute();
    !(8 * 60..20 * 60 + 50).contains(&minutes)
}

impl Kakao {
    pub fn sent(&self) -> usize {
        self.messages.lock().unwrap().len()
    }
    /// Whether the request carries the secret key the dealer accepts now (`revoked`: none).
    fn keyed(&self, headers: &HeaderMap) -> bool {
        !*self.revoked.lock().unwrap()
            && headers.get("x-secret-key").and_then(|v| v.to_str().ok()) == Some(KAKAO_SECRET)
    }
}

pub async fn kakao() -> (String, Arc<Kakao>) {
    let k = Arc::new(Kakao::default());
    let router = Router::new()
        .route(
            "/brand-message/v1.0/appkeys/{app}/images",
            post(kakao_image),
        )
        .route(
            "/brand-message/v1.0/appkeys/{app}/freestyle-messages",
            post(kakao_message),
        )
        .route(
            "/brand-message/v1.0/appkeys/{app}/messages",
            axum::routing::get(kakao_results),
        )
        .route(
            "/brand-message/v1.0/appkeys/{app}/senders/{sender}",
            axum::routing::get(kakao_sender),
        )
        .with_state(k.clone());
    (serve(router).await, k)
}

fn kakao_header(code: i64, message: &str) -> Value {
    json!({"header": {"resultCode": code, "resultMessage": message, "isSuccessful": code == 0}})
}

async fn kakao_image(
    State(k): State<Arc<Kakao>>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    if !k.keyed(&headers) {
        return answer(401, kakao_header(-1, "invalid secret key"));
    }
    let mut size = 0;
    while let Ok(Some(field)) = multipart.next_field().await {
        size += field.bytes().await.map(|b| b.len()).unwrap_or(0);
    }
    if size == 0 {
        return answer(400, kakao_header(-1006, "no image"));
    }
    let mut n = k.images.lock().unwrap();
    *n += 1;
    let mut body = kakao_header(0, "SUCCESS");
    body["image"] = json!({"imageName": "poster.png", "imageUrl": format!("https://mud-kage.kakao.com/dn/img{n}.png")});
    answer(200, body)
}

async fn kakao_message(
    State(k): State<Arc<Kakao>>,
    headers: HeaderMap,
    axum::Json(msg): axum::Json<Value>,
) -> Response {
    if !k.keyed(&headers) {
        return answer(401, kakao_header(-1, "invalid secret key"));
    }
    let key = headers
        .get("x-nc-api-idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if msg["content"]
        .as_str()
        .is_none_or(|c| c.chars().count() > 1300)
        || msg["adFlag"] != true
    {
        return answer(400, kakao_header(-1002, "invalid message"));
    }
    with_fault(&k.faults, "send", async || {
        let mut messages = k.messages.lock().unwrap();
        if !key.is_empty() && messages.iter().any(|(k, _)| *k == key) {
            return answer(200, kakao_header(-1005, "duplicated idempotency key"));
        }
        let request_id = format!("2026120112000{}", messages.len() + 1);
        let mut kept = msg.clone();
        kept["requestId"] = json!(request_id);
        messages.push((key.clone(), kept));
        let mut body = kakao_header(0, "SUCCESS");
        body["message"] =
            json!({"requestId": request_id, "senderGroupingKey": msg["senderGroupingKey"]});
        answer(200, body)
    })
    .await
}

/// The sender profile: the keys are checked with it.
async fn kakao_sender(
    State(k): State<Arc<Kakao>>,
    Path((_app, sender)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if !k.keyed(&headers) {
        return answer(401, kakao_header(-1, "invalid secret key"));
    }
    with_fault(&k.faults, "sender", async || {
        let mut body = kakao_header(0, "SUCCESS");
        body["sender"] = json!({"senderKey": sender, "status": "YSC03"});
        answer(200, body)
    })
    .await
}

/// The dealer's list of a request's messages, one row per recipient with its result.
async fn kakao_results(
    State(k): State<Arc<Kakao>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if !k.keyed(&headers) {
        return answer(401, kakao_header(-1, "invalid secret key"));
    }
    // By request id, or by the sender's grouping key within a request date range.
    let by_group = !q.contains_key("requestId");
    let request = match (q.get("requestId"), q.get("senderGroupingKey")) {
        (Some(id), _) => id.clone(),
        (None, Some(group))
            if q.contains_key("startRequestDate") && q.contains_key("endRequestDate") =>
        {
            let messages = k.messages.lock().unwrap();
            let found = messages
                .iter()
                .find(|(_, m)| m["senderGroupingKey"] == group.as_str());
            match found {
                Some((_, m)) => m["requestId"].as_str().unwrap().to_owned(),
                None => {
                    let mut body = kakao_header(0, "SUCCESS");
                    body["totalCount"] = json!(0);
                    body["messages"] = json!([]);
                    return answer(200, body);
                }
            }
        }
        _ => {
            return answer(
                400,
                kakao_header(-1001, "requestId or a date range is required"),
            );
        }
    };
    with_fault(&k.faults, "results", async || {
        let mut rows: Vec<Value> = (k.results.lock().unwrap().iter().enumerate())
            .map(|(i, (status, code))| json!({"requestId": request, "recipientSeq": i + 1,
                "recipientNo": format!("0101234{:04}", i), "messageStatus": status,
                "resultCode": code, "resultCodeName": if *code == "1000" { "성공" } else { "실패" }}))
            .collect();
        if rows.is_empty() && by_group {
            // Accepted, not yet delivered to anyone.
            rows.push(json!({"requestId": request, "recipientSeq": 1, "messageStatus": "READY", "resultCode": ""}));
        }
        let mut body = kakao_header(0, "SUCCESS");
        body["totalCount"] = json!(rows.len());
        body["messages"] = json!(rows);
        answer(200, body)
    })
    .await
}

// ------------------------------------------------------------------------------------ KT partner

#[derive(Default)]
pub struct KtPartner {
    pub faults: Faults,
    /// (account, order key) → the order
    pub orders: Mutex<HashMap<(String, String), Value>>,
}

pub const KT_KEY: &str = "kt-platform-key";
/// The account PIN the partner gave shop-000123 (and every `shop-` account here).
pub const KT_PIN: &str = "2468";

impl KtPartner {
    pub fn orders_for(&self, channel: &str) -> usize {
        self.orders
            .lock()
            .unwrap()
            .values()
            .filter(|o| o["channel"] == channel)
            .count()
    }
}

pub async fn kt_partner() -> (String, Arc<KtPartner>) {
    let kt = Arc::new(KtPartner::default());
    let router = Router::new()
        .route("/v1/accounts/{account}/orders/{key}", any(kt_order))
        .route("/v1/accounts/{account}", axum::routing::get(kt_account))
        .with_state(kt.clone());
    (serve(router).await, kt)
}

fn kt_error(status: u16, code: &str) -> Response {
    answer(status, json!({"error": {"code": code, "message": code}}))
}

/// The platform key, then the account and the shop's PIN: `None` when both hold.
fn kt_refused(account: &str, headers: &HeaderMap) -> Option<Response> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if header("authorization") != Some(&format!("Bearer {KT_KEY}")) {
        return Some(kt_error(401, "UNAUTHORIZED"));
    }
    if !account.starts_with("shop-") {
        return Some(kt_error(404, "ACCOUNT_NOT_FOUND"));
    }
    (header("x-account-pin") != Some(KT_PIN)).then(|| kt_error(403, "ACCOUNT_PIN_MISMATCH"))
}

/// `GET /v1/accounts/{id}`: the shop holds the account if its PIN is right.
async fn kt_account(Path(account): Path<String>, headers: HeaderMap) -> Response {
    if let Some(refused) = kt_refused(&account, &headers) {
        return refused;
    }
    answer(200, json!({"accountId": account, "status": "ACTIVE"}))
}

/// A partner that answers the account check (closing each connection) and then goes away when
/// the handle is aborted: its orders meet a refused connection.
pub async fn kt_partner_that_goes_away() -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = Router::new().route(
        "/v1/accounts/{account}",
        axum::routing::get(async |path: Path<String>, headers: HeaderMap| {
            let mut r = kt_account(path, headers).await;
            r.headers_mut()
                .insert("connection", "close".parse().unwrap());
            r
        }),
    );
    let server = tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (format!("http://{addr}"), server)
}

async fn kt_order(
    State(kt): State<Arc<KtPartner>>,
    method: Method,
    Path((account, key)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(refused) = kt_refused(&account, &headers) {
        return refused;
    }
    let id = (account.clone(), key.clone());
    if method == Method::GET {
        return match kt.orders.lock().unwrap().get(&id) {
            Some(o) => answer(200, o.clone()),
            None => kt_error(404, "ORDER_NOT_FOUND"),
        };
    }
    let order: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    if order["channel"] == "RINGOBIZ" && order["media"]["seconds"].as_u64().is_none_or(|s| s > 20) {
        return kt_error(400, "SCRIPT_TOO_LONG");
    }
    with_fault(&kt.faults, "order", async || {
        let mut orders = kt.orders.lock().unwrap();
        if let Some(existing) = orders.get(&id) {
            return answer(200, existing.clone());
        }
        let mut stored = order.clone();
        stored["orderId"] = json!(format!("KT-{}", orders.len() + 1));
        stored["status"] = json!("RECEIVED");
        orders.insert(id.clone(), stored.clone());
        answer(201, stored)
    })
    .await
}
