//! Agencies: every signed-in user may list them (grants name agencies); only a deployment
//! administrator may add one. The deployment administrator is an admin of the node's first
//! agency — the one `dokaz init` made — since that agency runs the node.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use dokaz_model::{Agency, AgencyCode, AgencyId, AgencyKind};
use dokaz_store::{Page, PageRequest};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::authz::require_admin;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::listing::PageParams;
use crate::state::AppState;
use dokaz_access::AdminAction;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAgency {
    /// 2-16 capital letters or digits, starting with a letter; it starts every ERN.
    pub code: String,
    pub name: String,
    /// national-prosecutor, joint-investigation-team, icc-otp, eurojust, europol, police,
    /// ngo or other.
    #[schema(value_type = String)]
    pub kind: AgencyKind,
    #[serde(default)]
    pub country: String,
}

/// Every agency of the deployment.
#[utoipa::path(get, path = "/api/v1/agencies", tag = "agencies", security(("bearer" = [])),
    params(PageParams), responses((status = 200, body = Object)))]
pub async fn list(
    State(state): State<AppState>,
    _caller: Caller,
    Query(p): Query<PageParams>,
) -> ApiResult<Json<Page<Agency>>> {
    Ok(Json(state.store.list_agencies(p.request()?).await?))
}

/// The node's first agency: its admins administer the deployment.
pub async fn deployment_agency(state: &AppState) -> ApiResult<AgencyId> {
    let first = state.store.list_agencies(PageRequest::first(1)).await?;
    first
        .items
        .first()
        .map(|a| a.id)
        .ok_or_else(|| ApiError::Internal("the node has no agency".into()))
}

/// Add an agency (deployment administrators only).
#[utoipa::path(post, path = "/api/v1/agencies", tag = "agencies", security(("bearer" = [])),
    request_body = NewAgency,
    responses((status = 201, body = Object), (status = 403, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(req): Json<NewAgency>,
) -> ApiResult<(StatusCode, Json<Agency>)> {
    let deployment = deployment_agency(&state).await?;
    require_admin(
        &state,
        &caller,
        AdminAction::CreateAgency { deployment },
        "agency.create",
        None,
    )
    .await?;
    let code: AgencyCode = req
        .code
        .parse()
        .map_err(|e: String| ApiError::field("code", e))?;
    if req.name.trim().is_empty() {
        return Err(ApiError::field("name", "must not be empty"));
    }
    let agency = Agency {
        id: AgencyId::new(),
        code,
        name: req.name.trim().to_owned(),
        kind: req.kind,
        country: req.country,
        created_at: Utc::now(),
    };
    state.store.create_agency(&agency).await?;
    Ok((StatusCode::CREATED, Json(agency)))
}
