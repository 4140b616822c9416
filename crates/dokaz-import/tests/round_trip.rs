//! A whole register — units, cases, incidents, persons and the links between them — imported,
//! re-synced without disturbing its links, exported in every format and imported again
//! elsewhere without loss; and persons of two agencies, in Cyrillic and in Latin script,
//! found by deconfliction after import.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::{agency, counts, data, Import};
use dokaz_import::export::{ExportFormat, ExportRecord, Exporter};
use dokaz_import::sync::view;
use dokaz_import::Kind;
use dokaz_model::{AgencyId, PersonRole};
use dokaz_store::{AnyRecord, IncidentFilter, PageRequest, RecordKind, Store};
use uuid::Uuid;

const SOURCE: &str = "bucha";

async fn import_register(store: &dyn Store, a: AgencyId) {
    for (kind, file, mapping, n) in [
        (Kind::Units, "units.csv", None, 2),
        (Kind::Cases, "cases.csv", None, 1),
        (Kind::Incidents, "incidents.csv", None, 2),
        (Kind::Persons, "generic.csv", Some("generic"), 3),
    ] {
        let mut i = Import::new(kind, data(file), SOURCE);
        i.mapping = mapping;
        let (r, _) = i.run(store, a).await.unwrap();
        assert!(r.errors.is_empty(), "{file}: {:?}", r.errors);
        assert_eq!(counts(&r), (n, 0, 0, 0), "{file}");
    }
}

async fn id(store: &dyn Store, a: AgencyId, kind: RecordKind, ext: &str) -> Uuid {
    store
        .find_external_ids(a, SOURCE, kind, &[ext.to_owned()])
        .await
        .unwrap()[ext]
        .record
}

async fn links_and_resync(store: &dyn Store) {
    let a = agency(store, "REG").await;
    import_register(store, a).await;
    let links = Import::new(Kind::Links, data("links.csv"), SOURCE);
    let (r, _) = links.run(store, a).await.unwrap();
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(counts(&r), (0, 5, 0, 0));
    let (r, _) = links.run(store, a).await.unwrap();
    assert_eq!(counts(&r), (0, 0, 5, 0), "links again change nothing");

    let i1 = store
        .incident(id(store, a, RecordKind::Incident, "I-1").await.into())
        .await
        .unwrap();
    let p17 = id(store, a, RecordKind::Person, "P-17").await;
    let p19 = id(store, a, RecordKind::Person, "P-19").await;
    let persons: Vec<Uuid> = i1.persons.iter().map(|p| p.as_uuid()).collect();
    assert_eq!(persons, [p17, p19]);
    assert_eq!(
        i1.perpetrator_units[0].as_uuid(),
        id(store, a, RecordKind::Unit, "U-1").await
    );
    let case = store
        .case(id(store, a, RecordKind::Case, "C-1").await.into())
        .await
        .unwrap();
    assert_eq!(case.incidents.len(), 2);
    let maria = store.person(p19.into()).await.unwrap();
    assert_eq!(maria.roles, [PersonRole::DeportedChild, PersonRole::Victim]);
    assert_eq!(
        store.record_history(i1.id.as_uuid()).await.unwrap().len(),
        1
    );

    // The nightly re-sync of the registers keeps what the links added.
    for (kind, file, mapping) in [
        (Kind::Incidents, "incidents.csv", None),
        (Kind::Persons, "generic.csv", Some("generic")),
        (Kind::Cases, "cases.csv", None),
    ] {
        let mut i = Import::new(kind, data(file), SOURCE);
        i.mapping = mapping;
        let (r, _) = i.run(store, a).await.unwrap();
        assert_eq!(r.summary.created + r.summary.updated, 0, "{file}");
    }
    let tmp = tempfile::tempdir().unwrap();
    let edited = tmp.path().join("incidents.csv");
    let text = std::fs::read_to_string(data("incidents.csv")).unwrap();
    std::fs::write(
        &edited,
        text.replace("Killings on Yablunska", "Killings in Yablunska"),
    )
    .unwrap();
    let (r, rows) = Import::new(Kind::Incidents, edited, SOURCE)
        .run(store, a)
        .await
        .unwrap();
    assert_eq!(counts(&r), (0, 1, 1, 0));
    assert_eq!(
        rows[0]
            .changes
            .as_ref()
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["title"]
    );
    let after = store.incident(i1.id).await.unwrap();
    assert_eq!(after.persons, i1.persons, "links survive an update");
    assert_eq!(after.created_at, i1.created_at);
    assert!(after.updated_at > i1.updated_at);
    let maria = store.person(p19.into()).await.unwrap();
    assert!(maria.roles.contains(&PersonRole::Victim));
}

#[tokio::test]
async fn links_and_resync_on_sqlite() {
    links_and_resync(common::sqlite().await.as_ref()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_and_resync_on_postgresql() {
    links_and_resync(common::postgres().await.as_ref()).await;
}

/// Every record of the agency as dokaz would export it, fully visible.
async fn export_all(store: &dyn Store, a: AgencyId, kind: Kind, format: ExportFormat, out: &Path) {
    let ids: Vec<Uuid>;
    let file = std::fs::File::create(out).unwrap();
    let mut e = Exporter::new(kind, format, file).unwrap();
    let page = PageRequest::first(1000);
    match kind {
        Kind::Incidents => {
            let filter = IncidentFilter {
                agency: Some(a),
                ..Default::default()
            };
            let items = store.list_incidents(&filter, page).await.unwrap().items;
            ids = items.iter().map(|i| i.id.as_uuid()).collect();
            let ext = externals(store, &ids).await;
            for i in &items {
                e.write(
                    &ExportRecord::Incident {
                        incident: i,
                        narrative: true,
                    },
                    ext.get(&i.id.as_uuid()),
                )
                .unwrap();
            }
        }
        Kind::Persons => {
            let items = store.list_persons(Some(a), page).await.unwrap().items;
            ids = items.iter().map(|i| i.id.as_uuid()).collect();
            let ext = externals(store, &ids).await;
            for p in &items {
                e.write(
                    &ExportRecord::Person {
                        person: p,
                        pseudonym: None,
                    },
                    ext.get(&p.id.as_uuid()),
                )
                .unwrap();
            }
        }
        Kind::Units => {
            let items = store.list_units(Some(a), page).await.unwrap().items;
            ids = items.iter().map(|i| i.id.as_uuid()).collect();
            let ext = externals(store, &ids).await;
            for u in &items {
                e.write(&ExportRecord::Unit(u), ext.get(&u.id.as_uuid()))
                    .unwrap();
            }
        }
        _ => {
            let items = store.list_cases(Some(a), page).await.unwrap().items;
            ids = items.iter().map(|i| i.id.as_uuid()).collect();
            let ext = externals(store, &ids).await;
            for c in &items {
                e.write(&ExportRecord::Case(c), ext.get(&c.id.as_uuid()))
                    .unwrap();
            }
        }
    }
    e.finish().unwrap();
}

async fn externals(store: &dyn Store, ids: &[Uuid]) -> HashMap<Uuid, dokaz_store::ExternalId> {
    store
        .external_ids_of(ids)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.record, e))
        .collect()
}

/// What the source said of each record, by external id.
async fn views(store: &dyn Store, a: AgencyId, kind: Kind) -> HashMap<String, serde_json::Value> {
    let page = PageRequest::first(1000);
    let records: Vec<AnyRecord> = match kind {
        Kind::Incidents => {
            let f = IncidentFilter {
                agency: Some(a),
                ..Default::default()
            };
            store
                .list_incidents(&f, page)
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|i| AnyRecord::Incident(Box::new(i)))
                .collect()
        }
        Kind::Persons => store
            .list_persons(Some(a), page)
            .await
            .unwrap()
            .items
            .into_iter()
            .map(AnyRecord::Person)
            .collect(),
        Kind::Units => store
            .list_units(Some(a), page)
            .await
            .unwrap()
            .items
            .into_iter()
            .map(AnyRecord::Unit)
            .collect(),
        _ => store
            .list_cases(Some(a), page)
            .await
            .unwrap()
            .items
            .into_iter()
            .map(AnyRecord::Case)
            .collect(),
    };
    let ids: Vec<Uuid> = records.iter().map(AnyRecord::id).collect();
    let ext = externals(store, &ids).await;
    records
        .iter()
        .map(|r| (ext[&r.id()].external_id.clone(), view(r)))
        .collect()
}

#[tokio::test]
async fn export_then_import_loses_nothing() {
    let store = common::sqlite().await;
    let s = store.as_ref();
    let a = agency(s, "ORIG").await;
    import_register(s, a).await;
    let tmp = tempfile::tempdir().unwrap();
    for format in [ExportFormat::Csv, ExportFormat::JsonLines] {
        let b = agency(
            s,
            if format == ExportFormat::Csv {
                "CSVB"
            } else {
                "JSONB"
            },
        )
        .await;
        for kind in [Kind::Units, Kind::Cases, Kind::Incidents, Kind::Persons] {
            let ext = if format == ExportFormat::Csv {
                "csv"
            } else {
                "jsonl"
            };
            let out = tmp.path().join(format!("{}.{ext}", kind.code()));
            export_all(s, a, kind, format, &out).await;
            let (r, _) = Import::new(kind, out.clone(), SOURCE)
                .run(s, b)
                .await
                .unwrap();
            assert!(r.errors.is_empty(), "{kind:?} {ext}: {:?}", r.errors);
            assert_eq!(r.summary.refused, 0);
            // Re-importing the export into the original agency and source changes nothing.
            let (same, _) = Import::new(kind, out.clone(), SOURCE)
                .run(s, a)
                .await
                .unwrap();
            assert_eq!(
                same.summary.created + same.summary.updated,
                0,
                "{kind:?} {ext}"
            );
            let (va, vb) = (views(s, a, kind).await, views(s, b, kind).await);
            assert_eq!(va.len(), vb.len());
            for (id, v) in &va {
                assert_eq!(Some(v), vb.get(id), "{kind:?} {ext} {id}");
            }
        }
        // The formula in a narrative was escaped in the CSV and restored on import.
        if format == ExportFormat::Csv {
            let csv = std::fs::read_to_string(tmp.path().join("incidents.csv")).unwrap();
            assert!(csv.contains("'=cmd|"), "{csv}");
            assert!(!csv.contains(",=cmd|"), "{csv}");
        }
    }
    // GeoJSON: one feature per incident, [lon, lat], with the external id.
    let out = tmp.path().join("incidents.geojson");
    export_all(s, a, Kind::Incidents, ExportFormat::GeoJson, &out).await;
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let features = doc["features"].as_array().unwrap();
    assert_eq!(features.len(), 2);
    let f = features
        .iter()
        .find(|f| f["properties"]["external_id"] == "I-1")
        .unwrap();
    assert_eq!(
        f["geometry"]["coordinates"],
        serde_json::json!([30.2227, 50.5436])
    );
}

/// Two agencies' registers of the same people — one in Cyrillic, one in Latin script — are
/// found by the deconfliction engine once imported.
#[tokio::test]
async fn persons_of_two_agencies_match_across_scripts_after_import() {
    use dokaz_match::engine::{pairs, PersonKeySource, Run};
    use dokaz_match::keys::Keyer;
    use dokaz_match::person::{set_rarity, PersonFeatures};
    use dokaz_match::weights::Weights;

    let store = common::sqlite().await;
    let s = store.as_ref();
    let (a, b) = (agency(s, "UAPGO").await, agency(s, "JIT").await);
    Import::new(Kind::Persons, data("generic.csv"), "register")
        .mapping("generic")
        .run(s, a)
        .await
        .unwrap();
    Import::new(Kind::Persons, data("other-agency.csv"), "jit")
        .run(s, b)
        .await
        .unwrap();
    let mut persons = s
        .list_persons(None, PageRequest::first(100))
        .await
        .unwrap()
        .items;
    persons.sort_by_key(|p| p.id);
    let mut features: Vec<PersonFeatures> = persons.iter().map(PersonFeatures::new).collect();
    set_rarity(&mut features);
    let w = Weights::default();
    let keyer = Keyer::Plain;
    let (found, _) = pairs(
        &features,
        &PersonKeySource {
            features: &features,
            keyer: &keyer,
        },
        w.threshold.person,
        &Run {
            weights: &w,
            threads: 1,
            progress: &|_| {},
        },
    );
    let name = |i: u32| persons[i as usize].names[0].full.clone();
    let mut matched: Vec<(String, String)> = found
        .iter()
        .map(|p| {
            let (x, y) = (name(p.a), name(p.b));
            if x < y {
                (x, y)
            } else {
                (y, x)
            }
        })
        .collect();
    matched.sort();
    assert!(
        matched.contains(&(
            "Olena Kovalenko".to_owned(),
            "Коваленко Олена Петрівна".to_owned()
        )),
        "{matched:?}"
    );
}
