//! The audit component: every decision the server records goes through here, durable before
//! the response leaves. One place, so that it can later be switched to the vault's ledger
//! sequencer without touching a handler. If the audit log cannot be written, the request
//! fails: an unrecorded read is worse than a refused one.

use dokaz_access::Verdict;
use dokaz_model::{AgencyId, AuditRecord, Decision, UserId};

use crate::auth::{Caller, RequestMeta};
use crate::error::ApiResult;
use crate::state::AppState;

/// An audit record for a decision about `caller` (or an unauthenticated request).
pub fn record(
    actor: Option<(UserId, AgencyId)>,
    meta: &RequestMeta,
    action: impl Into<String>,
    target: Option<String>,
    allowed: bool,
    reason: impl Into<String>,
) -> AuditRecord {
    let decision = if allowed {
        Decision::Allow
    } else {
        Decision::Deny
    };
    let mut r = AuditRecord::new(
        actor.map(|a| a.0),
        actor.map(|a| a.1),
        action,
        decision,
        reason,
    );
    r.target = target;
    r.address = meta.address();
    r.request_id = meta.request_id().to_owned();
    r
}

/// The record of a verdict about a caller.
pub fn verdict(
    caller: &Caller,
    action: impl Into<String>,
    target: Option<String>,
    v: &Verdict,
) -> AuditRecord {
    record(
        Some((caller.user.id, caller.user.agency)),
        &caller.meta,
        action,
        target,
        v.allowed,
        v.reason.clone(),
    )
}

/// Appends records, all or nothing, durable on return. With a vault (as `dokaz serve` runs)
/// they go through its sequencer, the one writer of the ledger, so custody events and audit
/// records share one group commit and the in-memory tree stays exact; without one (a
/// registry-only server) straight to the store, which takes the same ledger lock.
pub async fn append(state: &AppState, records: Vec<AuditRecord>) -> ApiResult<()> {
    if records.is_empty() {
        return Ok(());
    }
    match &state.vault {
        Some(vault) => {
            vault.append_audit(records).await?;
        }
        None => {
            state.audit.append_audit(&records).await?;
        }
    }
    Ok(())
}
