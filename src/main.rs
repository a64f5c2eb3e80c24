//! `event-marketing`: the service (locally or as an Azure Functions custom handler), plus
//! `migrate`, `openapi` and `verify-draw`.

use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use event_marketing::config::{Mode, Settings};
use event_marketing::{adapters::sql::SqlStore, startup, telemetry};

#[derive(Parser)]
#[command(
    name = "event-marketing",
    version,
    about = "AI 마케팅 이벤트 서비스 — 로컬 올인원 실행, 또는 Azure Functions 커스텀 핸들러",
    long_about = "Without a subcommand, runs `serve`.\n\n\
        When FUNCTIONS_CUSTOMHANDLER_PORT is set (the Azure Functions host sets it), serves as a \
        custom handler on 127.0.0.1:$FUNCTIONS_CUSTOMHANDLER_PORT; JWT_SECRET is then required.\n\
        Settings come from environment variables (and an optional .env file): DATABASE_URL \
        (sqlite://… default, or postgres://…), JWT_SECRET, DATA_DIR, see README.md."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the service (the default).
    Serve {
        /// Local port (ignored in handler mode, which uses FUNCTIONS_CUSTOMHANDLER_PORT).
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Local interface to bind.
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
    },
    /// Apply the database migrations and exit.
    Migrate,
    /// Print the OpenAPI 3 document of the HTTP API.
    Openapi,
    /// Recompute a draw from its proof (a file, or the URL of /api/public/events/{id}/draw);
    /// with --receipt, say where that entry ranked. Exits 0 when everything holds, else 1.
    VerifyDraw {
        /// A proof file, or its http(s):// URL.
        source: String,
        /// An entrant's receipt code.
        #[arg(long)]
        receipt: Option<String>,
    },
}

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let cli = Cli::parse();
    if let Some(Command::Openapi) = cli.command {
        return match startup::openapi().to_pretty_json() {
            Ok(doc) => {
                println!("{doc}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        };
    }
    if let Some(Command::VerifyDraw { source, receipt }) = &cli.command {
        return verify_draw(source, receipt.as_deref());
    }
    // A missing .env is normal; real environment variables win over it.
    let _ = dotenvy::dotenv();
    // Logging first (its format depends only on whether the Functions host started us), so that
    // what reading the settings reports is seen.
    telemetry::init(
        if std::env::var_os("FUNCTIONS_CUSTOMHANDLER_PORT").is_some() {
            Mode::FunctionsHandler { port: 0 }
        } else {
            Mode::Local
        },
    );
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprint!("{e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, settings, started)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "stopped");
            eprintln!("오류: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(
    command: Option<Command>,
    settings: Settings,
    started: std::time::Instant,
) -> anyhow::Result<()> {
    let ms = |at: std::time::Instant| format!("{:.1}", at.elapsed().as_secs_f64() * 1000.0);
    let settings_and_runtime_ms = ms(started);
    let (port, host) = match command {
        Some(Command::Migrate) => {
            let store = SqlStore::connect(&settings.database_url, 1).await?;
            store.close().await;
            println!("migrations applied ({})", settings.database_url.backend());
            return Ok(());
        }
        Some(Command::Serve { port, host }) => (port, host),
        None | Some(Command::Openapi | Command::VerifyDraw { .. }) => {
            (8080, "127.0.0.1".to_owned())
        }
    };
    let addr = startup::listen_addr(&settings, port, &host);
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .with_context(|| format!("{addr}에서 대기할 수 없습니다"))?;
    let app = startup::build(&settings, listener).await?;
    match settings.mode {
        Mode::Local => {
            println!(
                "Event Marketing is running at http://{} (database: {})\n\
                 사장님 화면은 브라우저에서 이 주소로 여세요: http://{}/",
                app.addr(),
                settings.database_url.backend(),
                app.addr()
            );
        }
        Mode::FunctionsHandler { .. } => {
            let since_exec_ms = ms(started);
            tracing::info!(addr = %app.addr(), settings_and_runtime_ms, since_exec_ms, "start-up: custom handler ready");
        }
    }
    app.run_until(startup::shutdown_signal()).await
}

/// Needs no settings and no database: anyone can check a draw.
fn verify_draw(source: &str, receipt: Option<&str>) -> ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let proof = match runtime.block_on(event_marketing::verify_draw::load(source)) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("오류: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let (lines, ok) = event_marketing::verify_draw::report(&proof, receipt);
    for line in lines {
        println!("{line}");
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
