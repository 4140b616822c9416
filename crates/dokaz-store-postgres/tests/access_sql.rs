//! What the conformance suite cannot reach through the traits: the database itself refuses
//! to change or remove audit records, to delete grants, and to change a grant other than by
//! revoking it once; and two nodes writing custody and audit share one ledger sequencer.

use chrono::{SubsecRound, Utc};
use dokaz_model::{
    AuditRecord, CaseId, CustodyAction, Decision, Grant, GrantId, GrantLevel, GrantTarget, UserId,
};
use dokaz_store::conformance::{agency, custody, evidence, intake};
use dokaz_store::{AgencyStore, AuditFilter, AuditStore, GrantStore, LedgerStore, PageRequest};
use dokaz_store_postgres::testing::TestCluster;
use dokaz_store_postgres::PostgresStore;
use sqlx::PgPool;

/// A store and a raw connection to the same database, as a tamperer with its password has.
async fn fresh() -> (PostgresStore, PgPool) {
    let url = TestCluster::shared().await.fresh_database().await;
    let store = PostgresStore::open(&url)
        .await
        .expect("open PostgreSQL store");
    let raw = PgPool::connect(&url).await.expect("raw connection");
    (store, raw)
}

#[tokio::test]
async fn the_database_refuses_to_rewrite_the_audit_log() {
    let (s, raw) = fresh().await;
    let a = agency("AUDT");
    let records: Vec<_> = ["evidence.download", "grant.create"]
        .into_iter()
        .map(|act| {
            AuditRecord::new(
                Some(UserId::new()),
                Some(a.id),
                act,
                Decision::Deny,
                "no grant",
            )
        })
        .collect();
    s.append_audit(&records).await.unwrap();
    let before = s.ledger_entries(0, 2).await.unwrap();
    for sql in [
        "UPDATE audit_log SET decision = 'allow'",
        "UPDATE audit_log SET doc = '{}' WHERE ledger_index = 1",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE ledger_index = 1",
        "DELETE FROM ledger_entries WHERE kind = 'audit'",
        "UPDATE ledger_entries SET kind = 'custody'",
        "TRUNCATE audit_log",
    ] {
        let err = sqlx::query(sql).execute(&raw).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(s.ledger_entries(0, 2).await.unwrap(), before);
    let listed = s
        .list_audit(&AuditFilter::default(), PageRequest::first(10))
        .await
        .unwrap();
    assert_eq!(listed.items, records);
}

#[tokio::test]
async fn the_database_refuses_to_delete_or_rewrite_grants() {
    let (s, raw) = fresh().await;
    let (a, b) = (agency("GRNT"), agency("GRNTB"));
    s.create_agency(&a).await.unwrap();
    s.create_agency(&b).await.unwrap();
    let g = Grant {
        id: GrantId::new(),
        grantor: a.id,
        grantee: b.id,
        target: GrantTarget::Case(CaseId::new()),
        level: GrantLevel::Metadata,
        purpose: "deconfliction".into(),
        consent_purpose: None,
        expires_at: None,
        created_by: UserId::new(),
        created_at: Utc::now().trunc_subsecs(6),
        revoked_at: None,
        revoked_by: None,
    };
    s.create_grant(&g).await.unwrap();
    for sql in [
        "DELETE FROM grants",
        "UPDATE grants SET level = 'download'",
        "UPDATE grants SET grantee = grantor",
        "UPDATE grants SET doc = jsonb_set(doc, '{level}', '\"download\"'), revoked_at = now()",
        "UPDATE grants SET expires_at = now(), revoked_at = now()",
        // The column alone, without the document saying so, is no revocation either.
        "UPDATE grants SET revoked_at = now()",
        "TRUNCATE grants",
    ] {
        let err = sqlx::query(sql).execute(&raw).await.unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("never") || msg.contains("append-only"),
            "{sql}: {err}"
        );
    }
    assert_eq!(s.grant(g.id).await.unwrap(), g);
    let revoked = s
        .revoke_grant(g.id, UserId::new(), Utc::now().trunc_subsecs(6))
        .await
        .unwrap();
    for sql in [
        "UPDATE grants SET revoked_at = NULL, doc = doc - 'revoked_at' - 'revoked_by'",
        "UPDATE grants SET revoked_at = revoked_at + interval '1 second'",
        "DELETE FROM grants",
    ] {
        let err = sqlx::query(sql).execute(&raw).await.unwrap_err();
        assert!(err.to_string().contains("never"), "{sql}: {err}");
    }
    assert_eq!(s.grant(g.id).await.unwrap(), revoked);
    assert_eq!(
        s.ledger_size().await.unwrap(),
        0,
        "grants are not ledger entries"
    );
}

/// Two nodes on one database append custody events and audit records at once: both take
/// the ledger sequencer's advisory lock, so the log has no gap and no index twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custody_and_audit_on_two_nodes_share_one_sequencer() {
    let url = TestCluster::shared().await.fresh_database().await;
    let nodes = [
        PostgresStore::open(&url).await.unwrap(),
        PostgresStore::open(&url).await.unwrap(),
    ];
    let a = agency("SEQAUD");
    nodes[0].create_agency(&a).await.unwrap();
    let mut tasks = Vec::new();
    for w in 0..8u32 {
        let (node, a) = (nodes[w as usize % 2].clone(), a.clone());
        tasks.push(tokio::spawn(async move {
            let mut got = Vec::new();
            for k in 0..15u32 {
                let ix = if (w / 2) % 2 == 0 {
                    let e = evidence(&a, 1 + w * 100 + k);
                    node.append_custody(&[intake(&e), custody(&e, CustodyAction::Access)])
                        .await
                } else {
                    let r = |d| AuditRecord::new(None, Some(a.id), "session.login", d, "password");
                    node.append_audit(&[r(Decision::Allow), r(Decision::Deny)])
                        .await
                };
                got.extend(ix.unwrap());
            }
            got
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort_unstable();
    assert_eq!(all, (0..240).collect::<Vec<u64>>());
    let entries = nodes[1].ledger_entries(0, 240).await.unwrap();
    assert_eq!(entries.iter().filter(|e| e.kind == "audit").count(), 120);
}
