//! External ids and record history in SQLite: the bulk writes of imports, in one transaction
//! per batch, with multi-row statements for the new records.

use std::collections::HashMap;

use async_trait::async_trait;
use dokaz_model::{AgencyId, UserId};
use dokaz_store::sql::{backend, expect_one, from_doc, map_err, to_doc, BULK_CHUNK};
use dokaz_store::{
    check_batch, hash_of, kind_of, AnyRecord, ExternalId, ExternalRecord, HistoryEntry,
    ImportBatch, ImportStore, ImportWrite, RecordKind, StoreResult,
};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use uuid::Uuid;

use crate::{micros, SqliteStore};

fn from_micros(t: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_micros(t).unwrap_or_default()
}

/// Inserts a run of new records of one kind with one statement per chunk.
async fn insert_records(conn: &mut SqliteConnection, writes: &[&ImportWrite]) -> StoreResult<()> {
    let Some(first) = writes.first() else {
        return Ok(());
    };
    let head = match first.record.kind() {
        RecordKind::Incident => "INSERT INTO incidents (id, agency_id, reference, occurred_start, occurred_end, lat, lon, classification, doc) ",
        RecordKind::Person => "INSERT INTO persons (id, agency_id, classification, protected, doc) ",
        RecordKind::Unit => "INSERT INTO units (id, agency_id, classification, doc) ",
        RecordKind::Case => "INSERT INTO cases (id, agency_id, reference, classification, doc) ",
    };
    for chunk in writes.chunks(BULK_CHUNK) {
        let docs = chunk
            .iter()
            .map(|w| record_doc(&w.record))
            .collect::<StoreResult<Vec<_>>>()?;
        let mut q = QueryBuilder::<Sqlite>::new(head);
        q.push_values(chunk.iter().zip(docs), |mut b, (w, doc)| match &w.record {
            AnyRecord::Incident(i) => {
                let c = i.location.coordinates;
                b.push_bind(i.id.as_uuid())
                    .push_bind(i.agency.as_uuid())
                    .push_bind(i.reference.clone())
                    .push_bind(micros(i.occurred.start))
                    .push_bind(micros(i.occurred.end))
                    .push_bind(c.map(|c| c.lat))
                    .push_bind(c.map(|c| c.lon))
                    .push_bind(i.classification.code())
                    .push_bind(doc);
            }
            AnyRecord::Person(p) => {
                b.push_bind(p.id.as_uuid())
                    .push_bind(p.agency.as_uuid())
                    .push_bind(p.classification.code())
                    .push_bind(p.protected)
                    .push_bind(doc);
            }
            AnyRecord::Unit(u) => {
                b.push_bind(u.id.as_uuid())
                    .push_bind(u.agency.as_uuid())
                    .push_bind(u.classification.code())
                    .push_bind(doc);
            }
            AnyRecord::Case(c) => {
                b.push_bind(c.id.as_uuid())
                    .push_bind(c.agency.as_uuid())
                    .push_bind(c.reference.clone())
                    .push_bind(c.classification.code())
                    .push_bind(doc);
            }
        });
        let kind = first.record.kind();
        q.build().execute(&mut *conn).await.map_err(map_err(|| {
            format!("a new {kind} breaks a uniqueness rule (a reference already used?)")
        }))?;
    }
    Ok(())
}

fn record_doc(r: &AnyRecord) -> StoreResult<String> {
    match r {
        AnyRecord::Incident(x) => to_doc(x),
        AnyRecord::Person(x) => to_doc(x),
        AnyRecord::Unit(x) => to_doc(x),
        AnyRecord::Case(x) => to_doc(x),
    }
}

async fn update_record(conn: &mut SqliteConnection, r: &AnyRecord) -> StoreResult<()> {
    let doc = record_doc(r)?;
    let res = match r {
        AnyRecord::Incident(i) => {
            let c = i.location.coordinates;
            sqlx::query(
                "UPDATE incidents SET reference = ?, occurred_start = ?, occurred_end = ?, lat = ?, \
                 lon = ?, classification = ?, doc = ? WHERE id = ? AND agency_id = ?",
            )
            .bind(i.reference.clone())
            .bind(micros(i.occurred.start))
            .bind(micros(i.occurred.end))
            .bind(c.map(|c| c.lat))
            .bind(c.map(|c| c.lon))
            .bind(i.classification.code())
            .bind(doc)
            .bind(i.id.as_uuid())
            .bind(i.agency.as_uuid())
            .execute(&mut *conn)
            .await
        }
        AnyRecord::Person(p) => {
            sqlx::query("UPDATE persons SET classification = ?, protected = ?, doc = ? WHERE id = ? AND agency_id = ?")
                .bind(p.classification.code())
                .bind(p.protected)
                .bind(doc)
                .bind(p.id.as_uuid())
                .bind(p.agency.as_uuid())
                .execute(&mut *conn)
                .await
        }
        AnyRecord::Unit(u) => {
            sqlx::query(
                "UPDATE units SET classification = ?, doc = ? WHERE id = ? AND agency_id = ?",
            )
            .bind(u.classification.code())
            .bind(doc)
            .bind(u.id.as_uuid())
            .bind(u.agency.as_uuid())
            .execute(&mut *conn)
            .await
        }
        AnyRecord::Case(c) => {
            sqlx::query("UPDATE cases SET reference = ?, classification = ?, doc = ? WHERE id = ? AND agency_id = ?")
                .bind(&c.reference)
                .bind(c.classification.code())
                .bind(doc)
                .bind(c.id.as_uuid())
                .bind(c.agency.as_uuid())
                .execute(&mut *conn)
                .await
        }
    }
    .map_err(map_err(|| {
        format!("the updated {} breaks a uniqueness rule", r.kind())
    }))?;
    expect_one(res.rows_affected(), r.kind().code(), r.id())
}

#[async_trait]
impl ImportStore for SqliteStore {
    async fn find_external_ids(
        &self,
        agency: AgencyId,
        source: &str,
        kind: RecordKind,
        ids: &[String],
    ) -> StoreResult<HashMap<String, ExternalRecord>> {
        let mut out = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(BULK_CHUNK) {
            let mut q = QueryBuilder::<Sqlite>::new(
                "SELECT external_id, record_id, content_hash FROM external_ids WHERE agency_id = ",
            );
            q.push_bind(agency.as_uuid())
                .push(" AND source = ")
                .push_bind(source)
                .push(" AND kind = ")
                .push_bind(kind.code())
                .push(" AND external_id IN (");
            let mut sep = q.separated(", ");
            for id in chunk {
                sep.push_bind(id);
            }
            q.push(")");
            let rows = q.build().fetch_all(&self.write).await.map_err(backend)?;
            for row in rows {
                let hash: Vec<u8> = row.get(2);
                out.insert(
                    row.get::<String, _>(0),
                    ExternalRecord {
                        record: row.get(1),
                        content_hash: hash_of(&hash)?,
                    },
                );
            }
        }
        Ok(out)
    }

    async fn external_ids_of(&self, records: &[Uuid]) -> StoreResult<Vec<ExternalId>> {
        let mut out = Vec::new();
        for chunk in records.chunks(BULK_CHUNK) {
            let mut q = QueryBuilder::<Sqlite>::new(
                "SELECT record_id, source, external_id FROM external_ids WHERE record_id IN (",
            );
            let mut sep = q.separated(", ");
            for id in chunk {
                sep.push_bind(*id);
            }
            q.push(") ORDER BY source, external_id");
            for row in q.build().fetch_all(&self.read).await.map_err(backend)? {
                out.push(ExternalId {
                    record: row.get(0),
                    source: row.get(1),
                    external_id: row.get(2),
                });
            }
        }
        Ok(out)
    }

    async fn apply_import(&self, batch: &ImportBatch) -> StoreResult<()> {
        check_batch(batch)?;
        if batch.writes.is_empty() {
            return Ok(());
        }
        let at = micros(batch.at);
        let mut tx = self.begin_write().await.map_err(backend)?;
        for kind in RecordKind::ALL {
            let inserts: Vec<&ImportWrite> = batch
                .writes
                .iter()
                .filter(|w| w.update.is_none() && w.record.kind() == kind)
                .collect();
            insert_records(&mut tx, &inserts).await?;
        }
        let inserts: Vec<(&ImportWrite, &str)> = batch
            .writes
            .iter()
            .filter(|w| w.update.is_none())
            .filter_map(|w| w.external_id.as_deref().map(|id| (w, id)))
            .collect();
        for chunk in inserts.chunks(BULK_CHUNK) {
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO external_ids (agency_id, source, kind, external_id, record_id, content_hash, created_at, updated_at) ",
            );
            q.push_values(chunk, |mut b, (w, id)| {
                b.push_bind(batch.agency.as_uuid())
                    .push_bind(&batch.source)
                    .push_bind(w.record.kind().code())
                    .push_bind(*id)
                    .push_bind(w.record.id())
                    .push_bind(&w.content_hash[..])
                    .push_bind(at)
                    .push_bind(at);
            });
            q.build().execute(&mut *tx).await.map_err(map_err(|| {
                format!(
                    "an external id of source {:?} is already imported",
                    batch.source
                )
            }))?;
        }
        for w in batch.writes.iter() {
            let Some(change) = &w.update else { continue };
            update_record(&mut tx, &w.record).await?;
            // A link's write changes a record under the external id of the link's first
            // end; its content hash is the stored one, so this only touches `updated_at`.
            sqlx::query(
                "UPDATE external_ids SET content_hash = ?, updated_at = ?, record_id = ? \
                 WHERE agency_id = ? AND source = ? AND kind = ? AND external_id = ?",
            )
            .bind(&w.content_hash[..])
            .bind(at)
            .bind(w.record.id())
            .bind(batch.agency.as_uuid())
            .bind(&batch.source)
            .bind(w.record.kind().code())
            .bind(&w.external_id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
            sqlx::query(
                "INSERT INTO record_history (id, kind, record_id, at, agency_id, actor, source, external_id, changes, old_hash, new_hash) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(Uuid::now_v7())
            .bind(w.record.kind().code())
            .bind(w.record.id())
            .bind(at)
            .bind(batch.agency.as_uuid())
            .bind(batch.actor.map(|u| u.as_uuid()))
            .bind(&batch.source)
            .bind(&w.external_id)
            .bind(change.changes.to_string())
            .bind(change.old_hash.map(|h| h.to_vec()))
            .bind(&w.content_hash[..])
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn record_history(&self, record: Uuid) -> StoreResult<Vec<HistoryEntry>> {
        let rows = sqlx::query(
            "SELECT id, kind, record_id, at, agency_id, actor, source, external_id, changes, old_hash, new_hash \
             FROM record_history WHERE record_id = ? ORDER BY at, id",
        )
        .bind(record)
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        rows.into_iter()
            .map(|r| {
                let changes: String = r.get(8);
                let old: Option<Vec<u8>> = r.get(9);
                let new: Vec<u8> = r.get(10);
                Ok(HistoryEntry {
                    id: r.get(0),
                    kind: kind_of(r.get(1))?,
                    record: r.get(2),
                    at: from_micros(r.get(3)),
                    agency: AgencyId::from_uuid(r.get(4)),
                    actor: r.get::<Option<Uuid>, _>(5).map(UserId::from_uuid),
                    source: r.get(6),
                    external_id: r.get(7),
                    changes: from_doc(&changes)?,
                    old_hash: old.as_deref().map(hash_of).transpose()?,
                    new_hash: hash_of(&new)?,
                })
            })
            .collect()
    }
}
