//! What the conformance suite cannot reach through the traits: the database itself refuses to
//! rewrite the ledger, ERN numbers stop at six digits, and the group commit's throughput.

use std::time::Instant;

use dokaz_model::{CustodyAction, CustodyEvent};
use dokaz_store::conformance::{agency, custody, evidence, intake};
use dokaz_store::sql::batch::{prepare_batch, prepare_writes};
use dokaz_store::sql::{from_doc, to_doc};
use dokaz_store::{AgencyStore, EvidenceStore, LedgerStore, StoreError};
use dokaz_store_postgres::testing::TestCluster;
use dokaz_store_postgres::PostgresStore;
use sqlx::PgPool;

/// A store and a raw connection to the same database, as a tamperer with its password has.
async fn fresh() -> (PostgresStore, PgPool) {
    let url = TestCluster::shared().await.fresh_database().await;
    let store = PostgresStore::open(&url)
        .await
        .expect("open PostgreSQL store");
    let raw = PgPool::connect(&url).await.expect("raw connection");
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
        "UPDATE ledger_entries SET entry = '\\x00'",
        "DELETE FROM ledger_entries WHERE idx = 1",
        "TRUNCATE ledger_entries CASCADE",
        "UPDATE checkpoints SET note = ''",
    ] {
        if sql.contains("checkpoints") {
            sqlx::query("INSERT INTO checkpoints VALUES (2, 'note', now())")
                .execute(&raw)
                .await
                .unwrap();
        }
        let err = sqlx::query(sql).execute(&raw).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
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

/// Two nodes on one database append at once: the advisory lock makes them one sequencer,
/// so the log has no gap and no index twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_share_one_sequencer() {
    let url = TestCluster::shared().await.fresh_database().await;
    let nodes = [
        PostgresStore::open(&url).await.unwrap(),
        PostgresStore::open(&url).await.unwrap(),
    ];
    let a = agency("NODES");
    nodes[0].create_agency(&a).await.unwrap();
    let mut tasks = Vec::new();
    for w in 0..8u32 {
        let (node, a) = (nodes[w as usize % 2].clone(), a.clone());
        tasks.push(tokio::spawn(async move {
            let mut got = Vec::new();
            for k in 0..20u32 {
                let e = evidence(&a, 1 + w * 100 + k);
                let batch = [intake(&e), custody(&e, CustodyAction::Access)];
                got.extend(node.append_custody(&batch).await.unwrap());
            }
            got
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort_unstable();
    assert_eq!(all, (0..320).collect::<Vec<u64>>());
    let events = nodes[1].custody_range(0, 320).await.unwrap();
    assert!(events
        .iter()
        .enumerate()
        .all(|(i, r)| r.ledger_index == i as u64));
}

/// Group commits of 10,000 intakes each, then of 10,000 accesses (ten of each in release). Run in release for
/// the throughput figures:
/// `cargo test --release -p dokaz-store-postgres --test vault_sql -- --nocapture throughput`.
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
            "postgres: {n} {what} in {secs:.2} s = {:.0} appends/s \
             (preparing intakes alone: {prepare:.2} s)",
            f64::from(n) / secs
        );
    }
    assert_eq!(s.ledger_size().await.unwrap(), 2 * u64::from(n));
}

/// A database written before migration 0008, whose custody rows carry a JSON copy of each
/// event (one of them edited), upgrades: the rows keep their index, event and item, the
/// history is read from the entries, and every copy is kept in the append-only archive, the
/// edited one too (it is evidence; `fsck` reports it).
#[tokio::test]
async fn custody_documents_of_an_older_database_are_archived() {
    let url = TestCluster::shared().await.fresh_database().await;
    let old = PgPool::connect(&url).await.unwrap();
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
    let a = agency("OLD");
    let e = evidence(&a, 1);
    let writes = prepare_writes(&[intake(&e), custody(&e, CustodyAction::Access)]).unwrap();
    let mut edited = writes[1].write().event.clone();
    edited.reason = "edited after the fact".into();
    let copies = [writes[0].write().event.clone(), edited];
    sqlx::query("INSERT INTO agencies (id, code, doc) VALUES ($1, $2, $3::jsonb)")
        .bind(a.id.as_uuid())
        .bind(a.code.to_string())
        .bind(to_doc(&a).unwrap())
        .execute(&old)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO evidence (id, agency_id, ern, sha256, classification, doc) \
         VALUES ($1, $2, $3, $4, $5, $6::jsonb)",
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
    for (i, (w, copy)) in writes.iter().zip(&copies).enumerate() {
        let ev = &w.write().event;
        sqlx::query(
            "INSERT INTO ledger_entries (idx, kind, entry, leaf_hash) VALUES ($1, $2, $3, $4)",
        )
        .bind(i as i64)
        .bind("custody")
        .bind(w.entry())
        .bind(&w.leaf_hash()[..])
        .execute(&old)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO custody_events (id, evidence_id, ledger_index, doc) \
             VALUES ($1, $2, $3, $4::jsonb)",
        )
        .bind(ev.id.as_uuid())
        .bind(ev.evidence.as_uuid())
        .bind(i as i64)
        .bind(to_doc(copy).unwrap())
        .execute(&old)
        .await
        .unwrap();
    }
    old.close().await;

    let s = PostgresStore::open(&url).await.unwrap();
    let history: Vec<_> = s
        .custody_history(e.id)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.event)
        .collect();
    let signed: Vec<_> = writes.iter().map(|w| w.write().event.clone()).collect();
    assert_eq!(history, signed);
    let kept = s.archived_custody_documents(0, 100).await.unwrap();
    assert_eq!(
        kept.iter().map(|d| d.ledger_index).collect::<Vec<_>>(),
        vec![0, 1]
    );
    let decoded: Vec<CustodyEvent> = kept.iter().map(|d| from_doc(&d.doc).unwrap()).collect();
    assert_eq!(decoded, copies);
    assert_ne!(decoded[1], signed[1]);
    let page = s.archived_custody_documents(1, 1).await.unwrap();
    assert_eq!(page, kept[1..].to_vec());
    // Appending goes on; nothing more is archived.
    s.append_custody(&[custody(&e, CustodyAction::Export)])
        .await
        .unwrap();
    assert_eq!(s.archived_custody_documents(0, 100).await.unwrap(), kept);
    let raw = PgPool::connect(&url).await.unwrap();
    for sql in [
        "UPDATE custody_documents_archive SET doc = '{}'",
        "DELETE FROM custody_documents_archive WHERE ledger_index = 1",
        "TRUNCATE custody_documents_archive",
    ] {
        let err = sqlx::query(sql).execute(&raw).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(s.archived_custody_documents(0, 100).await.unwrap(), kept);
}
