//! What of a deconfliction match an agency may see: the one place the HTTP API and the CLI
//! build it, so that both show the same thing.
//!
//! A match is seen only by the two agencies it joins; a third gets "no such match". Each
//! side sees its own record and its own decision in full. Of the other side it sees:
//! - when that record is sealed, only which agency holds it and that it should get in
//!   touch — no record id, no kind beyond the match's, no reasons, no score (a score that
//!   moves as one edits one's own record would be an oracle for the sealed record's
//!   content), not when the match was last found again (that would tell when the sealed
//!   record changed), and not that agency's decision;
//! - otherwise the record's id and kind, its agency, that agency's status (not who decided
//!   or why: their reasons may speak of the record), the reasons and score of the match,
//!   and whether the viewer may open the record, decided by `dokaz_access::decide` as any
//!   read would be.
//!
//! Whether the viewer may see the match at all is the decision on viewing their own side's
//! record (metadata level), and confirming or dismissing is the decision on writing it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use dokaz_access::{decide, Action, Principal, Resource, ResourceKind, Verdict};
use dokaz_model::{
    AgencyId, Classification, EvidenceId, GrantLevel, Incident, IncidentId, Match, MatchKind,
    MatchSide, MatchStatus, Person, PersonId, Unit, UnitId, UserId,
};
use dokaz_store::{Cursor, MatchFilter, Page, PageRequest, Store, StoreError, StoreResult};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::authz::{must_audit, Guarded};
use crate::records::Containers;

/// What the other agency is told when its record matches a sealed one.
pub fn sealed_message(agency: &AgencyName) -> String {
    format!(
        "agency {} holds a record that matches yours — contact them",
        agency.code
    )
}

/// An agency as a match names it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AgencyName {
    pub code: String,
    pub name: String,
}

/// The viewer's own side, in full.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct OwnSide {
    #[schema(value_type = String, format = Uuid)]
    pub record: Uuid,
    pub sealed: bool,
    /// new, confirmed or dismissed: the viewer's agency's decision.
    #[schema(value_type = String)]
    pub status: MatchStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub decided_by: Option<UserId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// The other side of a match that is sealed: who to contact, nothing else.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SealedSide {
    pub agency: AgencyName,
    /// Always true.
    pub sealed: bool,
    pub message: String,
}

/// The other side of a match that is not sealed.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct OpenSide {
    pub agency: AgencyName,
    /// Always false.
    pub sealed: bool,
    #[schema(value_type = String, format = Uuid)]
    pub record: Uuid,
    /// incident, person, unit or evidence.
    #[schema(value_type = String)]
    pub kind: MatchKind,
    /// The other agency's decision (its reason stays with it).
    #[schema(value_type = String)]
    pub status: MatchStatus,
    /// Whether the viewer may open the record (`GET` it); false when this node does not
    /// hold it.
    pub may_open: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum OtherSide {
    Sealed(SealedSide),
    Open(OpenSide),
}

/// A match as one of its agencies sees it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MatchView {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    /// incident, person, unit or evidence.
    #[schema(value_type = String)]
    pub kind: MatchKind,
    pub own: OwnSide,
    pub other: OtherSide,
    /// The log-likelihood score (higher is surer); absent when the other side is sealed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Why, in words; absent when either side is sealed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasons: Option<String>,
    pub found_at: DateTime<Utc>,
    /// When the match was last found again; absent when the other side is sealed (it would
    /// tell when the sealed record changed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A decision to be audited, as `<action>` on `target`.
#[derive(Debug, Clone)]
pub struct ToAudit {
    pub target: String,
    pub verdict: Verdict,
}

pub fn target(m: &Match) -> String {
    format!("match:{}", m.id)
}

/// Builds views for one viewer; agencies and cases are read once per viewer.
pub struct Viewer<'a> {
    store: &'a dyn Store,
    who: &'a Principal,
    agencies: HashMap<AgencyId, AgencyName>,
    known: Containers,
}

impl std::fmt::Debug for Viewer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Viewer")
            .field("who", &self.who.user)
            .finish_non_exhaustive()
    }
}

impl<'a> Viewer<'a> {
    pub fn new(store: &'a dyn Store, who: &'a Principal) -> Self {
        Self {
            store,
            who,
            agencies: HashMap::new(),
            known: Containers::default(),
        }
    }

    /// The facts of the viewer's own side's record, for the decision on seeing (view) or
    /// deciding (write) the match. `NotFound` when the viewer's agency is not a side: to a
    /// third agency the match does not exist.
    pub async fn own_facts(&self, m: &Match) -> StoreResult<Resource> {
        let side = m
            .side_of(self.who.agency)
            .ok_or_else(|| StoreError::not_found("match", m.id))?;
        // A record this node does not hold (matched on another node) is judged as the
        // agency's record it is: sealed if the side says so, else restricted.
        let fallback = Resource {
            kind: resource_kind(m.kind),
            agency: side.agency,
            classification: if side.sealed {
                Classification::Sealed
            } else {
                Classification::Restricted
            },
            covered_by: vec![],
            consent: None,
        };
        Ok(self.facts(m.kind, side).await?.unwrap_or(fallback))
    }

    /// Decides `action` on a record with these facts, as every other decision is made.
    pub async fn decide(&self, action: Action, facts: &Resource) -> StoreResult<Verdict> {
        let grants = if facts.agency == self.who.agency || facts.covered_by.is_empty() {
            vec![]
        } else {
            self.store
                .grants_for(self.who.agency, &facts.covered_by)
                .await?
        };
        Ok(decide(self.who, action, facts, &grants, Utc::now()))
    }

    /// The view of `m`; the viewer's agency must be a side (see [`Self::own_facts`]).
    pub async fn view(&mut self, m: &Match) -> StoreResult<MatchView> {
        let (own, other) = match (m.side_of(self.who.agency), m.other_side(self.who.agency)) {
            (Some(o), Some(t)) => (o, t),
            _ => return Err(StoreError::not_found("match", m.id)),
        };
        let agency = self.agency(other.agency).await?;
        let other_view = if other.sealed {
            OtherSide::Sealed(SealedSide {
                message: sealed_message(&agency),
                agency,
                sealed: true,
            })
        } else {
            let may_open = match self.facts(m.kind, other).await? {
                Some(f) => {
                    self.decide(Action::View(GrantLevel::Metadata), &f)
                        .await?
                        .allowed
                }
                None => false,
            };
            OtherSide::Open(OpenSide {
                agency,
                sealed: false,
                record: other.record,
                kind: m.kind,
                status: other.status,
                may_open,
            })
        };
        Ok(MatchView {
            id: m.id.as_uuid(),
            kind: m.kind,
            own: OwnSide {
                record: own.record,
                sealed: own.sealed,
                status: own.status,
                decided_by: own.decided_by,
                decided_at: own.decided_at,
                reason: own.reason.clone(),
            },
            score: (!other.sealed).then_some(m.score),
            reasons: (!m.is_blind() && !m.reasons.is_empty()).then(|| m.reasons.clone()),
            other: other_view,
            found_at: m.found_at,
            updated_at: (!other.sealed).then_some(m.updated_at),
        })
    }

    /// One page of the viewer's agency's matches that the viewer may see, and the reads to
    /// audit. As in [`crate::listing`]: a page is filled from as many store pages as needed
    /// and `next` is given only when another visible match exists.
    pub async fn page(
        &mut self,
        filter: &MatchFilter,
        req: PageRequest,
    ) -> StoreResult<(Page<MatchView>, Vec<ToAudit>)> {
        let want = req.effective_limit() as usize;
        let action = Action::View(GrantLevel::Metadata);
        let mut items = Vec::with_capacity(want + 1);
        let mut audits = vec![];
        let mut store_page = PageRequest {
            after: req.after,
            limit: req.effective_limit().max(50),
        };
        'pages: loop {
            let page = self
                .store
                .matches_for(self.who.agency, filter, store_page)
                .await?;
            for m in page.items {
                let facts = self.own_facts(&m).await?;
                let v = self.decide(action, &facts).await?;
                if !v.allowed {
                    continue;
                }
                if items.len() == want {
                    items.push(self.view(&m).await?);
                    break 'pages;
                }
                if must_audit(&v, action, facts.classification) {
                    audits.push(ToAudit {
                        target: target(&m),
                        verdict: v,
                    });
                }
                items.push(self.view(&m).await?);
            }
            match page.next {
                Some(n) => store_page.after = Some(Cursor::decode(&n)?),
                None => break,
            }
        }
        let next = if items.len() > want {
            items.truncate(want);
            items.last().map(|v| Cursor(v.id).encode())
        } else {
            None
        };
        Ok((Page { items, next }, audits))
    }

    async fn agency(&mut self, id: AgencyId) -> StoreResult<AgencyName> {
        if let Some(a) = self.agencies.get(&id) {
            return Ok(a.clone());
        }
        let name = match self.store.agency(id).await {
            Ok(a) => AgencyName {
                code: a.code.to_string(),
                name: a.name,
            },
            Err(StoreError::NotFound { .. }) => AgencyName {
                code: id.to_string(),
                name: String::new(),
            },
            Err(e) => return Err(e),
        };
        self.agencies.insert(id, name.clone());
        Ok(name)
    }

    /// The facts of a side's record, or `None` when this node does not hold it.
    async fn facts(&self, kind: MatchKind, side: &MatchSide) -> StoreResult<Option<Resource>> {
        let (store, asking, known) = (self.store, self.who.agency, &self.known);
        let r = match kind {
            MatchKind::Incident => {
                let id = IncidentId::from_uuid(side.record);
                match Incident::load(store, &id).await {
                    Ok(r) => r.facts(store, asking, known).await,
                    Err(e) => Err(e),
                }
            }
            MatchKind::Person => {
                let id = PersonId::from_uuid(side.record);
                match Person::load(store, &id).await {
                    Ok(r) => r.facts(store, asking, known).await,
                    Err(e) => Err(e),
                }
            }
            MatchKind::Unit => {
                let id = UnitId::from_uuid(side.record);
                match Unit::load(store, &id).await {
                    Ok(r) => r.facts(store, asking, known).await,
                    Err(e) => Err(e),
                }
            }
            MatchKind::Evidence => match store.evidence(EvidenceId::from_uuid(side.record)).await {
                Ok(r) => r.facts(store, asking, known).await,
                Err(e) => Err(e),
            },
        };
        match r {
            Ok(f) => Ok(Some(f)),
            Err(StoreError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

fn resource_kind(k: MatchKind) -> ResourceKind {
    match k {
        MatchKind::Incident => ResourceKind::Incident,
        MatchKind::Person => ResourceKind::Person,
        MatchKind::Unit => ResourceKind::Unit,
        MatchKind::Evidence => ResourceKind::Evidence,
    }
}
