//! The authenticated caller, built in exactly one place from `Authorization: Bearer …`:
//! a session (`dks_…`, absolute and idle lifetime, touched on use) or an API token (`dkt_…`,
//! scoped, expiring, revocable). Anything else — missing, unknown, expired, revoked, a
//! disabled user — is the same 401.
//!
//! It wraps [`dokaz_access::Principal`] rather than being it because axum's extractor trait
//! and `Principal` are both foreign to this crate.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method};
use chrono::{DateTime, Utc};
use dokaz_access::Principal;
use dokaz_model::{ApiTokenId, User};
use dokaz_store::StoreError;

use crate::auth::cache::{Known, Lookup, Stored};
use crate::auth::token::{self, API_TOKEN_PREFIX, SESSION_PREFIX};
use crate::error::ApiError;
use crate::state::AppState;

/// Where a request came from, for the audit log. Kept as the request has it and turned into
/// text only when a record is written: most requests write none.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    ip: Option<IpAddr>,
    request_id: Option<HeaderValue>,
}

impl RequestMeta {
    /// The client's address, empty when unknown.
    pub fn address(&self) -> String {
        self.ip.map(|ip| ip.to_string()).unwrap_or_default()
    }

    /// The request id (`x-request-id`), empty when there is none.
    pub fn request_id(&self) -> &str {
        self.request_id
            .as_ref()
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestMeta {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(meta(parts))
    }
}

fn meta(parts: &Parts) -> RequestMeta {
    RequestMeta {
        ip: parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip()),
        request_id: parts.headers.get("x-request-id").cloned(),
    }
}

/// How the caller proved who they are.
#[derive(Debug, Clone)]
pub enum Credential {
    Session { token_hash: [u8; 32] },
    ApiToken { id: ApiTokenId, scopes: Vec<String> },
}

/// Cheap to clone (the user is shared): axum's extractors of one request each take a copy.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    pub user: Arc<User>,
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
    let is_session = secret.starts_with(SESSION_PREFIX);
    if !is_session && !secret.starts_with(API_TOKEN_PREFIX) {
        return Err(ApiError::Unauthenticated);
    }
    let hash = token::digest(secret);
    let now = Utc::now();
    let (found, generation) = state.credentials.lookup(&hash);
    let known = match found {
        Lookup::Fresh(k) => k,
        stale_or_missing => {
            let cached = match stale_or_missing {
                Lookup::Stale(k) => Some(k),
                _ => None,
            };
            let k = load(state, is_session, &hash, cached).await?;
            state.credentials.store(hash, k.clone(), generation);
            k
        }
    };
    // Every check below runs on every request, cached or not: the cache holds facts only.
    let credential = match &known.stored {
        Stored::Session {
            expires_at,
            last_seen,
            ..
        } => {
            if now >= *expires_at || now >= *last_seen + state.settings.session_idle {
                // Expired: remove it now rather than keep a dead secret around.
                state.credentials.forget_secret(&hash);
                let _ = state.sessions.delete_session(&hash).await;
                return Err(ApiError::Unauthenticated);
            }
            Credential::Session { token_hash: hash }
        }
        Stored::ApiToken {
            id,
            scopes,
            expires_at,
            revoked,
        } => {
            if *revoked || expires_at.is_some_and(|e| now >= e) {
                state.credentials.forget_secret(&hash);
                return Err(ApiError::Unauthenticated);
            }
            let needed = if is_read(&parts.method) {
                "read"
            } else {
                "write"
            };
            // `write` includes `read`: a script that may change records may also look at them.
            if !scopes.iter().any(|s| s == needed || s == "write") {
                return Err(ApiError::Forbidden(format!(
                    "this API token lacks the `{needed}` scope"
                )));
            }
            Credential::ApiToken {
                id: *id,
                scopes: scopes.clone(),
            }
        }
    };
    if known.user.disabled {
        state.credentials.forget_secret(&hash);
        return Err(ApiError::Unauthenticated);
    }
    if matches!(credential, Credential::Session { .. }) && state.credentials.seen(&hash, now) {
        touch(state, &hash, now).await?;
    }
    Ok(Caller {
        principal: principal_of(&known.user),
        user: known.user,
        credential,
        meta: meta(parts),
    })
}

/// Reads a credential and its user from the store. `cached` is the stale entry, if any:
/// requests it served since it was read count for the idle limit.
async fn load(
    state: &AppState,
    is_session: bool,
    hash: &[u8; 32],
    cached: Option<Known>,
) -> Result<Known, ApiError> {
    let (user, stored) = if is_session {
        let s = state.sessions.session(hash).await.map_err(unknown_is_401)?;
        let seen_here = match cached.map(|k| k.stored) {
            Some(Stored::Session { last_seen, .. }) => last_seen,
            _ => s.last_seen_at,
        };
        let stored = Stored::Session {
            expires_at: s.expires_at,
            last_seen: seen_here.max(s.last_seen_at),
            persisted: s.last_seen_at,
        };
        (s.user, stored)
    } else {
        let t = state
            .sessions
            .api_token(hash)
            .await
            .map_err(unknown_is_401)?;
        let stored = Stored::ApiToken {
            id: t.id,
            scopes: t.scopes,
            expires_at: t.expires_at,
            revoked: t.revoked_at.is_some(),
        };
        (t.user, stored)
    };
    let user = state.store.user(user).await.map_err(unknown_is_401)?;
    Ok(Known {
        user: Arc::new(user),
        stored,
    })
}

/// Writes a session's `last_seen_at` (at most once per
/// [`TOUCH_EVERY`](crate::auth::cache::TOUCH_EVERY)). A session gone from the store — ended
/// on another node — is forgotten here too.
async fn touch(state: &AppState, hash: &[u8; 32], now: DateTime<Utc>) -> Result<(), ApiError> {
    match state.sessions.touch_session(hash, now).await {
        Ok(()) => Ok(()),
        Err(StoreError::NotFound { .. }) => {
            state.credentials.forget_secret(hash);
            Err(ApiError::Unauthenticated)
        }
        Err(e) => Err(e.into()),
    }
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
