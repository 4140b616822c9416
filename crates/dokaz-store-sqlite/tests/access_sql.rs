//! What the conformance suite cannot reach through the traits: the database itself refuses
//! to change or remove audit records, to delete grants, and to change a grant other than by
//! revoking it once.

use chrono::{SubsecRound, Utc};
use dokaz_model::{AuditRecord, CaseId, Decision, Grant, GrantId, GrantLevel, GrantTarget, UserId};
use dokaz_store::conformance::agency;
use dokaz_store::{AgencyStore, AuditFilter, AuditStore, GrantStore, LedgerStore, PageRequest};
use dokaz_store_sqlite::SqliteStore;
use sqlx::SqlitePool;

/// A store and a raw connection to the same file, as a tamperer with file access has.
async fn fresh() -> (SqliteStore, SqlitePool) {
    // Leaked on purpose: the directory must outlive the store, and the OS cleans /tmp.
    let dir = tempfile::tempdir().expect("temp dir").keep();
    let url = format!("sqlite://{}/dokaz.db", dir.display());
    let store = SqliteStore::open(&url).await.expect("open SQLite store");
    let raw = SqlitePool::connect(&url).await.expect("raw connection");
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
    ] {
        let err = sqlx::query(sql).execute(&raw).await.unwrap_err();
        assert!(err.to_string().contains("never"), "{sql}: {err}");
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
        "UPDATE grants SET doc = json_set(doc, '$.level', 'download'), revoked_at = 1",
        "UPDATE grants SET expires_at = 1, revoked_at = 1",
        // The column alone, without the document saying so, is no revocation either.
        "UPDATE grants SET revoked_at = 1",
    ] {
        let err = sqlx::query(sql).execute(&raw).await.unwrap_err();
        assert!(err.to_string().contains("never"), "{sql}: {err}");
    }
    assert_eq!(s.grant(g.id).await.unwrap(), g);
    let revoked = s
        .revoke_grant(g.id, UserId::new(), Utc::now().trunc_subsecs(6))
        .await
        .unwrap();
    for sql in [
        "UPDATE grants SET revoked_at = NULL, doc = json_remove(doc, '$.revoked_at', '$.revoked_by')",
        "UPDATE grants SET revoked_at = revoked_at + 1",
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
