//! The storage conformance suite on SQLite, each test on a fresh database file.

use dokaz_store_sqlite::SqliteStore;

async fn fresh() -> SqliteStore {
    // Leaked on purpose: the directory must outlive the store, and the OS cleans /tmp.
    let dir = tempfile::tempdir().expect("temp dir").keep();
    let url = format!("sqlite://{}/dokaz.db", dir.display());
    SqliteStore::open(&url).await.expect("open SQLite store")
}

dokaz_store::conformance_suite!(fresh());
