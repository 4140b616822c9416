//! Liveness and readiness, for load balancers and orchestrators: `/healthz` says the process
//! answers, `/readyz` that its database does too.

use axum::extract::State;
use axum::http::StatusCode;
use dokaz_store::PageRequest;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, description = "up")))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// The database answers.
#[utoipa::path(get, path = "/readyz", tag = "health", responses(
    (status = 200, description = "ready"),
    (status = 500, description = "the database does not answer", body = crate::error::ErrorBody)
))]
pub async fn readyz(State(state): State<AppState>) -> ApiResult<(StatusCode, &'static str)> {
    state
        .store
        .list_agencies(PageRequest::first(1))
        .await
        .map_err(|e| ApiError::Internal(format!("readiness: {e}")))?;
    Ok((StatusCode::OK, "ready"))
}
