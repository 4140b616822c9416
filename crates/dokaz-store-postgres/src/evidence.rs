//! The evidence registry in PostgreSQL: reading items back, and reserving ERN sequence numbers.
//! Items are written only through `LedgerStore::append_custody` (see `ledger.rs`), so a row
//! never exists without the custody event that explains it.

use async_trait::async_trait;
use dokaz_model::{AgencyId, Ern, Evidence, EvidenceId, Sha256};
use dokaz_store::sql::batch::{check_case_segment, sequence_exhausted, sha256_bytes};
use dokaz_store::sql::{backend, from_doc};
use dokaz_store::{EvidenceFilter, EvidenceStore, Page, PageRequest, StoreError, StoreResult};
use sqlx::{Postgres, QueryBuilder};

use crate::{docs, PostgresStore};

#[async_trait]
impl EvidenceStore for PostgresStore {
    async fn evidence(&self, id: EvidenceId) -> StoreResult<Evidence> {
        docs::get(&self.pool, "evidence", "evidence", id.as_uuid()).await
    }

    async fn evidence_by_ern(&self, ern: &Ern) -> StoreResult<Evidence> {
        let doc: Option<String> =
            sqlx::query_scalar("SELECT doc::text FROM evidence WHERE ern = $1")
                .bind(ern.to_string())
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        from_doc(&doc.ok_or_else(|| StoreError::not_found("evidence", ern))?)
    }

    async fn list_evidence(
        &self,
        f: &EvidenceFilter,
        req: PageRequest,
    ) -> StoreResult<Page<Evidence>> {
        let mut q = QueryBuilder::<Postgres>::new("SELECT doc::text FROM evidence WHERE id > ");
        q.push_bind(req.after_uuid());
        if let Some(a) = f.agency {
            q.push(" AND agency_id = ").push_bind(a.as_uuid());
        }
        if let Some(c) = f.case {
            q.push(" AND case_id = ").push_bind(c.as_uuid());
        }
        if let Some(h) = f.sha256 {
            q.push(" AND sha256 = ").push_bind(h.0.to_vec());
        }
        if let Some(i) = f.incident {
            q.push(" AND id IN (SELECT evidence_id FROM evidence_incidents WHERE incident_id = ")
                .push_bind(i.as_uuid())
                .push(")");
        }
        q.push(" ORDER BY id LIMIT ").push_bind(req.fetch_limit());
        let docs: Vec<String> = q
            .build_query_scalar()
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        let rows = docs
            .iter()
            .map(|d| from_doc(d))
            .collect::<StoreResult<Vec<Evidence>>>()?;
        Ok(Page::from_rows(rows, &req, |e| e.id.as_uuid()))
    }

    async fn next_ern_sequence(&self, agency: AgencyId, case_segment: &str) -> StoreResult<u32> {
        check_case_segment(case_segment)?;
        // One statement in its own transaction: the row lock serialises concurrent callers on
        // every node, and the commit makes a number handed out durable, so it is never
        // reused. Past 999,999 the CHECK constraint fails the statement and nothing changes.
        let last: i32 = sqlx::query_scalar(
            "INSERT INTO ern_sequences (agency_id, case_segment, last) VALUES ($1, $2, 1) \
             ON CONFLICT (agency_id, case_segment) DO UPDATE SET last = ern_sequences.last + 1 \
             RETURNING last",
        )
        .bind(agency.as_uuid())
        .bind(case_segment)
        .fetch_one(&self.pool)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_check_violation() => sequence_exhausted(case_segment),
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
                StoreError::not_found("agency", agency)
            }
            _ => backend(e),
        })?;
        u32::try_from(last).map_err(|_| StoreError::Backend(format!("ERN sequence {last} stored")))
    }

    async fn all_blob_digests(&self) -> StoreResult<Vec<Sha256>> {
        let rows: Vec<Vec<u8>> =
            sqlx::query_scalar("SELECT DISTINCT sha256 FROM evidence ORDER BY sha256")
                .fetch_all(&self.pool)
                .await
                .map_err(backend)?;
        rows.iter().map(|b| sha256_bytes(b)).collect()
    }
}
