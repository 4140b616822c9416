//! Cases, persons and units in SQLite.

use async_trait::async_trait;
use dokaz_model::{AgencyId, Case, CaseId, Person, PersonId, Unit, UnitId};
use dokaz_store::sql::{backend, expect_one, from_doc, map_err, to_doc};
use dokaz_store::{CaseStore, Page, PageRequest, PersonStore, StoreError, StoreResult, UnitStore};

use crate::{docs, SqliteStore};

fn case_conflict(c: &Case) -> impl FnOnce() -> String + '_ {
    move || {
        format!(
            "the agency already has a case with reference {:?}",
            c.reference
        )
    }
}

#[async_trait]
impl CaseStore for SqliteStore {
    async fn create_case(&self, c: &Case) -> StoreResult<()> {
        sqlx::query("INSERT INTO cases (id, agency_id, reference, classification, doc) VALUES (?, ?, ?, ?, ?)")
            .bind(c.id.as_uuid())
            .bind(c.agency.as_uuid())
            .bind(&c.reference)
            .bind(c.classification.code())
            .bind(to_doc(c)?)
            .execute(&self.write)
            .await
            .map_err(map_err(case_conflict(c)))?;
        Ok(())
    }

    async fn case(&self, id: CaseId) -> StoreResult<Case> {
        docs::get(&self.read, "cases", "case", id.as_uuid()).await
    }

    async fn case_by_reference(&self, agency: AgencyId, reference: &str) -> StoreResult<Case> {
        let doc: Option<String> =
            sqlx::query_scalar("SELECT doc FROM cases WHERE agency_id = ? AND reference = ?")
                .bind(agency.as_uuid())
                .bind(reference)
                .fetch_optional(&self.read)
                .await
                .map_err(backend)?;
        from_doc(&doc.ok_or_else(|| StoreError::not_found("case", reference))?)
    }

    async fn update_case(&self, c: &Case) -> StoreResult<()> {
        let r = sqlx::query("UPDATE cases SET reference = ?, classification = ?, doc = ? WHERE id = ? AND agency_id = ?")
            .bind(&c.reference)
            .bind(c.classification.code())
            .bind(to_doc(c)?)
            .bind(c.id.as_uuid())
            .bind(c.agency.as_uuid())
            .execute(&self.write)
            .await
            .map_err(map_err(case_conflict(c)))?;
        expect_one(r.rows_affected(), "case", c.id)
    }

    async fn list_cases(
        &self,
        agency: Option<AgencyId>,
        page: PageRequest,
    ) -> StoreResult<Page<Case>> {
        docs::page(
            &self.read,
            "cases",
            agency.map(|a| a.as_uuid()),
            page,
            |c: &Case| c.id.as_uuid(),
        )
        .await
    }
}

#[async_trait]
impl PersonStore for SqliteStore {
    async fn create_person(&self, p: &Person) -> StoreResult<()> {
        sqlx::query("INSERT INTO persons (id, agency_id, classification, protected, doc) VALUES (?, ?, ?, ?, ?)")
            .bind(p.id.as_uuid())
            .bind(p.agency.as_uuid())
            .bind(p.classification.code())
            .bind(p.protected)
            .bind(to_doc(p)?)
            .execute(&self.write)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn person(&self, id: PersonId) -> StoreResult<Person> {
        docs::get(&self.read, "persons", "person", id.as_uuid()).await
    }

    async fn persons_by_ids(&self, ids: &[PersonId]) -> StoreResult<Vec<Person>> {
        docs::get_many(&self.read, "persons", ids.iter().map(|id| id.as_uuid())).await
    }

    async fn update_person(&self, p: &Person) -> StoreResult<()> {
        let r = sqlx::query("UPDATE persons SET classification = ?, protected = ?, doc = ? WHERE id = ? AND agency_id = ?")
            .bind(p.classification.code())
            .bind(p.protected)
            .bind(to_doc(p)?)
            .bind(p.id.as_uuid())
            .bind(p.agency.as_uuid())
            .execute(&self.write)
            .await
            .map_err(backend)?;
        expect_one(r.rows_affected(), "person", p.id)
    }

    async fn list_persons(
        &self,
        agency: Option<AgencyId>,
        page: PageRequest,
    ) -> StoreResult<Page<Person>> {
        docs::page(
            &self.read,
            "persons",
            agency.map(|a| a.as_uuid()),
            page,
            |p: &Person| p.id.as_uuid(),
        )
        .await
    }
}

#[async_trait]
impl UnitStore for SqliteStore {
    async fn create_unit(&self, u: &Unit) -> StoreResult<()> {
        sqlx::query("INSERT INTO units (id, agency_id, classification, doc) VALUES (?, ?, ?, ?)")
            .bind(u.id.as_uuid())
            .bind(u.agency.as_uuid())
            .bind(u.classification.code())
            .bind(to_doc(u)?)
            .execute(&self.write)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn unit(&self, id: UnitId) -> StoreResult<Unit> {
        docs::get(&self.read, "units", "unit", id.as_uuid()).await
    }

    async fn units_by_ids(&self, ids: &[UnitId]) -> StoreResult<Vec<Unit>> {
        docs::get_many(&self.read, "units", ids.iter().map(|id| id.as_uuid())).await
    }

    async fn update_unit(&self, u: &Unit) -> StoreResult<()> {
        let r = sqlx::query(
            "UPDATE units SET classification = ?, doc = ? WHERE id = ? AND agency_id = ?",
        )
        .bind(u.classification.code())
        .bind(to_doc(u)?)
        .bind(u.id.as_uuid())
        .bind(u.agency.as_uuid())
        .execute(&self.write)
        .await
        .map_err(backend)?;
        expect_one(r.rows_affected(), "unit", u.id)
    }

    async fn list_units(
        &self,
        agency: Option<AgencyId>,
        page: PageRequest,
    ) -> StoreResult<Page<Unit>> {
        docs::page(
            &self.read,
            "units",
            agency.map(|a| a.as_uuid()),
            page,
            |u: &Unit| u.id.as_uuid(),
        )
        .await
    }
}
