//! The contract of provenance storage: a family is the root and every item whose ERN
//! extends it, and nothing else; consents are withdrawn once and never lost; the interview
//! register keeps every record.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use dokaz_model::{
    Consent, ConsentId, Derivation, DerivativeKind, ErnSuffix, Interview, InterviewId,
    InterviewerRole, PersonId, Purpose, Recipient,
};

use super::fixtures::{agency, evidence, intake};
use super::others::person;
use crate::{Store, StoreError};

pub async fn families_by_ern_survive_and_stay_apart(s: Arc<dyn Store>) {
    let a = agency("FAM");
    s.create_agency(&a).await.unwrap();
    let root = evidence(&a, 1);
    let neighbour = evidence(&a, 10);
    let mut derived = vec![];
    for (n, letter) in [(2, 'R'), (3, 'T'), (4, 'T')] {
        let mut d = evidence(&a, n);
        let number = derived.iter().filter(|e: &&dokaz_model::Evidence| {
            e.ern.suffix().is_some_and(|x| x.letter == letter)
        });
        let number = number.count() as u32 + 1;
        d.ern = root.ern.with_suffix(ErnSuffix { letter, number });
        d.derived_from = Some(Derivation {
            original: root.id,
            original_ern: root.ern.clone(),
            original_sha256: root.sha256,
            kind: if letter == 'R' {
                DerivativeKind::Redacted {
                    what: "faces".into(),
                }
            } else {
                DerivativeKind::Translation {
                    language: "en".into(),
                }
            },
        });
        derived.push(d);
    }
    let mut batch = vec![intake(&root), intake(&neighbour)];
    batch.extend(derived.iter().map(intake));
    s.append_custody(&batch).await.unwrap();

    let fam = s.evidence_family(&root.ern).await.unwrap();
    let erns: Vec<String> = fam.iter().map(|e| e.ern.to_string()).collect();
    assert_eq!(
        erns,
        [
            "FAM-GEN-000001",
            "FAM-GEN-000001-R1",
            "FAM-GEN-000001-T1",
            "FAM-GEN-000001-T2"
        ]
    );
    assert_eq!(fam[1].derived_from, derived[0].derived_from);
    // Asked through a member, the same family; an unknown root, none.
    assert_eq!(s.evidence_family(&derived[1].ern).await.unwrap(), fam);
    assert!(s
        .evidence_family(&"FAM-GEN-000099".parse().unwrap())
        .await
        .unwrap()
        .is_empty());
    // A second derivative under a taken ERN is refused.
    let mut dup = evidence(&a, 5);
    dup.ern = derived[0].ern.clone();
    assert!(s.append_custody(&[intake(&dup)]).await.is_err());
}

fn consent(agency: dokaz_model::AgencyId, person: PersonId) -> Consent {
    Consent {
        id: ConsentId::new(),
        person,
        agency,
        statement: None,
        statement_ern: None,
        purposes: vec![Purpose::Investigation, Purpose::Prosecution],
        recipients: vec![Recipient::OwnAgency, Recipient::Icc],
        identity_disclosure: false,
        given_on: "2024-05-01".parse().unwrap(),
        recorded_by: "Слідчий О. Коваленко".into(),
        entered_by: None,
        recorded_at: Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap(),
        withdrawn_on: None,
        withdrawal_recorded_by: None,
        withdrawal_recorded_at: None,
    }
}

pub async fn consents_are_withdrawn_once_never_lost(s: Arc<dyn Store>) {
    let a = agency("CON");
    s.create_agency(&a).await.unwrap();
    let p = person(a.id);
    s.create_person(&p).await.unwrap();
    let item = evidence(&a, 1);
    s.append_custody(&[intake(&item)]).await.unwrap();

    let general = consent(a.id, p.id);
    let mut one = consent(a.id, p.id);
    one.statement = Some(item.id);
    one.statement_ern = Some(item.ern.clone());
    one.identity_disclosure = true;
    s.add_consent(&general).await.unwrap();
    s.add_consent(&one).await.unwrap();
    assert_eq!(s.consent(general.id).await.unwrap(), general);
    assert_eq!(
        s.consents_of_person(p.id).await.unwrap(),
        vec![general.clone(), one.clone()]
    );
    assert_eq!(
        s.consents_of_statement(item.id).await.unwrap(),
        vec![one.clone()]
    );
    assert!(matches!(
        s.add_consent(&general).await,
        Err(StoreError::Conflict { .. })
    ));
    let mut stranger = consent(a.id, PersonId::new());
    stranger.id = ConsentId::new();
    assert!(matches!(
        s.add_consent(&stranger).await,
        Err(StoreError::NotFound { .. })
    ));

    let at = Utc.with_ymd_and_hms(2025, 1, 10, 9, 0, 0).unwrap();
    let on = "2025-01-10".parse().unwrap();
    let w = s
        .withdraw_consent(general.id, on, "Слідчий О. Коваленко", at)
        .await
        .unwrap();
    assert_eq!(w.withdrawn_on, Some(on));
    assert_eq!(w.withdrawal_recorded_at, Some(at));
    assert_eq!(s.consent(general.id).await.unwrap(), w);
    assert!(matches!(
        s.withdraw_consent(general.id, on, "again", at).await,
        Err(StoreError::Conflict { .. })
    ));
    assert_eq!(
        s.consent(general.id).await.unwrap(),
        w,
        "the first withdrawal stays"
    );
    assert!(matches!(
        s.withdraw_consent(ConsentId::new(), on, "x", at).await,
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(s.consents_of_person(p.id).await.unwrap().len(), 2);
}

pub async fn interviews_are_kept(s: Arc<dyn Store>) {
    let a = agency("INT");
    let b = agency("INTB");
    s.create_agency(&a).await.unwrap();
    s.create_agency(&b).await.unwrap();
    let p = person(a.id);
    s.create_person(&p).await.unwrap();
    let mk = |agency, date: &str| Interview {
        id: InterviewId::new(),
        person: p.id,
        agency,
        date: date.parse().unwrap(),
        interviewer_role: InterviewerRole::Investigator,
        topics: vec!["rs-7-1-d".into(), "filtration".into()],
        recorded_by: None,
        recorded_at: Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).unwrap(),
    };
    let later = mk(b.id, "2024-05-02");
    let first = mk(a.id, "2023-11-20");
    s.add_interview(&later).await.unwrap();
    s.add_interview(&first).await.unwrap();
    assert_eq!(s.interviews_of(p.id).await.unwrap(), vec![first, later]);
    assert!(s.interviews_of(PersonId::new()).await.unwrap().is_empty());
    assert!(matches!(
        s.add_interview(&mk(a.id, "2024-01-01").clone())
            .await
            .map(|_| ()),
        Ok(())
    ));
    let mut orphan = mk(a.id, "2024-01-02");
    orphan.person = PersonId::new();
    assert!(matches!(
        s.add_interview(&orphan).await,
        Err(StoreError::NotFound { .. })
    ));
}
