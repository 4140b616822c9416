//! Military and armed units, with their names and numbers.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use dokaz_access::{Action, Resource, ResourceKind};
use dokaz_model::{Classification, Unit, UnitId};
use dokaz_store::Page;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::authz::{check, Authorized, Metadata, View, Write};
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::listing::{self, PageParams};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitInput {
    /// Every name seen, in any script; the first is the display name.
    pub names: Vec<String>,
    /// Unit numbers and designators, e.g. `в/ч 12345`.
    #[serde(default)]
    pub numbers: Vec<String>,
    #[serde(default)]
    pub affiliation: String,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub parent: Option<UnitId>,
    #[serde(default)]
    #[schema(value_type = String)]
    pub classification: Classification,
}

/// Record a unit for your agency.
#[utoipa::path(post, path = "/api/v1/units", tag = "units", security(("bearer" = [])),
    request_body = UnitInput,
    responses((status = 201, body = Object), (status = 403, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<UnitInput>,
) -> ApiResult<(StatusCode, Json<Unit>)> {
    let now = Utc::now();
    let unit = Unit {
        id: UnitId::new(),
        agency: caller.user.agency,
        names: input.names,
        numbers: input.numbers,
        affiliation: input.affiliation,
        parent: input.parent,
        classification: input.classification,
        created_at: now,
        updated_at: now,
    };
    let facts = Resource {
        kind: ResourceKind::Unit,
        agency: unit.agency,
        classification: unit.classification,
        consent: None,
        covered_by: vec![],
    };
    check(
        &state,
        &caller,
        Action::Write,
        "unit.create",
        &facts,
        format!("unit:{}", unit.id),
    )
    .await?;
    unit.validate()?;
    state.store.create_unit(&unit).await?;
    crate::deconflict::after_write(&state, dokaz_deconflict::Written::Unit(&unit)).await;
    Ok((StatusCode::CREATED, Json(unit)))
}

/// One unit.
#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "units", security(("bearer" = [])),
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(a: Authorized<Unit, View<Metadata>>) -> Json<Unit> {
    Json(a.record)
}

/// Replace a unit's record; id, agency and creation stay.
#[utoipa::path(put, path = "/api/v1/units/{id}", tag = "units", security(("bearer" = [])),
    params(("id" = String, Path, format = Uuid)), request_body = UnitInput,
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn replace(
    State(state): State<AppState>,
    a: Authorized<Unit, Write>,
    Json(input): Json<UnitInput>,
) -> ApiResult<Json<Unit>> {
    let unit = Unit {
        id: a.record.id,
        agency: a.record.agency,
        names: input.names,
        numbers: input.numbers,
        affiliation: input.affiliation,
        parent: input.parent,
        classification: input.classification,
        created_at: a.record.created_at,
        updated_at: Utc::now(),
    };
    unit.validate()?;
    state.store.update_unit(&unit).await?;
    crate::deconflict::after_write(&state, dokaz_deconflict::Written::Unit(&unit)).await;
    Ok(Json(unit))
}

/// The units you may see.
#[utoipa::path(get, path = "/api/v1/units", tag = "units", security(("bearer" = [])),
    params(PageParams), responses((status = 200, body = Object)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<PageParams>,
) -> ApiResult<Json<Page<Unit>>> {
    let store = state.store.clone();
    let page = listing::visible(
        &state,
        &caller,
        &p,
        |req| {
            let store = store.clone();
            async move { store.list_units(None, req).await }
        },
        |u: &Unit| u.id.as_uuid(),
    )
    .await?;
    Ok(Json(page))
}
