//! Matches, blocking keys and blind encodings in PostgreSQL. A pair found again is updated
//! in place under a row lock, keeping both agencies' decisions; an agency's list is the union
//! of its two sides' indexes; candidates are one index lookup over the whole probe array.

use std::collections::HashSet;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dokaz_model::{AgencyId, Match, MatchId, MatchKind, MatchStatus, UserId};
use dokaz_store::sql::matching::{capped, decided, key_column, merged, normalised, not_found};
use dokaz_store::sql::{backend, from_doc, to_doc};
use dokaz_store::{
    Candidates, Filing, MatchFilter, MatchStore, Page, PageRequest, Recorded, StoreError,
    StoreResult,
};
use sqlx::{PgConnection, Postgres, QueryBuilder};
use uuid::Uuid;

use crate::PostgresStore;

/// The stored match of `m`'s pair, locked until the transaction ends.
async fn lock_pair(conn: &mut PgConnection, m: &Match) -> StoreResult<Option<Match>> {
    let doc: Option<String> = sqlx::query_scalar(
        "SELECT doc::text FROM matches WHERE kind = $1 AND record_a = $2 AND record_b = $3 \
         FOR UPDATE",
    )
    .bind(m.kind.code())
    .bind(m.a.record)
    .bind(m.b.record)
    .fetch_optional(&mut *conn)
    .await
    .map_err(backend)?;
    doc.map(|d| from_doc(&d)).transpose()
}

/// Inserts `m` unless its pair is stored (perhaps by a transaction that committed since the
/// lookup); tells which.
async fn insert(conn: &mut PgConnection, m: &Match) -> StoreResult<bool> {
    let r = sqlx::query(
        "INSERT INTO matches (id, kind, record_a, agency_a, record_b, agency_b, status_a, \
         status_b, score, found_at, updated_at, doc) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb) \
         ON CONFLICT (kind, record_a, record_b) DO NOTHING",
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
    .bind(m.found_at)
    .bind(m.updated_at)
    .bind(to_doc(m)?)
    .execute(&mut *conn)
    .await
    .map_err(|e| refused(m, e))?;
    Ok(r.rows_affected() == 1)
}

async fn update(conn: &mut PgConnection, m: &Match) -> StoreResult<()> {
    sqlx::query(
        "UPDATE matches SET status_a = $1, status_b = $2, score = $3, updated_at = $4, \
         doc = $5::jsonb WHERE id = $6",
    )
    .bind(m.a.status.code())
    .bind(m.b.status.code())
    .bind(m.score)
    .bind(m.updated_at)
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

fn unknown_agency(agency: AgencyId) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| match &e {
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
            StoreError::not_found("agency", agency)
        }
        _ => backend(e),
    }
}

#[async_trait]
impl MatchStore for PostgresStore {
    #[tracing::instrument(skip_all, fields(n = found.len()))]
    async fn record_matches(&self, found: &[Match]) -> StoreResult<Vec<Recorded>> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let mut out = Vec::with_capacity(found.len());
        for f in found.iter().map(normalised) {
            // Another node may record the same pair at once: the insert then waits for it
            // and does nothing, and the second look finds its row.
            let rec = loop {
                if let Some(s) = lock_pair(&mut tx, &f).await? {
                    let m = merged(s, &f);
                    update(&mut tx, &m).await?;
                    break Recorded {
                        stored: m,
                        is_new: false,
                    };
                }
                if insert(&mut tx, &f).await? {
                    break Recorded {
                        stored: f.clone(),
                        is_new: true,
                    };
                }
            };
            out.push(rec);
        }
        tx.commit().await.map_err(backend)?;
        Ok(out)
    }

    async fn match_by_id(&self, id: MatchId) -> StoreResult<Match> {
        let doc: Option<String> = sqlx::query_scalar("SELECT doc::text FROM matches WHERE id = $1")
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
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
        let mut q = QueryBuilder::<Postgres>::new("SELECT doc::text FROM (");
        for (i, side) in ["a", "b"].into_iter().enumerate() {
            if i > 0 {
                q.push(" UNION ALL ");
            }
            q.push("(SELECT id, doc FROM matches WHERE agency_")
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
        q.push(") AS sides ORDER BY id LIMIT ")
            .push_bind(req.fetch_limit());
        let docs: Vec<String> = q
            .build_query_scalar()
            .fetch_all(&self.pool)
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
            "SELECT doc::text FROM (SELECT id, doc FROM matches WHERE record_a = $1 UNION ALL \
             SELECT id, doc FROM matches WHERE record_b = $1) AS m ORDER BY id",
        )
        .bind(record)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        docs.iter().map(|d| from_doc(d)).collect()
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
        let mut tx = self.pool.begin().await.map_err(backend)?;
        // The row lock orders this decision after any other on the same match.
        let doc: Option<String> =
            sqlx::query_scalar("SELECT doc::text FROM matches WHERE id = $1 FOR UPDATE")
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
        // Parallel arrays, unnested into rows: one statement for any number of records,
        // where one transaction each would cost a round trip and a commit each.
        // A record listed twice is filed as its last filing says, as one call after the
        // other would file it.
        let last: std::collections::HashMap<Uuid, &Filing> =
            records.iter().map(|f| (f.record, f)).collect();
        let (mut ids, mut keys, mut agencies) = (Vec::new(), Vec::new(), Vec::new());
        let (mut featured, mut features) = (Vec::new(), Vec::new());
        for f in last.values() {
            let unique: HashSet<i64> = f.keys.iter().copied().map(key_column).collect();
            for k in unique {
                keys.push(k);
                ids.push(f.record);
                agencies.push(f.agency.as_uuid());
            }
            if let Some(bytes) = &f.features {
                featured.push(f.record);
                features.push(bytes.as_slice());
            }
        }
        let all: Vec<Uuid> = last.keys().copied().collect();
        let mut tx = self.pool.begin().await.map_err(backend)?;
        for table in ["match_keys", "match_features"] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE kind = $1 AND record_id = ANY($2)"
            ))
            .bind(kind.code())
            .bind(&all)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        }
        sqlx::query(
            "INSERT INTO match_features (kind, record_id, features) \
             SELECT $1, r, f FROM UNNEST($2::uuid[], $3::bytea[]) AS t(r, f)",
        )
        .bind(kind.code())
        .bind(&featured)
        .bind(&features)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        let first_agency = records.first().map(|r| r.agency).unwrap_or_default();
        sqlx::query(
            "INSERT INTO match_keys (kind, key, record_id, agency_id) \
             SELECT $1, k, r, a FROM UNNEST($2::bigint[], $3::uuid[], $4::uuid[]) AS t(k, r, a)",
        )
        .bind(kind.code())
        .bind(&keys)
        .bind(&ids)
        .bind(&agencies)
        .execute(&mut *tx)
        .await
        .map_err(unknown_agency(first_agency))?;
        tx.commit().await.map_err(backend)
    }

    #[tracing::instrument(skip(self, probes), fields(n = probes.len()))]
    async fn match_candidates(
        &self,
        kind: MatchKind,
        probes: &[u64],
        exclude: AgencyId,
    ) -> StoreResult<Vec<(Uuid, AgencyId)>> {
        if probes.is_empty() {
            return Ok(Vec::new());
        }
        let probes: Vec<i64> = probes.iter().copied().map(key_column).collect();
        // One statement for the whole array: a primary-key range per probe.
        let rows: Vec<(Uuid, Uuid)> = sqlx::query_as(
            "SELECT DISTINCT ON (record_id) record_id, agency_id FROM match_keys \
             WHERE kind = $1 AND key = ANY($2::bigint[]) AND agency_id <> $3 \
             ORDER BY record_id",
        )
        .bind(kind.code())
        .bind(&probes)
        .bind(exclude.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        Ok(rows
            .into_iter()
            .map(|(r, a)| (r, AgencyId::from_uuid(a)))
            .collect())
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
        if probes.is_empty() {
            return Ok(Candidates::default());
        }
        let probes: Vec<i64> = probes.iter().copied().map(key_column).collect();
        // One statement for the whole array, a primary-key range per probe. Every agency's
        // rows are read, to count each block; the asking agency's are dropped after.
        let rows: Vec<(i64, Uuid, Uuid)> = sqlx::query_as(
            "SELECT key, record_id, agency_id FROM match_keys \
             WHERE kind = $1 AND key = ANY($2::bigint[])",
        )
        .bind(kind.code())
        .bind(&probes)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        Ok(capped(rows, exclude, max_block, limit))
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
             VALUES ($1, $2, $3, $4) ON CONFLICT (kind, record_id) DO UPDATE SET \
             agency_id = excluded.agency_id, encoding = excluded.encoding",
        )
        .bind(kind.code())
        .bind(record)
        .bind(agency.as_uuid())
        .bind(encoding)
        .execute(&self.pool)
        .await
        .map_err(unknown_agency(agency))?;
        Ok(())
    }

    async fn match_encodings(
        &self,
        kind: MatchKind,
        records: &[Uuid],
    ) -> StoreResult<Vec<(Uuid, Vec<u8>)>> {
        self.by_records("match_encodings", "encoding", kind, records)
            .await
    }

    async fn match_key_layout(&self, kind: MatchKind) -> StoreResult<(Option<u32>, bool)> {
        let (layout, filed): (Option<i64>, bool) = sqlx::query_as(
            "SELECT (SELECT layout FROM match_key_layouts WHERE kind = $1), \
             EXISTS (SELECT 1 FROM match_keys WHERE kind = $1)",
        )
        .bind(kind.code())
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        Ok((layout.and_then(|l| u32::try_from(l).ok()), filed))
    }

    async fn set_match_key_layout(&self, kind: MatchKind, layout: u32) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO match_key_layouts (kind, layout) VALUES ($1, $2) \
             ON CONFLICT (kind) DO UPDATE SET layout = excluded.layout",
        )
        .bind(kind.code())
        .bind(i64::from(layout))
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn match_features(
        &self,
        kind: MatchKind,
        records: &[Uuid],
    ) -> StoreResult<Vec<(Uuid, Vec<u8>)>> {
        self.by_records("match_features", "features", kind, records)
            .await
    }
}

impl PostgresStore {
    /// The bytes in `column` of `table` for those of `records` that have a row, in record
    /// id order. `table` and `column` are always constants of this crate.
    async fn by_records(
        &self,
        table: &'static str,
        column: &'static str,
        kind: MatchKind,
        records: &[Uuid],
    ) -> StoreResult<Vec<(Uuid, Vec<u8>)>> {
        if records.is_empty() {
            return Ok(Vec::new());
        }
        sqlx::query_as(&format!(
            "SELECT record_id, {column} FROM {table} \
             WHERE kind = $1 AND record_id = ANY($2::uuid[]) ORDER BY record_id"
        ))
        .bind(kind.code())
        .bind(records)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)
    }
}
