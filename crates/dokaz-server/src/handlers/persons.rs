//! Persons. A protected person's identity (names, birth date, place of origin) is returned
//! only to cleared case workers of the originating agency (`dokaz_access::may_see_identity`);
//! everyone else gets the record without it and a pseudonym that is stable per person and
//! keyed with the node's secret, so analysts can still count and connect.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use dokaz_access::{may_see_identity, pseudonym, Action, Principal, Resource, ResourceKind};
use dokaz_model::{Classification, PartialDate, Person, PersonId, PersonName, PersonRole, Sex};
use dokaz_store::Page;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::authz::{check, Authorized, Metadata, View, Write};
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::listing::{self, PageParams};
use crate::state::{AppState, PseudonymKey};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    /// victim, witness, suspect, missing, deported-child, detainee.
    #[schema(value_type = Vec<String>)]
    pub roles: Vec<PersonRole>,
    /// Every spelling seen: `{"full": "…", "given": "…", "family": "…"}`.
    #[schema(value_type = Vec<Object>)]
    pub names: Vec<PersonName>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub birth_date: Option<PartialDate>,
    #[serde(default)]
    #[schema(value_type = String)]
    pub sex: Sex,
    #[serde(default)]
    pub citizenship: Vec<String>,
    #[serde(default)]
    pub place_of_origin: String,
    /// Protect the identity: only cleared case workers of your agency will see it.
    #[serde(default)]
    pub protected: bool,
    #[serde(default)]
    #[schema(value_type = String)]
    pub classification: Classification,
}

/// A person as a viewer may see them.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonView {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub person: Person,
    /// Set when the identity is withheld: the stable pseudonym that stands for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pseudonym: Option<String>,
}

/// The one place a person is shaped for a viewer.
pub fn view(who: &Principal, key: &PseudonymKey, mut person: Person) -> PersonView {
    if !person.protected || may_see_identity(who, person.agency) {
        return PersonView {
            person,
            pseudonym: None,
        };
    }
    person.names.clear();
    person.birth_date = None;
    person.place_of_origin.clear();
    PersonView {
        pseudonym: Some(pseudonym(&key.0, person.id)),
        person,
    }
}

/// Record a person for your agency.
#[utoipa::path(post, path = "/api/v1/persons", tag = "persons", security(("bearer" = [])),
    request_body = PersonInput,
    responses((status = 201, body = PersonView), (status = 403, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<PersonInput>,
) -> ApiResult<(StatusCode, Json<PersonView>)> {
    let now = Utc::now();
    let person = Person {
        id: PersonId::new(),
        agency: caller.user.agency,
        roles: input.roles,
        names: input.names,
        birth_date: input.birth_date,
        sex: input.sex,
        citizenship: input.citizenship,
        place_of_origin: input.place_of_origin,
        protected: input.protected,
        classification: input.classification,
        created_at: now,
        updated_at: now,
    };
    let facts = Resource {
        kind: ResourceKind::Person,
        agency: person.agency,
        classification: person.classification,
        consent: None,
        covered_by: vec![],
    };
    let target = format!("person:{}", person.id);
    check(
        &state,
        &caller,
        Action::Write,
        "person.create",
        &facts,
        target,
    )
    .await?;
    person.validate(now.date_naive())?;
    state.store.create_person(&person).await?;
    crate::deconflict::after_write(&state, dokaz_deconflict::Written::Person(&person)).await;
    let v = view(&caller.principal, &state.pseudonym_key, person);
    Ok((StatusCode::CREATED, Json(v)))
}

/// One person; a protected identity only for cleared case workers of the owning agency.
#[utoipa::path(get, path = "/api/v1/persons/{id}", tag = "persons", security(("bearer" = [])),
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = PersonView), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    a: Authorized<Person, View<Metadata>>,
) -> Json<PersonView> {
    Json(view(&a.caller.principal, &state.pseudonym_key, a.record))
}

/// Replace a person's record; id, agency and creation stay.
#[utoipa::path(put, path = "/api/v1/persons/{id}", tag = "persons", security(("bearer" = [])),
    params(("id" = String, Path, format = Uuid)), request_body = PersonInput,
    responses((status = 200, body = PersonView), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn replace(
    State(state): State<AppState>,
    a: Authorized<Person, Write>,
    Json(input): Json<PersonInput>,
) -> ApiResult<Json<PersonView>> {
    let now = Utc::now();
    let person = Person {
        id: a.record.id,
        agency: a.record.agency,
        roles: input.roles,
        names: input.names,
        birth_date: input.birth_date,
        sex: input.sex,
        citizenship: input.citizenship,
        place_of_origin: input.place_of_origin,
        protected: input.protected,
        classification: input.classification,
        created_at: a.record.created_at,
        updated_at: now,
    };
    person.validate(now.date_naive())?;
    state.store.update_person(&person).await?;
    crate::deconflict::after_write(&state, dokaz_deconflict::Written::Person(&person)).await;
    Ok(Json(view(
        &a.caller.principal,
        &state.pseudonym_key,
        person,
    )))
}

/// The persons you may see, identities withheld as for a single read.
#[utoipa::path(get, path = "/api/v1/persons", tag = "persons", security(("bearer" = [])),
    params(PageParams), responses((status = 200, body = Object)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<PageParams>,
) -> ApiResult<Json<Page<PersonView>>> {
    let store = state.store.clone();
    let page = listing::visible(
        &state,
        &caller,
        &p,
        |req| {
            let store = store.clone();
            async move { store.list_persons(None, req).await }
        },
        |p: &Person| p.id.as_uuid(),
    )
    .await?;
    Ok(Json(Page {
        items: page
            .items
            .into_iter()
            .map(|p| view(&caller.principal, &state.pseudonym_key, p))
            .collect(),
        next: page.next,
    }))
}
