//! What the conformance suite cannot reach through the traits: the database itself refuses to
//! rewrite the ledger, ERN numbers stop at six digits, and the group commit's throughput.

use std::str::FromStr;
use std::time::Instant;

use dokaz_model::CustodyAction;
use dokaz_store::conformance::{agency, custody, evidence, intake};
use dokaz_store::sql::batch::{prepare_batch, prepare_writes};
use dokaz_store::sql::to_doc;
use dokaz_store::{AgencyStore, EvidenceStore, LedgerStore, StoreError};
use dokaz_store_sqlite::SqliteStore;
use sqlx::sqlite::SqliteConnectOptions;
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

/// A database written before migration 0008, whose custody rows carry a JSON copy of each
/// event, upgrades: the rows keep their index, event and item, the history is read from the
/// entries, and the rebuilt table is append-only like the old one. The JSON copies are kept,
/// as they were, in the append-only archive, an edited one too: it is evidence (`fsck`
/// reports it; see dokaz-vault's tests/fsck.rs).
#[tokio::test]
async fn custody_rows_of_an_older_database_are_carried_forward() {
    let dir = tempfile::tempdir().expect("temp dir").keep();
    let url = format!("sqlite://{}/dokaz.db", dir.display());
    let opts = SqliteConnectOptions::from_str(&url)
        .unwrap()
        .create_if_missing(true)
        .foreign_keys(true);
    let old = SqlitePool::connect_with(opts).await.unwrap();
    let mut before = sqlx::migrate!("./migrations");
    before.migrations = before
        .migrations
        .iter()
        // Every migration before this one, whatever the others are numbered.
        .filter(|m| m.version < 8)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    before.run(&old).await.unwrap();
    // The rows as the store wrote them before 0008; the second event's copy edited.
    let a = agency("OLD");
    let e = evidence(&a, 1);
    let writes = prepare_writes(&[intake(&e), custody(&e, CustodyAction::Access)]).unwrap();
    sqlx::query("INSERT INTO agencies (id, code, doc) VALUES (?, ?, ?)")
        .bind(a.id.as_uuid())
        .bind(a.code.to_string())
        .bind(to_doc(&a).unwrap())
        .execute(&old)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO evidence (id, agency_id, ern, sha256, classification, doc) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(e.id.as_uuid())
    .bind(a.id.as_uuid())
    .bind(e.ern.to_string())
    .bind(&e.sha256.0[..])
    .bind(e.classification.code())
    .bind(to_doc(&e).unwrap())
    .execute(&old)
    .await
    .unwrap();
    let mut docs: Vec<String> = writes
        .iter()
        .map(|w| to_doc(&w.write().event).unwrap())
        .collect();
    let mut edited = writes[1].write().event.clone();
    edited.reason = "edited after the fact".into();
    docs[1] = to_doc(&edited).unwrap();
    assert_ne!(docs[1], to_doc(&writes[1].write().event).unwrap());
    for (i, w) in writes.iter().enumerate() {
        let ev = &w.write().event;
        sqlx::query("INSERT INTO ledger_entries (idx, kind, entry, leaf_hash) VALUES (?, ?, ?, ?)")
            .bind(i as i64)
            .bind("custody")
            .bind(w.entry())
            .bind(&w.leaf_hash()[..])
            .execute(&old)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO custody_events (id, evidence_id, ledger_index, doc) VALUES (?, ?, ?, ?)",
        )
        .bind(ev.id.as_uuid())
        .bind(ev.evidence.as_uuid())
        .bind(i as i64)
        .bind(&docs[i])
        .execute(&old)
        .await
        .unwrap();
    }
    old.close().await;

    let s = SqliteStore::open(&url).await.unwrap();
    let expected: Vec<_> = writes
        .iter()
        .enumerate()
        .map(|(i, w)| (i as u64, w.write().event.clone()))
        .collect();
    let history: Vec<_> = s
        .custody_history(e.id)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.ledger_index, r.event))
        .collect();
    assert_eq!(history, expected);
    let rows = s.custody_rows(0, 10).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows
        .iter()
        .zip(&expected)
        .all(|(r, (i, ev))| r.ledger_index == *i && r.id == ev.id && r.evidence == e.id));
    // Appending goes on after the carried-forward rows.
    let more = s
        .append_custody(&[custody(&e, CustodyAction::Export)])
        .await
        .unwrap();
    assert_eq!(more, vec![2]);
    let raw = SqlitePool::connect(&url).await.unwrap();
    // The old copies are kept, as they were stored, the edited one too, and nothing is
    // archived for the event appended after the upgrade.
    let archived: Vec<(i64, String)> =
        sqlx::query_as("SELECT ledger_index, doc FROM custody_documents_archive ORDER BY 1")
            .fetch_all(&raw)
            .await
            .unwrap();
    assert_eq!(archived, vec![(0, docs[0].clone()), (1, docs[1].clone())]);
    let kept = s.archived_custody_documents(0, 100).await.unwrap();
    assert_eq!(
        kept.iter()
            .map(|d| (d.ledger_index, d.doc.clone()))
            .collect::<Vec<_>>(),
        vec![(0, docs[0].clone()), (1, docs[1].clone())]
    );
    // Paged by index.
    let page = s.archived_custody_documents(0, 1).await.unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].ledger_index, 0);
    let page = s.archived_custody_documents(1, 1).await.unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].doc, docs[1]);
    assert!(s
        .archived_custody_documents(2, 100)
        .await
        .unwrap()
        .is_empty());
    for sql in [
        "UPDATE custody_events SET evidence_id = evidence_id",
        "DELETE FROM custody_events",
        "UPDATE custody_documents_archive SET doc = '{}'",
        "DELETE FROM custody_documents_archive",
        "DELETE FROM custody_documents_archive WHERE ledger_index = 1",
    ] {
        let err = sqlx::query(sql).execute(&raw).await.unwrap_err();
        assert!(err.to_string().contains("never"), "{sql}: {err}");
    }
    assert_eq!(s.archived_custody_documents(0, 100).await.unwrap(), kept);
}

/// A fresh database's archive of pre-0008 custody documents is empty and stays so.
#[tokio::test]
async fn a_fresh_database_archives_nothing() {
    let (s, raw) = fresh().await;
    let a = agency("NEW");
    s.create_agency(&a).await.unwrap();
    let e = evidence(&a, 1);
    s.append_custody(&[intake(&e), custody(&e, CustodyAction::Access)])
        .await
        .unwrap();
    assert!(s
        .archived_custody_documents(0, 100)
        .await
        .unwrap()
        .is_empty());
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM custody_documents_archive")
        .fetch_one(&raw)
        .await
        .unwrap();
    assert_eq!(n, 0);
}
