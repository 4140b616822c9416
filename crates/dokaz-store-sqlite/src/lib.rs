//! dokaz storage on embedded SQLite: one file, no server, the default for an agency's laptop.
//!
//! Writes go through a pool of exactly one connection. SQLite allows one writer at a time
//! anyway; serialising writers in-process turns what would be `SQLITE_BUSY` failures under
//! concurrency into a queue, while readers keep their own pool and, under WAL, never block.
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
mod wal;

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use dokaz_store::{Store, StoreError, StoreResult};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

/// A dokaz store in one SQLite database file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    read: SqlitePool,
    write: SqlitePool,
    /// The checkpointer's own connection, kept to close it with the others.
    checkpointer: SqlitePool,
    checkpoints: wal::Checkpoints,
}

impl SqliteStore {
    /// Opens (creating if missing) the database at `url` (`sqlite://path/to/dokaz.db`) and
    /// applies pending migrations.
    pub async fn open(url: &str) -> StoreResult<Self> {
        let opts = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Backend(format!("bad SQLite URL {url:?}: {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a commit is on disk when it returns. Intake acknowledgements depend on it.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30));
        // A group commit of 10,000 custody events dirties some 15 MB of pages; with SQLite's
        // default 2 MB cache the writer would spill and re-read index pages mid-transaction.
        // No ping before handing out a connection: a SQLite connection is a file in this
        // process, not a socket that can drop, and the ping cost a thread hand-off per query.
        // No automatic checkpoint on the writer: `wal::Checkpoints` copies the WAL into the
        // database file on a connection of its own, beside the next transaction.
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .connect_with(
                opts.clone()
                    .pragma("cache_size", "-65536")
                    .pragma("wal_autocheckpoint", "0"),
            )
            .await
            .map_err(StoreError::backend)?;
        sqlx::migrate!("./migrations")
            .run(&write)
            .await
            .map_err(|e| StoreError::Backend(format!("migrating the SQLite database: {e}")))?;
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .test_before_acquire(false)
            .connect_with(opts.clone().read_only(true))
            .await
            .map_err(StoreError::backend)?;
        let checkpointer = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .connect_with(opts.busy_timeout(wal::PATIENCE))
            .await
            .map_err(StoreError::backend)?;
        let checkpoints = wal::Checkpoints::start(checkpointer.clone());
        tracing::debug!(url, "opened SQLite store");
        Ok(Self {
            read,
            write,
            checkpointer,
            checkpoints,
        })
    }
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
        self.checkpointer.close().await;
    }
}

impl SqliteStore {
    /// Starts a write transaction holding the write lock from its first statement. Every
    /// write transaction starts here: a deferred one that reads before it writes cannot wait
    /// for a lock when it upgrades — SQLite answers "database is locked" at once — and the
    /// WAL checkpointer (or a command line beside the server) holds that lock at times.
    /// Taken up front, the lock is waited for like any other, within the busy timeout.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.write.begin_with("BEGIN IMMEDIATE").await
    }
}

/// Microseconds since the epoch: the time columns' unit, exact for every time dokaz stores.
fn micros(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp_micros()
}
