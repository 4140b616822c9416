//! Matching on write through a real SQLite store: both agencies get the match, a sealed side
//! is matched through its encoding and shows no reasons, a record of the same agency is never
//! a match, and a batch re-run keeps the decisions already taken.

use chrono::{TimeZone, Utc};
use dokaz_deconflict::{BatchOptions, Deconflictor, Written};
use dokaz_match::weights::Weights;
use dokaz_model::{
    Agency, AgencyId, AgencyKind, Classification, Coordinates, Crime, Harm, Incident, IncidentId,
    IncidentStatus, IncidentType, Location, MatchKind, MatchStatus, Narrative, PartialDate, Person,
    PersonId, PersonName, PersonRole, Sex, TimePrecision, TimeRange, UserId, Weapon,
};
use dokaz_store::{AgencyStore, IncidentStore, MatchFilter, MatchStore, PageRequest, PersonStore};
use dokaz_store_sqlite::SqliteStore;

const KEY: [u8; 32] = [9; 32];

fn agency(code: &str) -> Agency {
    Agency {
        id: AgencyId::new(),
        code: code.parse().unwrap(),
        name: format!("Agency {code}"),
        kind: AgencyKind::NationalProsecutor,
        country: "UA".into(),
        created_at: Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap(),
    }
}

/// A strike on a school in Kharkiv as one agency records it.
fn incident(agency: AgencyId, lat: f64, lon: f64, text: &str) -> Incident {
    let at = Utc.with_ymd_and_hms(2022, 3, 7, 9, 0, 0).unwrap();
    Incident {
        id: IncidentId::new(),
        agency,
        reference: None,
        title: text.into(),
        occurred: TimeRange::instant(at, TimePrecision::Hour),
        location: Location {
            coordinates: Some(Coordinates { lat, lon }),
            uncertainty_m: Some(100),
            place_name: "Харків".into(),
            ..Location::default()
        },
        crimes: vec![Crime::WcAttackingCivilians],
        incident_types: vec![IncidentType::Shelling],
        weapons: vec![Weapon::Artillery],
        protected_objects: vec![],
        harm: Harm::default(),
        perpetrator_units: vec![],
        perpetrators_text: String::new(),
        persons: vec![],
        narratives: vec![Narrative {
            lang: "uk".into(),
            text: text.into(),
        }],
        status: IncidentStatus::Reported,
        classification: Classification::Restricted,
        created_by: None,
        created_at: at,
        updated_at: at,
    }
}

fn person(agency: AgencyId, full: &str, birth: &str, classification: Classification) -> Person {
    Person {
        id: PersonId::new(),
        agency,
        roles: vec![PersonRole::Witness],
        names: vec![PersonName {
            full: full.into(),
            ..PersonName::default()
        }],
        birth_date: Some(birth.parse::<PartialDate>().unwrap()),
        sex: Sex::Female,
        citizenship: vec!["UA".into()],
        place_of_origin: "Ірпінь".into(),
        protected: false,
        classification,
        created_at: Utc::now(),
        updated_at: Utc::now(),
    }
}

async fn store() -> (tempfile::TempDir, SqliteStore, Agency, Agency) {
    let dir = tempfile::tempdir().unwrap();
    let s = SqliteStore::open(&format!("sqlite://{}", dir.path().join("t.db").display()))
        .await
        .unwrap();
    let (a, b) = (agency("UAPGO"), agency("ICCOTP"));
    s.create_agency(&a).await.unwrap();
    s.create_agency(&b).await.unwrap();
    (dir, s, a, b)
}

#[tokio::test]
async fn the_second_agency_s_record_matches_the_first_and_both_see_it() {
    let (_dir, s, a, b) = store().await;
    let d = Deconflictor::new(&s, Weights::default(), &KEY);
    let first = incident(a.id, 49.9935, 36.2304, "Обстріл школи №134, Харків");
    s.create_incident(&first).await.unwrap();
    assert!(d
        .written(Written::Incident(&first))
        .await
        .unwrap()
        .is_empty());

    // The same agency again: never a match with itself.
    let again = incident(a.id, 49.9936, 36.2305, "Обстріл школи №134");
    s.create_incident(&again).await.unwrap();
    assert!(d
        .written(Written::Incident(&again))
        .await
        .unwrap()
        .is_empty());

    // Another agency, 60 m away, in Russian: a match, recorded once for both.
    let second = incident(b.id, 49.9939, 36.2309, "Обстрел школы №134, Харьков");
    s.create_incident(&second).await.unwrap();
    let found = d.written(Written::Incident(&second)).await.unwrap();
    assert_eq!(found.len(), 2, "both of agency A's records: {found:?}");
    let m = &found[0].stored;
    assert!(found[0].is_new);
    assert_eq!(m.kind, MatchKind::Incident);
    assert!(m.reasons.contains("m apart"), "{}", m.reasons);
    for agency in [a.id, b.id] {
        let page = s
            .matches_for(agency, &MatchFilter::default(), PageRequest::default())
            .await
            .unwrap();
        assert_eq!(page.items.len(), 2);
    }

    // A far-away incident of the other agency is not a match.
    let far = incident(b.id, 50.4501, 30.5234, "Обстріл школи, Київ");
    s.create_incident(&far).await.unwrap();
    assert!(d.written(Written::Incident(&far)).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_sealed_person_is_matched_blindly_and_decisions_survive_a_batch() {
    let (_dir, s, a, b) = store().await;
    let d = Deconflictor::new(&s, Weights::default(), &KEY);
    let sealed = person(
        a.id,
        "Коваленко Олена Петрівна",
        "1984-05-17",
        Classification::Sealed,
    );
    s.create_person(&sealed).await.unwrap();
    d.written(Written::Person(&sealed)).await.unwrap();
    // Another agency, another script and the Russian form of the given name.
    let open = person(
        b.id,
        "Elena Kovalenko",
        "1984-05-17",
        Classification::Restricted,
    );
    s.create_person(&open).await.unwrap();
    let found = d.written(Written::Person(&open)).await.unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    let m = &found[0].stored;
    assert!(m.is_blind());
    assert!(
        m.reasons.is_empty(),
        "a sealed side's match carries no reasons"
    );
    let sealed_side = m.side_of(a.id).unwrap();
    assert!(sealed_side.sealed);

    // Agency B dismisses; a batch re-run finds the pair again and keeps the decision.
    s.decide_match(
        m.id,
        b.id,
        MatchStatus::Dismissed,
        UserId::new(),
        "another woman of that name",
        Utc::now(),
    )
    .await
    .unwrap();
    let summary = d.run_all(&BatchOptions::default(), &|_| {}).await.unwrap();
    let persons = summary
        .kinds
        .iter()
        .find(|k| k.kind == MatchKind::Person)
        .unwrap();
    assert_eq!((persons.matches, persons.new_matches), (1, 0));
    let again = s.match_by_id(m.id).await.unwrap();
    assert_eq!(again.side_of(b.id).unwrap().status, MatchStatus::Dismissed);
    assert_eq!(again.side_of(a.id).unwrap().status, MatchStatus::New);
}

fn interview(person: &Person, date: &str) -> dokaz_model::Interview {
    dokaz_model::Interview {
        id: dokaz_model::InterviewId::new(),
        person: person.id,
        agency: person.agency,
        date: date.parse().unwrap(),
        interviewer_role: dokaz_model::InterviewerRole::Investigator,
        topics: vec!["rs-7-1-d".into()],
        recorded_by: None,
        recorded_at: Utc::now(),
    }
}

#[tokio::test]
async fn an_interview_check_finds_the_person_under_another_script_and_hides_a_sealed_one() {
    use dokaz_deconflict::PriorInterviews;
    use dokaz_store::InterviewStore;
    let (_dir, s, a, b) = store().await;
    let c = agency("EUROJUST");
    s.create_agency(&c).await.unwrap();
    let d = Deconflictor::new(&s, Weights::default(), &KEY);

    // Agency B interviewed "Kovalenko Olena"; agency C holds her sealed, as Коваленко Олена.
    let at_b = person(
        b.id,
        "Kovalenko Olena",
        "1984-05-17",
        Classification::Restricted,
    );
    let at_c = person(
        c.id,
        "Коваленко Олена Петрівна",
        "1984-05-17",
        Classification::Sealed,
    );
    for p in [&at_b, &at_c] {
        s.create_person(p).await.unwrap();
        d.written(Written::Person(p)).await.unwrap();
    }
    s.add_interview(&interview(&at_b, "2023-02-01"))
        .await
        .unwrap();
    s.add_interview(&interview(&at_c, "2023-06-12"))
        .await
        .unwrap();

    // Agency A is about to interview "Коваленко Елена" (the Russian form of her name).
    let at_a = person(
        a.id,
        "Коваленко Елена",
        "1984-05-17",
        Classification::Restricted,
    );
    s.create_person(&at_a).await.unwrap();
    let check = d.interview_check(&at_a).await.unwrap();
    assert!(check.own.is_empty());
    assert_eq!(check.others.len(), 2, "{check:?}");
    let open = check
        .others
        .iter()
        .find_map(|o| match o {
            PriorInterviews::Open {
                agency, interviews, ..
            } => Some((agency, interviews)),
            PriorInterviews::Sealed { .. } => None,
        })
        .unwrap();
    assert_eq!(*open.0, b.id);
    assert_eq!(open.1[0].date.to_string(), "2023-02-01");
    assert!(check
        .others
        .contains(&PriorInterviews::Sealed { agency: c.id }));
    // What the sealed entry says, serialised: its agency and nothing else.
    let json = serde_json::to_value(&check.others).unwrap();
    let sealed = json
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["kind"] == "sealed")
        .unwrap();
    assert_eq!(sealed.as_object().unwrap().len(), 2, "{sealed}");

    // A different woman of another birth date is not reported.
    let other = person(
        a.id,
        "Коваленко Олена",
        "1961-11-02",
        Classification::Restricted,
    );
    s.create_person(&other).await.unwrap();
    assert!(d.interview_check(&other).await.unwrap().others.is_empty());
}

#[tokio::test]
async fn filed_features_match_as_the_record_does_and_a_sealed_record_keeps_none() {
    let (_dir, s, a, b) = store().await;
    let d = Deconflictor::new(&s, Weights::default(), &KEY);
    let mut first = incident(a.id, 49.9935, 36.2304, "Обстріл школи №134, Харків");
    s.create_incident(&first).await.unwrap();
    d.written(Written::Incident(&first)).await.unwrap();
    let id = first.id.as_uuid();
    let filed = s.match_features(MatchKind::Incident, &[id]).await.unwrap();
    assert_eq!(
        filed.len(),
        1,
        "an open incident is filed with its features"
    );

    // A sealed record of the same agency at the same place: compared blindly, while the
    // open pair is still compared openly, with its distance in metres.
    let mut hidden = incident(a.id, 49.9937, 36.2306, "Обстріл школи №134, Харків");
    hidden.classification = Classification::Sealed;
    s.create_incident(&hidden).await.unwrap();
    d.written(Written::Incident(&hidden)).await.unwrap();

    // Compared through the filed features.
    let second = incident(b.id, 49.9939, 36.2309, "Обстрел школы №134, Харьков");
    s.create_incident(&second).await.unwrap();
    let through_features = open_matches(&d, &second).await;
    assert_eq!(through_features.len(), 1);
    assert!(
        through_features[0].stored.reasons.contains("m apart"),
        "open pair compared openly: {}",
        through_features[0].stored.reasons
    );

    // Features this build cannot read (another version): the record is read instead, and
    // the result is the same.
    s.file_for_matching(
        MatchKind::Incident,
        &[dokaz_store::Filing {
            record: id,
            agency: a.id,
            keys: filed_keys(&first),
            features: Some(vec![0]),
        }],
    )
    .await
    .unwrap();
    let through_record = open_matches(&d, &second).await;
    assert_eq!(through_record.len(), 1);
    let (x, y) = (&through_features[0].stored, &through_record[0].stored);
    assert_eq!((x.score, &x.reasons), (y.score, &y.reasons));

    // Sealed: its features go, its blind encoding takes their place.
    first.classification = Classification::Sealed;
    s.update_incident(&first).await.unwrap();
    d.written(Written::Incident(&first)).await.unwrap();
    assert!(s
        .match_features(MatchKind::Incident, &[id])
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        s.match_encodings(MatchKind::Incident, &[id])
            .await
            .unwrap()
            .len(),
        1
    );
}

/// The matches a write of `record` finds between open records.
async fn open_matches(d: &Deconflictor<'_>, record: &Incident) -> Vec<dokaz_store::Recorded> {
    let found = d.written(Written::Incident(record)).await.unwrap();
    found
        .into_iter()
        .filter(|m| !m.stored.a.sealed && !m.stored.b.sealed)
        .collect()
}

/// The keys the deconflictor files `record` under.
fn filed_keys(record: &Incident) -> Vec<u64> {
    let mut keys = Vec::new();
    dokaz_match::incident_keys::IncidentKeys::default().filed(
        &dokaz_match::incident::IncidentFeatures::new(record),
        &dokaz_match::keys::Keyer::keyed(&KEY),
        &mut keys,
    );
    keys
}

#[tokio::test]
async fn a_sealed_record_is_never_compared_openly_and_an_unsealed_one_is() {
    let (_dir, s, a, b) = store().await;
    let d = Deconflictor::new(&s, Weights::default(), &KEY);
    // Sealed, and filed under its keys by something that left no encoding (an older
    // build, or a write caught between the two): not read as a record.
    let mut first = incident(a.id, 49.9935, 36.2304, "Обстріл школи №134, Харків");
    first.classification = Classification::Sealed;
    s.create_incident(&first).await.unwrap();
    s.file_match_keys(
        MatchKind::Incident,
        first.id.as_uuid(),
        a.id,
        &filed_keys(&first),
    )
    .await
    .unwrap();
    let second = incident(b.id, 49.9939, 36.2309, "Обстрел школы №134, Харьков");
    s.create_incident(&second).await.unwrap();
    assert!(d
        .written(Written::Incident(&second))
        .await
        .unwrap()
        .is_empty());

    // Filed sealed, then unsealed: compared openly from then on, its encoding left over.
    d.written(Written::Incident(&first)).await.unwrap();
    first.classification = Classification::Restricted;
    s.update_incident(&first).await.unwrap();
    d.written(Written::Incident(&first)).await.unwrap();
    let found = d.written(Written::Incident(&second)).await.unwrap();
    assert_eq!(found.len(), 1);
    assert!(
        found[0].stored.reasons.contains("m apart"),
        "{}",
        found[0].stored.reasons
    );
}

#[tokio::test]
async fn keys_filed_by_another_layout_are_reported_until_a_batch_files_them_again() {
    let (_dir, s, a, b) = store().await;
    let d = Deconflictor::new(&s, Weights::default(), &KEY);
    let current = dokaz_match::keys::layout(MatchKind::Person);
    // A new node: nothing filed, nothing stale, and this build's layout recorded.
    assert!(d.stale_keys().await.unwrap().is_empty());
    assert_eq!(
        s.match_key_layout(MatchKind::Person).await.unwrap(),
        (Some(current), false)
    );
    // Persons filed, then the node finds an older layout recorded (as after an upgrade).
    for (agency, name) in [(a.id, "Коваленко Олена"), (b.id, "Olena Kovalenko")] {
        let p = person(agency, name, "1984-05-17", Classification::Restricted);
        s.create_person(&p).await.unwrap();
        d.written(Written::Person(&p)).await.unwrap();
    }
    assert!(d.stale_keys().await.unwrap().is_empty());
    s.set_match_key_layout(MatchKind::Person, current - 1)
        .await
        .unwrap();
    let stale = d.stale_keys().await.unwrap();
    assert_eq!(
        stale,
        vec![dokaz_deconflict::StaleKeys {
            kind: MatchKind::Person,
            filed: Some(current - 1),
            current,
        }]
    );
    assert!(stale[0]
        .to_string()
        .contains("dokaz match run --kind person"));
    // Incidents and units were never filed: a batch of persons alone clears it.
    let opt = BatchOptions {
        kinds: vec![MatchKind::Person],
        ..BatchOptions::default()
    };
    d.run_all(&opt, &|_| {}).await.unwrap();
    assert!(d.stale_keys().await.unwrap().is_empty());
}
