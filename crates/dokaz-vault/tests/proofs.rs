//! Proofs from the published tiles, checked offline, and tiles rebuilt when missing.

mod common;

use std::collections::BTreeMap;

use common::{fixture, request, ORIGIN};
use dokaz_ledger::{verify_consistency, Checkpoint, DirFetcher, Hash, TileReader};
use dokaz_model::CustodyAction;
use dokaz_vault::ItemProof;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proofs_verify_offline_across_full_and_partial_tiles() {
    let f = fixture().await;
    let a = f
        .vault
        .ingest(&b"first exhibit"[..], request(&f.agency, "a"))
        .await
        .unwrap();
    // Enough events for full tiles at level 0 (256 leaves each), submitted concurrently.
    let tasks: Vec<_> = (0..600)
        .map(|i| {
            let (v, ern) = (f.vault.clone(), a.ern.clone());
            tokio::spawn(async move {
                v.record(
                    &ern,
                    CustodyAction::Access,
                    None,
                    &format!("read {i}"),
                    BTreeMap::new(),
                )
                .await
                .unwrap()
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let b = f
        .vault
        .ingest(&b"second exhibit"[..], request(&f.agency, "b"))
        .await
        .unwrap();
    assert_eq!(b.ledger_index, 601);

    let proof = f.vault.prove(&b.ern).await.unwrap();
    assert_eq!(proof.tree_size, 602);
    assert_eq!(proof.entries.len(), 1);
    proof.verify(ORIGIN, f.vault.verifier()).unwrap();
    let json = serde_json::to_string(&proof).unwrap();
    let back: ItemProof = serde_json::from_str(&json).unwrap();
    back.verify(ORIGIN, f.vault.verifier()).unwrap();

    let proof_a = f.vault.prove(&a.ern).await.unwrap();
    assert_eq!(proof_a.entries.len(), 601);
    proof_a.verify(ORIGIN, f.vault.verifier()).unwrap();

    // A proof about another item's bytes does not pass.
    let mut forged = proof.clone();
    forged.sha256 = a.sha256;
    assert!(forged.verify(ORIGIN, f.vault.verifier()).is_err());
    let mut forged = proof.clone();
    forged.entries[0].index = 3;
    assert!(forged.verify(ORIGIN, f.vault.verifier()).is_err());

    // The published tiles are a tlog-tiles tree a third party can read from the folder.
    let note = f.vault.checkpoint().await.unwrap().note;
    let (cp, _) = Checkpoint::open(note.as_bytes(), ORIGIN, f.vault.verifier()).unwrap();
    let root = f.dir.path().join("blobs/log");
    let reader = TileReader::new(DirFetcher { root }, cp.size());
    assert_eq!(reader.verify_all(&cp.root()).unwrap(), 602);
}

#[tokio::test]
async fn consistency_between_checkpoints_verifies() {
    let f = fixture().await;
    let mut notes = Vec::new();
    for i in 0..5u8 {
        f.vault
            .ingest(&[i; 10][..], request(&f.agency, "x"))
            .await
            .unwrap();
        notes.push(f.vault.checkpoint().await.unwrap());
    }
    let p = f.vault.consistency(2, 5).await.unwrap();
    let hashes: Vec<Hash> = p.proof.iter().map(|h| Hash::from_hex(h).unwrap()).collect();
    let r1 = Hash::from_hex(&p.old_root).unwrap();
    let r2 = Hash::from_hex(&p.new_root).unwrap();
    verify_consistency(2, 5, &r1, &r2, &hashes).unwrap();
    let (cp2, _) = Checkpoint::open(notes[1].note.as_bytes(), ORIGIN, f.vault.verifier()).unwrap();
    assert_eq!(cp2.root(), r1, "old root is the one signed at size 2");
    assert_eq!(p.old_checkpoint.as_deref(), Some(notes[1].note.as_str()));
    assert!(f.vault.consistency(0, 5).await.is_err());
    assert!(f.vault.consistency(3, 6).await.is_err());
}

#[tokio::test]
async fn proofs_rebuild_missing_tiles() {
    let f = fixture().await;
    let r = f
        .vault
        .ingest(&b"exhibit"[..], request(&f.agency, "e"))
        .await
        .unwrap();
    f.vault
        .record(&r.ern, CustodyAction::Access, None, "", BTreeMap::new())
        .await
        .unwrap();
    f.vault.sync().await.unwrap();
    std::fs::remove_dir_all(f.dir.path().join("blobs/log/tile")).unwrap();
    let proof = f.vault.prove(&r.ern).await.unwrap();
    proof.verify(ORIGIN, f.vault.verifier()).unwrap();
    assert!(
        f.dir.path().join("blobs/log/tile/0/000.p/2").exists(),
        "tiles rebuilt"
    );
}
