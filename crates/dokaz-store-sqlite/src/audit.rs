//! The audit log in SQLite. Each record is appended with its ledger entry in the same
//! transaction and the same index sequence as custody events, under the same lock as
//! `append.rs`: the single write connection, `BEGIN IMMEDIATE`. No audit row exists without
//! its entry, and no entry without its row.

use std::collections::HashSet;

use async_trait::async_trait;
use dokaz_model::AuditRecord;
use dokaz_store::sql::access::{
    action_match, audit_already_recorded, prepare_audit, ActionMatch, PreparedAudit, AUDIT_KIND,
};
use dokaz_store::sql::batch::{db_index, from_db_index};
use dokaz_store::sql::{backend, from_doc, BULK_CHUNK};
use dokaz_store::{AuditFilter, AuditStore, Page, PageRequest, StoreResult};
use sqlx::{QueryBuilder, Sqlite};
use uuid::Uuid;

use crate::{micros, SqliteStore};

impl SqliteStore {
    /// Returns the first index given. Dropping the transaction on an error rolls it back.
    async fn write_audit(&self, p: &[PreparedAudit<'_>]) -> Result<i64, sqlx::Error> {
        // The write lock is held before the log's size is read (see `begin_write`).
        let mut tx = self.begin_write().await?;
        let start: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_entries")
            .fetch_one(&mut *tx)
            .await?;
        for (n, chunk) in p.chunks(BULK_CHUNK).enumerate() {
            let base = start + db_index((n * BULK_CHUNK) as u64);
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO ledger_entries (idx, kind, entry, leaf_hash) ",
            );
            q.push_values(chunk.iter().zip(base..), |mut b, (a, idx)| {
                b.push_bind(idx)
                    .push_bind(AUDIT_KIND)
                    .push_bind(a.entry.as_slice())
                    .push_bind(&a.leaf_hash[..]);
            });
            q.build().execute(&mut *tx).await?;
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO audit_log (id, ledger_index, at, actor, agency, action, decision, doc) ",
            );
            q.push_values(chunk.iter().zip(base..), |mut b, (a, idx)| {
                let r = a.record;
                b.push_bind(r.id.as_uuid())
                    .push_bind(idx)
                    .push_bind(micros(a.at()))
                    .push_bind(r.actor.map(|u| u.as_uuid()))
                    .push_bind(r.agency.map(|u| u.as_uuid()))
                    .push_bind(r.action.as_str())
                    .push_bind(r.decision.code())
                    .push_bind(a.doc.as_str());
            });
            q.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        self.checkpoints.committed();
        Ok(start)
    }

    /// Which of the batch's records are already stored, to name a replayed one.
    async fn stored_audit_ids(&self, p: &[PreparedAudit<'_>]) -> StoreResult<HashSet<Uuid>> {
        let mut found = HashSet::new();
        for chunk in p.chunks(BULK_CHUNK) {
            let mut q = QueryBuilder::<Sqlite>::new("SELECT id FROM audit_log WHERE id IN (");
            let mut sep = q.separated(", ");
            for a in chunk {
                sep.push_bind(a.record.id.as_uuid());
            }
            q.push(")");
            let rows: Vec<Uuid> = q
                .build_query_scalar()
                .fetch_all(&self.read)
                .await
                .map_err(backend)?;
            found.extend(rows);
        }
        Ok(found)
    }
}

#[async_trait]
impl AuditStore for SqliteStore {
    async fn append_audit(&self, records: &[AuditRecord]) -> StoreResult<Vec<u64>> {
        if records.is_empty() {
            return Ok(Vec::new());
        }
        // Serialising and hashing happen before the write connection is taken.
        let p = prepare_audit(records)?;
        match self.write_audit(&p).await {
            Ok(start) => {
                let start = from_db_index(start)?;
                Ok((start..start + p.len() as u64).collect())
            }
            Err(e) => {
                let unique = matches!(&e, sqlx::Error::Database(d) if d.is_unique_violation());
                if !unique {
                    return Err(backend(e));
                }
                let stored = self.stored_audit_ids(&p).await?;
                Err(audit_already_recorded(&p, &stored, backend(e)))
            }
        }
    }

    async fn list_audit(
        &self,
        f: &AuditFilter,
        req: PageRequest,
    ) -> StoreResult<Page<AuditRecord>> {
        let mut q = QueryBuilder::<Sqlite>::new("SELECT doc FROM audit_log WHERE id > ");
        q.push_bind(req.after_uuid());
        if let Some(a) = f.agency {
            q.push(" AND agency = ").push_bind(a.as_uuid());
        }
        if let Some(u) = f.actor {
            q.push(" AND actor = ").push_bind(u.as_uuid());
        }
        match f.action.as_deref().map(action_match) {
            Some(ActionMatch::Exact(a)) => {
                q.push(" AND action = ").push_bind(a);
            }
            Some(ActionMatch::Range { from, to }) => {
                q.push(" AND action >= ").push_bind(from);
                q.push(" AND action < ").push_bind(to);
            }
            None => {}
        }
        if let Some(d) = f.decision {
            q.push(" AND decision = ").push_bind(d.code());
        }
        if let Some(t) = f.from {
            q.push(" AND at >= ").push_bind(micros(t));
        }
        if let Some(t) = f.to {
            q.push(" AND at < ").push_bind(micros(t));
        }
        q.push(" ORDER BY id LIMIT ").push_bind(req.fetch_limit());
        let docs: Vec<String> = q
            .build_query_scalar()
            .fetch_all(&self.read)
            .await
            .map_err(backend)?;
        let rows = docs
            .iter()
            .map(|d| from_doc(d))
            .collect::<StoreResult<Vec<AuditRecord>>>()?;
        Ok(Page::from_rows(rows, &req, |r| r.id.as_uuid()))
    }

    async fn audit_range(&self, from: u64, to: u64) -> StoreResult<Vec<(u64, AuditRecord)>> {
        let rows: Vec<(i64, String)> = sqlx::query_as("SELECT ledger_index, doc FROM audit_log WHERE ledger_index >= ? AND ledger_index < ? ORDER BY ledger_index")
            .bind(from as i64)
            .bind(to as i64)
            .fetch_all(&self.read)
            .await
            .map_err(backend)?;
        rows.into_iter()
            .map(|(i, doc)| Ok((i as u64, from_doc(&doc)?)))
            .collect()
    }
}
