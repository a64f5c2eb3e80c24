//! Wiring: choose the adapters from the settings, build the router, bind, serve.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;

use crate::adapters::crypto::{HmacKeyRing, KeyRing};
use crate::adapters::jwt::JwtTokens;
use crate::adapters::local_blobs::LocalBlobs;
use crate::adapters::password::Argon2Passwords;
use crate::adapters::sql::SqlStore;
use crate::app::Services;
use crate::app::entries;
use crate::app::intake::Intake;
use crate::app::limits::ClientLimits;
use crate::app::sessions::{self, TokenVersions};
use crate::app::visits::Visits;
use crate::config::{Mode, Settings};
use crate::domain::distribution::Policy as DistributionPolicy;
use crate::ports::{Backend, Blobs, Channels, Clock, Recommender, SystemClock};
use crate::triggers::local;
use crate::{http, triggers, web};

mod adapters;
mod ready;

use adapters::{blobs, mailer, painter, recommender, sender};

use ready::{Steps, StoreGate};

pub struct Application {
    addr: SocketAddr,
    listener: TcpListener,
    router: axum::Router,
    store: SqlStore,
    services: Services,
    mode: Mode,
    local_timers: bool,
    local_sweep: Duration,
    local_purge: Duration,
}

/// Connects the store (applying migrations) and wires everything. `listener` is already bound,
/// so tests can bind port 0 and read the address back before anything is served.
pub async fn build(settings: &Settings, listener: TcpListener) -> anyhow::Result<Application> {
    build_with(settings, listener, Overrides::default()).await
}

/// Adapters a test may replace (a hand-moved clock, a failing recommender). Production wiring
/// never sets them.
#[derive(Default)]
pub struct Overrides {
    pub clock: Option<Arc<dyn Clock>>,
    pub recommender: Option<Arc<dyn Recommender>>,
    pub blobs: Option<Arc<dyn Blobs>>,
    pub channels: Option<Channels>,
}

pub async fn build_with(
    settings: &Settings,
    listener: TcpListener,
    overrides: Overrides,
) -> anyhow::Result<Application> {
    let addr = listener.local_addr().context("listener has no address")?;
    let base_url = (settings.public_base_url.clone()).unwrap_or_else(|| format!("http://{addr}"));
    let local_blobs = LocalBlobs::new(settings.data_dir.join("blobs"), base_url.clone());
    let (url, max) = (&settings.database_url, settings.database_max_connections);
    let mut step = Steps::new();
    // Locally the database is ready before anything is served (a wrong URL stops the start at
    // once); in handler mode the host's probe is answered first (`ready`).
    let (store, gate) = match settings.mode {
        Mode::Local => (SqlStore::connect(url, max).await?, StoreGate::open()),
        Mode::FunctionsHandler { .. } => {
            let store = SqlStore::connect_lazily(url, max).await?;
            (store.clone(), StoreGate::check_in_background(store))
        }
    };
    let store_ms = step.next();
    let services = services(settings, overrides, &store, &local_blobs, base_url).await?;
    let services_ms = step.next();
    // Locally stored images are served by the binary itself.
    let blob_routes = http::blobs::routes(local_blobs);
    let router = router(services.clone(), settings, blob_routes, gate);
    let router_ms = step.next();
    tracing::info!(store_ms, services_ms, router_ms, "start-up: wired");
    Ok(Application {
        addr,
        listener,
        router,
        services,
        mode: settings.mode,
        local_timers: settings.local_timers,
        local_sweep: settings.channels.local_sweep,
        local_purge: settings.participation.local_purge,
        store,
    })
}

/// The whole app, composed once: `GET /` (the host's probe, or a browser on its way to the
/// console), the JSON API, the pages, the host's trigger routes, and `extra` (routes with their
/// own state, e.g. locally stored images); every request through the request context (its id,
/// its span, errors in the API's shape), a body limit, a timeout and a panic guard.
pub fn router(services: Services, settings: &Settings, extra: Router, gate: StoreGate) -> Router {
    let mode = match settings.mode {
        Mode::Local => "local",
        Mode::FunctionsHandler { .. } => "functions",
    };
    Router::new()
        .route("/", get(move |headers: HeaderMap| root(headers, mode)))
        .merge(http::routes())
        .merge(web::routes(&services))
        .merge(triggers::routes())
        .fallback(http::no_route)
        .with_state(services)
        .merge(extra)
        .layer(DefaultBodyLimit::max(settings.max_body_bytes))
        // A panic in a handler answers COMMON_500 (rewritten by the context layer) instead of
        // dropping the connection.
        .layer(CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                tracing::error!("handler panicked");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            },
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(60),
        ))
        .layer(axum::middleware::from_fn_with_state(gate, ready::gate))
        .layer(axum::middleware::from_fn(http::context::request_context))
}

/// `GET /`: the Functions host polls it until it answers (the liveness answer); a browser goes
/// on to the console.
async fn root(headers: HeaderMap, mode: &'static str) -> Response {
    let wants_page = (headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()))
        .is_some_and(|a| a.contains("text/html"));
    if wants_page {
        return Redirect::to("/home").into_response();
    }
    let alive = serde_json::json!({"service": "event-marketing", "status": "ok", "mode": mode});
    axum::Json(alive).into_response()
}

/// The OpenAPI document API Management imports: the JSON API and every page.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = http::openapi();
    utoipa::Modify::modify(&web::pages::PagesDoc, &mut doc);
    doc
}

/// The adapters the settings choose, unless a test overrides them.
async fn services(
    settings: &Settings,
    overrides: Overrides,
    store: &SqlStore,
    local_blobs: &LocalBlobs,
    public_base_url: String,
) -> anyhow::Result<Services> {
    let c = &settings.channels;
    let pp = &settings.participation;
    let store: Arc<dyn crate::ports::Store> = Arc::new(store.clone());
    let relay_kick = Arc::new(tokio::sync::Notify::new());
    let intake = Arc::new(intake(&store));
    let visits = Arc::new(Visits::start(store.clone(), writers(&store)));
    Ok(Services {
        store: store.clone(),
        clock: overrides.clock.unwrap_or_else(|| Arc::new(SystemClock)),
        tokens: Arc::new(JwtTokens::new(&settings.jwt)),
        passwords: Arc::new(Argon2Passwords::new()),
        login_throttle: settings.login_throttle,
        recommender: match overrides.recommender {
            Some(r) => r,
            None => recommender(settings)?,
        },
        painter: painter(settings)?,
        blobs: match overrides.blobs {
            Some(b) => b,
            None => blobs(settings, local_blobs)?,
        },
        max_deliveries: settings.job_max_deliveries,
        relay_kick,
        sender: sender(settings)?,
        vault: Arc::new(KeyRing::new(&c.secret_keys)),
        channels: match overrides.channels {
            Some(channels) => channels,
            None => crate::adapters::channels::build(c, &settings.data_dir)?,
        },
        public_base_url,
        distribution: DistributionPolicy {
            lease: c.lease,
            reconcile_every: c.reconcile_every,
        },
        intake,
        visits,
        token_versions: Arc::new(TokenVersions::new(store.session_feed().is_none())),
        personal: Arc::new(KeyRing::new(&pp.personal_data_keys)),
        tags: Arc::new(HmacKeyRing::new(&pp.phone_hmac_keys)),
        limits: Arc::new(ClientLimits::new(settings.client_rates)),
        retention: pp.retention,
        job_quota: settings.job_quota,
        trust_client_address_header: settings.trust_client_address_header,
        memo: Arc::default(),
        printer: Arc::new(crate::adapters::painter::BuiltinPainter),
        mailer: mailer(settings)?,
    })
}

/// The entry hot path's batcher. SQLite has one writer: more transactions in flight would only
/// wait for each other; on PostgreSQL two keep the disk busy while the next batch fills up
/// (`cargo bench --bench entries` measured more than with four: fewer, larger batches).
fn intake(store: &Arc<dyn crate::ports::Store>) -> Intake {
    Intake::start(store.clone(), Arc::new(entries::announce), writers(store))
}

/// Transactions a group commit keeps in flight (the visits' one too).
fn writers(store: &Arc<dyn crate::ports::Store>) -> usize {
    match store.backend() {
        Backend::Sqlite => 1,
        Backend::Postgres => 2,
    }
}

impl Application {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until `shutdown` resolves, then closes the database pool. Locally it also plays
    /// the timer triggers (in Azure the Functions host calls them).
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        // Background work in process: locally the timers and the relay (unless LOCAL_TIMERS is
        // off, as in tests that drive them by hand); in Azure the relay right after a commit (the
        // outbox-relay timer catches what an instance left behind).
        let mut background = match self.mode {
            Mode::Local if self.local_timers => vec![
                local::spawn_daily(self.services.clone()),
                local::spawn_relay(self.services.clone()),
                local::spawn_every(
                    self.services.clone(),
                    crate::triggers::Timer::DistributionSweep,
                    self.local_sweep,
                ),
                local::spawn_every(
                    self.services.clone(),
                    crate::triggers::Timer::ParticipantsPurge,
                    self.local_purge,
                ),
                local::spawn_every(
                    self.services.clone(),
                    crate::triggers::Timer::ChannelStats,
                    Duration::from_secs(30 * 60),
                ),
            ],
            Mode::Local => vec![],
            Mode::FunctionsHandler { .. } => vec![local::spawn_relay(self.services.clone())],
        };
        // Every instance hears the sessions another one ended (PostgreSQL).
        if let Some(feed) = crate::ports::UserStore::session_feed(&self.store) {
            let versions = self.services.token_versions.clone();
            background.push(sessions::follow(versions, feed));
        }
        // The peer's address is the caller's locally (rate limits per client address); headers
        // within a time limit and a bounded number of connections (`serve`).
        let served = crate::serve::serve(self.listener, self.router, shutdown)
            .await
            .context("HTTP server failed");
        for task in background {
            task.abort();
        }
        self.store.close().await;
        served
    }
}

/// The address to listen on: the Functions host always calls 127.0.0.1 on its port; locally we
/// listen on 127.0.0.1 too unless told otherwise.
pub fn listen_addr(settings: &Settings, local_port: u16, host: &str) -> String {
    match settings.mode {
        Mode::FunctionsHandler { port } => format!("127.0.0.1:{port}"),
        Mode::Local => format!("{host}:{local_port}"),
    }
}

/// Resolves on Ctrl-C or SIGTERM (what the Functions host sends when it scales in).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
