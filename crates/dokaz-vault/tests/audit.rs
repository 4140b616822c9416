//! Audit records share the custody log: they go through the same sequencer, interleave
//! with custody events without gaps, survive a restart, and fsck notices a removed or
//! edited audit row.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::{fixture, noise, request};
use dokaz_model::{AuditRecord, CustodyAction, Decision};
use dokaz_store::LedgerStore;
use dokaz_vault::{FindingKind, FsckOptions};

fn record(action: &str, decision: Decision) -> AuditRecord {
    AuditRecord::new(None, None, action, decision, "test")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_and_custody_share_one_log() {
    let f = fixture().await;
    let item = f
        .vault
        .ingest(&noise(5_000, 7)[..], request(&f.agency, "a"))
        .await
        .unwrap();
    let audited = f
        .vault
        .append_audit(vec![
            record("session.login", Decision::Allow),
            record("incident.read", Decision::Deny),
        ])
        .await
        .unwrap();
    assert_eq!(audited, vec![item.ledger_index + 1, item.ledger_index + 2]);

    // Concurrent writers of both kinds: every index once, no gaps.
    let mut tasks = Vec::new();
    for i in 0..16 {
        let v = f.vault.clone();
        let ern = item.ern.clone();
        tasks.push(tokio::spawn(async move {
            if i % 2 == 0 {
                v.append_audit(vec![record("evidence.read", Decision::Allow)])
                    .await
                    .unwrap()
            } else {
                let r = v
                    .record(&ern, CustodyAction::Access, None, "read", BTreeMap::new())
                    .await
                    .unwrap();
                vec![r.ledger_index]
            }
        }));
    }
    let mut all: Vec<u64> = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort();
    let first = item.ledger_index + 3;
    assert_eq!(all, (first..first + 16).collect::<Vec<_>>());
    f.vault.sync().await.unwrap();

    let clean = f
        .vault
        .fsck(
            FsckOptions {
                grace: Duration::ZERO,
                ..Default::default()
            },
            &|_| {},
        )
        .await
        .unwrap();
    assert!(clean.is_clean(), "{:?}", clean.findings);

    // A reopened vault continues the same log.
    let again = f.reopen().await;
    let next = again
        .append_audit(vec![record("session.logout", Decision::Allow)])
        .await
        .unwrap();
    assert_eq!(next, vec![first + 16]);
    assert_eq!(f.store.ledger_size().await.unwrap(), first + 17);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_or_edited_audit_row_is_found() {
    let f = fixture().await;
    let ix = f
        .vault
        .append_audit(vec![
            record("evidence.download", Decision::Deny),
            record("grant.create", Decision::Allow),
        ])
        .await
        .unwrap();
    f.vault.sync().await.unwrap();
    f.tamper(&format!(
        "DELETE FROM audit_log WHERE ledger_index = {}",
        ix[0]
    ))
    .await;
    f.tamper(&format!(
        "UPDATE audit_log SET doc = replace(doc, 'grant.create', 'grant.revoke') WHERE ledger_index = {}",
        ix[1]
    ))
    .await;
    let report = f.vault.fsck(FsckOptions::default(), &|_| {}).await.unwrap();
    let missing = report.of(FindingKind::AuditMissing);
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].index, Some(ix[0]));
    let edited = report.of(FindingKind::AuditMismatch);
    assert_eq!(edited.len(), 1);
    assert_eq!(edited[0].index, Some(ix[1]));
}
