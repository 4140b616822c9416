//! The contract of agencies, users, cases, persons and units.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use dokaz_model::{
    AgencyId, Case, CaseId, CaseStatus, Classification, PartialDate, Person, PersonId, PersonName,
    PersonRole, Sex, Unit, UnitId,
};

use super::fixtures::{agency, user};
use crate::{PageRequest, Store, StoreError};

pub async fn agency_crud(s: Arc<dyn Store>) {
    let a = agency("PGO");
    s.create_agency(&a).await.unwrap();
    assert_eq!(s.agency(a.id).await.unwrap(), a);
    assert_eq!(s.agency_by_code(&a.code).await.unwrap(), a);
    let mut again = agency("PGO");
    again.name = "Another name".into();
    assert!(matches!(
        s.create_agency(&again).await,
        Err(StoreError::Conflict { .. })
    ));
    assert!(matches!(
        s.agency(AgencyId::new()).await,
        Err(StoreError::NotFound { .. })
    ));
    s.create_agency(&agency("ICC")).await.unwrap();
    let all = s.list_agencies(PageRequest::first(10)).await.unwrap();
    assert_eq!(all.items.len(), 2);
}

pub async fn user_crud(s: Arc<dyn Store>) {
    let a = agency("USR");
    s.create_agency(&a).await.unwrap();
    let u = user(a.id, "olena.k");
    s.create_user(&u, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")
        .await
        .unwrap();
    assert_eq!(s.user(u.id).await.unwrap(), u);
    let (found, hash) = s.credentials(&"Olena.K".parse().unwrap()).await.unwrap();
    assert_eq!(found, u, "logins are case-insensitive");
    assert!(hash.starts_with("$argon2id$"));
    assert!(matches!(
        s.create_user(&user(a.id, "OLENA.K"), "x").await,
        Err(StoreError::Conflict { .. })
    ));
    s.set_user_disabled(u.id, true).await.unwrap();
    assert!(s.user(u.id).await.unwrap().disabled);
    s.set_password_hash(u.id, "$argon2id$new").await.unwrap();
    assert_eq!(s.credentials(&u.login).await.unwrap().1, "$argon2id$new");
    assert!(matches!(
        s.credentials(&"nobody".parse().unwrap()).await,
        Err(StoreError::NotFound { .. })
    ));
    let other = agency("USRB");
    s.create_agency(&other).await.unwrap();
    s.create_user(&user(other.id, "someone"), "x")
        .await
        .unwrap();
    assert_eq!(
        s.list_users(Some(a.id), PageRequest::first(10))
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    assert_eq!(
        s.list_users(None, PageRequest::first(10))
            .await
            .unwrap()
            .items
            .len(),
        2
    );
}

fn case(agency: AgencyId, reference: &str) -> Case {
    let at = Utc.with_ymd_and_hms(2023, 5, 1, 0, 0, 0).unwrap();
    Case {
        id: CaseId::new(),
        agency,
        reference: reference.into(),
        title: "Attacks on Kharkiv energy infrastructure".into(),
        status: CaseStatus::Open,
        lead: None,
        incidents: vec![],
        suspects: vec![],
        working_languages: vec!["uk".into(), "en".into()],
        classification: Classification::Restricted,
        created_at: at,
        updated_at: at,
    }
}

pub async fn case_crud_and_reference_uniqueness(s: Arc<dyn Store>) {
    let a = agency("CASE");
    let b = agency("CASEB");
    s.create_agency(&a).await.unwrap();
    s.create_agency(&b).await.unwrap();
    let mut c = case(a.id, "12022100000000123");
    s.create_case(&c).await.unwrap();
    assert_eq!(s.case(c.id).await.unwrap(), c);
    assert_eq!(
        s.case_by_reference(a.id, "12022100000000123")
            .await
            .unwrap(),
        c
    );
    assert!(matches!(
        s.create_case(&case(a.id, "12022100000000123")).await,
        Err(StoreError::Conflict { .. })
    ));
    s.create_case(&case(b.id, "12022100000000123"))
        .await
        .unwrap();
    c.status = CaseStatus::Indicted;
    s.update_case(&c).await.unwrap();
    assert_eq!(s.case(c.id).await.unwrap().status, CaseStatus::Indicted);
    // Renaming onto a taken reference is a conflict too, and changes nothing.
    let other = case(a.id, "OTHER-1");
    s.create_case(&other).await.unwrap();
    let mut renamed = other.clone();
    renamed.reference = c.reference.clone();
    assert!(matches!(
        s.update_case(&renamed).await,
        Err(StoreError::Conflict { .. })
    ));
    assert_eq!(s.case(other.id).await.unwrap(), other);
    assert_eq!(
        s.list_cases(Some(a.id), PageRequest::first(10))
            .await
            .unwrap()
            .items
            .len(),
        2
    );
    assert!(matches!(
        s.case(CaseId::new()).await,
        Err(StoreError::NotFound { .. })
    ));
}

pub(super) fn person(agency: AgencyId) -> Person {
    let at = Utc.with_ymd_and_hms(2023, 5, 1, 0, 0, 0).unwrap();
    Person {
        id: PersonId::new(),
        agency,
        roles: vec![PersonRole::Witness],
        names: vec![
            PersonName {
                full: "Коваленко Олена".into(),
                given: "Олена".into(),
                family: "Коваленко".into(),
                patronymic: String::new(),
            },
            PersonName {
                full: "Kovalenko Olena".into(),
                ..Default::default()
            },
        ],
        birth_date: Some(PartialDate {
            year: 1979,
            month: Some(4),
            day: None,
        }),
        sex: Sex::Female,
        citizenship: vec!["UA".into()],
        place_of_origin: "Ірпінь".into(),
        protected: true,
        classification: Classification::Restricted,
        created_at: at,
        updated_at: at,
    }
}

pub async fn person_and_unit_crud(s: Arc<dyn Store>) {
    let a = agency("PERS");
    s.create_agency(&a).await.unwrap();
    let mut p = person(a.id);
    s.create_person(&p).await.unwrap();
    assert_eq!(s.person(p.id).await.unwrap(), p);
    p.roles.push(PersonRole::Victim);
    s.update_person(&p).await.unwrap();
    assert_eq!(s.person(p.id).await.unwrap(), p);
    assert_eq!(
        s.list_persons(Some(a.id), PageRequest::first(5))
            .await
            .unwrap()
            .items,
        vec![p]
    );
    assert!(matches!(
        s.person(PersonId::new()).await,
        Err(StoreError::NotFound { .. })
    ));

    let at = Utc.with_ymd_and_hms(2023, 5, 1, 0, 0, 0).unwrap();
    let mut u = Unit {
        id: UnitId::new(),
        agency: a.id,
        names: vec![
            "64th Separate Motor Rifle Brigade".into(),
            "64 ОМСБр".into(),
        ],
        numbers: vec!["в/ч 51460".into()],
        affiliation: "RU".into(),
        parent: None,
        classification: Classification::Open,
        created_at: at,
        updated_at: at,
    };
    s.create_unit(&u).await.unwrap();
    assert_eq!(s.unit(u.id).await.unwrap(), u);
    u.numbers.push("51460".into());
    s.update_unit(&u).await.unwrap();
    assert_eq!(
        s.list_units(None, PageRequest::first(5))
            .await
            .unwrap()
            .items,
        vec![u.clone()]
    );
    assert!(matches!(
        s.update_unit(&Unit {
            id: UnitId::new(),
            ..u
        })
        .await,
        Err(StoreError::NotFound { .. })
    ));
}
