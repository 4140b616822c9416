//! Login and logout. A failed login looks and costs the same whether the account is unknown
//! or the password wrong; attempts are limited per account and per address; every login,
//! successful or not, is audited.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use dokaz_model::{Login, User};
use dokaz_store::{Session, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::audit;
use crate::auth::token::{self, SESSION_PREFIX};
use crate::auth::{password, Caller, Credential, RequestMeta};
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionCreated {
    /// Send as `Authorization: Bearer <token>`. Shown once; only its hash is stored.
    pub token: String,
    pub expires_at: chrono::DateTime<Utc>,
    /// Seconds of inactivity after which the session ends.
    pub idle_timeout_s: i64,
}

/// Log in with login and password; returns a session token.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = LoginRequest,
    responses(
        (status = 201, body = SessionCreated),
        (status = 401, description = "unknown login or wrong password", body = crate::error::ErrorBody),
        (status = 429, description = "too many attempts", body = crate::error::ErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    meta: RequestMeta,
    Json(req): Json<LoginRequest>,
) -> ApiResult<(StatusCode, Json<SessionCreated>)> {
    // The key for rate limiting is the login as typed (lower-cased), valid or not.
    let key = req.login.trim().to_lowercase();
    state
        .limiter
        .admit(&key, &meta.address())
        .map_err(|retry_after| ApiError::RateLimited { retry_after })?;
    let user = match verify(&state, &req).await? {
        Ok(user) => user,
        Err(known) => {
            state.limiter.failed(&key);
            let mut r = audit::record(None, &meta, "session.login", None, false, "bad credentials");
            // A wrong password for an existing account goes in that agency's log, where its
            // auditors can see someone trying; the response does not change.
            if let Some(u) = known {
                r.agency = Some(u.agency);
                r.target = Some(format!("user:{}", u.id));
            }
            audit::append(&state, vec![r]).await?;
            return Err(ApiError::BadCredentials);
        }
    };
    let target = Some(format!("user:{}", user.id));
    let actor = Some((user.id, user.agency));
    if user.disabled {
        let r = audit::record(
            actor,
            &meta,
            "session.login",
            target,
            false,
            "account disabled",
        );
        audit::append(&state, vec![r]).await?;
        return Err(ApiError::Forbidden("the account is disabled".into()));
    }
    let secret = token::generate(SESSION_PREFIX);
    let now = Utc::now();
    let session = Session {
        token_hash: token::digest(&secret),
        user: user.id,
        created_at: now,
        expires_at: now + state.settings.session_lifetime,
        last_seen_at: now,
        address: meta.address(),
    };
    state.sessions.create_session(&session).await?;
    let r = audit::record(
        actor,
        &meta,
        "session.login",
        target,
        true,
        "password verified",
    );
    audit::append(&state, vec![r]).await?;
    Ok((
        StatusCode::CREATED,
        Json(SessionCreated {
            token: secret,
            expires_at: session.expires_at,
            idle_timeout_s: state.settings.session_idle.num_seconds(),
        }),
    ))
}

/// `Ok(user)` if login and password match; otherwise `Err` with the account if it exists —
/// after the same argon2 work either way.
async fn verify(state: &AppState, req: &LoginRequest) -> ApiResult<Result<User, Option<User>>> {
    let found = match req.login.parse::<Login>() {
        Ok(login) => match state.store.credentials(&login).await {
            Ok(c) => Some(c),
            Err(StoreError::NotFound { .. }) => None,
            Err(e) => return Err(e.into()),
        },
        Err(_) => None,
    };
    let password = req.password.clone();
    // argon2 takes tens of milliseconds of CPU: off the async threads.
    tokio::task::spawn_blocking(move || match found {
        Some((user, hash)) => {
            if password::verify(&password, &hash) {
                Ok(user)
            } else {
                Err(Some(user))
            }
        }
        None => {
            password::verify_dummy(&password);
            Err(None)
        }
    })
    .await
    .map_err(ApiError::internal)
}

/// End the session whose token is sent.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = crate::error::ErrorBody)))]
pub async fn logout(State(state): State<AppState>, caller: Caller) -> ApiResult<StatusCode> {
    match caller.credential {
        Credential::Session { token_hash } => {
            crate::auth::cache::end_session(&state, &token_hash).await?;
            Ok(StatusCode::NO_CONTENT)
        }
        Credential::ApiToken { .. } => Err(ApiError::BadRequest(
            "this is an API token, not a session: revoke it with DELETE /api/v1/tokens/{id}".into(),
        )),
    }
}
