//! Evidence: streaming upload into the vault, the item's metadata, custody history and
//! inclusion proofs, the list of visible items, and the download (in [`download`]). The
//! bytes go straight from the request body into `Vault::ingest`, never held whole in memory;
//! the upload route is mounted outside the request timeout (see [`uploads`]) and bounded by
//! [`crate::Settings::max_upload`] and an idle timeout instead.

pub mod download;
pub mod upload;

use axum::extract::State;
use axum::routing::post;
use axum::Router;
use dokaz_model::{AgencyCode, CaseId, CustodyEvent, Evidence, IncidentId};
use dokaz_store::{EvidenceFilter, Page};
use dokaz_vault::{ItemProof, Vault};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::authz::{Authorized, Metadata, View};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::listing::{self, PageParams};
use crate::state::AppState;

pub use download::content;
pub use upload::{upload, Intake, UploadParams};

/// The upload route. It is merged into the application outside the request timeout and the
/// JSON body limit: an upload of many gigabytes takes longer than any request timeout, so it
/// has its own size limit and a timeout between body chunks instead.
pub fn uploads() -> Router<AppState> {
    Router::new().route("/api/v1/evidence", post(upload)).route(
        "/api/v1/evidence/{ern}/derivatives",
        post(crate::handlers::provenance::derive),
    )
}

/// The node's vault, or a clear error on a node that has none.
pub(crate) fn vault(state: &AppState) -> ApiResult<&Vault> {
    state
        .vault
        .as_ref()
        .ok_or_else(|| ApiError::Internal("this node has no evidence vault configured".into()))
}

/// One item's metadata.
#[utoipa::path(get, path = "/api/v1/evidence/{ern}", tag = "evidence", security(("bearer" = [])),
    params(("ern" = String, Path, description = "the item's ERN, e.g. UAPGO-12022.100-000001")),
    responses((status = 200, body = Object), (status = 400, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(a: Authorized<Evidence, View<Metadata>>) -> Json<Evidence> {
    Json(a.record)
}

/// A custody event with its position in the ledger.
#[derive(Debug, Serialize, ToSchema)]
pub struct Custody {
    pub ledger_index: u64,
    #[schema(value_type = Object)]
    pub event: CustodyEvent,
}

/// The item's chain of custody, oldest first.
#[utoipa::path(get, path = "/api/v1/evidence/{ern}/custody", tag = "evidence",
    security(("bearer" = [])), params(("ern" = String, Path)),
    responses((status = 200, body = [Custody]), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn custody(
    State(state): State<AppState>,
    a: Authorized<Evidence, View<Metadata>>,
) -> ApiResult<Json<Vec<Custody>>> {
    let history = vault(&state)?
        .history(&a.record.ern)
        .await
        .map_err(ApiError::from)?;
    Ok(Json(
        history
            .into_iter()
            .map(|r| Custody {
                ledger_index: r.ledger_index,
                event: r.event,
            })
            .collect(),
    ))
}

/// Inclusion proofs of every custody entry of the item against the latest signed checkpoint;
/// checkable offline with the node's public key.
#[utoipa::path(get, path = "/api/v1/evidence/{ern}/proof", tag = "evidence",
    security(("bearer" = [])), params(("ern" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn proof(
    State(state): State<AppState>,
    a: Authorized<Evidence, View<Metadata>>,
) -> ApiResult<Json<ItemProof>> {
    let proof = vault(&state)?
        .prove(&a.record.ern)
        .await
        .map_err(ApiError::from)?;
    Ok(Json(proof))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// Only this agency's items, by code.
    pub agency: Option<String>,
    /// Only items of this case (its id).
    #[param(value_type = Option<String>, format = Uuid)]
    pub case: Option<CaseId>,
    /// Only items linked to this incident (its id).
    #[param(value_type = Option<String>, format = Uuid)]
    pub incident: Option<IncidentId>,
    pub after: Option<String>,
    pub limit: Option<u32>,
}

/// The evidence items you may see (metadata), keyset-paged.
#[utoipa::path(get, path = "/api/v1/evidence", tag = "evidence", security(("bearer" = [])),
    params(ListParams), responses((status = 200, body = Object),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ListParams>,
) -> ApiResult<Json<Page<Evidence>>> {
    let agency = match &q.agency {
        Some(code) => {
            let code: AgencyCode = code
                .parse()
                .map_err(|e: String| ApiError::field("agency", e))?;
            match state.store.agency_by_code(&code).await {
                Ok(a) => Some(a.id),
                Err(dokaz_store::StoreError::NotFound { .. }) => {
                    return Err(ApiError::field("agency", "no agency with that code"))
                }
                Err(e) => return Err(e.into()),
            }
        }
        None => None,
    };
    let filter = EvidenceFilter {
        agency,
        case: q.case,
        incident: q.incident,
        sha256: None,
    };
    let params = PageParams {
        after: q.after,
        limit: q.limit,
    };
    let store = state.store.clone();
    let page = listing::visible(
        &state,
        &caller,
        &params,
        |p| {
            let (store, filter) = (store.clone(), filter.clone());
            async move { store.list_evidence(&filter, p).await }
        },
        |e: &Evidence| e.id.as_uuid(),
    )
    .await?;
    Ok(Json(page))
}
