//! The storage traits, one per aggregate, so that a handler asks only for what it touches and
//! a reader finds each aggregate's contract in one place.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dokaz_model::{
    Agency, AgencyCode, AgencyId, Case, CaseId, Incident, IncidentId, Login, Person, PersonId,
    Unit, UnitId, User, UserId,
};

use crate::access::{AuditStore, GrantStore, SessionStore};
use crate::error::StoreResult;
use crate::interop::ImportStore;
use crate::matching::MatchStore;
use crate::page::{Page, PageRequest};
use crate::provenance::{ConsentStore, InterviewStore, ProvenanceStore};
use crate::vault::{EvidenceStore, LedgerStore};

#[async_trait]
pub trait AgencyStore: Send + Sync {
    /// Fails with `Conflict` when the code is taken.
    async fn create_agency(&self, agency: &Agency) -> StoreResult<()>;
    async fn agency(&self, id: AgencyId) -> StoreResult<Agency>;
    async fn agency_by_code(&self, code: &AgencyCode) -> StoreResult<Agency>;
    async fn list_agencies(&self, page: PageRequest) -> StoreResult<Page<Agency>>;
}

#[async_trait]
pub trait UserStore: Send + Sync {
    /// Stores a user with an already-hashed password (argon2id PHC string). Fails with
    /// `Conflict` when the login is taken.
    async fn create_user(&self, user: &User, password_hash: &str) -> StoreResult<()>;
    async fn user(&self, id: UserId) -> StoreResult<User>;
    /// The user and their password hash, for login only.
    async fn credentials(&self, login: &Login) -> StoreResult<(User, String)>;
    async fn set_password_hash(&self, id: UserId, password_hash: &str) -> StoreResult<()>;
    async fn set_user_disabled(&self, id: UserId, disabled: bool) -> StoreResult<()>;
    async fn list_users(
        &self,
        agency: Option<AgencyId>,
        page: PageRequest,
    ) -> StoreResult<Page<User>>;
}

/// Which incidents a list or count covers. Empty means all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IncidentFilter {
    pub agency: Option<AgencyId>,
    /// Incidents whose range ends at or after this time.
    pub occurred_from: Option<DateTime<Utc>>,
    /// Incidents whose range starts before this time.
    pub occurred_to: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait IncidentStore: Send + Sync {
    /// Fails with `Conflict` when the agency already has an incident with that reference.
    async fn create_incident(&self, incident: &Incident) -> StoreResult<()>;
    /// All or nothing: either every incident is stored, or — on any failure — none is. Bulk
    /// imports rely on this.
    async fn create_incidents(&self, incidents: &[Incident]) -> StoreResult<()>;
    async fn incident(&self, id: IncidentId) -> StoreResult<Incident>;
    /// The same record, shared: a store that keeps records in memory hands out its own copy
    /// rather than cloning it for a reader that only looks at it.
    async fn incident_shared(&self, id: IncidentId) -> StoreResult<Arc<Incident>> {
        self.incident(id).await.map(Arc::new)
    }
    /// The incidents among `ids` that exist, each once, in no particular order: an unknown id
    /// is left out rather than an error (matching reads candidates whose record may have
    /// gone since its keys were read).
    async fn incidents_by_ids(&self, ids: &[IncidentId]) -> StoreResult<Vec<Incident>>;
    /// Replaces the stored record; `NotFound` if it does not exist.
    async fn update_incident(&self, incident: &Incident) -> StoreResult<()>;
    async fn list_incidents(
        &self,
        filter: &IncidentFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Incident>>;
    async fn count_incidents(&self, filter: &IncidentFilter) -> StoreResult<u64>;
}

#[async_trait]
pub trait CaseStore: Send + Sync {
    /// Fails with `Conflict` when the agency already has a case with that reference.
    async fn create_case(&self, case: &Case) -> StoreResult<()>;
    async fn case(&self, id: CaseId) -> StoreResult<Case>;
    async fn case_by_reference(&self, agency: AgencyId, reference: &str) -> StoreResult<Case>;
    async fn update_case(&self, case: &Case) -> StoreResult<()>;
    async fn list_cases(
        &self,
        agency: Option<AgencyId>,
        page: PageRequest,
    ) -> StoreResult<Page<Case>>;
}

#[async_trait]
pub trait PersonStore: Send + Sync {
    async fn create_person(&self, person: &Person) -> StoreResult<()>;
    async fn person(&self, id: PersonId) -> StoreResult<Person>;
    /// The persons among `ids` that exist, each once, in no particular order: an unknown id
    /// is left out rather than an error (matching reads candidates whose record may have
    /// gone since its keys were read).
    async fn persons_by_ids(&self, ids: &[PersonId]) -> StoreResult<Vec<Person>>;
    async fn update_person(&self, person: &Person) -> StoreResult<()>;
    async fn list_persons(
        &self,
        agency: Option<AgencyId>,
        page: PageRequest,
    ) -> StoreResult<Page<Person>>;
}

#[async_trait]
pub trait UnitStore: Send + Sync {
    async fn create_unit(&self, unit: &Unit) -> StoreResult<()>;
    async fn unit(&self, id: UnitId) -> StoreResult<Unit>;
    /// The units among `ids` that exist, each once, in no particular order: an unknown id
    /// is left out rather than an error (matching reads candidates whose record may have
    /// gone since its keys were read).
    async fn units_by_ids(&self, ids: &[UnitId]) -> StoreResult<Vec<Unit>>;
    async fn update_unit(&self, unit: &Unit) -> StoreResult<()>;
    async fn list_units(
        &self,
        agency: Option<AgencyId>,
        page: PageRequest,
    ) -> StoreResult<Page<Unit>>;
}

/// Everything a dokaz node stores; what the binary holds as `Arc<dyn Store>`.
#[async_trait]
pub trait Store:
    AgencyStore
    + UserStore
    + IncidentStore
    + CaseStore
    + PersonStore
    + UnitStore
    + EvidenceStore
    + LedgerStore
    + SessionStore
    + GrantStore
    + AuditStore
    + ImportStore
    + ProvenanceStore
    + ConsentStore
    + InterviewStore
    + MatchStore
{
    /// The backend's name for logs and `--help` (`sqlite`, `postgres`).
    fn backend(&self) -> &'static str;
    /// Closes connections cleanly.
    async fn close(&self);
}
