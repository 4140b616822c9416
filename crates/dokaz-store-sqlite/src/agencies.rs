//! Agencies in SQLite.

use async_trait::async_trait;
use dokaz_model::{Agency, AgencyCode, AgencyId};
use dokaz_store::sql::{backend, from_doc, map_err, to_doc};
use dokaz_store::{AgencyStore, Page, PageRequest, StoreError, StoreResult};

use crate::{docs, SqliteStore};

#[async_trait]
impl AgencyStore for SqliteStore {
    async fn create_agency(&self, agency: &Agency) -> StoreResult<()> {
        sqlx::query("INSERT INTO agencies (id, code, doc) VALUES (?, ?, ?)")
            .bind(agency.id.as_uuid())
            .bind(agency.code.as_str())
            .bind(to_doc(agency)?)
            .execute(&self.write)
            .await
            .map_err(map_err(|| {
                format!("agency code {} is already taken", agency.code)
            }))?;
        Ok(())
    }

    async fn agency(&self, id: AgencyId) -> StoreResult<Agency> {
        docs::get(&self.read, "agencies", "agency", id.as_uuid()).await
    }

    async fn agency_by_code(&self, code: &AgencyCode) -> StoreResult<Agency> {
        let doc: Option<String> = sqlx::query_scalar("SELECT doc FROM agencies WHERE code = ?")
            .bind(code.as_str())
            .fetch_optional(&self.read)
            .await
            .map_err(backend)?;
        from_doc(&doc.ok_or_else(|| StoreError::not_found("agency", code))?)
    }

    async fn list_agencies(&self, page: PageRequest) -> StoreResult<Page<Agency>> {
        docs::page(&self.read, "agencies", None, page, |a: &Agency| {
            a.id.as_uuid()
        })
        .await
    }
}
