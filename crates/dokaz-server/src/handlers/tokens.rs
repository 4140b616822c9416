//! API tokens for scripts: named, scoped (`read`, `write`), optionally expiring, revocable.
//! The secret is shown once, at creation; only its hash is kept. A user manages their own.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use dokaz_model::ApiTokenId;
use dokaz_store::{ApiToken, SessionStore};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::token::{self, API_TOKEN_PREFIX};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::state::AppState;

pub const SCOPES: [&str; 2] = ["read", "write"];

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// A name to recognise the token by, unique per user.
    pub name: String,
    /// `read` (GET only) and/or `write`.
    pub scopes: Vec<String>,
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

/// A token as listed: never its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenInfo {
    #[schema(value_type = String, format = Uuid)]
    pub id: ApiTokenId,
    pub name: String,
    pub scopes: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<ApiToken> for TokenInfo {
    fn from(t: ApiToken) -> Self {
        Self {
            id: t.id,
            name: t.name,
            scopes: t.scopes,
            created_at: t.created_at,
            expires_at: t.expires_at,
            revoked_at: t.revoked_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenCreated {
    #[serde(flatten)]
    pub info: TokenInfo,
    /// Send as `Authorization: Bearer <token>`. Shown only now.
    pub token: String,
}

/// Builds and stores a token for a user; the command line uses it too.
pub async fn issue(
    sessions: &dyn SessionStore,
    user: dokaz_model::UserId,
    req: NewToken,
) -> ApiResult<TokenCreated> {
    let mut p = dokaz_model::Problems::new();
    let name = req.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        p.push("name", "must be 1-100 characters");
    }
    if req.scopes.is_empty() {
        p.push("scopes", "name at least one scope: read or write");
    }
    for (i, s) in req.scopes.iter().enumerate() {
        if !SCOPES.contains(&s.as_str()) {
            p.push(format!("scopes[{i}]"), "must be read or write");
        }
    }
    let now = Utc::now();
    if req.expires_at.is_some_and(|e| e <= now) {
        p.push("expires_at", "must be in the future");
    }
    p.into_result()?;
    let secret = token::generate(API_TOKEN_PREFIX);
    let t = ApiToken {
        id: ApiTokenId::new(),
        user,
        name,
        token_hash: token::digest(&secret),
        scopes: req.scopes,
        created_at: now,
        expires_at: req.expires_at,
        revoked_at: None,
    };
    sessions.create_api_token(&t).await?;
    Ok(TokenCreated {
        info: t.into(),
        token: secret,
    })
}

/// Create an API token for yourself.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens", request_body = NewToken,
    security(("bearer" = [])),
    responses((status = 201, body = TokenCreated), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(req): Json<NewToken>,
) -> ApiResult<(StatusCode, Json<TokenCreated>)> {
    let created = issue(state.sessions.as_ref(), caller.user.id, req).await?;
    record(&state, &caller, "token.create", created.info.id).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Your API tokens.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens", security(("bearer" = [])),
    responses((status = 200, body = Vec<TokenInfo>)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<TokenInfo>>> {
    let tokens = state.sessions.list_api_tokens(caller.user.id).await?;
    Ok(Json(tokens.into_iter().map(TokenInfo::from).collect()))
}

/// Revoke one of your API tokens; it stops working at once.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens", security(("bearer" = [])),
    params(("id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<ApiTokenId>,
) -> ApiResult<StatusCode> {
    // Only the owner's own tokens: another user's id is "not found", not "forbidden".
    let mine = state.sessions.list_api_tokens(caller.user.id).await?;
    if !mine.iter().any(|t| t.id == id) {
        return Err(ApiError::NotFound("no such API token".into()));
    }
    crate::auth::cache::revoke_token(&state, id, Utc::now()).await?;
    record(&state, &caller, "token.revoke", id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Credentials made and ended are on record, like logins.
async fn record(state: &AppState, caller: &Caller, action: &str, id: ApiTokenId) -> ApiResult<()> {
    let r = crate::audit::record(
        Some((caller.user.id, caller.user.agency)),
        &caller.meta,
        action,
        Some(format!("token:{id}")),
        true,
        "own token",
    );
    crate::audit::append(state, vec![r]).await
}
