//! The labelled corpus: deterministic, well-formed, and as noisy as it claims to be.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use dokaz_demo::{
    read_labelled, write_labelled, LabelledCorpus, LabelledSpec, LinkedPair, TrueLink, Variation,
};
use dokaz_model::{AgencyId, Person};

fn spec() -> LabelledSpec {
    LabelledSpec {
        seed: 7,
        agencies: 5,
        incidents: 1_000,
        persons: 2_000,
        units: 40,
        overlap: 0.3,
    }
}

fn write(spec: &LabelledSpec, dir: &Path) -> dokaz_demo::LabelledSummary {
    let mut last = 0;
    let summary = write_labelled(spec, dir, |p| {
        assert!(p.written >= last && p.written <= p.total);
        last = p.written;
    })
    .unwrap();
    assert_eq!(last, (spec.incidents + spec.persons + spec.units) as u64);
    summary
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_same_seed_gives_the_same_bytes() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    write(&spec(), a.path());
    write(&spec(), b.path());
    let (fa, fb) = (files(a.path()), files(b.path()));
    assert_eq!(
        fa.keys().collect::<Vec<_>>(),
        [
            "agencies.jsonl",
            "incidents.jsonl",
            "links.jsonl",
            "manifest.json",
            "persons.csv",
            "persons.jsonl",
            "units.jsonl"
        ]
    );
    assert!(fa == fb, "two runs of one seed differ");

    let c = tempfile::tempdir().unwrap();
    write(&LabelledSpec { seed: 8, ..spec() }, c.path());
    assert_ne!(fa["persons.jsonl"], files(c.path())["persons.jsonl"]);
}

/// Cluster of every record: the first report's id for star-shaped links.
fn clusters(corpus: &LabelledCorpus) -> HashMap<uuid::Uuid, uuid::Uuid> {
    let mut root = HashMap::new();
    for l in &corpus.links {
        let (a, b) = ids(l);
        root.insert(b, a);
    }
    root
}

fn ids(l: &TrueLink) -> (uuid::Uuid, uuid::Uuid) {
    match l.pair {
        LinkedPair::Incident { a, b } => (a.as_uuid(), b.as_uuid()),
        LinkedPair::Person { a, b } => (a.as_uuid(), b.as_uuid()),
        LinkedPair::Unit { a, b } => (a.as_uuid(), b.as_uuid()),
    }
}

#[test]
fn links_join_existing_records_of_different_agencies_in_stars() {
    let dir = tempfile::tempdir().unwrap();
    let summary = write(&spec(), dir.path());
    let corpus = read_labelled(dir.path()).unwrap();
    assert_eq!(corpus.manifest, summary.manifest);
    assert_eq!(corpus.agencies.len(), 5);
    assert_eq!(corpus.incidents.len(), 1_000);
    assert_eq!(corpus.persons.len(), 2_000);
    assert_eq!(corpus.manifest.counts.links as usize, corpus.links.len());

    let agency_of: HashMap<uuid::Uuid, AgencyId> = corpus
        .incidents
        .iter()
        .map(|i| (i.id.as_uuid(), i.agency))
        .chain(corpus.persons.iter().map(|p| (p.id.as_uuid(), p.agency)))
        .chain(corpus.units.iter().map(|u| (u.id.as_uuid(), u.agency)))
        .collect();
    assert_eq!(
        agency_of.len(),
        corpus.incidents.len() + corpus.persons.len() + corpus.units.len(),
        "ids are unique"
    );
    let mut seconds = HashSet::new();
    for l in &corpus.links {
        let (a, b) = ids(l);
        assert_eq!(agency_of[&a], l.agencies[0], "{l:?}");
        assert_eq!(agency_of[&b], l.agencies[1], "{l:?}");
        assert_ne!(l.agencies[0], l.agencies[1], "{l:?}");
        assert!(seconds.insert(b), "a record is linked to one first report");
    }
    // Star-shaped: a first report is never itself a further report.
    let root = clusters(&corpus);
    for a in root.values() {
        assert!(!root.contains_key(a));
    }
    // No two reports of one cluster by the same agency.
    let mut by_cluster: HashMap<uuid::Uuid, Vec<AgencyId>> = HashMap::new();
    for (b, a) in &root {
        by_cluster.entry(*a).or_insert_with(|| vec![agency_of[a]]);
        by_cluster.get_mut(a).unwrap().push(agency_of[b]);
    }
    for agencies in by_cluster.values() {
        let distinct: HashSet<_> = agencies.iter().collect();
        assert_eq!(distinct.len(), agencies.len());
    }

    // Every record is valid in the model's own terms.
    let now = chrono::Utc::now();
    for i in &corpus.incidents {
        i.validate(now).unwrap_or_else(|e| panic!("{e}: {i:?}"));
    }
    for p in &corpus.persons {
        p.validate(now.date_naive())
            .unwrap_or_else(|e| panic!("{e}: {p:?}"));
    }
}

#[test]
fn most_are_reported_once_some_by_two_fewer_by_more() {
    let dir = tempfile::tempdir().unwrap();
    let s = write(&spec(), dir.path());
    for c in [&s.incidents, &s.persons] {
        let multi: u64 = c.sizes[2..].iter().sum();
        let share = multi as f64 / c.entities as f64;
        assert!((share - 0.3).abs() < 0.05, "overlap share {share}");
        assert!(c.sizes[1] > c.sizes[2] && c.sizes[2] > c.sizes[3] && c.sizes[3] > 0);
        let records: u64 = c.sizes.iter().enumerate().map(|(k, n)| k as u64 * n).sum();
        assert!(records == 1_000 || records == 2_000);
        assert!(c.hard_negatives > 0);
        assert!(c.sizes.len() <= 6, "at most one report per agency");
    }
}

#[test]
fn variations_are_really_there() {
    let dir = tempfile::tempdir().unwrap();
    write(&spec(), dir.path());
    let corpus = read_labelled(dir.path()).unwrap();
    let persons: HashMap<uuid::Uuid, &Person> =
        corpus.persons.iter().map(|p| (p.id.as_uuid(), p)).collect();
    let incidents: HashMap<uuid::Uuid, &dokaz_model::Incident> = corpus
        .incidents
        .iter()
        .map(|i| (i.id.as_uuid(), i))
        .collect();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for l in &corpus.links {
        let (a, b) = ids(l);
        for v in &l.variations {
            *seen
                .entry(
                    format!("{v:?}")
                        .split([' ', '{'])
                        .next()
                        .unwrap()
                        .to_owned(),
                )
                .or_default() += 1;
            if let (Some(pa), Some(pb)) = (persons.get(&a), persons.get(&b)) {
                let (na, nb) = (&pa.names[0], &pb.names[0]);
                match v {
                    Variation::NameSpelling | Variation::Typo => {
                        assert_ne!(na.full, nb.full, "{v:?}")
                    }
                    Variation::BirthDateMissing => {
                        assert!(pa.birth_date.is_some() != pb.birth_date.is_some())
                    }
                    Variation::BirthYearOff => assert_eq!(
                        (pa.birth_date.unwrap().year - pb.birth_date.unwrap().year).abs(),
                        1
                    ),
                    Variation::SexMissing => assert_ne!(pa.sex, pb.sex),
                    Variation::OriginDiffers => {
                        assert_ne!(pa.place_of_origin, pb.place_of_origin)
                    }
                    _ => {}
                }
            }
            if let (Some(ia), Some(ib)) = (incidents.get(&a), incidents.get(&b)) {
                match v {
                    Variation::CoordinatesMissing => {
                        assert!(ia.location.coordinates.is_some());
                        assert!(ib.location.coordinates.is_none());
                    }
                    Variation::CoordinatesShifted { .. } => {
                        assert_ne!(ia.location.coordinates, ib.location.coordinates)
                    }
                    Variation::PlaceNameSpelling => {
                        assert_ne!(ia.location.place_name, ib.location.place_name)
                    }
                    Variation::CasualtiesDiffer => assert_ne!(ia.harm, ib.harm),
                    Variation::TimeShifted { .. } | Variation::CoarserTime => {
                        assert_ne!(ia.occurred, ib.occurred)
                    }
                    _ => {}
                }
            }
        }
    }
    for kind in [
        "NameSpelling",
        "NameOrder",
        "PatronymicDiffers",
        "Diminutive",
        "Typo",
        "BirthDateMissing",
        "BirthDateCoarser",
        "BirthYearOff",
        "SexMissing",
        "OriginDiffers",
        "CoordinatesShifted",
        "CoordinatesMissing",
        "TimeShifted",
        "CoarserTime",
        "CasualtiesDiffer",
        "WeaponMissing",
        "PlaceNameSpelling",
        "NarrativeLanguage",
        "QualificationDiffers",
    ] {
        assert!(
            seen.get(kind).copied().unwrap_or(0) > 0,
            "no {kind} in {seen:?}"
        );
    }
}

#[test]
fn the_csv_has_one_row_per_person_in_jsonl_order() {
    let dir = tempfile::tempdir().unwrap();
    write(&spec(), dir.path());
    let corpus = read_labelled(dir.path()).unwrap();
    let csv = std::fs::read_to_string(dir.path().join("persons.csv")).unwrap();
    let mut lines = csv.split("\r\n");
    assert_eq!(
        lines.next().unwrap(),
        "id,agency,full_name,given,family,patronymic,birth_date,sex,origin"
    );
    let rows: Vec<&str> = lines.filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), corpus.persons.len());
    for (row, p) in rows.iter().zip(&corpus.persons) {
        assert!(row.starts_with(&format!("{},", p.id)));
    }
    // Latin family-first names carry a comma and are quoted.
    assert!(rows.iter().any(|r| r.contains(", ") && r.contains('"')));
}

#[test]
fn a_common_name_is_shared_by_distinct_people() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &LabelledSpec {
            incidents: 0,
            persons: 4_000,
            units: 0,
            ..spec()
        },
        dir.path(),
    );
    let corpus = read_labelled(dir.path()).unwrap();
    let root = clusters(&corpus);
    let cluster = |p: &Person| {
        let id = p.id.as_uuid();
        root.get(&id).copied().unwrap_or(id)
    };
    let mut by_name: HashMap<(String, String), HashSet<uuid::Uuid>> = HashMap::new();
    for p in &corpus.persons {
        let n = &p.names[0];
        if !n.family.is_empty() && !n.given.is_empty() {
            by_name
                .entry((n.family.clone(), n.given.clone()))
                .or_default()
                .insert(cluster(p));
        }
    }
    let shared = by_name.values().filter(|c| c.len() > 1).count();
    assert!(shared > 20, "{shared} names shared by distinct people");
    let distinct_family: HashSet<&str> = corpus
        .persons
        .iter()
        .map(|p| p.names[0].family.as_str())
        .collect();
    assert!(distinct_family.len() > 1_000, "{}", distinct_family.len());
}

#[test]
fn ten_agencies_and_their_own_spellings() {
    let dir = tempfile::tempdir().unwrap();
    let s = write(
        &LabelledSpec {
            agencies: 10,
            incidents: 300,
            persons: 1_500,
            units: 10,
            overlap: 0.6,
            ..spec()
        },
        dir.path(),
    );
    assert_eq!(s.agencies.len(), 10);
    assert_eq!(s.agencies[9], "PARTNER1");
    let corpus = read_labelled(dir.path()).unwrap();
    let partner = corpus.agencies[9].id;
    let names: Vec<&str> = corpus
        .persons
        .iter()
        .filter(|p| p.agency == partner)
        .map(|p| p.names[0].full.as_str())
        .collect();
    assert!(!names.is_empty());
    // The tenth agency is a German-speaking partner: Duden spellings (sch, tsch, w).
    assert!(
        names.iter().any(|n| n.contains("sch") || n.contains('w')),
        "{names:?}"
    );
    assert!(s.persons.sizes.len() > 6, "clusters beyond five agencies");
    assert!(write_labelled(
        &LabelledSpec {
            agencies: 11,
            ..spec()
        },
        dir.path(),
        |_| {}
    )
    .is_err());
}
