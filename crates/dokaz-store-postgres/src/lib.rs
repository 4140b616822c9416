//! dokaz storage on PostgreSQL: for an agency, or several, that run a shared server and more
//! than one dokaz node against it.
//!
//! The same tables as the SQLite backend, with native types (`UUID`, `JSONB`, `TIMESTAMPTZ`).
//! Documents are written as text and cast to `JSONB`, and read back with `doc::text`, so the
//! serde helpers of `dokaz_store::sql` serve both backends; key order in `JSONB` differs from
//! what was written, which serde does not care about.
#![forbid(unsafe_code)]

mod agencies;
mod append;
mod audit;
mod docs;
mod evidence;
mod grants;
mod incidents;
mod interop;
mod ledger;
mod matching;
mod provenance;
mod records;
mod sessions;
mod users;

#[cfg(feature = "testing")]
pub mod testing;

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use dokaz_store::{Store, StoreError, StoreResult};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

/// A dokaz store in one PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user:password@host/dokaz`) and applies
    /// pending migrations. Several nodes may open the same database at once: the migrator
    /// holds an advisory lock while it works.
    pub async fn open(url: &str) -> StoreResult<Self> {
        // The URL may carry a password: it stays out of errors and logs.
        let opts = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Backend(format!("bad PostgreSQL URL: {e}")))?;
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(opts)
            .await
            .map_err(|e| StoreError::Backend(format!("connecting to PostgreSQL: {e}")))?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Backend(format!("migrating the PostgreSQL database: {e}")))?;
        tracing::debug!("opened PostgreSQL store");
        Ok(Self { pool })
    }
}

#[async_trait]
impl Store for PostgresStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}
