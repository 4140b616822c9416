//! The one API error and its one mapping to an HTTP response. Every failure a client can
//! see — bad input, unknown ids, refused access, storage trouble — leaves through here as
//! `{"error":{"code","message","fields"}}`, so clients parse one shape and nothing internal
//! (SQL, file paths, stack traces) reaches them: internal causes are logged, not sent.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use dokaz_model::Problems;
use dokaz_store::StoreError;
use dokaz_vault::VaultError;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body is not JSON at all; the message gives line and column.
    #[error("{0}")]
    MalformedJson(String),
    /// A request that cannot be understood: a malformed id in the path, a bad cursor.
    #[error("{0}")]
    BadRequest(String),
    /// Well-formed but wrong: each problem names its field path.
    #[error("the request has invalid fields")]
    Invalid(Problems),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    NotFound(String),
    /// No valid credentials. One message for every cause, so that a caller cannot tell an
    /// unknown account from a wrong password or a revoked token.
    #[error("authentication required: missing, unknown, expired or revoked credentials")]
    Unauthenticated,
    /// Wrong login or password; the same words whichever it was.
    #[error("unknown login or wrong password")]
    BadCredentials,
    /// Refused; the message is the access decision's reason.
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Conflict(String),
    #[error("the request body is larger than the limit of {0} bytes")]
    TooLarge(usize),
    #[error("the request took too long and was stopped")]
    Timeout,
    #[error("too many attempts; try again in {retry_after} seconds")]
    RateLimited { retry_after: u64 },
    /// Something on our side; the cause goes to the log, the client gets a safe message.
    #[error("internal error")]
    Internal(String),
}

/// The JSON body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable: `malformed_json`, `invalid`, `not_found`, …
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldError {
    /// Dotted path of the field, e.g. `incident.location.lat` or `occurred.start`.
    pub field: String,
    pub message: String,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::MalformedJson(_) | Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Unauthenticated | Self::BadCredentials => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Timeout => StatusCode::REQUEST_TIMEOUT,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::MalformedJson(_) => "malformed_json",
            Self::BadRequest(_) => "bad_request",
            Self::Invalid(_) => "invalid",
            Self::UnsupportedMediaType(_) => "unsupported_media_type",
            Self::NotFound(_) => "not_found",
            Self::Unauthenticated => "unauthenticated",
            Self::BadCredentials => "bad_credentials",
            Self::Forbidden(_) => "forbidden",
            Self::Conflict(_) => "conflict",
            Self::TooLarge(_) => "too_large",
            Self::Timeout => "timeout",
            Self::RateLimited { .. } => "rate_limited",
            Self::Internal(_) => "internal",
        }
    }

    /// One invalid field, for checks outside the model's validation.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut p = Problems::new();
        p.push(field, message);
        Self::Invalid(p)
    }

    pub fn internal(e: impl std::fmt::Display) -> Self {
        Self::Internal(e.to_string())
    }
}

/// The one mapping of vault errors to API errors.
impl From<VaultError> for ApiError {
    fn from(e: VaultError) -> Self {
        match e {
            VaultError::HashMismatch { declared, computed } => ApiError::field(
                "sha256",
                format!(
                    "declared SHA-256 {declared} does not match the received bytes' SHA-256 \
                 {computed}; nothing was stored"
                ),
            ),
            VaultError::Invalid { field, reason } => ApiError::field(field, reason),
            VaultError::Record(p) => ApiError::Invalid(p),
            VaultError::UnknownErn(_) => ApiError::NotFound("no such evidence".into()),
            e @ VaultError::Transition { .. } => ApiError::Conflict(e.to_string()),
            VaultError::Store(s) => s.into(),
            // The rest — a registered item whose bytes are gone, a diverged ledger, a stopped
            // sequencer — are faults of the node, not of the request: logged, not shown.
            e => ApiError::internal(e),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { entity, .. } => Self::NotFound(format!("no such {entity}")),
            StoreError::Conflict { what } => Self::Conflict(what),
            StoreError::Invalid(p) => Self::Invalid(p),
            StoreError::BadCursor => Self::BadRequest("invalid page cursor".into()),
            StoreError::Backend(m) => Self::Internal(m),
        }
    }
}

impl From<Problems> for ApiError {
    fn from(p: Problems) -> Self {
        Self::Invalid(p)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if let Self::Internal(cause) = &self {
            // The cause may name tables or paths; it goes to the operator, not the client.
            tracing::error!(%cause, "internal error");
        }
        let fields = match &self {
            Self::Invalid(p) => p
                .iter()
                .map(|p| FieldError {
                    field: p.field.clone(),
                    message: p.message.clone(),
                })
                .collect(),
            _ => vec![],
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message: self.to_string(),
                fields,
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        if let Self::RateLimited { retry_after } = self {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_str(&retry_after.to_string()).expect("digits"),
            );
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
