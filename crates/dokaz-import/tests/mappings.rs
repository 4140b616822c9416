//! Each shipped mapping on a sample file written from the tool's documented export format:
//! imported, imported again unchanged (zero changes), and again with one edited row (one
//! update, recorded in the record's history) — on SQLite and on PostgreSQL.

mod common;

use std::sync::Arc;

use common::{agency, counts, data, Import};
use dokaz_import::Kind;
use dokaz_model::{Crime, IncidentStatus, PersonRole, Sex, TimePrecision};
use dokaz_store::{RecordKind, Store};

struct Sample {
    mapping: &'static str,
    file: &'static str,
    kind: Kind,
    rows: u64,
    /// One edit of one row: (text, replacement, external id of the row, changed field).
    edit: (&'static str, &'static str, &'static str, &'static str),
}

const SAMPLES: &[Sample] = &[
    Sample {
        mapping: "atlos",
        file: "atlos.csv",
        kind: Kind::Incidents,
        rows: 3,
        edit: (",Kharkiv,", ",Saltivka,", "ATL-3MX9PA", "location"),
    },
    Sample {
        mapping: "uwazi",
        file: "uwazi.csv",
        kind: Kind::Incidents,
        rows: 3,
        edit: (",Ізюм,", ",Ізюм (Харківщина),", "UW-0003", "location"),
    },
    Sample {
        mapping: "auto-archiver",
        file: "auto-archiver.csv",
        kind: Kind::Incidents,
        rows: 2,
        edit: (
            "hit in Kyiv",
            "hit in Kyiv (Obolon)",
            "https://twitter.com/example/status/2002",
            "narratives",
        ),
    },
    Sample {
        mapping: "generic",
        file: "generic.csv",
        kind: Kind::Persons,
        rows: 3,
        edit: (",11.2010,", ",12.11.2010,", "P-19", "birth_date"),
    },
];

async fn round(store: Arc<dyn Store>) {
    let a = agency(store.as_ref(), "SYNC").await;
    let tmp = tempfile::tempdir().unwrap();
    for s in SAMPLES {
        let import = Import::new(s.kind, data(s.file), s.mapping).mapping(s.mapping);
        let (r, rows) = import.run(store.as_ref(), a).await.unwrap();
        assert!(r.errors.is_empty(), "{}: {:?}", s.mapping, r.errors);
        assert_eq!(counts(&r), (s.rows, 0, 0, 0), "{}: first import", s.mapping);
        assert!(r.summary.written);
        assert!(rows.iter().all(|o| o.record.is_some()));

        let (again, _) = import.run(store.as_ref(), a).await.unwrap();
        assert_eq!(
            counts(&again),
            (0, 0, s.rows, 0),
            "{}: re-import changes nothing",
            s.mapping
        );

        let (from, to, id, field) = s.edit;
        let text = std::fs::read_to_string(data(s.file)).unwrap();
        assert!(text.contains(from), "{}: the edit applies", s.mapping);
        let edited = tmp.path().join(s.file);
        std::fs::write(&edited, text.replacen(from, to, 1)).unwrap();
        let edited_import = Import::new(s.kind, edited.clone(), s.mapping).mapping(s.mapping);
        let (dry, plan) = edited_import
            .clone()
            .dry_run()
            .run(store.as_ref(), a)
            .await
            .unwrap();
        assert_eq!(
            counts(&dry),
            (0, 1, s.rows - 1, 0),
            "{}: dry run",
            s.mapping
        );
        assert!(!dry.summary.written);
        let (upd, rows) = edited_import.run(store.as_ref(), a).await.unwrap();
        assert_eq!(
            counts(&upd),
            (0, 1, s.rows - 1, 0),
            "{}: one edit",
            s.mapping
        );
        let updated = rows
            .iter()
            .find(|o| o.external_id.as_deref() == Some(id))
            .unwrap();
        assert!(
            updated.changes.as_ref().unwrap().get(field).is_some(),
            "{}: {:?}",
            s.mapping,
            updated.changes
        );
        assert_eq!(
            plan.iter()
                .find(|o| o.line == updated.line)
                .unwrap()
                .changes,
            updated.changes
        );
        let history = store.record_history(updated.record.unwrap()).await.unwrap();
        assert_eq!(history.len(), 1, "{}", s.mapping);
        assert_eq!(history[0].external_id, id);
        assert!(history[0].changes.get(field).is_some());
        let (after, _) = edited_import.run(store.as_ref(), a).await.unwrap();
        assert_eq!(
            counts(&after),
            (0, 0, s.rows, 0),
            "{}: edit applied once",
            s.mapping
        );
    }
    check_values(store.as_ref(), a).await;
}

/// What the mappings made of the samples' cells.
async fn check_values(store: &dyn Store, a: dokaz_model::AgencyId) {
    let find = |source: &'static str, kind: RecordKind, id: &'static str| async move {
        store
            .find_external_ids(a, source, kind, &[id.to_owned()])
            .await
            .unwrap()[id]
            .record
    };
    let cluster = store
        .incident(
            find("atlos", RecordKind::Incident, "ATL-3MX9PA")
                .await
                .into(),
        )
        .await
        .unwrap();
    let codes: Vec<String> = cluster
        .weapons
        .iter()
        .map(|w| {
            serde_json::to_value(w)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(codes, ["weapon:cluster-munition", "weapon:mlrs"]);
    assert_eq!(cluster.status, IncidentStatus::UnderInvestigation);
    assert_eq!(cluster.location.coordinates.unwrap().lat, 49.9935);

    let torture = store
        .incident(find("uwazi", RecordKind::Incident, "UW-0003").await.into())
        .await
        .unwrap();
    assert_eq!(torture.occurred.precision, TimePrecision::Month);
    assert_eq!(torture.crimes, vec![Crime::WcTorture]);
    assert_eq!(torture.location.coordinates.unwrap().lon, 37.2579);

    let kyiv = store
        .incident(
            find(
                "auto-archiver",
                RecordKind::Incident,
                "https://twitter.com/example/status/2002",
            )
            .await
            .into(),
        )
        .await
        .unwrap();
    let c = kyiv.location.coordinates.unwrap();
    assert!((c.lat - 50.4501).abs() < 1e-4 && (c.lon - 30.5234).abs() < 1e-4);
    assert_eq!(kyiv.title, "Archived post");
    assert_eq!(kyiv.occurred.precision, TimePrecision::Second);

    let olena = store
        .person(find("generic", RecordKind::Person, "P-17").await.into())
        .await
        .unwrap();
    assert_eq!(olena.names[0].full, "Коваленко Олена Петрівна");
    assert_eq!(olena.names[1].full, "Kovalenko Olena");
    assert_eq!(olena.roles, [PersonRole::Witness, PersonRole::Victim]);
    assert_eq!(olena.birth_date.unwrap().to_string(), "1979-04-03");
    assert_eq!(olena.sex, Sex::Female);
    assert!(olena.protected);
}

#[tokio::test]
async fn shipped_mappings_on_sqlite() {
    round(common::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shipped_mappings_on_postgresql() {
    round(common::postgres().await).await;
}

/// The same register saved by Excel as Windows-1251 with `;` is the same register: importing
/// it after the UTF-8 one changes nothing.
#[tokio::test]
async fn a_windows_1251_copy_is_the_same_register() {
    let store = common::sqlite().await;
    let a = agency(store.as_ref(), "CP").await;
    let utf8 = Import::new(Kind::Persons, data("generic.csv"), "register").mapping("generic");
    assert_eq!(
        counts(&utf8.run(store.as_ref(), a).await.unwrap().0),
        (3, 0, 0, 0)
    );
    let cp = Import::new(Kind::Persons, data("generic-cp1251.csv"), "register").mapping("generic");
    let (r, _) = cp.run(store.as_ref(), a).await.unwrap();
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(counts(&r), (0, 0, 3, 0));
}
