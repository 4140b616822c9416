//! Deconfliction matches as the caller's agency sees them (what that is: `crate::match_view`),
//! and each agency's own decision on them. Seeing a match is the decision on viewing the own
//! side's record; confirming or dismissing it the decision on writing it, always audited. A
//! match between two other agencies is "no such match".

use axum::extract::State;
use dokaz_access::{Action, Principal};
use dokaz_model::matching::check_decision;
use dokaz_model::{GrantLevel, MatchId, MatchKind, MatchStatus};
use dokaz_store::{MatchFilter, Page};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::audit;
use crate::auth::Caller;
use crate::authz::check;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::listing::PageParams;
use crate::match_view::{target, MatchView, Viewer};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// incident, person, unit or evidence.
    pub kind: Option<String>,
    /// Your agency's decision: new, confirmed or dismissed.
    pub status: Option<String>,
    /// The `next` value of the previous page (also accepted as `cursor`).
    #[serde(alias = "cursor")]
    pub after: Option<String>,
    /// Matches per page, 1–1000 (default 100).
    pub limit: Option<u32>,
}

/// Parses the list filter; each bad value is a 422 naming its parameter.
pub fn filter(kind: Option<&str>, status: Option<&str>) -> ApiResult<MatchFilter> {
    Ok(MatchFilter {
        kind: kind
            .map(|k| k.parse::<MatchKind>())
            .transpose()
            .map_err(|e| ApiError::field("kind", e))?,
        status: status
            .map(|s| s.parse::<MatchStatus>())
            .transpose()
            .map_err(|e| ApiError::field("status", e))?,
    })
}

/// Your agency's matches, in the order they were found.
#[utoipa::path(get, path = "/api/v1/matches", tag = "matches", security(("bearer" = [])),
    params(ListParams), responses((status = 200, body = Object, description = "a page of MatchView")))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ListParams>,
) -> ApiResult<Json<Page<MatchView>>> {
    let f = filter(q.kind.as_deref(), q.status.as_deref())?;
    let req = PageParams {
        after: q.after,
        limit: q.limit,
    }
    .request()?;
    let mut viewer = Viewer::new(state.store.as_ref(), &caller.principal);
    let (page, reads) = viewer.page(&f, req).await?;
    let records = reads
        .into_iter()
        .map(|r| audit::verdict(&caller, "match.list", Some(r.target), &r.verdict))
        .collect();
    audit::append(&state, records).await?;
    Ok(Json(page))
}

/// One match, as your agency sees it.
#[utoipa::path(get, path = "/api/v1/matches/{id}", tag = "matches", security(("bearer" = [])),
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = MatchView), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<MatchId>,
) -> ApiResult<Json<MatchView>> {
    let m = state.store.match_by_id(id).await?;
    let mut viewer = Viewer::new(state.store.as_ref(), &caller.principal);
    let facts = viewer.own_facts(&m).await?;
    let action = Action::View(GrantLevel::Metadata);
    check(&state, &caller, action, "match.read", &facts, target(&m)).await?;
    Ok(Json(viewer.view(&m).await?))
}

/// A decision on a match: a reason is required to dismiss.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// Why (up to 2,000 characters); required to dismiss, since the team will ask.
    #[serde(default)]
    pub reason: String,
}

/// Your agency holds both records are the same: confirm the match.
#[utoipa::path(post, path = "/api/v1/matches/{id}/confirm", tag = "matches",
    security(("bearer" = [])), params(("id" = String, Path, format = Uuid)),
    request_body = DecisionBody,
    responses((status = 200, body = MatchView), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn confirm(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<MatchId>,
    Json(body): Json<DecisionBody>,
) -> ApiResult<Json<MatchView>> {
    decide(&state, &caller, id, MatchStatus::Confirmed, &body.reason).await
}

/// Your agency holds the records are not the same: dismiss the match, with a reason.
#[utoipa::path(post, path = "/api/v1/matches/{id}/dismiss", tag = "matches",
    security(("bearer" = [])), params(("id" = String, Path, format = Uuid)),
    request_body = DecisionBody,
    responses((status = 200, body = MatchView), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn dismiss(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<MatchId>,
    Json(body): Json<DecisionBody>,
) -> ApiResult<Json<MatchView>> {
    decide(&state, &caller, id, MatchStatus::Dismissed, &body.reason).await
}

async fn decide(
    state: &AppState,
    caller: &Caller,
    id: MatchId,
    status: MatchStatus,
    reason: &str,
) -> ApiResult<Json<MatchView>> {
    let m = state.store.match_by_id(id).await?;
    let who: &Principal = &caller.principal;
    let mut viewer = Viewer::new(state.store.as_ref(), who);
    let facts = viewer.own_facts(&m).await?;
    let name = match status {
        MatchStatus::Dismissed => "match.dismiss",
        _ => "match.confirm",
    };
    check(state, caller, Action::Write, name, &facts, target(&m)).await?;
    let reason = reason.trim();
    check_decision(status, reason)?;
    let decided = state
        .store
        .decide_match(id, who.agency, status, who.user, reason, chrono::Utc::now())
        .await?;
    Ok(Json(viewer.view(&decided).await?))
}
