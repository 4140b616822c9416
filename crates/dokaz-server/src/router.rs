//! The router: every route, and the layers around them — request ids (`x-request-id`, made
//! when the client sends none, returned on every response), one tracing span per request
//! named by its route template, the JSON body limit, the request timeout.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse as _, Response};
use axum::routing::{get, post};
use axum::Router;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::error::ApiError;
use crate::extract::JSON_LIMIT;
use crate::handlers::{
    agencies, audit, cases, consents, evidence, grants, health, incidents, interview_check,
    matches, persons, provenance, session, tokens, units, users,
};
use crate::openapi;
use crate::state::AppState;

/// A path under `/api/v1`.
macro_rules! v1 {
    ($path:literal) => {
        concat!("/api/v1", $path)
    };
}

/// The routes under `/api/v1`, with their full paths: merged rather than nested, since a
/// nested router rewrites every request's URI to strip the prefix before routing it.
pub fn api() -> Router<AppState> {
    Router::new()
        .route(
            v1!("/session"),
            post(session::login).delete(session::logout),
        )
        .route(v1!("/tokens"), post(tokens::create).get(tokens::list))
        .route(v1!("/tokens/{id}"), axum::routing::delete(tokens::revoke))
        .route(v1!("/agencies"), get(agencies::list).post(agencies::create))
        .route(v1!("/users"), get(users::list).post(users::create))
        .route(v1!("/users/{id}/disable"), post(users::disable))
        .route(
            v1!("/incidents"),
            get(incidents::list).post(incidents::create),
        )
        .route(
            v1!("/incidents/{id}"),
            get(incidents::get)
                .put(incidents::replace)
                .patch(incidents::patch),
        )
        .route(
            v1!("/incidents/{id}/narratives"),
            get(incidents::narratives),
        )
        .route(v1!("/cases"), get(cases::list).post(cases::create))
        .route(v1!("/cases/{id}"), get(cases::get).put(cases::replace))
        .route(v1!("/persons"), get(persons::list).post(persons::create))
        .route(
            v1!("/persons/{id}"),
            get(persons::get).put(persons::replace),
        )
        .route(v1!("/units"), get(units::list).post(units::create))
        .route(v1!("/units/{id}"), get(units::get).put(units::replace))
        .route(v1!("/evidence"), get(evidence::list))
        .route(v1!("/evidence/{ern}"), get(evidence::get))
        .route(v1!("/evidence/{ern}/custody"), get(evidence::custody))
        .route(v1!("/evidence/{ern}/proof"), get(evidence::proof))
        .route(v1!("/evidence/{ern}/content"), get(evidence::content))
        .route(v1!("/evidence/{ern}/family"), get(provenance::family))
        .route(
            v1!("/persons/{id}/consents"),
            get(consents::list).post(consents::add),
        )
        .route(v1!("/persons/{id}/interviews"), get(consents::interviews))
        .route(
            v1!("/persons/{id}/interview-check"),
            get(interview_check::interview_check),
        )
        .route(v1!("/consents/{id}/withdraw"), post(consents::withdraw))
        .route(v1!("/interviews"), post(consents::add_interview))
        .route(v1!("/grants"), get(grants::list).post(grants::create))
        .route(v1!("/grants/{id}"), axum::routing::delete(grants::revoke))
        .route(v1!("/audit"), get(audit::list))
        .route(v1!("/matches"), get(matches::list))
        .route(v1!("/matches/{id}"), get(matches::get))
        .route(v1!("/matches/{id}/confirm"), post(matches::confirm))
        .route(v1!("/matches/{id}/dismiss"), post(matches::dismiss))
        .route(v1!("/openapi.json"), get(openapi::serve))
}

/// The whole application, ready to serve.
pub fn build(state: AppState) -> Router {
    let timeout = state.settings.request_timeout;
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .merge(api())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(JSON_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout.max(Duration::from_millis(1)),
        ))
        // Evidence uploads and imports stream for as long as the file takes: outside the
        // timeout and the JSON limit, with their own (see `evidence::uploads`).
        .merge(evidence::uploads())
        .merge(crate::handlers::interop::routes())
        .layer(tower::util::MapResponseLayer::new(timeout_as_json))
        .layer(TraceLayer::new_for_http().make_span_with(span))
        // Outermost: the id exists before the span and is copied to the response.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(RequestIds::new()))
        .with_state(state)
}

/// Request ids in the shape of a UUID: a random half chosen when the router is built (so that
/// nodes, and restarts, do not repeat each other's ids) and a counter. A random UUID per
/// request would ask the kernel for randomness on every request; an id needs to be unique,
/// not unpredictable.
#[derive(Debug, Clone, Copy)]
struct RequestIds {
    base: u64,
}

/// The counter half of [`RequestIds`], shared by every router of the process.
static NEXT_REQUEST: AtomicU64 = AtomicU64::new(0);

impl RequestIds {
    fn new() -> Self {
        Self {
            base: rand::random(),
        }
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let n = NEXT_REQUEST.fetch_add(1, Ordering::Relaxed);
        let mut buf = uuid::Uuid::encode_buffer();
        let id = uuid::Uuid::from_u64_pair(self.base, n)
            .hyphenated()
            .encode_lower(&mut buf);
        HeaderValue::from_str(id).ok().map(RequestId::new)
    }
}

/// One span per request, named by the route template (`/api/v1/incidents/{id}`), never the
/// concrete path: ids in paths are not for logs, and templates aggregate. Borrowed, not copied:
/// at the default log level the span is off and its fields are never read.
fn span(req: &Request) -> tracing::Span {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str);
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    tracing::info_span!("request", method = %req.method(), route = %route, request_id = %id)
}

/// The timeout layer answers with an empty 408; clients get our error shape instead. A plain
/// function (`MapResponseLayer`): no boxed future per request as `axum::middleware` has.
fn timeout_as_json(response: Response) -> Response {
    if response.status() == StatusCode::REQUEST_TIMEOUT
        && !response.headers().contains_key(header::CONTENT_TYPE)
    {
        return ApiError::Timeout.into_response();
    }
    response
}

async fn not_found() -> ApiError {
    ApiError::NotFound("no such endpoint; see /api/v1/openapi.json".into())
}

async fn method_not_allowed() -> (StatusCode, axum::Json<serde_json::Value>) {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        axum::Json(serde_json::json!({"error": {
            "code": "method_not_allowed",
            "message": "this endpoint does not take that method; see /api/v1/openapi.json"
        }})),
    )
}
