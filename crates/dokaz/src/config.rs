//! Configuration, in layers: built-in defaults, then `<data dir>/dokaz.toml`, then `DOKAZ_`
//! environment variables (`__` for nesting: `DOKAZ_BLOBS__URL`), then command-line flags.
//! Every field is documented here, where it is declared; `dokaz.example.toml` shows them all.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

/// The name of the configuration file inside the data directory.
pub const CONFIG_FILE: &str = "dokaz.toml";

/// Environment variables that belong to the command line or the tests, not to the file's
/// settings, so the layering does not mistake them for settings.
const NOT_SETTINGS: &[&str] = &["DATA_DIR", "TEST_DATABASE_URL", "LOG"];

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Where the registry lives: `sqlite://PATH` or `postgres://USER@HOST/DB`. Empty means
    /// `sqlite://<data dir>/dokaz.db`.
    pub database_url: String,
    /// The agency this node's command-line work is recorded for, by code (set by `init`).
    pub agency: String,
    pub blobs: BlobConfig,
    pub ledger: LedgerConfig,
    pub server: ServerConfig,
    pub matching: MatchingConfig,
}

/// Where evidence bytes are kept.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BlobConfig {
    /// A local folder (`file:///abs/path` or a path) or `s3://bucket/prefix`. Empty means
    /// `<data dir>/blobs`.
    pub url: String,
    pub s3: S3Config,
}

/// Settings for an S3-compatible store (AWS, Garage, MinIO, Ceph).
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct S3Config {
    /// e.g. `http://127.0.0.1:3900`; empty for AWS itself.
    pub endpoint: String,
    pub region: String,
    pub access_key_id: String,
    /// Never logged or printed: `Debug` shows it redacted.
    pub secret_access_key: String,
    /// Allow plain HTTP endpoints (a store on the same host or network).
    pub allow_http: bool,
}

impl fmt::Debug for S3Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Config")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field(
                "secret_access_key",
                &if self.secret_access_key.is_empty() {
                    ""
                } else {
                    "<redacted>"
                },
            )
            .field("allow_http", &self.allow_http)
            .finish()
    }
}

/// The custody ledger's identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LedgerConfig {
    /// The log's origin line in every checkpoint (C2SP tlog-checkpoint), unique per log;
    /// also the signing key's name. Set by `init`.
    pub origin: String,
    /// The node's Ed25519 signing key (C2SP signed-note secret key), relative to the data
    /// directory. Kept with file mode 0600.
    pub key_file: PathBuf,
}

impl Default for LedgerConfig {
    fn default() -> Self {
        Self {
            origin: String::new(),
            key_file: PathBuf::from("node.key"),
        }
    }
}

/// Deconfliction (`dokaz match`, and matching on every write).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MatchingConfig {
    /// The deployment's matching key (32 random bytes, hex), relative to the data directory:
    /// every blocking key and blind encoding is keyed with it. All agencies of a deployment
    /// share it; made on first use, mode 0600.
    pub key_file: PathBuf,
    /// Weights and thresholds estimated by `dokaz match calibrate` (TOML); empty for the
    /// built-in ones.
    pub weights_file: PathBuf,
    /// Keep each record's best match per other agency only in batch runs (each agency is
    /// taken to have one record per real incident or person).
    pub one_to_one: bool,
}

impl Default for MatchingConfig {
    fn default() -> Self {
        Self {
            key_file: PathBuf::from("match.key"),
            weights_file: PathBuf::new(),
            one_to_one: true,
        }
    }
}

/// The HTTP server (`dokaz serve`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Address and port to listen on. Loopback by default: exposing a node is a decision.
    pub bind: String,
    /// The largest evidence upload over the API, in bytes (default 64 GiB). Uploads stream to
    /// the blob store, so this bounds storage, not memory.
    pub max_upload: u64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8700".into(),
            max_upload: 64 << 30,
        }
    }
}

impl Config {
    /// Reads the layers for a data directory. A missing `dokaz.toml` is not an error (the
    /// defaults and environment still apply); a malformed one is, with the file named.
    pub fn load(data_dir: &Path) -> anyhow::Result<Self> {
        let file = data_dir.join(CONFIG_FILE);
        Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(&file))
            .merge(
                Env::prefixed("DOKAZ_")
                    .split("__")
                    .ignore(NOT_SETTINGS)
                    .lowercase(true),
            )
            .extract()
            .with_context(|| {
                format!(
                    "reading the configuration ({} and DOKAZ_ variables)",
                    file.display()
                )
            })
    }

    /// The database URL to use, with the data directory's SQLite file as the default.
    pub fn database_url(&self, data_dir: &Path) -> String {
        if self.database_url.is_empty() {
            format!("sqlite://{}", data_dir.join("dokaz.db").display())
        } else {
            self.database_url.clone()
        }
    }

    /// The blob store URL, with `<data dir>/blobs` as the default.
    pub fn blob_url(&self, data_dir: &Path) -> String {
        if self.blobs.url.is_empty() {
            data_dir.join("blobs").display().to_string()
        } else {
            self.blobs.url.clone()
        }
    }

    pub fn key_path(&self, data_dir: &Path) -> PathBuf {
        data_dir.join(&self.ledger.key_file)
    }

    /// The file `init` writes: only what differs from the defaults, with comments.
    pub fn to_toml(&self) -> anyhow::Result<String> {
        let body = toml::to_string_pretty(self)?;
        Ok(format!(
            "# dokaz node configuration. Every setting can also be given as a DOKAZ_ environment\n\
             # variable (DOKAZ_DATABASE_URL, DOKAZ_BLOBS__URL, ...); see dokaz.example.toml.\n\n{body}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_debug() {
        let mut c = Config::default();
        c.blobs.s3.secret_access_key = "hunter2".into();
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    // figment's Jail closure must return figment's own (large) error type.
    #[allow(clippy::result_large_err)]
    fn layers_apply_in_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "agency = \"UAPGO\"\n[server]\nbind = \"127.0.0.1:9000\"\n",
        )
        .unwrap();
        figment::Jail::expect_with(|jail| {
            jail.set_env("DOKAZ_SERVER__BIND", "0.0.0.0:8800");
            jail.set_env("DOKAZ_DATA_DIR", "/ignored");
            let c = Config::load(dir.path()).map_err(|e| e.to_string())?;
            assert_eq!(c.agency, "UAPGO", "from the file");
            assert_eq!(c.server.bind, "0.0.0.0:8800", "environment beats file");
            assert_eq!(c.ledger.key_file, PathBuf::from("node.key"), "default");
            Ok(())
        });
    }

    #[test]
    fn the_example_file_names_every_setting_and_parses() {
        let example = include_str!("../../../dokaz.example.toml");
        let parsed: Config = toml::from_str(example).expect("dokaz.example.toml parses");
        // Every field written out by `init` appears in the example.
        let written = Config::default().to_toml().unwrap();
        for line in written.lines().filter(|l| l.contains(" = ")) {
            let key = line.split(" = ").next().unwrap();
            assert!(
                example.contains(&format!("\n{key} = ")),
                "{key} missing from the example"
            );
        }
        assert_eq!(parsed.server.bind, "127.0.0.1:8700");
    }

    #[test]
    fn unknown_settings_are_refused_with_the_file_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "agnecy = \"X\"\n").unwrap();
        let err = format!("{:#}", Config::load(dir.path()).unwrap_err());
        assert!(err.contains("dokaz.toml"), "{err}");
        assert!(err.contains("agnecy"), "{err}");
    }
}
