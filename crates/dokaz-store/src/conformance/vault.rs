//! The evidence registry's contract: items enter through `append_custody`, are read back by
//! id, ERN and filters, change only through custody events, and ERN numbers are never
//! handed out twice.

use std::collections::HashSet;
use std::sync::Arc;

use dokaz_model::{
    CaseId, Classification, CustodyAction, Ern, EvidenceId, IncidentId, Sha256, NO_CASE_SEGMENT,
};

use super::fixtures::{agency, custody, evidence, intake};
use crate::{EvidenceChange, EvidenceFilter, PageRequest, Store, StoreError};

pub async fn evidence_intake_and_reads(s: Arc<dyn Store>) {
    let a = agency("EVI");
    let b = agency("EVIB");
    s.create_agency(&a).await.unwrap();
    s.create_agency(&b).await.unwrap();
    let (case, incident) = (CaseId::new(), IncidentId::new());
    let mut items: Vec<_> = (1..=12).map(|n| evidence(&a, n)).collect();
    for e in &mut items[..4] {
        e.case = Some(case);
    }
    items[1].incidents = vec![incident, IncidentId::new()];
    items[2].incidents = vec![incident];
    // The same bytes taken in twice, under two ERNs: one blob.
    items[11].sha256 = items[10].sha256;
    let batch: Vec<_> = items.iter().map(intake).collect();
    s.append_custody(&batch).await.unwrap();
    s.append_custody(&[intake(&evidence(&b, 50))])
        .await
        .unwrap();

    for e in &items {
        assert_eq!(&s.evidence(e.id).await.unwrap(), e);
        assert_eq!(&s.evidence_by_ern(&e.ern).await.unwrap(), e);
    }
    assert!(matches!(
        s.evidence(EvidenceId::new()).await,
        Err(StoreError::NotFound { .. })
    ));
    let unknown: Ern = "EVI-GEN-999999".parse().unwrap();
    assert!(matches!(
        s.evidence_by_ern(&unknown).await,
        Err(StoreError::NotFound { .. })
    ));

    let ids = |f: EvidenceFilter| {
        let s = s.clone();
        async move {
            let page = s.list_evidence(&f, PageRequest::first(100)).await.unwrap();
            page.items.into_iter().map(|e| e.id).collect::<Vec<_>>()
        }
    };
    let all = ids(EvidenceFilter::default()).await;
    assert_eq!(all.len(), 13);
    let mine = ids(EvidenceFilter {
        agency: Some(a.id),
        ..Default::default()
    })
    .await;
    assert_eq!(mine, items.iter().map(|e| e.id).collect::<Vec<_>>());
    let in_case = ids(EvidenceFilter {
        case: Some(case),
        ..Default::default()
    })
    .await;
    assert_eq!(in_case, items[..4].iter().map(|e| e.id).collect::<Vec<_>>());
    let of_incident = ids(EvidenceFilter {
        incident: Some(incident),
        ..Default::default()
    })
    .await;
    assert_eq!(of_incident, vec![items[1].id, items[2].id]);
    let same_bytes = ids(EvidenceFilter {
        agency: Some(a.id),
        sha256: Some(items[10].sha256),
        ..Default::default()
    })
    .await;
    assert_eq!(same_bytes, vec![items[10].id, items[11].id]);

    // Keyset paging over a filter: every item once, in intake order.
    let f = EvidenceFilter {
        agency: Some(a.id),
        ..Default::default()
    };
    let (mut seen, mut req) = (Vec::new(), PageRequest::first(5));
    loop {
        let page = s.list_evidence(&f, req).await.unwrap();
        assert!(page.items.len() <= 5);
        seen.extend(page.items.iter().map(|e| e.id));
        match page.next {
            Some(c) => req.after = Some(crate::Cursor::decode(&c).unwrap()),
            None => break,
        }
    }
    assert_eq!(seen, mine);

    let digests = s.all_blob_digests().await.unwrap();
    assert_eq!(digests.len(), 12, "13 items, 12 distinct blobs");
    assert_eq!(digests.iter().collect::<HashSet<_>>().len(), 12);
    assert!(digests.contains(&items[10].sha256));
}

pub async fn evidence_changes_only_through_events(s: Arc<dyn Store>) {
    let a = agency("SEAL");
    s.create_agency(&a).await.unwrap();
    let e = evidence(&a, 1);
    s.append_custody(&[intake(&e)]).await.unwrap();

    // A seal: the classification changes and the item is linked to an incident.
    let incident = IncidentId::new();
    let mut sealed = e.clone();
    sealed.classification = Classification::Sealed;
    sealed.incidents = vec![incident];
    let mut seal = custody(&e, CustodyAction::Seal);
    seal.event.previous_state = Some("restricted".into());
    seal.change = EvidenceChange::Update(sealed.clone());
    s.append_custody(&[seal]).await.unwrap();
    assert_eq!(s.evidence(e.id).await.unwrap(), sealed);
    let f = EvidenceFilter {
        incident: Some(incident),
        ..Default::default()
    };
    let listed = s.list_evidence(&f, PageRequest::first(10)).await.unwrap();
    assert_eq!(listed.items, vec![sealed.clone()]);

    // Unlinking replaces the links, it does not add to them.
    let mut unlinked = sealed.clone();
    unlinked.incidents.clear();
    let mut w = custody(&e, CustodyAction::Annotate);
    w.change = EvidenceChange::Update(unlinked.clone());
    s.append_custody(&[w]).await.unwrap();
    let listed = s.list_evidence(&f, PageRequest::first(10)).await.unwrap();
    assert!(listed.items.is_empty());

    // What was fixed at intake stays fixed, and nothing of the refused batch stays.
    let size = s.ledger_size().await.unwrap();
    let mut forged = unlinked.clone();
    forged.original_name = "other.jpg".into();
    let mut w = custody(&e, CustodyAction::Annotate);
    w.change = EvidenceChange::Update(forged);
    let err = s.append_custody(&[w]).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err}");
    assert_eq!(s.ledger_size().await.unwrap(), size);
    assert_eq!(s.evidence(e.id).await.unwrap(), unlinked);
    assert_eq!(s.custody_history(e.id).await.unwrap().len(), 3);

    // A change must be to the item its event is about.
    let other = evidence(&a, 2);
    let mut w = custody(&e, CustodyAction::Intake);
    w.change = EvidenceChange::Insert(other);
    assert!(matches!(
        s.append_custody(&[w]).await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(s.ledger_size().await.unwrap(), size);
}

pub async fn ern_sequences_never_repeat(s: Arc<dyn Store>) {
    let a = agency("ERN");
    let b = agency("ERNB");
    s.create_agency(&a).await.unwrap();
    s.create_agency(&b).await.unwrap();
    for want in 1..=3 {
        assert_eq!(s.next_ern_sequence(a.id, "12022.100").await.unwrap(), want);
    }
    // Each agency and case segment counts on its own.
    assert_eq!(s.next_ern_sequence(a.id, NO_CASE_SEGMENT).await.unwrap(), 1);
    assert_eq!(s.next_ern_sequence(b.id, "12022.100").await.unwrap(), 1);
    assert_eq!(s.next_ern_sequence(a.id, "12022.100").await.unwrap(), 4);
    // A segment no ERN could carry reserves nothing.
    for bad in ["12022/100", "справа", ""] {
        let err = s.next_ern_sequence(a.id, bad).await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{bad:?}: {err}");
    }
    assert!(matches!(
        s.next_ern_sequence(dokaz_model::AgencyId::new(), "X").await,
        Err(StoreError::NotFound { .. })
    ));

    // Eight callers at once: every number once, none skipped.
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let s = s.clone();
        let agency = a.id;
        tasks.push(tokio::spawn(async move {
            let mut got = Vec::new();
            for _ in 0..25 {
                got.push(s.next_ern_sequence(agency, "CONC").await.unwrap());
            }
            got
        }));
    }
    let mut all = Vec::new();
    for t in futures::future::join_all(tasks).await {
        let got = t.unwrap();
        assert!(got.windows(2).all(|w| w[0] < w[1]), "monotonic per caller");
        all.extend(got);
    }
    all.sort_unstable();
    assert_eq!(all, (1..=200).collect::<Vec<u32>>());
    assert_eq!(s.next_ern_sequence(a.id, "CONC").await.unwrap(), 201);
}

pub async fn vault_unicode_round_trips(s: Arc<dyn Store>) {
    let a = agency("UNIV");
    s.create_agency(&a).await.unwrap();
    let mut e = evidence(&a, 1);
    e.original_name = "Відео з дрона — Ізюм «масове поховання» 🇺🇦.mp4".into();
    e.collector = "Олена Коваленко / Елена Коваленко".into();
    let mut w = intake(&e);
    w.event.reason = "Прийнято від свідка; שאהד; شاهد; e\u{301}\u{200f}\ttab\nnewline".into();
    w.event.place = "Ізюм, Харківська обл.".into();
    w.event
        .details
        .insert("отримувач".into(), "Прокуратура 👩‍⚖️".into());
    s.append_custody(&[w.clone()]).await.unwrap();
    assert_eq!(s.evidence(e.id).await.unwrap(), e);
    let history = s.custody_history(e.id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].event, w.event);
    let entries = s.ledger_entries(0, 1).await.unwrap();
    assert_eq!(entries[0].entry, w.event.ledger_entry());
    let _: Sha256 = e.sha256;
}
