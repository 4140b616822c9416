//! The authenticated caller, built in exactly one place from `Authorization: Bearer …`:
//! a session (`dks_…`, absolute and idle lifetime, touched on use) or an API token (`dkt_…`,
//! scoped, expiring, revocable). Anything else — missing, unknown, expired, revoked, a
//! disabled user — is the same 401.
//!
//! It wraps [`dokaz_access::Principal`] rather than being it because axum's extractor trait
//! and `Principal` are both foreign to this crate.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, Method};
use chrono::Utc;
use dokaz_access::Principal;
use dokaz_model::{ApiTokenId, User};
use dokaz_store::StoreError;

use crate::auth::token::{self, API_TOKEN_PREFIX, SESSION_PREFIX};
use crate::error::ApiError;
use crate::state::AppState;

/// Where a request came from, for the audit log.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub address: String,
    pub request_id: String,
}

impl<S: Send + Sync> FromRequestParts<S> for RequestMeta {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(meta(parts))
    }
}

fn meta(parts: &Parts) -> RequestMeta {
    RequestMeta {
        address: parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_default(),
        request_id: parts
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
    }
}

/// How the caller proved who they are.
#[derive(Debug, Clone)]
pub enum Credential {
    Session { token_hash: [u8; 32] },
    ApiToken { id: ApiTokenId, scopes: Vec<String> },
}

#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    pub user: User,
    pub credential: Credential,
    pub meta: RequestMeta,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // Several extractors of one request may ask; authenticate once.
        if let Some(c) = parts.extensions.get::<Caller>() {
            return Ok(c.clone());
        }
        let caller = authenticate(parts, state).await?;
        parts.extensions.insert(caller.clone());
        Ok(caller)
    }
}

/// The bearer secret of a request, if it has one.
pub fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

async fn authenticate(parts: &Parts, state: &AppState) -> Result<Caller, ApiError> {
    let secret = bearer(parts).ok_or(ApiError::Unauthenticated)?;
    let hash = token::digest(secret);
    let now = Utc::now();
    let store = &state.store;
    let (user_id, credential) = if secret.starts_with(SESSION_PREFIX) {
        let s = state
            .sessions
            .session(&hash)
            .await
            .map_err(unknown_is_401)?;
        let idle_end = s.last_seen_at + state.settings.session_idle;
        if now >= s.expires_at || now >= idle_end {
            // Expired: remove it now rather than keep a dead secret around.
            let _ = state.sessions.delete_session(&hash).await;
            return Err(ApiError::Unauthenticated);
        }
        // Touched at most once a minute: the idle limit is in minutes, and a write per
        // request would make every read a database write.
        if now - s.last_seen_at >= chrono::Duration::seconds(60) {
            state.sessions.touch_session(&hash, now).await?;
        }
        (s.user, Credential::Session { token_hash: hash })
    } else if secret.starts_with(API_TOKEN_PREFIX) {
        let t = state
            .sessions
            .api_token(&hash)
            .await
            .map_err(unknown_is_401)?;
        if t.revoked_at.is_some() || t.expires_at.is_some_and(|e| now >= e) {
            return Err(ApiError::Unauthenticated);
        }
        let needed = if is_read(&parts.method) {
            "read"
        } else {
            "write"
        };
        // `write` includes `read`: a script that may change records may also look at them.
        if !t.scopes.iter().any(|s| s == needed || s == "write") {
            return Err(ApiError::Forbidden(format!(
                "this API token lacks the `{needed}` scope"
            )));
        }
        (
            t.user,
            Credential::ApiToken {
                id: t.id,
                scopes: t.scopes,
            },
        )
    } else {
        return Err(ApiError::Unauthenticated);
    };
    let user = store.user(user_id).await.map_err(unknown_is_401)?;
    if user.disabled {
        return Err(ApiError::Unauthenticated);
    }
    Ok(Caller {
        principal: principal_of(&user),
        user,
        credential,
        meta: meta(parts),
    })
}

fn is_read(m: &Method) -> bool {
    matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn unknown_is_401(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound { .. } => ApiError::Unauthenticated,
        other => other.into(),
    }
}

/// The one conversion from a stored user to the subject of access decisions.
pub fn principal_of(user: &User) -> Principal {
    Principal {
        user: user.id,
        agency: user.agency,
        roles: user.roles.clone(),
        identity_cleared: user.identity_cleared,
        disabled: user.disabled,
    }
}
