//! microcred-store: persistence of accounts, the quality-assurance workflow, accreditations, the public
//! register and the audit log, on an embedded SQLite file or on PostgreSQL.
//!
//! Both backends go through one `sqlx::Any` pool and one set of queries written in the SQL both accept
//! (`$1` placeholders, `RETURNING`, `ON CONFLICT`); only the schema (one migration directory per backend)
//! and full-text search differ. Every write is one transaction that also appends to the audit log, and
//! writes that depend on what was read carry the `row_version` they read (optimistic concurrency), so
//! several servers can share one PostgreSQL without lost updates.

mod accounts;
mod accreditations;
mod audit;
mod credentials;
mod descriptions;
mod issuer_keys;
mod jobs;
mod model;
mod register;
mod shares;
mod stacking;
mod status_lists;

use std::str::FromStr;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};

pub use credentials::{CredentialRecord, Inserted, NewCredential};
pub use descriptions::{NewDecision, NewDescription, Scope, Transition};
pub use issuer_keys::IssuerKeyRecord;
pub use jobs::{BatchOutcome, JobRecord, JobRow, RowError};
pub use model::*;
pub use register::{RegisterQuery, SearchPage};
pub use shares::Share;
pub use stacking::StackingDecision;
pub use status_lists::StatusListRecord;

/// Which database is behind the pool; decides the migrations and the full-text search syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(String),
    /// The record changed since it was read, or is not in a state that allows the change.
    #[error("{0}")]
    Conflict(String),
    #[error("{0} already exists")]
    Duplicate(String),
    #[error("unsupported database URL {0:?}: use sqlite://FILE or postgres://...")]
    UnsupportedUrl(String),
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The storage boundary: the server calls these methods and never writes SQL itself.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Connect, create the SQLite file if it is missing, switch SQLite to WAL, and run migrations.
    pub async fn open(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let (backend, url) = normalise_url(url)?;
        let max = match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        };
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; a 5 s busy wait queues writers
                        // instead of failing them.
                        sqlx::query("PRAGMA journal_mode = WAL")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA busy_timeout = 5000")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA foreign_keys = ON")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA synchronous = FULL")
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        match backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&pool).await?,
        }
        let store = Store { pool, backend };
        store.backfill_facets().await?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Accepts `sqlite://file`, `sqlite:file`, `postgres://` and `postgresql://`; SQLite files are created
/// when missing (`mode=rwc`).
fn normalise_url(url: &str) -> Result<(Backend, String)> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((Backend::Postgres, url.to_string()));
    }
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let rest = rest.trim_start_matches("//");
        if rest.is_empty() || rest == ":memory:" {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        }
        let url = if rest.contains("mode=") {
            format!("sqlite://{rest}")
        } else if rest.contains('?') {
            format!("sqlite://{rest}&mode=rwc")
        } else {
            format!("sqlite://{rest}?mode=rwc")
        };
        return Ok((Backend::Sqlite, url));
    }
    Err(StoreError::UnsupportedUrl(url.to_string()))
}

/// Now, as the RFC 3339 text every table stores (millisecond precision, `Z`), so text order is time order.
pub fn now() -> String {
    timestamp(chrono::Utc::now())
}

pub fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A fresh random identifier with a readable prefix, e.g. `desc_3f9a...`.
pub fn new_id(prefix: &str) -> String {
    let mut bytes = [0u8; 12];
    // getrandom failing means the OS has no entropy source; nothing sensible can go on.
    fill_random(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}_{hex}")
}

fn fill_random(bytes: &mut [u8]) {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    // Identifiers need uniqueness, not secrecy: a per-process random hasher seed plus a counter and
    // the clock is enough and keeps this crate free of a randomness dependency.
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let state = RandomState::new();
    for chunk in bytes.chunks_mut(8) {
        let mut hasher = state.build_hasher();
        hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        hasher.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos(),
        );
        hasher.write_u32(std::process::id());
        let value = hasher.finish().to_le_bytes();
        chunk.copy_from_slice(&value[..chunk.len()]);
    }
}

fn get_str(row: &AnyRow, column: &str) -> Result<String> {
    row.try_get::<String, _>(column).map_err(StoreError::from)
}

fn get_opt_str(row: &AnyRow, column: &str) -> Result<Option<String>> {
    row.try_get::<Option<String>, _>(column).map_err(StoreError::from)
}

fn get_i64(row: &AnyRow, column: &str) -> Result<i64> {
    row.try_get::<i64, _>(column).map_err(StoreError::from)
}

fn get_opt_i64(row: &AnyRow, column: &str) -> Result<Option<i64>> {
    row.try_get::<Option<i64>, _>(column).map_err(StoreError::from)
}

fn parse<T: FromStr>(value: &str, what: &str) -> Result<T> {
    value
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("{what} {value:?}")))
}

/// Unique violations become `Duplicate`, so the caller can answer 409 instead of 500.
fn map_unique(error: sqlx::Error, what: impl Into<String>) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Duplicate(what.into()),
        _ => StoreError::Database(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_are_created_when_missing() {
        assert_eq!(
            normalise_url("sqlite://a.db").unwrap().1,
            "sqlite://a.db?mode=rwc"
        );
        assert_eq!(normalise_url("sqlite:a.db").unwrap().1, "sqlite://a.db?mode=rwc");
        assert_eq!(
            normalise_url("sqlite://a.db?mode=ro").unwrap().1,
            "sqlite://a.db?mode=ro"
        );
        assert!(matches!(
            normalise_url("mysql://x"),
            Err(StoreError::UnsupportedUrl(_))
        ));
        assert_eq!(normalise_url("postgresql://h/db").unwrap().0, Backend::Postgres);
    }

    #[test]
    fn ids_are_unique_and_prefixed() {
        let a = new_id("desc");
        let b = new_id("desc");
        assert_ne!(a, b);
        assert!(a.starts_with("desc_") && a.len() == 5 + 24);
    }
}

/// Create a PostgreSQL database on the server of `admin_url` and return its URL (for deployments and
/// tests that give each run its own database). `name` must be a plain lowercase identifier.
pub async fn create_postgres_database(admin_url: &str, name: &str) -> Result<String> {
    use sqlx::{Connection, Executor};
    check_identifier(name)?;
    let mut conn = sqlx::PgConnection::connect(admin_url).await?;
    conn.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .map_err(|e| map_unique(e, name))?;
    conn.close().await?;
    Ok(postgres_database_url(admin_url, name))
}

/// Drop a database made by [`create_postgres_database`], disconnecting its sessions.
pub async fn drop_postgres_database(admin_url: &str, name: &str) -> Result<()> {
    use sqlx::{Connection, Executor};
    check_identifier(name)?;
    let mut conn = sqlx::PgConnection::connect(admin_url).await?;
    conn.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
        .await?;
    conn.close().await?;
    Ok(())
}

fn check_identifier(name: &str) -> Result<()> {
    let plain = !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        Ok(())
    } else {
        Err(StoreError::UnsupportedUrl(format!(
            "database name {name:?} (use a-z, 0-9 and _)"
        )))
    }
}

/// The URL of database `name` on the server of `url` (same user, host and options).
pub fn postgres_database_url(url: &str, name: &str) -> String {
    let (without_query, query) = match url.split_once('?') {
        Some((url, query)) => (url, format!("?{query}")),
        None => (url, String::new()),
    };
    let scheme_end = without_query.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match without_query[scheme_end..].find('/') {
        Some(slash) => &without_query[..scheme_end + slash],
        None => without_query,
    };
    format!("{base}/{name}{query}")
}

#[cfg(test)]
mod url_tests {
    #[test]
    fn database_urls_keep_user_host_and_options() {
        let url =
            super::postgres_database_url("postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "mc_1");
        assert_eq!(url, "postgres://postgres@127.0.0.1:5432/mc_1?sslmode=disable");
        assert_eq!(
            super::postgres_database_url("postgres://h", "x"),
            "postgres://h/x"
        );
        assert!(super::check_identifier("mc_1; DROP").is_err());
    }
}
