//! Grants: the originating agency lets another agency see one of its incidents or cases, at a
//! level, for a purpose, until a date. Granting and revoking are decided as `Share` on the
//! target and always audited; a revocation takes effect on the next request.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use dokaz_access::{Action, Disclosure};
use dokaz_model::{
    Agency, AgencyCode, Case, Grant, GrantId, GrantLevel, GrantTarget, Incident, Purpose,
};
use dokaz_store::{GrantFilter, Page, StoreError};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::authz::{check, Guarded};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::listing::PageParams;
use crate::records::Containers;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGrant {
    /// The receiving agency's code.
    pub grantee: String,
    /// `{"kind": "incident" | "case" | "evidence", "id": "<uuid>"}`.
    #[schema(value_type = Object)]
    pub target: GrantTarget,
    /// metadata, content or download.
    #[schema(value_type = String)]
    pub level: GrantLevel,
    /// Why the grantee may have it; shown in the audit record.
    pub purpose: String,
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    /// The purpose in consent's words — investigation, prosecution, documentation or
    /// research. Required for a statement to reach the grantee: the person's consent must
    /// allow it for this recipient, at the grant and at every read.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub consent_purpose: Option<Purpose>,
}

/// Decides `Share` on a grant's target — with the grantee and purpose of a new grant,
/// `ShareWith`, so a statement's consent is consulted — audited as `name`.
async fn may_share(
    state: &AppState,
    caller: &Caller,
    target: GrantTarget,
    name: &str,
    to: Option<(&Agency, Option<Purpose>)>,
) -> ApiResult<()> {
    let store = state.store.as_ref();
    let agency = caller.user.agency;
    let (facts, label) = match target {
        GrantTarget::Incident(id) => {
            let r = Incident::load(store, &id).await?;
            (
                r.facts(store, agency, &Containers::default()).await?,
                format!("incident:{id}"),
            )
        }
        GrantTarget::Case(id) => {
            let r = Case::load(store, &id).await?;
            (
                r.facts(store, agency, &Containers::default()).await?,
                format!("case:{id}"),
            )
        }
        GrantTarget::Evidence(id) => {
            let r = store.evidence(id).await?;
            let mut facts = r.facts(store, agency, &Containers::default()).await?;
            if let Some((grantee, _)) = to {
                facts.consent = crate::consent::of_evidence(store, &r, grantee.id).await?;
            }
            (facts, format!("evidence:{}", r.ern))
        }
    };
    let action = match to {
        Some((grantee, purpose)) => Action::ShareWith(Disclosure {
            to: grantee.id,
            to_kind: grantee.kind,
            purpose,
        }),
        None => Action::Share,
    };
    check(state, caller, action, name, &facts, label).await?;
    Ok(())
}

/// Grant another agency access to one of your agency's incidents, cases or evidence items.
#[utoipa::path(post, path = "/api/v1/grants", tag = "grants", security(("bearer" = [])),
    request_body = NewGrant,
    responses((status = 201, body = Object), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(req): Json<NewGrant>,
) -> ApiResult<(StatusCode, Json<Grant>)> {
    let code: AgencyCode = req
        .grantee
        .parse()
        .map_err(|e: String| ApiError::field("grantee", e))?;
    let grantee = match state.store.agency_by_code(&code).await {
        Ok(a) => a,
        Err(StoreError::NotFound { .. }) => {
            return Err(ApiError::field("grantee", "no agency with that code"))
        }
        Err(e) => return Err(e.into()),
    };
    may_share(
        &state,
        &caller,
        req.target,
        "grant.create",
        Some((&grantee, req.consent_purpose)),
    )
    .await?;
    let now = Utc::now();
    let grant = Grant {
        id: GrantId::new(),
        grantor: caller.user.agency,
        grantee: grantee.id,
        target: req.target,
        level: req.level,
        purpose: req.purpose.trim().to_owned(),
        consent_purpose: req.consent_purpose,
        expires_at: req.expires_at,
        created_by: caller.user.id,
        created_at: now,
        revoked_at: None,
        revoked_by: None,
    };
    grant.validate(now)?;
    state.grants.create_grant(&grant).await?;
    Ok((StatusCode::CREATED, Json(grant)))
}

/// Revoke a grant your agency gave; it ends with the next request.
#[utoipa::path(delete, path = "/api/v1/grants/{id}", tag = "grants", security(("bearer" = [])),
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<GrantId>,
) -> ApiResult<Json<Grant>> {
    let grant = state.grants.grant(id).await?;
    // A grant between two other agencies is not the caller's business.
    if grant.grantor != caller.user.agency && grant.grantee != caller.user.agency {
        return Err(ApiError::NotFound("no such grant".into()));
    }
    may_share(&state, &caller, grant.target, "grant.revoke", None).await?;
    let revoked = state
        .grants
        .revoke_grant(id, caller.user.id, Utc::now())
        .await?;
    Ok(Json(revoked))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// `given` (by your agency, the default) or `received` (to it).
    pub direction: Option<String>,
    pub after: Option<String>,
    pub limit: Option<u32>,
}

/// Grants your agency gave or received.
#[utoipa::path(get, path = "/api/v1/grants", tag = "grants", security(("bearer" = [])),
    params(ListParams), responses((status = 200, body = Object)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ListParams>,
) -> ApiResult<Json<Page<Grant>>> {
    let own = Some(caller.user.agency);
    let filter = match q.direction.as_deref().unwrap_or("given") {
        "given" => GrantFilter {
            grantor: own,
            grantee: None,
        },
        "received" => GrantFilter {
            grantor: None,
            grantee: own,
        },
        _ => return Err(ApiError::field("direction", "must be given or received")),
    };
    let page = PageParams {
        after: q.after,
        limit: q.limit,
    }
    .request()?;
    Ok(Json(state.grants.list_grants(&filter, page).await?))
}
