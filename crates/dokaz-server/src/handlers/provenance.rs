//! Derivatives and families of evidence items: `POST /api/v1/evidence/{ern}/derivatives`
//! streams a derivative's bytes into the vault (like an upload: outside the request
//! timeout, bounded by the upload limit), and `GET /api/v1/evidence/{ern}/family` lists the
//! members of the item's family the caller may see, each marked when it still lacks a
//! translation into a working language of its case.

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use dokaz_model::{Classification, DerivativeKind, Evidence, Family, Sha256};
use dokaz_store::Page;
use dokaz_vault::DeriveRequest;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::evidence::upload::{body_reader, stream_error, Intake};
use super::evidence::vault;
use crate::authz::{Authorized, Metadata, View, Write};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::listing::{self, PageParams};
use crate::state::AppState;

/// The derivative's metadata, in the query string; the body is its bytes.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DeriveParams {
    /// redacted, translation, transcript, excerpt, working-copy or format-conversion.
    pub kind: String,
    /// The file's name.
    pub name: String,
    /// A translation's language (required) or a transcript's (BCP 47).
    pub language: Option<String>,
    /// What a redaction removed.
    pub what: Option<String>,
    /// An excerpt's time range or pages (required for an excerpt).
    pub range: Option<String>,
    /// Who cut an excerpt (required for an excerpt).
    pub cut_by: Option<String>,
    /// A format conversion's tool (required for one) and parameters.
    pub tool: Option<String>,
    pub parameters: Option<String>,
    /// Who made the derivative.
    pub collector: Option<String>,
    /// open, restricted or sealed (default: the original's).
    pub classification: Option<String>,
    /// The derivative's SHA-256 as recorded by whoever made it; a mismatch stores nothing.
    pub sha256: Option<String>,
    /// Why it was made, for the custody event.
    pub reason: Option<String>,
}

fn kind_of(q: &DeriveParams) -> ApiResult<DerivativeKind> {
    let text = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    let need = |v: &Option<String>, field: &'static str, why: &str| {
        text(v).ok_or_else(|| ApiError::field(field, why.to_owned()))
    };
    Ok(match q.kind.trim() {
        "redacted" => DerivativeKind::Redacted {
            what: text(&q.what).unwrap_or_default(),
        },
        "translation" => DerivativeKind::Translation {
            language: need(&q.language, "language", "a translation needs its language")?,
        },
        "transcript" => DerivativeKind::Transcript {
            language: text(&q.language),
        },
        "excerpt" => DerivativeKind::Excerpt {
            range: need(
                &q.range,
                "range",
                "an excerpt needs its time range or pages",
            )?,
            cut_by: need(&q.cut_by, "cut_by", "an excerpt needs who cut it")?,
        },
        "working-copy" => DerivativeKind::WorkingCopy,
        "format-conversion" => DerivativeKind::FormatConversion {
            tool: need(&q.tool, "tool", "a format conversion needs its tool")?,
            parameters: text(&q.parameters).unwrap_or_default(),
        },
        _ => {
            return Err(ApiError::field(
                "kind",
                format!("must be one of {}", DerivativeKind::CODES.join(", ")),
            ))
        }
    })
}

/// Record the body as a derivative of the item: an item of its own (own hash, ERN with a
/// suffix naming its kind, e.g. `-T1`), linked by a `derive` custody event; the original is
/// not changed. Needs write access to the original.
#[utoipa::path(post, path = "/api/v1/evidence/{ern}/derivatives", tag = "evidence",
    security(("bearer" = [])), params(("ern" = String, Path, description = "the original's ERN"), DeriveParams),
    request_body(content = String, content_type = "application/octet-stream",
        description = "the derivative's bytes"),
    responses((status = 201, body = Intake, description = "the derivative"),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 413, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn derive(
    State(state): State<AppState>,
    a: Authorized<Evidence, Write>,
    Query(q): Query<DeriveParams>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, Json<Intake>)> {
    let vault = vault(&state)?;
    let kind = kind_of(&q)?;
    if q.name.trim().is_empty() {
        return Err(ApiError::field("name", "the file's name is required"));
    }
    let classification = match &q.classification {
        Some(c) => Some(
            c.parse::<Classification>()
                .map_err(|e: String| ApiError::field("classification", e))?,
        ),
        None => None,
    };
    let declared_sha256 = match &q.sha256 {
        Some(h) => Some(
            h.trim()
                .parse::<Sha256>()
                .map_err(|e: String| ApiError::field("sha256", e))?,
        ),
        None => None,
    };
    let req = DeriveRequest {
        kind,
        original_name: q.name.clone(),
        collector: q.collector.clone().unwrap_or_default(),
        classification,
        actor: Some(a.caller.user.id),
        declared_sha256,
        collection: None,
        reason: q.reason.clone().unwrap_or_default(),
    };
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
    let receipt = vault
        .derive(&a.record.ern, reader, req)
        .await
        .map_err(|e| stream_error(&fault, e, max))?;
    Ok((
        StatusCode::CREATED,
        Json(Intake {
            ern: receipt.ern.to_string(),
            sha256: receipt.sha256.to_hex(),
            size: receipt.evidence.size,
            media_type: receipt.evidence.media_type.clone(),
            duplicate_of: None,
            ledger_index: receipt.ledger_index,
            evidence: receipt.evidence,
        }),
    ))
}

/// An item's family as the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FamilyView {
    /// The family's root (the original) ERN.
    pub root: String,
    /// `{"evidence": {...}, "translation_missing": bool}`, root first, then by ERN; only
    /// members the caller may see.
    #[schema(value_type = Vec<Object>)]
    pub members: Vec<dokaz_model::FamilyMember>,
    /// The working languages of the root's case.
    pub working_languages: Vec<String>,
}

/// The item's family: its original and every derivative you may see, each with what it was
/// made from, and marked `translation_missing` while it is in none of its case's working
/// languages and has no translation into one.
#[utoipa::path(get, path = "/api/v1/evidence/{ern}/family", tag = "evidence",
    security(("bearer" = [])), params(("ern" = String, Path, description = "any member's ERN")),
    responses((status = 200, body = FamilyView), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn family(
    State(state): State<AppState>,
    a: Authorized<Evidence, View<Metadata>>,
) -> ApiResult<Json<FamilyView>> {
    let items = vault(&state)?
        .family(&a.record.ern)
        .await
        .map_err(ApiError::from)?;
    let root = a.record.ern.root();
    let working = match items.iter().find(|e| e.ern == root).and_then(|e| e.case) {
        Some(c) => state.store.case(c).await?.working_languages,
        None => vec![],
    };
    // The translations that decide "translation missing" count even where the caller may
    // not see them; the members shown are those the caller may see.
    let all = Family::new(root.clone(), items.clone(), &working);
    let params = PageParams {
        after: None,
        limit: Some(dokaz_store::MAX_PAGE_SIZE),
    };
    let visible = listing::visible(
        &state,
        &a.caller,
        &params,
        |_| {
            let items = items.clone();
            async move { Ok(Page { items, next: None }) }
        },
        |e: &Evidence| e.id.as_uuid(),
    )
    .await?;
    let members = all
        .members
        .into_iter()
        .filter(|m| visible.items.iter().any(|v| v.id == m.evidence.id))
        .collect();
    Ok(Json(FamilyView {
        root: root.to_string(),
        members,
        working_languages: working,
    }))
}
