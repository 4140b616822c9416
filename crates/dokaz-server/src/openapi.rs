//! The OpenAPI 3.1 document, generated from the handlers' annotations, served at
//! `/api/v1/openapi.json` and committed as `crates/dokaz-server/openapi.json` (a test fails
//! when they drift; `DOKAZ_UPDATE_OPENAPI=1 cargo test -p dokaz-server --test openapi`
//! rewrites the file).

use axum::response::IntoResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::handlers::{
    agencies, audit, cases, consents, evidence, grants, health, incidents, interop,
    interview_check, matches, persons, provenance, session, tokens, units, users,
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
        evidence::upload::upload, evidence::list, evidence::get, evidence::custody,
        evidence::proof, evidence::download::content,
        provenance::derive, provenance::family,
        consents::add, consents::list, consents::withdraw, consents::add_interview,
        consents::interviews,
        interview_check::interview_check,
        grants::create, grants::revoke, grants::list,
        audit::list,
        matches::list, matches::get, matches::confirm, matches::dismiss,
        interop::import, interop::export,
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail, crate::error::FieldError)),
    modifiers(&Bearer, &CommonErrors)
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

/// The errors any operation can answer with, added where a handler did not list them, so
/// the document promises exactly what clients can get (schemathesis checks this).
struct CommonErrors;

impl Modify for CommonErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let common = [
            ("400", "malformed JSON, path or cursor"),
            ("401", "missing, unknown, expired or revoked credentials"),
            ("403", "refused; the message is the decision's reason"),
            ("404", "no such record"),
            ("408", "the request took too long"),
            ("413", "the body is larger than the limit"),
            ("415", "the body is not JSON"),
            ("422", "invalid fields, each named by its path"),
            ("429", "too many attempts; see Retry-After"),
            ("500", "internal error; details are in the server's log"),
        ];
        for item in openapi.paths.paths.values_mut() {
            let ops = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for op in ops.into_iter().flatten() {
                for (code, description) in common {
                    op.responses
                        .responses
                        .entry(code.to_owned())
                        .or_insert_with(|| {
                            ResponseBuilder::new()
                                .description(description)
                                .content(
                                    "application/json",
                                    ContentBuilder::new()
                                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                                        .build(),
                                )
                                .build()
                                .into()
                        });
                }
            }
        }
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
