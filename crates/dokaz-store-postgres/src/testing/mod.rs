//! A throwaway PostgreSQL server for tests (feature `testing`): one per test process, with a
//! fresh database per test, so tests of every crate run against a real PostgreSQL in
//! isolation and in parallel.
//!
//! With `DOKAZ_TEST_DATABASE_URL` set (a server URL whose user may `CREATE DATABASE`), that
//! server is used; otherwise a cluster is started from the installed PostgreSQL binaries
//! (see `testing/local.rs`) and stopped when the test process ends.

mod local;

use sqlx::{Connection, PgConnection};
use tokio::sync::OnceCell;
use url::Url;
use uuid::Uuid;

/// The environment variable naming an existing server to test against.
pub const DATABASE_URL_VAR: &str = "DOKAZ_TEST_DATABASE_URL";

/// A PostgreSQL server that tests may create databases on.
#[derive(Debug)]
pub struct TestCluster {
    /// A URL of the server's maintenance database; fresh databases get the same URL with
    /// their own name.
    admin: Url,
    /// The cluster this process started, if it did not use `DOKAZ_TEST_DATABASE_URL`.
    local: Option<local::LocalServer>,
}

/// Failure is kept too, so that every test reports why instead of each retrying the start.
static SHARED: OnceCell<Result<TestCluster, String>> = OnceCell::const_new();

impl TestCluster {
    /// The server shared by every test of this process, started on first use.
    ///
    /// # Panics
    /// When no server can be reached or started; the message says what to install or set.
    pub async fn shared() -> &'static TestCluster {
        let cluster = SHARED.get_or_init(Self::start).await;
        match cluster {
            Ok(c) => c,
            Err(e) => panic!("no PostgreSQL server for tests: {e}"),
        }
    }

    async fn start() -> Result<Self, String> {
        if let Some(url) = std::env::var(DATABASE_URL_VAR)
            .ok()
            .filter(|u| !u.is_empty())
        {
            return Self::external(&url);
        }
        let server = tokio::task::spawn_blocking(local::LocalServer::start)
            .await
            .map_err(|e| format!("starting PostgreSQL panicked: {e}"))??;
        let admin = Url::parse(&format!(
            "postgres://{}@127.0.0.1:{}/postgres",
            local::SUPERUSER,
            server.port
        ))
        .map_err(|e| e.to_string())?;
        Ok(Self {
            admin,
            local: Some(server),
        })
    }

    fn external(url: &str) -> Result<Self, String> {
        // The URL may hold a password: errors name the variable, not its value.
        let admin = Url::parse(url).map_err(|e| format!("{DATABASE_URL_VAR} is not a URL: {e}"))?;
        if !matches!(admin.scheme(), "postgres" | "postgresql") {
            return Err(format!("{DATABASE_URL_VAR} must be a postgres:// URL"));
        }
        Ok(Self { admin, local: None })
    }

    /// The server's maintenance-database URL.
    pub fn server_url(&self) -> &str {
        self.admin.as_str()
    }

    /// Whether this process started the server (rather than using `DOKAZ_TEST_DATABASE_URL`).
    pub fn is_local(&self) -> bool {
        self.local.is_some()
    }

    /// The server log of a cluster this process started, for a test that wants to show it.
    pub fn log_path(&self) -> Option<std::path::PathBuf> {
        self.local.as_ref().map(|l| l.dir.join("log"))
    }

    /// Creates an empty database with a unique name and returns its URL.
    ///
    /// # Panics
    /// When the server refuses; a test cannot go on without its database.
    pub async fn fresh_database(&self) -> String {
        let name = format!("t_{}", Uuid::now_v7().simple());
        // A connection per call, not a pool: each `#[tokio::test]` has its own runtime, and a
        // pool made in one would be dead in the next.
        let mut conn = PgConnection::connect(self.admin.as_str())
            .await
            .unwrap_or_else(|e| panic!("connecting to the test PostgreSQL server: {e}"));
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("creating test database {name}: {e}"));
        let _ = conn.close().await;
        let mut url = self.admin.clone();
        url.set_path(&format!("/{name}"));
        url.into()
    }
}
