//! `POST /api/v1/evidence`: the request body is the file, streamed into the vault (hashed
//! and stored in one pass, never buffered whole); the metadata is in the query. The caller
//! must be allowed to write the item it is creating (its own agency's investigators and
//! prosecutors); a declared hash that does not match refuses the intake with nothing stored.

use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use dokaz_access::{Action, Resource, ResourceKind};
use dokaz_model::{
    Classification, ClockSource, CollectionMethod, CollectionRecord, Ern, Evidence, GrantTarget,
    IncidentId, PersonId, Sha256,
};
use dokaz_store::StoreError;
use dokaz_vault::IntakeRequest;
use futures::StreamExt as _;
use serde::{Deserialize, Serialize};
use tokio_util::io::StreamReader;
use utoipa::{IntoParams, ToSchema};

use super::vault;
use crate::auth::Caller;
use crate::authz::check;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::state::AppState;

/// The item's metadata, in the query string; the body is the bytes.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UploadParams {
    /// The file's original name. Kept as metadata only; never used as a path.
    pub name: String,
    /// The reference of one of your agency's cases; it gives the ERN's middle part.
    pub case: Option<String>,
    /// Ids of your agency's incidents the item documents, comma-separated.
    pub incident: Option<String>,
    /// forensic, open-source, testimony, documentary (default), intercepted or satellite.
    pub method: Option<String>,
    /// Who collected the item.
    pub collector: Option<String>,
    /// Where open-source material was found.
    pub source_url: Option<String>,
    /// open, restricted (default) or sealed.
    pub classification: Option<String>,
    /// The SHA-256 recorded at collection, hex; a mismatch refuses the upload.
    pub sha256: Option<String>,
    /// The collecting tool, for imported captures (default: dokaz itself).
    pub tool: Option<String>,
    pub tool_version: Option<String>,
    /// The collecting machine's host name or address.
    pub host: Option<String>,
    /// When the item was collected (RFC 3339).
    pub collected_at: Option<String>,
    /// device or network: whose clock gave `collected_at`.
    pub clock_source: Option<String>,
    /// For online material: the page's title.
    pub page_title: Option<String>,
    /// For online material: the ERN of the page's HTML source, uploaded before.
    pub html: Option<String>,
    /// For online material: the ERN of the full-page screenshot, uploaded before.
    pub screenshot: Option<String>,
    /// The content's language (BCP 47, e.g. uk).
    pub language: Option<String>,
    /// For a statement: the id of the person who gave it (one of your agency's persons);
    /// their consent then governs its disclosure.
    pub statement_by: Option<String>,
}

/// What an upload produced.
#[derive(Debug, Serialize, ToSchema)]
pub struct Intake {
    #[schema(value_type = Object)]
    pub evidence: Evidence,
    pub ern: String,
    pub sha256: String,
    pub size: u64,
    /// Sniffed from the bytes, not taken from the name.
    pub media_type: String,
    /// Set when your agency already held these bytes: the intake was recorded on that item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    /// The intake event's position in the custody ledger.
    pub ledger_index: u64,
}

/// Why the body stream stopped, when it was not the client's end of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    TooLarge,
    Idle,
    Client,
}

/// Upload an evidence file: the body is its bytes (any size up to the node's limit).
#[utoipa::path(post, path = "/api/v1/evidence", tag = "evidence", security(("bearer" = [])),
    params(UploadParams),
    request_body(content = String, content_type = "application/octet-stream",
        description = "the file's bytes"),
    responses((status = 201, body = Intake, description = "a new item"),
        (status = 200, body = Intake, description = "bytes your agency already held: duplicate_of names the item"),
        (status = 403, body = crate::error::ErrorBody), (status = 413, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<UploadParams>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, Json<Intake>)> {
    let vault = vault(&state)?;
    let req = intake_request(&state, &caller, &q).await?;
    let mut covered_by: Vec<GrantTarget> = req
        .incidents
        .iter()
        .copied()
        .map(GrantTarget::Incident)
        .collect();
    covered_by.extend(req.case.as_ref().map(|(id, _)| GrantTarget::Case(*id)));
    let facts = Resource {
        kind: ResourceKind::Evidence,
        agency: caller.user.agency,
        classification: req.classification,
        consent: None,
        covered_by,
    };
    check(
        &state,
        &caller,
        Action::Write,
        "evidence.create",
        &facts,
        "evidence:new".into(),
    )
    .await?;
    let max = state.settings.max_upload;
    let declared_len = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared_len.is_some_and(|n| n > max) {
        return Err(ApiError::TooLarge(max as usize));
    }
    let fault = Arc::new(Mutex::new(None));
    let reader = body_reader(body, max, state.settings.request_timeout, fault.clone());
    let receipt = match vault.ingest(reader, req).await {
        Ok(r) => r,
        Err(e) => return Err(stream_error(&fault, e, max)),
    };
    crate::deconflict::after_intake(&state, vault.blobs(), &receipt.evidence).await;
    let status = if receipt.duplicate_of.is_some() {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        Json(Intake {
            ern: receipt.ern.to_string(),
            sha256: receipt.sha256.to_hex(),
            size: receipt.evidence.size,
            media_type: receipt.evidence.media_type.clone(),
            duplicate_of: receipt.duplicate_of.map(|e| e.to_string()),
            ledger_index: receipt.ledger_index,
            evidence: receipt.evidence,
        }),
    ))
}

/// What a failed streamed intake tells the client: the body's fault if it had one, else
/// the vault's error.
pub(crate) fn stream_error(
    fault: &Mutex<Option<Fault>>,
    e: dokaz_vault::VaultError,
    max: u64,
) -> ApiError {
    body_fault(fault, max).unwrap_or_else(|| ApiError::from(e))
}

/// The body's fault as the client's error, if the body had one.
pub(crate) fn body_fault(fault: &Mutex<Option<Fault>>, max: u64) -> Option<ApiError> {
    Some(match (*fault.lock().expect("fault lock"))? {
        Fault::TooLarge => ApiError::TooLarge(max as usize),
        Fault::Idle => ApiError::Timeout,
        Fault::Client => {
            ApiError::BadRequest("the upload was interrupted; nothing was stored".into())
        }
    })
}

/// The collection record from the query (dokaz's own when no tool is named).
async fn collection_of(
    state: &AppState,
    agency: dokaz_model::AgencyId,
    q: &UploadParams,
) -> ApiResult<CollectionRecord> {
    let text = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    let mut c = CollectionRecord::dokaz();
    if let Some(tool) = text(&q.tool) {
        c.tool = tool;
        c.tool_version = text(&q.tool_version).unwrap_or_default();
    }
    c.host = text(&q.host);
    c.collected_at = match text(&q.collected_at) {
        Some(t) => Some(
            chrono::DateTime::parse_from_rfc3339(t.trim())
                .map_err(|e| ApiError::field("collected_at", format!("not an RFC 3339 time: {e}")))?
                .with_timezone(&chrono::Utc),
        ),
        None => None,
    };
    c.clock_source = match text(&q.clock_source) {
        Some(s) => Some(
            s.parse::<ClockSource>()
                .map_err(|e| ApiError::field("clock_source", e))?,
        ),
        None => None,
    };
    c.page_title = text(&q.page_title);
    let ern = |field: &'static str, v: &Option<String>| -> ApiResult<Option<Ern>> {
        text(v)
            .map(|s| {
                s.trim()
                    .parse::<Ern>()
                    .map_err(|e| ApiError::field(field, e))
            })
            .transpose()
    };
    c.html = ern("html", &q.html)?;
    c.screenshot = ern("screenshot", &q.screenshot)?;
    c.language = text(&q.language).map(|l| l.trim().to_owned());
    if let Some(raw) = text(&q.statement_by) {
        let unknown = || ApiError::field("statement_by", "no person of your agency with that id");
        let id: PersonId = raw.trim().parse().map_err(|_| unknown())?;
        match state.store.person(id).await {
            Ok(p) if p.agency == agency => c.statement_by = Some(id),
            Ok(_) | Err(StoreError::NotFound { .. }) => return Err(unknown()),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(c)
}

/// The intake request from the query: each field checked, the case and incidents looked up
/// among the caller's agency's own (another agency's ids are answered like unknown ones).
async fn intake_request(
    state: &AppState,
    caller: &Caller,
    q: &UploadParams,
) -> ApiResult<IntakeRequest> {
    let agency = state.store.agency(caller.user.agency).await?;
    if q.name.trim().is_empty() {
        return Err(ApiError::field("name", "the file's name is required"));
    }
    let case = match q.case.as_deref().filter(|c| !c.trim().is_empty()) {
        Some(reference) => match state
            .store
            .case_by_reference(agency.id, reference.trim())
            .await
        {
            Ok(c) => Some((c.id, c.reference)),
            Err(StoreError::NotFound { .. }) => {
                return Err(ApiError::field(
                    "case",
                    "no case of your agency with that reference",
                ))
            }
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    let mut incidents = vec![];
    for raw in q.incident.iter().flat_map(|s| s.split(',')) {
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let unknown = || ApiError::field("incident", format!("no incident of your agency {raw}"));
        let id: IncidentId = raw.parse().map_err(|_| unknown())?;
        match state.store.incident(id).await {
            Ok(i) if i.agency == agency.id => incidents.push(id),
            Ok(_) => return Err(unknown()),
            Err(StoreError::NotFound { .. }) => return Err(unknown()),
            Err(e) => return Err(e.into()),
        }
    }
    let method = match &q.method {
        Some(m) => m
            .parse::<CollectionMethod>()
            .map_err(|e: String| ApiError::field("method", e))?,
        None => CollectionMethod::default(),
    };
    let classification = match &q.classification {
        Some(c) => c
            .parse::<Classification>()
            .map_err(|e: String| ApiError::field("classification", e))?,
        None => Classification::Restricted,
    };
    let declared_sha256 = match &q.sha256 {
        Some(h) => Some(
            h.trim()
                .parse::<Sha256>()
                .map_err(|e: String| ApiError::field("sha256", e))?,
        ),
        None => None,
    };
    Ok(IntakeRequest {
        agency: agency.id,
        agency_code: agency.code,
        case,
        original_name: q.name.clone(),
        collector: q.collector.clone().unwrap_or_default(),
        method,
        source_url: q.source_url.clone().filter(|s| !s.trim().is_empty()),
        incidents,
        classification,
        actor: Some(caller.user.id),
        declared_sha256,
        collection: Some(collection_of(state, agency.id, q).await?),
    })
}

/// The body as a reader, chunk by chunk: at most `max` bytes, and no more than `idle`
/// between two chunks. Why it stopped early goes to `fault`.
pub(crate) fn body_reader(
    body: Body,
    max: u64,
    idle: Duration,
    fault: Arc<Mutex<Option<Fault>>>,
) -> impl tokio::io::AsyncRead + Unpin + Send {
    let stream = futures::stream::unfold(
        (body.into_data_stream(), 0u64, false),
        move |(mut chunks, seen, done)| {
            let fault = fault.clone();
            async move {
                if done {
                    return None;
                }
                let set = |f: Fault| *fault.lock().expect("fault lock") = Some(f);
                let item = match tokio::time::timeout(idle, chunks.next()).await {
                    Err(_) => {
                        set(Fault::Idle);
                        Err(io::Error::new(io::ErrorKind::TimedOut, "upload idle"))
                    }
                    Ok(None) => return None,
                    Ok(Some(Err(e))) => {
                        set(Fault::Client);
                        Err(io::Error::other(e))
                    }
                    Ok(Some(Ok(bytes))) => {
                        let seen = seen + bytes.len() as u64;
                        if seen > max {
                            set(Fault::TooLarge);
                            Err(io::Error::other("upload over the size limit"))
                        } else {
                            return Some((Ok(bytes), (chunks, seen, false)));
                        }
                    }
                };
                Some((item, (chunks, seen, true)))
            }
        },
    );
    StreamReader::new(Box::pin(stream))
}
