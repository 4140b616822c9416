//! Consents and the interview register, both kept by the person's own agency: recording and
//! withdrawing a consent, listing a person's consents, recording an interview and listing a
//! person's interviews are decided as `Write` on the person (its agency's investigators and
//! prosecutors) and audited. The consent rules themselves are applied in `dokaz-access`,
//! wherever a statement would leave the agency.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{NaiveDate, SubsecRound, Utc};
use dokaz_access::Action;
use dokaz_model::{
    AgencyCode, Consent, ConsentId, Ern, Interview, InterviewId, InterviewerRole, Person, PersonId,
    Purpose, Recipient,
};
use dokaz_store::StoreError;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::authz::{check, Authorized, Guarded as _, Write};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::records::Containers;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewConsent {
    /// investigation, prosecution, documentation, research.
    #[schema(value_type = Vec<String>)]
    pub purposes: Vec<Purpose>,
    /// own-agency, icc, national-courts, eurojust, or agency:CODE.
    pub recipients: Vec<String>,
    /// Whether the person allowed their identity to be disclosed to those recipients.
    pub identity_disclosure: bool,
    /// The day the person gave it (default today).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub given_on: Option<NaiveDate>,
    /// Who took it, as on the signed form.
    pub recorded_by: String,
    /// Only this statement (an ERN of your agency); default: all the person's statements
    /// and their identity.
    #[serde(default)]
    pub statement: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    /// The day the person withdrew it (default today).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub withdrawn_on: Option<NaiveDate>,
    /// Who recorded the withdrawal.
    pub recorded_by: String,
}

async fn recipient(state: &AppState, raw: &str) -> ApiResult<Recipient> {
    match raw.trim().strip_prefix("agency:") {
        Some(code) => {
            let code: AgencyCode = code
                .parse()
                .map_err(|e: String| ApiError::field("recipients", e))?;
            match state.store.agency_by_code(&code).await {
                Ok(a) => Ok(Recipient::Agency(a.id)),
                Err(StoreError::NotFound { .. }) => Err(ApiError::field(
                    "recipients",
                    format!("no agency with code {code}"),
                )),
                Err(e) => Err(e.into()),
            }
        }
        None => raw
            .parse()
            .map_err(|e: String| ApiError::field("recipients", e)),
    }
}

/// Record a consent the person gave. Sharing, exporting and other agencies' reads of the
/// person's statements are then decided against it.
#[utoipa::path(post, path = "/api/v1/persons/{id}/consents", tag = "consent",
    security(("bearer" = [])), params(("id" = String, Path, format = Uuid)),
    request_body = NewConsent,
    responses((status = 201, body = Object), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add(
    State(state): State<AppState>,
    a: Authorized<Person, Write>,
    Json(req): Json<NewConsent>,
) -> ApiResult<(StatusCode, Json<Consent>)> {
    let person = a.record;
    let mut recipients = vec![];
    for r in &req.recipients {
        recipients.push(recipient(&state, r).await?);
    }
    let (statement, statement_ern) = match req.statement.as_deref() {
        Some(raw) => {
            let unknown = || ApiError::field("statement", "no item of your agency with that ERN");
            let ern: Ern = raw.trim().parse().map_err(|_| unknown())?;
            match state.store.evidence_by_ern(&ern).await {
                Ok(e) if e.agency == person.agency => (Some(e.id), Some(e.ern)),
                Ok(_) | Err(StoreError::NotFound { .. }) => return Err(unknown()),
                Err(e) => return Err(e.into()),
            }
        }
        None => (None, None),
    };
    let now = Utc::now().trunc_subsecs(6);
    let c = Consent {
        id: ConsentId::new(),
        person: person.id,
        agency: person.agency,
        statement,
        statement_ern,
        purposes: req.purposes,
        recipients,
        identity_disclosure: req.identity_disclosure,
        given_on: req.given_on.unwrap_or(now.date_naive()),
        recorded_by: req.recorded_by.trim().to_owned(),
        entered_by: Some(a.caller.user.id),
        recorded_at: now,
        withdrawn_on: None,
        withdrawal_recorded_by: None,
        withdrawal_recorded_at: None,
    };
    c.validate(now.date_naive())?;
    state.store.add_consent(&c).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// Every consent of the person, in force or withdrawn.
#[utoipa::path(get, path = "/api/v1/persons/{id}/consents", tag = "consent",
    security(("bearer" = [])), params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = [Object]), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    a: Authorized<Person, Write>,
) -> ApiResult<Json<Vec<Consent>>> {
    Ok(Json(state.store.consents_of_person(a.record.id).await?))
}

/// `Write` on the person a consent or interview concerns, audited as `name`.
async fn may_keep(
    state: &AppState,
    caller: &Caller,
    person: PersonId,
    name: &str,
) -> ApiResult<()> {
    let store = state.store.as_ref();
    let p = store.person(person).await?;
    let facts = p
        .facts(store, caller.user.agency, &Containers::default())
        .await?;
    check(
        state,
        caller,
        Action::Write,
        name,
        &facts,
        format!("person:{person}"),
    )
    .await?;
    Ok(())
}

/// Record that the person withdrew a consent. It takes effect at the next request; what was
/// disclosed before stays on the audit record. Recorded once, never undone.
#[utoipa::path(post, path = "/api/v1/consents/{id}/withdraw", tag = "consent",
    security(("bearer" = [])), params(("id" = String, Path, format = Uuid)),
    request_body = Withdrawal,
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn withdraw(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<ConsentId>,
    Json(req): Json<Withdrawal>,
) -> ApiResult<Json<Consent>> {
    let c = state.store.consent(id).await?;
    // Another agency's consent is answered like an unknown one.
    if c.agency != caller.user.agency {
        return Err(ApiError::NotFound("no such consent".into()));
    }
    may_keep(&state, &caller, c.person, "consent.withdraw").await?;
    let now = Utc::now().trunc_subsecs(6);
    let on = req.withdrawn_on.unwrap_or(now.date_naive());
    if on < c.given_on {
        return Err(ApiError::field(
            "withdrawn_on",
            "must not be before the consent was given",
        ));
    }
    if req.recorded_by.trim().is_empty() {
        return Err(ApiError::field(
            "recorded_by",
            "who recorded the withdrawal is required",
        ));
    }
    Ok(Json(
        state
            .store
            .withdraw_consent(id, on, req.recorded_by.trim(), now)
            .await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInterview {
    /// The person interviewed (one of your agency's persons).
    #[schema(value_type = String, format = Uuid)]
    pub person: PersonId,
    #[schema(value_type = String, format = Date)]
    pub date: NaiveDate,
    /// investigator, prosecutor, analyst, psychologist or other.
    #[schema(value_type = String)]
    pub interviewer_role: InterviewerRole,
    /// Topic codes (rs-7-1-d, filtration, …) — never the content.
    #[serde(default)]
    pub topics: Vec<String>,
}

/// Record that your agency interviewed a person: when, in which role, on which topics —
/// never what was said.
#[utoipa::path(post, path = "/api/v1/interviews", tag = "consent", security(("bearer" = [])),
    request_body = NewInterview,
    responses((status = 201, body = Object), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_interview(
    State(state): State<AppState>,
    caller: Caller,
    Json(req): Json<NewInterview>,
) -> ApiResult<(StatusCode, Json<Interview>)> {
    may_keep(&state, &caller, req.person, "interview.create").await?;
    let now = Utc::now().trunc_subsecs(6);
    let i = Interview {
        id: InterviewId::new(),
        person: req.person,
        agency: caller.user.agency,
        date: req.date,
        interviewer_role: req.interviewer_role,
        topics: req.topics.iter().map(|t| t.trim().to_owned()).collect(),
        recorded_by: Some(caller.user.id),
        recorded_at: now,
    };
    i.validate(now.date_naive())?;
    state.store.add_interview(&i).await?;
    Ok((StatusCode::CREATED, Json(i)))
}

/// The interviews of one of your agency's persons, oldest first.
#[utoipa::path(get, path = "/api/v1/persons/{id}/interviews", tag = "consent",
    security(("bearer" = [])), params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = [Object]), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn interviews(
    State(state): State<AppState>,
    a: Authorized<Person, Write>,
) -> ApiResult<Json<Vec<Interview>>> {
    Ok(Json(state.store.interviews_of(a.record.id).await?))
}
