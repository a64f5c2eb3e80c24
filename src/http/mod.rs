//! Inbound HTTP, the JSON API: its routes, built from the same table that produces the OpenAPI
//! document (utoipa-axum), so the two cannot drift apart, and the per-request context every
//! answer goes through. It is one door over `app`; the pages (`web`) are another, and neither
//! imports the other (`startup` composes them).

pub mod analytics;
pub mod auth;
pub mod blobs;
pub mod channels;
pub mod context;
pub mod distribution;
pub mod draws;
pub mod entries;
pub mod error;
pub mod events;
pub mod extract;
pub mod images;
pub mod jobs;
pub mod passes;
pub mod recommendations;
pub mod users;

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::Services;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Event Marketing API",
        description = "소상공인을 위한 AI 마케팅 이벤트 서비스. 오류 응답은 항상 {code, message, details?, requestId} 형식입니다.",
        version = env!("CARGO_PKG_VERSION"),
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "가입과 로그인"),
        (name = "users", description = "내 정보"),
        (name = "events", description = "이벤트"),
        (name = "recommendations", description = "AI 이벤트 기획안"),
        (name = "jobs", description = "백그라운드 작업 진행률"),
        (name = "images", description = "홍보 이미지"),
        (name = "channels", description = "채널 연결"),
        (name = "distribution", description = "배포와 채널별 게시 상태"),
        (name = "participation", description = "고객 응모, 참여자, 검증 가능한 추첨"),
        (name = "analytics", description = "추적 링크, QR 코드, 채널별 성과"),
        (name = "passes", description = "고객 쿠폰·스탬프 카드, 매장 카운터 사용 처리, 사진 후기"),
        (name = "pages", description = "브라우저 화면: 사장님 콘솔과 고객 페이지 (HTML)"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// Every `/api` route, each registered together with its OpenAPI operation.
fn api_routes() -> OpenApiRouter<Services> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(auth::signup))
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(users::get_me, users::update_me))
        .routes(routes!(users::change_password))
        .routes(routes!(users::set_counter_pin))
        .routes(routes!(events::create_from_objective))
        .routes(routes!(events::list))
        .routes(routes!(events::get, events::update, events::delete))
        .routes(routes!(events::set_channels))
        .routes(routes!(events::set_promotion))
        .routes(routes!(events::end))
        .routes(routes!(recommendations::request_recommendations))
        .routes(routes!(
            recommendations::list_recommendations,
            recommendations::select_recommendation
        ))
        .routes(routes!(jobs::get_job))
        .routes(routes!(images::request_images, images::list_images))
        .routes(routes!(images::select_image))
        .routes(routes!(channels::list))
        .routes(routes!(channels::oauth_start))
        .routes(routes!(channels::oauth_callback))
        .routes(routes!(channels::connect, channels::disconnect))
        .routes(routes!(distribution::publish))
        .routes(routes!(distribution::get))
        .routes(routes!(distribution::retry))
        .routes(routes!(distribution::confirm))
        .routes(routes!(entries::public_event))
        .routes(routes!(entries::enter))
        .routes(routes!(entries::participants::list))
        .routes(routes!(entries::participants::csv_download))
        .routes(routes!(draws::draw, draws::owner_draw))
        .routes(routes!(draws::replace))
        .routes(routes!(draws::proof))
        .routes(routes!(analytics::dashboard::dashboard))
        .routes(routes!(analytics::redeem))
        .routes(routes!(analytics::list_links))
        .routes(routes!(analytics::qr_png))
        .routes(routes!(analytics::qr_svg))
        .routes(routes!(analytics::card))
        .routes(routes!(passes::get))
        .routes(routes!(passes::find))
        .routes(routes!(passes::submit_review))
        .routes(routes!(passes::act))
        .routes(routes!(passes::undo))
        .routes(routes!(passes::list_reviews))
        .routes(routes!(passes::decide))
}

/// The OpenAPI 3 document of the JSON API (`startup::openapi` adds the pages to it).
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_routes().split_for_parts().1
}

/// Every `/api` route (and the answer for a route that is none); `startup` composes them with
/// the pages and the trigger routes.
pub fn routes() -> axum::Router<Services> {
    api_routes().split_for_parts().0
}

/// The answer for a path no route serves: the API's `COMMON_404`.
pub async fn no_route() -> error::ApiError {
    error::ApiError::RouteNotFound
}
