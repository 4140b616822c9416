//! `GET /api/v1/evidence/{ern}/content`: the bytes, whole or one range, as an attachment.
//! Every download is a custody event (`access`) and an audit record. The body is streamed
//! chunk by chunk and the caller's access is decided again after every
//! [`crate::Settings::download_check_bytes`], with the grants re-read, so a revocation ends a
//! download in progress at its next chunk.

use std::collections::BTreeMap;
use std::ops::Range;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse as _, Response};
use bytes::Bytes;
use chrono::Utc;
use dokaz_access::{decide, Action, Verdict};
use dokaz_model::{CustodyAction, Ern, Evidence, GrantLevel};
use futures::stream::{BoxStream, StreamExt as _};

use super::vault;
use crate::audit;
use crate::auth::Caller;
use crate::authz::{must_audit, Authorized, Download, Guarded as _, View};
use crate::error::{ApiError, ApiResult, ErrorBody, ErrorDetail};
use crate::records::Containers;
use crate::state::AppState;

const ACTION: Action = Action::View(GrantLevel::Download);

/// Download the item's bytes. Supports one `Range` (`bytes=a-b`, `bytes=a-`, `bytes=-n`).
#[utoipa::path(get, path = "/api/v1/evidence/{ern}/content", tag = "evidence",
    security(("bearer" = [])), params(("ern" = String, Path),
        ("Range" = Option<String>, Header, description = "one byte range, e.g. bytes=0-1023")),
    responses((status = 200, description = "the bytes, with the media type sniffed at intake", content_type = "*/*"),
        (status = 206, description = "the requested range", content_type = "*/*"),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 416, body = crate::error::ErrorBody)))]
pub async fn content(
    State(state): State<AppState>,
    a: Authorized<Evidence, View<Download>>,
    method: Method,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let vault = vault(&state)?.clone();
    let (item, caller) = (a.record, a.caller);
    let range = match wanted(headers.get(header::RANGE), item.size) {
        Wanted::Whole => None,
        Wanted::Part(r) => Some(r),
        Wanted::Unsatisfiable => return Ok(unsatisfiable(item.size)),
    };
    let length = range.as_ref().map_or(item.size, |r| r.end - r.start);
    // A HEAD (what a client asks before resuming) reads no bytes: headers only, no custody
    // event; the decision above is on record as for any read.
    if method == Method::HEAD {
        let mut response = Response::new(Body::empty());
        headers_for(&mut response, &item, length, range);
        return Ok(response);
    }
    let target = format!("evidence:{}", item.ern);
    // Restricted and sealed reads were audited by the check; a download of an open item is
    // recorded here, so every download has exactly one audit record.
    if !must_audit(&a.verdict, ACTION, item.classification) {
        let r = audit::verdict(&caller, "evidence.download", Some(target), &a.verdict);
        audit::append(&state, vec![r]).await?;
    }
    let mut details = BTreeMap::new();
    details.insert("agency".to_owned(), caller.user.agency.to_string());
    details.insert("channel".to_owned(), "api".to_owned());
    if let Some(r) = &range {
        details.insert("range".to_owned(), format!("{}-{}", r.start, r.end - 1));
    }
    if !caller.meta.request_id().is_empty() {
        details.insert("request_id".to_owned(), caller.meta.request_id().to_owned());
    }
    vault
        .record(
            &item.ern,
            CustodyAction::Access,
            Some(caller.user.id),
            "download",
            details,
        )
        .await
        .map_err(ApiError::from)?;
    let bytes = vault
        .blobs()
        .get(&item.sha256, range.clone().filter(|r| !r.is_empty()))
        .await
        .map_err(|e| ApiError::from(dokaz_vault::VaultError::from(e)))?;
    let guard = Guard {
        state: state.clone(),
        caller,
        ern: item.ern.clone(),
        every: state.settings.download_check_bytes.max(1),
    };
    let mut response = Response::new(Body::from_stream(guarded(bytes, guard)));
    headers_for(&mut response, &item, length, range);
    Ok(response)
}

/// The download's status and headers: type, length, ranges, ETag (the SHA-256) and a safe
/// attachment name.
fn headers_for(response: &mut Response, item: &Evidence, length: u64, range: Option<Range<u64>>) {
    let h = response.headers_mut();
    let media = HeaderValue::from_str(&item.media_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    h.insert(header::CONTENT_TYPE, media);
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::ETAG, quoted(&item.sha256.to_hex()));
    h.insert(
        header::CONTENT_DISPOSITION,
        attachment(&item.original_name, &item.ern),
    );
    // The bytes are evidence, not a page: never sniffed, never run if opened in a browser.
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    if let Some(r) = range {
        *response.status_mut() = StatusCode::PARTIAL_CONTENT;
        let v = format!("bytes {}-{}/{}", r.start, r.end - 1, item.size);
        response.headers_mut().insert(
            header::CONTENT_RANGE,
            HeaderValue::from_str(&v).expect("digits"),
        );
    }
}

/// What a download re-checks before each chunk: the item (it may have been sealed), the
/// grants to the caller's agency (they may have been revoked) and the caller's account.
struct Guard {
    state: AppState,
    caller: Caller,
    ern: Ern,
    every: u64,
}

impl Guard {
    async fn decide(&self) -> ApiResult<Verdict> {
        let store = self.state.store.as_ref();
        let item = Evidence::load(store, &self.ern).await?;
        let agency = self.caller.principal.agency;
        let facts = item.facts(store, agency, &Containers::default()).await?;
        let grants = if facts.agency == agency {
            vec![]
        } else {
            self.state
                .grants
                .grants_for(agency, &facts.covered_by)
                .await?
        };
        // An account disabled since the download began is refused like a revoked grant.
        let mut principal = self.caller.principal.clone();
        principal.disabled = store.user(self.caller.user.id).await?.disabled;
        Ok(decide(&principal, ACTION, &facts, &grants, Utc::now()))
    }

    /// Whether the download may go on; a refusal is audited.
    async fn still_allowed(&self) -> Result<(), std::io::Error> {
        let v = self.decide().await.map_err(std::io::Error::other)?;
        if v.allowed {
            return Ok(());
        }
        let stopped = Verdict {
            allowed: false,
            reason: format!("download stopped: {}", v.reason),
        };
        let target = Some(format!("evidence:{}", self.ern));
        let r = audit::verdict(&self.caller, "evidence.download", target, &stopped);
        audit::append(&self.state, vec![r])
            .await
            .map_err(std::io::Error::other)?;
        Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "access ended during the download",
        ))
    }
}

/// The blob's chunks, with access decided again each time `every` bytes have gone out. A
/// refusal ends the body with an error, so the client sees a cut transfer, not a short file.
fn guarded(
    bytes: BoxStream<'static, dokaz_store::blob::BlobResult<Bytes>>,
    guard: Guard,
) -> BoxStream<'static, Result<Bytes, std::io::Error>> {
    futures::stream::unfold(
        (bytes, guard, 0u64, false),
        |(mut bytes, guard, mut sent, done)| async move {
            if done {
                return None;
            }
            if sent >= guard.every {
                if let Err(e) = guard.still_allowed().await {
                    return Some((Err(e), (bytes, guard, 0, true)));
                }
                sent = 0;
            }
            match bytes.next().await {
                None => None,
                Some(Ok(b)) => {
                    let sent = sent + b.len() as u64;
                    Some((Ok(b), (bytes, guard, sent, false)))
                }
                Some(Err(e)) => Some((Err(std::io::Error::other(e)), (bytes, guard, 0, true))),
            }
        },
    )
    .boxed()
}

/// What a `Range` header asks for.
#[derive(Debug, PartialEq, Eq)]
enum Wanted {
    Whole,
    Part(Range<u64>),
    Unsatisfiable,
}

/// One byte range, end exclusive. A header we do not understand (another unit, several
/// ranges, bad syntax) is ignored and the whole item sent, as RFC 9110 allows.
fn wanted(header: Option<&HeaderValue>, size: u64) -> Wanted {
    let Some(spec) = header
        .and_then(|h| h.to_str().ok())
        .and_then(|v| v.trim().strip_prefix("bytes="))
    else {
        return Wanted::Whole;
    };
    let Some((a, b)) = spec.split_once('-').filter(|_| !spec.contains(',')) else {
        return Wanted::Whole;
    };
    let (a, b) = (a.trim(), b.trim());
    if a.is_empty() {
        return match b.parse::<u64>() {
            Ok(0) => Wanted::Unsatisfiable,
            Ok(_) if size == 0 => Wanted::Unsatisfiable,
            Ok(n) => Wanted::Part(size.saturating_sub(n)..size),
            Err(_) => Wanted::Whole,
        };
    }
    let Ok(start) = a.parse::<u64>() else {
        return Wanted::Whole;
    };
    let end = if b.is_empty() {
        u64::MAX
    } else {
        match b.parse::<u64>() {
            Ok(e) if e >= start => e,
            _ => return Wanted::Whole,
        }
    };
    if start >= size {
        return Wanted::Unsatisfiable;
    }
    Wanted::Part(start..end.saturating_add(1).min(size))
}

fn unsatisfiable(size: u64) -> Response {
    let body = ErrorBody {
        error: ErrorDetail {
            code: "range_not_satisfiable",
            message: format!("the item has {size} bytes; the requested range is outside them"),
            fields: vec![],
        },
    };
    let mut r = (StatusCode::RANGE_NOT_SATISFIABLE, axum::Json(body)).into_response();
    let v = HeaderValue::from_str(&format!("bytes */{size}")).expect("digits");
    r.headers_mut().insert(header::CONTENT_RANGE, v);
    r.headers_mut()
        .insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    r
}

fn quoted(s: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{s}\"")).expect("hex")
}

/// `attachment` with a file name that is only a name: the last component of the original
/// name, without control characters, quotes or leading dots; the ERN when nothing is left.
/// An ASCII `filename` for old clients and the exact name as `filename*` (RFC 6266).
fn attachment(original: &str, ern: &Ern) -> HeaderValue {
    let last = original.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .map(|c| match c {
            c if c.is_control() => '_',
            '"' | ';' | '%' | '*' => '_',
            c => c,
        })
        .take(200)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    let name = if cleaned.is_empty() {
        ern.to_string()
    } else {
        cleaned.to_owned()
    };
    let ascii: String = name
        .chars()
        .map(|c| if c.is_ascii() { c } else { '_' })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    let v = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    HeaderValue::from_str(&v).unwrap_or(HeaderValue::from_static("attachment"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(h: &str, size: u64) -> Wanted {
        wanted(Some(&HeaderValue::from_str(h).unwrap()), size)
    }

    #[test]
    fn ranges_follow_rfc_9110() {
        assert_eq!(wanted(None, 10), Wanted::Whole);
        assert_eq!(w("bytes=0-4", 10), Wanted::Part(0..5));
        assert_eq!(w("bytes=5-", 10), Wanted::Part(5..10));
        assert_eq!(w("bytes=-3", 10), Wanted::Part(7..10));
        assert_eq!(w("bytes=-30", 10), Wanted::Part(0..10));
        assert_eq!(w("bytes=8-100", 10), Wanted::Part(8..10));
        assert_eq!(w("bytes=10-", 10), Wanted::Unsatisfiable);
        assert_eq!(w("bytes=-0", 10), Wanted::Unsatisfiable);
        assert_eq!(w("bytes=5-2", 10), Wanted::Whole);
        assert_eq!(w("bytes=0-1,4-5", 10), Wanted::Whole);
        assert_eq!(w("items=0-1", 10), Wanted::Whole);
        assert_eq!(w("bytes=0-0", 0), Wanted::Unsatisfiable);
    }

    #[test]
    fn the_file_name_is_only_a_name() {
        let ern = Ern::new("UAPGO".parse().unwrap(), "X", 1).unwrap();
        let v = attachment("../../etc/passwd", &ern);
        let s = v.to_str().unwrap();
        assert!(s.contains("filename=\"passwd\""), "{s}");
        assert!(!s.contains('/'), "{s}");
        let v = attachment("..", &ern);
        assert!(v.to_str().unwrap().contains(&ern.to_string()));
        let v = attachment("свідок \"1\".jpg", &ern);
        let s = v.to_str().unwrap();
        assert!(s.contains("filename=\"______ _1_.jpg\""), "{s}");
        assert!(s.contains("filename*=UTF-8''%D1%81"), "{s}");
    }
}
