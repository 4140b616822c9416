//! The contract of match storage: one row per pair whatever order and however often it is
//! found, decisions that survive a re-run, each agency's own list and filters, records read
//! back by ids, and batches that are all or nothing. (What is filed for finding candidates:
//! `match_keys`.)

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use dokaz_model::{
    Agency, AgencyId, Classification, Incident, IncidentId, Match, MatchKind, MatchSide,
    MatchStatus, PersonId, Unit, UnitId, UserId,
};
use uuid::Uuid;

use super::fixtures::{agency, incident};
use super::others::person;
use crate::{MatchFilter, PageRequest, Store, StoreError};

pub(super) async fn agencies(s: &Arc<dyn Store>, codes: &[&str]) -> Vec<Agency> {
    let mut out = vec![];
    for c in codes {
        let a = agency(c);
        s.create_agency(&a).await.unwrap();
        out.push(a);
    }
    out
}

fn found(kind: MatchKind, x: (Uuid, AgencyId), y: (Uuid, AgencyId), score: f64) -> Match {
    let at = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
    Match::new(
        kind,
        MatchSide::new(x.0, x.1, false),
        MatchSide::new(y.0, y.1, false),
        score,
        format!("score {score}"),
        at,
    )
}

pub async fn matches_upsert_keeps_decisions(s: Arc<dyn Store>) {
    let ag = agencies(&s, &["MUA", "MUB"]).await;
    let (a, b) = (ag[0].id, ag[1].id);
    let (small, large) = (Uuid::now_v7(), Uuid::now_v7());
    // Built by hand with the larger record first: the store orders the sides itself.
    let mut m = found(MatchKind::Incident, (small, a), (large, b), 4.0);
    std::mem::swap(&mut m.a, &mut m.b);
    let rec = s.record_matches(std::slice::from_ref(&m)).await.unwrap();
    assert!(rec[0].is_new);
    let stored = s.match_by_id(m.id).await.unwrap();
    assert_eq!((stored.a.record, stored.b.record), (small, large));
    assert_eq!((stored.a.agency, stored.b.agency), (a, b));
    assert_eq!(stored, rec[0].stored);

    let by = UserId::new();
    let at = Utc.with_ymd_and_hms(2024, 5, 2, 9, 30, 0).unwrap();
    s.decide_match(m.id, b, MatchStatus::Dismissed, by, "різні будинки", at)
        .await
        .unwrap();

    // Found again, from the other side's record, with a new id and score: one row still.
    let mut again = found(MatchKind::Incident, (large, b), (small, a), 6.5);
    again.updated_at += Duration::days(3);
    again.found_at = again.updated_at;
    let twice = s
        .record_matches(&[again.clone(), again.clone()])
        .await
        .unwrap();
    for r in &twice {
        assert!(!r.is_new);
        assert_eq!(r.stored.id, m.id, "the stored id is kept");
        assert_eq!(r.stored.found_at, m.found_at);
        assert_eq!(r.stored.updated_at, again.updated_at);
        assert_eq!(r.stored.score, 6.5);
        assert_eq!(r.stored.b.status, MatchStatus::Dismissed);
        assert_eq!(r.stored.b.decided_by, Some(by));
        assert_eq!(r.stored.b.decided_at, Some(at));
        assert_eq!(r.stored.b.reason, "різні будинки");
        assert_eq!(r.stored.a.status, MatchStatus::New);
    }
    assert_eq!(s.match_by_id(m.id).await.unwrap(), twice[1].stored);
    assert!(matches!(
        s.match_by_id(again.id).await,
        Err(StoreError::NotFound { .. })
    ));

    // The same pair as another kind is another match.
    let person = found(MatchKind::Person, (small, a), (large, b), 1.0);
    assert!(s.record_matches(&[person]).await.unwrap()[0].is_new);
    assert_eq!(s.matches_of_record(small).await.unwrap().len(), 2);
    assert_eq!(s.matches_of_record(large).await.unwrap().len(), 2);
    assert!(s
        .matches_of_record(Uuid::now_v7())
        .await
        .unwrap()
        .is_empty());

    // A side sealed on a re-run loses the reasons: they would speak of the sealed record.
    let mut sealed = found(MatchKind::Incident, (small, a), (large, b), 7.0);
    sealed.b.sealed = true;
    sealed.reasons = "same street".into();
    let r = s.record_matches(&[sealed]).await.unwrap();
    assert!(r[0].stored.b.sealed && r[0].stored.reasons.is_empty());
    assert_eq!(r[0].stored.b.status, MatchStatus::Dismissed);
}

pub async fn matches_list_filter_and_page(s: Arc<dyn Store>) {
    let ag = agencies(&s, &["MLA", "MLB", "MLC"]).await;
    let (a, b, c) = (ag[0].id, ag[1].id, ag[2].id);
    let mut all = vec![];
    // Records made in turn, so that agency A is side a of some matches and side b of others.
    for n in 0..7 {
        let first = (Uuid::now_v7(), if n % 2 == 0 { a } else { b });
        let second = (Uuid::now_v7(), if n % 2 == 0 { b } else { a });
        all.push(found(MatchKind::Incident, first, second, f64::from(n)));
    }
    for n in 0..3 {
        let first = (Uuid::now_v7(), c);
        let second = (Uuid::now_v7(), a);
        all.push(found(MatchKind::Person, first, second, f64::from(n)));
    }
    let unrelated = found(
        MatchKind::Incident,
        (Uuid::now_v7(), b),
        (Uuid::now_v7(), c),
        1.0,
    );
    all.push(unrelated.clone());
    s.record_matches(&all).await.unwrap();

    let mut seen = vec![];
    let mut req = PageRequest::first(3);
    loop {
        let page = s
            .matches_for(a, &MatchFilter::default(), req)
            .await
            .unwrap();
        assert!(page.items.len() <= 3);
        seen.extend(page.items.iter().map(|m| m.id));
        match page.next {
            Some(n) => req.after = Some(crate::Cursor::decode(&n).unwrap()),
            None => break,
        }
    }
    let mut expected: Vec<_> = all[..10].iter().map(|m| m.id).collect();
    expected.sort();
    assert_eq!(seen, expected, "every match of A once, in id order");

    let persons = MatchFilter {
        kind: Some(MatchKind::Person),
        status: None,
    };
    let page = s
        .matches_for(a, &persons, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(page.items.len(), 3);
    assert!(page.items.iter().all(|m| m.kind == MatchKind::Person));

    // A dismisses one where it is side a and one where it is side b; the status filter is
    // A's own side's: B's side of those stays new.
    let by = UserId::new();
    let now = Utc::now();
    for m in &all[..2] {
        s.decide_match(m.id, a, MatchStatus::Dismissed, by, "not the same", now)
            .await
            .unwrap();
    }
    let status = |st| MatchFilter {
        kind: None,
        status: Some(st),
    };
    let dismissed = s
        .matches_for(a, &status(MatchStatus::Dismissed), PageRequest::default())
        .await
        .unwrap();
    let mut ids: Vec<_> = dismissed.items.iter().map(|m| m.id).collect();
    let mut want = vec![all[0].id, all[1].id];
    ids.sort();
    want.sort();
    assert_eq!(ids, want);
    let new_a = s
        .matches_for(a, &status(MatchStatus::New), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(new_a.items.len(), 8);
    let new_b = s
        .matches_for(b, &status(MatchStatus::New), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        new_b.items.len(),
        8,
        "B's seven with A and one with C, all new"
    );
    let both = MatchFilter {
        kind: Some(MatchKind::Person),
        status: Some(MatchStatus::Dismissed),
    };
    assert!(s
        .matches_for(a, &both, PageRequest::default())
        .await
        .unwrap()
        .items
        .is_empty());
}

pub async fn match_decisions_only_by_a_side(s: Arc<dyn Store>) {
    let ag = agencies(&s, &["MDA", "MDB", "MDC"]).await;
    let (a, b, c) = (ag[0].id, ag[1].id, ag[2].id);
    let m = found(
        MatchKind::Unit,
        (Uuid::now_v7(), a),
        (Uuid::now_v7(), b),
        2.0,
    );
    s.record_matches(std::slice::from_ref(&m)).await.unwrap();
    let by = UserId::new();
    let now = Utc::now();
    let third = s
        .decide_match(m.id, c, MatchStatus::Confirmed, by, "", now)
        .await;
    assert!(matches!(third, Err(StoreError::NotFound { .. })));
    let unknown = s
        .decide_match(
            dokaz_model::MatchId::new(),
            a,
            MatchStatus::Confirmed,
            by,
            "",
            now,
        )
        .await;
    assert!(matches!(unknown, Err(StoreError::NotFound { .. })));
    let no_reason = s
        .decide_match(m.id, a, MatchStatus::Dismissed, by, "", now)
        .await;
    assert!(matches!(no_reason, Err(StoreError::Invalid(_))));
    assert_eq!(
        s.match_by_id(m.id).await.unwrap(),
        m,
        "refusals change nothing"
    );

    let reason = "Той самий підрозділ — «в/ч 12345» 🚩";
    let d = s
        .decide_match(m.id, a, MatchStatus::Confirmed, by, reason, now)
        .await
        .unwrap();
    let back = s.match_by_id(m.id).await.unwrap();
    assert_eq!(back, d);
    assert_eq!(back.a.reason, reason);
    assert_eq!(back.a.status, MatchStatus::Confirmed);
    assert_eq!(
        back.b.status,
        MatchStatus::New,
        "each side decides for itself"
    );
    // A side may change its mind.
    let d = s
        .decide_match(m.id, a, MatchStatus::Dismissed, by, "ні", now)
        .await
        .unwrap();
    assert_eq!(d.a.status, MatchStatus::Dismissed);
}

pub async fn failed_match_batch_leaves_nothing(s: Arc<dyn Store>) {
    let ag = agencies(&s, &["MFA", "MFB"]).await;
    let (a, b) = (ag[0].id, ag[1].id);
    let good = found(
        MatchKind::Incident,
        (Uuid::now_v7(), a),
        (Uuid::now_v7(), b),
        1.0,
    );
    // Two records of one agency: not deconfliction, and refused.
    let within = found(
        MatchKind::Incident,
        (Uuid::now_v7(), a),
        (Uuid::now_v7(), a),
        1.0,
    );
    assert!(s.record_matches(&[good.clone(), within]).await.is_err());
    let unknown = found(
        MatchKind::Incident,
        (Uuid::now_v7(), a),
        (Uuid::now_v7(), AgencyId::new()),
        1.0,
    );
    assert!(s.record_matches(&[good.clone(), unknown]).await.is_err());
    assert!(matches!(
        s.match_by_id(good.id).await,
        Err(StoreError::NotFound { .. })
    ));
    let page = s
        .matches_for(a, &MatchFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert!(page.items.is_empty());
    assert!(s.record_matches(&[]).await.unwrap().is_empty());
}

pub async fn records_by_ids_leave_absent_ids_out(s: Arc<dyn Store>) {
    let a = agency("BYID");
    s.create_agency(&a).await.unwrap();
    let incidents: Vec<Incident> = (0..3).map(|n| incident(a.id, n)).collect();
    s.create_incidents(&incidents).await.unwrap();
    let mut ids: Vec<IncidentId> = incidents.iter().map(|i| i.id).collect();
    ids.push(IncidentId::new());
    ids.push(incidents[0].id);
    let mut got = s.incidents_by_ids(&ids).await.unwrap();
    got.sort_by_key(|i| i.id);
    let mut want = incidents.clone();
    want.sort_by_key(|i| i.id);
    assert_eq!(got, want, "each existing one once, the unknown id left out");
    assert!(s.incidents_by_ids(&[]).await.unwrap().is_empty());
    // More ids than one statement takes.
    let many: Vec<IncidentId> = (0..1_100)
        .map(|_| IncidentId::new())
        .chain([incidents[2].id])
        .collect();
    assert_eq!(
        s.incidents_by_ids(&many).await.unwrap(),
        vec![incidents[2].clone()]
    );

    let p = person(a.id);
    s.create_person(&p).await.unwrap();
    assert_eq!(
        s.persons_by_ids(&[PersonId::new(), p.id]).await.unwrap(),
        vec![p]
    );
    assert!(s
        .persons_by_ids(&[PersonId::new()])
        .await
        .unwrap()
        .is_empty());

    let at = Utc.with_ymd_and_hms(2023, 5, 1, 0, 0, 0).unwrap();
    let u = Unit {
        id: UnitId::new(),
        agency: a.id,
        names: vec!["64th Separate Motor Rifle Brigade".into()],
        numbers: vec![],
        affiliation: "RU".into(),
        parent: None,
        classification: Classification::Open,
        created_at: at,
        updated_at: at,
    };
    s.create_unit(&u).await.unwrap();
    assert_eq!(
        s.units_by_ids(&[u.id, UnitId::new()]).await.unwrap(),
        vec![u]
    );
}
