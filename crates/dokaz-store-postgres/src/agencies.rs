//! Agencies in PostgreSQL.

use async_trait::async_trait;
use dokaz_model::{Agency, AgencyCode, AgencyId};
use dokaz_store::sql::{backend, from_doc, map_err, to_doc};
use dokaz_store::{AgencyStore, Page, PageRequest, StoreError, StoreResult};

use crate::{docs, PostgresStore};

#[async_trait]
impl AgencyStore for PostgresStore {
    async fn create_agency(&self, agency: &Agency) -> StoreResult<()> {
        sqlx::query("INSERT INTO agencies (id, code, doc) VALUES ($1, $2, $3::jsonb)")
            .bind(agency.id.as_uuid())
            .bind(agency.code.as_str())
            .bind(to_doc(agency)?)
            .execute(&self.pool)
            .await
            .map_err(map_err(|| {
                format!("agency code {} is already taken", agency.code)
            }))?;
        Ok(())
    }

    async fn agency(&self, id: AgencyId) -> StoreResult<Agency> {
        docs::get(&self.pool, "agencies", "agency", id.as_uuid()).await
    }

    async fn agency_by_code(&self, code: &AgencyCode) -> StoreResult<Agency> {
        let doc: Option<String> =
            sqlx::query_scalar("SELECT doc::text FROM agencies WHERE code = $1")
                .bind(code.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        from_doc(&doc.ok_or_else(|| StoreError::not_found("agency", code))?)
    }

    async fn list_agencies(&self, page: PageRequest) -> StoreResult<Page<Agency>> {
        docs::page(&self.pool, "agencies", None, page, |a: &Agency| {
            a.id.as_uuid()
        })
        .await
    }
}
