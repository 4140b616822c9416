//! Users of the caller's own agency, for its admins: create (with a one-time password shown
//! once), list, disable (which also ends every session at once).

use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use dokaz_model::{Login, Role, User, UserId};
use dokaz_store::{Page, SessionStore, Store};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{password, Caller};
use crate::authz::require_admin;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::listing::PageParams;
use crate::state::AppState;
use dokaz_access::AdminAction;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    /// 2-64 letters, digits or `. _ - @`.
    pub login: String,
    #[serde(default)]
    pub display_name: String,
    /// investigator, analyst, prosecutor, auditor, admin.
    #[schema(value_type = Vec<String>)]
    pub roles: Vec<Role>,
    /// May see protected identities of the agency's persons (investigators, prosecutors).
    #[serde(default)]
    pub identity_cleared: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserCreated {
    #[schema(value_type = Object)]
    pub user: User,
    /// Shown only now; stored only as an argon2id hash.
    pub one_time_password: String,
}

/// Stores a user with a fresh one-time password and returns it: the only moment the password
/// exists in clear. The command line's `init` and `admin user add` use it too.
pub async fn create_with_password(store: &dyn Store, user: &User) -> ApiResult<String> {
    let one_time_password = password::generate();
    let p = one_time_password.clone();
    let hash = tokio::task::spawn_blocking(move || password::hash(&p))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    store.create_user(user, &hash).await?;
    Ok(one_time_password)
}

/// Checks a request for a new user and builds it for `agency`.
pub fn build(req: NewUser, agency: dokaz_model::AgencyId) -> ApiResult<User> {
    let login: Login = req
        .login
        .parse()
        .map_err(|e: String| ApiError::field("login", e))?;
    if req.roles.is_empty() {
        return Err(ApiError::field("roles", "name at least one role"));
    }
    Ok(User {
        id: UserId::new(),
        agency,
        display_name: if req.display_name.trim().is_empty() {
            login.to_string()
        } else {
            req.display_name.trim().to_owned()
        },
        login,
        roles: req.roles,
        identity_cleared: req.identity_cleared,
        disabled: false,
        created_at: Utc::now(),
    })
}

/// Add a user to your agency (admins).
#[utoipa::path(post, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    request_body = NewUser,
    responses((status = 201, body = UserCreated), (status = 403, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(req): Json<NewUser>,
) -> ApiResult<(StatusCode, Json<UserCreated>)> {
    require_admin(
        &state,
        &caller,
        AdminAction::ManageUsers {
            agency: caller.user.agency,
        },
        "user.create",
        Some(format!(
            "login:{}",
            req.login.chars().take(64).collect::<String>()
        )),
    )
    .await?;
    let user = build(req, caller.user.agency)?;
    let one_time_password = create_with_password(state.store.as_ref(), &user).await?;
    Ok((
        StatusCode::CREATED,
        Json(UserCreated {
            user,
            one_time_password,
        }),
    ))
}

/// The users of your agency (admins).
#[utoipa::path(get, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    params(PageParams), responses((status = 200, body = Object)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<PageParams>,
) -> ApiResult<Json<Page<User>>> {
    let own = AdminAction::ManageUsers {
        agency: caller.user.agency,
    };
    require_admin(&state, &caller, own, "user.list", None).await?;
    let page = state
        .store
        .list_users(Some(caller.user.agency), p.request()?)
        .await?;
    Ok(Json(page))
}

/// Disable a user of your agency (admins); their sessions end at once.
#[utoipa::path(post, path = "/api/v1/users/{id}/disable", tag = "users", security(("bearer" = [])),
    params(("id" = String, Path, format = Uuid)),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn disable(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<UserId>,
) -> ApiResult<StatusCode> {
    let target = Some(format!("user:{id}"));
    let own = AdminAction::ManageUsers {
        agency: caller.user.agency,
    };
    require_admin(&state, &caller, own, "user.disable", target).await?;
    let user = state.store.user(id).await?;
    // Another agency's user is not ours to see: not found rather than forbidden.
    if user.agency != caller.user.agency {
        return Err(ApiError::NotFound("no such user".into()));
    }
    crate::auth::cache::disable_user(&state, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Disables a user and ends their sessions in the store; the command line uses it. The
/// server goes through [`crate::auth::cache::disable_user`], which also forgets the user's
/// cached credentials.
pub async fn disable_user(
    store: &dyn Store,
    sessions: &dyn SessionStore,
    id: UserId,
) -> ApiResult<u64> {
    store.set_user_disabled(id, true).await?;
    Ok(sessions.delete_user_sessions(id).await?)
}
