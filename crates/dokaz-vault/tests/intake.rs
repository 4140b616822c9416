//! Intake end to end on SQLite and a local folder.

mod common;

use common::{fixture, noise, request};
use dokaz_model::{CustodyAction, Sha256};
use dokaz_store::LedgerStore;
use dokaz_vault::VaultError;
use futures::TryStreamExt;
use sha2::Digest;

#[tokio::test]
async fn an_intake_is_blob_row_event_and_leaf() {
    let f = fixture().await;
    let text = "Свідок бачив колону техніки о 06:40.\n".repeat(3);
    let r = f
        .vault
        .ingest(text.as_bytes(), request(&f.agency, "statement.txt"))
        .await
        .unwrap();
    assert_eq!(r.ern.to_string(), "PGO-GEN-000001");
    assert_eq!(r.duplicate_of, None);
    assert_eq!(r.ledger_index, 0);
    assert_eq!(
        r.sha256.0,
        <[u8; 32]>::from(sha2::Sha256::digest(text.as_bytes()))
    );
    assert_eq!(r.evidence.media_type, "text/plain; charset=utf-8");
    assert_eq!(r.evidence.size, text.len() as u64);
    assert!(f.blobs.exists(&r.sha256).await.unwrap());
    let item = f.vault.item(&r.ern).await.unwrap();
    assert_eq!(item, r.evidence);
    let history = f.vault.history(&r.ern).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].event.action, CustodyAction::Intake);
    assert_eq!(history[0].event.details["size"], text.len().to_string());
    assert_eq!(f.vault.checkpoint().await.unwrap().size, 1);
    assert!(f.blobs.get_bytes("checkpoint").await.unwrap().is_some());
}

#[tokio::test]
async fn identical_bytes_from_the_same_agency_are_one_item() {
    let f = fixture().await;
    let data = noise(3 << 20, 5); // several parts
    let first = f
        .vault
        .ingest(&data[..], request(&f.agency, "a.bin"))
        .await
        .unwrap();
    let second = f
        .vault
        .ingest(&data[..], request(&f.agency, "copy of a.bin"))
        .await
        .unwrap();
    assert_eq!(second.ern, first.ern, "no new ERN");
    assert_eq!(second.duplicate_of, Some(first.ern.clone()));
    assert_eq!(second.ledger_index, 1);
    let history = f.vault.history(&first.ern).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(
        history[1].event.details["duplicate_of"],
        first.ern.to_string()
    );
    let blobs: Vec<_> = f.blobs.list_digests().try_collect().await.unwrap();
    assert_eq!(blobs.len(), 1, "stored once");
    assert!(f.blobs.list_staging().await.unwrap().is_empty());

    // Another agency gets its own item, sharing the blob.
    let other = common::agency("NGO");
    dokaz_store::AgencyStore::create_agency(&*f.store, &other)
        .await
        .unwrap();
    let theirs = f
        .vault
        .ingest(&data[..], request(&other, "a.bin"))
        .await
        .unwrap();
    assert_eq!(theirs.ern.to_string(), "NGO-GEN-000001");
    assert_eq!(theirs.duplicate_of, None);
    let blobs: Vec<_> = f.blobs.list_digests().try_collect().await.unwrap();
    assert_eq!(blobs.len(), 1);
}

#[tokio::test]
async fn a_wrong_declared_hash_writes_nothing() {
    let f = fixture().await;
    let data = noise(2 << 20, 9);
    let mut req = request(&f.agency, "video.mp4");
    let declared = Sha256([0xab; 32]);
    req.declared_sha256 = Some(declared);
    let err = f.vault.ingest(&data[..], req).await.unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, VaultError::HashMismatch { .. }), "{msg}");
    assert!(
        msg.contains(&declared.to_hex()) && msg.contains(&hex_of(&data)),
        "{msg}"
    );
    assert!(f.blobs.list_staging().await.unwrap().is_empty());
    let blobs: Vec<_> = f.blobs.list_digests().try_collect().await.unwrap();
    assert!(blobs.is_empty());
    assert_eq!(f.store.ledger_size().await.unwrap(), 0);
    // No ERN was used up.
    let mut ok = request(&f.agency, "video.mp4");
    ok.declared_sha256 = Some(Sha256(sha2::Sha256::digest(&data).into()));
    let r = f.vault.ingest(&data[..], ok).await.unwrap();
    assert_eq!(r.ern.to_string(), "PGO-GEN-000001");
}

fn hex_of(data: &[u8]) -> String {
    Sha256(sha2::Sha256::digest(data).into()).to_hex()
}

#[tokio::test]
async fn case_items_get_the_case_segment_and_bad_requests_are_refused() {
    let f = fixture().await;
    let mut req = request(&f.agency, "photo.jpg");
    req.case = Some((dokaz_model::CaseId::new(), "12022/100-0001".into()));
    let r = f
        .vault
        .ingest(&b"\xff\xd8\xff\xe0 not really"[..], req)
        .await
        .unwrap();
    assert_eq!(r.ern.to_string(), "PGO-12022.100.0001-000001");
    assert_eq!(r.evidence.media_type, "image/jpeg");

    let mut bad = request(&f.agency, "x");
    bad.case = Some((dokaz_model::CaseId::new(), "справа".into()));
    let err = f.vault.ingest(&b"x"[..], bad).await.unwrap_err();
    assert!(err.to_string().starts_with("case:"), "{err}");

    let long = request(&f.agency, &"n".repeat(2_000));
    let err = f
        .vault
        .ingest(&noise(3 << 20, 1)[..], long)
        .await
        .unwrap_err();
    assert!(matches!(err, VaultError::Record(_)), "{err}");
    assert!(
        f.blobs.list_staging().await.unwrap().is_empty(),
        "refused bytes removed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_intakes_are_group_committed_in_order() {
    let f = fixture().await;
    let tasks: Vec<_> = (0..200u64)
        .map(|i| {
            let vault = f.vault.clone();
            let req = request(&f.agency, &format!("item-{i}.bin"));
            tokio::spawn(async move {
                vault
                    .ingest(&noise(4096, 2 * i + 1)[..], req)
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut indexes = Vec::new();
    let mut erns = std::collections::HashSet::new();
    for t in tasks {
        let r = t.await.unwrap();
        indexes.push(r.ledger_index);
        erns.insert(r.ern);
    }
    indexes.sort_unstable();
    assert_eq!(indexes, (0..200).collect::<Vec<_>>());
    assert_eq!(erns.len(), 200);
    assert_eq!(f.vault.checkpoint().await.unwrap().size, 200);

    // After a restart the tree continues where it was.
    let before = f.vault.checkpoint().await.unwrap();
    drop(f.vault.clone());
    let again = f.reopen().await;
    assert_eq!(again.diverged(), None);
    let r = again
        .ingest(&b"after restart"[..], request(&f.agency, "late.txt"))
        .await
        .unwrap();
    assert_eq!(r.ledger_index, 200);
    let proof = again.consistency(before.size, 201).await.unwrap();
    assert_eq!(proof.old_checkpoint.as_deref(), Some(before.note.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_intakes_of_the_same_bytes_make_one_item() {
    let f = fixture().await;
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let vault = f.vault.clone();
            let req = request(&f.agency, &format!("copy-{i}.txt"));
            tokio::spawn(
                async move { vault.ingest(&b"the same statement"[..], req).await.unwrap() },
            )
        })
        .collect();
    let mut erns = std::collections::HashSet::new();
    let mut duplicates = 0;
    for t in tasks {
        let r = t.await.unwrap();
        erns.insert(r.ern);
        duplicates += usize::from(r.duplicate_of.is_some());
    }
    assert_eq!(erns.len(), 1, "one item");
    assert_eq!(duplicates, 7);
}
