//! What the import tests share: fresh stores of both backends, an agency, and an import of a
//! file on disk as the command line runs it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use dokaz_import::sync::{self, Report, RowOutcome, SyncError, SyncOptions};
use dokaz_import::{Context, Format, Kind, Mapping, ReadOptions, RowReader};
use dokaz_model::{Agency, AgencyId, AgencyKind};
use dokaz_store::Store;

pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

pub async fn sqlite() -> Arc<dyn Store> {
    // Leaked on purpose: the directory must outlive the store.
    let dir = tempfile::tempdir().expect("temp dir").keep();
    let url = format!("sqlite://{}/dokaz.db", dir.display());
    Arc::new(
        dokaz_store_sqlite::SqliteStore::open(&url)
            .await
            .expect("open SQLite"),
    )
}

pub async fn postgres() -> Arc<dyn Store> {
    let url = dokaz_store_postgres::testing::TestCluster::shared()
        .await
        .fresh_database()
        .await;
    Arc::new(
        dokaz_store_postgres::PostgresStore::open(&url)
            .await
            .expect("open PostgreSQL"),
    )
}

pub async fn agency(store: &dyn Store, code: &str) -> AgencyId {
    let a = Agency {
        id: AgencyId::new(),
        code: code.parse().unwrap(),
        name: format!("Agency {code}"),
        kind: AgencyKind::NationalProsecutor,
        country: "UA".into(),
        created_at: Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap(),
    };
    store.create_agency(&a).await.unwrap();
    a.id
}

/// How to import one file.
#[derive(Debug, Clone)]
pub struct Import<'a> {
    pub kind: Kind,
    pub path: PathBuf,
    pub mapping: Option<&'a str>,
    pub source: &'a str,
    pub dry_run: bool,
    pub skip_invalid: bool,
    pub encoding: Option<dokaz_import::Encoding>,
}

impl<'a> Import<'a> {
    pub fn new(kind: Kind, path: PathBuf, source: &'a str) -> Self {
        Self {
            kind,
            path,
            mapping: None,
            source,
            dry_run: false,
            skip_invalid: false,
            encoding: None,
        }
    }

    pub fn mapping(mut self, m: &'a str) -> Self {
        self.mapping = Some(m);
        self
    }

    pub fn dry_run(mut self) -> Self {
        self.dry_run = true;
        self
    }

    pub fn skip_invalid(mut self) -> Self {
        self.skip_invalid = true;
        self
    }

    pub async fn run(
        &self,
        store: &dyn Store,
        agency: AgencyId,
    ) -> Result<(Report, Vec<RowOutcome>), SyncError> {
        let mapping = self.mapping.map(|m| {
            Mapping::builtin(m)
                .map(|r| r.unwrap())
                .unwrap_or_else(|| Mapping::parse(&std::fs::read_to_string(m).unwrap()).unwrap())
        });
        let now = Utc::now();
        let opts = ReadOptions {
            kind: self.kind,
            format: Format::from_path(&self.path),
            encoding: self.encoding,
            delimiter: None,
            mapping,
            ctx: Context {
                agency,
                user: None,
                now,
            },
        };
        let path = self.path.clone();
        let open = || RowReader::open(std::fs::File::open(&path)?, opts.clone());
        let sync_opts = SyncOptions {
            agency,
            source: self.source.to_owned(),
            actor: None,
            now,
            dry_run: self.dry_run,
            skip_invalid: self.skip_invalid,
        };
        let mut rows = Vec::new();
        let report = sync::run(open, store, &sync_opts, |o| rows.push(o.clone()), |_| {}).await?;
        Ok((report, rows))
    }
}

/// `(created, updated, unchanged, refused)`.
pub fn counts(r: &Report) -> (u64, u64, u64, u64) {
    let s = &r.summary;
    (s.created, s.updated, s.unchanged, s.refused)
}
