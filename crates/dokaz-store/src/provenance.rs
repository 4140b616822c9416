//! The storage contract of provenance and consent: evidence families (found by ERN), the
//! consents persons gave (append-only; a withdrawal is set once), and the interview
//! register (append-only).

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use dokaz_model::{Consent, ConsentId, Ern, Evidence, EvidenceId, Interview, PersonId};

use crate::error::StoreResult;

#[async_trait]
pub trait ProvenanceStore: Send + Sync {
    /// The item with ERN `root` and every item whose ERN extends it with a derivative
    /// suffix, in ERN order. Empty if there is no such item.
    async fn evidence_family(&self, root: &Ern) -> StoreResult<Vec<Evidence>>;
}

#[async_trait]
pub trait ConsentStore: Send + Sync {
    /// `NotFound` if the person (or the statement) is unknown; `Conflict` on a repeated id.
    async fn add_consent(&self, consent: &Consent) -> StoreResult<()>;
    async fn consent(&self, id: ConsentId) -> StoreResult<Consent>;
    /// Records the withdrawal, once: `Conflict` if it was already withdrawn.
    async fn withdraw_consent(
        &self,
        id: ConsentId,
        on: NaiveDate,
        recorded_by: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Consent>;
    /// Every consent of the person, oldest first, withdrawn ones included.
    async fn consents_of_person(&self, person: PersonId) -> StoreResult<Vec<Consent>>;
    /// Every consent naming this statement, oldest first.
    async fn consents_of_statement(&self, statement: EvidenceId) -> StoreResult<Vec<Consent>>;
}

#[async_trait]
pub trait InterviewStore: Send + Sync {
    /// `NotFound` if the person or agency is unknown.
    async fn add_interview(&self, interview: &Interview) -> StoreResult<()>;
    /// The person's interviews, oldest first.
    async fn interviews_of(&self, person: PersonId) -> StoreResult<Vec<Interview>>;
}

/// The withdrawal applied to a stored consent (shared by the backends).
pub fn withdrawn(mut c: Consent, on: NaiveDate, by: &str, at: DateTime<Utc>) -> Consent {
    c.withdrawn_on = Some(on);
    c.withdrawal_recorded_by = Some(by.to_owned());
    c.withdrawal_recorded_at = Some(at);
    c
}

/// The half-open ERN range `[root-, root.)` that holds exactly the root's derivatives under
/// byte order (`.` follows `-`), for backends that compare ERNs bytewise.
pub fn family_bounds(root: &Ern) -> (String, String) {
    let r = root.root().to_string();
    (format!("{r}-"), format!("{r}."))
}
