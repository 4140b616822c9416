//! Bulk import and export of registry records over HTTP, with the same importer and exporter
//! as `dokaz import` and `dokaz export`, under the caller's rights.
//!
//! `POST /api/v1/import/{kind}`: the body is the file (CSV or JSON Lines, any size up to the
//! node's upload limit), spooled to a temporary file because the importer reads it twice — once
//! to check every row, once to write — so that nothing is written unless every row is valid
//! (or `skip_invalid` is asked for). Records go to the caller's agency; only its investigators
//! and prosecutors may import. What the import wrote is matched against the other agencies'
//! records like any other write.
//!
//! `GET /api/v1/export/{kind}`: the records the caller may see, identities as the caller may
//! see them, with their external ids. The file is written in full before the answer starts, so
//! that the audit record — durable before a byte leaves — can say how many records went out
//! and how many were withheld.

use std::io::{BufReader, BufWriter, Seek, Write};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use dokaz_access::{Action, Resource, ResourceKind};
use dokaz_import::disclose::{self, Selection, Viewer};
use dokaz_import::export::{ExportFormat, Exporter};
use dokaz_import::sync::{self, Action as RowAction, RowOutcome, SyncOptions};
use dokaz_import::{Context, Encoding, Format, Kind, Mapping, ReadOptions, RowReader};
use dokaz_model::{AgencyId, Classification, Problem};
use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt as _;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::evidence::upload::{body_fault, body_reader};
use crate::audit;
use crate::auth::Caller;
use crate::authz::check;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

/// The routes, outside the request timeout and the JSON body limit: an import streams for as
/// long as its file takes, bounded by the node's upload limit instead.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/import/{kind}", post(import))
        .route("/api/v1/export/{kind}", get(export))
}

fn kind_of(code: &str) -> ApiResult<Kind> {
    Kind::from_code(code).ok_or_else(|| {
        ApiError::NotFound(format!(
            "no record kind {code:?}: incidents, persons, units, cases or links"
        ))
    })
}

/// The kind of resource whose write (or read) rights an import (or export) of `kind` needs.
/// Links join an agency's own incidents, persons and cases: writing them is writing incidents.
fn resource_kind(kind: Kind) -> ResourceKind {
    match kind {
        Kind::Incidents | Kind::Links => ResourceKind::Incident,
        Kind::Persons => ResourceKind::Person,
        Kind::Units => ResourceKind::Unit,
        Kind::Cases => ResourceKind::Case,
    }
}

/// How to read the file; every field is optional.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ImportParams {
    /// csv (default) or jsonl.
    pub format: Option<String>,
    /// The name of the source the rows' ids belong to (default: the mapping's, else
    /// `import`). Give each spreadsheet its own, and keep it from one sync to the next.
    pub source: Option<String>,
    /// A shipped column mapping: uwazi, atlos, auto-archiver or generic.
    pub mapping: Option<String>,
    /// utf-8 or windows-1251 (default: detected).
    pub encoding: Option<String>,
    /// The CSV delimiter: one character, or `tab` (default: detected from the header).
    pub delimiter: Option<String>,
    /// Report what would be created, updated and refused, per row, and write nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Import the valid rows and report the invalid ones, instead of importing nothing.
    #[serde(default)]
    pub skip_invalid: bool,
}

/// One refused row's problem.
#[derive(Debug, Serialize, ToSchema)]
pub struct RowProblem {
    pub line: u64,
    pub field: String,
    pub reason: String,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    pub kind: String,
    pub source: String,
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub refused: u64,
    /// Whether anything was written: false for a dry run and for a refused file.
    pub written: bool,
    /// Every problem of every refused row.
    pub errors: Vec<RowProblem>,
    /// Warnings that did not stop a row (line 0: the file as a whole).
    pub warnings: Vec<RowProblem>,
    /// Deconfliction matches found or refreshed for the records written.
    pub matches: u64,
    /// For a dry run: each row's outcome in file order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub plan: Vec<RowOutcome>,
}

/// The reading options from the query, each checked.
fn read_options(
    kind: Kind,
    q: &ImportParams,
    agency: AgencyId,
    caller: &Caller,
) -> ApiResult<(ReadOptions, String)> {
    let mapping = match q.mapping.as_deref() {
        None => None,
        Some(name) => {
            let m = Mapping::builtin(name)
                .ok_or_else(|| {
                    ApiError::field(
                        "mapping",
                        format!("no shipped mapping {name:?}: {}", Mapping::builtin_names()),
                    )
                })?
                .map_err(|e| ApiError::Internal(format!("the shipped mapping is broken: {e}")))?;
            if m.kind != kind {
                return Err(ApiError::field(
                    "mapping",
                    format!("{name} maps {}, not {}", m.kind.code(), kind.code()),
                ));
            }
            Some(m)
        }
    };
    let encoding = q
        .encoding
        .as_deref()
        .map(|e| {
            Encoding::from_label(e)
                .ok_or_else(|| ApiError::field("encoding", "use utf-8 or windows-1251"))
        })
        .transpose()?;
    let delimiter = q
        .delimiter
        .as_deref()
        .map(|d| {
            dokaz_import::parse_delimiter(d)
                .ok_or_else(|| ApiError::field("delimiter", "give one character, or `tab`"))
        })
        .transpose()?;
    let format = match q.format.as_deref() {
        None | Some("csv") => Format::Csv,
        Some("jsonl") => Format::JsonLines,
        Some(f) => {
            return Err(ApiError::field(
                "format",
                format!("{f:?}: use csv or jsonl"),
            ))
        }
    };
    let source = Mapping::source_name(q.source.as_deref(), mapping.as_ref());
    let opts = ReadOptions {
        kind,
        format,
        encoding,
        delimiter,
        mapping,
        ctx: Context {
            agency,
            user: Some(caller.user.id),
            now: chrono::Utc::now(),
        },
    };
    Ok((opts, source))
}

fn problems(line: u64, list: impl IntoIterator<Item = Problem>) -> Vec<RowProblem> {
    list.into_iter()
        .map(|p| RowProblem {
            line,
            field: p.field,
            reason: p.message,
        })
        .collect()
}

/// Import records of one kind for your agency from CSV or JSON Lines; the body is the file.
#[utoipa::path(post, path = "/api/v1/import/{kind}", tag = "interoperability",
    security(("bearer" = [])),
    params(("kind" = String, Path, description = "incidents, persons, units, cases or links"),
        ImportParams),
    request_body(content = String, content_type = "text/csv", description = "the file"),
    responses((status = 200, body = ImportReport, description = "imported, or a dry run"),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 413, body = crate::error::ErrorBody),
        (status = 422, body = ImportReport, description = "invalid rows: nothing was written")))]
pub async fn import(
    State(state): State<AppState>,
    caller: Caller,
    Path(kind): Path<String>,
    Query(q): Query<ImportParams>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, Json<ImportReport>)> {
    let kind = kind_of(&kind)?;
    let agency = caller.user.agency;
    let facts = Resource {
        kind: resource_kind(kind),
        agency,
        classification: Classification::Restricted,
        consent: None,
        covered_by: vec![],
    };
    let name = format!("{}.import", resource_kind(kind).code());
    let target = format!("import:{}", kind.code());
    check(&state, &caller, Action::Write, &name, &facts, target).await?;
    let (opts, source) = read_options(kind, &q, agency, &caller)?;

    let file = spool(&state, &headers, body).await?;
    let sync_opts = SyncOptions {
        agency,
        source: source.clone(),
        actor: Some(caller.user.id),
        now: opts.ctx.now,
        dry_run: q.dry_run,
        skip_invalid: q.skip_invalid,
    };
    let store = state.store.clone();
    let dry_run = q.dry_run;
    // The importer reads the file with blocking I/O: on a blocking thread, driving the store's
    // futures from there, so no request of anyone else waits behind a large file.
    let handle = tokio::runtime::Handle::current();
    let (report, plan, written) = tokio::task::spawn_blocking(move || {
        let mut plan = Vec::new();
        let mut written: Vec<Uuid> = Vec::new();
        let open = || {
            let mut f = file.reopen()?;
            f.rewind()?;
            RowReader::open(BufReader::with_capacity(1 << 20, f), opts.clone())
        };
        let report = handle.block_on(sync::run(
            open,
            store.as_ref(),
            &sync_opts,
            |o| {
                if dry_run {
                    plan.push(o.clone());
                } else if matches!(o.action, RowAction::Create | RowAction::Update) {
                    written.extend(o.record);
                }
            },
            |_| {},
        ));
        (report, plan, written)
    })
    .await
    .map_err(ApiError::internal)?;
    let report = report.map_err(|e| match e {
        sync::SyncError::File(f) => ApiError::field("file", f.to_string()),
        sync::SyncError::Store(s) => s.into(),
    })?;

    let s = &report.summary;
    let mut matches = 0;
    if s.written {
        if let (Some(m), Some(match_kind)) = (&state.matching, kind.match_kind()) {
            let d = dokaz_deconflict::Deconflictor::new(
                state.store.as_ref(),
                (*m.weights).clone(),
                &m.key,
            );
            match d.imported(match_kind, &written, true, &|_| {}).await {
                Ok(n) => matches = n,
                Err(e) => tracing::warn!(error = %e,
                    "deconfliction of an import failed; `dokaz match run` will catch up"),
            }
        }
    }
    let refused_file = !report.errors.is_empty() && !q.skip_invalid && !q.dry_run;
    let out = ImportReport {
        kind: kind.code().to_owned(),
        source,
        rows: s.rows,
        created: s.created,
        updated: s.updated,
        unchanged: s.unchanged,
        refused: s.refused,
        written: s.written,
        errors: report
            .errors
            .iter()
            .flat_map(|e| problems(e.line, e.problems.0.clone()))
            .collect(),
        warnings: report
            .warnings
            .iter()
            .flat_map(|w| problems(w.line, [w.problem.clone()]))
            .collect(),
        matches,
        plan,
    };
    let status = if refused_file {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, Json(out)))
}

/// The request body into a temporary file (removed when dropped), at most the node's upload
/// limit, with the same idle timeout as evidence uploads.
async fn spool(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> ApiResult<tempfile::NamedTempFile> {
    let max = state.settings.max_upload;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(ApiError::TooLarge(max as usize));
    }
    let file = tempfile::NamedTempFile::new().map_err(ApiError::internal)?;
    let mut out = tokio::fs::File::from_std(file.reopen().map_err(ApiError::internal)?);
    let fault = Arc::new(Mutex::new(None));
    let mut reader = body_reader(body, max, state.settings.request_timeout, fault.clone());
    if let Err(e) = tokio::io::copy(&mut reader, &mut out).await {
        return Err(body_fault(&fault, max).unwrap_or_else(|| ApiError::internal(e)));
    }
    out.flush().await.map_err(ApiError::internal)?;
    Ok(file)
}

/// Which records to export.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ExportParams {
    /// csv (default), jsonl, or geojson (incidents only).
    pub format: Option<String>,
    /// Only the records of the agency with this code.
    pub agency: Option<String>,
    /// Incidents whose time range ends on or after this date (YYYY-MM-DD, YYYY-MM, …).
    pub from: Option<String>,
    /// Incidents whose time range starts before this date.
    pub to: Option<String>,
    /// Write the external ids of this source (default: the first the record has).
    pub source: Option<String>,
}

/// Export the records of one kind that you may see, as CSV, JSON Lines or GeoJSON, with
/// their external ids; protected identities are pseudonyms unless you are cleared for them.
#[utoipa::path(get, path = "/api/v1/export/{kind}", tag = "interoperability",
    security(("bearer" = [])),
    params(("kind" = String, Path, description = "incidents, persons, units or cases"),
        ExportParams),
    responses((status = 200, description = "the file; the x-dokaz-withheld and \
        x-dokaz-identities-withheld headers count what was left out", content_type = "text/csv"),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Path(kind): Path<String>,
    Query(q): Query<ExportParams>,
) -> ApiResult<Response> {
    let kind = kind_of(&kind)?;
    if kind == Kind::Links {
        return Err(ApiError::NotFound(
            "links are exported with their records, not on their own".into(),
        ));
    }
    let format = match q.format.as_deref() {
        None => ExportFormat::Csv,
        Some(f) => ExportFormat::from_code(f)
            .ok_or_else(|| ApiError::field("format", "use csv, jsonl or geojson"))?,
    };
    if format == ExportFormat::GeoJson && kind != Kind::Incidents {
        return Err(ApiError::field("format", "geojson is for incidents only"));
    }
    if (q.from.is_some() || q.to.is_some()) && kind != Kind::Incidents {
        return Err(ApiError::field("from", "dates filter incidents only"));
    }
    let day = |field: &'static str, s: &Option<String>| -> ApiResult<_> {
        s.as_deref()
            .map(|s| {
                dokaz_import::parse_when(s)
                    .map(|r| r.start)
                    .map_err(|e| ApiError::field(field, e.to_string()))
            })
            .transpose()
    };
    let agency = match q.agency.as_deref() {
        None => None,
        Some(code) => {
            let unknown = || ApiError::field("agency", format!("no agency {code:?}"));
            let code: dokaz_model::AgencyCode = code.trim().parse().map_err(|_| unknown())?;
            match state.store.agency_by_code(&code).await {
                Ok(a) => Some(a.id),
                Err(dokaz_store::StoreError::NotFound { .. }) => return Err(unknown()),
                Err(e) => return Err(e.into()),
            }
        }
    };
    let selection = Selection {
        kind,
        agency,
        occurred_from: day("from", &q.from)?,
        occurred_to: day("to", &q.to)?,
        source: q.source.clone(),
    };
    let file = tempfile::tempfile().map_err(ApiError::internal)?;
    let mut exporter =
        Exporter::new(kind, format, BufWriter::new(file)).map_err(ApiError::internal)?;
    let viewer = Viewer {
        principal: Some(&caller.principal),
        pseudonym_key: &state.pseudonym_key.0,
    };
    let stats = disclose::export(
        state.store.as_ref(),
        &viewer,
        &selection,
        &mut exporter,
        |_| {},
    )
    .await
    .map_err(|e| match e {
        disclose::ExportError::Store(s) => s.into(),
        other => ApiError::internal(other),
    })?;
    let mut file = exporter
        .finish()
        .and_then(|w| w.into_inner().map_err(|e| e.into_error()))
        .map_err(ApiError::internal)?;
    file.flush().map_err(ApiError::internal)?;
    file.rewind().map_err(ApiError::internal)?;

    // Durable before a byte leaves: who took which records out, how many were withheld.
    let record = audit::record(
        Some((caller.user.id, caller.user.agency)),
        &caller.meta,
        format!("{}.export", resource_kind(kind).code()),
        Some(kind.code().to_owned()),
        true,
        stats.describe(kind, format),
    );
    audit::append(&state, vec![record]).await?;

    let body = Body::from_stream(tokio_util::io::ReaderStream::new(
        tokio::fs::File::from_std(file),
    ));
    Ok((
        [
            (header::CONTENT_TYPE, format.media_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}.{}\"", kind.code(), format.code()),
            ),
            (
                header::HeaderName::from_static("x-dokaz-withheld"),
                stats.withheld.to_string(),
            ),
            (
                header::HeaderName::from_static("x-dokaz-identities-withheld"),
                stats.identities_withheld.to_string(),
            ),
        ],
        body,
    )
        .into_response())
}
