//! Provenance in PostgreSQL: evidence families by ERN prefix on the pattern index, consents
//! (withdrawn once, never deleted) and the interview register (append-only).

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use dokaz_model::{Consent, ConsentId, Ern, Evidence, EvidenceId, Interview, PersonId};
use dokaz_store::sql::{backend, from_doc, to_doc};
use dokaz_store::{
    withdrawn, ConsentStore, InterviewStore, ProvenanceStore, StoreError, StoreResult,
};
use uuid::Uuid;

use crate::{docs, PostgresStore};

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
impl ProvenanceStore for PostgresStore {
    async fn evidence_family(&self, root: &Ern) -> StoreResult<Vec<Evidence>> {
        let root = root.root().to_string();
        // `_` may occur in a case segment and is a LIKE wildcard.
        let pattern = format!("{}-%", root.replace('\\', "\\\\").replace('_', "\\_"));
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT doc::text FROM evidence WHERE ern = $1 OR ern LIKE $2 ESCAPE '\\'",
        )
        .bind(&root)
        .bind(pattern)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        // Byte order of ERNs, as on SQLite, whatever the database's collation.
        let mut items: Vec<Evidence> = docs_of(rows)?;
        items.sort_by_key(|e| e.ern.to_string());
        Ok(items)
    }
}

#[async_trait]
impl ConsentStore for PostgresStore {
    async fn add_consent(&self, c: &Consent) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO consents (id, person_id, agency_id, statement_id, given_on, \
             withdrawn_on, doc) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)",
        )
        .bind(c.id.as_uuid())
        .bind(c.person.as_uuid())
        .bind(c.agency.as_uuid())
        .bind(c.statement.map(|s| s.as_uuid()))
        .bind(c.given_on)
        .bind(c.withdrawn_on)
        .bind(to_doc(c)?)
        .execute(&self.pool)
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
        docs::get(&self.pool, "consents", "consent", id.as_uuid()).await
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
            "UPDATE consents SET withdrawn_on = $1, doc = $2::jsonb \
             WHERE id = $3 AND withdrawn_on IS NULL",
        )
        .bind(on)
        .bind(to_doc(&c)?)
        .bind(id.as_uuid())
        .execute(&self.pool)
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

impl PostgresStore {
    /// `column` is a constant of this file, never user input.
    async fn consents_where(&self, column: &'static str, id: Uuid) -> StoreResult<Vec<Consent>> {
        let sql = format!("SELECT doc::text FROM consents WHERE {column} = $1 ORDER BY id");
        let rows: Vec<String> = sqlx::query_scalar(&sql)
            .bind(id)
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        docs_of(rows)
    }
}

#[async_trait]
impl InterviewStore for PostgresStore {
    async fn add_interview(&self, i: &Interview) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO interviews (id, person_id, agency_id, date, doc) VALUES ($1, $2, $3, $4, $5::jsonb)",
        )
        .bind(i.id.as_uuid())
        .bind(i.person.as_uuid())
        .bind(i.agency.as_uuid())
        .bind(i.date)
        .bind(to_doc(i)?)
        .execute(&self.pool)
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
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT doc::text FROM interviews WHERE person_id = $1 ORDER BY date, id",
        )
        .bind(person.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        docs_of(rows)
    }
}
