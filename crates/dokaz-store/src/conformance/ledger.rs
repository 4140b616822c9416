//! The custody ledger's contract: consecutive indexes from any number of writers, entries
//! and hashes read back exactly as written, all-or-nothing batches, checkpoints kept once.

use std::sync::Arc;

use chrono::{SubsecRound, Utc};
use dokaz_model::{CustodyAction, EvidenceId};

use super::fixtures::{agency, custody, evidence, intake};
use crate::{
    CustodyWrite, EvidenceChange, EvidenceFilter, PageRequest, Store, StoreError, StoredCheckpoint,
};

pub async fn ledger_indexes_are_consecutive(s: Arc<dyn Store>) {
    let a = agency("SEQ");
    s.create_agency(&a).await.unwrap();
    assert_eq!(s.ledger_size().await.unwrap(), 0);
    assert!(s.append_custody(&[]).await.unwrap().is_empty());
    let first: Vec<_> = (1..=3).map(|n| intake(&evidence(&a, n))).collect();
    assert_eq!(s.append_custody(&first).await.unwrap(), vec![0, 1, 2]);
    // Larger than one multi-row statement's chunk.
    let big: Vec<_> = (100..1_300).map(|n| intake(&evidence(&a, n))).collect();
    let got = s.append_custody(&big).await.unwrap();
    assert_eq!(got, (3..1_203).collect::<Vec<u64>>());
    assert_eq!(s.ledger_size().await.unwrap(), 1_203);

    // Eight writers at once, each with batches of intakes and accesses.
    let mut tasks = Vec::new();
    for w in 0..8u32 {
        let (s, a) = (s.clone(), a.clone());
        tasks.push(tokio::spawn(async move {
            let mut got = Vec::new();
            for k in 0..10u32 {
                let e = evidence(&a, 10_000 + w * 100 + k);
                let batch = vec![
                    intake(&e),
                    custody(&e, CustodyAction::Access),
                    custody(&e, CustodyAction::Transfer),
                ];
                let ix = s.append_custody(&batch).await.unwrap();
                assert!(ix.windows(2).all(|p| p[1] == p[0] + 1), "{ix:?}");
                got.extend(ix);
            }
            got
        }));
    }
    let mut all = Vec::new();
    for t in futures::future::join_all(tasks).await {
        all.extend(t.unwrap());
    }
    all.sort_unstable();
    assert_eq!(
        all,
        (1_203..1_203 + 240).collect::<Vec<u64>>(),
        "no gap, no duplicate"
    );
    assert_eq!(s.ledger_size().await.unwrap(), 1_443);
    let events = s.custody_range(0, 10_000).await.unwrap();
    assert_eq!(events.len(), 1_443);
    assert!(events
        .iter()
        .enumerate()
        .all(|(i, r)| r.ledger_index == i as u64));
}

pub async fn ledger_reads_return_what_was_written(s: Arc<dyn Store>) {
    let a = agency("READ");
    s.create_agency(&a).await.unwrap();
    let items: Vec<_> = (1..=4).map(|n| evidence(&a, n)).collect();
    let mut batch: Vec<CustodyWrite> = items.iter().map(intake).collect();
    batch.push(custody(&items[0], CustodyAction::Access));
    batch.push(custody(&items[2], CustodyAction::Export));
    batch.push(custody(&items[0], CustodyAction::Transfer));
    s.append_custody(&batch[..3]).await.unwrap();
    s.append_custody(&batch[3..]).await.unwrap();

    let entries = s.ledger_entries(0, 100).await.unwrap();
    assert_eq!(entries.len(), batch.len());
    for (i, (got, w)) in entries.iter().zip(&batch).enumerate() {
        assert_eq!(got.index, i as u64);
        assert_eq!(got.kind, "custody");
        assert_eq!(got.entry, w.event.ledger_entry());
        assert_eq!(got.leaf_hash, dokaz_ledger::leaf_hash(&got.entry).0);
    }
    let hashes = s.leaf_hashes(2, 5).await.unwrap();
    let want: Vec<_> = entries[2..5].iter().map(|e| e.leaf_hash).collect();
    assert_eq!(hashes, want);
    assert_eq!(
        s.ledger_entries(5, 6).await.unwrap(),
        entries[5..6].to_vec()
    );
    assert!(s.ledger_entries(3, 3).await.unwrap().is_empty());
    assert!(s.ledger_entries(5, 2).await.unwrap().is_empty());
    assert!(s.leaf_hashes(100, u64::MAX).await.unwrap().is_empty());

    let range = s.custody_range(1, 6).await.unwrap();
    let want: Vec<_> = batch[1..6].iter().map(|w| w.event.clone()).collect();
    assert_eq!(
        range.iter().map(|r| r.event.clone()).collect::<Vec<_>>(),
        want
    );
    assert_eq!(range[0].ledger_index, 1);

    let history = s.custody_history(items[0].id).await.unwrap();
    let at: Vec<_> = history.iter().map(|r| r.ledger_index).collect();
    assert_eq!(at, vec![0, 4, 6], "oldest first");
    assert_eq!(history[2].event, batch[6].event);
    // The archive of pre-0008 custody documents is only ever filled by that migration.
    assert!(s
        .archived_custody_documents(0, 100)
        .await
        .unwrap()
        .is_empty());
    assert!(s
        .custody_history(EvidenceId::new())
        .await
        .unwrap()
        .is_empty());
}

pub async fn failed_batch_leaves_nothing(s: Arc<dyn Store>) {
    let a = agency("FAIL");
    s.create_agency(&a).await.unwrap();
    let stored = evidence(&a, 1);
    s.append_custody(&[intake(&stored)]).await.unwrap();
    let nothing_stays = |fresh: Vec<EvidenceId>| {
        let s = s.clone();
        async move {
            assert_eq!(s.ledger_size().await.unwrap(), 1, "no ledger entry stays");
            assert_eq!(s.custody_range(0, 1_000).await.unwrap().len(), 1);
            let f = EvidenceFilter::default();
            let listed = s
                .list_evidence(&f, PageRequest::first(1_000))
                .await
                .unwrap();
            assert_eq!(listed.items.len(), 1, "no evidence row stays");
            for id in fresh {
                assert!(s.custody_history(id).await.unwrap().is_empty());
            }
        }
    };

    // A batch of good intakes whose last item reuses a stored ERN.
    let mut batch: Vec<_> = (2..600).map(|n| intake(&evidence(&a, n))).collect();
    let mut clash = evidence(&a, 9_999);
    clash.ern = stored.ern.clone();
    let mut w = intake(&clash);
    w.event.ern = stored.ern.clone();
    batch.push(w);
    let err = s.append_custody(&batch).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    assert!(
        err.to_string().contains(&stored.ern.to_string()),
        "names the ERN: {err}"
    );
    nothing_stays(batch.iter().map(|w| w.event.evidence).collect()).await;

    // An update of an item that does not exist.
    let fresh = evidence(&a, 700);
    let ghost = evidence(&a, 701);
    let mut upd = custody(&ghost, CustodyAction::Seal);
    upd.change = EvidenceChange::Update(ghost.clone());
    let err = s.append_custody(&[intake(&fresh), upd]).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    nothing_stays(vec![fresh.id]).await;

    // An event about an item that was never taken in.
    let err = s
        .append_custody(&[intake(&fresh), custody(&ghost, CustodyAction::Access)])
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    assert!(err.to_string().contains(&ghost.id.to_string()), "{err}");
    nothing_stays(vec![fresh.id]).await;

    // An intake for an agency the store does not know.
    let stray = evidence(&agency("NOBODY"), 1);
    let err = s.append_custody(&[intake(&stray)]).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    assert!(err.to_string().contains("agency"), "{err}");
    nothing_stays(vec![stray.id]).await;

    // A replay of an event already recorded (e.g. a retried request).
    let access = custody(&stored, CustodyAction::Access);
    s.append_custody(std::slice::from_ref(&access))
        .await
        .unwrap();
    let err = s
        .append_custody(&[intake(&fresh), access.clone()])
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    assert!(
        err.to_string().contains(&access.event.id.to_string()),
        "{err}"
    );
    assert_eq!(s.ledger_size().await.unwrap(), 2);
    assert!(matches!(
        s.evidence(fresh.id).await,
        Err(StoreError::NotFound { .. })
    ));
}

pub async fn checkpoints_keep_the_first(s: Arc<dyn Store>) {
    assert_eq!(s.latest_checkpoint().await.unwrap(), None);
    let at = Utc::now().trunc_subsecs(6);
    let cp = |size: u64, note: &str| StoredCheckpoint {
        size,
        note: format!("dokaz.example/log\n{size}\nroot=\n\n— {note}\n"),
        created_at: at + chrono::Duration::seconds(size as i64),
    };
    s.save_checkpoint(&cp(10, "перший")).await.unwrap();
    s.save_checkpoint(&cp(25, "second")).await.unwrap();
    s.save_checkpoint(&cp(5, "older")).await.unwrap();
    s.save_checkpoint(&cp(10, "a rewrite")).await.unwrap();
    assert_eq!(s.checkpoint_at(10).await.unwrap(), cp(10, "перший"));
    assert_eq!(s.latest_checkpoint().await.unwrap(), Some(cp(25, "second")));
    assert_eq!(s.checkpoint_at(5).await.unwrap(), cp(5, "older"));
    assert!(matches!(
        s.checkpoint_at(11).await,
        Err(StoreError::NotFound { .. })
    ));
}
