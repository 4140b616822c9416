//! Login sessions and API tokens in PostgreSQL, found by the SHA-256 of their secret. The
//! secret itself never reaches the database, so neither a dump nor an error message can log
//! anyone in; errors name no hash either.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dokaz_model::{ApiTokenId, UserId};
use dokaz_store::sql::access::secret_hash;
use dokaz_store::sql::{backend, expect_one};
use dokaz_store::{ApiToken, Session, SessionStore, StoreError, StoreResult};
use uuid::Uuid;

use crate::PostgresStore;

type Time = DateTime<Utc>;
type SessionRow = (Vec<u8>, Uuid, Time, Time, Time, String);

fn session(
    (hash, user, created_at, expires_at, last_seen_at, address): SessionRow,
) -> StoreResult<Session> {
    Ok(Session {
        token_hash: secret_hash(&hash)?,
        user: UserId::from_uuid(user),
        created_at,
        expires_at,
        last_seen_at,
        address,
    })
}

type TokenRow = (
    Uuid,
    Uuid,
    String,
    Vec<u8>,
    Vec<String>,
    Time,
    Option<Time>,
    Option<Time>,
);

const TOKEN_COLUMNS: &str =
    "SELECT id, user_id, name, token_hash, scopes, created_at, expires_at, revoked_at \
     FROM api_tokens";

fn token(
    (id, user, name, hash, scopes, created_at, expires_at, revoked_at): TokenRow,
) -> StoreResult<ApiToken> {
    Ok(ApiToken {
        id: ApiTokenId::from_uuid(id),
        user: UserId::from_uuid(user),
        name,
        token_hash: secret_hash(&hash)?,
        scopes,
        created_at,
        expires_at,
        revoked_at,
    })
}

/// A write error: a taken key is `Conflict` in `what`'s words (told whether it was the
/// secret's hash that clashed), an unknown user `NotFound`.
fn write_err(
    user: UserId,
    what: impl FnOnce(bool) -> String,
) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict {
            what: what(d.message().contains("token_hash")),
        },
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
            StoreError::not_found("user", user)
        }
        _ => backend(e),
    }
}

#[async_trait]
impl SessionStore for PostgresStore {
    async fn create_session(&self, s: &Session) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at, \
             address) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&s.token_hash[..])
        .bind(s.user.as_uuid())
        .bind(s.created_at)
        .bind(s.expires_at)
        .bind(s.last_seen_at)
        .bind(&s.address)
        .execute(&self.pool)
        .await
        .map_err(write_err(s.user, |_| {
            "a session with that token exists".into()
        }))?;
        Ok(())
    }

    async fn session(&self, token_hash: &[u8; 32]) -> StoreResult<Session> {
        let row: Option<SessionRow> = sqlx::query_as(
            "SELECT token_hash, user_id, created_at, expires_at, last_seen_at, address \
             FROM sessions WHERE token_hash = $1",
        )
        .bind(&token_hash[..])
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        session(row.ok_or_else(|| StoreError::not_found("session", "with that token"))?)
    }

    async fn touch_session(&self, token_hash: &[u8; 32], at: DateTime<Utc>) -> StoreResult<()> {
        // GREATEST: concurrent requests of one session finish in any order; the latest stays.
        let r = sqlx::query(
            "UPDATE sessions SET last_seen_at = GREATEST(last_seen_at, $1) WHERE token_hash = $2",
        )
        .bind(at)
        .bind(&token_hash[..])
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        expect_one(r.rows_affected(), "session", "with that token")
    }

    async fn delete_session(&self, token_hash: &[u8; 32]) -> StoreResult<()> {
        let r = sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(&token_hash[..])
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        expect_one(r.rows_affected(), "session", "with that token")
    }

    async fn delete_user_sessions(&self, user: UserId) -> StoreResult<u64> {
        let r = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user.as_uuid())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(r.rows_affected())
    }

    async fn create_api_token(&self, t: &ApiToken) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO api_tokens (id, user_id, name, token_hash, scopes, created_at, \
             expires_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(t.id.as_uuid())
        .bind(t.user.as_uuid())
        .bind(&t.name)
        .bind(&t.token_hash[..])
        .bind(&t.scopes)
        .bind(t.created_at)
        .bind(t.expires_at)
        .bind(t.revoked_at)
        .execute(&self.pool)
        .await
        .map_err(write_err(t.user, |secret| match secret {
            true => "a token with that secret exists".into(),
            false => format!("the user already has a token named {:?}", t.name),
        }))?;
        Ok(())
    }

    async fn api_token(&self, token_hash: &[u8; 32]) -> StoreResult<ApiToken> {
        let row: Option<TokenRow> =
            sqlx::query_as(&format!("{TOKEN_COLUMNS} WHERE token_hash = $1"))
                .bind(&token_hash[..])
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        token(row.ok_or_else(|| StoreError::not_found("api token", "with that secret"))?)
    }

    async fn revoke_api_token(&self, id: ApiTokenId, at: DateTime<Utc>) -> StoreResult<()> {
        // COALESCE: revoking again keeps the first time, which is when it stopped working.
        let r = sqlx::query(
            "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2",
        )
        .bind(at)
        .bind(id.as_uuid())
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        expect_one(r.rows_affected(), "api token", id)
    }

    async fn list_api_tokens(&self, user: UserId) -> StoreResult<Vec<ApiToken>> {
        let rows: Vec<TokenRow> =
            sqlx::query_as(&format!("{TOKEN_COLUMNS} WHERE user_id = $1 ORDER BY id"))
                .bind(user.as_uuid())
                .fetch_all(&self.pool)
                .await
                .map_err(backend)?;
        rows.into_iter().map(token).collect()
    }
}
