//! The contract of sessions, API tokens and grants: found by the hash of their secret,
//! names unique per user, grants revoked once and never lost, and the grants an access
//! decision asks for — the grantee's, on the given records, active or not.

use std::sync::Arc;

use chrono::{DateTime, Duration, SubsecRound, Utc};
use dokaz_model::{
    AgencyId, ApiTokenId, CaseId, EvidenceId, Grant, GrantId, GrantLevel, GrantTarget, IncidentId,
    UserId,
};

use super::fixtures::{agency, user};
use crate::{ApiToken, GrantFilter, PageRequest, Session, Store, StoreError};

/// Now, as the stores keep it: whole microseconds.
fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// A stand-in for the SHA-256 of a secret; distinct per `n`.
fn hash(n: u8) -> [u8; 32] {
    let mut h = [n; 32];
    h[0] = 0xab;
    h
}

fn session(user: UserId, n: u8) -> Session {
    let at = now();
    Session {
        token_hash: hash(n),
        user,
        created_at: at,
        expires_at: at + Duration::hours(12),
        last_seen_at: at,
        address: "203.0.113.7".into(),
    }
}

fn token(user: UserId, name: &str, n: u8) -> ApiToken {
    ApiToken {
        id: ApiTokenId::new(),
        user,
        name: name.into(),
        token_hash: hash(n),
        scopes: vec!["read".into(), "write".into()],
        created_at: now(),
        expires_at: Some(now() + Duration::days(90)),
        revoked_at: None,
    }
}

/// A grant of `grantor`'s record to `grantee`, in force for a month.
fn grant(grantor: AgencyId, grantee: AgencyId, target: GrantTarget) -> Grant {
    Grant {
        id: GrantId::new(),
        grantor,
        grantee,
        target,
        level: GrantLevel::Content,
        purpose: "Спільна слідча група: аналіз обстрілів лікарень".into(),
        consent_purpose: None,
        expires_at: Some(now() + Duration::days(30)),
        created_by: UserId::new(),
        created_at: now(),
        revoked_at: None,
        revoked_by: None,
    }
}

fn not_found<T: std::fmt::Debug>(r: Result<T, StoreError>) {
    assert!(matches!(r, Err(StoreError::NotFound { .. })), "{r:?}");
}

fn conflict<T: std::fmt::Debug>(r: Result<T, StoreError>) {
    assert!(matches!(r, Err(StoreError::Conflict { .. })), "{r:?}");
}

pub async fn sessions_by_token_hash(s: Arc<dyn Store>) {
    let a = agency("SESS");
    s.create_agency(&a).await.unwrap();
    let (u, v) = (user(a.id, "olena"), user(a.id, "taras"));
    s.create_user(&u, "x").await.unwrap();
    s.create_user(&v, "x").await.unwrap();
    let first = session(u.id, 1);
    s.create_session(&first).await.unwrap();
    assert_eq!(s.session(&first.token_hash).await.unwrap(), first);
    conflict(s.create_session(&first).await);
    not_found(s.session(&hash(99)).await);
    not_found(s.create_session(&session(UserId::new(), 98)).await);

    let later = first.last_seen_at + Duration::minutes(5);
    s.touch_session(&first.token_hash, later).await.unwrap();
    let touched = s.session(&first.token_hash).await.unwrap();
    assert_eq!(touched.last_seen_at, later);
    assert_eq!(
        touched.created_at, first.created_at,
        "only the last request moves"
    );
    not_found(s.touch_session(&hash(99), later).await);

    s.delete_session(&first.token_hash).await.unwrap();
    not_found(s.session(&first.token_hash).await);
    not_found(s.delete_session(&first.token_hash).await);

    for n in 2..5 {
        s.create_session(&session(u.id, n)).await.unwrap();
    }
    s.create_session(&session(v.id, 5)).await.unwrap();
    assert_eq!(s.delete_user_sessions(u.id).await.unwrap(), 3);
    assert_eq!(s.delete_user_sessions(u.id).await.unwrap(), 0);
    not_found(s.session(&hash(2)).await);
    assert_eq!(s.session(&hash(5)).await.unwrap().user, v.id, "others stay");
}

pub async fn api_tokens_by_hash(s: Arc<dyn Store>) {
    let a = agency("TOK");
    s.create_agency(&a).await.unwrap();
    let (u, v) = (user(a.id, "analyst1"), user(a.id, "analyst2"));
    s.create_user(&u, "x").await.unwrap();
    s.create_user(&v, "x").await.unwrap();
    let t = token(u.id, "нічний імпорт", 1);
    s.create_api_token(&t).await.unwrap();
    assert_eq!(s.api_token(&t.token_hash).await.unwrap(), t);
    conflict(s.create_api_token(&token(u.id, "нічний імпорт", 2)).await);
    conflict(s.create_api_token(&token(v.id, "other", 1)).await);
    let mut bare = token(v.id, "нічний імпорт", 3);
    bare.scopes.clear();
    bare.expires_at = None;
    s.create_api_token(&bare).await.unwrap();
    assert_eq!(s.api_token(&hash(3)).await.unwrap(), bare, "per user");
    not_found(s.api_token(&hash(2)).await);
    not_found(s.create_api_token(&token(UserId::new(), "x", 4)).await);

    let second = token(u.id, "backup", 5);
    s.create_api_token(&second).await.unwrap();
    let at = now();
    s.revoke_api_token(t.id, at).await.unwrap();
    assert_eq!(
        s.api_token(&t.token_hash).await.unwrap().revoked_at,
        Some(at)
    );
    not_found(s.revoke_api_token(ApiTokenId::new(), at).await);

    let listed = s.list_api_tokens(u.id).await.unwrap();
    let mut want = vec![
        ApiToken {
            revoked_at: Some(at),
            ..t.clone()
        },
        second,
    ];
    want.sort_by_key(|t| t.id);
    assert_eq!(listed, want);
    assert!(s.list_api_tokens(UserId::new()).await.unwrap().is_empty());
}

pub async fn grants_revoked_never_deleted(s: Arc<dyn Store>) {
    let (a, b) = (agency("ORIG"), agency("JIT"));
    s.create_agency(&a).await.unwrap();
    s.create_agency(&b).await.unwrap();
    let g = grant(a.id, b.id, GrantTarget::Case(CaseId::new()));
    s.create_grant(&g).await.unwrap();
    assert_eq!(s.grant(g.id).await.unwrap(), g);
    conflict(s.create_grant(&g).await);
    not_found(s.grant(GrantId::new()).await);
    let stray = grant(a.id, AgencyId::new(), GrantTarget::Case(CaseId::new()));
    let err = s.create_grant(&stray).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    assert!(
        err.to_string().contains(&stray.grantee.to_string()),
        "{err}"
    );

    let (by, at) = (UserId::new(), now());
    let r = s.revoke_grant(g.id, by, at).await.unwrap();
    let want = Grant {
        revoked_at: Some(at),
        revoked_by: Some(by),
        ..g.clone()
    };
    assert_eq!(r, want);
    assert_eq!(s.grant(g.id).await.unwrap(), want);
    assert!(!r.is_active(at));
    let again = s
        .revoke_grant(g.id, UserId::new(), at + Duration::hours(1))
        .await;
    conflict(again);
    assert_eq!(
        s.grant(g.id).await.unwrap(),
        want,
        "the first revocation stays"
    );
    not_found(s.revoke_grant(GrantId::new(), by, at).await);
}

pub async fn grants_for_the_grantee_and_targets(s: Arc<dyn Store>) {
    let (a, b, c) = (agency("GA"), agency("GB"), agency("GC"));
    for x in [&a, &b, &c] {
        s.create_agency(x).await.unwrap();
    }
    let (ev, inc, case) = (EvidenceId::new(), IncidentId::new(), CaseId::new());
    let active = grant(a.id, b.id, GrantTarget::Evidence(ev));
    let mut expired = grant(a.id, b.id, GrantTarget::Incident(inc));
    expired.expires_at = Some(now() - Duration::days(1));
    let revoked = grant(a.id, b.id, GrantTarget::Case(case));
    let to_c = grant(a.id, c.id, GrantTarget::Evidence(ev));
    let elsewhere = grant(a.id, b.id, GrantTarget::Evidence(EvidenceId::new()));
    // The same id under another kind is another record.
    let other_kind = grant(
        a.id,
        b.id,
        GrantTarget::Incident(IncidentId::from_uuid(ev.as_uuid())),
    );
    for g in [&active, &expired, &revoked, &to_c, &elsewhere, &other_kind] {
        s.create_grant(g).await.unwrap();
    }
    let revoked = s
        .revoke_grant(revoked.id, UserId::new(), now())
        .await
        .unwrap();

    let targets = [
        GrantTarget::Evidence(ev),
        GrantTarget::Incident(inc),
        GrantTarget::Case(case),
        GrantTarget::Case(CaseId::new()),
    ];
    let mut got = s.grants_for(b.id, &targets).await.unwrap();
    got.sort_by_key(|g| g.id);
    assert_eq!(
        got,
        vec![active.clone(), expired, revoked],
        "active and inactive"
    );
    let got = s.grants_for(c.id, &targets[..1]).await.unwrap();
    assert_eq!(got, vec![to_c]);
    assert!(s.grants_for(a.id, &targets).await.unwrap().is_empty());
    assert!(s.grants_for(b.id, &[]).await.unwrap().is_empty());
    let one = s.grants_for(b.id, &[targets[0], targets[0]]).await.unwrap();
    assert_eq!(
        one,
        vec![active],
        "a target named twice gives its grants once"
    );
}

pub async fn grant_lists_filter_and_page(s: Arc<dyn Store>) {
    let (a, b, c) = (agency("LA"), agency("LB"), agency("LC"));
    for x in [&a, &b, &c] {
        s.create_agency(x).await.unwrap();
    }
    let mut made = Vec::new();
    for (n, (from, to)) in [(&a, &b), (&a, &c), (&b, &c)]
        .iter()
        .cycle()
        .take(9)
        .enumerate()
    {
        let mut g = grant(from.id, to.id, GrantTarget::Case(CaseId::new()));
        if n % 4 == 0 {
            g.revoked_at = Some(now());
            g.revoked_by = Some(UserId::new());
        }
        s.create_grant(&g).await.unwrap();
        made.push(g);
    }
    made.sort_by_key(|g| g.id);
    let all = |f: GrantFilter| {
        let s = s.clone();
        async move {
            let mut out = Vec::new();
            let mut req = PageRequest::first(2);
            loop {
                let page = s.list_grants(&f, req).await.unwrap();
                assert!(page.items.len() <= 2);
                out.extend(page.items);
                match page.next {
                    Some(n) => req.after = Some(crate::Cursor::decode(&n).unwrap()),
                    None => return out,
                }
            }
        }
    };
    assert_eq!(all(GrantFilter::default()).await, made);
    let from_a = GrantFilter {
        grantor: Some(a.id),
        ..Default::default()
    };
    let want: Vec<_> = made.iter().filter(|g| g.grantor == a.id).cloned().collect();
    assert_eq!(all(from_a).await, want);
    let to_c = GrantFilter {
        grantee: Some(c.id),
        ..Default::default()
    };
    let want: Vec<_> = made.iter().filter(|g| g.grantee == c.id).cloned().collect();
    assert_eq!(all(to_c).await, want);
    let a_to_c = GrantFilter {
        grantor: Some(a.id),
        grantee: Some(c.id),
    };
    assert_eq!(all(a_to_c).await.len(), 3);
}
