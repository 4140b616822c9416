//! The audit log in PostgreSQL. Each record is appended with its ledger entry in the same
//! transaction and the same index sequence as custody events, under the same sequencer lock
//! as `append.rs` (the advisory lock [`LEDGER_LOCK_KEY`]), so that custody and audit writers
//! on any node never hand out one index twice. No audit row exists without its entry, and no
//! entry without its row.

use async_trait::async_trait;
use dokaz_model::AuditRecord;
use dokaz_store::sql::access::{
    action_match, audit_already_recorded, prepare_audit, ActionMatch, PreparedAudit, AUDIT_KIND,
};
use dokaz_store::sql::batch::from_db_index;
use dokaz_store::sql::{backend, from_doc};
use dokaz_store::{AuditFilter, AuditStore, Page, PageRequest, StoreResult};
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

use crate::append::LEDGER_LOCK_KEY;
use crate::PostgresStore;

impl PostgresStore {
    /// Returns the first index given. Dropping the transaction on an error rolls it back.
    async fn write_audit(&self, p: &[PreparedAudit<'_>]) -> Result<i64, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(LEDGER_LOCK_KEY)
            .execute(&mut *tx)
            .await?;
        let start: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_entries")
            .fetch_one(&mut *tx)
            .await?;
        let n = p.len();
        let idx: Vec<i64> = (start..).take(n).collect();
        let (mut entries, mut hashes, mut ids, mut times) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        let (mut actors, mut agencies, mut actions, mut decisions, mut docs) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for a in p {
            let r = a.record;
            entries.push(a.entry.as_slice());
            hashes.push(&a.leaf_hash[..]);
            ids.push(r.id.as_uuid());
            times.push(a.at());
            actors.push(r.actor.map(|u| u.as_uuid()));
            agencies.push(r.agency.map(|u| u.as_uuid()));
            actions.push(r.action.as_str());
            decisions.push(r.decision.code());
            docs.push(a.doc.as_str());
        }
        sqlx::query(
            "INSERT INTO ledger_entries (idx, kind, entry, leaf_hash) \
             SELECT i, $2, e, h FROM UNNEST($1::bigint[], $3::bytea[], $4::bytea[]) AS t(i, e, h)",
        )
        .bind(&idx)
        .bind(AUDIT_KIND)
        .bind(&entries)
        .bind(&hashes)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO audit_log (id, ledger_index, at, actor, agency, action, decision, doc) \
             SELECT id, i, at, ac, ag, act, d, doc::jsonb FROM UNNEST($1::uuid[], $2::bigint[], \
             $3::timestamptz[], $4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::text[]) \
             AS t(id, i, at, ac, ag, act, d, doc)",
        )
        .bind(&ids)
        .bind(&idx)
        .bind(&times)
        .bind(&actors)
        .bind(&agencies)
        .bind(&actions)
        .bind(&decisions)
        .bind(&docs)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(start)
    }
}

#[async_trait]
impl AuditStore for PostgresStore {
    async fn append_audit(&self, records: &[AuditRecord]) -> StoreResult<Vec<u64>> {
        if records.is_empty() {
            return Ok(Vec::new());
        }
        // Serialising and hashing happen before the sequencer's lock is taken.
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
                let ids: Vec<Uuid> = p.iter().map(|a| a.record.id.as_uuid()).collect();
                let stored: Vec<Uuid> =
                    sqlx::query_scalar("SELECT id FROM audit_log WHERE id = ANY($1::uuid[])")
                        .bind(&ids)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(backend)?;
                Err(audit_already_recorded(
                    &p,
                    &stored.into_iter().collect(),
                    backend(e),
                ))
            }
        }
    }

    async fn list_audit(
        &self,
        f: &AuditFilter,
        req: PageRequest,
    ) -> StoreResult<Page<AuditRecord>> {
        let mut q = QueryBuilder::<Postgres>::new("SELECT doc::text FROM audit_log WHERE id > ");
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
            q.push(" AND at >= ").push_bind(t);
        }
        if let Some(t) = f.to {
            q.push(" AND at < ").push_bind(t);
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
            .collect::<StoreResult<Vec<AuditRecord>>>()?;
        Ok(Page::from_rows(rows, &req, |r| r.id.as_uuid()))
    }

    async fn audit_range(&self, from: u64, to: u64) -> StoreResult<Vec<(u64, AuditRecord)>> {
        let rows: Vec<(i64, String)> = sqlx::query_as("SELECT ledger_index, doc::text FROM audit_log WHERE ledger_index >= $1 AND ledger_index < $2 ORDER BY ledger_index")
            .bind(from as i64)
            .bind(to as i64)
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        rows.into_iter()
            .map(|(i, doc)| Ok((i as u64, from_doc(&doc)?)))
            .collect()
    }
}
