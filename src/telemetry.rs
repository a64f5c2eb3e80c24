//! Logging: `tracing` to stdout (the Functions host collects stdout; stderr lines become errors
//! there). Plain text locally, one JSON object per line in handler mode. `RUST_LOG` filters.

use tracing_subscriber::EnvFilter;

use crate::config::Mode;

pub fn init(mode: Mode) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stdout)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()));
    let result = match mode {
        Mode::Local => builder.try_init(),
        Mode::FunctionsHandler { .. } => builder.json().with_ansi(false).try_init(),
    };
    // Already initialised (tests start many apps in one process): keep the first one.
    drop(result);
}
