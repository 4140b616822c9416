//! Cases, persons and units in PostgreSQL.

use async_trait::async_trait;
use dokaz_model::{AgencyId, Case, CaseId, Person, PersonId, Unit, UnitId};
use dokaz_store::sql::{backend, expect_one, from_doc, map_err, to_doc};
use dokaz_store::{CaseStore, Page, PageRequest, PersonStore, StoreError, StoreResult, UnitStore};

use crate::{docs, PostgresStore};

fn case_conflict(c: &Case) -> impl FnOnce() -> String + '_ {
    move || {
        format!(
            "the agency already has a case with reference {:?}",
            c.reference
        )
    }
}

#[async_trait]
impl CaseStore for PostgresStore {
    async fn create_case(&self, c: &Case) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO cases (id, agency_id, reference, classification, doc) \
             VALUES ($1, $2, $3, $4, $5::jsonb)",
        )
        .bind(c.id.as_uuid())
        .bind(c.agency.as_uuid())
        .bind(&c.reference)
        .bind(c.classification.code())
        .bind(to_doc(c)?)
        .execute(&self.pool)
        .await
        .map_err(map_err(case_conflict(c)))?;
        Ok(())
    }

    async fn case(&self, id: CaseId) -> StoreResult<Case> {
        docs::get(&self.pool, "cases", "case", id.as_uuid()).await
    }

    async fn case_by_reference(&self, agency: AgencyId, reference: &str) -> StoreResult<Case> {
        let doc: Option<String> = sqlx::query_scalar(
            "SELECT doc::text FROM cases WHERE agency_id = $1 AND reference = $2",
        )
        .bind(agency.as_uuid())
        .bind(reference)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        from_doc(&doc.ok_or_else(|| StoreError::not_found("case", reference))?)
    }

    async fn update_case(&self, c: &Case) -> StoreResult<()> {
        let r = sqlx::query(
            "UPDATE cases SET reference = $1, classification = $2, doc = $3::jsonb \
             WHERE id = $4 AND agency_id = $5",
        )
        .bind(&c.reference)
        .bind(c.classification.code())
        .bind(to_doc(c)?)
        .bind(c.id.as_uuid())
        .bind(c.agency.as_uuid())
        .execute(&self.pool)
        .await
        .map_err(map_err(case_conflict(c)))?;
        expect_one(r.rows_affected(), "case", c.id)
    }

    async fn list_cases(
        &self,
        agency: Option<AgencyId>,
        page: PageRequest,
    ) -> StoreResult<Page<Case>> {
        let agency = agency.map(|a| a.as_uuid());
        docs::page(&self.pool, "cases", agency, page, |c: &Case| c.id.as_uuid()).await
    }
}

#[async_trait]
impl PersonStore for PostgresStore {
    async fn create_person(&self, p: &Person) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO persons (id, agency_id, classification, protected, doc) \
             VALUES ($1, $2, $3, $4, $5::jsonb)",
        )
        .bind(p.id.as_uuid())
        .bind(p.agency.as_uuid())
        .bind(p.classification.code())
        .bind(p.protected)
        .bind(to_doc(p)?)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn person(&self, id: PersonId) -> StoreResult<Person> {
        docs::get(&self.pool, "persons", "person", id.as_uuid()).await
    }

    async fn persons_by_ids(&self, ids: &[PersonId]) -> StoreResult<Vec<Person>> {
        docs::get_many(&self.pool, "persons", ids.iter().map(|id| id.as_uuid())).await
    }

    async fn update_person(&self, p: &Person) -> StoreResult<()> {
        let r = sqlx::query(
            "UPDATE persons SET classification = $1, protected = $2, doc = $3::jsonb \
             WHERE id = $4 AND agency_id = $5",
        )
        .bind(p.classification.code())
        .bind(p.protected)
        .bind(to_doc(p)?)
        .bind(p.id.as_uuid())
        .bind(p.agency.as_uuid())
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        expect_one(r.rows_affected(), "person", p.id)
    }

    async fn list_persons(
        &self,
        agency: Option<AgencyId>,
        page: PageRequest,
    ) -> StoreResult<Page<Person>> {
        let agency = agency.map(|a| a.as_uuid());
        docs::page(&self.pool, "persons", agency, page, |p: &Person| {
            p.id.as_uuid()
        })
        .await
    }
}

#[async_trait]
impl UnitStore for PostgresStore {
    async fn create_unit(&self, u: &Unit) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO units (id, agency_id, classification, doc) VALUES ($1, $2, $3, $4::jsonb)",
        )
        .bind(u.id.as_uuid())
        .bind(u.agency.as_uuid())
        .bind(u.classification.code())
        .bind(to_doc(u)?)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn unit(&self, id: UnitId) -> StoreResult<Unit> {
        docs::get(&self.pool, "units", "unit", id.as_uuid()).await
    }

    async fn units_by_ids(&self, ids: &[UnitId]) -> StoreResult<Vec<Unit>> {
        docs::get_many(&self.pool, "units", ids.iter().map(|id| id.as_uuid())).await
    }

    async fn update_unit(&self, u: &Unit) -> StoreResult<()> {
        let r = sqlx::query(
            "UPDATE units SET classification = $1, doc = $2::jsonb WHERE id = $3 AND agency_id = $4",
        )
        .bind(u.classification.code())
        .bind(to_doc(u)?)
        .bind(u.id.as_uuid())
        .bind(u.agency.as_uuid())
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        expect_one(r.rows_affected(), "unit", u.id)
    }

    async fn list_units(
        &self,
        agency: Option<AgencyId>,
        page: PageRequest,
    ) -> StoreResult<Page<Unit>> {
        let agency = agency.map(|a| a.as_uuid());
        docs::page(&self.pool, "units", agency, page, |u: &Unit| u.id.as_uuid()).await
    }
}
