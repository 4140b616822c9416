//! Writes wait for the write lock instead of failing while another connection holds it: a
//! WAL checkpoint that restarts the log (the store's own checkpointer, or `sqlite3` run by
//! an administrator beside the server) holds the lock while it waits for readers to leave.
//! A transaction that read before writing used to fail at once with "database is locked".

use std::time::Duration;

use chrono::{TimeZone, Utc};
use dokaz_model::{Match, MatchKind, MatchSide};
use dokaz_store::conformance::agency;
use dokaz_store::{AgencyStore, MatchStore};
use dokaz_store_sqlite::SqliteStore;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};
use uuid::Uuid;

#[tokio::test]
async fn a_write_waits_for_a_restarting_checkpoint_instead_of_failing() {
    // Leaked on purpose: the directory must outlive the store, and the OS cleans /tmp.
    let dir = tempfile::tempdir().expect("temp dir").keep();
    let path = dir.join("dokaz.db");
    let s = SqliteStore::open(&format!("sqlite://{}", path.display()))
        .await
        .expect("open SQLite store");
    let (a, b) = (agency("LCKA"), agency("LCKB"));
    s.create_agency(&a).await.unwrap();
    s.create_agency(&b).await.unwrap();
    let opts = SqliteConnectOptions::new()
        .filename(&path)
        .busy_timeout(Duration::from_secs(2));

    // A reader in the middle of a long read: a restarting checkpoint must wait for it.
    let mut reader = SqliteConnection::connect_with(&opts).await.unwrap();
    sqlx::query("BEGIN").execute(&mut reader).await.unwrap();
    let _: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM agencies")
        .fetch_one(&mut reader)
        .await
        .unwrap();
    // The checkpoint takes the write lock and holds it while it waits for the reader, up
    // to its busy timeout of 2 s.
    let mut admin = SqliteConnection::connect_with(&opts).await.unwrap();
    let checkpoint = tokio::spawn(async move {
        // Busy (a reader stayed) is its answer, not a failure of this test.
        let _ = sqlx::query("PRAGMA wal_checkpoint(RESTART)")
            .fetch_one(&mut admin)
            .await;
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!checkpoint.is_finished(), "the checkpoint is still waiting");

    // Recording a match reads the pairs already stored, then writes.
    let at = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
    let m = Match::new(
        MatchKind::Incident,
        MatchSide::new(Uuid::now_v7(), a.id, false),
        MatchSide::new(Uuid::now_v7(), b.id, false),
        5.0,
        "same place, same day".into(),
        at,
    );
    let recorded = s.record_matches(std::slice::from_ref(&m)).await;
    assert!(
        recorded.is_ok(),
        "the write waited for the lock: {recorded:?}"
    );
    assert_eq!(s.match_by_id(m.id).await.unwrap().id, m.id);
    checkpoint.await.unwrap();
    sqlx::query("COMMIT").execute(&mut reader).await.unwrap();
}
