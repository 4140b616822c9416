//! Incidents in SQLite, including the all-or-nothing bulk insert that imports use.

use async_trait::async_trait;
use dokaz_model::{Incident, IncidentId};
use dokaz_store::sql::{backend, expect_one, from_doc, map_err, to_doc, BULK_CHUNK};
use dokaz_store::{IncidentFilter, IncidentStore, Page, PageRequest, StoreResult};
use sqlx::{QueryBuilder, Sqlite};

use crate::{docs, micros, SqliteStore};

const COLUMNS: &str =
    "INSERT INTO incidents (id, agency_id, reference, occurred_start, occurred_end, lat, lon, classification, doc) ";

fn conflict(i: &Incident) -> impl FnOnce() -> String + '_ {
    move || {
        format!(
            "the agency already has an incident with reference {:?}",
            i.reference.as_deref().unwrap_or_default()
        )
    }
}

fn push_incident(
    b: &mut sqlx::query_builder::Separated<'_, '_, Sqlite, &'static str>,
    i: &Incident,
    doc: String,
) {
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

/// Appends the filter's conditions; the query so far must end in a WHERE clause.
fn push_filter(q: &mut QueryBuilder<'_, Sqlite>, f: &IncidentFilter) {
    if let Some(a) = f.agency {
        q.push(" AND agency_id = ").push_bind(a.as_uuid());
    }
    if let Some(from) = f.occurred_from {
        q.push(" AND occurred_end >= ").push_bind(micros(from));
    }
    if let Some(to) = f.occurred_to {
        q.push(" AND occurred_start < ").push_bind(micros(to));
    }
}

#[async_trait]
impl IncidentStore for SqliteStore {
    async fn create_incident(&self, incident: &Incident) -> StoreResult<()> {
        self.create_incidents(std::slice::from_ref(incident)).await
    }

    async fn create_incidents(&self, incidents: &[Incident]) -> StoreResult<()> {
        if incidents.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await.map_err(backend)?;
        for chunk in incidents.chunks(BULK_CHUNK) {
            let mut q = QueryBuilder::<Sqlite>::new(COLUMNS);
            let docs = chunk.iter().map(to_doc).collect::<StoreResult<Vec<_>>>()?;
            q.push_values(chunk.iter().zip(docs), |mut b, (i, doc)| {
                push_incident(&mut b, i, doc)
            });
            // The conflicting row is not known for a multi-row statement; name the first
            // incident that carries a reference as the likeliest, the rule is what matters.
            let first = chunk
                .iter()
                .find(|i| i.reference.is_some())
                .unwrap_or(&chunk[0]);
            q.build()
                .execute(&mut *tx)
                .await
                .map_err(map_err(conflict(first)))?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn incident(&self, id: IncidentId) -> StoreResult<Incident> {
        docs::get(&self.read, "incidents", "incident", id.as_uuid()).await
    }

    async fn incidents_by_ids(&self, ids: &[IncidentId]) -> StoreResult<Vec<Incident>> {
        docs::get_many(&self.read, "incidents", ids.iter().map(|id| id.as_uuid())).await
    }

    async fn update_incident(&self, i: &Incident) -> StoreResult<()> {
        let c = i.location.coordinates;
        let r = sqlx::query(
            "UPDATE incidents SET reference = ?, occurred_start = ?, occurred_end = ?, lat = ?, lon = ?, \
             classification = ?, doc = ? WHERE id = ? AND agency_id = ?",
        )
        .bind(i.reference.clone())
        .bind(micros(i.occurred.start))
        .bind(micros(i.occurred.end))
        .bind(c.map(|c| c.lat))
        .bind(c.map(|c| c.lon))
        .bind(i.classification.code())
        .bind(to_doc(i)?)
        .bind(i.id.as_uuid())
        .bind(i.agency.as_uuid())
        .execute(&self.write)
        .await
        .map_err(map_err(conflict(i)))?;
        expect_one(r.rows_affected(), "incident", i.id)
    }

    async fn list_incidents(
        &self,
        f: &IncidentFilter,
        req: PageRequest,
    ) -> StoreResult<Page<Incident>> {
        let mut q = QueryBuilder::<Sqlite>::new("SELECT doc FROM incidents WHERE id > ");
        q.push_bind(req.after_uuid());
        push_filter(&mut q, f);
        q.push(" ORDER BY id LIMIT ").push_bind(req.fetch_limit());
        let docs: Vec<String> = q
            .build_query_scalar()
            .fetch_all(&self.read)
            .await
            .map_err(backend)?;
        let rows = docs
            .iter()
            .map(|d| from_doc(d))
            .collect::<StoreResult<Vec<Incident>>>()?;
        Ok(Page::from_rows(rows, &req, |i| i.id.as_uuid()))
    }

    async fn count_incidents(&self, f: &IncidentFilter) -> StoreResult<u64> {
        let mut q = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM incidents WHERE 1 = 1");
        push_filter(&mut q, f);
        let n: i64 = q
            .build_query_scalar()
            .fetch_one(&self.read)
            .await
            .map_err(backend)?;
        Ok(n as u64)
    }
}
