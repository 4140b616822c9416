//! The facts of each guarded record kind: owner, classification, and what a grant may name
//! to cover it — the record itself and what contains it. An incident is covered by the cases
//! of its own agency that list it; a person by the cases that name them as a suspect; a unit
//! only by nothing (grants cannot name units, so a restricted unit stays with its agency);
//! an evidence item by itself, its incidents and its case.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use dokaz_access::{Resource, ResourceKind};
use dokaz_model::{
    AgencyId, Case, CaseId, Classification, Ern, Evidence, GrantTarget, Incident, IncidentId,
    Person, PersonId, Unit, UnitId,
};
use dokaz_store::{PageRequest, Store, StoreResult, MAX_PAGE_SIZE};

use crate::authz::Guarded;

/// Whether containers must be looked up: only another agency's non-sealed record can be
/// reached through a grant.
fn grants_matter(owner: AgencyId, asking: AgencyId, c: Classification) -> bool {
    owner != asking && c != Classification::Sealed
}

/// The cases of each agency, read once per request: a list of many incidents of one agency
/// would otherwise read that agency's cases once per incident.
#[derive(Debug, Default)]
pub struct Containers {
    cases: Mutex<HashMap<AgencyId, Arc<Vec<Case>>>>,
    /// Look nothing up: the facts of the record alone (see [`Containers::none`]).
    none: bool,
}

impl Containers {
    /// No containers at all: for a first decision that, when it already allows, makes the
    /// lookup needless (a grant on a container can only add access).
    pub fn none() -> Self {
        Self {
            none: true,
            ..Self::default()
        }
    }

    async fn cases(&self, store: &dyn Store, agency: AgencyId) -> StoreResult<Arc<Vec<Case>>> {
        if let Some(c) = self.cases.lock().expect("containers lock").get(&agency) {
            return Ok(c.clone());
        }
        let mut all = vec![];
        let mut page = PageRequest::first(MAX_PAGE_SIZE);
        loop {
            let p = store.list_cases(Some(agency), page).await?;
            all.extend(p.items);
            match p.next {
                Some(n) => page.after = Some(dokaz_store::Cursor::decode(&n)?),
                None => break,
            }
        }
        let all = Arc::new(all);
        self.cases
            .lock()
            .expect("containers lock")
            .insert(agency, all.clone());
        Ok(all)
    }

    /// Every case of `agency` that `pick` selects.
    async fn cases_where(
        &self,
        store: &dyn Store,
        agency: AgencyId,
        pick: impl Fn(&Case) -> bool + Send,
    ) -> StoreResult<Vec<CaseId>> {
        if self.none {
            return Ok(vec![]);
        }
        let all = self.cases(store, agency).await?;
        Ok(all.iter().filter(|c| pick(c)).map(|c| c.id).collect())
    }
}

#[async_trait]
impl Guarded for Incident {
    type Id = IncidentId;
    const KIND: ResourceKind = ResourceKind::Incident;

    async fn load(store: &dyn Store, id: &IncidentId) -> StoreResult<Self> {
        store.incident(*id).await
    }

    async fn facts(
        &self,
        store: &dyn Store,
        asking: AgencyId,
        known: &Containers,
    ) -> StoreResult<Resource> {
        let mut covered_by = vec![GrantTarget::Incident(self.id)];
        if grants_matter(self.agency, asking, self.classification) {
            let id = self.id;
            let cases = known
                .cases_where(store, self.agency, |c| c.incidents.contains(&id))
                .await?;
            covered_by.extend(cases.into_iter().map(GrantTarget::Case));
        }
        Ok(Resource {
            kind: Self::KIND,
            agency: self.agency,
            classification: self.classification,
            consent: None,
            covered_by,
        })
    }

    fn id(&self) -> String {
        self.id.to_string()
    }
}

/// An incident as the node's read cache holds it, shared rather than copied: for a read that
/// only looks at the record (the metadata view), where a copy would clone the narratives
/// only to drop them. Its facts, and so its decisions, are the incident's own.
#[derive(Debug, Clone)]
pub struct SharedIncident(pub Arc<Incident>);

#[async_trait]
impl Guarded for SharedIncident {
    type Id = IncidentId;
    const KIND: ResourceKind = ResourceKind::Incident;

    async fn load(store: &dyn Store, id: &IncidentId) -> StoreResult<Self> {
        store.incident_shared(*id).await.map(Self)
    }

    async fn facts(
        &self,
        store: &dyn Store,
        asking: AgencyId,
        known: &Containers,
    ) -> StoreResult<Resource> {
        self.0.facts(store, asking, known).await
    }

    fn id(&self) -> String {
        self.0.id.to_string()
    }
}

#[async_trait]
impl Guarded for Case {
    type Id = CaseId;
    const KIND: ResourceKind = ResourceKind::Case;

    async fn load(store: &dyn Store, id: &CaseId) -> StoreResult<Self> {
        store.case(*id).await
    }

    async fn facts(&self, _: &dyn Store, _: AgencyId, _: &Containers) -> StoreResult<Resource> {
        Ok(Resource {
            kind: Self::KIND,
            agency: self.agency,
            classification: self.classification,
            consent: None,
            covered_by: vec![GrantTarget::Case(self.id)],
        })
    }

    fn id(&self) -> String {
        self.id.to_string()
    }
}

#[async_trait]
impl Guarded for Person {
    type Id = PersonId;
    const KIND: ResourceKind = ResourceKind::Person;

    async fn load(store: &dyn Store, id: &PersonId) -> StoreResult<Self> {
        store.person(*id).await
    }

    async fn facts(
        &self,
        store: &dyn Store,
        asking: AgencyId,
        known: &Containers,
    ) -> StoreResult<Resource> {
        let mut covered_by = vec![];
        if grants_matter(self.agency, asking, self.classification) {
            let id = self.id;
            let cases = known
                .cases_where(store, self.agency, |c| c.suspects.contains(&id))
                .await?;
            covered_by.extend(cases.into_iter().map(GrantTarget::Case));
        }
        Ok(Resource {
            kind: Self::KIND,
            agency: self.agency,
            classification: self.classification,
            consent: None,
            covered_by,
        })
    }

    fn id(&self) -> String {
        self.id.to_string()
    }
}

#[async_trait]
impl Guarded for Unit {
    type Id = UnitId;
    const KIND: ResourceKind = ResourceKind::Unit;

    async fn load(store: &dyn Store, id: &UnitId) -> StoreResult<Self> {
        store.unit(*id).await
    }

    async fn facts(&self, _: &dyn Store, _: AgencyId, _: &Containers) -> StoreResult<Resource> {
        Ok(Resource {
            kind: Self::KIND,
            agency: self.agency,
            classification: self.classification,
            consent: None,
            covered_by: vec![],
        })
    }

    fn id(&self) -> String {
        self.id.to_string()
    }
}

#[async_trait]
impl Guarded for Evidence {
    type Id = Ern;
    const KIND: ResourceKind = ResourceKind::Evidence;

    async fn load(store: &dyn Store, ern: &Ern) -> StoreResult<Self> {
        store.evidence_by_ern(ern).await
    }

    async fn facts(
        &self,
        store: &dyn Store,
        asking: AgencyId,
        _: &Containers,
    ) -> StoreResult<Resource> {
        let mut covered_by = vec![GrantTarget::Evidence(self.id)];
        covered_by.extend(self.incidents.iter().copied().map(GrantTarget::Incident));
        covered_by.extend(self.case.map(GrantTarget::Case));
        Ok(Resource {
            kind: Self::KIND,
            agency: self.agency,
            classification: self.classification,
            consent: crate::consent::of_evidence(store, self, asking).await?,
            covered_by,
        })
    }

    fn id(&self) -> String {
        self.ern.to_string()
    }
}
