//! The SQL store: SQLite (embedded default) and PostgreSQL (Azure), one implementation.
//!
//! Each operation is written once; `on_pool!` expands its body for both pool types, so the
//! compiler checks every query's bindings and decodings against each backend. SQL is kept to the
//! dialect both accept (`$n` parameters, `RETURNING`, `ON CONFLICT`).

mod analytics;
mod auth;
mod channels;
mod distribution;
mod draws;
mod entries;
mod events;
mod images;
mod jobs;
mod mailbox;
mod outbox;
mod passes;
mod recommendations;
mod sessions;
mod tx;
mod users;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::config::DatabaseUrl;

static PG_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");
static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

fn pg_options(max_connections: u32) -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
}
use crate::ports::{Backend, Store, StoreError};

#[derive(Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$p` bound to the concrete pool of either backend.
macro_rules! on_pool {
    ($self:expr, |$p:ident| $body:expr) => {
        match &$self.pool {
            $crate::adapters::sql::Pool::Sqlite($p) => $body,
            $crate::adapters::sql::Pool::Postgres($p) => $body,
        }
    };
}
pub(crate) use on_pool;

/// Runs one statement with its parameters on either backend; the number of rows it touched.
macro_rules! execute {
    ($self:expr, $sql:expr $(, $arg:expr)* $(,)?) => {
        $crate::adapters::sql::on_pool!($self, |p| sqlx::query($sql)
            $(.bind($arg))*
            .execute(p)
            .await
            .map(|r| r.rows_affected()))
        .map_err($crate::adapters::sql::db_error)
    };
}
pub(crate) use execute;

#[derive(Clone)]
pub struct SqlStore {
    pub(crate) pool: Pool,
}

impl SqlStore {
    /// Connects and applies the migrations of the backend.
    pub async fn connect(url: &DatabaseUrl, max_connections: u32) -> anyhow::Result<Self> {
        let store = Self::connect_without_migrating(url, max_connections).await?;
        store.migrate().await?;
        Ok(store)
    }

    pub async fn connect_without_migrating(
        url: &DatabaseUrl,
        max_connections: u32,
    ) -> anyhow::Result<Self> {
        let pool = match url {
            DatabaseUrl::Sqlite(raw) => {
                let options = SqliteConnectOptions::from_str(raw)
                    .with_context(|| "DATABASE_URL의 SQLite 경로를 해석할 수 없습니다")?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    // An acknowledged write must survive a crash or power loss.
                    .synchronous(SqliteSynchronous::Full)
                    .foreign_keys(true)
                    // Deleted and overwritten content is zeroed, not left in free pages
                    // (customers' data must be unrecoverable once destroyed).
                    .pragma("secure_delete", "on")
                    .busy_timeout(Duration::from_secs(5));
                if let Some(dir) = options.get_filename().parent()
                    && !dir.as_os_str().is_empty()
                {
                    std::fs::create_dir_all(dir).with_context(|| {
                        format!("데이터베이스 폴더 {}를 만들 수 없습니다", dir.display())
                    })?;
                }
                owner_only(options.get_filename())?;
                Pool::Sqlite(
                    SqlitePoolOptions::new()
                        .max_connections(max_connections)
                        .acquire_timeout(Duration::from_secs(10))
                        .connect_with(options)
                        .await
                        .context("SQLite 데이터베이스를 열 수 없습니다")?,
                )
            }
            DatabaseUrl::Postgres(raw) => Pool::Postgres(
                pg_options(max_connections)
                    .connect(raw.expose())
                    .await
                    .context("PostgreSQL에 연결할 수 없습니다")?,
            ),
        };
        Ok(Self { pool })
    }

    /// A store whose PostgreSQL pool connects on first use, so a cold start waits on no
    /// connection (`ensure_migrated` runs right after, off the start-up path). SQLite opens its
    /// file at once: it is local and fast.
    pub async fn connect_lazily(url: &DatabaseUrl, max_connections: u32) -> anyhow::Result<Self> {
        match url {
            DatabaseUrl::Postgres(raw) => Ok(Self {
                pool: Pool::Postgres(
                    (pg_options(max_connections).connect_lazy(raw.expose()))
                        .context("DATABASE_URL의 PostgreSQL 주소를 해석할 수 없습니다")?,
                ),
            }),
            DatabaseUrl::Sqlite(_) => Self::connect_without_migrating(url, max_connections).await,
        }
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        match &self.pool {
            Pool::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await,
            Pool::Postgres(p) => PG_MIGRATIONS.run(p).await,
        }
        .context("마이그레이션을 적용할 수 없습니다")
    }

    /// Applies the migrations unless the newest one is applied already: one indexed read
    /// instead of the migrator's lock and checksum comparison of every applied migration (a
    /// deploy applies new ones with `migrate`, which compares them all).
    pub async fn ensure_migrated(&self) -> anyhow::Result<()> {
        let newest = match &self.pool {
            Pool::Sqlite(_) => SQLITE_MIGRATIONS.iter().map(|m| m.version).max(),
            Pool::Postgres(_) => PG_MIGRATIONS.iter().map(|m| m.version).max(),
        };
        const APPLIED: &str = "SELECT MAX(version) FROM _sqlx_migrations WHERE success";
        let applied: Option<i64> =
            on_pool!(self, |p| sqlx::query_scalar(APPLIED).fetch_one(p).await).unwrap_or(None);
        if applied.is_some() && applied == newest {
            return Ok(());
        }
        self.migrate().await
    }

    pub async fn close(&self) {
        on_pool!(self, |p| p.close().await)
    }
}

#[async_trait]
impl Store for SqlStore {
    async fn ping(&self) -> Result<(), StoreError> {
        on_pool!(self, |p| sqlx::query("SELECT 1")
            .execute(p)
            .await
            .map(|_| ()))
        .map_err(db_error)
    }

    fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }
}

/// Translates constraint violations into domain-level store errors. sqlx already classifies
/// SQLite and PostgreSQL error codes into one `ErrorKind`, so one helper serves both backends.
pub(crate) fn db_error(e: sqlx::Error) -> StoreError {
    if let Some(db) = e.as_database_error()
        && db.kind() == sqlx::error::ErrorKind::UniqueViolation
    {
        return StoreError::Duplicate;
    }
    StoreError::Unavailable(e.into())
}

/// A value that was written by us but cannot be read back: the database was changed by hand.
pub(crate) fn corrupt(what: &str) -> StoreError {
    StoreError::Unavailable(anyhow::anyhow!("stored value is not valid: {what}"))
}

/// The database file readable by its owner only (0600), created so before SQLite opens it:
/// SQLite gives its `-wal` and `-shm` files the database's permissions, and it holds customers'
/// sealed data and the hashes of pass codes, like the key files beside it.
fn owner_only(path: &std::path::Path) -> anyhow::Result<()> {
    let shown = path.to_string_lossy();
    if shown.is_empty() || shown.contains(":memory:") || shown.contains("sqlx-in-memory") {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let opened = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(path);
        opened
            .with_context(|| format!("데이터베이스 파일 {}를 만들 수 없습니다", path.display()))?;
        let private = std::fs::Permissions::from_mode(0o600);
        for suffix in ["", "-wal", "-shm"] {
            let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
            // A database that is not ours to change (another user's) is still opened.
            if file.exists()
                && let Err(e) = std::fs::set_permissions(&file, private.clone())
            {
                tracing::warn!(file = %file.display(), error = %e, "could not make the database owner-only");
            }
        }
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    #[tokio::test]
    async fn the_local_database_and_its_wal_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data").join("event-marketing.db");
        let url = crate::config::DatabaseUrl::Sqlite(format!("sqlite://{}", path.display()));
        let store = super::SqlStore::connect(&url, 2).await.unwrap();
        drop(store);
        for suffix in ["", "-wal"] {
            let file = format!("{}{suffix}", path.display());
            // The database itself must be there; its WAL, while the store was open.
            let Ok(meta) = std::fs::metadata(&file) else {
                assert!(!suffix.is_empty(), "no database at {file}");
                continue;
            };
            assert_eq!(meta.permissions().mode() & 0o777, 0o600, "{file}");
        }
    }
}
