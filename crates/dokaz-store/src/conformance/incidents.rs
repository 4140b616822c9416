//! The incident contract: CRUD, keyset paging, filters, concurrency, unicode, atomic batches.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use dokaz_model::{Narrative, PersonName};

use super::fixtures::{agency, incident};
use crate::{IncidentFilter, PageRequest, Store, StoreError};

pub async fn incident_crud(s: Arc<dyn Store>) {
    let a = agency("CRUD");
    s.create_agency(&a).await.unwrap();
    let mut i = incident(a.id, 1);
    s.create_incident(&i).await.unwrap();
    assert_eq!(s.incident(i.id).await.unwrap(), i);

    i.title = "Shelling of a residential block, corrected".into();
    i.harm.killed.total = Some(4);
    i.updated_at += Duration::hours(1);
    s.update_incident(&i).await.unwrap();
    assert_eq!(s.incident(i.id).await.unwrap(), i);

    let missing = incident(a.id, 2);
    assert!(matches!(
        s.incident(missing.id).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        s.update_incident(&missing).await,
        Err(StoreError::NotFound { .. })
    ));
    // The incident reference is unique within the agency.
    let mut dup = incident(a.id, 3);
    dup.reference = i.reference.clone();
    assert!(matches!(
        s.create_incident(&dup).await,
        Err(StoreError::Conflict { .. })
    ));
    // ...but another agency may use the same reference.
    let b = agency("CRUDB");
    s.create_agency(&b).await.unwrap();
    let mut other = incident(b.id, 3);
    other.reference = i.reference.clone();
    s.create_incident(&other).await.unwrap();
}

pub async fn keyset_paging(s: Arc<dyn Store>) {
    let a = agency("PAGE");
    let b = agency("PAGEB");
    s.create_agency(&a).await.unwrap();
    s.create_agency(&b).await.unwrap();
    let mine: Vec<_> = (0..23).map(|n| incident(a.id, n)).collect();
    s.create_incidents(&mine).await.unwrap();
    s.create_incidents(&[incident(b.id, 0), incident(b.id, 1)])
        .await
        .unwrap();

    let filter = IncidentFilter {
        agency: Some(a.id),
        ..Default::default()
    };
    let mut seen = Vec::new();
    let mut req = PageRequest::first(5);
    loop {
        let page = s.list_incidents(&filter, req).await.unwrap();
        assert!(page.items.len() <= 5);
        seen.extend(page.items.iter().map(|i| i.id));
        match page.next {
            Some(c) => req.after = Some(crate::Cursor::decode(&c).unwrap()),
            None => break,
        }
        // A record added while paging must not shift what is still to come.
        if seen.len() == 5 {
            s.create_incident(&incident(a.id, 100)).await.unwrap();
        }
    }
    let expected: Vec<_> = mine.iter().map(|i| i.id).collect();
    assert_eq!(
        &seen[..23],
        &expected[..],
        "pages follow creation order, without gaps"
    );
    assert_eq!(seen.len(), 24, "the record added while paging comes last");
    assert_eq!(
        seen.iter().collect::<HashSet<_>>().len(),
        24,
        "no record twice"
    );
    assert_eq!(s.count_incidents(&filter).await.unwrap(), 24);
    assert_eq!(
        s.count_incidents(&IncidentFilter::default()).await.unwrap(),
        26
    );
    // A page size of zero or a huge one is clamped, not an error.
    assert_eq!(
        s.list_incidents(&filter, PageRequest::first(0))
            .await
            .unwrap()
            .items
            .len(),
        1
    );
}

pub async fn incident_filters(s: Arc<dyn Store>) {
    let a = agency("TIME");
    s.create_agency(&a).await.unwrap();
    let all: Vec<_> = (0..10).map(|n| incident(a.id, n * 10)).collect();
    s.create_incidents(&all).await.unwrap();
    let from = Utc.with_ymd_and_hms(2022, 3, 20, 0, 0, 0).unwrap();
    let to = Utc.with_ymd_and_hms(2022, 4, 20, 0, 0, 0).unwrap();
    let filter = IncidentFilter {
        occurred_from: Some(from),
        occurred_to: Some(to),
        ..Default::default()
    };
    let got = s
        .list_incidents(&filter, PageRequest::first(100))
        .await
        .unwrap();
    let titles: Vec<_> = got.items.iter().map(|i| i.occurred.start).collect();
    assert_eq!(
        titles.len(),
        3,
        "days 20, 30 and 40 after 1 March fall in the window: {titles:?}"
    );
    assert_eq!(s.count_incidents(&filter).await.unwrap(), 3);
}

pub async fn concurrent_writers(s: Arc<dyn Store>) {
    let a = agency("CONC");
    s.create_agency(&a).await.unwrap();
    let mut tasks = Vec::new();
    for w in 0..8u32 {
        let s = s.clone();
        let agency = a.id;
        tasks.push(tokio::spawn(async move {
            for n in 0..25u32 {
                let i = incident(agency, w * 1000 + n);
                s.create_incident(&i).await.unwrap();
            }
            // Batches from several writers at once, too.
            let batch: Vec<_> = (500..510).map(|n| incident(agency, w * 1000 + n)).collect();
            s.create_incidents(&batch).await.unwrap();
        }));
    }
    for t in futures::future::join_all(tasks).await {
        t.unwrap();
    }
    let f = IncidentFilter {
        agency: Some(a.id),
        ..Default::default()
    };
    assert_eq!(s.count_incidents(&f).await.unwrap(), 8 * 35);
}

pub async fn unicode_round_trips(s: Arc<dyn Store>) {
    let a = agency("UNI");
    s.create_agency(&a).await.unwrap();
    let mut i = incident(a.id, 1);
    i.title = "Удар по пологовому будинку — Маріуполь, вул. Азовстальська ʼ’'".into();
    i.location.place_name = "Оленівка / Оленовка / Olenivka".into();
    i.narratives = vec![
        Narrative {
            lang: "uk".into(),
            text: "Свідок: «ми ховалися в підвалі» 🙏🏽🇺🇦".into(),
        },
        Narrative {
            lang: "ar".into(),
            text: "شاهد عيان قال إن القصف بدأ ليلاً".into(),
        },
        Narrative {
            lang: "he".into(),
            text: "עד ראייה: ההפגזה החלה בלילה".into(),
        },
        Narrative {
            lang: "".into(),
            text: "e\u{301} combining, \u{200f}RLM, tab\tand\nnewline".into(),
        },
    ];
    i.reference = Some("№ 12022100000000123/ї".into());
    s.create_incident(&i).await.unwrap();
    assert_eq!(s.incident(i.id).await.unwrap(), i);

    let mut p = super::others::person(a.id);
    p.names.push(PersonName {
        full: "Коваленко Олена Петрівна 👩‍👧".into(),
        ..Default::default()
    });
    s.create_person(&p).await.unwrap();
    assert_eq!(s.person(p.id).await.unwrap(), p);
}

pub async fn batch_is_all_or_nothing(s: Arc<dyn Store>) {
    let a = agency("ATOM");
    s.create_agency(&a).await.unwrap();
    let existing = incident(a.id, 0);
    s.create_incident(&existing).await.unwrap();
    let mut batch: Vec<_> = (1..50).map(|n| incident(a.id, n)).collect();
    // The last one collides with a stored reference: the whole batch must fail.
    let mut clash = incident(a.id, 99);
    clash.reference = existing.reference.clone();
    batch.push(clash);
    let err = s.create_incidents(&batch).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    let f = IncidentFilter {
        agency: Some(a.id),
        ..Default::default()
    };
    assert_eq!(
        s.count_incidents(&f).await.unwrap(),
        1,
        "nothing of the failed batch stays"
    );
    assert!(matches!(
        s.incident(batch[0].id).await,
        Err(StoreError::NotFound { .. })
    ));
    // A batch with a duplicate inside itself fails the same way.
    let twice = vec![incident(a.id, 7), incident(a.id, 7)];
    assert!(s.create_incidents(&twice).await.is_err());
    assert_eq!(s.count_incidents(&f).await.unwrap(), 1);
    // An empty batch is fine.
    s.create_incidents(&[]).await.unwrap();
}
