//! The promises of the demo dataset: reproducible, valid, the size asked for, and with a ground
//! truth that deconfliction can be scored against.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use chrono::Utc;
use dokaz_demo::{generate, DemoData, DemoSpec, LinkedPair};
use dokaz_gazetteer::Gazetteer;
use dokaz_model::{AgencyId, Role};

fn default_data() -> &'static DemoData {
    static DATA: OnceLock<DemoData> = OnceLock::new();
    DATA.get_or_init(|| generate(&DemoSpec::default()))
}

#[test]
fn same_seed_same_data_other_seed_other_data() {
    let spec = DemoSpec {
        incidents: 400,
        persons: 120,
        ..DemoSpec::default()
    };
    let a = generate(&spec);
    let b = generate(&spec);
    assert_eq!(a, b);
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
    let c = generate(&DemoSpec { seed: 7, ..spec });
    assert_ne!(a.incidents[0].id, c.incidents[0].id);
}

#[test]
fn every_record_validates() {
    let d = default_data();
    let now = Utc::now();
    for i in &d.incidents {
        if let Err(p) = i.validate(now) {
            panic!("incident {:?} {}: {p}", i.title, i.id);
        }
    }
    for p in &d.persons {
        if let Err(e) = p.validate(now.date_naive()) {
            panic!("person {}: {e}", p.id);
        }
    }
    for u in &d.units {
        u.validate()
            .unwrap_or_else(|e| panic!("unit {}: {e}", u.id));
    }
    for c in &d.cases {
        c.validate()
            .unwrap_or_else(|e| panic!("case {}: {e}", c.reference));
    }
}

#[test]
fn counts_are_as_asked() {
    let d = default_data();
    let spec = DemoSpec::default();
    assert_eq!(d.agencies.len(), spec.agencies);
    assert_eq!(d.incidents.len(), spec.incidents);
    assert_eq!(d.persons.len(), spec.persons);
    assert_eq!(d.units.len(), spec.units);
    assert!(!d.cases.is_empty());

    let small = generate(&DemoSpec {
        agencies: 1,
        incidents: 50,
        persons: 10,
        units: 5,
        ..DemoSpec::default()
    });
    assert_eq!(small.agencies.len(), 2, "at least two agencies");
    assert_eq!(small.incidents.len(), 50);

    let many = generate(&DemoSpec {
        agencies: 12,
        incidents: 200,
        persons: 40,
        units: 10,
        ..DemoSpec::default()
    });
    assert_eq!(many.agencies.len(), 12);
    let codes: HashSet<_> = many.agencies.iter().map(|a| a.code.clone()).collect();
    assert_eq!(codes.len(), 12, "agency codes are unique");
}

#[test]
fn degenerate_specs_do_not_panic() {
    for (incidents, persons, units, overlap) in [(0, 0, 0, 0.0), (0, 5, 0, 1.0), (3, 50, 1, 1.0)] {
        let d = generate(&DemoSpec {
            incidents,
            persons,
            units,
            overlap,
            ..DemoSpec::default()
        });
        assert_eq!(d.incidents.len(), incidents);
    }
}

#[test]
fn every_agency_has_users_with_every_role() {
    let d = default_data();
    for a in &d.agencies {
        let roles: HashSet<Role> = d
            .users
            .iter()
            .filter(|u| u.agency == a.id)
            .flat_map(|u| u.roles.iter().copied())
            .collect();
        assert_eq!(roles.len(), Role::ALL.len(), "{}", a.code);
    }
    let logins: HashSet<_> = d.users.iter().map(|u| u.login.clone()).collect();
    assert_eq!(logins.len(), d.users.len());
}

#[test]
fn every_link_joins_records_of_two_agencies() {
    let d = default_data();
    let incidents: HashMap<_, AgencyId> = d
        .incidents
        .iter()
        .map(|i| (i.id.as_uuid(), i.agency))
        .collect();
    let persons: HashMap<_, AgencyId> = d
        .persons
        .iter()
        .map(|p| (p.id.as_uuid(), p.agency))
        .collect();
    let units: HashMap<_, AgencyId> = d.units.iter().map(|u| (u.id.as_uuid(), u.agency)).collect();
    for l in &d.links {
        let (table, a, b) = match l.pair {
            LinkedPair::Incident { a, b } => (&incidents, a.as_uuid(), b.as_uuid()),
            LinkedPair::Person { a, b } => (&persons, a.as_uuid(), b.as_uuid()),
            LinkedPair::Unit { a, b } => (&units, a.as_uuid(), b.as_uuid()),
        };
        let (aa, ab) = (table[&a], table[&b]);
        assert_ne!(aa, ab, "{l:?}");
        assert_eq!([aa, ab], l.agencies);
    }
    for kind in ["incident", "person", "unit"] {
        let n = d
            .links
            .iter()
            .filter(|l| match l.pair {
                LinkedPair::Incident { .. } => kind == "incident",
                LinkedPair::Person { .. } => kind == "person",
                LinkedPair::Unit { .. } => kind == "unit",
            })
            .count();
        assert!(n > 0, "no {kind} links");
    }
}

#[test]
fn overlap_share_is_as_asked() {
    let d = default_data();
    let links = d
        .links
        .iter()
        .filter(|l| matches!(l.pair, LinkedPair::Incident { .. }))
        .count();
    let events = d.incidents.len() - links;
    let share = links as f64 / events as f64;
    assert!((share - 0.15).abs() < 0.01, "{share}");

    let none = generate(&DemoSpec {
        incidents: 300,
        overlap: 0.0,
        ..DemoSpec::default()
    });
    assert!(none
        .links
        .iter()
        .all(|l| !matches!(l.pair, LinkedPair::Incident { .. })));
}

#[test]
fn places_come_from_the_gazetteer() {
    let d = default_data();
    let g = Gazetteer::embedded();
    let mut oblasts = HashSet::new();
    let second_reports: HashSet<_> = d
        .links
        .iter()
        .filter_map(|l| match l.pair {
            LinkedPair::Incident { b, .. } => Some(b),
            _ => None,
        })
        .collect();
    for i in d
        .incidents
        .iter()
        .filter(|i| !second_reports.contains(&i.id))
    {
        let place = g
            .by_katotth(&i.location.katotth)
            .unwrap_or_else(|| panic!("{:?} not in the gazetteer", i.location));
        assert_eq!(place.name_uk, i.location.place_name);
        assert_eq!(place.oblast, i.location.oblast);
        let c = i
            .location
            .coordinates
            .expect("first reports have coordinates");
        let d = c.distance_m(&place.coordinates.unwrap());
        assert!(d < 7_000.0, "{d} m from {}", place.name_uk);
        oblasts.insert(i.location.oblast.clone());
    }
    assert!(oblasts.len() >= 3, "{oblasts:?}");
    for o in ["Donetsk", "Kharkiv", "Kherson"] {
        assert!(oblasts.contains(o), "{o}");
    }
}

#[test]
fn names_and_narratives_come_in_both_scripts() {
    let d = default_data();
    let cyrillic = |s: &str| s.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c));
    let latin = |s: &str| s.chars().any(|c| c.is_ascii_alphabetic());
    let names: Vec<&str> = d
        .persons
        .iter()
        .flat_map(|p| p.names.iter().map(|n| n.full.as_str()))
        .collect();
    assert!(names.iter().any(|n| cyrillic(n)));
    assert!(names.iter().any(|n| latin(n) && !cyrillic(n)));
    let langs: HashSet<&str> = d
        .incidents
        .iter()
        .flat_map(|i| i.narratives.iter().map(|n| n.lang.as_str()))
        .collect();
    for l in ["uk", "ru", "en"] {
        assert!(langs.contains(l), "{langs:?}");
    }
}

#[test]
fn generation_is_fast() {
    let _ = Gazetteer::embedded();
    let t = std::time::Instant::now();
    let d = generate(&DemoSpec::default());
    let took = t.elapsed();
    assert_eq!(d.incidents.len(), 3000);
    // Generous for unoptimised test builds on a shared machine; release is far quicker.
    assert!(took.as_secs_f64() < 10.0, "{took:?}");
}

#[test]
fn references_are_unique_within_each_agency() {
    let d = default_data();
    let mut seen = HashSet::new();
    for i in &d.incidents {
        if let Some(r) = &i.reference {
            assert!(seen.insert((i.agency, r.clone())), "incident {r}");
        }
    }
    let mut seen = HashSet::new();
    for c in &d.cases {
        assert!(
            seen.insert((c.agency, c.reference.clone())),
            "case {}",
            c.reference
        );
    }
    let erdr = d
        .cases
        .iter()
        .find(|c| c.reference.len() == 17 && c.reference.bytes().all(|b| b.is_ascii_digit()));
    assert!(
        erdr.is_some(),
        "Ukrainian proceedings carry 17-digit numbers"
    );
}

#[test]
fn crimes_of_occupation_happen_where_and_while_regions_were_occupied() {
    use dokaz_model::IncidentType::*;
    let d = default_data();
    let still_occupied = ["Donetsk", "Luhansk", "Kherson", "Zaporizhzhia", "Crimea"];
    let liberated_april_2022 = chrono::NaiveDate::from_ymd_opt(2022, 4, 3).unwrap();
    for i in &d.incidents {
        let t = &i.incident_types;
        if t.contains(&TransferOfChildren) || t.contains(&Filtration) {
            assert!(
                still_occupied.contains(&i.location.oblast.as_str()),
                "{}",
                i.title
            );
        }
        if i.location.oblast == "Kyiv Oblast" && t.contains(&Torture) {
            assert!(
                i.occurred.start.date_naive() < liberated_april_2022,
                "{}",
                i.title
            );
        }
    }
}

#[test]
fn second_reports_stay_at_the_same_gazetteer_place() {
    let d = default_data();
    let g = Gazetteer::embedded();
    let by_id: HashMap<_, _> = d.incidents.iter().map(|i| (i.id, i)).collect();
    for l in &d.links {
        let LinkedPair::Incident { a, b } = l.pair else {
            continue;
        };
        let (a, b) = (by_id[&a], by_id[&b]);
        assert_eq!(a.location.oblast, b.location.oblast);
        if !b.location.katotth.is_empty() {
            assert_eq!(a.location.katotth, b.location.katotth);
        }
        let place = g.by_katotth(&a.location.katotth).unwrap();
        assert!(place.all_names().any(|n| n == b.location.place_name));
        let metres = a
            .location
            .coordinates
            .unwrap()
            .distance_m(&b.location.coordinates.unwrap());
        assert!((10.0..=900.0).contains(&metres), "{metres}");
        assert!(!l.variations.is_empty());
    }
}
