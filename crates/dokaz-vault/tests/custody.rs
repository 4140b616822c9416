//! Custody events after intake: transitions, row changes, history.

mod common;

use std::collections::BTreeMap;

use common::{fixture, request};
use dokaz_model::{Classification, CustodyAction, EvidenceState};
use dokaz_vault::VaultError;

#[tokio::test]
async fn seal_unseal_and_tombstone_change_the_row_with_the_event() {
    let f = fixture().await;
    let r = f
        .vault
        .ingest(&b"exhibit"[..], request(&f.agency, "e.txt"))
        .await
        .unwrap();
    let ern = r.ern;
    let none = BTreeMap::new;

    let seal = f
        .vault
        .record(
            &ern,
            CustodyAction::Seal,
            None,
            "protect the witness",
            none(),
        )
        .await
        .unwrap();
    assert_eq!(seal.ledger_index, 1);
    assert_eq!(seal.event.previous_state.as_deref(), Some("restricted"));
    assert_eq!(
        f.vault.item(&ern).await.unwrap().classification,
        Classification::Sealed
    );
    let again = f
        .vault
        .record(&ern, CustodyAction::Seal, None, "", none())
        .await;
    assert!(matches!(again, Err(VaultError::Transition { .. })));

    let mut to_open = BTreeMap::new();
    to_open.insert("classification".to_owned(), "open".to_owned());
    f.vault
        .record(
            &ern,
            CustodyAction::Unseal,
            None,
            "court order 12/2025",
            to_open,
        )
        .await
        .unwrap();
    assert_eq!(
        f.vault.item(&ern).await.unwrap().classification,
        Classification::Open
    );

    for action in [
        CustodyAction::Access,
        CustodyAction::Annotate,
        CustodyAction::Transfer,
    ] {
        f.vault
            .record(&ern, action, None, "work", none())
            .await
            .unwrap();
    }
    f.vault
        .record(
            &ern,
            CustodyAction::Tombstone,
            None,
            "duplicate upload",
            none(),
        )
        .await
        .unwrap();
    assert_eq!(
        f.vault.item(&ern).await.unwrap().state,
        EvidenceState::Tombstoned
    );
    let after = f
        .vault
        .record(&ern, CustodyAction::Share, None, "", none())
        .await;
    assert!(
        matches!(after, Err(VaultError::Transition { .. })),
        "{after:?}"
    );
    // Reading a withdrawn item is still recorded.
    f.vault
        .record(&ern, CustodyAction::Access, None, "audit", none())
        .await
        .unwrap();

    let actions: Vec<_> = f
        .vault
        .history(&ern)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.ledger_index, r.event.action))
        .collect();
    use CustodyAction::*;
    assert_eq!(
        actions,
        vec![
            (0, Intake),
            (1, Seal),
            (2, Unseal),
            (3, Access),
            (4, Annotate),
            (5, Transfer),
            (6, Tombstone),
            (7, Access)
        ]
    );
}

#[tokio::test]
async fn unknown_items_and_intake_by_record_are_refused() {
    let f = fixture().await;
    let ern = "PGO-GEN-000042".parse().unwrap();
    let err = f
        .vault
        .record(&ern, CustodyAction::Access, None, "", BTreeMap::new())
        .await
        .unwrap_err();
    assert!(matches!(err, VaultError::UnknownErn(_)), "{err}");
    let r = f
        .vault
        .ingest(&b"x"[..], request(&f.agency, "x"))
        .await
        .unwrap();
    let err = f
        .vault
        .record(&r.ern, CustodyAction::Intake, None, "", BTreeMap::new())
        .await
        .unwrap_err();
    assert!(matches!(err, VaultError::Transition { .. }), "{err}");
}
