//! Cases: an agency's investigations. Readable as other records are; a grant on a case also
//! covers the incidents it lists and the persons it names as suspects.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use dokaz_access::{Action, Resource, ResourceKind};
use dokaz_model::{
    Case, CaseId, CaseStatus, Classification, GrantTarget, IncidentId, PersonId, UserId,
};
use dokaz_store::Page;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::authz::{check, Authorized, Metadata, View, Write};
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::listing::{self, PageParams};
use crate::state::AppState;

/// A case as submitted.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseInput {
    /// The agency's case number: letters, digits, `- _ / .`; unique in the agency.
    pub reference: String,
    pub title: String,
    #[serde(default)]
    #[schema(value_type = String)]
    pub status: CaseStatus,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub lead: Option<UserId>,
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub incidents: Vec<IncidentId>,
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub suspects: Vec<PersonId>,
    #[serde(default)]
    pub working_languages: Vec<String>,
    #[serde(default)]
    #[schema(value_type = String)]
    pub classification: Classification,
}

impl CaseInput {
    fn into_case(
        self,
        id: CaseId,
        agency: dokaz_model::AgencyId,
        created: chrono::DateTime<Utc>,
    ) -> Case {
        Case {
            id,
            agency,
            reference: self.reference,
            title: self.title,
            status: self.status,
            lead: self.lead,
            incidents: self.incidents,
            suspects: self.suspects,
            working_languages: self.working_languages,
            classification: self.classification,
            created_at: created,
            updated_at: Utc::now(),
        }
    }
}

/// Open a case for your agency.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", security(("bearer" = [])),
    request_body = CaseInput,
    responses((status = 201, body = Object), (status = 403, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<CaseInput>,
) -> ApiResult<(StatusCode, Json<Case>)> {
    let case = input.into_case(CaseId::new(), caller.user.agency, Utc::now());
    let facts = Resource {
        kind: ResourceKind::Case,
        agency: case.agency,
        classification: case.classification,
        consent: None,
        covered_by: vec![GrantTarget::Case(case.id)],
    };
    check(
        &state,
        &caller,
        Action::Write,
        "case.create",
        &facts,
        format!("case:{}", case.id),
    )
    .await?;
    case.validate()?;
    state.store.create_case(&case).await?;
    Ok((StatusCode::CREATED, Json(case)))
}

/// One case.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases", security(("bearer" = [])),
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(a: Authorized<Case, View<Metadata>>) -> Json<Case> {
    Json(a.record)
}

/// Replace a case; id, agency and creation stay.
#[utoipa::path(put, path = "/api/v1/cases/{id}", tag = "cases", security(("bearer" = [])),
    params(("id" = String, Path, format = Uuid)), request_body = CaseInput,
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn replace(
    State(state): State<AppState>,
    a: Authorized<Case, Write>,
    Json(input): Json<CaseInput>,
) -> ApiResult<Json<Case>> {
    let case = input.into_case(a.record.id, a.record.agency, a.record.created_at);
    case.validate()?;
    state.store.update_case(&case).await?;
    Ok(Json(case))
}

/// The cases you may see.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", security(("bearer" = [])),
    params(PageParams), responses((status = 200, body = Object)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<PageParams>,
) -> ApiResult<Json<Page<Case>>> {
    let store = state.store.clone();
    let page = listing::visible(
        &state,
        &caller,
        &p,
        |req| {
            let store = store.clone();
            async move { store.list_cases(None, req).await }
        },
        |c: &Case| c.id.as_uuid(),
    )
    .await?;
    Ok(Json(page))
}
