//! What the conformance suite cannot reach through the traits: the database itself refuses to
//! rewrite the ledger, ERN numbers stop at six digits, and the group commit's throughput.

use std::time::Instant;

use dokaz_model::CustodyAction;
use dokaz_store::conformance::{agency, custody, evidence, intake};
use dokaz_store::sql::batch::{prepare_batch, prepare_writes};
use dokaz_store::{AgencyStore, EvidenceStore, LedgerStore, StoreError};
use dokaz_store_sqlite::SqliteStore;
use sqlx::SqlitePool;

/// A store and a raw connection to the same file, as a tamperer with file access has.
async fn fresh() -> (SqliteStore, SqlitePool) {
    // Leaked on purpose: the directory must outlive the store, and the OS cleans /tmp.
    let dir = tempfile::tempdir().expect("temp dir").keep();
    let url = format!("sqlite://{}/dokaz.db", dir.display());
    let store = SqliteStore::open(&url).await.expect("open SQLite store");
    let raw = SqlitePool::connect(&url).await.expect("raw connection");
    (store, raw)
}

#[tokio::test]
async fn the_database_refuses_to_rewrite_history() {
    let (s, raw) = fresh().await;
    let a = agency("TAMPER");
    s.create_agency(&a).await.unwrap();
    let e = evidence(&a, 1);
    s.append_custody(&[intake(&e), custody(&e, CustodyAction::Access)])
        .await
        .unwrap();
    let before = s.ledger_entries(0, 2).await.unwrap();
    for sql in [
        "UPDATE custody_events SET evidence_id = evidence_id",
        "DELETE FROM custody_events",
        "UPDATE ledger_entries SET entry = x'00'",
        "DELETE FROM ledger_entries WHERE idx = 1",
        "UPDATE checkpoints SET note = ''",
    ] {
        if sql.contains("checkpoints") {
            sqlx::query("INSERT INTO checkpoints VALUES (2, 'note', 0)")
                .execute(&raw)
                .await
                .unwrap();
        }
        let err = sqlx::query(sql).execute(&raw).await.unwrap_err();
        assert!(err.to_string().contains("never"), "{sql}: {err}");
    }
    assert_eq!(s.ledger_entries(0, 2).await.unwrap(), before);
    assert_eq!(s.custody_history(e.id).await.unwrap().len(), 2);
}

#[tokio::test]
async fn ern_sequences_stop_at_six_digits() {
    let (s, raw) = fresh().await;
    let a = agency("FULL");
    s.create_agency(&a).await.unwrap();
    assert_eq!(s.next_ern_sequence(a.id, "BIG").await.unwrap(), 1);
    sqlx::query("UPDATE ern_sequences SET last = 999998")
        .execute(&raw)
        .await
        .unwrap();
    assert_eq!(s.next_ern_sequence(a.id, "BIG").await.unwrap(), 999_999);
    for _ in 0..2 {
        let err = s.next_ern_sequence(a.id, "BIG").await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
        assert!(err.to_string().contains("999999 sequence numbers"), "{err}");
    }
    // Other segments are unaffected.
    assert_eq!(s.next_ern_sequence(a.id, "NEXT").await.unwrap(), 1);
}

/// Group commits of 10,000 intakes each, then of 10,000 accesses (ten of each in release). Run in release for
/// the throughput figures:
/// `cargo test --release -p dokaz-store-sqlite --test vault_sql -- --nocapture throughput`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_commit_throughput() {
    let (s, _raw) = fresh().await;
    let a = agency("BULK");
    s.create_agency(&a).await.unwrap();
    // A debug build only checks that large batches work; the figure is a release build's.
    let n: u32 = if cfg!(debug_assertions) {
        20_000
    } else {
        100_000
    };
    let items: Vec<_> = (1..=n).map(|k| evidence(&a, k)).collect();
    let intakes: Vec<_> = items.iter().map(intake).collect();
    let accesses: Vec<_> = items
        .iter()
        .map(|e| custody(e, CustodyAction::Access))
        .collect();

    let t = Instant::now();
    for batch in intakes.chunks(10_000) {
        prepare_batch(&prepare_writes(batch).unwrap()).unwrap();
    }
    let prepare = t.elapsed().as_secs_f64();
    for (what, writes) in [("intakes", &intakes), ("accesses", &accesses)] {
        let t = Instant::now();
        for batch in writes.chunks(10_000) {
            s.append_custody(batch).await.unwrap();
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "sqlite: {n} {what} in {secs:.2} s = {:.0} appends/s \
             (preparing intakes alone: {prepare:.2} s)",
            f64::from(n) / secs
        );
    }
    assert_eq!(s.ledger_size().await.unwrap(), 2 * u64::from(n));
}
