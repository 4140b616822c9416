//! The OpenAPI 3.1 document, generated from the handlers' annotations, served at
//! `/api/v1/openapi.json` and committed as `crates/dokaz-server/openapi.json` (a test fails
//! when they drift; `DOKAZ_UPDATE_OPENAPI=1 cargo test -p dokaz-server --test openapi`
//! rewrites the file).

use axum::response::IntoResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::handlers::{
    agencies, audit, cases, grants, health, incidents, persons, session, tokens, units, users,
};

#[derive(Debug, OpenApi)]
#[openapi(
    info(title = "dokaz", description = "Coordinating war-crimes investigations across agencies: the HTTP API."),
    paths(
        health::healthz, health::readyz,
        session::login, session::logout,
        tokens::create, tokens::list, tokens::revoke,
        agencies::list, agencies::create,
        users::create, users::list, users::disable,
        incidents::create, incidents::get, incidents::narratives, incidents::replace,
        incidents::patch, incidents::list,
        cases::create, cases::get, cases::replace, cases::list,
        persons::create, persons::get, persons::replace, persons::list,
        units::create, units::get, units::replace, units::list,
        grants::create, grants::revoke, grants::list,
        audit::list,
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail, crate::error::FieldError)),
    modifiers(&Bearer)
)]
pub struct ApiDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "a session token from POST /api/v1/session (dks_…) or an API token (dkt_…)",
                    ))
                    .build(),
            ),
        );
    }
}

/// The document as served and committed: pretty JSON with a final newline, so the file
/// diffs well.
pub fn document() -> String {
    let mut doc = ApiDoc::openapi();
    // The version is the crate's, not a number that changes the file on every release bump.
    doc.info.version = "v1".into();
    let mut s = doc
        .to_pretty_json()
        .expect("the OpenAPI document serialises");
    s.push('\n');
    s
}

pub async fn serve() -> impl IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        document(),
    )
}
