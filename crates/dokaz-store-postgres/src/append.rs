//! The group commit of custody events in PostgreSQL. The ledger has one sequencer at a time
//! across every node: the transaction takes a fixed advisory lock before it reads the log's
//! size, so two nodes can never hand out the same index, and it is released at commit or
//! rollback. Rows go in with `UNNEST` over arrays: one statement per table, whatever the
//! batch size.

use dokaz_store::sql::batch::{
    check_update, explain_failure, inserting_agencies, referenced_evidence, Existing,
    PreparedBatch, PreparedChange, CUSTODY_KIND,
};
use dokaz_store::sql::{backend, from_doc};
use dokaz_store::{StoreError, StoreResult};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::PostgresStore;

/// The advisory lock key of the ledger sequencer: the ASCII bytes `dokaldgr` ("dokaz ledger"),
/// fixed for ever, so every node and every version of dokaz takes the same lock.
pub(crate) const LEDGER_LOCK_KEY: i64 = 0x646f_6b61_6c64_6772;

/// Why a batch failed: a constraint violation is explained by looking at what is stored
/// after the rollback; anything else is reported as it is.
enum Failure {
    Constraint(sqlx::Error),
    Store(StoreError),
}

impl From<sqlx::Error> for Failure {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() || d.is_foreign_key_violation() => {
                Failure::Constraint(e)
            }
            _ => Failure::Store(backend(e)),
        }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Store(e)
    }
}

impl PostgresStore {
    /// Writes a prepared batch; see `LedgerStore::append_prepared`.
    pub(crate) async fn write_prepared(&self, p: &PreparedBatch<'_>) -> StoreResult<Vec<u64>> {
        match self.write_batch(p).await {
            Ok(start) => Ok((start..start + p.events.len() as u64).collect()),
            Err(Failure::Store(e)) => Err(e),
            Err(Failure::Constraint(e)) => {
                let found = existing(&self.pool, p).await?;
                Err(explain_failure(p, &found, backend(e)))
            }
        }
    }

    /// Returns the first index given. Dropping the transaction on an error rolls it back.
    async fn write_batch(&self, p: &PreparedBatch<'_>) -> Result<u64, Failure> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(LEDGER_LOCK_KEY)
            .execute(&mut *tx)
            .await?;
        let start: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_entries")
            .fetch_one(&mut *tx)
            .await?;
        for run in p.change_runs() {
            if run[0].insert {
                insert_evidence(&mut tx, run).await?;
            } else {
                for c in run {
                    update_evidence(&mut tx, c).await?;
                }
            }
        }
        let n = p.events.len();
        let idx: Vec<i64> = (start..).take(n).collect();
        let (mut entries, mut hashes, mut ids, mut items) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for e in &p.events {
            entries.push(e.entry);
            hashes.push(&e.leaf_hash[..]);
            ids.push(e.event.id.as_uuid());
            items.push(e.event.evidence.as_uuid());
        }
        sqlx::query(
            "INSERT INTO ledger_entries (idx, kind, entry, leaf_hash) \
             SELECT i, $2, e, h FROM UNNEST($1::bigint[], $3::bytea[], $4::bytea[]) AS t(i, e, h)",
        )
        .bind(&idx)
        .bind(CUSTODY_KIND)
        .bind(&entries)
        .bind(&hashes)
        .execute(&mut *tx)
        .await?;
        // The event itself is its ledger entry; the row files it under its item.
        sqlx::query(
            "INSERT INTO custody_events (id, evidence_id, ledger_index) \
             SELECT id, ev, i FROM UNNEST($1::uuid[], $2::uuid[], $3::bigint[]) AS t(id, ev, i)",
        )
        .bind(&ids)
        .bind(&items)
        .bind(&idx)
        .execute(&mut *tx)
        .await?;
        tx.commit().await.map_err(backend)?;
        u64::try_from(start).map_err(|_| Failure::Store(StoreError::backend("negative log size")))
    }
}

async fn insert_evidence(tx: &mut PgConnection, run: &[PreparedChange<'_>]) -> Result<(), Failure> {
    let n = run.len();
    let (mut ids, mut agencies, mut erns, mut digests, mut cases, mut classes, mut docs) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let (mut link_items, mut link_incidents) = (Vec::new(), Vec::new());
    for c in run {
        let e = c.evidence;
        ids.push(e.id.as_uuid());
        agencies.push(e.agency.as_uuid());
        erns.push(e.ern.to_string());
        digests.push(e.sha256.0.to_vec());
        cases.push(e.case.map(|c| c.as_uuid()));
        classes.push(e.classification.code());
        docs.push(c.doc);
        for i in &e.incidents {
            link_items.push(e.id.as_uuid());
            link_incidents.push(i.as_uuid());
        }
    }
    sqlx::query(
        "INSERT INTO evidence (id, agency_id, ern, sha256, case_id, classification, doc) \
         SELECT id, a, ern, h, c, cl, d::jsonb FROM UNNEST($1::uuid[], $2::uuid[], $3::text[], \
         $4::bytea[], $5::uuid[], $6::text[], $7::text[]) AS t(id, a, ern, h, c, cl, d)",
    )
    .bind(&ids)
    .bind(&agencies)
    .bind(&erns)
    .bind(&digests)
    .bind(&cases)
    .bind(&classes)
    .bind(&docs)
    .execute(&mut *tx)
    .await?;
    insert_links(tx, &link_items, &link_incidents).await
}

async fn insert_links(
    tx: &mut PgConnection,
    items: &[Uuid],
    incidents: &[Uuid],
) -> Result<(), Failure> {
    if items.is_empty() {
        return Ok(());
    }
    // DO NOTHING: an item listing one incident twice is linked once.
    sqlx::query(
        "INSERT INTO evidence_incidents (evidence_id, incident_id) \
         SELECT * FROM UNNEST($1::uuid[], $2::uuid[]) ON CONFLICT DO NOTHING",
    )
    .bind(items)
    .bind(incidents)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Replaces an item's mutable fields after checking that it exists and that nothing fixed at
/// intake changes.
async fn update_evidence(tx: &mut PgConnection, c: &PreparedChange<'_>) -> Result<(), Failure> {
    let e = c.evidence;
    let stored: Option<String> =
        sqlx::query_scalar("SELECT doc::text FROM evidence WHERE id = $1 FOR UPDATE")
            .bind(e.id.as_uuid())
            .fetch_optional(&mut *tx)
            .await?;
    let stored = stored.ok_or_else(|| StoreError::not_found("evidence", e.id))?;
    check_update(&from_doc(&stored)?, e)?;
    sqlx::query(
        "UPDATE evidence SET case_id = $1, classification = $2, doc = $3::jsonb WHERE id = $4",
    )
    .bind(e.case.map(|c| c.as_uuid()))
    .bind(e.classification.code())
    .bind(c.doc)
    .bind(e.id.as_uuid())
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM evidence_incidents WHERE evidence_id = $1")
        .bind(e.id.as_uuid())
        .execute(&mut *tx)
        .await?;
    let items = vec![e.id.as_uuid(); e.incidents.len()];
    let incidents: Vec<Uuid> = e.incidents.iter().map(|i| i.as_uuid()).collect();
    insert_links(tx, &items, &incidents).await
}

/// What of a failed batch is already stored, for [`explain_failure`].
async fn existing(pool: &PgPool, p: &PreparedBatch<'_>) -> StoreResult<Existing> {
    let erns: Vec<String> =
        sqlx::query_scalar("SELECT ern FROM evidence WHERE ern = ANY($1::text[])")
            .bind(p.inserted_erns())
            .fetch_all(pool)
            .await
            .map_err(backend)?;
    let mut items = referenced_evidence(p);
    items.extend(p.changes.iter().map(|c| c.evidence.id.as_uuid()));
    let evidence: Vec<Uuid> =
        sqlx::query_scalar("SELECT id FROM evidence WHERE id = ANY($1::uuid[])")
            .bind(&items)
            .fetch_all(pool)
            .await
            .map_err(backend)?;
    let events: Vec<Uuid> = p.events.iter().map(|e| e.event.id.as_uuid()).collect();
    let events: Vec<Uuid> =
        sqlx::query_scalar("SELECT id FROM custody_events WHERE id = ANY($1::uuid[])")
            .bind(&events)
            .fetch_all(pool)
            .await
            .map_err(backend)?;
    let agencies: Vec<Uuid> =
        sqlx::query_scalar("SELECT id FROM agencies WHERE id = ANY($1::uuid[])")
            .bind(inserting_agencies(p))
            .fetch_all(pool)
            .await
            .map_err(backend)?;
    Ok(Existing {
        erns: erns.into_iter().collect(),
        evidence: evidence.into_iter().collect(),
        events: events.into_iter().collect(),
        agencies: agencies.into_iter().collect(),
    })
}
