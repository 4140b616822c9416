//! Our own `Json`, `Path` and `Query` extractors. Axum's would answer bad input with their
//! own plain-text rejections; these wrap them so that every bad request goes through
//! [`ApiError`] — malformed JSON with its position (400), a wrong type or missing field with
//! its path (422), an oversized body (413), a malformed id in the path (400).

use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::ApiError;

/// The default limit of a JSON body; evidence uploads (not here) stream and have their own.
pub const JSON_LIMIT: usize = 1024 * 1024;

/// A JSON request body or response.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|m| {
                let m = m.trim();
                m.eq_ignore_ascii_case("application/json") || m.ends_with("+json")
            });
        if !is_json {
            return Err(ApiError::UnsupportedMediaType(
                "send the body as JSON with `Content-Type: application/json`".into(),
            ));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(bytes_rejection)?;
        parse(&bytes).map(Json)
    }
}

/// Parses JSON, telling syntax (where) from shape (which field) errors.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        use serde_json::error::Category;
        match inner.classify() {
            Category::Syntax | Category::Eof | Category::Io => ApiError::MalformedJson(format!(
                "the body is not valid JSON: {} at line {} column {}",
                syntax_message(&inner),
                inner.line(),
                inner.column()
            )),
            Category::Data => {
                let field = if path == "." { "body".into() } else { path };
                ApiError::field(field, strip_position(&inner.to_string()))
            }
        }
    })
}

/// serde_json's message without its trailing "at line … column …", which we format ourselves.
fn strip_position(s: &str) -> String {
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_owned(),
        None => s.to_owned(),
    }
}

fn syntax_message(e: &serde_json::Error) -> String {
    strip_position(&e.to_string())
}

fn bytes_rejection(r: BytesRejection) -> ApiError {
    if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::TooLarge(JSON_LIMIT)
    } else {
        ApiError::BadRequest(format!(
            "could not read the request body: {}",
            r.body_text()
        ))
    }
}

/// Bodies are written into a buffer of [`RESPONSE_CAPACITY`] bytes: axum's `Json` starts at
/// 128 and grows, copying the body several times over for a record of a kilobyte or two.
impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        let mut buf = Vec::with_capacity(RESPONSE_CAPACITY);
        match serde_json::to_writer(&mut buf, &self.0) {
            Ok(()) => {
                let mut res = Response::new(axum::body::Body::from(buf));
                res.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
                res
            }
            Err(e) => ApiError::internal(e).into_response(),
        }
    }
}

/// The first size of a response body's buffer: most records fit.
const RESPONSE_CAPACITY: usize = 2048;

/// Path parameters; a segment that does not parse (a malformed id, `../../etc/passwd`) is a
/// 400 naming the parameter, never a lookup.
#[derive(Debug)]
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => Err(ApiError::BadRequest(
                format!("invalid path: {}", e.body_text()),
            )),
            Err(e) => Err(ApiError::Internal(e.body_text())),
        }
    }
}

/// Query parameters; unknown or malformed parameters are a 422 naming the query.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Query(v)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => {
                Err(ApiError::field("query", e.body_text()))
            }
            Err(e) => Err(ApiError::field("query", e.body_text())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        n: u32,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        inner: Inner,
    }

    #[test]
    fn syntax_errors_give_the_position_and_type_errors_the_path() {
        match parse::<Outer>(b"{\"inner\": {\"n\": }") {
            Err(ApiError::MalformedJson(m)) => assert!(m.contains("line 1 column"), "{m}"),
            other => panic!("{other:?}"),
        }
        match parse::<Outer>(b"{\"inner\": {\"n\": \"x\"}}") {
            Err(ApiError::Invalid(p)) => assert_eq!(p.0[0].field, "inner.n"),
            other => panic!("{other:?}"),
        }
    }
}
