//! Users and their password hashes in SQLite. The hash lives only in its column, never in the
//! JSON document, so no code path that returns a user can leak it.

use async_trait::async_trait;
use dokaz_model::{AgencyId, Login, User, UserId};
use dokaz_store::sql::{backend, expect_one, from_doc, map_err, to_doc};
use dokaz_store::{Page, PageRequest, StoreError, StoreResult, UserStore};

use crate::{docs, SqliteStore};

#[async_trait]
impl UserStore for SqliteStore {
    async fn create_user(&self, user: &User, password_hash: &str) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO users (id, agency_id, login, password_hash, doc) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(user.id.as_uuid())
        .bind(user.agency.as_uuid())
        .bind(user.login.as_str())
        .bind(password_hash)
        .bind(to_doc(user)?)
        .execute(&self.write)
        .await
        .map_err(map_err(|| format!("login {} is already taken", user.login)))?;
        Ok(())
    }

    async fn user(&self, id: UserId) -> StoreResult<User> {
        docs::get(&self.read, "users", "user", id.as_uuid()).await
    }

    async fn credentials(&self, login: &Login) -> StoreResult<(User, String)> {
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT doc, password_hash FROM users WHERE login = ?")
                .bind(login.as_str())
                .fetch_optional(&self.read)
                .await
                .map_err(backend)?;
        let (doc, hash) = row.ok_or_else(|| StoreError::not_found("user", login))?;
        Ok((from_doc(&doc)?, hash))
    }

    async fn set_password_hash(&self, id: UserId, password_hash: &str) -> StoreResult<()> {
        let r = sqlx::query("UPDATE users SET password_hash = ? WHERE id = ?")
            .bind(password_hash)
            .bind(id.as_uuid())
            .execute(&self.write)
            .await
            .map_err(backend)?;
        expect_one(r.rows_affected(), "user", id)
    }

    async fn set_user_disabled(&self, id: UserId, disabled: bool) -> StoreResult<()> {
        let r =
            sqlx::query("UPDATE users SET doc = json_set(doc, '$.disabled', json(?)) WHERE id = ?")
                .bind(if disabled { "true" } else { "false" })
                .bind(id.as_uuid())
                .execute(&self.write)
                .await
                .map_err(backend)?;
        expect_one(r.rows_affected(), "user", id)
    }

    async fn list_users(
        &self,
        agency: Option<AgencyId>,
        page: PageRequest,
    ) -> StoreResult<Page<User>> {
        docs::page(
            &self.read,
            "users",
            agency.map(|a| a.as_uuid()),
            page,
            |u: &User| u.id.as_uuid(),
        )
        .await
    }
}
