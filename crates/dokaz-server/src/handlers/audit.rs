//! The audit log, for auditors, of their own agency only.

use axum::extract::State;
use chrono::{DateTime, Utc};
use dokaz_model::{AuditRecord, Decision, UserId};
use dokaz_store::{AuditFilter, Page};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::authz::require_admin;
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::listing::PageParams;
use crate::state::AppState;
use dokaz_access::AdminAction;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
    /// Only this user's actions.
    #[param(value_type = Option<String>, format = Uuid)]
    pub actor: Option<UserId>,
    /// An action (`incident.read`) or a prefix ending in `.` (`grant.`).
    pub action: Option<String>,
    /// allow or deny.
    #[param(value_type = Option<String>)]
    pub decision: Option<Decision>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub after: Option<String>,
    pub limit: Option<u32>,
}

/// Your agency's audit records, oldest first, keyset-paged (auditors).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", security(("bearer" = [])),
    params(AuditParams),
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<AuditParams>,
) -> ApiResult<Json<Page<AuditRecord>>> {
    let own = AdminAction::ReadAudit {
        agency: caller.user.agency,
    };
    require_admin(&state, &caller, own, "audit.read", None).await?;
    let filter = AuditFilter {
        agency: Some(caller.user.agency),
        actor: q.actor,
        action: q.action,
        decision: q.decision,
        from: q.from,
        to: q.to,
    };
    let page = PageParams {
        after: q.after,
        limit: q.limit,
    }
    .request()?;
    Ok(Json(state.audit.list_audit(&filter, page).await?))
}
