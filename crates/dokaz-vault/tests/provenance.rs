//! Provenance in the vault: the collection record at intake, the declared hash that refuses
//! everything, derivatives that leave their original alone, and families that outlive a
//! restart.

mod common;

use common::{fixture, noise, request};
use dokaz_model::{
    ClockSource, CollectionRecord, CustodyAction, DerivativeKind, Evidence, EvidenceState, Family,
    Sha256,
};
use dokaz_store::{EvidenceFilter, EvidenceStore, LedgerStore, PageRequest};
use dokaz_vault::{DeriveRequest, VaultError};
use futures::TryStreamExt;
use sha2::Digest;

fn derive(kind: DerivativeKind, name: &str) -> DeriveRequest {
    DeriveRequest {
        kind,
        original_name: name.into(),
        collector: "Translator T. Shevchuk".into(),
        classification: None,
        actor: None,
        declared_sha256: None,
        collection: None,
        reason: "for the JIT".into(),
    }
}

fn sha(data: &[u8]) -> Sha256 {
    Sha256(sha2::Sha256::digest(data).into())
}

#[tokio::test]
async fn the_collection_record_is_kept_and_committed_to_the_ledger() {
    let f = fixture().await;
    let html = f
        .vault
        .ingest(
            &b"<html><title>t</title></html>"[..],
            request(&f.agency, "page.html"),
        )
        .await
        .unwrap();
    let shot = f
        .vault
        .ingest(&noise(5_000, 3)[..], request(&f.agency, "page.png"))
        .await
        .unwrap();
    let data = b"video bytes";
    let mut req = request(&f.agency, "video.mp4");
    req.declared_sha256 = Some(sha(data));
    req.collection = Some(CollectionRecord {
        tool: "auto-archiver".into(),
        tool_version: "0.11.2".into(),
        host: Some("10.0.4.17".into()),
        collected_at: Some("2022-03-09T10:40:00Z".parse().unwrap()),
        clock_source: Some(ClockSource::Network),
        page_title: Some("Маріуполь, пологовий будинок".into()),
        html: Some(html.ern.clone()),
        screenshot: Some(shot.ern.clone()),
        language: Some("uk".into()),
        ..CollectionRecord::default()
    });
    let r = f.vault.ingest(&data[..], req).await.unwrap();
    let c = r.evidence.collection.clone().unwrap();
    assert_eq!(c.tool, "auto-archiver");
    assert_eq!(c.declared_sha256, Some(sha(data)));
    assert_eq!(c.html, Some(html.ern.clone()));
    assert_eq!(f.vault.item(&r.ern).await.unwrap(), r.evidence);
    let intake = &f.vault.history(&r.ern).await.unwrap()[0].event;
    assert_eq!(intake.details["collection.tool"], "auto-archiver");
    assert_eq!(intake.details["collection.clock_source"], "network");
    assert_eq!(
        intake.details["collection.screenshot"],
        shot.ern.to_string()
    );
    assert_eq!(
        intake.details["collection.declared_sha256"],
        sha(data).to_hex()
    );

    // Uploads without a record get dokaz's own.
    let own = f.vault.item(&html.ern).await.unwrap().collection.unwrap();
    assert_eq!(own.tool, "dokaz");
    assert!(!own.tool_version.is_empty());

    // A linked page that is not an item is refused before anything is stored.
    let size = f.store.ledger_size().await.unwrap();
    let mut bad = request(&f.agency, "x");
    bad.collection = Some(CollectionRecord {
        tool: "dokaz".into(),
        html: Some("PGO-GEN-000777".parse().unwrap()),
        ..CollectionRecord::default()
    });
    let err = f.vault.ingest(&b"other bytes"[..], bad).await.unwrap_err();
    assert!(err.to_string().starts_with("collection.html:"), "{err}");
    assert_eq!(f.store.ledger_size().await.unwrap(), size);
}

/// Blob, row and ledger entry: none of the three is written.
#[tokio::test]
async fn a_wrong_declared_hash_leaves_no_blob_no_row_no_entry() {
    let f = fixture().await;
    let data = noise(300_000, 11);
    let declared = Sha256([0x42; 32]);
    let mut req = request(&f.agency, "statement.pdf");
    req.declared_sha256 = Some(declared);
    let err = f.vault.ingest(&data[..], req).await.unwrap_err();
    assert!(matches!(err, VaultError::HashMismatch { .. }));
    let msg = err.to_string();
    assert!(msg.contains(&declared.to_hex()), "{msg}");
    assert!(msg.contains(&sha(&data).to_hex()), "{msg}");
    let blobs: Vec<_> = f.blobs.list_digests().try_collect().await.unwrap();
    assert!(blobs.is_empty(), "no blob");
    assert!(
        f.blobs.list_staging().await.unwrap().is_empty(),
        "no staging"
    );
    let rows = f
        .store
        .list_evidence(&EvidenceFilter::default(), PageRequest::first(10))
        .await
        .unwrap();
    assert!(rows.items.is_empty(), "no row");
    assert_eq!(f.store.ledger_size().await.unwrap(), 0, "no ledger entry");

    // The same for a derivative.
    let orig = f
        .vault
        .ingest(&b"original"[..], request(&f.agency, "o.txt"))
        .await
        .unwrap();
    let mut d = derive(DerivativeKind::WorkingCopy, "copy.txt");
    d.declared_sha256 = Some(declared);
    let err = f.vault.derive(&orig.ern, &data[..], d).await.unwrap_err();
    assert!(matches!(err, VaultError::HashMismatch { .. }));
    let blobs: Vec<_> = f.blobs.list_digests().try_collect().await.unwrap();
    assert_eq!(blobs.len(), 1);
    assert_eq!(blobs[0].0, orig.sha256);
    assert_eq!(f.store.ledger_size().await.unwrap(), 1);
    assert_eq!(f.vault.family(&orig.ern).await.unwrap().len(), 1);
}

#[tokio::test]
async fn deriving_never_changes_the_original_and_families_survive_restarts() {
    let f = fixture().await;
    let statement = "Свідок: о 06:40 колона техніки пройшла через село.\n";
    let mut req = request(&f.agency, "statement.txt");
    req.collection = Some(CollectionRecord {
        language: Some("uk".into()),
        ..CollectionRecord::dokaz()
    });
    let orig = f.vault.ingest(statement.as_bytes(), req).await.unwrap();
    let before: Evidence = f.vault.item(&orig.ern).await.unwrap();
    let history_before = f.vault.history(&orig.ern).await.unwrap();
    let translation = "Witness: at 06:40 a column of vehicles passed through the village.\n";

    let t1 = f
        .vault
        .derive(
            &orig.ern,
            translation.as_bytes(),
            derive(
                DerivativeKind::Translation {
                    language: "en".into(),
                },
                "statement.en.txt",
            ),
        )
        .await
        .unwrap();
    assert_eq!(t1.ern.to_string(), format!("{}-T1", orig.ern));
    assert_eq!(t1.sha256, sha(translation.as_bytes()));
    assert_ne!(t1.evidence.id, orig.evidence.id);
    let r1 = f
        .vault
        .derive(
            &orig.ern,
            &b"\xd0\x9e\xd1\x81\xd0\xbe\xd0\xb1\xd0\xb0: [REDACTED]"[..],
            derive(
                DerivativeKind::Redacted {
                    what: "the witness's name".into(),
                },
                "statement.redacted.txt",
            ),
        )
        .await
        .unwrap();
    assert_eq!(r1.ern.to_string(), format!("{}-R1", orig.ern));
    // A translation of the redaction: same family, the next T, linked to the redaction.
    let t2 = f
        .vault
        .derive(
            &r1.ern,
            &b"Witness: [REDACTED]"[..],
            derive(
                DerivativeKind::Translation {
                    language: "en".into(),
                },
                "redacted.en.txt",
            ),
        )
        .await
        .unwrap();
    assert_eq!(t2.ern.to_string(), format!("{}-T2", orig.ern));
    assert_eq!(
        t2.evidence.derived_from.as_ref().unwrap().original_ern,
        r1.ern
    );
    let x1 = f
        .vault
        .derive(
            &orig.ern,
            &b"06:40 column"[..],
            derive(
                DerivativeKind::Excerpt {
                    range: "line 1".into(),
                    cut_by: "Analyst M. Bondar".into(),
                },
                "excerpt.txt",
            ),
        )
        .await
        .unwrap();
    assert_eq!(x1.ern.to_string(), format!("{}-X1", orig.ern));

    // The original: same row, same bytes, same history.
    assert_eq!(f.vault.item(&orig.ern).await.unwrap(), before);
    assert_eq!(f.vault.history(&orig.ern).await.unwrap(), history_before);
    let chunks: Vec<_> = f
        .blobs
        .get(&orig.sha256, None)
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(chunks.concat(), statement.as_bytes());
    assert_eq!(
        f.blobs.rehash(&orig.sha256, |_| {}).await.unwrap().0,
        orig.sha256
    );
    // The link is a custody event of the derivative.
    let h = f.vault.history(&t1.ern).await.unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].event.action, CustodyAction::Derive);
    assert_eq!(h[0].event.details["derived_from"], orig.ern.to_string());
    assert_eq!(h[0].event.details["derivative.language"], "en");
    assert_eq!(h[0].event.details["original_sha256"], orig.sha256.to_hex());
    assert!(f
        .vault
        .record(&t1.ern, CustodyAction::Derive, None, "", Default::default())
        .await
        .is_err());

    // After a restart, asked through any member, the whole family.
    f.vault.sync().await.unwrap();
    let vault = f.reopen().await;
    let want = [&orig.ern, &r1.ern, &t1.ern, &t2.ern, &x1.ern];
    for member in want {
        let fam = vault.family(member).await.unwrap();
        let erns: Vec<_> = fam.iter().map(|e| &e.ern).collect();
        assert_eq!(erns, [&orig.ern, &r1.ern, &t1.ern, &t2.ern, &x1.ern]);
    }
    assert!(matches!(
        vault
            .family(&format!("{}-T9", orig.ern).parse().unwrap())
            .await,
        Err(VaultError::UnknownErn(_))
    ));

    // Translation missing: the Ukrainian original in an English-only case, until a
    // translation exists.
    let fam = vault.family(&orig.ern).await.unwrap();
    let view = Family::new(orig.ern.clone(), fam.clone(), &["en".into()]);
    let missing: Vec<_> = view
        .members
        .iter()
        .filter(|m| m.translation_missing)
        .map(|m| m.evidence.ern.to_string())
        .collect();
    assert_eq!(
        missing,
        [x1.ern.to_string()],
        "the excerpt has no translation yet"
    );
    let without: Vec<_> = fam
        .into_iter()
        .filter(|e| e.ern != t1.ern && e.ern != t2.ern)
        .collect();
    let view = Family::new(orig.ern.clone(), without, &["en".into()]);
    let missing: Vec<_> = view
        .members
        .iter()
        .filter(|m| m.translation_missing)
        .map(|m| m.evidence.ern.to_string())
        .collect();
    assert_eq!(
        missing,
        [orig.ern.to_string(), r1.ern.to_string(), x1.ern.to_string()]
    );
}

#[tokio::test]
async fn a_tombstoned_item_has_no_new_derivatives() {
    let f = fixture().await;
    let orig = f
        .vault
        .ingest(&b"x"[..], request(&f.agency, "x"))
        .await
        .unwrap();
    f.vault
        .record(
            &orig.ern,
            CustodyAction::Tombstone,
            None,
            "withdrawn",
            Default::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        f.vault.item(&orig.ern).await.unwrap().state,
        EvidenceState::Tombstoned
    );
    let err = f
        .vault
        .derive(
            &orig.ern,
            &b"y"[..],
            derive(DerivativeKind::WorkingCopy, "y"),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, VaultError::Transition { .. }), "{err}");
}
