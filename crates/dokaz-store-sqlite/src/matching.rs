//! Matches, blocking keys and blind encodings in SQLite. A pair found again is updated in
//! place, keeping both agencies' decisions; an agency's list is the union of its two sides'
//! indexes; candidates are one primary-key lookup per chunk of probes.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dokaz_model::{AgencyId, Match, MatchId, MatchKind, MatchStatus, UserId};
use dokaz_store::sql::matching::{decided, key_column, merged, normalised, not_found, ranked};
use dokaz_store::sql::{backend, from_doc, to_doc, BULK_CHUNK};
use dokaz_store::{
    Candidate, Candidates, Filing, MatchFilter, MatchStore, Page, PageRequest, Recorded,
    StoreError, StoreResult,
};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};
use uuid::Uuid;

use crate::{micros, SqliteStore};

type PairKey = (MatchKind, Uuid, Uuid);

fn pair(m: &Match) -> PairKey {
    (m.kind, m.a.record, m.b.record)
}

/// The stored matches among `pairs`, read inside the writing transaction.
async fn stored_pairs(
    conn: &mut SqliteConnection,
    pairs: &[PairKey],
) -> StoreResult<HashMap<PairKey, Match>> {
    let mut out = HashMap::new();
    for chunk in pairs.chunks(BULK_CHUNK) {
        // A join, not `(kind, record_a, record_b) IN (VALUES …)`: SQLite answers the row
        // value IN by scanning the table, the join by one unique-index search per pair.
        let mut q = QueryBuilder::<Sqlite>::new("SELECT m.doc FROM (VALUES ");
        let mut sep = q.separated(", ");
        for (kind, a, b) in chunk {
            sep.push("(")
                .push_bind_unseparated(kind.code())
                .push_unseparated(", ")
                .push_bind_unseparated(*a)
                .push_unseparated(", ")
                .push_bind_unseparated(*b)
                .push_unseparated(")");
        }
        q.push(
            ") AS p JOIN matches AS m ON m.kind = p.column1 AND m.record_a = p.column2 \
             AND m.record_b = p.column3",
        );
        let docs: Vec<String> = q
            .build_query_scalar()
            .fetch_all(&mut *conn)
            .await
            .map_err(backend)?;
        for d in &docs {
            let m: Match = from_doc(d)?;
            out.insert(pair(&m), m);
        }
    }
    Ok(out)
}

async fn insert(conn: &mut SqliteConnection, m: &Match) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO matches (id, kind, record_a, agency_a, record_b, agency_b, status_a, \
         status_b, score, found_at, updated_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(m.id.as_uuid())
    .bind(m.kind.code())
    .bind(m.a.record)
    .bind(m.a.agency.as_uuid())
    .bind(m.b.record)
    .bind(m.b.agency.as_uuid())
    .bind(m.a.status.code())
    .bind(m.b.status.code())
    .bind(m.score)
    .bind(micros(m.found_at))
    .bind(micros(m.updated_at))
    .bind(to_doc(m)?)
    .execute(&mut *conn)
    .await
    .map_err(|e| refused(m, e))?;
    Ok(())
}

async fn update(conn: &mut SqliteConnection, m: &Match) -> StoreResult<()> {
    sqlx::query(
        "UPDATE matches SET status_a = ?, status_b = ?, score = ?, updated_at = ?, doc = ? \
         WHERE id = ?",
    )
    .bind(m.a.status.code())
    .bind(m.b.status.code())
    .bind(m.score)
    .bind(micros(m.updated_at))
    .bind(to_doc(m)?)
    .bind(m.id.as_uuid())
    .execute(&mut *conn)
    .await
    .map_err(backend)?;
    Ok(())
}

/// Names what the schema refused: an id reused for another pair, a match within one
/// agency or of a record with itself, an unknown agency.
fn refused(m: &Match, e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict {
            what: format!("match {} already exists for another pair of records", m.id),
        },
        sqlx::Error::Database(d) if d.is_check_violation() => StoreError::Conflict {
            what: format!(
                "match {} must join two different records of two different agencies",
                m.id
            ),
        },
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
            StoreError::not_found("agency", format!("{} or {}", m.a.agency, m.b.agency))
        }
        _ => backend(e),
    }
}

#[async_trait]
impl MatchStore for SqliteStore {
    #[tracing::instrument(skip_all, fields(n = found.len()))]
    async fn record_matches(&self, found: &[Match]) -> StoreResult<Vec<Recorded>> {
        let found: Vec<Match> = found.iter().map(normalised).collect();
        let mut tx = self.begin_write().await.map_err(backend)?;
        let pairs: Vec<PairKey> = found.iter().map(pair).collect();
        let mut stored = stored_pairs(&mut tx, &pairs).await?;
        let mut out = Vec::with_capacity(found.len());
        for f in &found {
            // A pair twice in one batch: the second finds the first, as a later batch would.
            let rec = match stored.remove(&pair(f)) {
                Some(s) => {
                    let m = merged(s, f);
                    update(&mut tx, &m).await?;
                    Recorded {
                        stored: m,
                        is_new: false,
                    }
                }
                None => {
                    insert(&mut tx, f).await?;
                    Recorded {
                        stored: f.clone(),
                        is_new: true,
                    }
                }
            };
            stored.insert(pair(&rec.stored), rec.stored.clone());
            out.push(rec);
        }
        tx.commit().await.map_err(backend)?;
        Ok(out)
    }

    async fn match_by_id(&self, id: MatchId) -> StoreResult<Match> {
        let doc: Option<String> = sqlx::query_scalar("SELECT doc FROM matches WHERE id = ?")
            .bind(id.as_uuid())
            .fetch_optional(&self.read)
            .await
            .map_err(backend)?;
        from_doc(&doc.ok_or_else(|| not_found(id))?)
    }

    async fn matches_for(
        &self,
        agency: AgencyId,
        f: &MatchFilter,
        req: PageRequest,
    ) -> StoreResult<Page<Match>> {
        // Each side read in id order from its own index, then merged: an OR over two
        // columns would sort the agency's whole history for every page.
        let mut q = QueryBuilder::<Sqlite>::new("SELECT doc FROM (");
        for (i, side) in ["a", "b"].into_iter().enumerate() {
            if i > 0 {
                q.push(" UNION ALL ");
            }
            q.push("SELECT * FROM (SELECT id, doc FROM matches WHERE agency_")
                .push(side)
                .push(" = ")
                .push_bind(agency.as_uuid())
                .push(" AND id > ")
                .push_bind(req.after_uuid());
            if let Some(k) = f.kind {
                q.push(" AND kind = ").push_bind(k.code());
            }
            if let Some(s) = f.status {
                q.push(" AND status_")
                    .push(side)
                    .push(" = ")
                    .push_bind(s.code());
            }
            q.push(" ORDER BY id LIMIT ")
                .push_bind(req.fetch_limit())
                .push(")");
        }
        q.push(") ORDER BY id LIMIT ").push_bind(req.fetch_limit());
        let docs: Vec<String> = q
            .build_query_scalar()
            .fetch_all(&self.read)
            .await
            .map_err(backend)?;
        let rows = docs
            .iter()
            .map(|d| from_doc(d))
            .collect::<StoreResult<Vec<Match>>>()?;
        Ok(Page::from_rows(rows, &req, |m| m.id.as_uuid()))
    }

    async fn matches_of_record(&self, record: Uuid) -> StoreResult<Vec<Match>> {
        let docs: Vec<String> = sqlx::query_scalar(
            "SELECT doc FROM matches WHERE record_a = ? UNION ALL \
             SELECT doc FROM matches WHERE record_b = ?",
        )
        .bind(record)
        .bind(record)
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        let mut out = docs
            .iter()
            .map(|d| from_doc(d))
            .collect::<StoreResult<Vec<Match>>>()?;
        out.sort_by_key(|m| m.id);
        Ok(out)
    }

    #[tracing::instrument(skip(self, reason))]
    async fn decide_match(
        &self,
        id: MatchId,
        agency: AgencyId,
        status: MatchStatus,
        by: UserId,
        reason: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Match> {
        // Read and write on the one writer connection: no decision can slip in between.
        let mut tx = self.begin_write().await.map_err(backend)?;
        let doc: Option<String> = sqlx::query_scalar("SELECT doc FROM matches WHERE id = ?")
            .bind(id.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend)?;
        let m = decided(
            from_doc(&doc.ok_or_else(|| not_found(id))?)?,
            agency,
            status,
            by,
            reason,
            at,
        )?;
        update(&mut tx, &m).await?;
        tx.commit().await.map_err(backend)?;
        Ok(m)
    }

    #[tracing::instrument(skip(self, records), fields(n = records.len()))]
    async fn file_for_matching(&self, kind: MatchKind, records: &[Filing]) -> StoreResult<()> {
        // One transaction for the lot: a batch run files a million records, and a commit
        // per record would spend its time in fsync.
        let mut tx = self.begin_write().await.map_err(backend)?;
        for f in records {
            file_keys(&mut tx, kind, f.record, f.agency, &f.keys).await?;
            file_features(&mut tx, kind, f.record, f.features.as_deref()).await?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn match_features(
        &self,
        kind: MatchKind,
        records: &[Uuid],
    ) -> StoreResult<Vec<(Uuid, Vec<u8>)>> {
        by_records(&self.read, "match_features", "features", kind, records).await
    }

    #[tracing::instrument(skip(self, probes), fields(n = probes.len()))]
    async fn match_candidates(
        &self,
        kind: MatchKind,
        probes: &[u64],
        exclude: AgencyId,
    ) -> StoreResult<Vec<(Uuid, AgencyId)>> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for chunk in probes.chunks(BULK_CHUNK) {
            let mut q = QueryBuilder::<Sqlite>::new(
                "SELECT DISTINCT record_id, agency_id FROM match_keys WHERE kind = ",
            );
            q.push_bind(kind.code()).push(" AND key IN (");
            let mut sep = q.separated(", ");
            for k in chunk {
                sep.push_bind(key_column(*k));
            }
            q.push(") AND agency_id <> ").push_bind(exclude.as_uuid());
            let rows: Vec<(Uuid, Uuid)> = q
                .build_query_as()
                .fetch_all(&self.read)
                .await
                .map_err(backend)?;
            for (r, a) in rows {
                if seen.insert(r) {
                    out.push((r, AgencyId::from_uuid(a)));
                }
            }
        }
        out.sort_by_key(|(r, _)| *r);
        Ok(out)
    }

    #[tracing::instrument(skip(self, probes), fields(n = probes.len()))]
    async fn match_candidates_capped(
        &self,
        kind: MatchKind,
        probes: &[u64],
        exclude: AgencyId,
        max_block: usize,
        limit: usize,
    ) -> StoreResult<Candidates> {
        let mut probes: Vec<i64> = probes.iter().copied().map(key_column).collect();
        probes.sort_unstable();
        probes.dedup();
        // Counted and ranked in SQL: at a busy place the blocks hold tens of thousands of
        // rows, and each row handed from SQLite's thread to this one cost more than the
        // search. Keys travel as JSON arrays: one statement text whatever their number, so
        // it is prepared once and cached, and a primary-key range per key. Both statements
        // read one snapshot.
        let mut tx = self.read.begin().await.map_err(backend)?;
        // Each block counts every agency's records, the asking agency's too.
        let (kept, skipped): (String, i64) = sqlx::query_as(
            "SELECT COALESCE(json_group_array(key) FILTER (WHERE n <= ?3), '[]'), \
                    COUNT(*) FILTER (WHERE n > ?3) \
             FROM (SELECT key, COUNT(*) AS n FROM match_keys \
                   WHERE kind = ?1 AND key IN (SELECT value FROM json_each(?2)) GROUP BY key)",
        )
        .bind(kind.code())
        .bind(json_array(&probes))
        .bind(i64::try_from(max_block).unwrap_or(i64::MAX))
        .fetch_one(&mut *tx)
        .await
        .map_err(backend)?;
        let rows: Vec<(Uuid, Uuid, i64)> = sqlx::query_as(
            "SELECT record_id, agency_id, COUNT(*) AS shared FROM match_keys \
             WHERE kind = ?1 AND key IN (SELECT value FROM json_each(?2)) AND agency_id <> ?3 \
             GROUP BY record_id, agency_id ORDER BY shared DESC, record_id LIMIT ?4",
        )
        .bind(kind.code())
        .bind(kept)
        .bind(exclude.as_uuid())
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&mut *tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        let found = rows
            .into_iter()
            .map(|(record, agency, shared)| Candidate {
                record,
                agency: AgencyId::from_uuid(agency),
                shared: u32::try_from(shared).unwrap_or(u32::MAX),
            })
            .collect();
        Ok(Candidates {
            found: ranked(found, limit),
            skipped: usize::try_from(skipped).unwrap_or(usize::MAX),
        })
    }

    async fn put_match_encoding(
        &self,
        kind: MatchKind,
        record: Uuid,
        agency: AgencyId,
        encoding: &[u8],
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO match_encodings (kind, record_id, agency_id, encoding) \
             VALUES (?, ?, ?, ?) ON CONFLICT (kind, record_id) DO UPDATE SET \
             agency_id = excluded.agency_id, encoding = excluded.encoding",
        )
        .bind(kind.code())
        .bind(record)
        .bind(agency.as_uuid())
        .bind(encoding)
        .execute(&self.write)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
                StoreError::not_found("agency", agency)
            }
            _ => backend(e),
        })?;
        Ok(())
    }

    async fn match_encodings(
        &self,
        kind: MatchKind,
        records: &[Uuid],
    ) -> StoreResult<Vec<(Uuid, Vec<u8>)>> {
        by_records(&self.read, "match_encodings", "encoding", kind, records).await
    }

    async fn match_key_layout(&self, kind: MatchKind) -> StoreResult<(Option<u32>, bool)> {
        let (layout, filed): (Option<i64>, bool) = sqlx::query_as(
            "SELECT (SELECT layout FROM match_key_layouts WHERE kind = ?), \
             EXISTS (SELECT 1 FROM match_keys WHERE kind = ?)",
        )
        .bind(kind.code())
        .bind(kind.code())
        .fetch_one(&self.read)
        .await
        .map_err(backend)?;
        Ok((layout.and_then(|l| u32::try_from(l).ok()), filed))
    }

    async fn set_match_key_layout(&self, kind: MatchKind, layout: u32) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO match_key_layouts (kind, layout) VALUES (?, ?) \
             ON CONFLICT (kind) DO UPDATE SET layout = excluded.layout",
        )
        .bind(kind.code())
        .bind(i64::from(layout))
        .execute(&self.write)
        .await
        .map_err(backend)?;
        Ok(())
    }
}

/// The bytes in `column` of `table` for those of `records` that have a row, each once, in
/// record id order. `table` and `column` are always constants of this crate.
async fn by_records(
    pool: &SqlitePool,
    table: &'static str,
    column: &'static str,
    kind: MatchKind,
    records: &[Uuid],
) -> StoreResult<Vec<(Uuid, Vec<u8>)>> {
    let mut out = Vec::new();
    for chunk in records.chunks(BULK_CHUNK) {
        let mut q = QueryBuilder::<Sqlite>::new(format!(
            "SELECT record_id, {column} FROM {table} WHERE kind = "
        ));
        q.push_bind(kind.code()).push(" AND record_id IN (");
        let mut sep = q.separated(", ");
        for r in chunk {
            sep.push_bind(*r);
        }
        q.push(")");
        let rows: Vec<(Uuid, Vec<u8>)> =
            q.build_query_as().fetch_all(pool).await.map_err(backend)?;
        out.extend(rows);
    }
    out.sort_by_key(|(r, _)| *r);
    out.dedup_by_key(|(r, _)| *r);
    Ok(out)
}

/// Replaces (or, given `None`, removes) the features `record` is filed with, inside the
/// caller's transaction.
async fn file_features(
    tx: &mut SqliteConnection,
    kind: MatchKind,
    record: Uuid,
    features: Option<&[u8]>,
) -> StoreResult<()> {
    let q = match features {
        Some(bytes) => sqlx::query(
            "INSERT INTO match_features (kind, record_id, features) VALUES (?, ?, ?) \
             ON CONFLICT (kind, record_id) DO UPDATE SET features = excluded.features",
        )
        .bind(kind.code())
        .bind(record)
        .bind(bytes),
        None => sqlx::query("DELETE FROM match_features WHERE kind = ? AND record_id = ?")
            .bind(kind.code())
            .bind(record),
    };
    q.execute(&mut *tx).await.map_err(backend)?;
    Ok(())
}

/// Integers as a JSON array, for `json_each`.
fn json_array(values: &[i64]) -> String {
    let mut s = String::with_capacity(values.len() * 21 + 2);
    s.push('[');
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&v.to_string());
    }
    s.push(']');
    s
}

/// Replaces the keys `record` is filed under, inside the caller's transaction.
async fn file_keys(
    tx: &mut SqliteConnection,
    kind: MatchKind,
    record: Uuid,
    agency: AgencyId,
    keys: &[u64],
) -> StoreResult<()> {
    let keys: Vec<i64> = keys
        .iter()
        .copied()
        .map(key_column)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    sqlx::query("DELETE FROM match_keys WHERE kind = ? AND record_id = ?")
        .bind(kind.code())
        .bind(record)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
    for chunk in keys.chunks(BULK_CHUNK) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO match_keys (kind, key, record_id, agency_id) ",
        );
        q.push_values(chunk, |mut b, k| {
            b.push_bind(kind.code())
                .push_bind(*k)
                .push_bind(record)
                .push_bind(agency.as_uuid());
        });
        q.build().execute(&mut *tx).await.map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
                StoreError::not_found("agency", agency)
            }
            _ => backend(e),
        })?;
    }
    Ok(())
}
