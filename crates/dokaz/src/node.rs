//! Opening a node: its configuration layers, its registry database (the backend chosen by the
//! URL's scheme) and the agency command-line work is recorded for.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context as _};
use dokaz_model::{Agency, AgencyCode};
use dokaz_store::{Store, StoreError};

use crate::config::{Config, CONFIG_FILE};
use crate::Global;

/// An opened node.
pub struct Node {
    pub data_dir: PathBuf,
    pub config: Config,
    pub store: Arc<dyn Store>,
}

impl Node {
    /// Opens an initialised node; refuses, with the way out, a directory `init` never made.
    pub async fn open(global: &Global) -> anyhow::Result<Self> {
        let data_dir = global.data_dir.clone();
        if !data_dir.join(CONFIG_FILE).exists() {
            bail!(
                "{} is not a dokaz data directory (no {CONFIG_FILE}); run `dokaz init --data-dir {}` \
                 first, or `dokaz demo` for a node with generated data",
                data_dir.display(),
                data_dir.display()
            );
        }
        let config = Config::load(&data_dir)?;
        let url = global
            .database_url
            .clone()
            .unwrap_or_else(|| config.database_url(&data_dir));
        let store = open_store(&url).await?;
        Ok(Self {
            data_dir,
            config,
            store,
        })
    }

    /// The agency named by `--agency`, else the node's own (`agency` in dokaz.toml).
    pub async fn agency(&self, code: Option<&str>) -> anyhow::Result<Agency> {
        let code = match code {
            Some(c) => c,
            None if !self.config.agency.is_empty() => self.config.agency.as_str(),
            None => bail!("no agency given: pass --agency CODE or set `agency` in dokaz.toml"),
        };
        let parsed: AgencyCode = code.parse().map_err(anyhow::Error::msg)?;
        match self.store.agency_by_code(&parsed).await {
            Ok(a) => Ok(a),
            Err(StoreError::NotFound { .. }) => {
                bail!("no agency with code {code} on this node (see `dokaz admin agency list`)")
            }
            Err(e) => Err(e).context("looking up the agency"),
        }
    }

    pub fn data_path(&self, relative: &Path) -> PathBuf {
        self.data_dir.join(relative)
    }
}

/// Opens the registry at `url`, picking the backend by scheme, and applies migrations.
pub async fn open_store(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    let redacted = redact_url(url);
    if url.starts_with("sqlite:") {
        let s = dokaz_store_sqlite::SqliteStore::open(url)
            .await
            .with_context(|| format!("opening the SQLite database {redacted}"))?;
        Ok(Arc::new(s))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        let s = dokaz_store_postgres::PostgresStore::open(url)
            .await
            .with_context(|| format!("opening the PostgreSQL database {redacted}"))?;
        Ok(Arc::new(s))
    } else {
        bail!("unsupported database URL {redacted}: expected sqlite://PATH or postgres://…")
    }
}

/// The URL without its password, for messages: `postgres://user:secret@host` must never
/// reach a terminal or a log.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact_url("postgres://dokaz:s3cret@db.local:5432/dokaz"),
            "postgres://dokaz:***@db.local:5432/dokaz"
        );
        assert_eq!(redact_url("sqlite:///tmp/x.db"), "sqlite:///tmp/x.db");
        assert_eq!(
            redact_url("postgres://dokaz@host/db"),
            "postgres://dokaz@host/db"
        );
    }
}
