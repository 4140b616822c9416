//! Grants in PostgreSQL. A grant is never deleted and changes only by its revocation, once
//! (the migration's trigger holds the database to that too): it stays the record of who
//! could see what, and until when.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dokaz_model::{AgencyId, Grant, GrantId, GrantTarget, UserId};
use dokaz_store::sql::access::{already_revoked, revoked, target_columns};
use dokaz_store::sql::{backend, from_doc, to_doc};
use dokaz_store::{GrantFilter, GrantStore, Page, PageRequest, StoreError, StoreResult};
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

use crate::{docs, PostgresStore};

impl PostgresStore {
    /// Names the unknown agency of a grant refused by a foreign key.
    async fn missing_agency(&self, g: &Grant, e: sqlx::Error) -> StoreError {
        for a in [g.grantor, g.grantee] {
            let n: Result<i64, _> =
                sqlx::query_scalar("SELECT count(*) FROM agencies WHERE id = $1")
                    .bind(a.as_uuid())
                    .fetch_one(&self.pool)
                    .await;
            if matches!(n, Ok(0)) {
                return StoreError::not_found("agency", a);
            }
        }
        backend(e)
    }
}

#[async_trait]
impl GrantStore for PostgresStore {
    async fn create_grant(&self, g: &Grant) -> StoreResult<()> {
        let (kind, target) = target_columns(&g.target);
        let r = sqlx::query(
            "INSERT INTO grants (id, grantor, grantee, target_kind, target_id, level, \
             expires_at, revoked_at, doc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)",
        )
        .bind(g.id.as_uuid())
        .bind(g.grantor.as_uuid())
        .bind(g.grantee.as_uuid())
        .bind(kind)
        .bind(target)
        .bind(g.level.code())
        .bind(g.expires_at)
        .bind(g.revoked_at)
        .bind(to_doc(g)?)
        .execute(&self.pool)
        .await;
        let Err(e) = r else { return Ok(()) };
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => Err(StoreError::Conflict {
                what: format!("grant {} already exists", g.id),
            }),
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
                Err(self.missing_agency(g, e).await)
            }
            _ => Err(backend(e)),
        }
    }

    async fn grant(&self, id: GrantId) -> StoreResult<Grant> {
        docs::get(&self.pool, "grants", "grant", id.as_uuid()).await
    }

    async fn revoke_grant(&self, id: GrantId, by: UserId, at: DateTime<Utc>) -> StoreResult<Grant> {
        let stored: Grant = self.grant(id).await?;
        if stored.revoked_at.is_some() {
            return Err(already_revoked(id));
        }
        let g = revoked(stored, by, at);
        // `revoked_at IS NULL`: of two revocations at once, the second changes nothing and
        // is told so, rather than overwriting who revoked.
        let r = sqlx::query(
            "UPDATE grants SET revoked_at = $1, doc = $2::jsonb \
             WHERE id = $3 AND revoked_at IS NULL",
        )
        .bind(at)
        .bind(to_doc(&g)?)
        .bind(id.as_uuid())
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        if r.rows_affected() == 0 {
            return Err(already_revoked(id));
        }
        Ok(g)
    }

    async fn grants_for(
        &self,
        grantee: AgencyId,
        targets: &[GrantTarget],
    ) -> StoreResult<Vec<Grant>> {
        if targets.is_empty() {
            return Ok(Vec::new());
        }
        let (kinds, ids): (Vec<&str>, Vec<Uuid>) = targets.iter().map(target_columns).unzip();
        let docs: Vec<String> = sqlx::query_scalar(
            "SELECT doc::text FROM grants WHERE grantee = $1 AND (target_kind, target_id) IN \
             (SELECT * FROM UNNEST($2::text[], $3::uuid[])) ORDER BY id",
        )
        .bind(grantee.as_uuid())
        .bind(&kinds)
        .bind(&ids)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        docs.iter().map(|d| from_doc(d)).collect()
    }

    async fn list_grants(&self, f: &GrantFilter, req: PageRequest) -> StoreResult<Page<Grant>> {
        let mut q = QueryBuilder::<Postgres>::new("SELECT doc::text FROM grants WHERE id > ");
        q.push_bind(req.after_uuid());
        if let Some(a) = f.grantor {
            q.push(" AND grantor = ").push_bind(a.as_uuid());
        }
        if let Some(a) = f.grantee {
            q.push(" AND grantee = ").push_bind(a.as_uuid());
        }
        q.push(" ORDER BY id LIMIT ").push_bind(req.fetch_limit());
        let docs: Vec<String> = q
            .build_query_scalar()
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        let rows = docs
            .iter()
            .map(|d| from_doc(d))
            .collect::<StoreResult<Vec<Grant>>>()?;
        Ok(Page::from_rows(rows, &req, |g| g.id.as_uuid()))
    }
}
