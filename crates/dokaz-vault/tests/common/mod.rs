//! A vault on a fresh SQLite file and local blob folder, and the tools tests use to play
//! the attacker: raw SQL on the database file with the append-only triggers dropped.
#![allow(dead_code)]

use std::sync::Arc;

use chrono::Utc;
use dokaz_ledger::Signer;
use dokaz_model::{Agency, AgencyId, AgencyKind, Classification, CollectionMethod};
use dokaz_store::blob::{BlobOptions, BlobStore};
use dokaz_store::{AgencyStore, Store};
use dokaz_store_sqlite::SqliteStore;
use dokaz_vault::{IntakeRequest, Vault};
use sqlx::Connection;

pub const ORIGIN: &str = "dokaz.test/vault";

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub store: Arc<SqliteStore>,
    pub blobs: BlobStore,
    pub signer_secret: String,
    pub vault: Vault,
    pub agency: Agency,
}

pub fn agency(code: &str) -> Agency {
    Agency {
        id: AgencyId::new(),
        code: code.parse().unwrap(),
        name: format!("Agency {code}"),
        kind: AgencyKind::NationalProsecutor,
        country: "UA".into(),
        created_at: Utc::now(),
    }
}

pub fn db_url(dir: &tempfile::TempDir) -> String {
    format!("sqlite://{}", dir.path().join("dokaz.db").display())
}

pub async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(&db_url(&dir)).await.unwrap());
    let agency = agency("PGO");
    store.create_agency(&agency).await.unwrap();
    let options = BlobOptions {
        part_size: 1 << 20,
        ..BlobOptions::default()
    };
    let blobs = BlobStore::open(dir.path().join("blobs").to_str().unwrap(), &options).unwrap();
    let signer = Signer::generate(ORIGIN).unwrap();
    let signer_secret = signer.to_secret_string();
    let vault = Vault::open(store.clone(), blobs.clone(), signer, ORIGIN)
        .await
        .unwrap();
    Fixture {
        dir,
        store,
        blobs,
        signer_secret,
        vault,
        agency,
    }
}

impl Fixture {
    /// A new vault on the same files, as after a restart.
    pub async fn reopen(&self) -> Vault {
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&db_url(&self.dir)).await.unwrap());
        Vault::open(
            store,
            self.blobs.clone(),
            Signer::parse(&self.signer_secret).unwrap(),
            ORIGIN,
        )
        .await
        .unwrap()
    }

    /// Runs SQL on the database file as an attacker: foreign keys off, the append-only
    /// triggers dropped.
    pub async fn tamper(&self, sql: &str) {
        let mut conn = sqlx::SqliteConnection::connect(&db_url(&self.dir))
            .await
            .unwrap();
        for stmt in [
            "PRAGMA foreign_keys = OFF",
            "DROP TRIGGER IF EXISTS ledger_entries_no_update",
            "DROP TRIGGER IF EXISTS ledger_entries_no_delete",
            "DROP TRIGGER IF EXISTS custody_events_no_update",
            "DROP TRIGGER IF EXISTS custody_events_no_delete",
            "DROP TRIGGER IF EXISTS checkpoints_no_update",
            "DROP TRIGGER IF EXISTS checkpoints_no_delete",
            "DROP TRIGGER IF EXISTS audit_log_no_update",
            "DROP TRIGGER IF EXISTS audit_log_no_delete",
        ] {
            sqlx::query(stmt).execute(&mut conn).await.unwrap();
        }
        sqlx::query(sql).execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
    }
}

pub fn request(agency: &Agency, name: &str) -> IntakeRequest {
    IntakeRequest {
        agency: agency.id,
        agency_code: agency.code.clone(),
        case: None,
        original_name: name.to_owned(),
        collector: "Investigator Test".into(),
        method: CollectionMethod::Forensic,
        source_url: None,
        incidents: Vec::new(),
        classification: Classification::Restricted,
        actor: None,
        declared_sha256: None,
        collection: None,
    }
}

/// Deterministic bytes that are not a repeating pattern (seeds differing only in the lowest
/// bit give the same bytes).
pub fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}
