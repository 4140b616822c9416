//! Provenance in SQLite: evidence families by ERN range on the unique ERN index, consents
//! (withdrawn once, never deleted) and the interview register (append-only).

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use dokaz_model::{Consent, ConsentId, Ern, Evidence, EvidenceId, Interview, PersonId};
use dokaz_store::sql::{backend, from_doc, to_doc};
use dokaz_store::{
    family_bounds, withdrawn, ConsentStore, InterviewStore, ProvenanceStore, StoreError,
    StoreResult,
};
use uuid::Uuid;

use crate::{docs, SqliteStore};

fn docs_of<T: serde::de::DeserializeOwned>(rows: Vec<String>) -> StoreResult<Vec<T>> {
    rows.iter().map(|d| from_doc(d)).collect()
}

/// A foreign-key failure names the record that is missing.
fn refused(e: sqlx::Error, missing: impl FnOnce() -> StoreError, what: String) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => missing(),
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict { what },
        _ => backend(e),
    }
}

#[async_trait]
impl ProvenanceStore for SqliteStore {
    async fn evidence_family(&self, root: &Ern) -> StoreResult<Vec<Evidence>> {
        let (lo, hi) = family_bounds(root);
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT doc FROM evidence WHERE ern = ? OR (ern >= ? AND ern < ?) ORDER BY ern",
        )
        .bind(root.root().to_string())
        .bind(lo)
        .bind(hi)
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        docs_of(rows)
    }
}

#[async_trait]
impl ConsentStore for SqliteStore {
    async fn add_consent(&self, c: &Consent) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO consents (id, person_id, agency_id, statement_id, given_on, \
             withdrawn_on, doc) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(c.id.as_uuid())
        .bind(c.person.as_uuid())
        .bind(c.agency.as_uuid())
        .bind(c.statement.map(|s| s.as_uuid()))
        .bind(c.given_on.to_string())
        .bind(c.withdrawn_on.map(|d| d.to_string()))
        .bind(to_doc(c)?)
        .execute(&self.write)
        .await
        .map_err(|e| {
            refused(
                e,
                || StoreError::not_found("person, agency or statement", c.person),
                format!("consent {} already exists", c.id),
            )
        })?;
        Ok(())
    }

    async fn consent(&self, id: ConsentId) -> StoreResult<Consent> {
        docs::get(&self.read, "consents", "consent", id.as_uuid()).await
    }

    async fn withdraw_consent(
        &self,
        id: ConsentId,
        on: NaiveDate,
        recorded_by: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Consent> {
        let stored = self.consent(id).await?;
        if stored.withdrawn_on.is_some() {
            return Err(already_withdrawn(id));
        }
        let c = withdrawn(stored, on, recorded_by, at);
        let r = sqlx::query(
            "UPDATE consents SET withdrawn_on = ?, doc = ? WHERE id = ? AND withdrawn_on IS NULL",
        )
        .bind(on.to_string())
        .bind(to_doc(&c)?)
        .bind(id.as_uuid())
        .execute(&self.write)
        .await
        .map_err(backend)?;
        if r.rows_affected() == 0 {
            return Err(already_withdrawn(id));
        }
        Ok(c)
    }

    async fn consents_of_person(&self, person: PersonId) -> StoreResult<Vec<Consent>> {
        self.consents_where("person_id", person.as_uuid()).await
    }

    async fn consents_of_statement(&self, statement: EvidenceId) -> StoreResult<Vec<Consent>> {
        self.consents_where("statement_id", statement.as_uuid())
            .await
    }
}

fn already_withdrawn(id: ConsentId) -> StoreError {
    StoreError::Conflict {
        what: format!("consent {id} was already withdrawn; a withdrawal is recorded once"),
    }
}

impl SqliteStore {
    /// `column` is a constant of this file, never user input.
    async fn consents_where(&self, column: &'static str, id: Uuid) -> StoreResult<Vec<Consent>> {
        let sql = format!("SELECT doc FROM consents WHERE {column} = ? ORDER BY id");
        let rows: Vec<String> = sqlx::query_scalar(&sql)
            .bind(id)
            .fetch_all(&self.read)
            .await
            .map_err(backend)?;
        docs_of(rows)
    }
}

#[async_trait]
impl InterviewStore for SqliteStore {
    async fn add_interview(&self, i: &Interview) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO interviews (id, person_id, agency_id, date, doc) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(i.id.as_uuid())
        .bind(i.person.as_uuid())
        .bind(i.agency.as_uuid())
        .bind(i.date.to_string())
        .bind(to_doc(i)?)
        .execute(&self.write)
        .await
        .map_err(|e| {
            refused(
                e,
                || StoreError::not_found("person or agency", i.person),
                format!("interview {} already exists", i.id),
            )
        })?;
        Ok(())
    }

    async fn interviews_of(&self, person: PersonId) -> StoreResult<Vec<Interview>> {
        let rows: Vec<String> =
            sqlx::query_scalar("SELECT doc FROM interviews WHERE person_id = ? ORDER BY date, id")
                .bind(person.as_uuid())
                .fetch_all(&self.read)
                .await
                .map_err(backend)?;
        docs_of(rows)
    }
}
