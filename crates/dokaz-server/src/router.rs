//! The router: every route, and the layers around them — request ids (`x-request-id`, made
//! when the client sends none, returned on every response), one tracing span per request
//! named by its route template, the JSON body limit, the request timeout.

use std::time::Duration;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse as _, Response};
use axum::routing::{get, post};
use axum::Router;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
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

/// The routes under `/api/v1`.
pub fn api() -> Router<AppState> {
    Router::new()
        .route("/session", post(session::login).delete(session::logout))
        .route("/tokens", post(tokens::create).get(tokens::list))
        .route("/tokens/{id}", axum::routing::delete(tokens::revoke))
        .route("/agencies", get(agencies::list).post(agencies::create))
        .route("/users", get(users::list).post(users::create))
        .route("/users/{id}/disable", post(users::disable))
        .route("/incidents", get(incidents::list).post(incidents::create))
        .route(
            "/incidents/{id}",
            get(incidents::get)
                .put(incidents::replace)
                .patch(incidents::patch),
        )
        .route("/incidents/{id}/narratives", get(incidents::narratives))
        .route("/cases", get(cases::list).post(cases::create))
        .route("/cases/{id}", get(cases::get).put(cases::replace))
        .route("/persons", get(persons::list).post(persons::create))
        .route("/persons/{id}", get(persons::get).put(persons::replace))
        .route("/units", get(units::list).post(units::create))
        .route("/units/{id}", get(units::get).put(units::replace))
        .route("/evidence", get(evidence::list))
        .route("/evidence/{ern}", get(evidence::get))
        .route("/evidence/{ern}/custody", get(evidence::custody))
        .route("/evidence/{ern}/proof", get(evidence::proof))
        .route("/evidence/{ern}/content", get(evidence::content))
        .route("/evidence/{ern}/family", get(provenance::family))
        .route(
            "/persons/{id}/consents",
            get(consents::list).post(consents::add),
        )
        .route("/persons/{id}/interviews", get(consents::interviews))
        .route(
            "/persons/{id}/interview-check",
            get(interview_check::interview_check),
        )
        .route("/consents/{id}/withdraw", post(consents::withdraw))
        .route("/interviews", post(consents::add_interview))
        .route("/grants", get(grants::list).post(grants::create))
        .route("/grants/{id}", axum::routing::delete(grants::revoke))
        .route("/audit", get(audit::list))
        .route("/matches", get(matches::list))
        .route("/matches/{id}", get(matches::get))
        .route("/matches/{id}/confirm", post(matches::confirm))
        .route("/matches/{id}/dismiss", post(matches::dismiss))
        .route("/openapi.json", get(openapi::serve))
}

/// The whole application, ready to serve.
pub fn build(state: AppState) -> Router {
    let timeout = state.settings.request_timeout;
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .nest("/api/v1", api())
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
        .layer(axum::middleware::map_response(timeout_as_json))
        .layer(TraceLayer::new_for_http().make_span_with(span))
        // Outermost: the id exists before the span and is copied to the response.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// One span per request, named by the route template (`/api/v1/incidents/{id}`), never the
/// concrete path: ids in paths are not for logs, and templates aggregate.
fn span(req: &Request) -> tracing::Span {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into());
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    tracing::info_span!("request", method = %req.method(), route = %route, request_id = %id)
}

/// The timeout layer answers with an empty 408; clients get our error shape instead.
async fn timeout_as_json(response: Response) -> Response {
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
