//! fsck against each kind of tampering an attacker with file access could do, and against
//! the remains of a crash between blob and SQL.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::{fixture, noise, request, Fixture};
use dokaz_model::{CustodyAction, Ern};
use dokaz_store::LedgerStore;
use dokaz_vault::{FindingKind, FsckOptions, FsckReport, IntakeReceipt, VaultError};

fn now() -> FsckOptions {
    FsckOptions {
        grace: Duration::ZERO,
        ..FsckOptions::default()
    }
}

fn repair() -> FsckOptions {
    FsckOptions {
        repair: true,
        ..now()
    }
}

async fn fsck(f: &Fixture, options: FsckOptions) -> FsckReport {
    f.vault.fsck(options, &|_| {}).await.unwrap()
}

/// Three items, a few events each, all published.
async fn populated() -> (Fixture, Vec<IntakeReceipt>) {
    let f = fixture().await;
    let mut items = Vec::new();
    for i in 0..3u64 {
        let r = f
            .vault
            .ingest(
                &noise(10_000 + i as usize, i + 1)[..],
                request(&f.agency, "x"),
            )
            .await
            .unwrap();
        f.vault
            .record(&r.ern, CustodyAction::Access, None, "read", BTreeMap::new())
            .await
            .unwrap();
        items.push(r);
    }
    f.vault.sync().await.unwrap();
    (f, items)
}

fn erns(report: &FsckReport, kind: FindingKind) -> Vec<Ern> {
    report
        .of(kind)
        .iter()
        .filter_map(|f| f.ern.clone())
        .collect()
}

#[tokio::test]
async fn a_sound_vault_is_clean() {
    let (f, _) = populated().await;
    let seen = std::sync::Mutex::new(0u64);
    let report = f
        .vault
        .fsck(now(), &|p| *seen.lock().unwrap() = p.bytes)
        .await
        .unwrap();
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    assert_eq!(report.blobs_checked, 3);
    assert_eq!(report.entries_checked, 6);
    assert_eq!(report.events_checked, 6);
    assert_eq!(
        report.archived_documents_checked, 0,
        "a fresh archive is empty"
    );
    assert_eq!(report.checkpoint_size, Some(6));
    assert_eq!(*seen.lock().unwrap(), report.bytes_checked);
    let sampled = fsck(
        &f,
        FsckOptions {
            sample: Some(1),
            ..now()
        },
    )
    .await;
    assert_eq!(sampled.blobs_checked, 1);
}

#[tokio::test]
async fn a_flipped_byte_in_a_blob_names_the_item() {
    let (f, items) = populated().await;
    let path = f.blobs.local_path(&items[1].sha256).unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[5_000] ^= 0x01;
    std::fs::write(&path, bytes).unwrap();
    let report = fsck(&f, now()).await;
    assert_eq!(
        erns(&report, FindingKind::BlobCorrupt),
        vec![items[1].ern.clone()]
    );
    assert_eq!(report.findings.len(), 1, "{:#?}", report.findings);

    std::fs::remove_file(&path).unwrap();
    let report = fsck(&f, repair()).await;
    assert_eq!(
        erns(&report, FindingKind::BlobMissing),
        vec![items[1].ern.clone()]
    );
    assert!(!report.is_clean(), "repair never invents evidence");
}

#[tokio::test]
async fn a_deleted_leaf_row_is_a_gap_naming_the_item() {
    let (f, items) = populated().await;
    // Index 2 is the second item's intake.
    f.tamper("DELETE FROM ledger_entries WHERE idx = 2").await;
    let report = fsck(&f, repair()).await;
    let gaps = report.of(FindingKind::LedgerGap);
    assert_eq!(gaps.len(), 1, "{:#?}", report.findings);
    assert_eq!(gaps[0].index, Some(2));
    assert_eq!(gaps[0].ern, Some(items[1].ern.clone()));
    // A tampered ledger is not used to rewrite the published tiles.
    assert!(report.of(FindingKind::TilesStale).is_empty());
    // The item's history, read from its entries, is refused rather than shown without one.
    let err = f.vault.history(&items[1].ern).await.unwrap_err();
    assert!(err.to_string().contains("ledger entry 2"), "{err}");
    assert_eq!(f.vault.history(&items[0].ern).await.unwrap().len(), 2);
    // And a restarted vault refuses to sign on top of it.
    let v = f.reopen().await;
    assert!(v.diverged().is_some());
    let err = v
        .ingest(&b"new"[..], request(&f.agency, "n"))
        .await
        .unwrap_err();
    assert!(matches!(err, VaultError::LedgerDiverged(_)), "{err}");
}

/// Files JSON copies of the custody events in the archive, as migration 0008 does with the
/// copies an older database's custody rows kept; `edit` changes the copy of one index.
async fn archive_copies(f: &Fixture, edit: impl Fn(u64, &mut String)) {
    for r in f.store.custody_range(0, 100).await.unwrap() {
        let mut doc = serde_json::to_string(&r.event).unwrap();
        edit(r.ledger_index, &mut doc);
        f.tamper(&format!(
            "INSERT INTO custody_documents_archive (ledger_index, doc) VALUES ({}, '{}')",
            r.ledger_index,
            doc.replace('\'', "''")
        ))
        .await;
    }
}

#[tokio::test]
async fn archived_custody_documents_are_checked_against_their_entries() {
    // Copies that describe their entries: clean.
    let (f, _) = populated().await;
    archive_copies(&f, |_, _| {}).await;
    let report = fsck(&f, now()).await;
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    assert_eq!(report.archived_documents_checked, 6);

    // An edited copy (index 5, the third item's access): the edit the old copy shows is
    // reported with the item's ERN, and nothing else is.
    let (f, items) = populated().await;
    archive_copies(&f, |i, doc| {
        if i == 5 {
            *doc = doc.replace("\"read\"", "\"never read\"");
        }
    })
    .await;
    let report = fsck(&f, now()).await;
    assert_eq!(report.findings.len(), 1, "{:#?}", report.findings);
    let found = report.of(FindingKind::EventMismatch);
    assert_eq!(found.len(), 1, "{:#?}", report.findings);
    assert_eq!(found[0].index, Some(5));
    assert_eq!(found[0].ern, Some(items[2].ern.clone()));
    assert!(found[0].detail.contains("archived"), "{}", found[0].detail);

    // A copy that is not a custody event any more.
    let (f, items) = populated().await;
    archive_copies(&f, |i, doc| {
        if i == 3 {
            *doc = "{}".into();
        }
    })
    .await;
    one_event_mismatch(&f, 3, &items[1].ern).await;
}

/// A vault whose database was written before migration 0008, when each custody row kept a
/// JSON copy of its event, one of them edited: the upgrade keeps the copies in the archive,
/// and fsck reports the edited one with the item's ERN.
#[tokio::test]
async fn an_edited_copy_survives_the_upgrade_and_is_reported() {
    let (f, items) = populated().await;
    let events = f.store.custody_range(0, 100).await.unwrap();
    // Put the database back as it was before 0008: custody rows with their documents (the
    // third item's access edited), no archive, 0008 not applied.
    f.tamper("DROP TABLE custody_documents_archive").await;
    f.tamper(
        "CREATE TABLE custody_events_old (
            id           BLOB PRIMARY KEY NOT NULL,
            evidence_id  BLOB NOT NULL REFERENCES evidence(id),
            ledger_index INTEGER NOT NULL UNIQUE REFERENCES ledger_entries(idx),
            doc          TEXT NOT NULL
        ) STRICT",
    )
    .await;
    for r in &events {
        let mut doc = serde_json::to_string(&r.event).unwrap();
        if r.ledger_index == 5 {
            doc = doc.replace("\"read\"", "\"never read\"");
        }
        f.tamper(&format!(
            "INSERT INTO custody_events_old (id, evidence_id, ledger_index, doc) \
             SELECT id, evidence_id, ledger_index, '{}' FROM custody_events \
             WHERE ledger_index = {}",
            doc.replace('\'', "''"),
            r.ledger_index
        ))
        .await;
    }
    f.tamper("DROP TABLE custody_events").await;
    f.tamper("ALTER TABLE custody_events_old RENAME TO custody_events")
        .await;
    f.tamper(
        "CREATE INDEX custody_events_by_evidence ON custody_events(evidence_id, ledger_index)",
    )
    .await;
    f.tamper("DELETE FROM _sqlx_migrations WHERE version = 8")
        .await;

    // Opening upgrades it.
    let vault = f.reopen().await;
    let report = vault.fsck(now(), &|_| {}).await.unwrap();
    assert_eq!(report.archived_documents_checked, 6);
    assert_eq!(report.findings.len(), 1, "{:#?}", report.findings);
    let found = report.of(FindingKind::EventMismatch);
    assert_eq!(found.len(), 1, "{:#?}", report.findings);
    assert_eq!(found[0].index, Some(5));
    assert_eq!(found[0].ern, Some(items[2].ern.clone()));
    // The history shown is the signed one.
    let after = f.store.custody_range(0, 100).await.unwrap();
    assert_eq!(after, events);
}

#[tokio::test]
async fn an_edited_custody_event_no_longer_matches_its_entry() {
    // The event itself is only its ledger entry (an edit there breaks the leaf hash, below);
    // what a custody row says is which event and item the entry is filed under. Index 5 is
    // the third item's access: filed under the first item, it would join that item's history.
    let (f, items) = populated().await;
    f.tamper(
        "UPDATE custody_events SET evidence_id = \
         (SELECT evidence_id FROM custody_events WHERE ledger_index = 0) WHERE ledger_index = 5",
    )
    .await;
    one_event_mismatch(&f, 5, &items[2].ern).await;

    // Another event's id in the row.
    let (f, items) = populated().await;
    f.tamper("UPDATE custody_events SET id = randomblob(16) WHERE ledger_index = 3")
        .await;
    one_event_mismatch(&f, 3, &items[1].ern).await;
}

#[tokio::test]
async fn a_rewritten_entry_breaks_its_leaf_hash_or_the_root() {
    let (f, items) = populated().await;
    f.tamper("UPDATE ledger_entries SET leaf_hash = zeroblob(32) WHERE idx = 1")
        .await;
    let report = fsck(&f, now()).await;
    assert_eq!(
        erns(&report, FindingKind::LeafHashMismatch),
        vec![items[0].ern.clone()]
    );
    assert_eq!(
        report.of(FindingKind::RootMismatch).len(),
        1,
        "{:#?}",
        report.findings
    );
}

#[tokio::test]
async fn a_truncated_log_is_found_against_its_checkpoint() {
    let (f, items) = populated().await;
    f.tamper("DELETE FROM ledger_entries WHERE idx >= 4").await;
    let report = fsck(&f, now()).await;
    assert_eq!(report.ledger_size, 4);
    assert_eq!(report.checkpoint_size, Some(6));
    let cut = report.of(FindingKind::LogTruncated);
    assert_eq!(cut.len(), 2, "{:#?}", report.findings);
    assert!(cut.iter().all(|c| c.ern == Some(items[2].ern.clone())));
}

#[tokio::test]
async fn a_crash_between_blob_and_sql_leaves_what_fsck_removes() {
    let (f, items) = populated().await;
    // Bytes made durable, then the process died before the transaction: a blob no row refers
    // to. And one that died mid-stream: a staging object.
    let (orphan, _) = f.blobs.put_stream(&noise(5_000, 99)[..]).await.unwrap();
    let staged = f.blobs.stage(&noise(3 << 20, 98)[..]).await.unwrap();
    drop(staged);
    let report = fsck(&f, now()).await;
    assert_eq!(report.of(FindingKind::OrphanBlob).len(), 1);
    assert_eq!(report.of(FindingKind::OrphanBlob)[0].sha256, Some(orphan));
    assert_eq!(report.of(FindingKind::StagingLeftover).len(), 1);
    assert!(!report.is_clean());

    // A running intake is not mistaken for a crashed one.
    let young = fsck(&f, FsckOptions::default()).await;
    assert!(young.findings.is_empty(), "{:#?}", young.findings);

    let repaired = fsck(&f, repair()).await;
    assert!(repaired.is_clean(), "{:#?}", repaired.findings);
    assert!(!f.blobs.exists(&orphan).await.unwrap());
    assert!(f.blobs.list_staging().await.unwrap().is_empty());
    for r in &items {
        assert!(
            f.blobs.exists(&r.sha256).await.unwrap(),
            "completed items untouched"
        );
    }
    assert!(fsck(&f, now()).await.findings.is_empty());
}

#[tokio::test]
async fn missing_tiles_are_found_and_rebuilt() {
    let (f, _) = populated().await;
    std::fs::remove_dir_all(f.dir.path().join("blobs/log/tile")).unwrap();
    std::fs::remove_file(f.dir.path().join("blobs/log/checkpoint")).unwrap();
    let report = fsck(&f, repair()).await;
    assert_eq!(
        report.of(FindingKind::TilesStale).len(),
        2,
        "{:#?}",
        report.findings
    );
    assert!(report.is_clean());
    assert!(fsck(&f, now()).await.findings.is_empty());
}

#[tokio::test]
async fn a_checkpoint_the_key_cannot_verify_opens_read_only_and_is_reported() {
    let (f, _) = populated().await;
    let other = dokaz_ledger::Signer::generate(common::ORIGIN).unwrap();
    let v = dokaz_vault::Vault::open(f.store.clone(), f.blobs.clone(), other, common::ORIGIN)
        .await
        .unwrap();
    assert!(v.diverged().is_some());
    let report = v.fsck(now(), &|_| {}).await.unwrap();
    assert_eq!(
        report.of(FindingKind::CheckpointInvalid).len(),
        1,
        "{:#?}",
        report.findings
    );
    assert!(v.ingest(&b"x"[..], request(&f.agency, "x")).await.is_err());
}

/// Asserts that fsck finds exactly one event that is not its signed entry: at `index`, of
/// the item `ern`.
async fn one_event_mismatch(f: &Fixture, index: u64, ern: &Ern) {
    let report = fsck(f, now()).await;
    let found = report.of(FindingKind::EventMismatch);
    assert_eq!(found.len(), 1, "{:#?}", report.findings);
    assert_eq!(found[0].index, Some(index));
    assert_eq!(found[0].ern.as_ref(), Some(ern));
}
