//! The group commit of custody events in SQLite: one transaction on the single write
//! connection gives a batch consecutive ledger indexes, writes its evidence changes, ledger
//! entries and events with multi-row INSERTs, and commits with one fsync.

use dokaz_store::sql::batch::{
    check_update, db_index, explain_failure, inserting_agencies, referenced_evidence, Existing,
    PreparedBatch, PreparedChange,
};
use dokaz_store::sql::{backend, from_doc, BULK_CHUNK};
use dokaz_store::{StoreError, StoreResult};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};
use uuid::Uuid;

use crate::SqliteStore;

/// `dokaz_store::sql::batch::CUSTODY_KIND` as an SQL literal.
const CUSTODY_KIND_SQL: &str = "'custody'";

/// Files the custody entries `?1 <= idx < ?2` under their events and items. A
/// `dokaz-custody-v1` entry starts with its 17-byte prefix and then `{"id":"<uuid>",
/// "evidence":"<uuid>",` (the fields in a fixed order, no whitespace): the event's id as
/// hyphenated hex at bytes 25 to 60 (SQL counts from 1) and the item's at 75 to 110. Only an
/// entry that starts so is filed (`write_batch` counts them); `unhex` skips the hyphens.
const FILE_CUSTODY_ROWS: &str = "INSERT INTO custody_events (ledger_index, id, evidence_id) \
     SELECT idx, unhex(substr(entry, 25, 36), '-'), unhex(substr(entry, 75, 36), '-') \
     FROM ledger_entries \
     WHERE idx >= ?1 AND idx < ?2 \
       AND substr(entry, 1, 24) = CAST('dokaz-custody-v1' || char(10) || '{\"id\":\"' AS BLOB) \
       AND substr(entry, 61, 14) = CAST('\",\"evidence\":\"' AS BLOB)";

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

impl SqliteStore {
    /// Writes a prepared batch; see `LedgerStore::append_prepared`.
    pub(crate) async fn write_prepared(&self, p: &PreparedBatch<'_>) -> StoreResult<Vec<u64>> {
        match self.write_batch(p).await {
            Ok(start) => Ok((start..start + p.events.len() as u64).collect()),
            Err(Failure::Store(e)) => Err(e),
            Err(Failure::Constraint(e)) => {
                let found = existing(&self.read, p).await?;
                Err(explain_failure(p, &found, backend(e)))
            }
        }
    }

    /// Returns the first index given. Dropping the transaction on an error rolls it back.
    async fn write_batch(&self, p: &PreparedBatch<'_>) -> Result<u64, Failure> {
        // IMMEDIATE: the write lock is taken before the log's size is read, so another
        // process writing the same file (a CLI beside the server) waits instead of failing
        // at commit; in this process the single write connection already serialises writers.
        let mut tx = self.begin_write().await.map_err(backend)?;
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
        for (n, chunk) in p.events.chunks(BULK_CHUNK).enumerate() {
            let base = start + db_index((n * BULK_CHUNK) as u64);
            // The kind is the same for every row: written into the statement, not bound.
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO ledger_entries (idx, kind, entry, leaf_hash) ",
            );
            q.push_values(chunk.iter().zip(base..), |mut b, (e, idx)| {
                b.push_bind(idx)
                    .push(CUSTODY_KIND_SQL)
                    .push_bind(e.entry)
                    .push_bind(&e.leaf_hash[..]);
            });
            q.build().execute(&mut *tx).await?;
        }
        // The event itself is its ledger entry; its row files it under its item. Both ids
        // are read back from the entries just written, where a v1 entry has them at fixed
        // places, so that no value is bound twice.
        let n = db_index(p.events.len() as u64);
        let filed = sqlx::query(FILE_CUSTODY_ROWS)
            .bind(start)
            .bind(start + n)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if filed != p.events.len() as u64 {
            return Err(Failure::Store(StoreError::backend(format!(
                "{filed} of {n} custody entries are in the dokaz-custody-v1 layout"
            ))));
        }
        tx.commit().await.map_err(backend)?;
        self.checkpoints.committed();
        u64::try_from(start).map_err(|_| Failure::Store(StoreError::backend("negative log size")))
    }
}

async fn insert_evidence(
    tx: &mut SqliteConnection,
    run: &[PreparedChange<'_>],
) -> Result<(), Failure> {
    for chunk in run.chunks(BULK_CHUNK) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO evidence (id, agency_id, ern, sha256, case_id, classification, doc) ",
        );
        q.push_values(chunk, |mut b, c| {
            let e = c.evidence;
            b.push_bind(e.id.as_uuid())
                .push_bind(e.agency.as_uuid())
                .push_bind(e.ern.to_string())
                .push_bind(&e.sha256.0[..])
                .push_bind(e.case.map(|c| c.as_uuid()))
                .push_bind(e.classification.code())
                .push_bind(c.doc);
        });
        q.build().execute(&mut *tx).await?;
    }
    let links: Vec<(Uuid, Uuid)> = run
        .iter()
        .flat_map(|c| {
            let e = c.evidence;
            e.incidents.iter().map(|i| (e.id.as_uuid(), i.as_uuid()))
        })
        .collect();
    insert_links(tx, &links).await
}

async fn insert_links(tx: &mut SqliteConnection, links: &[(Uuid, Uuid)]) -> Result<(), Failure> {
    for chunk in links.chunks(BULK_CHUNK) {
        // OR IGNORE: an item listing one incident twice is linked once.
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT OR IGNORE INTO evidence_incidents (evidence_id, incident_id) ",
        );
        q.push_values(chunk, |mut b, (e, i)| {
            b.push_bind(*e).push_bind(*i);
        });
        q.build().execute(&mut *tx).await?;
    }
    Ok(())
}

/// Replaces an item's mutable fields after checking that it exists and that nothing fixed at
/// intake changes.
async fn update_evidence(tx: &mut SqliteConnection, c: &PreparedChange<'_>) -> Result<(), Failure> {
    let e = c.evidence;
    let stored: Option<String> = sqlx::query_scalar("SELECT doc FROM evidence WHERE id = ?")
        .bind(e.id.as_uuid())
        .fetch_optional(&mut *tx)
        .await?;
    let stored = stored.ok_or_else(|| StoreError::not_found("evidence", e.id))?;
    check_update(&from_doc(&stored)?, e)?;
    sqlx::query("UPDATE evidence SET case_id = ?, classification = ?, doc = ? WHERE id = ?")
        .bind(e.case.map(|c| c.as_uuid()))
        .bind(e.classification.code())
        .bind(c.doc)
        .bind(e.id.as_uuid())
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM evidence_incidents WHERE evidence_id = ?")
        .bind(e.id.as_uuid())
        .execute(&mut *tx)
        .await?;
    let links: Vec<_> = e
        .incidents
        .iter()
        .map(|i| (e.id.as_uuid(), i.as_uuid()))
        .collect();
    insert_links(tx, &links).await
}

/// What of a failed batch is already stored, for [`explain_failure`].
async fn existing(pool: &SqlitePool, p: &PreparedBatch<'_>) -> StoreResult<Existing> {
    let mut found = Existing::default();
    for chunk in p.inserted_erns().chunks(BULK_CHUNK) {
        let mut q = QueryBuilder::<Sqlite>::new("SELECT ern FROM evidence WHERE ern IN (");
        let mut sep = q.separated(", ");
        for ern in chunk {
            sep.push_bind(ern.as_str());
        }
        q.push(")");
        let rows: Vec<String> = q
            .build_query_scalar()
            .fetch_all(pool)
            .await
            .map_err(backend)?;
        found.erns.extend(rows);
    }
    let mut items = referenced_evidence(p);
    items.extend(p.changes.iter().map(|c| c.evidence.id.as_uuid()));
    found.evidence = existing_ids(pool, "evidence", &items).await?;
    let events: Vec<Uuid> = p.events.iter().map(|e| e.event.id.as_uuid()).collect();
    found.events = existing_ids(pool, "custody_events", &events).await?;
    found.agencies = existing_ids(pool, "agencies", &inserting_agencies(p)).await?;
    Ok(found)
}

/// Which of `ids` a table holds. `table` is always a constant of this crate.
async fn existing_ids(
    pool: &SqlitePool,
    table: &'static str,
    ids: &[Uuid],
) -> StoreResult<std::collections::HashSet<Uuid>> {
    let mut found = std::collections::HashSet::new();
    for chunk in ids.chunks(BULK_CHUNK) {
        let mut q = QueryBuilder::<Sqlite>::new(format!("SELECT id FROM {table} WHERE id IN ("));
        let mut sep = q.separated(", ");
        for id in chunk {
            sep.push_bind(*id);
        }
        q.push(")");
        let rows: Vec<Uuid> = q
            .build_query_scalar()
            .fetch_all(pool)
            .await
            .map_err(backend)?;
        found.extend(rows);
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use dokaz_store::sql::batch::CUSTODY_KIND;

    use super::*;

    /// The places [`FILE_CUSTODY_ROWS`] reads the ids from, held to the encoder.
    #[test]
    fn custody_rows_read_the_ids_where_the_entry_has_them() {
        use dokaz_model::{AgencyId, CustodyAction, CustodyEvent, EvidenceId, Sha256};
        let e = CustodyEvent::new(
            EvidenceId::new(),
            "UAPGO-GEN-000001".parse().unwrap(),
            Sha256([1; 32]),
            CustodyAction::Access,
            None,
            AgencyId::new(),
        );
        let entry = e.ledger_entry();
        let mut prefix = dokaz_model::custody::CUSTODY_ENTRY_PREFIX.to_vec();
        prefix.extend_from_slice(b"{\"id\":\"");
        assert_eq!(&entry[..24], &prefix[..]);
        assert_eq!(&entry[24..60], e.id.to_string().as_bytes());
        assert_eq!(&entry[60..74], b"\",\"evidence\":\"");
        assert_eq!(&entry[74..110], e.evidence.to_string().as_bytes());
    }

    #[test]
    fn the_kind_literal_is_the_kind() {
        assert_eq!(CUSTODY_KIND_SQL, format!("'{CUSTODY_KIND}'"));
    }
}
