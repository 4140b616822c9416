//! Permissions in the types. A handler that reads or changes a record takes an
//! [`Authorized<R, P>`]: the extractor loads the record, gathers its facts and the grants that
//! cover it, asks [`dokaz_access::decide`], audits the verdict, and only then hands the record
//! over. `Authorized` cannot be built outside this module, so holding one is proof that the
//! check ran and allowed — and the permission `P` is written in the handler's signature,
//! where a reviewer reads it. Creation (no record yet) goes through [`check`] with the facts
//! the new record will have; lists through [`crate::listing`].

use std::fmt::Display;
use std::marker::PhantomData;

use async_trait::async_trait;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use chrono::Utc;
use dokaz_access::{decide, decide_admin, Action, AdminAction, Resource, ResourceKind, Verdict};
use dokaz_model::{AgencyId, Classification, GrantLevel};
use dokaz_store::{Store, StoreResult};
use serde::de::DeserializeOwned;

use crate::audit;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::extract::Path;
use crate::records::Containers;
use crate::state::AppState;

/// A record kind the API guards.
#[async_trait]
pub trait Guarded: Sized + Send + Sync + 'static {
    type Id: DeserializeOwned + Display + Send + Sync;
    const KIND: ResourceKind;
    async fn load(store: &dyn Store, id: &Self::Id) -> StoreResult<Self>;
    /// The facts a decision needs. `asking` is the caller's agency: containers (the cases
    /// that cover an incident) are only looked up when another agency asks, since only then
    /// can a grant matter.
    async fn facts(
        &self,
        store: &dyn Store,
        asking: AgencyId,
        known: &Containers,
    ) -> StoreResult<Resource>;
    fn id(&self) -> String;
}

/// What a handler is allowed to do with the record it holds.
pub trait Permission: Send + Sync + 'static {
    const ACTION: Action;
    /// The audit verb: `<kind>.<verb>`.
    const VERB: &'static str;
}

/// A grant level as a type.
pub trait Level: Send + Sync + 'static {
    const LEVEL: GrantLevel;
}
#[derive(Debug)]
pub struct Metadata;
impl Level for Metadata {
    const LEVEL: GrantLevel = GrantLevel::Metadata;
}
#[derive(Debug)]
pub struct Content;
impl Level for Content {
    const LEVEL: GrantLevel = GrantLevel::Content;
}

#[derive(Debug)]
pub struct Download;
impl Level for Download {
    const LEVEL: GrantLevel = GrantLevel::Download;
}

/// Read the record at level `L`.
#[derive(Debug)]
pub struct View<L>(PhantomData<L>);
impl<L: Level> Permission for View<L> {
    const ACTION: Action = Action::View(L::LEVEL);
    const VERB: &'static str = "read";
}
/// Change the record.
#[derive(Debug)]
pub struct Write;
impl Permission for Write {
    const ACTION: Action = Action::Write;
    const VERB: &'static str = "update";
}
/// Grant or revoke access to the record.
#[derive(Debug)]
pub struct Share;
impl Permission for Share {
    const ACTION: Action = Action::Share;
    const VERB: &'static str = "share";
}

/// A record of kind `R` that the caller may act on with permission `P`.
#[derive(Debug)]
pub struct Authorized<R, P> {
    pub record: R,
    pub caller: Caller,
    pub verdict: Verdict,
    _permission: PhantomData<P>,
}

impl<R: Guarded, P: Permission> FromRequestParts<AppState> for Authorized<R, P> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, state).await?;
        let Path(id) = Path::<R::Id>::from_request_parts(parts, state).await?;
        // A read may be served from the node's cache (facts at most its time to live old
        // when written elsewhere); a change or a share is decided on, and builds on, the
        // record as the database holds it now.
        let store: &dyn Store = match P::ACTION {
            Action::View(_) => state.store.as_ref(),
            _ => state.cached.uncached_for_reads(),
        };
        let record = R::load(store, &id).await?;
        let asking = caller.user.agency;
        // The record's own facts first; the cases that cover it are looked up only when a
        // grant on one of them could change the decision.
        let now = Utc::now();
        let alone = record.facts(store, asking, &Containers::none()).await?;
        let (facts, v) = match without_grants(&caller, P::ACTION, &alone, now) {
            Some(v) => (alone, v),
            None => {
                let facts = record.facts(store, asking, &Containers::default()).await?;
                let v = decide_now(state, &caller, P::ACTION, &facts, now).await?;
                (facts, v)
            }
        };
        let verdict = enforce(state, &caller, P::ACTION, &facts, v, || {
            (
                format!("{}.{}", R::KIND.code(), P::VERB),
                format!("{}:{}", R::KIND.code(), record.id()),
            )
        })
        .await?;
        Ok(Self {
            record,
            caller,
            verdict,
            _permission: PhantomData,
        })
    }
}

/// Which decisions are written to the audit log: every denial, every read of restricted or
/// sealed material, every change and share. Reads of open records are not: anyone in the
/// deployment may see them, and logging them would bury the reads that matter.
pub fn must_audit(v: &Verdict, action: Action, classification: Classification) -> bool {
    !v.allowed || classification != Classification::Open || !matches!(action, Action::View(_))
}

/// The verdict, when grants cannot change it: on the caller's own agency's record (grants are
/// to other agencies), or when the decision without grants already allows a record without
/// consent facts (grants only add access; `grants_cannot_change_an_allow` below holds
/// `decide` to it) — an open record of another agency is the common case. `None`: the grants
/// must be read, now, never cached.
fn without_grants(
    caller: &Caller,
    action: Action,
    facts: &Resource,
    now: chrono::DateTime<Utc>,
) -> Option<Verdict> {
    let v = decide(&caller.principal, action, facts, &[], now);
    (facts.agency == caller.principal.agency || (v.allowed && facts.consent.is_none())).then_some(v)
}

/// Decides, audits as `name` (`incident.create`, `grant.revoke`), and turns a denial into
/// 403 with the decision's reason.
pub async fn check(
    state: &AppState,
    caller: &Caller,
    action: Action,
    name: &str,
    facts: &Resource,
    target: String,
) -> ApiResult<Verdict> {
    let v = decide_now(state, caller, action, facts, Utc::now()).await?;
    enforce(state, caller, action, facts, v, || {
        (name.to_owned(), target)
    })
    .await
}

/// The verdict at `now`, reading the grants that cover the record only when they can change
/// it.
async fn decide_now(
    state: &AppState,
    caller: &Caller,
    action: Action,
    facts: &Resource,
    now: chrono::DateTime<Utc>,
) -> ApiResult<Verdict> {
    Ok(match without_grants(caller, action, facts, now) {
        Some(v) => v,
        None => {
            let grants = state
                .grants
                .grants_for(caller.principal.agency, &facts.covered_by)
                .await?;
            decide(&caller.principal, action, facts, &grants, now)
        }
    })
}

/// Audits the verdict when [`must_audit`] says so, as the `(action, target)` that `audit_as`
/// names — made only then: most requests are reads of open records, which are not audited —
/// and turns a denial into 403 with the decision's reason.
async fn enforce(
    state: &AppState,
    caller: &Caller,
    action: Action,
    facts: &Resource,
    v: Verdict,
    audit_as: impl FnOnce() -> (String, String) + Send,
) -> ApiResult<Verdict> {
    if must_audit(&v, action, facts.classification) {
        let (name, target) = audit_as();
        audit::append(state, vec![audit::verdict(caller, name, Some(target), &v)]).await?;
    }
    if v.allowed {
        Ok(v)
    } else {
        Err(ApiError::Forbidden(v.reason))
    }
}

/// Endpoints that concern the deployment rather than a record (users, agencies, the audit
/// log): decided by [`dokaz_access::decide_admin`] and audited like record decisions. Reading
/// the own audit log is not itself audited when allowed (it would grow with every look).
pub async fn require_admin(
    state: &AppState,
    caller: &Caller,
    what: AdminAction,
    action: &str,
    target: Option<String>,
) -> ApiResult<()> {
    let v = decide_admin(&caller.principal, what);
    if !v.allowed || !matches!(what, AdminAction::ReadAudit { .. }) {
        audit::append(state, vec![audit::verdict(caller, action, target, &v)]).await?;
    }
    if v.allowed {
        Ok(())
    } else {
        Err(ApiError::Forbidden(v.reason))
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use dokaz_access::Principal;
    use dokaz_model::{
        Classification, Grant, GrantId, GrantLevel, GrantTarget, IncidentId, Role, UserId,
    };
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// What [`check`] relies on to skip reading grants: a record without consent facts
        /// that `decide` allows without grants gets the same verdict, reason included,
        /// whatever grants exist.
        #[test]
        fn grants_cannot_change_an_allow(
            role in prop::sample::select(Role::ALL.to_vec()),
            own in any::<bool>(),
            classification in prop::sample::select(Classification::ALL.to_vec()),
            action in prop::sample::select(vec![
                Action::View(GrantLevel::Metadata),
                Action::View(GrantLevel::Content),
                Action::View(GrantLevel::Download),
                Action::Write,
                Action::Share,
            ]),
            grants in prop::collection::vec(
                (0..3usize, any::<bool>(), any::<bool>(), -2i64..2), 0..4),
        ) {
            let (asking, owner) = (AgencyId::new(), AgencyId::new());
            let incident = IncidentId::new();
            let who = Principal {
                user: UserId::new(),
                agency: asking,
                roles: vec![role],
                identity_cleared: false,
                disabled: false,
            };
            let what = Resource {
                kind: ResourceKind::Incident,
                agency: if own { asking } else { owner },
                classification,
                consent: None,
                covered_by: vec![GrantTarget::Incident(incident)],
            };
            let now = Utc::now();
            let grants: Vec<Grant> = grants
                .into_iter()
                .map(|(level, on_it, revoked, expires_in)| Grant {
                    id: GrantId::new(),
                    grantor: owner,
                    grantee: asking,
                    target: GrantTarget::Incident(if on_it { incident } else { IncidentId::new() }),
                    level: GrantLevel::ALL[level],
                    purpose: "test".into(),
                    consent_purpose: None,
                    expires_at: Some(now + Duration::hours(expires_in)),
                    created_by: UserId::new(),
                    created_at: now - Duration::days(1),
                    revoked_at: revoked.then_some(now - Duration::hours(1)),
                    revoked_by: None,
                })
                .collect();
            let without = decide(&who, action, &what, &[], now);
            if without.allowed {
                prop_assert_eq!(decide(&who, action, &what, &grants, now), without);
            }
        }
    }
}
