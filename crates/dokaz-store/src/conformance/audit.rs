//! The audit log's contract: each record is a ledger entry (kind `audit`) in the same index
//! sequence as custody events, from any number of writers; lists filter by agency, actor,
//! action (exact or prefix), decision and time, and page by key; a failed batch leaves
//! nothing.

use std::sync::Arc;

use chrono::{DateTime, Duration, SubsecRound, TimeZone, Utc};
use dokaz_model::{AgencyId, AuditRecord, CustodyAction, Decision, UserId};

use super::fixtures::{agency, custody, evidence, intake};
use crate::{AuditFilter, Cursor, PageRequest, Store, StoreError};

fn record(agency: AgencyId, action: &str, decision: Decision) -> AuditRecord {
    let mut r = AuditRecord::new(
        Some(UserId::new()),
        Some(agency),
        action,
        decision,
        "роль слідчого; гриф «обмежено»",
    );
    r.target = Some("evidence:UAPGO-GEN-000001".into());
    r.address = "198.51.100.4".into();
    r.request_id = "req-1".into();
    r
}

pub async fn audit_shares_the_custody_sequence(s: Arc<dyn Store>) {
    let a = agency("AUD");
    s.create_agency(&a).await.unwrap();
    assert!(s.append_audit(&[]).await.unwrap().is_empty());
    let e = evidence(&a, 1);
    let mut login = record(a.id, "session.login", Decision::Allow);
    login.actor = None;
    login.agency = None;
    // Nanoseconds: the entry keeps microseconds, and so does the stored record.
    login.at =
        Utc.with_ymd_and_hms(2024, 7, 1, 12, 0, 0).unwrap() + Duration::nanoseconds(1_234_567);
    assert_eq!(s.append_custody(&[intake(&e)]).await.unwrap(), vec![0]);
    assert_eq!(
        s.append_audit(std::slice::from_ref(&login)).await.unwrap(),
        vec![1]
    );
    let access = custody(&e, CustodyAction::Access);
    assert_eq!(
        s.append_custody(std::slice::from_ref(&access))
            .await
            .unwrap(),
        vec![2]
    );
    let batch: Vec<_> = ["evidence.read", "evidence.download", "grant.create"]
        .into_iter()
        .map(|act| record(a.id, act, Decision::Deny))
        .collect();
    assert_eq!(s.append_audit(&batch).await.unwrap(), vec![3, 4, 5]);
    assert_eq!(s.ledger_size().await.unwrap(), 6);

    let entries = s.ledger_entries(0, 10).await.unwrap();
    let kinds: Vec<_> = entries.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["custody", "audit", "custody", "audit", "audit", "audit"]
    );
    let mut audits = vec![&login];
    audits.extend(&batch);
    for (entry, r) in entries.iter().filter(|e| e.kind == "audit").zip(&audits) {
        assert_eq!(entry.entry, r.ledger_entry());
        assert_eq!(entry.leaf_hash, dokaz_ledger::leaf_hash(&entry.entry).0);
        let back = AuditRecord::from_ledger_entry(&entry.entry).unwrap();
        assert_eq!(back.id, r.id);
    }
    assert_eq!(entries[2].entry, access.event.ledger_entry());
    let hashes = s.leaf_hashes(0, 6).await.unwrap();
    assert_eq!(
        hashes,
        entries.iter().map(|e| e.leaf_hash).collect::<Vec<_>>()
    );
    let at: Vec<_> = s
        .custody_range(0, 10)
        .await
        .unwrap()
        .iter()
        .map(|r| r.ledger_index)
        .collect();
    assert_eq!(at, vec![0, 2], "audit entries are not custody events");

    let listed = s
        .list_audit(&AuditFilter::default(), PageRequest::first(10))
        .await
        .unwrap();
    let stored = listed.items.iter().find(|r| r.id == login.id).unwrap();
    assert_eq!(stored.at, login.at.trunc_subsecs(6));
    assert_eq!(stored.ledger_entry(), login.ledger_entry());
    let mut want = batch.clone();
    want.push(AuditRecord {
        at: login.at.trunc_subsecs(6),
        ..login.clone()
    });
    want.sort_by_key(|r| r.id);
    assert_eq!(listed.items, want);

    // By ledger position, as fsck reads them: audit records only, each where it was put.
    let ranged = s.audit_range(0, 6).await.unwrap();
    let positions: Vec<u64> = ranged.iter().map(|(i, _)| *i).collect();
    assert_eq!(positions, vec![1, 3, 4, 5]);
    for (i, r) in &ranged {
        let e = &s.ledger_entries(*i, i + 1).await.unwrap()[0];
        assert_eq!(
            e.entry,
            r.ledger_entry(),
            "audit row {i} encodes to its entry"
        );
    }
    assert!(s.audit_range(6, 10).await.unwrap().is_empty());

    // Custody and audit writers at once: one sequence, no gap, no index twice.
    let mut tasks = Vec::new();
    for w in 0..6u32 {
        let (s, a) = (s.clone(), a.clone());
        tasks.push(tokio::spawn(async move {
            let mut got = Vec::new();
            for k in 0..8u32 {
                let ix = if w % 2 == 0 {
                    let e = evidence(&a, 100 + w * 100 + k);
                    s.append_custody(&[intake(&e), custody(&e, CustodyAction::Access)])
                        .await
                } else {
                    let r = [
                        record(a.id, "incident.read", Decision::Allow),
                        record(a.id, "incident.read", Decision::Deny),
                    ];
                    s.append_audit(&r).await
                };
                let ix = ix.unwrap();
                assert_eq!(ix[1], ix[0] + 1, "a batch is consecutive");
                got.extend(ix);
            }
            got
        }));
    }
    let mut all = Vec::new();
    for t in futures::future::join_all(tasks).await {
        all.extend(t.unwrap());
    }
    all.sort_unstable();
    assert_eq!(all, (6..6 + 96).collect::<Vec<u64>>());
    let entries = s.ledger_entries(0, 200).await.unwrap();
    assert_eq!(entries.len(), 102);
    assert_eq!(entries.iter().filter(|e| e.kind == "audit").count(), 4 + 48);
}

pub async fn audit_lists_filter_and_page(s: Arc<dyn Store>) {
    let (a, b) = (agency("AUDA"), agency("AUDB"));
    let actor = UserId::new();
    let t0 = Utc.with_ymd_and_hms(2025, 2, 24, 6, 0, 0).unwrap();
    let mut made = Vec::new();
    let actions = [
        "evidence.read",
        "evidence.download",
        "evidence",
        "evidences.read",
        "grant.create",
        "evidence_x.read",
    ];
    for (n, act) in actions.iter().cycle().take(24).enumerate() {
        let ag = if n % 3 == 0 { b.id } else { a.id };
        let d = if n % 2 == 0 {
            Decision::Allow
        } else {
            Decision::Deny
        };
        let mut r = record(ag, act, d);
        if n % 4 == 0 {
            r.actor = Some(actor);
        }
        r.at = t0 + Duration::minutes(n as i64);
        made.push(r);
    }
    // Several batches, so that ledger order and id order are not one sort.
    for chunk in made.chunks(7) {
        s.append_audit(chunk).await.unwrap();
    }
    made.sort_by_key(|r| r.id);
    let all = |f: AuditFilter| {
        let s = s.clone();
        async move {
            let mut out = Vec::new();
            let mut req = PageRequest::first(5);
            loop {
                let page = s.list_audit(&f, req).await.unwrap();
                assert!(page.items.len() <= 5);
                out.extend(page.items);
                match page.next {
                    Some(n) => req.after = Some(Cursor::decode(&n).unwrap()),
                    None => return out,
                }
            }
        }
    };
    let check = |f: AuditFilter, keep: &dyn Fn(&AuditRecord) -> bool| {
        let want: Vec<_> = made.iter().filter(|r| keep(r)).cloned().collect();
        let all = &all;
        async move {
            assert!(!want.is_empty(), "{f:?} selects something");
            assert_eq!(all(f.clone()).await, want, "{f:?}");
        }
    };
    let filter = |g: &dyn Fn(&mut AuditFilter)| {
        let mut f = AuditFilter::default();
        g(&mut f);
        f
    };
    check(AuditFilter::default(), &|_| true).await;
    check(filter(&|f| f.agency = Some(b.id)), &|r| {
        r.agency == Some(b.id)
    })
    .await;
    check(filter(&|f| f.actor = Some(actor)), &|r| {
        r.actor == Some(actor)
    })
    .await;
    check(filter(&|f| f.action = Some("evidence.read".into())), &|r| {
        r.action == "evidence.read"
    })
    .await;
    let prefix = |r: &AuditRecord| r.action.starts_with("evidence.");
    check(filter(&|f| f.action = Some("evidence.".into())), &prefix).await;
    check(filter(&|f| f.action = Some("evidence_x.".into())), &|r| {
        r.action == "evidence_x.read"
    })
    .await;
    check(filter(&|f| f.decision = Some(Decision::Deny)), &|r| {
        r.decision == Decision::Deny
    })
    .await;
    let (from, to): (DateTime<Utc>, DateTime<Utc>) =
        (t0 + Duration::minutes(5), t0 + Duration::minutes(11));
    let within = |r: &AuditRecord| r.at >= from && r.at < to;
    check(
        filter(&|f| (f.from, f.to) = (Some(from), Some(to))),
        &within,
    )
    .await;
    let mixed = filter(&|f| {
        f.agency = Some(a.id);
        f.action = Some("evidence.".into());
        f.decision = Some(Decision::Deny);
        f.from = Some(t0 + Duration::minutes(1));
    });
    let keep = |r: &AuditRecord| {
        r.agency == Some(a.id)
            && prefix(r)
            && r.decision == Decision::Deny
            && r.at >= t0 + Duration::minutes(1)
    };
    check(mixed, &keep).await;
    let none = filter(&|f| f.action = Some("case.".into()));
    assert!(all(none).await.is_empty());
}

pub async fn failed_audit_batch_leaves_nothing(s: Arc<dyn Store>) {
    let a = agency("AUDF");
    let stored = record(a.id, "evidence.read", Decision::Allow);
    s.append_audit(std::slice::from_ref(&stored)).await.unwrap();
    let nothing_stays = || {
        let s = s.clone();
        async move {
            assert_eq!(s.ledger_size().await.unwrap(), 1, "no ledger entry stays");
            let all = s
                .list_audit(&AuditFilter::default(), PageRequest::first(100))
                .await
                .unwrap();
            assert_eq!(all.items.len(), 1, "no audit row stays");
        }
    };
    let fresh: Vec<_> = (0..600)
        .map(|_| record(a.id, "incident.read", Decision::Deny))
        .collect();

    let mut twice = fresh.clone();
    twice.push(fresh[3].clone());
    let err = s.append_audit(&twice).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    nothing_stays().await;

    // A retried request: good records, then one already stored, past one statement's chunk.
    let mut replay = fresh.clone();
    replay.push(stored.clone());
    let err = s.append_audit(&replay).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    assert!(
        err.to_string().contains(&stored.id.to_string()),
        "names the record: {err}"
    );
    nothing_stays().await;

    assert_eq!(
        s.append_audit(&fresh).await.unwrap(),
        (1..601).collect::<Vec<u64>>()
    );
}
