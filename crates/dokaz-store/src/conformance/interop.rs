//! The contract of external ids and record history: imports that write many kinds at once,
//! all or nothing, and updates that leave a history entry.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use dokaz_model::{Case, CaseId, CaseStatus, Classification, Unit, UnitId};
use serde_json::json;

use super::fixtures::{agency, incident};
use super::others::person;
use crate::{AnyRecord, HistoryChange, ImportBatch, ImportWrite, RecordKind, Store, StoreError};

fn write(external_id: &str, record: AnyRecord, hash: u8) -> ImportWrite {
    ImportWrite {
        external_id: Some(external_id.into()),
        record,
        content_hash: [hash; 32],
        update: None,
    }
}

pub async fn import_batches_with_external_ids(s: Arc<dyn Store>) {
    let a = agency("IMP");
    let b = agency("IMPB");
    s.create_agency(&a).await.unwrap();
    s.create_agency(&b).await.unwrap();
    let at = Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).unwrap();
    let p = person(a.id);
    let inc = incident(a.id, 1);
    let u = Unit {
        id: UnitId::new(),
        agency: a.id,
        names: vec!["64 ОМСБр".into()],
        numbers: vec!["в/ч 51460".into()],
        affiliation: "RU".into(),
        parent: None,
        classification: Classification::Open,
        created_at: at,
        updated_at: at,
    };
    let c = Case {
        id: CaseId::new(),
        agency: a.id,
        reference: "12022100000000123".into(),
        title: "Bucha".into(),
        status: CaseStatus::Open,
        lead: None,
        incidents: vec![],
        suspects: vec![],
        working_languages: vec![],
        classification: Classification::Restricted,
        created_at: at,
        updated_at: at,
    };
    let batch = ImportBatch {
        agency: a.id,
        source: "sheet".into(),
        actor: None,
        at,
        writes: vec![
            write("1", AnyRecord::Person(p.clone()), 1),
            write("1", AnyRecord::Incident(Box::new(inc.clone())), 2),
            write("u-1", AnyRecord::Unit(u.clone()), 3),
            write("c-1", AnyRecord::Case(c.clone()), 4),
        ],
    };
    s.apply_import(&batch).await.unwrap();
    assert_eq!(s.person(p.id).await.unwrap(), p);
    assert_eq!(s.incident(inc.id).await.unwrap(), inc);
    assert_eq!(s.unit(u.id).await.unwrap(), u);
    assert_eq!(s.case(c.id).await.unwrap(), c);

    // The same external id names different records per kind; other sources and agencies
    // see nothing.
    let ids = vec!["1".to_owned(), "2".to_owned()];
    let persons = s
        .find_external_ids(a.id, "sheet", RecordKind::Person, &ids)
        .await
        .unwrap();
    assert_eq!(persons.len(), 1);
    assert_eq!(persons["1"].record, p.id.as_uuid());
    assert_eq!(persons["1"].content_hash, [1; 32]);
    let incidents = s
        .find_external_ids(a.id, "sheet", RecordKind::Incident, &ids)
        .await
        .unwrap();
    assert_eq!(incidents["1"].record, inc.id.as_uuid());
    for (agency, source) in [(a.id, "other"), (b.id, "sheet")] {
        assert!(s
            .find_external_ids(agency, source, RecordKind::Person, &ids)
            .await
            .unwrap()
            .is_empty());
    }
    let ext = s.external_ids_of(&[u.id.as_uuid()]).await.unwrap();
    assert_eq!(ext.len(), 1);
    assert_eq!(
        (ext[0].source.as_str(), ext[0].external_id.as_str()),
        ("sheet", "u-1")
    );

    // An update replaces the record, moves the hash and leaves one history entry.
    let mut changed = p.clone();
    changed.place_of_origin = "Буча".into();
    let later = at + chrono::Duration::days(1);
    let update = ImportBatch {
        at: later,
        writes: vec![ImportWrite {
            update: Some(HistoryChange {
                changes: json!({"place_of_origin": {"old": "Ірпінь", "new": "Буча"}}),
                old_hash: Some([1; 32]),
            }),
            ..write("1", AnyRecord::Person(changed.clone()), 9)
        }],
        ..batch.clone()
    };
    s.apply_import(&update).await.unwrap();
    assert_eq!(s.person(p.id).await.unwrap(), changed);
    let h = s.record_history(p.id.as_uuid()).await.unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].kind, RecordKind::Person);
    assert_eq!(h[0].external_id, "1");
    assert_eq!(h[0].at, later);
    assert_eq!(h[0].changes["place_of_origin"]["new"], "Буча");
    assert_eq!((h[0].old_hash, h[0].new_hash), (Some([1; 32]), [9; 32]));
    let again = s
        .find_external_ids(a.id, "sheet", RecordKind::Person, &ids)
        .await
        .unwrap();
    assert_eq!(again["1"].content_hash, [9; 32]);
}

pub async fn failed_import_leaves_nothing(s: Arc<dyn Store>) {
    let a = agency("IMPF");
    s.create_agency(&a).await.unwrap();
    let at = Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).unwrap();
    let first = person(a.id);
    let batch = ImportBatch {
        agency: a.id,
        source: "sheet".into(),
        actor: None,
        at,
        writes: vec![write("7", AnyRecord::Person(first.clone()), 1)],
    };
    s.apply_import(&batch).await.unwrap();
    // A batch whose second write reuses an imported external id: nothing of it is stored.
    let fresh = person(a.id);
    let retry = person(a.id);
    let bad = ImportBatch {
        writes: vec![
            write("8", AnyRecord::Person(fresh.clone()), 2),
            write("7", AnyRecord::Person(retry.clone()), 3),
        ],
        ..batch.clone()
    };
    assert!(matches!(
        s.apply_import(&bad).await,
        Err(StoreError::Conflict { .. })
    ));
    assert!(matches!(
        s.person(fresh.id).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(s
        .find_external_ids(a.id, "sheet", RecordKind::Person, &["8".to_owned()])
        .await
        .unwrap()
        .is_empty());
    // An update of a record that does not exist is NotFound, and rolls back the batch.
    let ghost = person(a.id);
    let bad_update = ImportBatch {
        writes: vec![
            write("9", AnyRecord::Person(fresh.clone()), 2),
            ImportWrite {
                update: Some(HistoryChange {
                    changes: json!({}),
                    old_hash: None,
                }),
                ..write("10", AnyRecord::Person(ghost), 4)
            },
        ],
        ..batch.clone()
    };
    assert!(matches!(
        s.apply_import(&bad_update).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(s.person(fresh.id).await.is_err());
    // A record of another agency in the batch is refused before anything is written.
    let other = agency("IMPO");
    s.create_agency(&other).await.unwrap();
    let foreign = ImportBatch {
        writes: vec![write("11", AnyRecord::Person(person(other.id)), 5)],
        ..batch
    };
    assert!(matches!(
        s.apply_import(&foreign).await,
        Err(StoreError::Conflict { .. })
    ));
    assert_eq!(s.person(first.id).await.unwrap(), first);
}
