//! Incidents. Reading is split by grant level: `GET /incidents/{id}` is the metadata (what,
//! where, when, harm — without narratives), `GET /incidents/{id}/narratives` the content, so a
//! metadata grant shows the record without its testimony. Writing is for the owning agency's
//! investigators and prosecutors.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use dokaz_access::{Action, Resource, ResourceKind};
use dokaz_model::{AgencyCode, GrantTarget, Incident, Narrative, NewIncident, Validated};
use dokaz_store::{IncidentFilter, Page};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::authz::{check, Authorized, Content, Metadata, View, Write};
use crate::error::{ApiError, ApiResult};
use crate::extract::{self, Json, Query};
use crate::listing::{self, PageParams};
use crate::records::SharedIncident;
use crate::state::AppState;

/// An incident as written, with the warnings that did not stop it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Saved {
    #[schema(value_type = Object)]
    pub incident: Incident,
    #[schema(value_type = Object)]
    pub validation: Validated,
}

/// The metadata view: everything but the narratives.
fn metadata(mut i: Incident) -> Incident {
    i.narratives.clear();
    i
}

/// Record an incident for your agency.
#[utoipa::path(post, path = "/api/v1/incidents", tag = "incidents", security(("bearer" = [])),
    request_body(content = Object, description = "a NewIncident"),
    responses((status = 201, body = Saved), (status = 403, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(new): Json<NewIncident>,
) -> ApiResult<(StatusCode, Json<Saved>)> {
    let incident = new.into_incident(caller.user.agency, Some(caller.user.id), Utc::now());
    let facts = Resource {
        kind: ResourceKind::Incident,
        agency: incident.agency,
        classification: incident.classification,
        consent: None,
        covered_by: vec![GrantTarget::Incident(incident.id)],
    };
    let target = format!("incident:{}", incident.id);
    check(
        &state,
        &caller,
        Action::Write,
        "incident.create",
        &facts,
        target,
    )
    .await?;
    let validation = incident.validate(Utc::now())?;
    state.store.create_incident(&incident).await?;
    crate::deconflict::after_write(&state, dokaz_deconflict::Written::Incident(&incident)).await;
    Ok((
        StatusCode::CREATED,
        Json(Saved {
            incident,
            validation,
        }),
    ))
}

/// One incident's metadata.
#[utoipa::path(get, path = "/api/v1/incidents/{id}", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(a: Authorized<SharedIncident, View<Metadata>>) -> Json<MetadataBody> {
    Json(MetadataBody(a.record.0))
}

/// The metadata view, written straight from the shared record (see [`Incident::metadata`]).
#[derive(Debug)]
pub struct MetadataBody(Arc<Incident>);

impl Serialize for MetadataBody {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.metadata().serialize(s)
    }
}

/// One incident's narratives (its content).
#[utoipa::path(get, path = "/api/v1/incidents/{id}/narratives", tag = "incidents",
    security(("bearer" = [])), params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn narratives(a: Authorized<Incident, View<Content>>) -> Json<Vec<Narrative>> {
    Json(a.record.narratives)
}

/// Replace an incident with a new submission; id, agency and creation stay.
#[utoipa::path(put, path = "/api/v1/incidents/{id}", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, format = Uuid)),
    request_body(content = Object, description = "a NewIncident"),
    responses((status = 200, body = Saved), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn replace(
    State(state): State<AppState>,
    a: Authorized<Incident, Write>,
    Json(new): Json<NewIncident>,
) -> ApiResult<Json<Saved>> {
    let old = a.record;
    let mut next = new.into_incident(old.agency, old.created_by, old.created_at);
    next.id = old.id;
    next.perpetrator_units = old.perpetrator_units;
    next.persons = old.persons;
    save(&state, next).await
}

/// Change some fields of an incident (JSON merge patch, RFC 7396).
#[utoipa::path(patch, path = "/api/v1/incidents/{id}", tag = "incidents", security(("bearer" = [])),
    params(("id" = String, Path, format = Uuid)),
    request_body(content = Object, description = "a JSON merge patch of the incident"),
    responses((status = 200, body = Saved), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn patch(
    State(state): State<AppState>,
    a: Authorized<Incident, Write>,
    Json(patch): Json<serde_json::Value>,
) -> ApiResult<Json<Saved>> {
    let old = a.record;
    let serde_json::Value::Object(fields) = &patch else {
        return Err(ApiError::field(
            "body",
            "a merge patch must be a JSON object",
        ));
    };
    for fixed in ["id", "agency", "created_by", "created_at", "updated_at"] {
        if fields.contains_key(fixed) {
            return Err(ApiError::field(
                fixed,
                "is set by dokaz and cannot be changed",
            ));
        }
    }
    let mut doc = serde_json::to_value(&old).map_err(ApiError::internal)?;
    merge(&mut doc, &patch);
    let bytes = serde_json::to_vec(&doc).map_err(ApiError::internal)?;
    let next: Incident = extract::parse(&bytes)?;
    save(&state, next).await
}

fn merge(doc: &mut serde_json::Value, patch: &serde_json::Value) {
    match (doc, patch) {
        (serde_json::Value::Object(d), serde_json::Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    d.remove(k);
                } else {
                    merge(d.entry(k.clone()).or_insert(serde_json::Value::Null), v);
                }
            }
        }
        (d, p) => *d = p.clone(),
    }
}

async fn save(state: &AppState, mut next: Incident) -> ApiResult<Json<Saved>> {
    next.updated_at = Utc::now();
    let validation = next.validate(Utc::now())?;
    state.store.update_incident(&next).await?;
    crate::deconflict::after_write(state, dokaz_deconflict::Written::Incident(&next)).await;
    Ok(Json(Saved {
        incident: next,
        validation,
    }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// Only this agency's incidents, by code.
    pub agency: Option<String>,
    /// Incidents whose time range ends at or after this.
    pub from: Option<DateTime<Utc>>,
    /// Incidents whose time range starts before this.
    pub to: Option<DateTime<Utc>>,
    pub after: Option<String>,
    pub limit: Option<u32>,
}

/// The incidents you may see (metadata), oldest first, keyset-paged.
#[utoipa::path(get, path = "/api/v1/incidents", tag = "incidents", security(("bearer" = [])),
    params(ListParams), responses((status = 200, body = Object), (status = 422, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ListParams>,
) -> ApiResult<Json<Page<Incident>>> {
    let agency = match &q.agency {
        Some(code) => {
            let code: AgencyCode = code
                .parse()
                .map_err(|e: String| ApiError::field("agency", e))?;
            Some(
                state
                    .store
                    .agency_by_code(&code)
                    .await
                    .map_err(|e| match e {
                        dokaz_store::StoreError::NotFound { .. } => {
                            ApiError::field("agency", "no agency with that code")
                        }
                        other => other.into(),
                    })?
                    .id,
            )
        }
        None => None,
    };
    let filter = IncidentFilter {
        agency,
        occurred_from: q.from,
        occurred_to: q.to,
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
            async move { store.list_incidents(&filter, p).await }
        },
        |i: &Incident| i.id.as_uuid(),
    )
    .await?;
    Ok(Json(Page {
        items: page.items.into_iter().map(metadata).collect(),
        next: page.next,
    }))
}
