//! `GET /api/v1/persons/{id}/interview-check`: before a new interview, whether the person —
//! matched across agencies, scripts and spellings — was already interviewed. Decided as
//! `Write` on the person (those who would record the interview); a sealed matching person of
//! another agency is reported by its agency only.

use axum::extract::State;
use dokaz_deconflict::{Deconflictor, InterviewCheck};
use dokaz_model::Person;

use crate::authz::{Authorized, Write};
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::state::AppState;

/// Prior interviews of this person and of matching persons of other agencies: dates,
/// interviewers' functions and topic codes (never content); `{"kind": "sealed", "agency": …}`
/// for a sealed one.
#[utoipa::path(get, path = "/api/v1/persons/{id}/interview-check", tag = "consent",
    security(("bearer" = [])), params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn interview_check(
    State(state): State<AppState>,
    a: Authorized<Person, Write>,
) -> ApiResult<Json<InterviewCheck>> {
    let Some(m) = &state.matching else {
        return Err(ApiError::Internal(
            "this node runs without deconfliction (no matching key)".into(),
        ));
    };
    let d = Deconflictor::new(state.store.as_ref(), (*m.weights).clone(), &m.key);
    let check = d
        .interview_check(&a.record)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Json(check))
}
